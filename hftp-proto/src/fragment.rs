//! The seed's framing (rule 12): a `get_slice` body as raw
//! length-prefixed fragments, as the course sent it before 2019.
//!
//! ```text
//! 0 OK\r\n
//! 10 calor que \r\n
//! 4 hace\r\n
//! 0 \r\n
//! ```
//!
//! Each fragment is its length in decimal digits, one space, exactly that
//! many bytes (any values), `\r\n`; the empty fragment `0 \r\n` ends the
//! body. The server's [`FragmentEncoder`] announces each fragment before
//! its bytes, so they can go out without a copy, and refuses to finish a
//! short body (rule 8). The client's [`FragmentDecoder`] checks every
//! framing byte, the exact size and the terminator (rule 11), in fixed
//! memory whatever the fragment sizes.

use alloc::vec::Vec;

use crate::body::BodyProgress;
use crate::code::Code;
use crate::error::{BodyError, Misuse, ProtocolError};
use crate::wire::{EOL, write_decimal};

/// The terminator: the empty fragment.
const TERMINATOR: &[u8] = b"0 \r\n";

/// A `get_slice` body in fragments, framed as the file is read.
///
/// It exists only after the range check passed ([`begin`](Self::begin)
/// writes `0 OK`). For each fragment, [`start_fragment`](Self::start_fragment)
/// appends its length line; the caller then sends exactly that many bytes
/// itself and counts them with [`sent`](Self::sent). [`finish`](Self::finish)
/// ends the last fragment and writes the terminator only if every
/// announced byte was sent (rule 8); a body that is not finished must end
/// with a closed connection.
///
/// ```
/// use hftp_proto::FragmentEncoder;
/// let mut out = Vec::new();
/// let mut body = FragmentEncoder::begin(14, &mut out);
/// body.encode(b"calor que ", &mut out)?;
/// body.start_fragment(4, &mut out)?;
/// out.extend_from_slice(b"hace"); // or written to the socket directly
/// body.sent(4)?;
/// body.finish(&mut out)?;
/// assert_eq!(out, b"0 OK\r\n10 calor que \r\n4 hace\r\n0 \r\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "a body must be finished, or the connection closed"]
pub struct FragmentEncoder {
    /// Body bytes not yet sent.
    remaining: u64,
    /// Bytes of the open fragment not yet sent.
    fragment_left: u64,
    /// Whether a fragment was started whose `\r\n` is not yet written.
    open: bool,
}

impl FragmentEncoder {
    /// Appends `0 OK` and starts a body of `size` bytes. Call it only after
    /// [`check_range`](crate::check_range) passed.
    pub fn begin(size: u64, out: &mut Vec<u8>) -> Self {
        Code::Ok.write_line(out);
        Self {
            remaining: size,
            fragment_left: 0,
            open: false,
        }
    }

    /// Body bytes still to be sent.
    #[must_use]
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Bytes of the open fragment still to be sent: 0 when the next
    /// fragment may start.
    #[must_use]
    pub const fn fragment_left(&self) -> u64 {
        self.fragment_left
    }

    /// Appends the length line of the next fragment, `len` bytes long
    /// (after the previous fragment's `\r\n`). A length of 0 writes
    /// nothing: the empty fragment is the terminator, which only
    /// [`finish`](Self::finish) writes.
    ///
    /// Refuses a fragment longer than what is left of the body
    /// ([`Misuse::Overfed`]), or one started before the previous one's
    /// bytes were all sent ([`Misuse::FragmentOpen`]), changing nothing.
    pub fn start_fragment(&mut self, len: u64, out: &mut Vec<u8>) -> Result<(), Misuse> {
        if self.fragment_left > 0 {
            return Err(Misuse::FragmentOpen {
                left: self.fragment_left,
            });
        }
        let extra = len.saturating_sub(self.remaining);
        if extra > 0 {
            return Err(Misuse::Overfed { extra });
        }
        if len == 0 {
            return Ok(());
        }
        self.end_open_fragment(out);
        write_decimal(len, out);
        out.push(b' ');
        self.fragment_left = len;
        self.open = true;
        Ok(())
    }

    /// Counts `len` bytes of the open fragment as sent; refuses more than
    /// it announced ([`Misuse::Overfed`]), changing nothing.
    pub fn sent(&mut self, len: u64) -> Result<(), Misuse> {
        let extra = len.saturating_sub(self.fragment_left);
        if extra > 0 {
            return Err(Misuse::Overfed { extra });
        }
        self.fragment_left -= len;
        self.remaining -= len;
        Ok(())
    }

