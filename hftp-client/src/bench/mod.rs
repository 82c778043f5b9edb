//! A load generator for HFTP servers (the `hftp bench` command).
//!
//! Each mode returns one [`Measurement`] (`ceiling` three), checks every
//! reply through the client's own connection, and is bounded in count
//! and time. [`ceiling`] measures the machine's own limits in the same
//! run, so the other figures can be read as a fraction of them.
//!
//! ```no_run
//! use hftp_client::bench::{self, Meta, Target};
//!
//! let target = Target::new("127.0.0.1:19500".parse::<std::net::SocketAddr>()?);
//! let measured = bench::meta(&target, &Meta::new("hola.txt").depth(16))?;
//! assert_eq!(measured.wrong(), 0, "{:?}", measured.problems());
//! println!("{}", measured.text_line());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod ceiling;
mod error;
mod idle;
mod meta;
mod multiplex;
mod procfs;
mod slice;
mod soak;
mod stall;
mod stats;
mod wire;

use std::time::Duration;

pub use ceiling::{Ceiling, ceiling};
pub use error::Error;
pub use idle::{Idle, idle};
pub use meta::{Meta, meta};
pub use slice::{Slice, slice};
pub use soak::{Soak, soak};
pub use stall::{Stall, stall};
pub use stats::{Measurement, Value};

use crate::Dialer;

/// The server under load, and what every mode needs to know of it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Target {
    /// The way to the server (directly, or through a proxy).
    pub(crate) dialer: Dialer,
    /// The limit on every connect, read and write.
    pub(crate) timeout: Duration,
    /// The server's process.
    pub(crate) server_pid: Option<u32>,
}

impl Target {
    /// The server `dialer` reaches, with 30 s per connect, read and
    /// write.
    #[must_use]
    pub fn new(dialer: impl Into<Dialer>) -> Self {
        Self {
            dialer: dialer.into(),
            timeout: Duration::from_secs(30),
            server_pid: None,
        }
    }

    /// The limit on every connect, read and write (30 s).
    #[must_use]
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The server's process, to report its resident memory and open
    /// descriptors from `/proc` (same machine only).
    #[must_use]
    pub const fn server_pid(mut self, pid: u32) -> Self {
        self.server_pid = Some(pid);
        self
    }
}
