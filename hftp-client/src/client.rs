//! The blocking client: a thin shell that moves bytes between a stream and
//! the sans-IO [`ClientConnection`].

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::time::Duration;

use hftp_proto::{ClientConfig, Code, Form, ProtocolError, Request};

use crate::dial::{Dialer, ProxySettings};
use crate::pipeline::{BodySink, Pipeline, Step, Timeouts, no_body};
use crate::proxy::{NoProxy, Proxy};
use crate::{Error, ServerAddr};

/// How slice bodies should travel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyForm {
    /// Ask `help` once before the first slice: raw if the server answers
    /// `0` (it speaks the 2026 revision), base64 otherwise.
    #[default]
    Auto,
    /// Always base64, the classic form every server speaks.
    Base64,
    /// Always raw, without asking.
    Raw,
}

/// Settings for new connections, with chainable setters.
///
/// ```no_run
/// use std::time::Duration;
/// use hftp_client::{BodyForm, Builder};
///
/// let mut client = Builder::new()
///     .connect_timeout(Some(Duration::from_secs(3)))
///     .read_timeout(Some(Duration::from_secs(10)))
///     .body_form(BodyForm::Base64)
///     .connect("localhost:19500")?;
/// println!("{:?}", client.list()?);
/// # Ok::<(), hftp_client::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    config: ClientConfig,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    write_timeout: Option<Duration>,
    body_form: BodyForm,
    max_slice: u64,
    buffer_size: usize,
    pipelining: bool,
    proxy: ProxySettings,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// The default connect timeout: 10 seconds.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default read and write timeout: 30 seconds of silence.
    pub const DEFAULT_IO_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default largest slice asked in one request: 32 MiB.
    pub const DEFAULT_MAX_SLICE: u64 = 32 << 20;

    /// Default settings: timeouts of 10 s to connect and 30 s between
    /// reads, [`BodyForm::Auto`], slices of at most 32 MiB per request.
    #[must_use]
    pub fn new() -> Self {
        Self {
            config: ClientConfig::default(),
            connect_timeout: Some(Self::DEFAULT_CONNECT_TIMEOUT),
            read_timeout: Some(Self::DEFAULT_IO_TIMEOUT),
            write_timeout: Some(Self::DEFAULT_IO_TIMEOUT),
            body_form: BodyForm::Auto,
            max_slice: Self::DEFAULT_MAX_SLICE,
            buffer_size: 256 << 10,
            pipelining: true,
            proxy: ProxySettings::default(),
        }
    }

    /// How long to wait for a connection; `None` (or zero) waits as long
    /// as the system does.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout.filter(|t| !t.is_zero());
        self
    }

    /// How long the server may stay silent while a reply is due before
    /// [`Error::Timeout`]; `None` (or zero) waits forever.
    #[must_use]
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read_timeout = timeout.filter(|t| !t.is_zero());
        self
    }

    /// How long a request may wait to be sent; `None` (or zero) waits
    /// forever.
    #[must_use]
    pub fn write_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.write_timeout = timeout.filter(|t| !t.is_zero());
        self
    }

    /// How slice bodies travel; default [`BodyForm::Auto`].
    #[must_use]
    pub const fn body_form(mut self, form: BodyForm) -> Self {
        self.body_form = form;
        self
    }

    /// The longest status, size or name line accepted from the server.
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.config = self.config.max_line_len(bytes);
        self
    }

    /// The largest slice asked in one request; longer ranges are split
    /// into several pipelined requests, so a server that buffers a whole
    /// slice (as the course's Python servers do) is spared. At least 1.
    #[must_use]
    pub fn max_slice(mut self, bytes: u64) -> Self {
        self.max_slice = bytes.max(1);
        self
    }

    /// The read buffer and the decoded-body buffer, in bytes each
    /// (default 256 KiB; at least 64).
    #[must_use]
    pub fn buffer_size(mut self, bytes: usize) -> Self {
        self.buffer_size = bytes.max(64);
        self
    }

    /// Whether several requests may be in flight at once (default true):
    /// sizes asked in batches, two slices of a long range in flight. Off
    /// for a server that answers only the first of several requests
    /// that arrive together (see [`Client::check_pipelining`]).
    #[must_use]
    pub const fn pipelining(mut self, on: bool) -> Self {
        self.pipelining = on;
        self
    }

    /// The configured read timeout.
    #[must_use]
    pub const fn get_read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    /// Sends connections through `proxy` (`None`: straight to the
    /// server, the default). Hosts that [`Builder::no_proxy`] lists still
    /// go straight.
    #[must_use]
    pub fn proxy(mut self, proxy: Option<Proxy>) -> Self {
        self.proxy.proxy = proxy;
        self
    }

    /// The hosts reached without the proxy (default: none).
    #[must_use]
    pub fn no_proxy(mut self, hosts: NoProxy) -> Self {
        self.proxy.no_proxy = hosts;
        self
    }

    /// Lets a `.onion` name reach the system resolver and a plain
    /// connect, for a process that runs under a wrapper which carries
    /// them through Tor (torsocks). Off by default: without a `socks5h`
    /// proxy, a `.onion` name is refused with [`Error::Onion`].
    #[must_use]
    pub const fn system_reaches_onion(mut self, on: bool) -> Self {
        self.proxy.system_reaches_onion = on;
        self
    }

    /// The configured connect timeout.
    #[must_use]
    pub const fn get_connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// The proxy connections to `host` go through under these settings,
    /// if any: none without [`Builder::proxy`], or when
    /// [`Builder::no_proxy`] lists the host.
    #[must_use]
    pub fn proxy_for(&self, host: &str) -> Option<&Proxy> {
        self.proxy.proxy_for(host)
    }

    /// The way to `server` under these settings: through the proxy
    /// unless the host bypasses it; directly, its name resolved now.
    ///
    /// # Errors
    ///
    /// [`Error::Onion`] for a `.onion` host without a `socks5h` proxy,
    /// [`Error::Connect`] when a direct host's name does not resolve.
    pub fn dialer(&self, server: &ServerAddr) -> Result<Dialer, Error> {
        self.proxy.dialer(
            server,
            server.to_string(),
            Some((server.host(), server.port())),
        )
    }

    /// Connects to the first address of `addr` that answers (or through
    /// the proxy), and sets the timeouts on the socket.
    ///
    /// # Errors
    ///
    /// The errors of [`Builder::dialer`] and [`Dialer::connect`].
    pub fn connect<A: ToSocketAddrs + fmt::Display>(
        &self,
        addr: A,
    ) -> Result<Client<TcpStream>, Error> {
        // The host and port as `Display` writes them: what a proxy is
        // asked for, and what tells a `.onion` name.
        let target = addr.to_string();
        let server = target.parse::<ServerAddr>().ok();
        let host_port = server.as_ref().map(|server| (server.host(), server.port()));
        let dialer = self.proxy.dialer(&addr, target, host_port)?;
        self.connect_by(&dialer)
    }

    /// Connects the way `dialer` says, and sets the timeouts on the
    /// socket.
    ///
    /// # Errors
    ///
    /// The errors of [`Dialer::connect`].
    pub fn connect_by(&self, dialer: &Dialer) -> Result<Client<TcpStream>, Error> {
        let (stream, pinned) = self.open(dialer)?;
        let mut client = self.build(stream);
        client.wire.set_timeouts(Timeouts {
            read: self.read_timeout,
            write: self.write_timeout,
        });
        client.wire.set_server(dialer.target());
        client.dialer = Some(pinned);
        Ok(client)
    }

    /// One connection the way `dialer` says, with the socket options set;
    /// and the way that answered.
    pub(crate) fn open(&self, dialer: &Dialer) -> Result<(TcpStream, Dialer), Error> {
        let (stream, pinned) = dialer.connect(self.connect_timeout)?;
        let configure = |stream: &TcpStream| -> io::Result<()> {
            stream.set_read_timeout(self.read_timeout)?;
            stream.set_write_timeout(self.write_timeout)?;
            stream.set_nodelay(true)
        };
        configure(&stream).map_err(|source| Error::Connect {
            addr: dialer.target().to_owned(),
            source,
        })?;
        log::debug!("connected to {pinned}");
        Ok((stream, pinned))
    }

    /// A client over an already open stream; the stream's own timeouts
    /// stay as they are.
    pub fn build<S: Read + Write>(&self, stream: S) -> Client<S> {
        Client {
            wire: Pipeline::new(stream, &self.config, self.buffer_size),
            form: None,
            broken: false,
            settings: self.clone(),
            dialer: None,
            probed: None,
        }
    }
}

