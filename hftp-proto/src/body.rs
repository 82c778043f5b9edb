//! Slice bodies, the hot path: the server's streaming base64 encoder and
//! raw-body tracker (rule 8), and the client's streaming base64 decoder
//! (rule 11).

use alloc::vec::Vec;

use base64::Engine as _;

use crate::code::Code;
use crate::error::{BodyError, Misuse, ProtocolError};
use crate::reply::write_raw_header;
use crate::wire::EOL;

/// The engine's settings: canonical padding when encoding; when decoding,
/// padding required but non-zero trailing bits accepted, as the course
/// client's `b64decode` does.
const CONFIG: base64::engine::GeneralPurposeConfig = base64::engine::GeneralPurposeConfig::new()
    .with_encode_padding(true)
    .with_decode_allow_trailing_bits(true);

/// With `std`, the SIMD engine picked at run time (it falls back to the
/// scalar one on machines without AVX2 or NEON).
#[cfg(feature = "std")]
fn engine() -> &'static base64::engine::simd::Simd {
    static ENGINE: std::sync::LazyLock<base64::engine::simd::Simd> =
        std::sync::LazyLock::new(|| base64::engine::simd::Simd::standard(CONFIG));
    &ENGINE
}

/// Without `std`, the portable scalar engine.
#[cfg(not(feature = "std"))]
fn engine() -> &'static base64::engine::GeneralPurpose {
    static ENGINE: base64::engine::GeneralPurpose =
        base64::engine::GeneralPurpose::new(&base64::alphabet::STANDARD, CONFIG);
    &ENGINE
}

/// The base64 length of `len` bytes encoded mid-stream, once the up to two
/// bytes carried from before are counted: what [`SliceEncoder::encode`]
/// may write for an input of `len` bytes.
#[must_use]
pub const fn max_encoded_len(len: usize) -> usize {
    len.div_ceil(3) * 4
}

/// A `get_slice` body in base64, encoded as the file is read.
///
/// It exists only after the range check passed ([`SliceEncoder::begin`]
/// writes `0 OK`). Mid-stream it writes whole 3-byte groups and carries
/// at most two bytes, so any chunking gives exactly the one-shot base64.
/// [`finish`](Self::finish) writes the padding and `\r\n` only if exactly
/// the announced number of bytes came in (rule 8). There is no finish in
/// `Drop`: a body that is not finished must end with a closed connection.
///
/// ```
/// use hftp_proto::SliceEncoder;
/// let mut out = Vec::new();
/// let mut body = SliceEncoder::begin(14, &mut out);
/// body.encode(b"calor ", &mut out)?;
/// body.encode(b"que hace", &mut out)?;
/// body.finish(&mut out)?;
/// assert_eq!(out, b"0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\r\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "a body must be finished, or the connection closed"]
pub struct SliceEncoder {
    remaining: u64,
    carry: [u8; 3],
    carried: usize,
}

impl SliceEncoder {
    /// Appends `0 OK` and starts a body of `size` bytes. Call it only after
    /// [`check_range`](crate::check_range) passed.
    pub fn begin(size: u64, out: &mut Vec<u8>) -> Self {
        Code::Ok.write_line(out);
        Self {
            remaining: size,
            carry: [0; 3],
            carried: 0,
        }
    }

    /// Bytes still to be fed.
    #[must_use]
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Encodes the next bytes of the slice, appending to `out`.
    ///
    /// Refuses more bytes than announced ([`Misuse::Overfed`]), changing
    /// nothing.
    pub fn encode(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), Misuse> {
        let start = out.len();
        out.resize(start + max_encoded_len(data.len()), 0);
        let written = self.encode_to_slice(data, &mut out[start..]);
        out.truncate(start + *written.as_ref().unwrap_or(&0));
        written.map(drop)
    }

