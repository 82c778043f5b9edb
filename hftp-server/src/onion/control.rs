//! A blocking client of tor's control port, over TCP or a Unix socket:
//! the few commands that add an onion service and take it away again.
//!
//! Each command is one line sent and one reply read (through
//! [`ReplyDecoder`]); asynchronous events that arrive in between are
//! logged. Every read and write is bounded by the timeout given to
//! [`ControlPort::connect`].

use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs as _};
use std::os::unix::ffi::OsStrExt as _;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use hmac::{KeyInit as _, Mac as _};

use super::OnionKey;
use super::reply::{Reply, ReplyDecoder, ReplyError};
use crate::Lang;
use crate::text::{self, Text};

/// The bytes of tor's authentication cookie.
const COOKIE_LEN: usize = 32;

/// The bytes of each SAFECOOKIE nonce.
const NONCE_LEN: usize = 32;

/// The HMAC keys of SAFECOOKIE, from tor's control protocol.
const SERVER_TO_CONTROLLER: &[u8] = b"Tor safe cookie authentication server-to-controller hash";
const CONTROLLER_TO_SERVER: &[u8] = b"Tor safe cookie authentication controller-to-server hash";

/// The characters of a v3 onion service's name (its base32 alphabet).
const SERVICE_ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";

/// The length of a v3 onion service's name, without `.onion`.
pub const SERVICE_ID_LEN: usize = 56;

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Where a control port listens: `HOST:PORT`, or the path of a Unix
/// socket (`unix:PATH`, or any text with a `/`).
///
/// ```
/// use hftp_server::onion::ControlAddr;
/// let tcp: ControlAddr = "127.0.0.1:9051".parse()?;
/// assert_eq!(tcp.to_string(), "127.0.0.1:9051");
/// let unix: ControlAddr = "unix:/run/tor/control".parse()?;
/// assert_eq!(unix, "/run/tor/control".parse()?);
/// assert!("9051".parse::<ControlAddr>().is_err());
/// # Ok::<(), hftp_server::onion::ControlAddrError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ControlAddr {
    /// A TCP address, as given (`HOST:PORT`), resolved when connecting.
    Tcp(String),
    /// A Unix socket's path.
    Unix(PathBuf),
}

impl ControlAddr {
    /// Tor's usual control port: 127.0.0.1:9051.
    #[must_use]
    pub fn usual() -> Self {
        Self::Tcp("127.0.0.1:9051".into())
    }
}

/// Why a text is not a control port's address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a control port's address (HOST:PORT, or a Unix socket's path)")]
pub struct ControlAddrError(String);

impl FromStr for ControlAddr {
    type Err = ControlAddrError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(path) = text.strip_prefix("unix:") {
            return Ok(Self::Unix(path.into()));
        }
        if text.contains('/') {
            return Ok(Self::Unix(text.into()));
        }
        let port = text
            .rsplit_once(':')
            .map(|(host, port)| (host, port.parse::<u16>()));
        match port {
            Some((host, Ok(_))) if !host.is_empty() => Ok(Self::Tcp(text.into())),
            _ => Err(ControlAddrError(text.into())),
        }
    }
}

impl fmt::Display for ControlAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tcp(addr) => f.write_str(addr),
            Self::Unix(path) => write!(f, "unix:{}", path.display()),
        }
    }
}