/// One HFTP connection, blocking: each method sends its requests, then
/// reads until their replies are complete.
///
/// It works over a [`TcpStream`] ([`Client::connect`], [`Builder::connect`])
/// or, for tests and tunnels, over any `Read + Write` ([`Client::new`]).
/// Nothing is parsed or formatted here: the bytes go through
/// [`hftp_proto::ClientConnection`], which checks every reply (HFTP rule
/// 11) and bounds every line.
///
/// A refusal (`202 FILE NOT FOUND`, ...) leaves the connection usable; any
/// other error (a fatal code, a protocol violation, a timeout, a lost
/// connection, a failing sink) leaves it closed, and later calls return
/// [`Error::Closed`].
///
/// ```no_run
/// use hftp_client::Client;
///
/// let mut client = Client::connect("localhost:19500")?;
/// for name in client.list()? {
///     println!("{name}: {} bytes", client.metadata(&name)?);
/// }
/// let mut head = Vec::new();
/// client.slice_to("hola.txt", 0, 4, &mut head)?;
/// client.quit()?;
/// # Ok::<(), hftp_client::Error>(())
/// ```
pub struct Client<S = TcpStream> {
    wire: Pipeline<S>,
    form: Option<Form>,
    broken: bool,
    settings: Builder,
    /// The way this connection went, for [`Client::reconnect`].
    dialer: Option<Dialer>,
    /// The size [`Client::check_pipelining`] was answered, for the name it
    /// asked: the answer to the next request if that asks the same size.
    probed: Option<(String, Result<u64, Error>)>,
}