    /// Encodes the next bytes of the slice into `out`, returning how many
    /// bytes were written: at most [`max_encoded_len`]`(data.len())`.
    ///
    /// Refuses more bytes than announced ([`Misuse::Overfed`]) and an
    /// `out` too small ([`Misuse::BufferTooSmall`]); on error `out` and the
    /// encoder are untouched.
    pub fn encode_to_slice(&mut self, data: &[u8], out: &mut [u8]) -> Result<usize, Misuse> {
        let extra = (data.len() as u64).saturating_sub(self.remaining);
        if extra > 0 {
            return Err(Misuse::Overfed { extra });
        }
        let total = self.carried + data.len();
        let required = total / 3 * 4;
        if out.len() < required {
            return Err(Misuse::BufferTooSmall { required });
        }
        self.remaining -= data.len() as u64;
        let mut data = data;
        let mut written = 0;
        if self.carried > 0 {
            let take = data.len().min(3 - self.carried);
            self.carry[self.carried..self.carried + take].copy_from_slice(&data[..take]);
            self.carried += take;
            data = &data[take..];
            if self.carried < 3 {
                return Ok(0);
            }
            written = encode_into(&self.carry, out);
            self.carried = 0;
        }
        let whole = data.len() / 3 * 3;
        written += encode_into(&data[..whole], &mut out[written..]);
        self.carried = data.len() - whole;
        self.carry[..self.carried].copy_from_slice(&data[whole..]);
        Ok(written)
    }

    /// Ends the body: appends the last group with its padding and `\r\n`,
    /// or refuses with [`BodyError::Truncated`] if bytes are missing.
    pub fn finish(self, out: &mut Vec<u8>) -> Result<(), BodyError> {
        if self.remaining > 0 {
            return Err(BodyError::Truncated {
                missing: self.remaining,
            });
        }
        let start = out.len();
        out.resize(start + 4, 0);
        let written = encode_into(&self.carry[..self.carried], &mut out[start..]);
        out.truncate(start + written);
        out.extend_from_slice(EOL);
        Ok(())
    }
}

/// Encodes `data` into the front of `out`, which the callers sized.
fn encode_into(data: &[u8], out: &mut [u8]) -> usize {
    engine().encode_slice(data, out).unwrap_or(0)
}

/// The count of a `raw` slice body in flight, whose bytes the server
/// sends itself: it tells when the body is complete and refuses to call a
/// short one complete (rule 8).
#[derive(Debug)]
#[must_use = "a body must be finished, or the connection closed"]
pub struct RawSlice {
    remaining: u64,
}

impl RawSlice {
    /// Appends the reply's header (see
    /// [`write_raw_header`](crate::reply::write_raw_header)) and starts
    /// counting a body of `size` bytes.
    pub fn begin(size: u64, out: &mut Vec<u8>) -> Self {
        write_raw_header(size, out);
        Self { remaining: size }
    }

    /// Bytes still to be sent.
    #[must_use]
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Counts `len` bytes as sent; refuses more than announced
    /// ([`Misuse::Overfed`]), changing nothing.
    pub fn sent(&mut self, len: u64) -> Result<(), Misuse> {
        let extra = len.saturating_sub(self.remaining);
        if extra > 0 {
            return Err(Misuse::Overfed { extra });
        }
        self.remaining -= len;
        Ok(())
    }

    /// Ends the body, or refuses with [`BodyError::Truncated`].
    pub fn finish(self) -> Result<(), BodyError> {
        match self.remaining {
            0 => Ok(()),
            missing => Err(BodyError::Truncated { missing }),
        }
    }
}

/// The progress of a [`BodyDecoder`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct BodyProgress {
    /// Input bytes used.
    pub consumed: usize,
    /// Decoded bytes written to the front of the output.
    pub produced: usize,
    /// True once exactly the announced bytes arrived and their line ended.
    pub done: bool,
}

