//! The server side's request decoder: bytes in any fragmentation in, one
//! request (or rejection) at a time out, in fixed memory.

use crate::name::{MAX_NAME_LEN, check_name};
use crate::request::{Command, Form, RAW, Request};
use crate::{Code, ServerConfig};

/// A fault after which the server answers its code and closes (rule 10).
///
/// Its code is `Code::from(fatal)`: write that status line with
/// [`reply::write_status`](crate::reply::write_status), send it, close.
///
/// ```
/// use hftp_proto::{Code, Fatal, ServerConfig, ServerConnection};
/// let mut server = ServerConnection::new(&ServerConfig::default());
/// let fatal = server.decode(b"help\n").expect_err("a bare \\n");
/// assert_eq!(Code::from(fatal), Code::BadEol);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Fatal {
    /// A `\n` not preceded by `\r`, or a `\r` followed by another byte
    /// (rule 1): `100`.
    #[error("bad line end")]
    BadEol,
    /// The line grew past the configured hard limit (rule 9): `101`.
    #[error("request line longer than {limit} bytes")]
    LineTooLong {
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// An empty line or one of spaces only (rule 2): `101`.
    #[error("request line without a command")]
    NoCommand,
}

impl From<Fatal> for Code {
    fn from(fatal: Fatal) -> Self {
        match fatal {
            Fatal::BadEol => Self::BadEol,
            Fatal::LineTooLong { .. } | Fatal::NoCommand => Self::BadRequest,
        }
    }
}

/// What one complete line turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// A valid request, to be answered.
    Request(Request<'a>),
    /// A request refused with a non-fatal code (200, 201 or 202); the
    /// connection goes on.
    Rejected(Code),
}

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

/// Up to `N` bytes of one element, and whether more were dropped.
#[derive(Clone, Copy, Debug)]
struct Token<const N: usize> {
    bytes: [u8; N],
    len: usize,
    overflow: bool,
}

impl<const N: usize> Token<N> {
    const EMPTY: Self = Self {
        bytes: [0; N],
        len: 0,
        overflow: false,
    };

    fn push(&mut self, run: &[u8]) {
        match self.bytes.get_mut(self.len..self.len + run.len()) {
            Some(room) if !self.overflow => {
                room.copy_from_slice(run);
                self.len += run.len();
            }
            _ => self.overflow = true,
        }
    }

    /// The bytes, or `None` if some were dropped.
    fn get(&self) -> Option<&[u8]> {
        (!self.overflow).then(|| &self.bytes[..self.len])
    }
}

/// A decimal `u64` read digit by digit; `None` once it holds anything
/// else or overflows (rule 4).
#[derive(Clone, Copy, Debug)]
struct Number(Option<u64>);

impl Number {
    fn push(&mut self, run: &[u8]) {
        self.0 = run
            .iter()
            .try_fold(self.0, |value, &byte| {
                let digit = char::from(byte).to_digit(10)?;
                value?
                    .checked_mul(10)?
                    .checked_add(u64::from(digit))
                    .map(Some)
            })
            .flatten();
    }
}

/// Element positions in a line.
const COMMAND: u32 = 0;
const NAME: u32 = 1;
const OFFSET: u32 = 2;
const SIZE: u32 = 3;
const MODE: u32 = 4;

/// The longest command name, which bounds the command token.
const COMMAND_LEN: usize = 16;

/// A resumable, allocation-free request tokenizer.
///
/// It holds one line's worth of state in a fixed few hundred bytes
/// whatever the line's length (rule 9): the command, the name up to
/// [`MAX_NAME_LEN`] bytes plus a "too long" flag, the two numbers, and
/// counters. Every byte is looked at once. Most callers want
/// [`ServerConnection`](crate::ServerConnection), which adds the order of
/// replies on top.
#[derive(Clone, Debug)]
pub struct RequestDecoder {
    limit: u64,
    line_len: u64,
    line_done: bool,
    pending_cr: bool,
    element: u32,
    element_len: u64,
    has_content: bool,
    empty_command: bool,
    empty_argument: bool,
    command: Token<COMMAND_LEN>,
    name: Token<MAX_NAME_LEN>,
    mode: Token<4>,
    offset: Number,
    size: Number,
}

