//! Why a server could not start.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Why [`Server::bind`](crate::Server::bind) failed. Each variant says
/// what could not be had, so a caller can match on it; its `Display` is
/// the one line the command prints.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The served directory cannot be served: missing, not a directory,
    /// or not listable.
    #[error("cannot serve {}: {source}", path.display())]
    Directory {
        /// The directory as given.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// The server cannot listen on the address: the port is taken, the
    /// address is not on this machine, or binding needs a privilege.
    #[error("cannot listen on {address}: {source}")]
    Listen {
        /// The address asked for.
        address: SocketAddr,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The listening socket handed over (by systemd's socket activation)
    /// cannot be used.
    #[error("cannot use the listening socket passed in: {source}")]
    Inherited {
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// A connection cap is out of range.
    #[error("the connection caps must be from 1 to {max}; {name} is {value}")]
    Limit {
        /// The setting: `max_connections` or `max_per_address`.
        name: &'static str,
        /// Its value.
        value: usize,
        /// The highest value accepted.
        max: usize,
    },
}

/// The same failure as an `io::Error` of the matching kind, its message
/// kept, for callers that only handle those.
impl From<Error> for io::Error {
    fn from(error: Error) -> Self {
        let kind = match &error {
            Error::Directory { source, .. }
            | Error::Listen { source, .. }
            | Error::Inherited { source } => source.kind(),
            Error::Limit { .. } => io::ErrorKind::InvalidInput,
        };
        Self::new(kind, error)
    }
}