/// Why talking to tor's control port failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// Nothing answers at the address.
    #[error("cannot connect to tor's control port at {addr}: {source}")]
    Connect {
        /// The address.
        addr: ControlAddr,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// Reading or writing failed.
    #[error("tor's control connection: {0}")]
    Io(#[source] io::Error),
    /// Tor sent no whole reply within the timeout.
    #[error("tor's control port did not answer within {0:?}")]
    Timeout(Duration),
    /// Tor (or whatever listens there) closed the connection.
    #[error("tor closed the control connection")]
    Closed,
    /// What came back is not tor's control protocol.
    #[error("the control port does not speak tor's protocol: it sent {0}")]
    Reply(#[from] ReplyError),
    /// Tor answered a command with an error.
    #[error("tor refused {command}: {reply}")]
    Refused {
        /// The command.
        command: &'static str,
        /// Tor's status and reason, as `550 Onion address collision`.
        reply: String,
    },
    /// Tor's reply lacks what the command gives.
    #[error("tor's reply to {command} has no valid {what}")]
    Malformed {
        /// The command.
        command: &'static str,
        /// What is missing or malformed.
        what: &'static str,
    },
    /// Tor wants a way to authenticate that this client does not have (a
    /// password).
    #[error(
        "tor's control port wants {offered}; hftp-server authenticates with SAFECOOKIE, COOKIE or NULL"
    )]
    NoAuthMethod {
        /// The methods tor offers.
        offered: String,
    },
    /// Tor offers cookie authentication without naming the file.
    #[error("tor offers cookie authentication but names no cookie file")]
    NoCookieFile,
    /// The cookie file cannot be read.
    #[error("cannot read tor's cookie file {}: {source}", path.display())]
    Cookie {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// The cookie file does not hold 32 bytes.
    #[error("{} is not a tor cookie file: it does not hold 32 bytes", path.display())]
    CookieLength {
        /// The file.
        path: PathBuf,
    },
    /// Tor's SAFECOOKIE answer does not prove it knows the cookie: the
    /// file is not this tor's, or the peer is not tor.
    #[error("tor's SAFECOOKIE answer does not match the cookie in {}: not this tor's cookie", path.display())]
    ServerHash {
        /// The cookie file used.
        path: PathBuf,
    },
    /// No random bytes for the SAFECOOKIE nonce.
    #[error("no random bytes for SAFECOOKIE: {0}")]
    Random(#[source] io::Error),
}

/// How a controller proves it may use tor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthMethod {
    /// No authentication: tor trusts whoever connects.
    Null,
    /// A challenge and response over the cookie's bytes (HMAC-SHA256),
    /// which never sends the cookie itself: a peer that is not tor learns
    /// nothing.
    SafeCookie,
    /// The cookie's bytes themselves, in hex.
    Cookie,
}

impl AuthMethod {
    /// The method's name in `PROTOCOLINFO`'s `METHODS`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Null => "NULL",
            Self::SafeCookie => "SAFECOOKIE",
            Self::Cookie => "COOKIE",
        }
    }
}

/// What tor says of itself before authentication (`PROTOCOLINFO`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProtocolInfo {
    /// The authentication methods it accepts, as named there.
    pub methods: Vec<String>,
    /// Its cookie file, if it uses one.
    pub cookie_file: Option<PathBuf>,
    /// Its version, as `0.4.9.11`.
    pub version: Option<String>,
}

impl ProtocolInfo {
    /// The method to use: NULL if tor takes it, else SAFECOOKIE, else
    /// COOKIE.
    ///
    /// # Errors
    ///
    /// [`ControlError::NoAuthMethod`] if tor offers none of them.
    pub fn best_method(&self) -> Result<AuthMethod, ControlError> {
        [AuthMethod::Null, AuthMethod::SafeCookie, AuthMethod::Cookie]
            .into_iter()
            .find(|method| self.methods.iter().any(|offered| offered == method.name()))
            .ok_or_else(|| ControlError::NoAuthMethod {
                offered: self.methods.join(","),
            })
    }
}

/// The key an onion service is added with.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum KeyRequest<'a> {
    /// A new key, which tor forgets with the service: a new address.
    New,
    /// A new key, handed back in [`AddedOnion::private_key`] to be kept.
    NewKept,
    /// A key kept from before: the same address again.
    Saved(&'a OnionKey),
}

/// An onion service tor added.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AddedOnion {
    /// Its name: 56 base32 characters, the address without `.onion`.
    pub service_id: String,
    /// Its new key, when [`KeyRequest::NewKept`] asked for it.
    pub private_key: Option<OnionKey>,
}

/// A connection to tor's control port.
#[derive(Debug)]
pub struct ControlPort {
    writer: Stream,
    reader: ReplyReader,
    /// The log's words, for the events read while waiting for a reply.
    text: &'static dyn Text,
}

impl ControlPort {
    /// Connects to the control port at `addr`; `timeout` bounds the
    /// connection and every later reply.
    ///
    /// # Errors
    ///
    /// [`ControlError::Connect`] if nothing answers there.
    pub fn connect(addr: &ControlAddr, timeout: Duration) -> Result<Self, ControlError> {
        let failed = |source| ControlError::Connect {
            addr: addr.clone(),
            source,
        };
        let stream = Stream::connect(addr, timeout).map_err(failed)?;
        stream
            .set_timeouts(Some(timeout))
            .and_then(|()| stream.try_clone())
            .map(|reader| Self {
                writer: stream,
                reader: ReplyReader::new(reader, timeout),
                text: text::text(Lang::En),
            })
            .map_err(failed)
    }

