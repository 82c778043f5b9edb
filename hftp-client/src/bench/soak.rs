//! `hftp bench soak`: normal, slow, idle, vanishing and malformed
//! clients at once for a while; every wrong answer is reported.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use hftp_proto::{Code, Form, Request, reply};

use super::Error;
use super::Target;
use super::idle::usage_fields;
use super::procfs::{self, Sampler};
use super::stats::Measurement;
use super::wire::{self, Wire};
use crate::pipeline::Step;

/// Options of the `soak` mode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Soak {
    /// How long to run, in seconds.
    pub(crate) seconds: u64,
    /// The file the normal clients fetch (default: the first listed).
    pub(crate) name: Option<String>,
}

impl Soak {
    /// How long to run, in seconds.
    #[must_use]
    pub const fn seconds(mut self, seconds: u64) -> Self {
        self.seconds = seconds;
        self
    }

    /// The file the normal clients fetch (default: the first listed).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

impl Default for Soak {
    /// Ten seconds on the first file listed.
    fn default() -> Self {
        Self {
            seconds: 10,
            name: None,
        }
    }
}

/// The counts all clients share.
#[derive(Debug, Default)]
struct Counts {
    ok: AtomicU64,
    wrong: AtomicU64,
    problems: Mutex<Vec<String>>,
}

impl Counts {
    /// Records one answer; describes a wrong one (the first few).
    fn record(&self, kind: &str, result: Result<(), String>) {
        let Err(why) = result else {
            self.ok.fetch_add(1, Ordering::Relaxed);
            return;
        };
        self.wrong.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut problems) = self.problems.lock()
            && problems.len() < Measurement::MAX_PROBLEMS
        {
            problems.push(format!("wrong answer ({kind} client): {why}"));
        }
    }
}

/// One kind of client: one connection's work, and whether it went right.
type Client = fn(&Plan<'_>) -> Result<(), String>;

/// What every client knows.
struct Plan<'a> {
    target: &'a Target,
    name: &'a str,
    size: u64,
    until: Instant,
    counts: Counts,
}

/// Normal, slow, idle, vanishing and malformed clients at once for
/// `seconds`: how many answers, how many wrong (each described), and the
/// server's usage before, during and after.
///
/// # Errors
///
/// The server cannot be reached, lists no file, or refuses its size.
pub fn soak(target: &Target, options: &Soak) -> Result<Measurement, Error> {
    let mut wire = wire::connect(target)?;
    let name = match &options.name {
        Some(name) => name.clone(),
        None => first_name(&mut wire)?,
    };
    let size = wire::size_of(&mut wire, &name)?;
    drop(wire);
    let before = target.server_pid.and_then(procfs::usage);
    let sampler = target.server_pid.map(Sampler::start);
    let plan = Plan {
        target,
        name: &name,
        size,
        until: Instant::now() + Duration::from_secs(options.seconds),
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
    let after = target
        .server_pid
        .zip(before)
        .and_then(|(pid, b)| procfs::settle(pid, b.fds, Duration::from_secs(10)));
    let Counts {
        ok,
        wrong,
        problems,
    } = plan.counts;
    let wrong = wrong.into_inner();
    let line = Measurement::new("soak")
        .int("seconds", options.seconds)
        .text("name", name.as_str())
        .int("answers", ok.into_inner() + wrong)
        .int("wrong", wrong)
        .problems_from(problems.into_inner().unwrap_or_default());
    Ok(usage_fields(line, before, during, after))
}

/// The first name of the listing.
fn first_name(wire: &mut Wire) -> Result<String, Error> {
    let steps = wire::ask(wire, &Request::FileListing, &mut |_| {})?;
    steps
        .into_iter()
        .find_map(|step| match step {
            Step::Name(name) => Some(name),
            _ => None,
        })
        .ok_or_else(|| {
            Error::Server(crate::Error::from(io::Error::other(
                "the server lists no file: pass a name to fetch",
            )))
        })
}

/// Checks one reply of `wire` to a slice: exactly `size` body bytes.
fn slice_ok(wire: &mut Wire, request: &Request<'_>, size: u64) -> Result<(), String> {
    let mut got = 0;
    let steps =
        wire::ask(wire, request, &mut |b| got += b.len() as u64).map_err(|e| e.to_string())?;
    match (steps.as_slice(), got == size) {
        ([Step::Status(Code::Ok), Step::BodyEnd], true) => Ok(()),
        (other, _) => Err(format!("slice: {other:?}, {got} of {size} bytes")),
    }
}

/// A normal client: metadata and small slices, both forms, 50 requests
/// per connection.
fn normal(plan: &Plan<'_>) -> Result<(), String> {
    let mut wire = wire::connect(plan.target).map_err(|e| e.to_string())?;
    for round in 0..50u64 {
        let got = wire::size_of(&mut wire, plan.name).map_err(|e| e.to_string())?;
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

/// A connected stream with the target's timeouts.
fn connect(plan: &Plan<'_>) -> Result<TcpStream, String> {
    wire::socket(plan.target).map_err(|e| e.to_string())
}

/// The bytes of `request`, as the core encodes it.
fn encoded(request: &Request<'_>) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Every request here names the file the server listed, or none.
    let _ = request.encode(&mut bytes);
    bytes
}

/// The status line of `code`, as the core encodes it.
fn status(code: Code) -> Vec<u8> {
    let mut bytes = Vec::new();
    reply::write_status(code, &mut bytes);
    bytes
}

/// A slow client: a request one byte every 5 ms.
fn slow(plan: &Plan<'_>) -> Result<(), String> {
    let mut stream = connect(plan)?;
    let request = encoded(&Request::Metadata {
        name: "absent-file",
    });
    for byte in request {
        stream.write_all(&[byte]).map_err(|e| e.to_string())?;
        thread::sleep(Duration::from_millis(5));
    }
    read_expected(&mut stream, &status(Code::FileNotFound))
}

/// An idle client: silent for a second, then one request.
fn idle(plan: &Plan<'_>) -> Result<(), String> {
    let mut stream = connect(plan)?;
    thread::sleep(Duration::from_secs(1).min(plan.until.saturating_duration_since(Instant::now())));
    stream
        .write_all(b"get_metadata\r\n")
        .map_err(|e| e.to_string())?;
    read_expected(&mut stream, &status(Code::InvalidArguments))
}

/// A vanishing client: asks the whole file raw, reads a little, leaves.
fn vanishing(plan: &Plan<'_>) -> Result<(), String> {
    let mut stream = connect(plan)?;
    let request = encoded(&Request::Slice {
        name: plan.name,
        offset: 0,
        size: plan.size,
        form: Form::Raw,
    });
    stream.write_all(&request).map_err(|e| e.to_string())?;
    let mut some = [0; 16];
    stream
        .read_exact(&mut some)
        .map_err(|e| format!("reading a reply: {e}"))?;
    if some.starts_with(&status(Code::Ok)) {
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
        read_expected(&mut stream, &status(code))?;
        let mut rest = [0; 1];
        match stream.read(&mut rest) {
            Ok(0) => {}
            Err(e) if e.kind() == io::ErrorKind::ConnectionReset => {}
            other => return Err(format!("expected the close after {code}, got {other:?}")),
        }
    }
    Ok(())
}
