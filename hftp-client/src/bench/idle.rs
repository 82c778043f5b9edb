//! The `idle` mode: many connections held open, then every one asked
//! once; counts the correct answers and the time to get them all.

use std::thread;
use std::time::{Duration, Instant};

use hftp_proto::{ClientConfig, Code, Request};

use super::Error;
use super::Target;
use super::procfs::{self, Usage};
use super::stats::Measurement;
use super::wire::{self, Wire};
use crate::pipeline::{Pipeline, Step, no_body};

/// Options of the `idle` mode.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Idle {
    /// Connections to open and hold (each is a descriptor here too).
    pub(crate) conns: usize,
    /// Seconds to hold them silent before asking.
    pub(crate) hold: f64,
}

impl Idle {
    /// Connections to open and hold (each is a descriptor here too).
    #[must_use]
    pub const fn conns(mut self, conns: usize) -> Self {
        self.conns = conns;
        self
    }

    /// Seconds to hold them silent before asking.
    #[must_use]
    pub const fn hold(mut self, hold: f64) -> Self {
        self.hold = hold;
        self
    }
}

impl Default for Idle {
    /// 1000 connections held for a second.
    fn default() -> Self {
        Self {
            conns: 1000,
            hold: 1.0,
        }
    }
}

/// Opens `conns` connections, holds them silent, then asks `help` on
/// every one: how many answered right, and how fast; with the server's
/// process known, its memory and descriptors before, during and after.
///
/// # Errors
///
/// A connection cannot be opened.
pub fn idle(target: &Target, options: &Idle) -> Result<Measurement, Error> {
    let before = target.server_pid.and_then(procfs::usage);
    let started = Instant::now();
    let mut conns = Vec::with_capacity(options.conns);
    for _ in 0..options.conns {
        // Small buffers: `help` is all each will read.
        conns.push(Pipeline::new(
            wire::socket(target)?,
            &ClientConfig::default(),
            4096,
        ));
    }
    let opened = started.elapsed();
    thread::sleep(Duration::try_from_secs_f64(options.hold).unwrap_or_default());
    let during = target.server_pid.and_then(procfs::usage);
    let (correct, answered_in) = ask_all(&mut conns);
    drop(conns);
    let after = target
        .server_pid
        .zip(before)
        .and_then(|(pid, b)| procfs::settle(pid, b.fds, Duration::from_secs(10)));
    let wrong = (options.conns - correct) as u64;
    let line = Measurement::new("idle")
        .int("conns", options.conns as u64)
        .float("open_secs", opened.as_secs_f64(), 3)
        .int("correct", correct as u64)
        .int("wrong", wrong)
        .float("answer_secs", answered_in.as_secs_f64(), 3);
    Ok(usage_fields(line, before, during, after))
}

/// Adds the server's usage before, during and after, where known.
pub(crate) fn usage_fields(
    mut line: Measurement,
    before: Option<Usage>,
    during: Option<Usage>,
    after: Option<Usage>,
) -> Measurement {
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

/// Sends `help` on every connection, then reads every reply: how many
/// list exactly the commands of the protocol, and how long it took.
fn ask_all(conns: &mut [Wire]) -> (usize, Duration) {
    let started = Instant::now();
    let sent: Vec<bool> = conns
        .iter_mut()
        .map(|wire| {
            wire.queue(&Request::Help)
                .and_then(|()| wire.flush())
                .is_ok()
        })
        .collect();
    let correct = conns
        .iter_mut()
        .zip(sent)
        .map(|(wire, sent)| sent && help_is_right(wire))
        .filter(|&right| right)
        .count();
    (correct, started.elapsed())
}

/// True if the reply to `help` is `0 OK` and the command names in order.
fn help_is_right(wire: &mut Wire) -> bool {
    let mut expected = vec![Step::Status(Code::Ok)];
    expected.extend(hftp_proto::Command::ALL.map(|command| Step::Name(command.name().to_owned())));
    expected.push(Step::ListEnd);
    expected
        .into_iter()
        .all(|step| wire.next_step(&mut no_body).is_ok_and(|got| got == step))
}