    /// Appends `data` as one whole fragment: its length line and its bytes.
    /// Refuses as [`start_fragment`](Self::start_fragment) does.
    pub fn encode(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), Misuse> {
        self.start_fragment(data.len() as u64, out)?;
        out.extend_from_slice(data);
        self.sent(data.len() as u64)
    }

    /// Ends the body: the last fragment's `\r\n` and the terminator, or
    /// [`BodyError::Truncated`] if announced bytes were never sent.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<(), BodyError> {
        if self.remaining > 0 {
            return Err(BodyError::Truncated {
                missing: self.remaining,
            });
        }
        self.end_open_fragment(out);
        out.extend_from_slice(TERMINATOR);
        Ok(())
    }

    /// Appends the `\r\n` that ends the open fragment, if one is open.
    fn end_open_fragment(&mut self, out: &mut Vec<u8>) {
        if core::mem::take(&mut self.open) {
            out.extend_from_slice(EOL);
        }
    }
}

/// Where a [`FragmentDecoder`] is in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// A length line: the digits so far and their value.
    Length { value: u64, digits: u8 },
    /// A fragment's bytes, `left` of them still due.
    Data { left: u64 },
    /// The `\r` after a fragment's bytes, or after the terminator's space.
    Cr { terminator: bool },
    /// The `\n` after it.
    Lf { terminator: bool },
    /// The terminator came, after exactly the bytes asked.
    Done,
}

/// The client side of a fragment body: checks its framing as it streams,
/// hands the fragments' bytes over (copied into the caller's buffer by
/// [`decode`](Self::decode), or taken straight from the caller's input
/// with [`take_data`](Self::take_data)), and checks that exactly `size`
/// bytes arrive before the terminator. Its state is a few words, whatever
/// the fragment sizes.
///
/// ```
/// use hftp_proto::FragmentDecoder;
/// let mut body = FragmentDecoder::new(14);
/// let mut out = [0; 64];
/// let progress = body.decode(b"10 calor que \r\n4 hace\r\n0 \r\n", &mut out)?;
/// assert!(progress.done);
/// assert_eq!(&out[..progress.produced], b"calor que hace");
/// # Ok::<(), hftp_proto::ProtocolError>(())
/// ```
#[derive(Clone, Debug)]
pub struct FragmentDecoder {
    /// Body bytes not yet received.
    remaining: u64,
    part: Part,
}

impl FragmentDecoder {
    /// The most digits a fragment length may have: any `u64`.
    pub const MAX_LENGTH_DIGITS: u8 = 20;

    /// A decoder for a body of `size` bytes.
    #[must_use]
    pub const fn new(size: u64) -> Self {
        Self {
            remaining: size,
            part: Part::Length {
                value: 0,
                digits: 0,
            },
        }
    }

    /// Body bytes still expected.
    #[must_use]
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// True once the terminator came after exactly the bytes asked.
    #[must_use]
    pub const fn is_done(&self) -> bool {
        matches!(self.part, Part::Done)
    }

    /// While a fragment's bytes are due, how many are still to come;
    /// `None` while framing bytes are due.
    #[must_use]
    pub const fn data_due(&self) -> Option<u64> {
        match self.part {
            Part::Data { left } => Some(left),
            _ => None,
        }
    }

    /// Takes fragment bytes straight from the caller's input, without a
    /// copy: of `available` bytes at the front of the input, returns how
    /// many are the current fragment's (use those, then feed the rest to
    /// [`decode`](Self::decode)). Outside a fragment's bytes this takes
    /// nothing.
    pub fn take_data(&mut self, available: usize) -> usize {
        let Part::Data { left } = self.part else {
            return 0;
        };
        let taken = usize::try_from(left).map_or(available, |left| left.min(available));
        self.count(left, taken as u64);
        taken
    }