    /// Sends `command` (one line, without its ending) and returns tor's
    /// reply, whatever its status; events that come first are logged.
    ///
    /// # Errors
    ///
    /// The connection failed or closed, timed out, or what came back is
    /// not a reply.
    pub fn command(&mut self, command: &str) -> Result<Reply, ControlError> {
        self.writer
            .write_all(format!("{command}\r\n").as_bytes())
            .map_err(|error| self.reader.io_error(error))?;
        loop {
            let reply = self.reader.read_reply()?;
            if !reply.is_event() {
                return Ok(reply);
            }
            log_event(&reply, self.text);
        }
    }

    /// Sends `command`; an error unless tor answers `2xx`. `name` names
    /// the command in the error (the command line may hold a secret).
    fn expect_ok(&mut self, name: &'static str, command: &str) -> Result<Reply, ControlError> {
        let reply = self.command(command)?;
        if reply.is_ok() {
            Ok(reply)
        } else {
            Err(ControlError::Refused {
                command: name,
                reply: reply.to_string(),
            })
        }
    }

    /// Asks tor how to authenticate (`PROTOCOLINFO 1`): the first command
    /// of a connection.
    ///
    /// # Errors
    ///
    /// As [`command`](Self::command), or tor refused.
    pub fn protocol_info(&mut self) -> Result<ProtocolInfo, ControlError> {
        let reply = self.expect_ok("PROTOCOLINFO", "PROTOCOLINFO 1")?;
        let auth = reply.line("AUTH").ok_or(ControlError::Malformed {
            command: "PROTOCOLINFO",
            what: "AUTH line",
        })?;
        let methods = auth.argument("METHODS").unwrap_or_default();
        let methods = String::from_utf8_lossy(&methods)
            .split(',')
            .filter(|method| !method.is_empty())
            .map(str::to_owned)
            .collect();
        let cookie_file = auth
            .argument("COOKIEFILE")
            .map(|path| PathBuf::from(std::ffi::OsStr::from_bytes(&path)));
        let version = reply
            .line("VERSION")
            .and_then(|line| line.argument("Tor"))
            .map(|version| String::from_utf8_lossy(&version).into_owned());
        Ok(ProtocolInfo {
            methods,
            cookie_file,
            version,
        })
    }

    /// Authenticates with `method`; the cookie methods read `cookie_file`.
    ///
    /// # Errors
    ///
    /// The cookie cannot be read, tor's SAFECOOKIE answer does not match
    /// it, or tor refused.
    pub fn authenticate(
        &mut self,
        method: AuthMethod,
        cookie_file: Option<&Path>,
    ) -> Result<(), ControlError> {
        let cookie = match method {
            AuthMethod::Null => None,
            AuthMethod::SafeCookie | AuthMethod::Cookie => {
                let path = cookie_file.ok_or(ControlError::NoCookieFile)?;
                Some((path, read_cookie(path)?))
            }
        };
        let proof = match (method, cookie) {
            (AuthMethod::SafeCookie, Some((path, cookie))) => self.safe_cookie(path, &cookie)?,
            (_, Some((_, cookie))) => hex(&cookie),
            (_, None) => String::new(),
        };
        let command = format!("AUTHENTICATE {proof}");
        self.expect_ok("AUTHENTICATE", command.trim_end())?;
        Ok(())
    }

