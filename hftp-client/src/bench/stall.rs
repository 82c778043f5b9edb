//! `hftp bench stall`: clients that ask for a long reply and never read
//! it. Reports the server's memory before, at its peak while they stall,
//! and after they leave: what a stalled reader costs a server.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use hftp_proto::{Code, Form, Request};

use super::Error;
use super::Target;
use super::idle::usage_fields;
use super::procfs::{self, Sampler};
use super::stats::Measurement;
use super::wire;
use crate::pipeline::unsendable;

/// Options of the `stall` mode.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Stall {
    /// Stalled connections to open.
    pub(crate) conns: usize,
    /// Ask for this file's whole body instead of the listing.
    pub(crate) name: Option<String>,
    /// With `--name`: ask for the raw form instead of base64.
    pub(crate) raw: bool,
    /// Seconds to hold the stalled connections once all are answered.
    pub(crate) hold: f64,
}

impl Stall {
    /// Stalled connections to open.
    #[must_use]
    pub const fn conns(mut self, conns: usize) -> Self {
        self.conns = conns;
        self
    }

    /// Ask for this file's whole body instead of the listing.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// With `--name`: ask for the raw form instead of base64.
    #[must_use]
    pub const fn raw(mut self, raw: bool) -> Self {
        self.raw = raw;
        self
    }

    /// Seconds to hold the stalled connections once all are answered.
    #[must_use]
    pub const fn hold(mut self, hold: f64) -> Self {
        self.hold = hold;
        self
    }
}

impl Default for Stall {
    /// 50 clients asking the listing, held 2 s.
    fn default() -> Self {
        Self {
            conns: 50,
            name: None,
            raw: false,
            hold: 2.0,
        }
    }
}

/// Opens `conns` clients that ask for a long reply and never read it,
/// holds them, then closes them: how many were answered `0`, and the
/// server's memory before, at its peak while they stall, and after.
///
/// # Errors
///
/// A connection cannot be opened, or the file's size is refused.
pub fn stall(target: &Target, options: &Stall) -> Result<Measurement, Error> {
    let request_bytes = request(options, target)?;
    let before = target.server_pid.and_then(procfs::usage);
    let sampler = target.server_pid.map(Sampler::start);
    let mut conns = Vec::with_capacity(options.conns);
    let mut correct = 0;
    for _ in 0..options.conns {
        let mut stream = wire::socket(target)?;
        stream
            .write_all(&request_bytes)
            .map_err(crate::Error::from)?;
        correct += u64::from(answered_ok(&mut stream));
        conns.push(stream);
    }
    thread::sleep(Duration::try_from_secs_f64(options.hold).unwrap_or_default());
    let during = sampler.map(Sampler::finish);
    drop(conns);
    let after = target
        .server_pid
        .zip(before)
        .and_then(|(pid, b)| procfs::settle(pid, b.fds, Duration::from_secs(10)));
    let wrong = options.conns as u64 - correct;
    let asked = options
        .name
        .as_deref()
        .map_or("listing", |_| if options.raw { "raw" } else { "base64" });
    let line = Measurement::new("stall")
        .text("asked", asked)
        .int("conns", options.conns as u64)
        .int("correct", correct)
        .int("wrong", wrong);
    Ok(usage_fields(line, before, during, after))
}

/// The request every stalled client sends, encoded by hftp_proto: the
/// listing, or the whole of `--name` (its size asked first).
fn request(options: &Stall, target: &Target) -> Result<Vec<u8>, Error> {
    let request = match &options.name {
        None => Request::FileListing,
        Some(name) => Request::Slice {
            name,
            offset: 0,
            size: wire::size_of(&mut wire::connect(target)?, name)?,
            form: if options.raw { Form::Raw } else { Form::Base64 },
        },
    };
    let mut bytes = Vec::new();
    request
        .encode(&mut bytes)
        .map_err(|_| unsendable(&request))?;
    Ok(bytes)
}

/// Reads the reply's first line only: `0 OK` means the server started the
/// long reply, which this client then never reads.
fn answered_ok(stream: &mut TcpStream) -> bool {
    let mut expected = Vec::new();
    hftp_proto::reply::write_status(Code::Ok, &mut expected);
    let mut first = vec![0; expected.len()];
    stream.read_exact(&mut first).is_ok() && first == expected
}
