//! A blocking client for HFTP, the file-transfer protocol of the
//! networking course "Redes y Sistemas Distribuidos" (FaMAF, UNC), and the
//! `hftp` command built on it.
//!
//! # Example
//!
//! ```no_run
//! use std::path::Path;
//! use hftp_client::{Client, Download};
//!
//! let mut client = Client::connect("localhost:19500")?;
//! let names = client.list()?;
//! // Many sizes in one round trip.
//! let sizes = client.metadata_many(&names)?;
//! for (name, size) in names.iter().zip(&sizes) {
//!     match size {
//!         Ok(size) => println!("{size:>12} {name}"),
//!         Err(refused) => eprintln!("{name}: {refused}"),
//!     }
//! }
//! // A slice streamed into any `io::Write`, in bounded memory.
//! client.slice_to("hola.txt", 4, 14, &mut std::io::stdout())?;
//! // A whole file, via `hola.txt.part`, renamed when complete.
//! Download::new("hola.txt", Path::new("hola.txt")).force(true).run(&mut client)?;
//! client.quit()?;
//! # Ok::<(), hftp_client::Error>(())
//! ```
//!
//! # Design
//!
//! - **A thin shell.** Nothing here parses or formats protocol text: a
//!   [`Client`] moves bytes between its stream and
//!   [`hftp_proto::ClientConnection`], which frames every reply by the
//!   request that asked for it and checks it against HFTP rule 11.
//! - **Bounded memory.** One read buffer and one body buffer per
//!   connection; bodies stream into the caller's sink, and long ranges go
//!   out as several pipelined slice requests.
//! - **Fast by default.** A server that answers `help` with `0` speaks the
//!   2026 revision, so bodies travel raw; otherwise base64 (see
//!   [`BodyForm`]).
//! - **Errors say who failed.** [`Error`] tells a refusal (with the
//!   server's [`Code`]) from a protocol violation, a timeout, a lost
//!   connection and a local file error.
//! - **Through Tor or any SOCKS5 proxy.** [`Builder::proxy`] sends every
//!   connection (retries, parallel ranges, the checker's) through a
//!   [`Proxy`]; a `socks5h` proxy is given the host name, so a `.onion`
//!   name never reaches the system resolver, and without one such a name
//!   is refused ([`Error::Onion`]):
//!
//! ```no_run
//! use hftp_client::{Builder, Proxy};
//!
//! let onion = "hftpexampleaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad.onion:19500";
//! let mut client = Builder::new().proxy(Some(Proxy::tor())).connect(onion)?;
//! println!("{:?}", client.list()?);
//! # Ok::<(), hftp_client::Error>(())
//! ```

mod addr;
#[cfg(feature = "bench")]
pub mod bench;
mod cancel;
#[cfg(feature = "check")]
pub mod check;
mod client;
mod dial;
pub mod download;
mod error;
mod foreign;
#[cfg(any(feature = "check", feature = "bench"))]
mod json;
mod lang;
mod name;
mod pipeline;
pub mod proxy;

pub use addr::{ParseAddrError, ServerAddr};
pub use cancel::CancelToken;
pub use client::{BodyForm, Builder, Client};
pub use dial::Dialer;
pub use download::{Download, Outcome, Progress, Retrying};
pub use error::Error;
pub use foreign::Foreign;
pub use hftp_proto::{Code, DEFAULT_PORT, Form, ProtocolError};
pub use lang::{LANG_VARIABLE, Lang, ParseLangError};
pub use name::NameProblem;
pub use proxy::{NoProxy, ParseProxyError, Proxy, ProxyError};

/// Entry points for the fuzz targets.
#[cfg(fuzzing)]
pub mod fuzzing {
    /// A SOCKS5 proxy's replies, fed to the handshake whole and one
    /// byte at a time (the first byte picks whether a login is offered):
    /// both must end the same way.
    pub fn socks_replies(data: &[u8]) {
        if let Some((&login, replies)) = data.split_first() {
            crate::proxy::fuzz_replies(replies, login & 1 == 1);
        }
    }
}

/// The workspace README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;

/// This crate's README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct CrateReadmeExamples;
