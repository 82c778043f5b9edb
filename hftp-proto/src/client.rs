//! The client side: requests out, replies in, each reply framed by the
//! command that asked for it.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::body::{BodyDecoder, BodyProgress};
use crate::code::Code;
use crate::config::{ClientConfig, Framing};
use crate::error::ProtocolError;
use crate::fragment::FragmentDecoder;
use crate::name::check_name;
use crate::request::{EncodeError, Form, Request};
use crate::wire::CONTENT_LENGTH;

/// One step of a reply, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// The status line of the oldest pending reply. Any code but `0`
    /// completes that reply; after a fatal one the server closes.
    Status(Code),
    /// One name of a listing or of the `help` reply, already checked by
    /// rule 5 (valid UTF-8, at most 255 bytes, no `/`, no control
    /// character, not `.` or `..`): safe to use as one path component.
    Name(&'a str),
    /// The empty line that ends a listing or a `help` reply.
    ListEnd,
    /// The size in a `get_metadata` reply.
    Size(u64),
    /// A slice body ended with exactly the bytes asked.
    BodyEnd,
}

/// The result of feeding reply bytes to a [`ClientConnection`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub struct Received<'a> {
    /// Input bytes used; feed the rest again.
    pub consumed: usize,
    /// Slice body bytes written to the front of the output buffer.
    pub produced: usize,
    /// The step completed, if any.
    pub event: Option<Event<'a>>,
    /// True when that step completed its reply: a status other than `0`,
    /// the `0` that answers `quit`, the end of a listing, a size, the end
    /// of a body. The next bytes belong to the next reply.
    pub complete: bool,
}

/// An event before it borrows the line.
#[derive(Clone, Copy, Debug)]
enum Step {
    Status(Code),
    Name,
    ListEnd,
    Size(u64),
    BodyEnd,
}

/// What the oldest pending request expects.
#[derive(Clone, Copy, Debug)]
enum Expect {
    Names,
    Size,
    Slice { size: u64, form: Form },
    Quit,
}

/// Where the current reply is.
#[derive(Clone, Debug)]
enum State {
    Status,
    Names,
    Size,
    Header {
        size: u64,
    },
    Blank {
        size: u64,
    },
    Raw {
        remaining: u64,
    },
    /// The start of a plain slice body, whose first bytes tell its
    /// framing (rule 12).
    Sniff {
        size: u64,
        held: Held,
    },
    /// A base64 body; `replay` holds digits taken while sniffing, still to
    /// be decoded.
    Base64 {
        decoder: BodyDecoder,
        replay: Held,
    },
    Fragments(FragmentDecoder),
    /// After a fatal code, the reply to `quit` or the end of the stream.
    Ended,
    /// The server broke the protocol: every later call returns this.
    Failed(ProtocolError),
}

/// The digits a plain slice body starts with, held until a byte tells
/// its framing (rule 12): a space after 1 to 20 digits starts a fragment
/// (no base64 line holds a space); anything else, or a 21st digit (no
/// fragment length is that long), is base64.
#[derive(Clone, Copy, Debug, Default)]
struct Held {
    bytes: [u8; Self::CAPACITY],
    start: usize,
    end: usize,
}

impl Held {
    /// One digit more than a fragment length can have.
    const CAPACITY: usize = FragmentDecoder::MAX_LENGTH_DIGITS as usize + 1;

    /// The digits not yet replayed.
    fn rest(&self) -> &[u8] {
        &self.bytes[self.start..self.end]
    }

    /// Holds one more digit; true once full.
    fn push(&mut self, digit: u8) -> bool {
        self.bytes[self.end] = digit;
        self.end += 1;
        self.end == Self::CAPACITY
    }
}

