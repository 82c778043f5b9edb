//! What can go wrong, sorted by who is to blame: the server refused, the
//! server broke the protocol, the network failed, or the local side did.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use hftp_proto::{Code, ProtocolError};

use crate::Foreign;
use crate::name::NameProblem;
use crate::proxy::{Proxy, ProxyError};

/// An error of the HFTP client.
///
/// Match on the variant to tell what failed; [`Error::code`] gives the
/// server's status code when it refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No connection could be made to the server.
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        /// The address as the caller gave it.
        addr: String,
        /// The last connect error.
        #[source]
        source: io::Error,
    },
    /// The proxy failed, or could not reach the server.
    #[error("cannot reach {target} through the proxy {proxy}: {source}")]
    Proxy {
        /// The proxy, its password hidden in its `Display`.
        proxy: Box<Proxy>,
        /// The server as the caller named it.
        target: String,
        /// What went wrong.
        #[source]
        source: ProxyError,
    },
    /// A `.onion` host without a proxy that resolves names: it is
    /// reachable only through Tor, and its name must never reach the
    /// system resolver.
    #[error("{host} is an onion address, reachable only through Tor: {}", match proxy {
        Some(proxy) => format!("the proxy {proxy} has names resolved here; use socks5h:// so that Tor resolves it"),
        None => "connect through Tor's SOCKS port (socks5h://127.0.0.1:9050)".to_owned(),
    })]
    Onion {
        /// The host.
        host: String,
        /// The proxy that would have been used, which resolves names
        /// locally (`socks5://`).
        proxy: Option<Box<Proxy>>,
    },
    /// The server answered a request with a status other than `0 OK`.
    /// After a fatal (1xx) code the server has closed the connection.
    #[error("the server refused `{request}`: {code}")]
    Refused {
        /// The status code, with the contract's text in its `Display`.
        code: Code,
        /// The request line that was refused, without its `\r\n`.
        request: String,
    },
    /// The server broke the protocol: a malformed status line, a line over
    /// the limit, a body that is not base64 or longer than asked.
    #[error("protocol violation: {0}")]
    Protocol(#[from] ProtocolError),
    /// The server is not an HFTP server: before any reply of HFTP it
    /// sent what another protocol sends (an HTTP reply, an SSH greeting,
    /// a TLS record), bytes that are not text, or nothing before it
    /// closed the connection.
    #[error("{}not an HFTP server: {looks}", server.as_ref().map_or_else(String::new, |server| format!("{server} is ")))]
    NotHftp {
        /// The server as the caller named it, when known.
        server: Option<String>,
        /// What it looks like.
        looks: Foreign,
    },
    /// A slice body never reached its end: the server closed the
    /// connection in the middle of it (a fragment body, rule 12, may lack
    /// only its terminator).
    #[error(
        "short body: the server closed the connection before the body's end, after {received} of the {expected} bytes expected"
    )]
    ShortBody {
        /// The bytes of the slice that arrived.
        received: u64,
        /// The `SIZE` asked for.
        expected: u64,
    },
    /// The server closed the connection before a reply was complete, or
    /// with requests still unanswered (a restart, a graceful stop, an
    /// idle timeout). Nothing was wrong with what it sent.
    #[error("the server closed the connection before its reply was complete")]
    Disconnected,
    /// The file on the server is not the one a partial download came
    /// from (or the partial data is bad): the bytes before the resume
    /// point differ, or the file is now shorter. The partial data was
    /// set aside, never deleted.
    #[error(
        "{}: the file changed on the server since this partial data was written, or the data is bad ({why}); kept it as {}",
        path.display(),
        kept.file_name().unwrap_or(kept.as_os_str()).to_string_lossy()
    )]
    Changed {
        /// The partial file that did not match.
        path: PathBuf,
        /// Where its bytes are now: `PATH.part.mismatch`.
        kept: PathBuf,
        /// What did not match.
        why: String,
    },
    /// The server sent nothing for longer than the read timeout, or would
    /// not take a request within the write timeout.
    #[error("timed out: the server sent nothing for {}", describe(*.0))]
    Timeout(Option<Duration>),
    /// The connection failed after it was made (reset, broken).
    #[error("connection lost: {0}")]
    Network(#[source] io::Error),
    /// An earlier error left the connection unusable.
    #[error("the connection is closed after an earlier error")]
    Closed,
    /// Writing received data into the caller's sink failed.
    #[error("cannot write the received data: {0}")]
    Sink(#[source] io::Error),
    /// A local file operation failed.
    #[error("{}: {source}", path.display())]
    File {
        /// The file concerned.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// A download could not write its output `path`: the file operation
    /// on `through`, the file the bytes go to first (`OUT.part`, or
    /// `OUT.sparse.part` for parallel ranges), failed.
    #[error(
        "cannot write {}: {}: {source}",
        path.display(),
        through.display()
    )]
    Output {
        /// The output, as the caller named it.
        path: PathBuf,
        /// The file written first, that the operation concerned.
        through: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// The output file exists and overwriting was not allowed.
    #[error("{} already exists", path.display())]
    Exists {
        /// The existing file.
        path: PathBuf,
    },
    /// A range past the end of the file: the server would refuse it with
    /// `203 OFFSET EXCEEDS FILE SIZE`.
    #[error(
        "the range of {size} bytes from offset {offset} goes past the end of the file ({file_size} bytes)"
    )]
    BadRange {
        /// The first byte asked.
        offset: u64,
        /// The bytes asked.
        size: u64,
        /// The file's size on the server.
        file_size: u64,
    },
    /// A file name that no request can carry, or that is not safe as a
    /// local file name (HFTP rule 5).
    #[error("invalid file name {name:?}: {reason}")]
    BadName {
        /// The name as given.
        name: String,
        /// Why it was refused.
        reason: NameProblem,
    },
    /// The operation was cancelled through a [`CancelToken`](crate::CancelToken).
    #[error("interrupted")]
    Interrupted,
}