impl<S> fmt::Debug for Client<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("pending", &self.wire.pending())
            .field("form", &self.form)
            .field("broken", &self.broken)
            .finish_non_exhaustive()
    }
}

impl Client<TcpStream> {
    /// Connects with the default [`Builder`] settings.
    pub fn connect<A: ToSocketAddrs + fmt::Display>(addr: A) -> Result<Self, Error> {
        Builder::new().connect(addr)
    }

    /// Opens another connection to the same server with the same settings
    /// (and the body form this one already chose).
    pub fn reconnect(&self) -> Result<Self, Error> {
        // A socket the server closed may no longer know its peer.
        let dialer = match &self.dialer {
            Some(dialer) => dialer.clone(),
            None => Dialer::direct(self.wire.stream().peer_addr().map_err(Error::Network)?),
        };
        let mut settings = self.settings.clone();
        settings.body_form = match self.form {
            Some(Form::Raw) => BodyForm::Raw,
            Some(Form::Base64) => BodyForm::Base64,
            None => settings.body_form,
        };
        settings.connect_by(&dialer)
    }

    /// Finds out whether the server answers requests that arrive
    /// together: asks the size of `name` twice in one write. A server
    /// that reads one line per `recv` answers the first only; when the
    /// second answer has not come 2 s after the first,
    /// this returns false and closes this connection (it is out of step):
    /// open the next one with [`Builder::pipelining`] off.
    ///
    /// The answer is kept: if the next request of this connection asks
    /// the size of `name` again ([`Client::metadata`], or first of
    /// [`Client::metadata_many`]), it is answered from it, not asked a
    /// third time.
    pub fn check_pipelining(&mut self, name: &str) -> Result<bool, Error> {
        self.guard(|client| {
            let request = Request::Metadata { name };
            client.queue(&request)?;
            client.queue(&request)?;
            client.flush()?;
            let first = match client.size_reply(&request) {
                Err(error) if error.is_fatal() => return Err(error),
                first => first,
            };
            let second = client
                .with_read_timeout(PIPELINING_PROBE, |client| Ok(client.size_reply(&request)))?;
            match second {
                Err(Error::Timeout(_)) => {
                    client.broken = true;
                    Ok(false)
                }
                other => answered(other).map(|()| {
                    client.probed = Some((name.to_owned(), first));
                    true
                }),
            }
        })
    }

    /// Runs `operation` with the socket's read timeout set to `timeout`,
    /// then puts the timeout it had back.
    pub(crate) fn with_read_timeout<T>(
        &mut self,
        timeout: Duration,
        operation: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let normal = self.wire.stream().read_timeout().map_err(Error::Network)?;
        self.wire
            .stream()
            .set_read_timeout(Some(timeout))
            .map_err(Error::Network)?;
        let result = operation(self);
        self.wire
            .stream()
            .set_read_timeout(normal)
            .map_err(Error::Network)?;
        result
    }

