//! One client, on its own thread: read into a fixed buffer, feed the
//! core, answer what it yields, write.
//!
//! Every request already buffered is answered before the replies are
//! written, so a pipelined batch of small replies leaves in one write;
//! the served directory is looked up once per batch. Body buffers exist
//! only while a body is in flight, and the input buffer only while the
//! client is active: a connection in use blocks in `read` with it, and
//! one quiet for a second lets it go and waits in `poll` instead, so a
//! connection waiting for its client holds its socket, its thread's few
//! stack pages and a small output buffer.
//!
//! Waiting is bounded by the idle timeout, or less once a request line
//! has begun: the whole line must arrive within the request timeout,
//! however steadily its bytes trickle.

use std::fmt;
use std::io::{self, Read as _};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use hftp_proto::{Code, Fatal, Form, Item, Phase, Request, ServerConnection, check_range, reply};
use log::{debug, info, warn};

use crate::Lang;
use crate::body::{self, Ended, Sink};
use crate::files::{Batch, Opened};
use crate::proxied::{self, Preamble};
use crate::refusal::refuse;
use crate::registry::Ticket;
use crate::request_log::{self, Asked, Outcome};
use crate::shared::Shared;
use crate::text::{self, Text};

/// The input buffer: requests are parsed as they arrive, never buffered
/// whole, so this bounds memory, not line length.
const INPUT_LEN: usize = 8 * 1024;

/// Queued replies are written once they pass this, even mid-batch.
const FLUSH_AT: usize = 64 * 1024;

/// The output capacity an idle connection keeps.
const KEEP_OUT: usize = 16 * 1024;

/// After `quit` or a fatal code, how much unread input is drained at most
/// (for `Config::linger`) so that closing does not reset the connection
/// before the client reads the last reply.
const LINGER_BYTES: usize = 256 * 1024;

/// Why a connection ended.
#[derive(Debug)]
enum End {
    /// The client sent `quit`.
    Quit,
    /// The client closed its side; `cut` if that cut a request short.
    Eof { cut: bool },
    /// A fatal status was sent: for a fault of the request stream, or
    /// (`None`) because the server failed.
    Fatal(Code, Option<Fatal>),
    /// A body could not be completed (rule 8).
    Cut(String),
    /// The client sent nothing for the idle timeout.
    Idle,
    /// A request line took longer than the request timeout to arrive.
    RequestTimeout,
    /// Closed to make room for a newcomer while the server was full.
    Evicted,
    /// The client stopped reading for the send timeout.
    SendTimeout,
    /// The server is stopping.
    Stopping,
    /// The socket failed.
    Failed(io::Error),
}

/// In English: the request log's words are the same in every language.
impl fmt::Display for End {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.words(text::text(Lang::En)))
    }
}

impl End {
    /// Why the connection ended, in `text`'s words.
    fn words(&self, text: &dyn Text) -> String {
        match self {
            Self::Quit => text.end_quit(),
            Self::Eof { cut } => text.end_eof(*cut),
            Self::Fatal(code, fatal) => text.end_fatal(*code, *fatal),
            Self::Cut(why) => text.end_cut(why),
            Self::Idle => text.end_idle(),
            Self::RequestTimeout => text.end_request_timeout(),
            Self::Evicted => text.end_evicted(),
            Self::SendTimeout => text.end_send_timeout(),
            Self::Stopping => text.end_stopping(),
            Self::Failed(error) => text.end_failed(error),
        }
    }

    /// A failed write: a timeout means the client stopped reading.
    fn from_write(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Self::SendTimeout,
            _ => Self::Failed(error),
        }
    }

    /// Logs the end: timeouts at info, bodies cut short at warn, the
    /// rest at debug.
    fn log(&self, peer: SocketAddr, text: &dyn Text) {
        let closed = || text.closed(peer, &self.words(text));
        match self {
            // A fatal code was logged with its request, an eviction by the
            // newcomer's admission.
            Self::Quit
            | Self::Eof { .. }
            | Self::Stopping
            | Self::Fatal(..)
            | Self::Failed(_)
            | Self::Evicted => {
                debug!("{}", closed());
            }
            Self::Idle | Self::RequestTimeout | Self::SendTimeout => {
                info!("{}", closed());
            }
            Self::Cut(_) => warn!("{}", closed()),
        }
    }
}

