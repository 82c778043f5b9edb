//! The server side's request decoder: bytes in any fragmentation in, one
//! request (or rejection) at a time out, in fixed memory.

use crate::config::ServerConfig;
use crate::error::Fatal;
use crate::line::{Item, Line};

/// The result of feeding bytes to a decoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Decoded<'a> {
    /// How many bytes of the input were used; the caller drops them and
    /// feeds the rest later. With no item, this is the whole input.
    pub consumed: usize,
    /// The line completed by these bytes, if any.
    pub item: Option<Item<'a>>,
}

/// Where the decoder is between a line's bytes and its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Taking the bytes of a line (or waiting for its first).
    Reading,
    /// The input so far ended with a `\r`: the `\n` is due (rule 1).
    Cr,
    /// The line was handed out; the next byte starts a new one.
    Done,
}

/// A resumable, allocation-free request tokenizer.
///
/// It holds one line's worth of state in a fixed few hundred bytes
/// whatever the line's length (rule 9): the command, the name up to
/// [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) bytes or the fact that it is too
/// long, the two numbers, the mode word and the line's length. Every byte
/// is looked at once. Most callers want
/// [`ServerConnection`](crate::ServerConnection), which adds the order of
/// replies on top.
#[derive(Clone, Debug)]
pub struct RequestDecoder {
    limit: u64,
    /// Bytes of the current line so far, `\r` excluded.
    line_len: u64,
    stage: Stage,
    line: Line,
}

impl RequestDecoder {
    /// A decoder for a new connection.
    #[must_use]
    pub fn new(config: &ServerConfig) -> Self {
        Self {
            limit: config.max_line_len,
            line_len: 0,
            stage: Stage::Reading,
            line: Line::START,
        }
    }

    /// Bytes of the current, unfinished line seen so far, `\r` excluded.
    #[must_use]
    pub const fn line_len(&self) -> u64 {
        match self.stage {
            Stage::Done => 0,
            Stage::Reading | Stage::Cr => self.line_len,
        }
    }

    /// True when no part of a line is pending: an end of stream here cuts
    /// no request.
    #[must_use]
    pub const fn is_between_lines(&self) -> bool {
        match self.stage {
            Stage::Reading => self.line_len == 0,
            Stage::Cr => false,
            Stage::Done => true,
        }
    }

    /// Feeds bytes; stops after the first complete line.
    ///
    /// On `Err` the decoder's state is unspecified: the connection is over.
    pub fn decode(&mut self, input: &[u8]) -> Result<Decoded<'_>, Fatal> {
        if input.is_empty() {
            return Ok(Decoded {
                consumed: 0,
                item: None,
            });
        }
        match self.stage {
            Stage::Reading => {}
            Stage::Cr => return self.end_line(input, 0),
            Stage::Done => {
                self.line_len = 0;
                self.line = Line::START;
                self.stage = Stage::Reading;
            }
        }
        let mut at = 0;
        while let Some(found) = memchr::memchr3(b' ', b'\r', b'\n', &input[at..]) {
            self.take_run(&input[at..at + found])?;
            at += found;
            match input[at] {
                b' ' => self.end_element()?,
                b'\n' => return Err(Fatal::BadEol),
                _ if at + 1 == input.len() => self.stage = Stage::Cr,
                _ => return self.end_line(input, at + 1),
            }
            at += 1;
        }
        self.take_run(&input[at..])?;
        Ok(Decoded {
            consumed: input.len(),
            item: None,
        })
    }

    /// Handles the byte after a `\r`, at `input[at]`.
    fn end_line(&mut self, input: &[u8], at: usize) -> Result<Decoded<'_>, Fatal> {
        if input[at] != b'\n' {
            return Err(Fatal::BadEol);
        }
        self.stage = Stage::Done;
        let item = self.line.end()?;
        Ok(Decoded {
            consumed: at + 1,
            item: Some(item),
        })
    }

    /// Counts `len` more bytes of the line against the limit.
    fn grow_line(&mut self, len: usize) -> Result<(), Fatal> {
        self.line_len = self.line_len.saturating_add(len as u64);
        if self.line_len > self.limit {
            return Err(Fatal::LineTooLong { limit: self.limit });
        }
        Ok(())
    }

    /// Adds a run of bytes holding no space or line end to the current
    /// element.
    fn take_run(&mut self, run: &[u8]) -> Result<(), Fatal> {
        if run.is_empty() {
            return Ok(());
        }
        self.grow_line(run.len())?;
        self.line.push(run);
        Ok(())
    }

    /// Closes the current element at a space.
    fn end_element(&mut self) -> Result<(), Fatal> {
        self.grow_line(1)?;
        self.line.end_element();
        Ok(())
    }
}
