//! The read and write loop every client of this crate shares: requests
//! queued through the core, sent in one write, and replies read back as
//! owned steps, body bytes streamed to a sink as they are decoded.

use std::io::{self, Read, Write};
use std::time::Duration;

use hftp_proto::{ClientConfig, ClientConnection, Code, Event, ProtocolError, Request};

use crate::foreign::GREETING;
use crate::name::{NameProblem, why_not_a_name};
use crate::{Error, Foreign};

/// The error for a request that cannot be encoded: its name is bad, for
/// a reason [`why_not_a_name`] puts in words (it covers every name the
/// encoder refuses: empty, a space, a line end).
pub(crate) fn unsendable(request: &Request<'_>) -> Error {
    let name = request.name().unwrap_or_default();
    Error::BadName {
        name: name.to_owned(),
        reason: why_not_a_name(name).unwrap_or(NameProblem::Other),
    }
}

/// A step of a reply, owned, so it outlives the decoder's borrow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// A status line.
    Status(Code),
    /// One name of a listing or of `help`.
    Name(String),
    /// The end of a listing or of `help`.
    ListEnd,
    /// A `get_metadata` size.
    Size(u64),
    /// The end of a slice body.
    BodyEnd,
    /// The server closed the connection where it may: no reply was due.
    Closed,
}

impl From<Event<'_>> for Step {
    fn from(event: Event<'_>) -> Self {
        match event {
            Event::Status(code) => Self::Status(code),
            Event::Name(name) => Self::Name(name.to_owned()),
            Event::ListEnd => Self::ListEnd,
            Event::Size(size) => Self::Size(size),
            Event::BodyEnd => Self::BodyEnd,
        }
    }
}

/// A sink for body bytes; replies without a body never call it.
pub(crate) type BodySink<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), Error>;

/// Body bytes where none are due: the core never produces them.
pub(crate) fn no_body(_: &[u8]) -> Result<(), Error> {
    Ok(())
}

/// One connection's buffers and protocol state around its stream.
pub(crate) struct Pipeline<S> {
    stream: S,
    conn: ClientConnection,
    requests: Vec<u8>,
    input: Box<[u8]>,
    start: usize,
    end: usize,
    body: Box<[u8]>,
    /// The timeouts set on the socket, for error messages; unknown for a
    /// stream the caller opened.
    timeouts: Timeouts,
    /// The first bytes received, until a reply step completes: what a
    /// server that is not an HFTP server looks like.
    greeting: Vec<u8>,
    /// A reply step completed: the server speaks HFTP.
    answered: bool,
    /// The server as the caller named it, for error messages.
    server: Option<String>,
}

/// The read and write timeouts a stream was given, as far as known.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Timeouts {
    /// Between reads while a reply is due.
    pub(crate) read: Option<Duration>,
    /// For a write to be taken.
    pub(crate) write: Option<Duration>,
}

impl<S> Pipeline<S> {
    /// Records the timeouts set on the stream, for error messages.
    pub(crate) const fn set_timeouts(&mut self, timeouts: Timeouts) {
        self.timeouts = timeouts;
    }

    /// Records the server's name, for error messages.
    pub(crate) fn set_server(&mut self, server: &str) {
        self.server = Some(server.to_owned());
    }

    /// The stream.
    pub(crate) const fn stream(&self) -> &S {
        &self.stream
    }

    /// Replies still due.
    pub(crate) fn pending(&self) -> usize {
        self.conn.pending()
    }

    /// True once the core saw the connection end (a fatal code, `quit`).
    pub(crate) fn is_ended(&self) -> bool {
        self.conn.is_ended()
    }
}

impl<S: Read + Write> Pipeline<S> {
    /// Wraps `stream` with a read and a body buffer of `buffer` bytes each.
    pub(crate) fn new(stream: S, config: &ClientConfig, buffer: usize) -> Self {
        Self {
            stream,
            conn: ClientConnection::new(config),
            requests: Vec::new(),
            input: vec![0; buffer].into_boxed_slice(),
            start: 0,
            end: 0,
            body: vec![0; buffer].into_boxed_slice(),
            timeouts: Timeouts::default(),
            greeting: Vec::new(),
            answered: false,
            server: None,
        }
    }

