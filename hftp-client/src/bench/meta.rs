//! The `meta` mode: requests per second and latency of `get_metadata`,
//! pipelined to a depth on each of several connections.

use std::collections::VecDeque;
use std::time::Instant;

use hftp_proto::{Code, Request};

use super::Error;
use super::stats::{Measurement, Tally};
use super::wire::{self, Wire};
use super::{Target, ceiling, multiplex};
use crate::pipeline::{Step, no_body};

/// Options of the `meta` mode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Meta {
    /// The file whose size is asked.
    pub(crate) name: String,
    /// Requests in flight on each connection.
    pub(crate) depth: u64,
    /// Connections; several are driven by one thread with epoll.
    pub(crate) conns: u64,
    /// Requests in all, shared among the connections.
    pub(crate) requests: u64,
    /// Also measure the minimal round trip over loopback and print the
    /// ratio (meaningful with --depth 1 --conns 1).
    pub(crate) ceiling: bool,
}

impl Meta {
    /// Requests in flight on each connection.
    #[must_use]
    pub const fn depth(mut self, depth: u64) -> Self {
        self.depth = depth;
        self
    }

    /// Connections; several are driven by one thread with epoll.
    #[must_use]
    pub const fn conns(mut self, conns: u64) -> Self {
        self.conns = conns;
        self
    }

    /// Requests in all, shared among the connections.
    #[must_use]
    pub const fn requests(mut self, requests: u64) -> Self {
        self.requests = requests;
        self
    }

    /// Also measure the minimal round trip over loopback and print the
    /// ratio (meaningful with --depth 1 --conns 1).
    #[must_use]
    pub const fn ceiling(mut self, ceiling: bool) -> Self {
        self.ceiling = ceiling;
        self
    }
}

impl Meta {
    /// 100 000 requests for the size of `name`, one at a time on one
    /// connection, without a ceiling.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            depth: 1,
            conns: 1,
            requests: 100_000,
            ceiling: false,
        }
    }
}

/// `get_metadata` requests per second and their latency percentiles;
/// every answer is checked against the file's size.
///
/// # Errors
///
/// The server cannot be reached or refuses the file's size; later
/// failures count as wrong answers.
pub fn meta(target: &Target, options: &Meta) -> Result<Measurement, Error> {
    let size = wire::size_of(&mut wire::connect(target)?, &options.name)?;
    let conns = options.conns.max(1);
    let quotas: Vec<u64> = (0..conns)
        .map(|index| options.requests / conns + u64::from(index < options.requests % conns))
        .collect();
    let depth = options.depth.max(1);
    let started = Instant::now();
    let mut all = if conns == 1 {
        worker(target, &options.name, size, (options.requests, depth))
    } else {
        let wires = quotas
            .iter()
            .map(|_| wire::connect(target))
            .collect::<Result<Vec<_>, _>>()?;
        multiplex::run(wires, &quotas, (&options.name, size, depth), target.timeout)?
    };
    let took = started.elapsed();
    let answered = all.latencies.len() as u64;
    let rate = answered as f64 / took.as_secs_f64().max(1e-9);
    let mut line = Measurement::new("meta")
        .text("name", options.name.as_str())
        .int("depth", options.depth)
        .int("conns", conns)
        .int("requests", options.requests)
        .int("answered", answered)
        .float("secs", took.as_secs_f64(), 3)
        .float("req/s", rate, 0)
        .micros("p50_us", all.latencies.percentile(50.0))
        .micros("p99_us", all.latencies.percentile(99.0))
        .micros("max_us", all.latencies.percentile(100.0))
        .int("wrong", all.wrong)
        .problems_from(all.problems);
    if options.ceiling {
        let rtt = ceiling::round_trip(20_000).map_err(Error::Machine)?;
        let ceiling = 1.0 / rtt.as_secs_f64().max(1e-12);
        line = line
            .float("ceiling_req/s", ceiling, 0)
            .float("ratio", rate / ceiling, 3);
    }
    Ok(line)
}

/// `n` requests on one connection, `depth` in flight.
fn worker(target: &Target, name: &str, size: u64, (n, depth): (u64, u64)) -> Tally {
    let mut tally = Tally::default();
    let result = wire::connect(target)
        .and_then(|mut wire| pipeline(&mut wire, name, size, (n, depth), &mut tally));
    if let Err(error) = result {
        tally.lost(n - tally.latencies.len() as u64, &error);
    }
    tally
}

/// Keeps `depth` requests in flight until `n` are answered.
fn pipeline(
    wire: &mut Wire,
    name: &str,
    size: u64,
    (n, depth): (u64, u64),
    tally: &mut Tally,
) -> Result<(), crate::Error> {
    let mut sent_at = VecDeque::with_capacity(usize::try_from(depth).unwrap_or(0));
    let mut sent = 0;
    let mut done = 0;
    while done < n {
        while sent < n && sent - done < depth {
            wire.queue(&Request::Metadata { name })?;
            sent_at.push_back(Instant::now());
            sent += 1;
        }
        wire.flush()?;
        let step = wire.next_step(&mut no_body)?;
        if step == Step::Status(Code::Ok) {
            continue;
        }
        done += 1;
        tally.answer(&step, size, sent_at.pop_front());
    }
    Ok(())
}
