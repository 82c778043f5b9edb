//! `hftp bench meta`: requests per second and latency of `get_metadata`,
//! pipelined to a depth on each of several connections.

use std::collections::VecDeque;
use std::io;
use std::time::Instant;

use hftp_proto::{Code, Request};

use super::stats::{Latencies, Line};
use super::wire::{Step, Wire};
use super::{Common, ceiling, multiplex};

/// Options of `hftp bench meta`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// The file whose size is asked.
    name: String,
    /// Requests in flight on each connection.
    #[arg(long, value_name = "D", default_value_t = 1)]
    depth: u64,
    /// Connections; several are driven by one thread with poll.
    #[arg(long, value_name = "C", default_value_t = 1)]
    conns: u64,
    /// Requests in all, shared among the connections.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    requests: u64,
    /// Also measure the minimal round trip over loopback and print the
    /// ratio (meaningful with --depth 1 --conns 1).
    #[arg(long)]
    ceiling: bool,
}

/// What one connection did.
#[derive(Debug, Default)]
struct Tally {
    latencies: Latencies,
    wrong: u64,
}

/// Runs the load, prints the result line; returns the wrong answers.
pub(crate) fn run(args: &Args, common: &Common) -> io::Result<u64> {
    let size = Wire::connect(common.addr, common.timeout)?.size_of(&args.name)?;
    let conns = args.conns.max(1);
    let quotas: Vec<u64> = (0..conns)
        .map(|index| args.requests / conns + u64::from(index < args.requests % conns))
        .collect();
    let depth = args.depth.max(1);
    let started = Instant::now();
    let mut all = if conns == 1 {
        worker(common, &args.name, size, (args.requests, depth))
    } else {
        let wires = quotas
            .iter()
            .map(|_| Wire::connect(common.addr, common.timeout))
            .collect::<io::Result<Vec<_>>>()?;
        let tally = multiplex::run(wires, &quotas, (&args.name, size, depth), common.timeout)?;
        Tally {
            latencies: tally.latencies,
            wrong: tally.wrong,
        }
    };
    let took = started.elapsed();
    let answered = all.latencies.len() as u64;
    let rate = answered as f64 / took.as_secs_f64().max(1e-9);
    let mut line = Line::new("meta")
        .text("name", args.name.as_str())
        .int("depth", args.depth)
        .int("conns", conns)
        .int("requests", args.requests)
        .int("answered", answered)
        .float("secs", took.as_secs_f64(), 3)
        .float("req/s", rate, 0)
        .micros("p50_us", all.latencies.percentile(50.0))
        .micros("p99_us", all.latencies.percentile(99.0))
        .micros("max_us", all.latencies.percentile(100.0))
        .int("wrong", all.wrong);
    if args.ceiling {
        let rtt = ceiling::round_trip(20_000)?;
        let ceiling = 1.0 / rtt.as_secs_f64().max(1e-12);
        line = line
            .float("ceiling_req/s", ceiling, 0)
            .float("ratio", rate / ceiling, 3);
    }
    line.print(common.json);
    Ok(all.wrong)
}

/// One connection: `n` requests, `depth` in flight.
fn worker(common: &Common, name: &str, size: u64, (n, depth): (u64, u64)) -> Tally {
    let mut tally = Tally::default();
    let mut wire = match Wire::connect(common.addr, common.timeout) {
        Ok(wire) => wire,
        Err(error) => {
            eprintln!("hftp bench: connect: {error}");
            tally.wrong = n;
            return tally;
        }
    };
    if let Err(error) = pipeline(&mut wire, name, size, (n, depth), &mut tally) {
        eprintln!("hftp bench: {error}");
        tally.wrong += n - tally.latencies.len() as u64;
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
) -> io::Result<()> {
    let mut sent_at = VecDeque::with_capacity(depth as usize);
    let mut sent = 0;
    let mut done = 0;
    while done < n {
        while sent < n && sent - done < depth {
            wire.queue(&Request::Metadata { name })?;
            sent_at.push_back(Instant::now());
            sent += 1;
        }
        wire.flush()?;
        let step = wire.next(&mut |_| {})?;
        let finished = match step {
            Step::Status(Code::Ok) => continue,
            Step::Size(got) => got == size,
            _ => false,
        };
        done += 1;
        tally.wrong += u64::from(!finished);
        if let Some(at) = sent_at.pop_front() {
            tally.latencies.push(at.elapsed());
        }
    }
    Ok(())
}
