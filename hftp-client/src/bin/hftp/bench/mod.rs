//! `hftp bench`: a load generator for HFTP servers.
//!
//! Each mode prints one result line (`--json`: one JSON object), checks
//! every reply, and is bounded in count and time. `ceiling` measures the
//! machine's own limits in the same run, so the other figures can be
//! read as a fraction of them.

mod ceiling;
mod idle;
mod meta;
mod multiplex;
mod procfs;
mod slice;
mod soak;
mod stall;
mod stats;
mod wire;

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use crate::exit::{Exit, Failure};
use crate::session::Session;

/// Options of `hftp bench`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    mode: Mode,

    /// Print the result as one JSON object per line.
    #[arg(long, global = true)]
    json: bool,

    /// The server's process id, to report its RSS and open descriptors
    /// from /proc (same machine only).
    #[arg(long, global = true, value_name = "PID")]
    server_pid: Option<u32>,
}

/// What to measure.
#[derive(Debug, Clone, clap::Subcommand)]
enum Mode {
    /// Download throughput of one file, MB/s of file bytes.
    Slice(slice::Args),
    /// get_metadata requests/s and latency, pipelined, on C connections.
    Meta(meta::Args),
    /// Hold N idle connections, then ask every one.
    Idle(idle::Args),
    /// A mix of normal, slow, idle, vanishing and malformed clients.
    Soak(soak::Args),
    /// N clients ask for a long reply and never read it: the server's
    /// memory while they stall and after they leave.
    Stall(stall::Args),
    /// The machine's limits, with no server: loopback TCP, base64 over
    /// loopback, minimal round trip.
    Ceiling(ceiling::Args),
}

/// What every mode works with.
pub(crate) struct Common {
    /// The server.
    pub(crate) addr: SocketAddr,
    /// The limit on every connect, read and write.
    pub(crate) timeout: Duration,
    /// Print JSON.
    pub(crate) json: bool,
    /// The server's process, if known.
    pub(crate) server_pid: Option<u32>,
}

/// Runs the mode; exit 1 if any answer was wrong.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let fail = |error: io::Error| Failure::Error {
        exit: if error.kind() == io::ErrorKind::ConnectionRefused {
            Exit::Connect
        } else {
            Exit::Other
        },
        message: format!("bench: {error}"),
    };
    if let Mode::Ceiling(ceiling) = &args.mode {
        return ceiling::run(ceiling, args.json).map_err(fail);
    }
    let server = &session.conn.server;
    let addr = server
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or_else(|| Failure::usage(format!("cannot resolve {server}")))?;
    let common = Common {
        addr,
        timeout: Duration::from_secs(30),
        json: args.json,
        server_pid: args.server_pid,
    };
    let wrong = match &args.mode {
        Mode::Slice(a) => slice::run(a, &common),
        Mode::Meta(a) => meta::run(a, &common),
        Mode::Idle(a) => idle::run(a, &common),
        Mode::Soak(a) => soak::run(a, &common),
        Mode::Stall(a) => stall::run(a, &common),
        Mode::Ceiling(_) => Ok(0),
    }
    .map_err(fail)?;
    if wrong > 0 {
        return Err(Failure::Reported(Exit::Other));
    }
    Ok(())
}