    /// Shuts the socket down both ways: a call blocked on it returns.
    pub fn shutdown(&self) {
        let _ = self.wire.stream().shutdown(Shutdown::Both);
    }
}

impl<S: Read + Write> Client<S> {
    /// A client over any stream, with default settings. Timeouts are the
    /// stream's own.
    pub fn new(stream: S) -> Self {
        Builder::new().build(stream)
    }

    /// The underlying stream.
    pub const fn get_ref(&self) -> &S {
        self.wire.stream()
    }

    /// The settings this client was built with.
    pub const fn settings(&self) -> &Builder {
        &self.settings
    }

    /// True until an error closed the connection.
    pub const fn is_usable(&self) -> bool {
        !self.broken
    }

    /// The names of the served files (`get_file_listing`), in the server's
    /// order. Each was checked by HFTP rule 5, so it can be requested.
    pub fn list(&mut self) -> Result<Vec<String>, Error> {
        self.guard(|client| client.names(&Request::FileListing))
    }

    /// The names of the served files, handed to `each` one at a time as
    /// they arrive: memory stays bounded whatever the listing's length.
    /// An error from `each` stops the listing and closes the connection
    /// (the rest of the reply is never read).
    pub fn list_each(
        &mut self,
        mut each: impl FnMut(&str) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.guard(|client| client.names_each(&Request::FileListing, &mut each))
    }

    /// The server's command names (`help`, 2026 revision); a 2019 server
    /// refuses with `200`.
    pub fn help(&mut self) -> Result<Vec<String>, Error> {
        self.guard(|client| client.names(&Request::Help))
    }

    /// The size in bytes of one file (`get_metadata`).
    pub fn metadata(&mut self, name: &str) -> Result<u64, Error> {
        if let Some(answered) = self.take_probed(name) {
            return answered;
        }
        self.guard(|client| {
            let request = Request::Metadata { name };
            client.queue(&request)?;
            client.flush()?;
            client.size_reply(&request)
        })
    }

    /// The sizes of many files, pipelined: the requests go out in one
    /// write (per 1024 names), then the replies are read in order.
    ///
    /// The outer error ends the connection; an inner one is a refusal of
    /// that name alone (or a name no request can carry), in its place.
    pub fn metadata_many<N: AsRef<str>>(
        &mut self,
        names: &[N],
    ) -> Result<Vec<Result<u64, Error>>, Error> {
        let mut sizes = Vec::with_capacity(names.len());
        let first = names
            .first()
            .and_then(|name| self.take_probed(name.as_ref()));
        let unasked = match first {
            Some(answered) => {
                sizes.push(answered);
                &names[1..]
            }
            None => names,
        };
        self.guard(|client| {
            let batch = if client.settings.pipelining { 1024 } else { 1 };
            for batch in unasked.chunks(batch) {
                client.metadata_batch(batch, &mut sizes)?;
            }
            Ok(sizes)
        })
    }

    /// Streams `size` bytes of `name` from `offset` into `sink`, decoded
    /// as they arrive, and returns once exactly `size` bytes were written.
    ///
    /// Memory stays bounded whatever the size: a range larger than
    /// [`Builder::max_slice`] is asked in several requests, two in flight
    /// at a time. The first slice asks the body form if
    /// [`BodyForm::Auto`] is set.
    pub fn slice_to<W: Write + ?Sized>(
        &mut self,
        name: &str,
        offset: u64,
        size: u64,
        sink: &mut W,
    ) -> Result<(), Error> {
        self.guard(|client| client.slices(name, offset, size, sink))
    }

    /// The form slice bodies travel in on this connection, asking the
    /// server with `help` the first time if [`BodyForm::Auto`] is set.
    pub fn slice_form(&mut self) -> Result<Form, Error> {
        if let Some(form) = self.form {
            return Ok(form);
        }
        let form = match self.settings.body_form {
            BodyForm::Base64 => Form::Base64,
            BodyForm::Raw => Form::Raw,
            BodyForm::Auto => match self.help() {
                Ok(_) => Form::Raw,
                Err(error) => match error.code().and_then(form_from_help) {
                    Some(form) => form,
                    None => return Err(error),
                },
            },
        };
        log::debug!("slice bodies travel as {form:?}");
        self.form = Some(form);
        Ok(form)
    }

