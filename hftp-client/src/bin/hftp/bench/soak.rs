//! `hftp bench soak`: normal, slow, idle, vanishing and malformed
//! clients at once for a while; every wrong answer is reported.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use hftp_proto::{Code, Form, Request};

use super::Common;
use super::idle::usage_fields;
use super::procfs::{self, Sampler};
use super::stats::Line;
use super::wire::{Step, Wire};
use crate::check::expected_status;

/// Options of `hftp bench soak`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// How long to run.
    #[arg(long, value_name = "N", default_value_t = 10)]
    seconds: u64,
    /// The file the normal clients fetch (default: the first listed).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

/// The counts all clients share.
#[derive(Debug, Default)]
struct Counts {
    ok: AtomicU64,
    wrong: AtomicU64,
}

impl Counts {
    /// Records one answer; prints a wrong one (the first 50).
    fn record(&self, kind: &str, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.ok.fetch_add(1, Ordering::Relaxed);
            }
            Err(why) => {
                if self.wrong.fetch_add(1, Ordering::Relaxed) < 50 {
                    eprintln!("hftp bench soak: wrong answer ({kind} client): {why}");
                }
            }
        }
    }
}

/// One kind of client: one connection's work, and whether it went right.
type Client = fn(&Plan<'_>) -> Result<(), String>;

/// What every client knows.
struct Plan<'a> {
    common: &'a Common,
    name: &'a str,
    size: u64,
    until: Instant,
    counts: Counts,
}

/// Runs the mix, prints the result line; returns the wrong answers.
pub(crate) fn run(args: &Args, common: &Common) -> io::Result<u64> {
    let mut wire = Wire::connect(common.addr, common.timeout)?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => first_name(&mut wire)?,
    };
    let size = wire.size_of(&name)?;
    drop(wire);
    let before = common.server_pid.and_then(procfs::usage);
    let sampler = common.server_pid.map(Sampler::start);
    let plan = Plan {
        common,
        name: &name,
        size,
        until: Instant::now() + Duration::from_secs(args.seconds),
        counts: Counts::default(),
    };
    let clients: [(&str, Client); 6] = [
        ("normal", normal),
        ("normal", normal),
        ("slow", slow),
        ("idle", idle),
        ("vanishing", vanishing),
        ("malformed", malformed),
    ];
    thread::scope(|scope| {
        for (kind, client) in clients {
            let plan = &plan;
            scope.spawn(move || {
                while Instant::now() < plan.until {
                    plan.counts.record(kind, client(plan));
                }
            });
        }
    });
    let during = sampler.map(Sampler::finish);
    let after = common
        .server_pid
        .zip(before)
        .and_then(|(pid, b)| procfs::settle(pid, b.fds, Duration::from_secs(10)));
    let wrong = plan.counts.wrong.load(Ordering::Relaxed);
    let line = Line::new("soak")
        .int("seconds", args.seconds)
        .text("name", name.as_str())
        .int("answers", plan.counts.ok.load(Ordering::Relaxed) + wrong)
        .int("wrong", wrong);
    usage_fields(line, before, during, after).print(common.json);
    Ok(wrong)
}

/// The first name of the listing.
fn first_name(wire: &mut Wire) -> io::Result<String> {
    let steps = wire.ask(&Request::FileListing, &mut |_| {})?;
    steps
        .into_iter()
        .find_map(|step| match step {
            Step::Name(name) => Some(name),
            _ => None,
        })
        .ok_or_else(|| io::Error::other("the server lists no file: pass --name"))
}

/// Checks one reply of `wire` to a slice: exactly `size` body bytes.
fn slice_ok(wire: &mut Wire, request: &Request<'_>, size: u64) -> Result<(), String> {
    let mut got = 0;
    let steps = wire
        .ask(request, &mut |b| got += b.len() as u64)
        .map_err(|e| e.to_string())?;
    match (steps.as_slice(), got == size) {
        ([Step::Status(Code::Ok), Step::BodyEnd], true) => Ok(()),
        (other, _) => Err(format!("slice: {other:?}, {got} of {size} bytes")),
    }
}