/// One client-side HFTP connection, without I/O.
///
/// - inputs: [`send`](Self::send) encodes a request and queues the reply
///   it expects (requests may be pipelined); [`decode`](Self::decode)
///   feeds reply bytes; [`receive_eof`](Self::receive_eof) says the server
///   closed;
/// - getters: [`pending`](Self::pending), [`is_ended`](Self::is_ended).
///
/// Every line is bounded by [`ClientConfig::max_line_len`]; bodies are
/// decoded as they stream and checked against the size asked (rule 11).
/// Errors are sticky: after one, `decode` and `receive_eof` return it.
#[derive(Clone, Debug)]
pub struct ClientConnection {
    max_line_len: usize,
    /// The framing plain slice bodies are held to, if any.
    expected_framing: Option<Framing>,
    /// The framing of the last plain slice body, once known.
    framing: Option<Framing>,
    pending: VecDeque<Expect>,
    state: State,
    line: Vec<u8>,
    line_done: bool,
}

impl ClientConnection {
    /// A connection with nothing sent yet.
    #[must_use]
    pub fn new(config: &ClientConfig) -> Self {
        Self {
            max_line_len: config.max_line_len,
            expected_framing: config.framing,
            framing: None,
            pending: VecDeque::new(),
            state: State::Status,
            line: Vec::new(),
            line_done: false,
        }
    }

    /// Replies still due, the one in progress included.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The framing of the last plain (not `raw`) slice body, once its
    /// first bytes told it (rule 12): how the server frames such bodies.
    #[must_use]
    pub const fn framing(&self) -> Option<Framing> {
        self.framing
    }

    /// True after a fatal code or the reply to `quit`: only the end of the
    /// stream may follow.
    #[must_use]
    pub const fn is_ended(&self) -> bool {
        matches!(self.state, State::Ended)
    }

    /// Appends the request to `out` and queues the reply it expects.
    pub fn send(&mut self, request: &Request<'_>, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        request.encode(out)?;
        self.pending.push_back(match *request {
            Request::FileListing | Request::Help => Expect::Names,
            Request::Metadata { .. } => Expect::Size,
            Request::Slice { size, form, .. } => Expect::Slice { size, form },
            Request::Quit => Expect::Quit,
        });
        Ok(())
    }

