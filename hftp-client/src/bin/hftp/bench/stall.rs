//! `hftp bench stall`: clients that ask for a long reply and never read
//! it. Reports the server's memory before, at its peak while they stall,
//! and after they leave: what a stalled reader costs a server.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use hftp_proto::{ClientConfig, ClientConnection, Code, Form, Request};

use super::Common;
use super::idle::usage_fields;
use super::procfs::{self, Sampler};
use super::stats::Line;
use super::wire::Wire;

/// Options of `hftp bench stall`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Stalled connections to open.
    #[arg(long, value_name = "N", default_value_t = 50)]
    conns: usize,
    /// Ask for this file's whole body instead of the listing.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// With `--name`: ask for the raw form instead of base64.
    #[arg(long, requires = "name")]
    raw: bool,
    /// Seconds to hold the stalled connections once all are answered.
    #[arg(long, value_name = "SECS", default_value_t = 2.0)]
    hold: f64,
}

/// Opens, asks, stalls, leaves, prints the result line; returns the
/// wrong answers (a first status line other than `0`).
pub(crate) fn run(args: &Args, common: &Common) -> io::Result<u64> {
    let request_bytes = request(args, common)?;
    let before = common.server_pid.and_then(procfs::usage);
    let sampler = common.server_pid.map(Sampler::start);
    let mut conns = Vec::with_capacity(args.conns);
    let mut correct = 0;
    for _ in 0..args.conns {
        let mut stream = TcpStream::connect_timeout(&common.addr, common.timeout)?;
        stream.set_read_timeout(Some(common.timeout))?;
        stream.write_all(&request_bytes)?;
        correct += u64::from(answered_ok(&mut stream));
        conns.push(stream);
    }
    thread::sleep(Duration::try_from_secs_f64(args.hold).unwrap_or_default());
    let during = sampler.map(Sampler::finish);
    drop(conns);
    let after = common
        .server_pid
        .zip(before)
        .and_then(|(pid, b)| procfs::settle(pid, b.fds, Duration::from_secs(10)));
    let wrong = args.conns as u64 - correct;
    let asked = args
        .name
        .as_deref()
        .map_or("listing", |_| if args.raw { "raw" } else { "base64" });
    let line = Line::new("stall")
        .text("asked", asked)
        .int("conns", args.conns as u64)
        .int("correct", correct)
        .int("wrong", wrong);
    usage_fields(line, before, during, after).print(common.json);
    Ok(wrong)
}

/// The request every stalled client sends, encoded by hftp_proto: the
/// listing, or the whole of `--name` (its size asked first).
fn request(args: &Args, common: &Common) -> io::Result<Vec<u8>> {
    let request = match &args.name {
        None => Request::FileListing,
        Some(name) => Request::Slice {
            name,
            offset: 0,
            size: Wire::connect(common.addr, common.timeout)?.size_of(name)?,
            form: if args.raw { Form::Raw } else { Form::Base64 },
        },
    };
    let mut bytes = Vec::new();
    ClientConnection::new(&ClientConfig::default())
        .send(&request, &mut bytes)
        .map_err(io::Error::other)?;
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