/// Serves one client until it leaves, fails, or the server stops.
pub(crate) fn serve(stream: &TcpStream, peer: SocketAddr, shared: &Shared, ticket: Ticket) {
    let text = shared.text;
    debug!("{}", text.connected(peer));
    if let Err(error) = shared.configure(stream) {
        debug!("{}", text.setup_failed(peer, &error));
        return;
    }
    let (peer, preamble) = if shared.proxies.is_some() {
        let Some(preamble) = through_proxy(stream, peer, shared, &ticket) else {
            return;
        };
        (preamble.client, Some(preamble))
    } else {
        (peer, None)
    };
    let mut connection = Connection::new(stream, peer, shared, &ticket);
    if let Some(preamble) = preamble {
        connection.begin_with(preamble);
    }
    let end = connection.run();
    drop(connection);
    end.log(peer, text);
    if shared.sequential {
        // The next client in the queue is served now: this one is done,
        // only closing (a linger bounded in time and bytes). Otherwise
        // the ticket is kept through the linger, so that the connection
        // caps count a closing connection too.
        drop(ticket);
        close(stream, &end, shared.linger);
    } else {
        close(stream, &end, shared.linger);
        drop(ticket);
    }
}

/// Reads the PROXY header of a connection from `proxy`, and counts the
/// client it names against its address's cap. `None`, logged, if the
/// connection is to close: no valid header in time, or a client over its
/// share (answered `199`).
fn through_proxy(
    stream: &TcpStream,
    proxy: SocketAddr,
    shared: &Shared,
    ticket: &Ticket,
) -> Option<Preamble> {
    let timeout = shared.proxies.as_ref().and_then(|proxies| proxies.timeout);
    let preamble = match proxied::read_header(stream, proxy, timeout, INPUT_LEN) {
        Ok(preamble) => preamble,
        Err(failure) => {
            info!("{}", shared.text.closed(proxy, &failure.words(shared.text)));
            return None;
        }
    };
    let client = preamble.client;
    if let Err(refusal) = ticket.identify(client, shared.caps.per_address) {
        refuse(stream, client, shared.text, &refusal.words(shared.text));
        return None;
    }
    if let Err(error) = shared.configure(stream) {
        debug!("{}", shared.text.setup_failed(client, &error));
        return None;
    }
    debug!("{}", shared.text.connected_through(client, proxy));
    Some(preamble)
}

/// Waits until `stream` has input (or its end) for at most `timeout`
/// (`None`: forever); false if the time ran out.
fn wait_readable(stream: &TcpStream, timeout: Option<Duration>) -> io::Result<bool> {
    let timeout = timeout
        .map(rustix::event::Timespec::try_from)
        .transpose()
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let mut fds = [rustix::event::PollFd::new(
        stream,
        rustix::event::PollFlags::IN,
    )];
    Ok(rustix::event::poll(&mut fds, timeout.as_ref())? > 0)
}

/// Closes gracefully where the client must still read a last reply.
fn close(stream: &TcpStream, end: &End, linger_for: Duration) {
    match end {
        End::Quit | End::Fatal(..) | End::Stopping => linger(stream, linger_for),
        End::Idle | End::RequestTimeout | End::Evicted => {
            let _ = stream.shutdown(Shutdown::Write);
        }
        _ => {}
    }
}

/// Sends the end of the stream, then reads and drops what the client
/// still sends, for a bounded time: closing with unread input would reset
/// the connection and could destroy the reply before it is read.
fn linger(stream: &TcpStream, linger: Duration) {
    if stream.shutdown(Shutdown::Write).is_err()
        || linger.is_zero()
        || stream.set_read_timeout(Some(linger)).is_err()
    {
        return;
    }
    let deadline = Instant::now().checked_add(linger);
    // Small: this frame may be inlined into the one a waiting connection
    // sleeps under, and every page of stack it spans stays resident.
    let mut scrap = [0; 512];
    let mut drained = 0;
    let mut reader = stream;
    while drained < LINGER_BYTES && deadline.is_none_or(|deadline| Instant::now() < deadline) {
        match reader.read(&mut scrap) {
            Ok(0) | Err(_) => break,
            Ok(read) => drained += read,
        }
    }
}

/// A connection's state: the core, the input, the clock of its requests,
/// and the reply side.
struct Connection<'a> {
    proto: ServerConnection,
    /// The bytes read and not yet answered; empty once the connection has
    /// been quiet for a second.
    input: Vec<u8>,
    start: usize,
    end: usize,
    ticket: &'a Ticket,
    /// When the last read returned.
    read_at: Instant,
    /// When the request line now arriving began, if one is.
    line_started: Option<Instant>,
    /// Whether a request was answered since the connection last waited.
    answered: bool,
    replier: Replier<'a>,
}

impl<'a> Connection<'a> {
    fn new(
        stream: &'a TcpStream,
        peer: SocketAddr,
        shared: &'a Shared,
        ticket: &'a Ticket,
    ) -> Self {
        Self {
            proto: ServerConnection::new(&shared.proto),
            input: Vec::new(),
            start: 0,
            end: 0,
            ticket,
            read_at: Instant::now(),
            line_started: None,
            answered: false,
            replier: Replier {
                stream,
                peer,
                shared,
                out: Vec::new(),
                written: 0,
                batch: shared.directory.batch(),
            },
        }
    }

