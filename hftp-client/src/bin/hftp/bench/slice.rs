//! `hftp bench slice`: download throughput of one file, decoded and
//! counted as it streams.

use std::io;
use std::time::Instant;

use hftp_proto::{Code, Form, Request};

use super::procfs::Sampler;
use super::stats::{Line, mb_per_sec};
use super::wire::{Step, Wire};
use super::{Common, ceiling};

/// Requests in flight at once when a file goes in several chunks.
const WINDOW: u64 = 16;

/// Options of `hftp bench slice`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// The file to download.
    name: String,
    /// Bytes per `get_slice` request (default: the whole file at once).
    #[arg(long, value_name = "N")]
    chunk: Option<u64>,
    /// How many times to download the file.
    #[arg(long, value_name = "K", default_value_t = 1)]
    repeat: u64,
    /// Ask raw bodies instead of base64.
    #[arg(long)]
    raw: bool,
    /// Also measure the matching ceiling (loopback TCP for raw, base64
    /// over loopback otherwise) and print the ratio.
    #[arg(long)]
    ceiling: bool,
}

/// Downloads, prints the result line; returns the wrong answers.
pub(crate) fn run(args: &Args, common: &Common) -> io::Result<u64> {
    let mut wire = Wire::connect(common.addr, common.timeout)?;
    let size = wire.size_of(&args.name)?;
    let chunk = args.chunk.unwrap_or(size).max(1);
    let form = if args.raw { Form::Raw } else { Form::Base64 };
    let sampler = common.server_pid.map(Sampler::start);
    let started = Instant::now();
    let mut total = Totals::default();
    for _ in 0..args.repeat {
        pass(&mut wire, &args.name, (size, chunk, form), &mut total)?;
    }
    let took = started.elapsed();
    let expected = size * args.repeat;
    total.wrong += u64::from(total.bytes != expected);
    let rate = mb_per_sec(total.bytes, took);
    let form_word = if args.raw { "raw" } else { "base64" };
    let mut line = Line::new("slice")
        .text("name", args.name.as_str())
        .text("form", form_word)
        .int("size", size)
        .int("chunk", chunk)
        .int("repeat", args.repeat)
        .int("bytes", total.bytes)
        .float("secs", took.as_secs_f64(), 3)
        .float("MB/s", rate, 1)
        .int("wrong", total.wrong);
    if let Some(peak) = sampler.map(Sampler::finish) {
        line = line.int("server_peak_rss_kib", peak.rss_kib);
    }
    if args.ceiling {
        let bytes = expected.clamp(1, 1 << 30);
        let ceiling = if args.raw {
            ceiling::tcp(bytes)?
        } else {
            ceiling::base64(bytes)?
        };
        line = line
            .float("ceiling_MB/s", ceiling, 1)
            .float("ratio", rate / ceiling, 3);
    }
    line.print(common.json);
    Ok(total.wrong)
}

/// Bytes received and wrong replies so far.
#[derive(Debug, Default)]
struct Totals {
    bytes: u64,
    wrong: u64,
}

/// One download of the whole file, `chunk` bytes per request, with up
/// to [`WINDOW`] requests in flight.
fn pass(
    wire: &mut Wire,
    name: &str,
    (size, chunk, form): (u64, u64, Form),
    total: &mut Totals,
) -> io::Result<()> {
    let mut next = 0;
    let mut bytes = 0;
    loop {
        while next < size && (wire.pending() as u64) < WINDOW {
            let len = chunk.min(size - next);
            wire.queue(&Request::Slice {
                name,
                offset: next,
                size: len,
                form,
            })?;
            next += len;
        }
        wire.flush()?;
        if wire.pending() == 0 {
            break;
        }
        match wire.next(&mut |body| bytes += body.len() as u64)? {
            Step::Status(Code::Ok) | Step::BodyEnd => {}
            _ => total.wrong += 1,
        }
    }
    total.bytes += bytes;
    Ok(())
}