/// The client side of a base64 slice body: decodes it as it streams,
/// accepting a body split over several lines, each base64 on its own with
/// its own padding (rule 11), and checks that exactly `size` bytes arrive.
/// Nothing is buffered but one partial group and, when the output had no
/// room for all of a group's bytes, those bytes (at most 3).
///
/// An empty line decodes to nothing, as in the course client; at most
/// [`MAX_EMPTY_LINES`](Self::MAX_EMPTY_LINES) are accepted per body, so a
/// server cannot keep a client busy forever with `\r\n`s.
#[derive(Clone, Debug)]
pub struct BodyDecoder {
    remaining: u64,
    part: Part,
    /// The characters of a group not yet whole.
    carry: [u8; 4],
    carried: usize,
    /// Decoded bytes the output had no room for, handed out first.
    spill: Spill,
    empty_lines: u8,
}

/// Where a [`BodyDecoder`] is in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Within a line's characters.
    Line(Line),
    /// After a line's `\r`: its `\n` is due.
    Cr(Line),
    /// The last line ended after exactly the bytes asked.
    Done,
}

/// What the current line held so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    /// No character yet.
    Empty,
    /// Characters, no padding yet.
    Data,
    /// A padded group: only the line's end may follow.
    Padded,
}

/// Up to one group's decoded bytes that did not fit the output.
#[derive(Clone, Copy, Debug, Default)]
struct Spill {
    bytes: [u8; 3],
    start: usize,
    end: usize,
}

impl Spill {
    /// True when every byte was handed out.
    const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Moves as many bytes as fit to the front of `out`; returns how many.
    fn drain(&mut self, out: &mut [u8]) -> usize {
        let len = (self.end - self.start).min(out.len());
        out[..len].copy_from_slice(&self.bytes[self.start..self.start + len]);
        self.start += len;
        len
    }
}

impl BodyDecoder {
    /// The most empty lines one body may hold before its end.
    pub const MAX_EMPTY_LINES: u8 = 16;

    /// A decoder for a body of `size` bytes.
    #[must_use]
    pub const fn new(size: u64) -> Self {
        Self {
            remaining: size,
            part: Part::Line(Line::Empty),
            carry: [0; 4],
            carried: 0,
            spill: Spill {
                bytes: [0; 3],
                start: 0,
                end: 0,
            },
            empty_lines: 0,
        }
    }

    /// Decoded bytes still expected.
    #[must_use]
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Decodes from `input` into `out` until the input is used, `out` is
    /// full, or the body ends.
    ///
    /// `out` may have any length. Base64 decodes in groups of 3 bytes: a
    /// call that has room for none and would otherwise return
    /// empty-handed decodes one group anyway, and the bytes that do not
    /// fit come first in the next call (one with no input too). So with a
    /// non-empty `out` and input left, every call consumes or produces
    /// something; an empty `out` may stop with nothing done.
    pub fn decode(&mut self, input: &[u8], out: &mut [u8]) -> Result<BodyProgress, ProtocolError> {
        let mut produced = self.spill.drain(out);
        let mut consumed = 0;
        while self.spill.is_empty() && consumed < input.len() {
            let rest = &input[consumed..];
            let line = match self.part {
                Part::Done => break,
                Part::Cr(line) => {
                    self.end_line(line, rest[0])?;
                    consumed += 1;
                    continue;
                }
                Part::Line(line) => line,
            };
            let run_len = memchr::memchr(b'\r', rest).unwrap_or(rest.len());
            if run_len > 0 && line == Line::Empty {
                self.part = Part::Line(Line::Data);
            }
            // Only a call that would otherwise return empty-handed decodes
            // a group through the spill: any other ends when `out` is.
            let spill = consumed == 0 && produced == 0 && !out.is_empty();
            let (used, made) = self.decode_run(&rest[..run_len], &mut out[produced..], spill)?;
            consumed += used;
            produced += made;
            if used < run_len {
                break; // `out` is full
            }
            if let (true, Part::Line(line)) = (run_len < rest.len(), self.part) {
                self.part = Part::Cr(line);
                consumed += 1;
            }
        }
        Ok(BodyProgress {
            consumed,
            produced,
            done: self.part == Part::Done,
        })
    }

