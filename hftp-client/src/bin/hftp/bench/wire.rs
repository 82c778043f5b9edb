//! One benchmark connection: requests out through hftp_proto, replies
//! decoded as they stream, raw bodies taken without a copy.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use hftp_proto::{ClientConfig, ClientConnection, Code, Event, Request};

/// A reply step, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// A status line.
    Status(Code),
    /// One name of a listing or `help`.
    Name(String),
    /// The end of a listing or `help`.
    ListEnd,
    /// A `get_metadata` size.
    Size(u64),
    /// The end of a slice body.
    BodyEnd,
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

/// A benchmark connection.
pub(crate) struct Wire {
    stream: TcpStream,
    client: ClientConnection,
    input: Vec<u8>,
    start: usize,
    end: usize,
    out: Vec<u8>,
    requests: Vec<u8>,
}

impl Wire {
    /// Connects, with `timeout` for the connect and every read and write.
    pub(crate) fn connect(addr: SocketAddr, timeout: Duration) -> io::Result<Self> {
        let stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        Ok(Self::new(stream, 256 * 1024))
    }

    /// Wraps a connected stream with read and body buffers of `buffer`
    /// bytes.
    pub(crate) fn new(stream: TcpStream, buffer: usize) -> Self {
        Self {
            stream,
            client: ClientConnection::new(&ClientConfig::default()),
            input: vec![0; buffer],
            start: 0,
            end: 0,
            out: vec![0; buffer],
            requests: Vec::new(),
        }
    }

    /// Queues a request; [`flush`](Self::flush) sends what is queued.
    pub(crate) fn queue(&mut self, request: &Request<'_>) -> io::Result<()> {
        self.client
            .send(request, &mut self.requests)
            .map_err(io::Error::other)
    }

    /// Sends the queued requests in one write.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.stream.write_all(&self.requests)?;
        self.requests.clear();
        Ok(())
    }

    /// Replies still due.
    pub(crate) fn pending(&self) -> usize {
        self.client.pending()
    }

    /// The next reply step; slice body bytes go to `body` as they come.
    /// An error is a wrong answer (or a lost connection).
    pub(crate) fn next(&mut self, body: &mut dyn FnMut(&[u8])) -> io::Result<Step> {
        loop {
            if self.start == self.end {
                self.fill()?;
            }
            if let Some(step) = self.step(body)? {
                return Ok(step);
            }
        }
    }

    /// Like [`next`](Self::next) on a non-blocking socket: `None` when
    /// no step is complete and nothing more can be read now.
    pub(crate) fn try_next(&mut self, body: &mut dyn FnMut(&[u8])) -> io::Result<Option<Step>> {
        loop {
            if self.start == self.end {
                match self.fill() {
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Ok(None),
                    other => other?,
                }
            }
            if let Some(step) = self.step(body)? {
                return Ok(Some(step));
            }
        }
    }

    /// Makes the socket non-blocking (for [`try_next`](Self::try_next)).
    pub(crate) fn set_nonblocking(&self) -> io::Result<()> {
        self.stream.set_nonblocking(true)
    }

    /// The socket, to wait for it to become readable.
    pub(crate) const fn socket(&self) -> &TcpStream {
        &self.stream
    }

    /// Reads more reply bytes.
    fn fill(&mut self) -> io::Result<()> {
        let read = self.stream.read(&mut self.input)?;
        if read == 0 {
            self.client.receive_eof().map_err(io::Error::other)?;
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        (self.start, self.end) = (0, read);
        Ok(())
    }

    /// Decodes what is buffered; a step if one completed.
    fn step(&mut self, body: &mut dyn FnMut(&[u8])) -> io::Result<Option<Step>> {
        let input = &self.input[self.start..self.end];
        if self.client.raw_remaining().is_some() {
            let (taken, event) = self.client.take_raw(input.len());
            body(&input[..taken]);
            self.start += taken;
            return Ok(event.map(Step::from));
        }
        let received = self
            .client
            .decode(input, &mut self.out)
            .map_err(io::Error::other)?;
        self.start += received.consumed;
        body(&self.out[..received.produced]);
        Ok(received.event.map(Step::from))
    }

    /// Sends one request and waits for its whole reply; returns its
    /// steps, bodies counted into `body`.
    pub(crate) fn ask(
        &mut self,
        request: &Request<'_>,
        body: &mut dyn FnMut(&[u8]),
    ) -> io::Result<Vec<Step>> {
        self.queue(request)?;
        self.flush()?;
        let mut steps = Vec::new();
        let due = self.pending();
        while self.pending() >= due && self.pending() > 0 {
            steps.push(self.next(body)?);
        }
        Ok(steps)
    }

    /// The size of `name`, by `get_metadata`.
    pub(crate) fn size_of(&mut self, name: &str) -> io::Result<u64> {
        let steps = self.ask(&Request::Metadata { name }, &mut |_| {})?;
        match steps.as_slice() {
            [Step::Status(Code::Ok), Step::Size(size)] => Ok(*size),
            [Step::Status(code)] => Err(io::Error::other(format!("{name}: {code}"))),
            other => Err(io::Error::other(format!(
                "{name}: unexpected reply {other:?}"
            ))),
        }
    }
}