/// A normal client: metadata and small slices, both forms, 50 requests
/// per connection.
fn normal(plan: &Plan<'_>) -> Result<(), String> {
    let mut wire =
        Wire::connect(plan.common.addr, plan.common.timeout).map_err(|e| e.to_string())?;
    for round in 0..50u64 {
        let got = wire.size_of(plan.name).map_err(|e| e.to_string())?;
        if got != plan.size {
            return Err(format!("size {got}, expected {}", plan.size));
        }
        let len = plan.size.min(4096 + round);
        let offset = (round * 7919) % (plan.size - len + 1);
        let form = if round % 2 == 0 {
            Form::Raw
        } else {
            Form::Base64
        };
        slice_ok(
            &mut wire,
            &Request::Slice {
                name: plan.name,
                offset,
                size: len,
                form,
            },
            len,
        )?;
    }
    Ok(())
}

/// Reads exactly `expected`, or says what came instead.
fn read_expected(stream: &mut TcpStream, expected: &[u8]) -> Result<(), String> {
    let mut got = vec![0; expected.len()];
    stream
        .read_exact(&mut got)
        .map_err(|e| format!("reading a reply: {e}"))?;
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "got {:?}, expected {:?}",
            got.escape_ascii().to_string(),
            expected.escape_ascii().to_string()
        ))
    }
}

/// A connected stream with the common timeouts.
fn connect(plan: &Plan<'_>) -> Result<TcpStream, String> {
    let stream = TcpStream::connect_timeout(&plan.common.addr, plan.common.timeout)
        .map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(plan.common.timeout))
        .map_err(|e| e.to_string())?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    Ok(stream)
}

/// A slow client: a request one byte every 5 ms.
fn slow(plan: &Plan<'_>) -> Result<(), String> {
    let mut stream = connect(plan)?;
    for byte in b"get_metadata absent-file\r\n" {
        stream.write_all(&[*byte]).map_err(|e| e.to_string())?;
        thread::sleep(Duration::from_millis(5));
    }
    read_expected(&mut stream, &expected_status(Code::FileNotFound))
}

/// An idle client: silent for a second, then one request.
fn idle(plan: &Plan<'_>) -> Result<(), String> {
    let mut stream = connect(plan)?;
    thread::sleep(Duration::from_secs(1).min(plan.until.saturating_duration_since(Instant::now())));
    stream
        .write_all(b"get_metadata\r\n")
        .map_err(|e| e.to_string())?;
    read_expected(&mut stream, &expected_status(Code::InvalidArguments))
}

/// A vanishing client: asks the whole file raw, reads a little, leaves.
fn vanishing(plan: &Plan<'_>) -> Result<(), String> {
    let mut stream = connect(plan)?;
    let line = format!("get_slice {} 0 {} raw\r\n", plan.name, plan.size);
    stream
        .write_all(line.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut some = [0; 16];
    stream
        .read_exact(&mut some)
        .map_err(|e| format!("reading a reply: {e}"))?;
    if some.starts_with(b"0 OK\r\n") {
        Ok(())
    } else {
        Err(format!("got {:?}", some.escape_ascii().to_string()))
    }
}

/// A malformed client: bad line ends and empty lines, answered by a
/// fatal status and a close.
fn malformed(plan: &Plan<'_>) -> Result<(), String> {
    for (line, code) in [
        (&b"help\n"[..], Code::BadEol),
        (b"\r\n", Code::BadRequest),
        (b"x\ry", Code::BadEol),
    ] {
        let mut stream = connect(plan)?;
        stream.write_all(line).map_err(|e| e.to_string())?;
        read_expected(&mut stream, &expected_status(code))?;
        let mut rest = [0; 1];
        match stream.read(&mut rest) {
            Ok(0) => {}
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
            other => return Err(format!("expected the close after {code}, got {other:?}")),
        }
    }
    Ok(())
}