    /// Starts with the bytes that came after a PROXY header, if any.
    fn begin_with(&mut self, preamble: Preamble) {
        if preamble.start < preamble.end {
            (self.input, self.start, self.end) = (preamble.input, preamble.start, preamble.end);
            self.ticket.busy();
        }
    }

    /// Answers requests until the connection ends.
    fn run(&mut self) -> End {
        loop {
            if self.start == self.end
                && let Err(end) = self.replier.end_batch().and_then(|()| self.fill())
            {
                return end;
            }
            if let Some(end) = self.step() {
                return end;
            }
        }
    }

    /// Waits for more input, then reads it. A connection in use blocks in
    /// `read` (one system call per batch); one quiet for
    /// [`KEEP_INPUT`](crate::shared::KEEP_INPUT) lets its buffer go and
    /// waits in `poll` instead.
    fn fill(&mut self) -> Result<(), End> {
        let waiting = Instant::now();
        if std::mem::take(&mut self.answered) {
            self.ticket.quiet_since(waiting);
        }
        self.line_started = self
            .proto
            .is_mid_request()
            .then(|| self.line_started.unwrap_or(self.read_at));
        let mut stream = self.replier.stream;
        loop {
            let limit = self.wait_limit(waiting)?;
            if self.input.is_empty() {
                match wait_readable(stream, limit) {
                    Ok(true) => self.input = vec![0; INPUT_LEN],
                    // The limit passed: the next `wait_limit` says which.
                    Ok(false) => {}
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    Err(error) => return Err(End::Failed(error)),
                }
                continue;
            }
            // The socket's read timeout is at most `KEEP_INPUT`.
            match stream.read(&mut self.input) {
                Ok(0) => return Err(self.eof()),
                Ok(read) => {
                    (self.start, self.end) = (0, read);
                    self.read_at = Instant::now();
                    self.ticket.busy();
                    return Ok(());
                }
                Err(error) => match error.kind() {
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => self.input = Vec::new(),
                    io::ErrorKind::Interrupted => {}
                    io::ErrorKind::ConnectionReset => return Err(self.eof()),
                    _ => return Err(End::Failed(error)),
                },
            }
        }
    }

    /// How much longer to wait for input, having waited since `waiting`:
    /// until the idle timeout, or the line's deadline if one has begun
    /// and it comes first; `Err` once the first of them has passed.
    fn wait_limit(&self, waiting: Instant) -> Result<Option<Duration>, End> {
        let shared = self.replier.shared;
        let idle = shared.idle_timeout.map(|limit| (waiting + limit, false));
        let line = (self.line_started)
            .zip(shared.request_timeout)
            .map(|(started, limit)| (started + limit, true));
        let Some((deadline, is_line)) = idle.into_iter().chain(line).min() else {
            return Ok(None);
        };
        let left = deadline.saturating_duration_since(Instant::now());
        match (left.is_zero(), is_line) {
            (false, _) => Ok(Some(left)),
            (true, false) => Err(End::Idle),
            (true, true) => Err(End::RequestTimeout),
        }
    }

    /// What the end of the input means: a stop or an eviction woke the
    /// connection, or the client closed its side.
    fn eof(&mut self) -> End {
        if self.ticket.activity().was_evicted() {
            End::Evicted
        } else if self.replier.shared.registry.is_stopping() {
            End::Stopping
        } else {
            End::Eof {
                cut: self.proto.receive_eof(),
            }
        }
    }

    /// Feeds the buffered input to the core and answers the item it
    /// yields, if any. Returns how the connection ends, if it does.
    fn step(&mut self) -> Option<End> {
        let decoded = match self.proto.decode(&self.input[self.start..self.end]) {
            Ok(decoded) => decoded,
            Err(fatal) => return Some(self.replier.fatal(fatal)),
        };
        self.start += decoded.consumed;
        let item = decoded.item?;
        self.answered = true;
        let code = match self.replier.answer(item) {
            Ok(code) => code,
            Err(end) => return Some(end),
        };
        self.proto.finish_reply(code);
        let end = if self.proto.phase() == Phase::Closed {
            if code.is_fatal() {
                End::Fatal(code, None)
            } else {
                End::Quit
            }
        } else if self.replier.shared.registry.is_stopping() {
            End::Stopping
        } else {
            return None;
        };
        Some(self.replier.flush().map_or_else(End::from_write, |()| end))
    }
}