    /// Checks the byte after a `\r` and ends the line.
    fn end_line(&mut self, line: Line, byte: u8) -> Result<(), ProtocolError> {
        if byte != b'\n' {
            return Err(ProtocolError::BadLineEnd);
        }
        if self.carried != 0 {
            return Err(ProtocolError::BadBase64);
        }
        if self.remaining == 0 {
            self.part = Part::Done;
            return Ok(());
        }
        if line == Line::Empty {
            self.empty_lines += 1;
            if self.empty_lines > Self::MAX_EMPTY_LINES {
                return Err(ProtocolError::EmptyBodyLines {
                    limit: Self::MAX_EMPTY_LINES,
                });
            }
        }
        self.part = Part::Line(Line::Empty);
        Ok(())
    }

    /// Decodes a run of one line's characters (no `\r`) as far as `out`
    /// allows, a group through the spill if `spill` and `out` has no room
    /// for it; returns the characters used and the bytes made.
    fn decode_run(
        &mut self,
        run: &[u8],
        out: &mut [u8],
        spill: bool,
    ) -> Result<(usize, usize), ProtocolError> {
        let mut used = 0;
        let mut made = 0;
        if self.carried > 0 {
            if out.len() < 3 && !spill {
                return Ok((0, 0)); // `out` is full
            }
            used = run.len().min(4 - self.carried);
            self.carry[self.carried..self.carried + used].copy_from_slice(&run[..used]);
            self.carried += used;
            if self.carried < 4 {
                return Ok((used, 0));
            }
            let group = self.carry;
            self.carried = 0;
            made = self.decode_group(&group, out)?;
            if !self.spill.is_empty() {
                return Ok((used, made)); // `out` is full
            }
        }
        // No more groups than the size can need (at least one), so that a
        // body too long fails at the same group however it is split.
        let needed = usize::try_from(self.remaining.div_ceil(3)).unwrap_or(usize::MAX);
        let groups = ((run.len() - used) / 4)
            .min((out.len() - made) / 3)
            .min(needed.max(1));
        let end = used + groups * 4;
        made += self.decode_groups(&run[used..end], &mut out[made..])?;
        let tail = &run[end..];
        if tail.len() >= 4 {
            if spill && end == 0 {
                // `out` holds 1 or 2 bytes: one group, through the spill.
                made = self.decode_group(&tail[..4], out)?;
                return Ok((4, made));
            }
            return Ok((end, made)); // `out` is full, or the size reached
        }
        if self.part == Part::Line(Line::Padded) && !tail.is_empty() {
            return Err(ProtocolError::BadBase64);
        }
        self.carry[..tail.len()].copy_from_slice(tail);
        self.carried = tail.len();
        Ok((run.len(), made))
    }

    /// Decodes one group into `out`, keeping in the spill what does not
    /// fit; returns the bytes written to `out`.
    fn decode_group(&mut self, group: &[u8], out: &mut [u8]) -> Result<usize, ProtocolError> {
        if out.len() >= 3 {
            return self.decode_groups(group, out);
        }
        let mut bytes = [0; 3];
        let end = self.decode_groups(group, &mut bytes)?;
        self.spill = Spill {
            bytes,
            start: 0,
            end,
        };
        Ok(self.spill.drain(out))
    }

    /// Decodes whole groups, checking padding and the announced size.
    fn decode_groups(&mut self, groups: &[u8], out: &mut [u8]) -> Result<usize, ProtocolError> {
        if groups.is_empty() {
            return Ok(0);
        }
        if self.part == Part::Line(Line::Padded) {
            return Err(ProtocolError::BadBase64);
        }
        let made = engine()
            .decode_slice(groups, out)
            .map_err(|_| ProtocolError::BadBase64)?;
        if groups.last() == Some(&b'=') {
            self.part = Part::Line(Line::Padded);
        }
        self.remaining = self
            .remaining
            .checked_sub(made as u64)
            .ok_or(ProtocolError::BodyTooLong)?;
        Ok(made)
    }
}