    /// Decodes from `input` until it is used, the body ends, or a
    /// fragment's bytes are due and `out` is full; fragment bytes are
    /// copied to the front of `out`.
    pub fn decode(&mut self, input: &[u8], out: &mut [u8]) -> Result<BodyProgress, ProtocolError> {
        let (mut consumed, mut produced) = (0, 0);
        while consumed < input.len() && !self.is_done() {
            if let Part::Data { left } = self.part {
                let room = out.len() - produced;
                let len = usize::try_from(left)
                    .map_or(room, |left| left.min(room))
                    .min(input.len() - consumed);
                if len == 0 {
                    break; // `out` is full
                }
                out[produced..produced + len].copy_from_slice(&input[consumed..consumed + len]);
                self.count(left, len as u64);
                consumed += len;
                produced += len;
                continue;
            }
            self.frame(input[consumed])?;
            consumed += 1;
        }
        Ok(BodyProgress {
            consumed,
            produced,
            done: self.is_done(),
        })
    }

    /// Counts `len` of the `left` bytes of the current fragment.
    fn count(&mut self, left: u64, len: u64) {
        self.remaining -= len;
        self.part = match left - len {
            0 => Part::Cr { terminator: false },
            left => Part::Data { left },
        };
    }

    /// Takes one framing byte.
    fn frame(&mut self, byte: u8) -> Result<(), ProtocolError> {
        self.part = match (self.part, byte) {
            (Part::Length { value, digits }, b'0'..=b'9') => {
                let value = value
                    .checked_mul(10)
                    .and_then(|value| value.checked_add(u64::from(byte - b'0')))
                    .filter(|_| digits < Self::MAX_LENGTH_DIGITS)
                    .ok_or(ProtocolError::BadFragmentLength)?;
                Part::Length {
                    value,
                    digits: digits + 1,
                }
            }
            (Part::Length { digits: 0, .. }, _) => return Err(ProtocolError::BadFragmentLength),
            (Part::Length { value: 0, .. }, b' ') => Part::Cr { terminator: true },
            (Part::Length { value, .. }, b' ') if value > self.remaining => {
                return Err(ProtocolError::BodyTooLong);
            }
            (Part::Length { value, .. }, b' ') => Part::Data { left: value },
            (Part::Length { .. }, _) => return Err(ProtocolError::BadFragmentLength),
            (Part::Cr { terminator }, b'\r') => Part::Lf { terminator },
            (Part::Lf { terminator: false }, b'\n') => Part::Length {
                value: 0,
                digits: 0,
            },
            (Part::Lf { terminator: true }, b'\n') if self.remaining > 0 => {
                return Err(ProtocolError::BodyTooShort {
                    missing: self.remaining,
                });
            }
            (Part::Lf { terminator: true }, b'\n') => Part::Done,
            (Part::Cr { .. } | Part::Lf { .. }, _) => return Err(ProtocolError::BadLineEnd),
            // `decode` handles data and stops when done.
            (Part::Data { .. } | Part::Done, _) => self.part,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_body_is_never_finished() {
        let mut out = Vec::new();
        let mut body = FragmentEncoder::begin(5, &mut out);
        body.start_fragment(5, &mut out).expect("fits");
        body.sent(3).expect("part of it");
        assert_eq!(
            body.start_fragment(1, &mut out),
            Err(Misuse::FragmentOpen { left: 2 })
        );
        assert_eq!(body.sent(3), Err(Misuse::Overfed { extra: 1 }));
        assert_eq!(
            body.finish(&mut out),
            Err(BodyError::Truncated { missing: 2 })
        );
        assert_eq!(out, b"0 OK\r\n5 ", "no terminator");
    }

    #[test]
    fn an_empty_body_is_the_terminator_alone() {
        let mut out = Vec::new();
        let mut body = FragmentEncoder::begin(0, &mut out);
        body.start_fragment(0, &mut out).expect("nothing to write");
        assert_eq!(
            body.start_fragment(1, &mut out),
            Err(Misuse::Overfed { extra: 1 })
        );
        body.finish(&mut out).expect("complete");
        assert_eq!(out, b"0 OK\r\n0 \r\n");
    }

    #[test]
    fn data_is_taken_without_a_copy_and_framing_is_checked() {
        let input = b"3 a\r\n\r\n0 \r\n";
        let mut body = FragmentDecoder::new(3);
        let progress = body.decode(input, &mut []).expect("the length line");
        assert_eq!((progress.consumed, body.data_due()), (2, Some(3)));
        assert_eq!(body.take_data(10), 3);
        assert_eq!(body.take_data(10), 0, "framing is due");
        let rest = &input[5..];
        let progress = body.decode(rest, &mut []).expect("the end");
        assert!(progress.done && progress.consumed == rest.len());
    }
}