    /// Says `quit` and waits for the server's `0 OK` (or its close), then
    /// drops the connection. A connection already closed by an error is
    /// just dropped.
    pub fn quit(mut self) -> Result<(), Error> {
        if self.broken {
            return Ok(());
        }
        self.queue(&Request::Quit)?;
        self.flush()?;
        match self.next_step(&mut no_body)? {
            Step::Status(Code::Ok) | Step::Closed => Ok(()),
            Step::Status(code) => Err(refused(code, &Request::Quit)),
            _ => Err(unexpected()),
        }
    }

    /// Runs an operation; marks the connection closed if it fails for good.
    fn guard<T>(
        &mut self,
        operation: impl FnOnce(&mut Self) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if self.broken {
            return Err(Error::Closed);
        }
        let result = operation(self);
        if result.as_ref().is_err_and(Error::is_fatal) || self.wire.is_ended() {
            self.broken = true;
        }
        result
    }

    /// A listing or `help` reply.
    fn names(&mut self, request: &Request<'_>) -> Result<Vec<String>, Error> {
        let mut names = Vec::new();
        self.names_each(request, &mut |name| {
            names.push(name.to_owned());
            Ok(())
        })?;
        Ok(names)
    }

    /// A listing or `help` reply, each name handed to `each`.
    fn names_each(
        &mut self,
        request: &Request<'_>,
        each: &mut dyn FnMut(&str) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.queue(request)?;
        self.flush()?;
        self.status(request)?;
        loop {
            match self.next_step(&mut no_body)? {
                Step::Name(name) => each(&name)?,
                Step::ListEnd => return Ok(()),
                _ => return Err(unexpected()),
            }
        }
    }

    /// One pipelined batch of `get_metadata`.
    fn metadata_batch<N: AsRef<str>>(
        &mut self,
        names: &[N],
        sizes: &mut Vec<Result<u64, Error>>,
    ) -> Result<(), Error> {
        let first = sizes.len();
        for name in names {
            let request = Request::Metadata {
                name: name.as_ref(),
            };
            sizes.push(self.queue(&request).map(|()| 0));
        }
        self.flush()?;
        for (name, slot) in names.iter().zip(&mut sizes[first..]) {
            if slot.is_err() {
                continue;
            }
            *slot = match self.size_reply(&Request::Metadata {
                name: name.as_ref(),
            }) {
                Err(error) if error.is_fatal() => return Err(error),
                other => other,
            };
        }
        Ok(())
    }

    /// A `get_metadata` reply: its status, then its size.
    fn size_reply(&mut self, request: &Request<'_>) -> Result<u64, Error> {
        self.status(request)?;
        match self.next_step(&mut no_body)? {
            Step::Size(size) => Ok(size),
            _ => Err(unexpected()),
        }
    }

    /// Asks a range in pipelined slices and streams their bodies.
    fn slices<W: Write + ?Sized>(
        &mut self,
        name: &str,
        offset: u64,
        size: u64,
        sink: &mut W,
    ) -> Result<(), Error> {
        let form = self.slice_form()?;
        let mut chunks = Chunks::new(offset, size, self.settings.max_slice);
        let mut in_flight = std::collections::VecDeque::new();
        let mut received = 0;
        loop {
            let window = if self.settings.pipelining { 2 } else { 1 };
            while in_flight.len() < window {
                let Some((offset, size)) = chunks.next() else {
                    break;
                };
                let request = Request::Slice {
                    name,
                    offset,
                    size,
                    form,
                };
                self.queue(&request)?;
                in_flight.push_back(request);
            }
            self.flush()?;
            let Some(request) = in_flight.pop_front() else {
                return Ok(());
            };
            let result = self.slice_reply(&request, sink, &mut received, size);
            if let Err(error) = result {
                return Err(self.drain_after(error));
            }
        }
    }

    /// One slice reply: its status, then its body into `sink`.
    fn slice_reply<W: Write + ?Sized>(
        &mut self,
        request: &Request<'_>,
        sink: &mut W,
        received: &mut u64,
        expected: u64,
    ) -> Result<(), Error> {
        self.status(request)?;
        let mut write = |bytes: &[u8]| {
            *received += bytes.len() as u64;
            sink.write_all(bytes).map_err(Error::Sink)
        };
        match self.next_step(&mut write) {
            Ok(Step::BodyEnd) => Ok(()),
            Ok(_) => Err(unexpected()),
            Err(Error::Disconnected) => Err(Error::ShortBody {
                received: *received,
                expected,
            }),
            Err(error) => Err(error),
        }
    }

