//! `hftp bench slice`: download throughput of one file, decoded and
//! counted as it streams.

use std::time::Instant;

use hftp_proto::{Code, Form, Request};

use super::Error;
use super::procfs::Sampler;
use super::stats::{Measurement, mb_per_sec};
use super::wire::{self, Wire};
use super::{Target, ceiling};
use crate::BodyForm;
use crate::pipeline::Step;

/// Requests in flight at once when a file goes in several chunks.
const WINDOW: u64 = 16;

/// Options of the `slice` mode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Slice {
    /// The file to download.
    pub(crate) name: String,
    /// Bytes per `get_slice` request (default: the whole file at once).
    pub(crate) chunk: Option<u64>,
    /// How many times to download the file.
    pub(crate) repeat: u64,
    /// How bodies travel. The default, [`BodyForm::Auto`], is what
    /// `hftp get` does: ask `help` once, before the clock starts, then raw
    /// bodies from a server of the 2026 revision, base64 from the others.
    /// `hftp bench slice` takes the global `--base64` for
    /// [`BodyForm::Base64`].
    pub(crate) form: BodyForm,
    /// Also measure the matching ceiling (loopback TCP for raw, base64
    /// over loopback otherwise) and print the ratio.
    pub(crate) ceiling: bool,
}

impl Slice {
    /// Bytes per `get_slice` request (default: the whole file at once).
    #[must_use]
    pub const fn chunk(mut self, chunk: u64) -> Self {
        self.chunk = Some(chunk);
        self
    }

    /// How many times to download the file.
    #[must_use]
    pub const fn repeat(mut self, repeat: u64) -> Self {
        self.repeat = repeat;
        self
    }

    /// How bodies travel. The default, [`BodyForm::Auto`], is what
    /// `hftp get` does: ask `help` once, before the clock starts, then raw
    /// bodies from a server of the 2026 revision, base64 from the others.
    /// `hftp bench slice` takes the global `--base64` for
    /// [`BodyForm::Base64`].
    #[must_use]
    pub const fn form(mut self, form: BodyForm) -> Self {
        self.form = form;
        self
    }

    /// Also measure the matching ceiling (loopback TCP for raw, base64
    /// over loopback otherwise) and print the ratio.
    #[must_use]
    pub const fn ceiling(mut self, ceiling: bool) -> Self {
        self.ceiling = ceiling;
        self
    }
}

impl Slice {
    /// One download of `name` in the form the server offers (raw from a
    /// 2026 server), in one request, without a ceiling.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            chunk: None,
            repeat: 1,
            form: BodyForm::Auto,
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
    let form = match options.form {
        BodyForm::Raw => Form::Raw,
        BodyForm::Base64 => Form::Base64,
        BodyForm::Auto => wire::form_of(&mut wire)?,
    };
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
    let form_word = match form {
        Form::Raw => "raw",
        Form::Base64 => "base64",
    };
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
        let ceiling = match form {
            Form::Raw => ceiling::tcp(bytes).map_err(Error::Machine)?,
            Form::Base64 => ceiling::base64(bytes).map_err(Error::Machine)?,
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