    /// SAFECOOKIE's challenge: sends a nonce, checks tor's hash over the
    /// cookie and both nonces, and returns the controller's hash, the
    /// proof that `AUTHENTICATE` sends.
    fn safe_cookie(
        &mut self,
        path: &Path,
        cookie: &[u8; COOKIE_LEN],
    ) -> Result<String, ControlError> {
        let mut client_nonce = [0; NONCE_LEN];
        getrandom::fill(&mut client_nonce)
            .map_err(|error| ControlError::Random(io::Error::other(error)))?;
        let command = format!("AUTHCHALLENGE SAFECOOKIE {}", hex(&client_nonce));
        let reply = self.expect_ok("AUTHCHALLENGE", &command)?;
        let malformed = |what| ControlError::Malformed {
            command: "AUTHCHALLENGE",
            what,
        };
        let line = reply
            .line("AUTHCHALLENGE")
            .ok_or(malformed("AUTHCHALLENGE line"))?;
        let server_hash = line
            .argument("SERVERHASH")
            .and_then(|text| unhex(&text))
            .ok_or(malformed("SERVERHASH"))?;
        let server_nonce = line
            .argument("SERVERNONCE")
            .and_then(|text| unhex(&text))
            .filter(|nonce| nonce.len() == NONCE_LEN)
            .ok_or(malformed("SERVERNONCE"))?;
        let mac = |key: &[u8]| {
            let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes a key of any length");
            mac.update(cookie);
            mac.update(&client_nonce);
            mac.update(&server_nonce);
            mac
        };
        // Compared in constant time.
        mac(SERVER_TO_CONTROLLER)
            .verify_slice(&server_hash)
            .map_err(|_| ControlError::ServerHash {
                path: path.to_path_buf(),
            })?;
        Ok(hex(&mac(CONTROLLER_TO_SERVER).finalize().into_bytes()))
    }

    /// Adds an onion service whose `virtual_port` leads to `target`
    /// (`ADD_ONION`), with the key `key` asks for. The service lasts as
    /// long as this connection, or until [`del_onion`](Self::del_onion).
    ///
    /// # Errors
    ///
    /// Tor refused (as `550 Onion address collision` when the key is in
    /// use), or its reply lacks the service's name or the key asked for.
    pub fn add_onion(
        &mut self,
        key: KeyRequest<'_>,
        virtual_port: u16,
        target: SocketAddr,
    ) -> Result<AddedOnion, ControlError> {
        let (key_text, flags) = match key {
            KeyRequest::New => ("NEW:ED25519-V3", " Flags=DiscardPK"),
            KeyRequest::NewKept => ("NEW:ED25519-V3", ""),
            KeyRequest::Saved(key) => (key.as_str(), ""),
        };
        let command = format!("ADD_ONION {key_text}{flags} Port={virtual_port},{target}");
        let reply = self.expect_ok("ADD_ONION", &command)?;
        let malformed = |what| ControlError::Malformed {
            command: "ADD_ONION",
            what,
        };
        let service_id = reply
            .value("ServiceID")
            .filter(|id| is_service_id(id))
            .ok_or(malformed("ServiceID"))?
            .to_owned();
        let private_key = match key {
            KeyRequest::NewKept => Some(
                reply
                    .value("PrivateKey")
                    .and_then(|key| OnionKey::parse(key).ok())
                    .ok_or(malformed("PrivateKey"))?,
            ),
            KeyRequest::New | KeyRequest::Saved(_) => None,
        };
        Ok(AddedOnion {
            service_id,
            private_key,
        })
    }

    /// Removes the onion service `service_id` (`DEL_ONION`).
    ///
    /// # Errors
    ///
    /// As [`command`](Self::command), or tor refused (it knows no such
    /// service).
    pub fn del_onion(&mut self, service_id: &str) -> Result<(), ControlError> {
        self.expect_ok("DEL_ONION", &format!("DEL_ONION {service_id}"))
            .map(drop)
    }

    /// Makes tor exit when this connection closes (`TAKEOWNERSHIP`): for
    /// a tor started for this controller alone.
    ///
    /// # Errors
    ///
    /// As [`command`](Self::command), or tor refused.
    pub fn take_ownership(&mut self) -> Result<(), ControlError> {
        self.expect_ok("TAKEOWNERSHIP", "TAKEOWNERSHIP").map(drop)
    }

    /// Asks tor to send the events named (`SETEVENTS`), as `HS_DESC`.
    ///
    /// # Errors
    ///
    /// As [`command`](Self::command), or tor refused.
    pub fn set_events(&mut self, events: &[&str]) -> Result<(), ControlError> {
        let command = format!("SETEVENTS {}", events.join(" "));
        self.expect_ok("SETEVENTS", command.trim_end()).map(drop)
    }

    /// The value of one `GETINFO` key, as `onions/current` (a value of
    /// several lines comes joined with `\n`).
    ///
    /// # Errors
    ///
    /// As [`command`](Self::command), or tor refused (an unknown key).
    pub fn get_info(&mut self, key: &str) -> Result<String, ControlError> {
        let reply = self.expect_ok("GETINFO", &format!("GETINFO {key}"))?;
        reply
            .value(key)
            .map(str::to_owned)
            .ok_or(ControlError::Malformed {
                command: "GETINFO",
                what: "value",
            })
    }

