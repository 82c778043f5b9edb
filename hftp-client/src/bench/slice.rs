//! `hftp bench slice`: download throughput of one file, decoded and
//! counted as it streams.

use std::time::Instant;

use hftp_proto::{Code, Form, Request};

use super::procfs::Sampler;
use super::stats::{Measurement, mb_per_sec};
use super::wire::{self, Wire};
use super::{Target, ceiling};
use crate::Error;
use crate::pipeline::Step;

/// Requests in flight at once when a file goes in several chunks.
const WINDOW: u64 = 16;

/// Options of the `slice` mode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct Slice {
    /// The file to download.
    pub name: String,
    /// Bytes per `get_slice` request (default: the whole file at once).
    #[cfg_attr(feature = "cli", arg(long, value_name = "N"))]
    pub chunk: Option<u64>,
    /// How many times to download the file.
    #[cfg_attr(feature = "cli", arg(long, value_name = "K", default_value_t = 1))]
    pub repeat: u64,
    /// Ask raw bodies instead of base64.
    #[cfg_attr(feature = "cli", arg(long))]
    pub raw: bool,
    /// Also measure the matching ceiling (loopback TCP for raw, base64
    /// over loopback otherwise) and print the ratio.
    #[cfg_attr(feature = "cli", arg(long))]
    pub ceiling: bool,
}

impl Slice {
    /// One base64 download of `name`, in one request, without a ceiling.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            chunk: None,
            repeat: 1,
            raw: false,
            ceiling: false,
        }
    }
}

/// Download throughput of one file, MB/s of file bytes; every reply is
/// checked and every byte counted.
///
/// # Errors
///
/// The server cannot be reached, refuses the file's size, or the
/// connection fails.
pub fn slice(target: &Target, options: &Slice) -> Result<Measurement, Error> {
    let mut wire = wire::connect(target)?;
    let size = wire::size_of(&mut wire, &options.name)?;
    let chunk = options.chunk.unwrap_or(size).max(1);
    let form = if options.raw { Form::Raw } else { Form::Base64 };
    let sampler = target.server_pid.map(Sampler::start);
    let started = Instant::now();
    let mut total = Totals::default();
    for _ in 0..options.repeat {
        pass(&mut wire, &options.name, (size, chunk, form), &mut total)?;
    }
    let took = started.elapsed();
    let expected = size * options.repeat;
    total.wrong += u64::from(total.bytes != expected);
    let rate = mb_per_sec(total.bytes, took);
    let form_word = if options.raw { "raw" } else { "base64" };
    let mut line = Measurement::new("slice")
        .text("name", options.name.as_str())
        .text("form", form_word)
        .int("size", size)
        .int("chunk", chunk)
        .int("repeat", options.repeat)
        .int("bytes", total.bytes)
        .float("secs", took.as_secs_f64(), 3)
        .float("MB/s", rate, 1)
        .int("wrong", total.wrong);
    if let Some(peak) = sampler.map(Sampler::finish) {
        line = line.int("server_peak_rss_kib", peak.rss_kib);
    }
    if options.ceiling {
        let bytes = expected.clamp(1, 1 << 30);
        let ceiling = if options.raw {
            ceiling::tcp(bytes)?
        } else {
            ceiling::base64(bytes)?
        };
        line = line
            .float("ceiling_MB/s", ceiling, 1)
            .float("ratio", rate / ceiling, 3);
    }
    Ok(line)
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
) -> Result<(), Error> {
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
        let step = wire.next_step(&mut |body| {
            bytes += body.len() as u64;
            Ok(())
        })?;
        match step {
            Step::Status(Code::Ok) | Step::BodyEnd => {}
            _ => total.wrong += 1,
        }
    }
    total.bytes += bytes;
    Ok(())
}