/// The reply side: the socket, the queued output, the directory of the
/// batch.
struct Replier<'a> {
    stream: &'a TcpStream,
    peer: SocketAddr,
    shared: &'a Shared,
    out: Vec<u8>,
    written: u64,
    batch: Batch<'a>,
}

impl Replier<'_> {
    /// Bytes produced so far: written, or queued to be.
    fn produced(&self) -> u64 {
        self.written + self.out.len() as u64
    }

    /// The output side, for a reply that may be long.
    fn sink(&mut self) -> Sink<'_> {
        Sink {
            stream: self.stream,
            out: &mut self.out,
            written: &mut self.written,
        }
    }

    /// Writes what is queued.
    fn flush(&mut self) -> io::Result<()> {
        self.sink().flush()
    }

    /// Ends a batch before waiting for more input: writes the queued
    /// replies, drops the directory look-up and spare output memory.
    fn end_batch(&mut self) -> Result<(), End> {
        self.flush().map_err(End::from_write)?;
        self.batch = self.shared.directory.batch();
        if self.out.capacity() > KEEP_OUT {
            self.out = Vec::new();
        }
        Ok(())
    }

    /// Answers a fatal fault of the request stream, then the connection
    /// ends.
    fn fatal(&mut self, fatal: Fatal) -> End {
        let code = Code::from(fatal);
        reply::write_status(code, &mut self.out);
        info!("{}", self.shared.text.fatal(self.peer, fatal, code));
        self.flush()
            .map_or_else(End::from_write, |()| End::Fatal(code, Some(fatal)))
    }

    /// Answers one item and logs it. `Err` ends the connection at once.
    fn answer(&mut self, item: Item<'_>) -> Result<Code, End> {
        let started = Instant::now();
        let before = self.produced();
        let (asked, result) = match item {
            Item::Rejected(code) => (Asked::rejected(), self.status(code)),
            Item::Request(request) => (Asked::request(&request), self.request(request)),
        };
        let outcome = match &result {
            Ok(code) => Outcome::Answered(*code),
            Err(end) => Outcome::Cut(end),
        };
        request_log::request(
            self.peer,
            asked,
            outcome,
            self.produced() - before,
            started.elapsed(),
        );
        if self.out.len() >= FLUSH_AT {
            self.flush().map_err(End::from_write)?;
        }
        result
    }

    /// Answers a valid request.
    fn request(&mut self, request: Request<'_>) -> Result<Code, End> {
        match request {
            Request::FileListing => self.listing(),
            Request::Metadata { name } => self.metadata(name),
            Request::Slice {
                name,
                offset,
                size,
                form,
            } => self.slice(name, offset, size, form),
            Request::Help => {
                reply::write_help(&mut self.out);
                Ok(Code::Ok)
            }
            Request::Quit => self.status(Code::Ok),
        }
    }

    /// Queues a status line alone.
    fn status(&mut self, code: Code) -> Result<Code, End> {
        reply::write_status(code, &mut self.out);
        Ok(code)
    }

    /// `get_metadata`: the size, from the file's own metadata.
    fn metadata(&mut self, name: &str) -> Result<Code, End> {
        match self.batch.metadata(name) {
            Ok(size) => {
                reply::write_metadata(size, &mut self.out);
                Ok(Code::Ok)
            }
            Err(code) => self.status(code),
        }
    }

    /// `get_slice`: open, check the range against the open file, stream.
    fn slice(&mut self, name: &str, offset: u64, size: u64, form: Form) -> Result<Code, End> {
        let Opened {
            file,
            size: file_size,
        } = match self.batch.open_file(name) {
            Ok(opened) => opened,
            Err(code) => return self.status(code),
        };
        if let Err(code) = check_range(offset, size, file_size) {
            return self.status(code);
        }
        let fragments = self.shared.fragments;
        let mut sink = self.sink();
        let ended = match (form, fragments) {
            (Form::Base64, None) => body::send_base64(&mut sink, &file, offset, size),
            (Form::Base64, Some(max)) => body::send_fragments(&mut sink, &file, offset, size, max),
            (Form::Raw, _) => body::send_raw(&mut sink, &file, offset, size),
        };
        match ended.map_err(End::from_write)? {
            Ended::Complete => Ok(Code::Ok),
            Ended::Cut(why) => Err(End::Cut(why)),
        }
    }

    /// `get_file_listing`: the regular files' names that can travel,
    /// sorted bytewise, sent from the buffer shared by every connection
    /// listing the same directory state.
    fn listing(&mut self) -> Result<Code, End> {
        let listing = match self.shared.listings.reply(&mut self.batch) {
            Ok(listing) => listing,
            Err(code) => return self.status(code),
        };
        self.sink().send(&listing).map_err(End::from_write)?;
        Ok(Code::Ok)
    }
}