impl RequestDecoder {
    /// A decoder for a new connection.
    #[must_use]
    pub fn new(config: &ServerConfig) -> Self {
        Self::with_limit(config.max_line_len)
    }

    const fn with_limit(limit: u64) -> Self {
        Self {
            limit,
            line_len: 0,
            line_done: false,
            pending_cr: false,
            element: COMMAND,
            element_len: 0,
            has_content: false,
            empty_command: false,
            empty_argument: false,
            command: Token::EMPTY,
            name: Token::EMPTY,
            mode: Token::EMPTY,
            offset: Number(Some(0)),
            size: Number(Some(0)),
        }
    }

    /// Bytes of the current, unfinished line seen so far, `\r` excluded.
    #[must_use]
    pub const fn line_len(&self) -> u64 {
        if self.line_done { 0 } else { self.line_len }
    }

    /// True when no part of a line is pending: an end of stream here cuts
    /// no request.
    #[must_use]
    pub const fn is_between_lines(&self) -> bool {
        self.line_done || (self.line_len == 0 && !self.pending_cr)
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
        if self.line_done {
            *self = Self::with_limit(self.limit);
        }
        if self.pending_cr {
            return self.end_line(input, 0);
        }
        let mut at = 0;
        while let Some(found) = memchr::memchr3(b' ', b'\r', b'\n', &input[at..]) {
            self.take_run(&input[at..at + found])?;
            at += found;
            match input[at] {
                b' ' => self.end_element()?,
                b'\n' => return Err(Fatal::BadEol),
                _ if at + 1 == input.len() => self.pending_cr = true,
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
        if !self.has_content {
            return Err(Fatal::NoCommand);
        }
        self.note_if_empty();
        self.line_done = true;
        let item = self.judge().map_or_else(Item::Rejected, Item::Request);
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
        self.has_content = true;
        self.element_len += run.len() as u64;
        match self.element {
            COMMAND => self.command.push(run),
            NAME => self.name.push(run),
            OFFSET => self.offset.push(run),
            SIZE => self.size.push(run),
            MODE => self.mode.push(run),
            _ => {}
        }
        Ok(())
    }

    /// Closes the current element at a space.
    fn end_element(&mut self) -> Result<(), Fatal> {
        self.grow_line(1)?;
        self.note_if_empty();
        self.element = self.element.saturating_add(1);
        self.element_len = 0;
        Ok(())
    }

    fn note_if_empty(&mut self) {
        if self.element_len == 0 {
            if self.element == COMMAND {
                self.empty_command = true;
            } else {
                self.empty_argument = true;
            }
        }
    }

    /// Judges a complete line by rules 2 to 5, in rule 3's order: the
    /// command, the argument count and forms, then the name.
    fn judge(&self) -> Result<Request<'_>, Code> {
        let command = (self.command.get())
            .filter(|_| !self.empty_command)
            .and_then(Command::from_name)
            .ok_or(Code::InvalidCommand)?;
        // The element index of the last element is the argument count.
        let arguments = self.element;
        if !command.takes(arguments) || self.empty_argument {
            return Err(Code::InvalidArguments);
        }
        let form = if arguments == MODE {
            Form::Raw
        } else {
            Form::Base64
        };
        let request = match command {
            Command::FileListing => Request::FileListing,
            Command::Metadata => Request::Metadata { name: self.name()? },
            Command::Slice => {
                let (Some(offset), Some(size)) = (self.offset.0, self.size.0) else {
                    return Err(Code::InvalidArguments);
                };
                if form == Form::Raw && self.mode.get() != Some(RAW.as_bytes()) {
                    return Err(Code::InvalidArguments);
                }
                Request::Slice {
                    name: self.name()?,
                    offset,
                    size,
                    form,
                }
            }
            Command::Help => Request::Help,
            Command::Quit => Request::Quit,
        };
        Ok(request)
    }

    /// The name element, checked by rule 5.
    fn name(&self) -> Result<&str, Code> {
        check_name(self.name.get().ok_or(Code::FileNotFound)?)
    }
}
