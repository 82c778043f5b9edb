//! A safe, concurrent HFTP file server on blocking sockets and threads.
//!
//! HFTP is the file-transfer protocol of the networking course "Redes y
//! Sistemas Distribuidos" (FaMAF, UNC). This crate is the shell around
//! the sans-IO core [`hftp_proto`]: it owns the sockets, the files, the
//! threads and the clock, and leaves every byte of protocol to the core.
//!
//! # Example
//!
//! Serve a directory on a free port, in-process, and stop:
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("hola.txt"), "Que calor que hace hoy, pinocho!\n")?;
//! let config = hftp_server::Config::new(dir.path()).address("127.0.0.1".parse()?).port(0);
//! let server = hftp_server::Server::bind(&config)?.spawn()?;
//!
//! let mut client = std::net::TcpStream::connect(server.local_addr())?;
//! client.write_all(b"get_metadata hola.txt\r\nquit\r\n")?;
//! let mut reply = Vec::new();
//! client.read_to_end(&mut reply)?;
//! assert_eq!(reply, b"0 OK\r\n33\r\n0 OK\r\n");
//!
//! server.stop()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design
//!
//! - **A thread per connection**, with a small stack, up to
//!   [`Config::max_connections`], and at most
//!   [`Config::max_per_address`] from one address. When the server is
//!   full, a newcomer closes the connection quiet the longest
//!   ([`Config::evict_idle_after`]); otherwise it is answered `199` and
//!   closed. The accept loop never stops for load: it backs off when out
//!   of descriptors.
//! - **Bounded memory per connection**: an 8 KiB input buffer fed to the
//!   core as bytes arrive (a 5 MiB name costs nothing), let go once the
//!   client has been quiet for a second; body buffers only while a body
//!   is in flight; one listing per directory state, shared by every
//!   connection sending it.
//! - **Confinement** (rule 6): the served directory is pinned to its real
//!   path at startup and looked up again through it, refusing symbolic
//!   links, for every batch of requests; names reach only regular files
//!   beneath it, through `openat2(RESOLVE_BENEATH)` on Linux.
//! - **Bodies stream** through a buffer the server owns, never by
//!   reference to the page cache (`sendfile`): every byte sent is the
//!   file's. A body that cannot be completed is never padded: the
//!   connection closes (rule 8).
//! - **Behind a load balancer** ([`Config::proxy_protocol`]), each
//!   connection begins with a PROXY protocol header (v1 or v2) from an
//!   address the operator named; the client it names is the one the
//!   logs and the per-address cap see.
//! - **As a Tor onion service** ([`onion`]), the server listens on
//!   loopback and tor's control port adds the service (`ADD_ONION`) for
//!   as long as the control connection lasts; a tor of its own, if one
//!   is started, lives in a private temporary directory.
//! - **The log speaks English or Spanish** ([`Config::lang`]); the
//!   request log's fields and every byte a client receives are the same
//!   in both. The library never reads the environment: the command
//!   chooses the language ([`Lang::from_vars`]).
//! - **Timeouts** close idle clients, clients whose request line takes too
//!   long ([`Config::request_timeout`]) and clients that stop reading; a
//!   [`ShutdownHandle`] stops the server gracefully.
//!
//! The numbered rules are those of the protocol specification,
//! [`hftp_proto::spec`].

#[cfg(not(unix))]
compile_error!("hftp-server runs on Unix systems (Linux, the BSDs, macOS)");

mod body;
mod config;
mod connection;
mod error;
mod files;
mod lang;
mod listener;
mod listing;
mod network;
pub mod onion;
mod proxied;
mod proxy;
mod refusal;
mod registry;
mod request_log;
mod server;
mod shared;
mod survey;
mod text;

pub use config::Config;
pub use error::Error;
pub use lang::{LANG_VARIABLE, Lang, ParseLangError};
pub use network::{Network, NetworkParseError};
pub use server::{RunningServer, Server, ShutdownHandle};

/// Oracles for the fuzz targets in `fuzz/`, compiled only with `--cfg
/// fuzzing` (as `cargo fuzz` sets it): each panics if two ways of doing
/// the same thing disagree.
#[cfg(fuzzing)]
pub mod fuzzing {
    /// The PROXY header decoder gives the same outcome for `data` whole,
    /// one byte at a time and split at a point its first byte picks, and
    /// never ends a header past the longest the format allows.
    pub fn proxy_header(data: &[u8]) {
        crate::proxy::check_splits(data);
    }

    /// The tor control-port reply decoder gives the same replies and the
    /// same error or state for `data` whole, one byte at a time and split
    /// at a point its first byte picks, with the default limits and with
    /// small ones; it takes every byte when no reply ends, and errors are
    /// sticky.
    pub fn tor_control_reply(data: &[u8]) {
        crate::onion::reply::check_splits(data);
    }
}

/// This crate's README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadmeExamples;