    /// After a refusal with requests still in flight, reads their replies
    /// away so the connection stays in step; returns the first error.
    fn drain_after(&mut self, error: Error) -> Error {
        if error.is_fatal() {
            return error;
        }
        while self.wire.pending() > 0 {
            if let Err(drain) = self.next_step(&mut |_| Ok(())) {
                log::debug!("draining after a refusal: {drain}");
                self.broken = true;
                break;
            }
        }
        error
    }

    /// Reads a status line; anything but `0 OK` is a refusal.
    fn status(&mut self, request: &Request<'_>) -> Result<(), Error> {
        match self.next_step(&mut no_body)? {
            Step::Status(Code::Ok) => Ok(()),
            Step::Status(code) => Err(refused(code, request)),
            _ => Err(unexpected()),
        }
    }

    fn queue(&mut self, request: &Request<'_>) -> Result<(), Error> {
        self.probed = None;
        self.wire.queue(request)
    }

    /// The size the pipelining check was answered, if it asked `name`
    /// and no request went out since.
    fn take_probed(&mut self, name: &str) -> Option<Result<u64, Error>> {
        match self.probed.take() {
            Some((probed, answered)) if probed == name => Some(answered),
            _ => None,
        }
    }

    fn flush(&mut self) -> Result<(), Error> {
        self.wire.flush()
    }

    fn next_step(&mut self, sink: BodySink<'_>) -> Result<Step, Error> {
        self.wire.next_step(sink)
    }
}

/// How long a server may take to answer the second of two requests that
/// arrived together, once it answered the first.
pub(crate) const PIPELINING_PROBE: Duration = Duration::from_secs(2);

/// A reply, refusal included; only a failure of the connection is an
/// error.
fn answered(reply: Result<u64, Error>) -> Result<(), Error> {
    match reply {
        Err(error) if error.is_fatal() => Err(error),
        _ => Ok(()),
    }
}

/// The refusal of `request` with `code`.
pub(crate) fn refused(code: Code, request: &Request<'_>) -> Error {
    let mut line = Vec::new();
    let _ = request.encode(&mut line);
    let mut request = String::from_utf8_lossy(line.trim_ascii_end()).into_owned();
    if request.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|&at| request.is_char_boundary(at))
            .unwrap_or(0);
        request.truncate(cut);
        request.push_str("...");
    }
    Error::Refused { code, request }
}

/// A step out of the core's order; the core never yields one.
const fn unexpected() -> Error {
    Error::Protocol(ProtocolError::UnexpectedData)
}

/// A range cut into requests of at most `max` bytes; an empty range is
/// still asked once, so the server checks it.
struct Chunks {
    offset: u64,
    remaining: u64,
    max: u64,
    first: bool,
}

impl Chunks {
    const fn new(offset: u64, size: u64, max: u64) -> Self {
        Self {
            offset,
            remaining: size,
            max,
            first: true,
        }
    }
}

impl Iterator for Chunks {
    type Item = (u64, u64);

    fn next(&mut self) -> Option<(u64, u64)> {
        if self.remaining == 0 && !self.first {
            return None;
        }
        self.first = false;
        let size = self.remaining.min(self.max);
        let chunk = (self.offset, size);
        self.offset = self.offset.saturating_add(size);
        self.remaining -= size;
        Some(chunk)
    }
}

/// The form of slice bodies a server speaks, from its answer to `help`:
/// raw when it answers `0` (the 2026 revision), base64 when it refuses
/// `help` and stays open (2019); none after a fatal code.
pub(crate) fn form_from_help(code: Code) -> Option<Form> {
    match code {
        Code::Ok => Some(Form::Raw),
        code if code.is_fatal() => None,
        _ => Some(Form::Base64),
    }
}

#[cfg(test)]
mod tests {
    use super::Chunks;

    #[test]
    fn chunks_cover_the_range_once() {
        assert_eq!(Chunks::new(5, 0, 4).collect::<Vec<_>>(), [(5, 0)]);
        assert_eq!(
            Chunks::new(5, 10, 4).collect::<Vec<_>>(),
            [(5, 4), (9, 4), (13, 2)]
        );
        assert_eq!(Chunks::new(0, 8, 4).collect::<Vec<_>>(), [(0, 4), (4, 4)]);
    }
}