    /// Encodes a request into the output buffer; [`flush`](Self::flush)
    /// sends it.
    pub(crate) fn queue(&mut self, request: &Request<'_>) -> Result<(), Error> {
        self.conn
            .send(request, &mut self.requests)
            .map_err(|_| unsendable(request))
    }

    /// Sends the queued requests in one write.
    pub(crate) fn flush(&mut self) -> Result<(), Error> {
        if self.requests.is_empty() {
            return Ok(());
        }
        let sent = self
            .stream
            .write_all(&self.requests)
            .and_then(|()| self.stream.flush());
        self.requests.clear();
        sent.map_err(|error| Error::network(error, self.timeouts.write))
    }

    /// Feeds received bytes to the core until it yields a step; body bytes
    /// go to `sink` as they are decoded. Raw body bytes go to `sink`
    /// straight from the input buffer, without a copy.
    ///
    /// Before the first reply, an error that the first bytes explain as
    /// another protocol's (or as no byte at all) is [`Error::NotHftp`].
    pub(crate) fn next_step(&mut self, sink: BodySink<'_>) -> Result<Step, Error> {
        let step = self.next_step_raw(sink);
        if self.answered {
            return step;
        }
        step.map_err(|error| self.foreign(error))
    }

    /// [`next_step`](Self::next_step), errors as they came.
    fn next_step_raw(&mut self, sink: BodySink<'_>) -> Result<Step, Error> {
        loop {
            if let Some(step) = self.step(sink)? {
                self.answered = true;
                return Ok(step);
            }
            if !self.fill()? {
                return Ok(Step::Closed);
            }
        }
    }

    /// `error`, before any reply: [`Error::NotHftp`] when the first bytes
    /// look like another protocol's, or when none came before the
    /// connection ended.
    fn foreign(&self, error: Error) -> Error {
        let explained = match &error {
            Error::Protocol(_) | Error::Disconnected => true,
            Error::Network(source) => matches!(
                source.kind(),
                io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted
            ),
            _ => false,
        };
        match Foreign::of(&self.greeting) {
            Some(looks) if explained => Error::NotHftp {
                server: self.server.clone(),
                looks,
            },
            _ => error,
        }
    }

    /// Like [`next_step`](Self::next_step) on a non-blocking stream:
    /// `None` when no step is complete and nothing more can be read now.
    #[cfg(feature = "bench")]
    pub(crate) fn try_next_step(&mut self, sink: BodySink<'_>) -> Result<Option<Step>, Error> {
        loop {
            if let Some(step) = self.step(sink)? {
                self.answered = true;
                return Ok(Some(step));
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) => return Ok(Some(Step::Closed)),
                Err(Error::Timeout(_)) => return Ok(None),
                Err(error) => return Err(error),
            }
        }
    }

    /// Decodes what is buffered; a step if one completed. `None` once the
    /// buffer is used up.
    fn step(&mut self, sink: BodySink<'_>) -> Result<Option<Step>, Error> {
        while self.start < self.end {
            let (taken, end) = self.conn.take_raw(self.end - self.start);
            if taken > 0 {
                sink(&self.input[self.start..self.start + taken])?;
                self.start += taken;
            }
            if let Some(end) = end {
                return Ok(Some(Step::from(end)));
            }
            if taken > 0 {
                continue;
            }
            let received = self
                .conn
                .decode(&self.input[self.start..self.end], &mut self.body)?;
            let (consumed, produced) = (received.consumed, received.produced);
            let step = received.event.map(Step::from);
            self.start += consumed;
            if produced > 0 {
                sink(&self.body[..produced])?;
            }
            if step.is_some() {
                return Ok(step);
            }
        }
        Ok(None)
    }

    /// Reads more bytes; false at a clean end of stream.
    fn fill(&mut self) -> Result<bool, Error> {
        loop {
            match self.stream.read(&mut self.input) {
                Ok(0) => {
                    return match self.conn.receive_eof() {
                        Ok(()) => Ok(false),
                        Err(ProtocolError::Truncated { .. }) => Err(Error::Disconnected),
                        Err(other) => Err(other.into()),
                    };
                }
                Ok(read) => {
                    if !self.answered && self.greeting.len() < GREETING {
                        let keep = read.min(GREETING - self.greeting.len());
                        self.greeting.extend_from_slice(&self.input[..keep]);
                    }
                    (self.start, self.end) = (0, read);
                    return Ok(true);
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(Error::network(error, self.timeouts.read)),
            }
        }
    }
}