    /// Logs the events it reads in `text`'s words.
    pub(crate) fn speak(&mut self, text: &'static dyn Text) {
        self.text = text;
    }

    /// Splits the connection into what sends commands and what reads
    /// replies, so that a thread can wait for events; reads stop timing
    /// out.
    pub(crate) fn split(self) -> io::Result<(Stream, ReplyReader)> {
        let Self {
            writer, mut reader, ..
        } = self;
        reader.stream.set_read_timeout(None)?;
        reader.timeout = None;
        Ok((writer, reader))
    }
}

/// Logs an asynchronous event: a descriptor uploaded at info level (the
/// service is then reachable), anything else at debug level.
pub(crate) fn log_event(event: &Reply, text: &dyn Text) {
    let said = event.text();
    let mut words = said.split(' ');
    if let (Some("HS_DESC"), Some("UPLOADED"), Some(service)) =
        (words.next(), words.next(), words.next())
    {
        log::info!("{}", text.onion_descriptor_uploaded(service));
    } else {
        log::debug!("tor: {event}");
    }
}

/// Reads replies off a control connection.
#[derive(Debug)]
pub(crate) struct ReplyReader {
    stream: Stream,
    decoder: ReplyDecoder,
    buffer: Box<[u8]>,
    /// The bytes of `buffer` read but not yet decoded.
    start: usize,
    end: usize,
    timeout: Option<Duration>,
}

impl ReplyReader {
    fn new(stream: Stream, timeout: Duration) -> Self {
        Self {
            stream,
            decoder: ReplyDecoder::default(),
            buffer: vec![0; 4096].into_boxed_slice(),
            start: 0,
            end: 0,
            timeout: Some(timeout),
        }
    }

    /// The next reply, an event or not.
    pub(crate) fn read_reply(&mut self) -> Result<Reply, ControlError> {
        loop {
            if self.start < self.end {
                let decoded = self.decoder.decode(&self.buffer[self.start..self.end])?;
                self.start += decoded.consumed;
                if let Some(reply) = decoded.reply {
                    return Ok(reply);
                }
            }
            self.start = 0;
            self.end = match self.stream.read(&mut self.buffer) {
                Ok(0) => return Err(ControlError::Closed),
                Ok(read) => read,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => 0,
                Err(error) => return Err(self.io_error(error)),
            };
        }
    }

    /// A read or write error, a timeout named as one.
    fn io_error(&self, error: io::Error) -> ControlError {
        match (error.kind(), self.timeout) {
            (io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut, Some(timeout)) => {
                ControlError::Timeout(timeout)
            }
            _ => ControlError::Io(error),
        }
    }
}

/// A control connection's socket.
#[derive(Debug)]
pub(crate) enum Stream {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Stream {
    fn connect(addr: &ControlAddr, timeout: Duration) -> io::Result<Self> {
        match addr {
            ControlAddr::Unix(path) => UnixStream::connect(path).map(Self::Unix),
            ControlAddr::Tcp(name) => {
                let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
                for addr in name.to_socket_addrs()? {
                    match TcpStream::connect_timeout(&addr, timeout) {
                        Ok(stream) => return Ok(Self::Tcp(stream)),
                        Err(error) => last = error,
                    }
                }
                Err(last)
            }
        }
    }

    fn try_clone(&self) -> io::Result<Self> {
        match self {
            Self::Tcp(stream) => stream.try_clone().map(Self::Tcp),
            Self::Unix(stream) => stream.try_clone().map(Self::Unix),
        }
    }

    fn set_timeouts(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.set_read_timeout(timeout)?;
        match self {
            Self::Tcp(stream) => stream.set_write_timeout(timeout),
            Self::Unix(stream) => stream.set_write_timeout(timeout),
        }
    }

    fn set_read_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        match self {
            Self::Tcp(stream) => stream.set_read_timeout(timeout),
            Self::Unix(stream) => stream.set_read_timeout(timeout),
        }
    }

