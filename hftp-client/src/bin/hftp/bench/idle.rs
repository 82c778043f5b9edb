//! `hftp bench idle`: many connections held open, then every one asked
//! once; counts the correct answers and the time to get them all.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use super::Common;
use super::procfs::{self, Usage};
use super::stats::Line;
use crate::check::expected_help;

/// Options of `hftp bench idle`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Connections to open and hold (each is a descriptor here too).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    conns: usize,
    /// Seconds to hold them silent before asking.
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    hold: f64,
}

/// Opens, holds, asks, prints the result line; returns the wrong answers.
pub(crate) fn run(args: &Args, common: &Common) -> io::Result<u64> {
    let before = common.server_pid.and_then(procfs::usage);
    let started = Instant::now();
    let mut conns = Vec::with_capacity(args.conns);
    for _ in 0..args.conns {
        let stream = TcpStream::connect_timeout(&common.addr, common.timeout)?;
        stream.set_read_timeout(Some(common.timeout))?;
        stream.set_write_timeout(Some(common.timeout))?;
        conns.push(stream);
    }
    let opened = started.elapsed();
    thread::sleep(Duration::try_from_secs_f64(args.hold).unwrap_or_default());
    let during = common.server_pid.and_then(procfs::usage);
    let (correct, answered_in) = ask_all(&mut conns);
    drop(conns);
    let after = common
        .server_pid
        .zip(before)
        .and_then(|(pid, b)| procfs::settle(pid, b.fds, Duration::from_secs(10)));
    let wrong = (args.conns - correct) as u64;
    let mut line = Line::new("idle")
        .int("conns", args.conns as u64)
        .float("open_secs", opened.as_secs_f64(), 3)
        .int("correct", correct as u64)
        .int("wrong", wrong)
        .float("answer_secs", answered_in.as_secs_f64(), 3);
    line = usage_fields(line, before, during, after);
    line.print(common.json);
    Ok(wrong)
}

/// Adds the server's usage before, during and after, when known.
pub(crate) fn usage_fields(
    mut line: Line,
    before: Option<Usage>,
    during: Option<Usage>,
    after: Option<Usage>,
) -> Line {
    for (rss, fds, usage) in [
        ("rss_before_kib", "fds_before", before),
        ("rss_during_kib", "fds_during", during),
        ("rss_after_kib", "fds_after", after),
    ] {
        if let Some(usage) = usage {
            line = line.int(rss, usage.rss_kib).int(fds, usage.fds);
        }
    }
    line
}

/// Sends `help` on every connection, then reads every answer; returns
/// the correct ones and the time from the first send to the last answer.
fn ask_all(conns: &mut [TcpStream]) -> (usize, Duration) {
    let expected = expected_help();
    let started = Instant::now();
    let sent: Vec<bool> = conns
        .iter_mut()
        .map(|c| c.write_all(b"help\r\n").is_ok())
        .collect();
    let mut reply = vec![0; expected.len()];
    let mut correct = 0;
    for (conn, sent) in conns.iter_mut().zip(sent) {
        let ok = sent && conn.read_exact(&mut reply).is_ok() && reply == expected;
        correct += usize::from(ok);
    }
    (correct, started.elapsed())
}