/// An I/O error of the connection: a timeout, or a lost connection, as
/// [`Error::Timeout`] and [`Error::Network`] tell them (a caller's own
/// transport, for example, can return `io::Error`s into `?`).
impl From<io::Error> for Error {
    fn from(error: io::Error) -> Self {
        Self::network(error, None)
    }
}

impl Error {
    /// The server's status code, if the server refused.
    #[must_use]
    pub const fn code(&self) -> Option<Code> {
        match self {
            Self::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// True if the connection cannot be used after this error.
    #[must_use]
    pub const fn is_fatal(&self) -> bool {
        match self {
            Self::Refused { code, .. } => code.is_fatal(),
            Self::File { .. }
            | Self::Output { .. }
            | Self::Exists { .. }
            | Self::BadName { .. }
            | Self::BadRange { .. } => false,
            _ => true,
        }
    }

    /// True for a connection that ended or failed on its way (closed by
    /// the server, reset, silent, refused while reconnecting): trying
    /// again on a new connection may succeed. A protocol violation, a
    /// refusal of the request itself or a local error is not.
    #[must_use]
    pub fn is_interruption(&self) -> bool {
        matches!(
            self,
            Self::Disconnected
                | Self::ShortBody { .. }
                | Self::Network(_)
                | Self::Timeout(_)
                | Self::Connect { .. }
                | Self::Closed
                | Self::NotHftp {
                    looks: Foreign::Silent,
                    ..
                }
        ) || matches!(self, Self::Proxy { source, .. } if source.is_transient())
    }

    /// Sorts an I/O error of the connection: a timeout, or a lost connection.
    pub(crate) fn network(error: io::Error, timeout: Option<Duration>) -> Self {
        match error.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Self::Timeout(timeout),
            _ => Self::Network(error),
        }
    }

    /// A file error with its path.
    pub(crate) fn file(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::File {
            path: path.into(),
            source,
        }
    }
}

/// `2.5 s`, or `the timeout` when unknown.
fn describe(timeout: Option<Duration>) -> String {
    timeout.map_or_else(
        || "longer than the timeout".to_owned(),
        |t| format!("{:.3} s", t.as_secs_f64()),
    )
}