    /// Ends the connection both ways.
    pub(crate) fn shutdown(&self) {
        let _ = match self {
            Self::Tcp(stream) => stream.shutdown(Shutdown::Both),
            Self::Unix(stream) => stream.shutdown(Shutdown::Both),
        };
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(stream) => stream.read(buf),
            Self::Unix(stream) => stream.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Tcp(stream) => stream.write(buf),
            Self::Unix(stream) => stream.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads a cookie file: exactly 32 bytes.
fn read_cookie(path: &Path) -> Result<[u8; COOKIE_LEN], ControlError> {
    let file = fs::File::open(path).map_err(|source| ControlError::Cookie {
        path: path.to_path_buf(),
        source,
    })?;
    let mut bytes = Vec::with_capacity(COOKIE_LEN + 1);
    file.take(COOKIE_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ControlError::Cookie {
            path: path.to_path_buf(),
            source,
        })?;
    bytes.try_into().map_err(|_| ControlError::CookieLength {
        path: path.to_path_buf(),
    })
}

/// Whether `id` is a v3 onion service's name.
#[must_use]
pub fn is_service_id(id: &str) -> bool {
    id.len() == SERVICE_ID_LEN && id.bytes().all(|byte| SERVICE_ID_ALPHABET.contains(&byte))
}

/// `bytes` in upper-case hex, as tor writes it.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02X}")).collect()
}

/// The bytes of a hex text, either case; `None` if it is not hex.
fn unhex(text: &[u8]) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    text.chunks(2)
        .map(|pair| {
            let pair = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(pair, 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_addresses() {
        let parse = |text: &str| text.parse::<ControlAddr>();
        assert_eq!(
            parse("127.0.0.1:9051"),
            Ok(ControlAddr::Tcp("127.0.0.1:9051".into()))
        );
        assert_eq!(
            parse("[::1]:9051"),
            Ok(ControlAddr::Tcp("[::1]:9051".into()))
        );
        assert_eq!(
            parse("localhost:9051"),
            Ok(ControlAddr::Tcp("localhost:9051".into()))
        );
        assert_eq!(
            parse("./control"),
            Ok(ControlAddr::Unix("./control".into()))
        );
        assert_eq!(
            parse("unix:control"),
            Ok(ControlAddr::Unix("control".into()))
        );
        for bad in ["", "9051", ":9051", "host:", "host:99999", "host"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            ControlAddr::Unix("/run/c".into()).to_string(),
            "unix:/run/c"
        );
    }

    #[test]
    fn hex_both_ways() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00AB10");
        assert_eq!(unhex(b"00ab10"), Some(vec![0, 0xab, 0x10]));
        assert_eq!(unhex(b"00AB1"), None);
        assert_eq!(unhex(b"zz"), None);
        assert_eq!(unhex(b"+1"), None);
        assert_eq!(unhex(b""), Some(vec![]));
    }

    #[test]
    fn service_ids() {
        assert!(is_service_id(
            "sykkhskjcul3nz4dlhmzcikaoilghz4epa5lvyvull3rmmtggebmmkid"
        ));
        assert!(!is_service_id(
            "sykkhskjcul3nz4dlhmzcikaoilghz4epa5lvyvull3rmmtggebmmki"
        ));
        assert!(!is_service_id(
            "SYKKHSKJCUL3NZ4DLHMZCIKAOILGHZ4EPA5LVYVULL3RMMTGGEBMMKID"
        ));
        assert!(!is_service_id(
            "sykkhskjcul3nz4dlhmzcikaoilghz4epa5lvyvull3rmmtggebmmki1"
        ));
    }

    #[test]
    fn the_best_method_is_null_then_safecookie_then_cookie() {
        let info = |methods: &[&str]| ProtocolInfo {
            methods: methods.iter().map(|&method| method.to_owned()).collect(),
            cookie_file: None,
            version: None,
        };
        let best = |methods: &[&str]| info(methods).best_method().ok();
        assert_eq!(
            best(&["COOKIE", "SAFECOOKIE"]),
            Some(AuthMethod::SafeCookie)
        );
        assert_eq!(best(&["COOKIE"]), Some(AuthMethod::Cookie));
        assert_eq!(best(&["NULL", "SAFECOOKIE"]), Some(AuthMethod::Null));
        let error = info(&["HASHEDPASSWORD"])
            .best_method()
            .expect_err("no method");
        assert!(error.to_string().contains("HASHEDPASSWORD"), "{error}");
    }
}