    /// Feeds reply bytes. Stops at the first event, when `out` is full, or
    /// when the input is used. Slice body bytes go to the front of `out`,
    /// which may have any length: with input left and room in `out`, every
    /// call consumes, produces or completes something. While body bytes are
    /// due, an empty `out` may stop with nothing done: give it room, or take
    /// raw bytes with [`take_raw`](Self::take_raw).
    pub fn decode(&mut self, input: &[u8], out: &mut [u8]) -> Result<Received<'_>, ProtocolError> {
        if let State::Failed(error) = self.state {
            return Err(error);
        }
        let due = self.pending.len();
        match self.step(input, out) {
            Ok((consumed, produced, step)) => {
                let complete = self.pending.len() < due;
                let event = step.map(|step| match step {
                    Step::Status(code) => Event::Status(code),
                    // `on_line` checked the name by rule 5, so it is UTF-8.
                    Step::Name => Event::Name(core::str::from_utf8(&self.line).unwrap_or_default()),
                    Step::ListEnd => Event::ListEnd,
                    Step::Size(size) => Event::Size(size),
                    Step::BodyEnd => Event::BodyEnd,
                });
                Ok(Received {
                    consumed,
                    produced,
                    event,
                    complete,
                })
            }
            Err(error) => {
                self.state = State::Failed(error);
                Err(error)
            }
        }
    }

    /// While raw body bytes are due (of a `raw` slice body, or of a
    /// fragment of a fragment body, rule 12), how many of them are still
    /// to come before anything else; `None` otherwise.
    #[must_use]
    pub const fn raw_remaining(&self) -> Option<u64> {
        match &self.state {
            State::Raw { remaining } => Some(*remaining),
            State::Fragments(body) => body.data_due(),
            _ => None,
        }
    }

    /// Takes raw body bytes straight from the caller's input, without the
    /// copy into an output buffer that [`decode`](Self::decode) makes: of
    /// `available` bytes at the front of the input, returns how many belong
    /// to the body (write those to the sink, then feed the rest to
    /// `decode`) and [`Event::BodyEnd`] if they end it. While no raw bytes
    /// are due ([`raw_remaining`](Self::raw_remaining) is `None`) this
    /// takes nothing. A fragment body ends with framing bytes, so its
    /// [`Event::BodyEnd`] comes from `decode`.
    ///
    /// ```
    /// use hftp_proto::{ClientConfig, ClientConnection, Event, Form, Request};
    /// let mut client = ClientConnection::new(&ClientConfig::default());
    /// let slice = Request::Slice { name: "a", offset: 0, size: 3, form: Form::Raw };
    /// client.send(&slice, &mut Vec::new())?;
    /// let input = b"0 OK\r\nContent-Length: 3\r\n\r\nabc0 OK\r\n";
    /// let status = client.decode(input, &mut [])?;
    /// assert_eq!(status.event, Some(Event::Status(hftp_proto::Code::Ok)));
    /// let at = status.consumed;
    /// let at = at + client.decode(&input[at..], &mut [])?.consumed;
    /// assert_eq!(client.raw_remaining(), Some(3));
    /// assert_eq!(client.take_raw(input.len() - at), (3, Some(Event::BodyEnd)));
    /// assert_eq!(&input[at..at + 3], b"abc");
    /// assert_eq!(client.take_raw(5), (0, None), "no raw body is due now");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn take_raw(&mut self, available: usize) -> (usize, Option<Event<'static>>) {
        if let State::Fragments(body) = &mut self.state {
            return (body.take_data(available), None);
        }
        let State::Raw { remaining } = self.state else {
            return (0, None);
        };
        let taken = usize::try_from(remaining).map_or(available, |r| r.min(available));
        let remaining = remaining - taken as u64;
        self.state = State::Raw { remaining };
        if remaining > 0 {
            return (taken, None);
        }
        self.reply_done();
        (taken, Some(Event::BodyEnd))
    }

    /// The server closed the connection: fine only between replies, with
    /// none due (or with only the reply to `quit` due, which some servers
    /// skip).
    pub fn receive_eof(&mut self) -> Result<(), ProtocolError> {
        if let State::Failed(error) = self.state {
            return Err(error);
        }
        let between = matches!(self.state, State::Status) && self.line.is_empty() || self.line_done;
        let only_quit = self
            .pending
            .iter()
            .all(|expect| matches!(expect, Expect::Quit));
        if self.is_ended() || between && only_quit {
            self.state = State::Ended;
            return Ok(());
        }
        let error = ProtocolError::Truncated {
            pending: self.pending.len(),
        };
        self.state = State::Failed(error);
        Err(error)
    }

    /// Runs states until one yields an event, `out` is full or the input
    /// is used; returns the input used, the body bytes made and the event.
    fn step(
        &mut self,
        input: &[u8],
        out: &mut [u8],
    ) -> Result<(usize, usize, Option<Step>), ProtocolError> {
        let mut consumed = 0;
        loop {
            let rest = &input[consumed..];
            match &mut self.state {
                &mut State::Raw { remaining } => {
                    return Ok(self.copy_raw(remaining, rest, out, consumed));
                }
                State::Sniff { .. } if rest.is_empty() => return Ok((consumed, 0, None)),
                State::Sniff { size, held } => {
                    let size = *size;
                    let mut held = *held;
                    consumed += self.sniff(size, &mut held, rest)?;
                    continue;
                }
                State::Base64 { decoder, replay } => {
                    if !replay.rest().is_empty() {
                        let progress = decoder.decode(replay.rest(), out)?;
                        replay.start += progress.consumed;
                        if progress.produced > 0 || !replay.rest().is_empty() {
                            return Ok((consumed, progress.produced, None));
                        }
                    }
                    let progress = decoder.decode(rest, out)?;
                    return Ok(self.body_progress(consumed, progress));
                }
                State::Fragments(body) => {
                    let progress = body.decode(rest, out)?;
                    return Ok(self.body_progress(consumed, progress));
                }
                State::Ended if !rest.is_empty() => return Err(ProtocolError::UnexpectedData),
                _ if rest.is_empty() => return Ok((consumed, 0, None)),
                State::Status if self.pending.is_empty() => {
                    return Err(ProtocolError::UnexpectedData);
                }
                _ => {}
            }
            let (used, complete) = self.read_line(rest)?;
            consumed += used;
            if let Some(step) = complete.then(|| self.on_line()).transpose()?.flatten() {
                return Ok((consumed, 0, Some(step)));
            }
        }
    }

    /// Where a body decoder's `progress` leaves the reply.
    fn body_progress(
        &mut self,
        consumed: usize,
        progress: BodyProgress,
    ) -> (usize, usize, Option<Step>) {
        if progress.done {
            self.reply_done();
        }
        (
            consumed + progress.consumed,
            progress.produced,
            progress.done.then_some(Step::BodyEnd),
        )
    }

    /// Looks at the first bytes of a plain slice body of `size` bytes,
    /// `held` the digits so far, until they tell its framing (unless the
    /// configuration fixed it); returns the input used. The byte that
    /// tells base64 is left for the decoder.
    fn sniff(&mut self, size: u64, held: &mut Held, rest: &[u8]) -> Result<usize, ProtocolError> {
        if let Some(framing) = self.expected_framing {
            self.begin_body(size, framing, *held)?;
            return Ok(0);
        }
        for (at, &byte) in rest.iter().enumerate() {
            let framing = match byte {
                b' ' if !held.rest().is_empty() => Framing::Fragments,
                b'0'..=b'9' if !held.push(byte) => continue,
                b'0'..=b'9' => Framing::Base64,
                _ => Framing::Base64,
            };
            let used = at + usize::from(byte.is_ascii_digit() || framing == Framing::Fragments);
            self.begin_body(size, framing, *held)?;
            return Ok(used);
        }
        self.state = State::Sniff { size, held: *held };
        Ok(rest.len())
    }

    /// Starts decoding a plain slice body of `size` bytes in `framing`,
    /// the digits in `held` (and, for fragments, a space) already taken.
    fn begin_body(&mut self, size: u64, framing: Framing, held: Held) -> Result<(), ProtocolError> {
        self.framing = Some(framing);
        self.state = match framing {
            Framing::Base64 => State::Base64 {
                decoder: BodyDecoder::new(size),
                replay: held,
            },
            Framing::Fragments => {
                let mut body = FragmentDecoder::new(size);
                if !held.rest().is_empty() {
                    let _ = body.decode(held.rest(), &mut [])?;
                    let _ = body.decode(b" ", &mut [])?;
                }
                State::Fragments(body)
            }
        };
        Ok(())
    }

    /// Copies raw body bytes into `out`.
    fn copy_raw(
        &mut self,
        remaining: u64,
        rest: &[u8],
        out: &mut [u8],
        consumed: usize,
    ) -> (usize, usize, Option<Step>) {
        let len = rest
            .len()
            .min(out.len())
            .min(usize::try_from(remaining).unwrap_or(usize::MAX));
        out[..len].copy_from_slice(&rest[..len]);
        let remaining = remaining - len as u64;
        self.state = State::Raw { remaining };
        if remaining == 0 {
            self.reply_done();
        }
        (
            consumed + len,
            len,
            (remaining == 0).then_some(Step::BodyEnd),
        )
    }

    /// Adds bytes to the current line; returns the bytes used and whether
    /// the line is complete (its `\r\n` stripped).
    fn read_line(&mut self, input: &[u8]) -> Result<(usize, bool), ProtocolError> {
        if self.line_done {
            self.line.clear();
            self.line_done = false;
        }
        let end = memchr::memchr(b'\n', input);
        let used = end.map_or(input.len(), |at| at + 1);
        self.line
            .extend_from_slice(&input[..end.unwrap_or(input.len())]);
        if self.line.len() > self.max_line_len.saturating_add(1) {
            return Err(ProtocolError::LineTooLong {
                limit: self.max_line_len,
            });
        }
        if end.is_none() {
            return Ok((used, false));
        }
        // The check above allowed one byte over the limit, for the `\r`.
        if self.line.pop() != Some(b'\r') || self.line.contains(&b'\r') {
            return Err(ProtocolError::BadLineEnd);
        }
        self.line_done = true;
        Ok((used, true))
    }

    /// Moves on after a complete line; returns its event, if it makes one.
    fn on_line(&mut self) -> Result<Option<Step>, ProtocolError> {
        let line = self.line.as_slice();
        let step = match self.state {
            State::Status => {
                let code = parse_status(line)?;
                self.on_status(code);
                Step::Status(code)
            }
            State::Names if line.is_empty() => {
                self.reply_done();
                Step::ListEnd
            }
            State::Names => {
                check_name(line).map_err(|_| ProtocolError::BadName)?;
                Step::Name
            }
            State::Size => {
                let size = parse_decimal(line).ok_or(ProtocolError::BadSize)?;
                self.reply_done();
                Step::Size(size)
            }
            State::Header { size } => {
                let announced = parse_content_length(line).ok_or(ProtocolError::BadHeader)?;
                if announced != size {
                    return Err(ProtocolError::LengthMismatch {
                        asked: size,
                        announced,
                    });
                }
                self.state = State::Blank { size };
                return Ok(None);
            }
            State::Blank { .. } if !line.is_empty() => return Err(ProtocolError::BadHeader),
            State::Blank { size: 0 } => {
                self.reply_done();
                Step::BodyEnd
            }
            State::Blank { size } => {
                self.state = State::Raw { remaining: size };
                return Ok(None);
            }
            State::Raw { .. }
            | State::Sniff { .. }
            | State::Base64 { .. }
            | State::Fragments(_)
            | State::Ended
            | State::Failed(_) => return Ok(None),
        };
        Ok(Some(step))
    }

    /// Moves to the body of the oldest pending reply, or past it.
    fn on_status(&mut self, code: Code) {
        let Some(&expect) = self.pending.front() else {
            return;
        };
        self.state = match (code, expect) {
            (Code::Ok, Expect::Names) => State::Names,
            (Code::Ok, Expect::Size) => State::Size,
            (
                Code::Ok,
                Expect::Slice {
                    size,
                    form: Form::Base64,
                },
            ) => State::Sniff {
                size,
                held: Held::default(),
            },
            (
                Code::Ok,
                Expect::Slice {
                    size,
                    form: Form::Raw,
                },
            ) => State::Header { size },
            (Code::Ok, Expect::Quit) => State::Ended,
            (code, _) if code.is_fatal() => State::Ended,
            _ => State::Status,
        };
        if !matches!(
            self.state,
            State::Names
                | State::Size
                | State::Header { .. }
                | State::Sniff { .. }
                | State::Base64 { .. }
                | State::Fragments(_)
        ) {
            self.pending.pop_front();
        }
    }

    /// The reply in progress is complete.
    fn reply_done(&mut self) {
        self.pending.pop_front();
        self.state = State::Status;
    }
}

/// `CODE TEXT`: a known decimal code, then a space and any text (servers
/// differ in their texts); a bare code is accepted too.
fn parse_status(line: &[u8]) -> Result<Code, ProtocolError> {
    let digits = line.split(|&b| b == b' ').next().unwrap_or_default();
    let number = parse_decimal(digits).ok_or(ProtocolError::BadStatusLine)?;
    let code = u16::try_from(number).ok().and_then(Code::from_number);
    code.ok_or(ProtocolError::UnknownCode(number))
}

/// Decimal digits only, at least one, fitting a `u64`.
fn parse_decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |value, &byte| {
        let digit = char::from(byte).to_digit(10)?;
        value.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// `Content-Length: N`, the header name in any case, spaces around `N`.
fn parse_content_length(line: &[u8]) -> Option<u64> {
    let (name, value) = line.split_at_checked(CONTENT_LENGTH.len())?;
    let value = value.strip_prefix(b":")?.trim_ascii();
    name.eq_ignore_ascii_case(CONTENT_LENGTH.as_bytes())
        .then(|| parse_decimal(value))?
}
