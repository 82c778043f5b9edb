//! `hftp bench`: the command line of [`hftp_client::bench`].

use hftp_client::BodyForm;
use hftp_client::bench::{self, Ceiling, Idle, Measurement, Meta, Slice, Soak, Stall, Target};

use crate::exit::{Exit, Failure};
use crate::session::Session;
use crate::text;

/// Options of `hftp bench`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    mode: Mode,

    /// Print the result as one JSON object per line.
    #[arg(long, global = true)]
    json: bool,

    /// The server's process id, to report its RSS and open descriptors
    /// from /proc (same machine only).
    #[arg(long, global = true, value_name = "PID")]
    server_pid: Option<u32>,
}

/// What to measure.
#[derive(Debug, Clone, clap::Subcommand)]
enum Mode {
    /// Download throughput of one file, MB/s of file bytes.
    Slice(SliceArgs),
    /// get_metadata requests/s and latency, pipelined, on C connections.
    Meta(MetaArgs),
    /// Hold N idle connections, then ask every one.
    Idle(IdleArgs),
    /// A mix of normal, slow, idle, vanishing and malformed clients.
    Soak(SoakArgs),
    /// N clients ask for a long reply and never read it: the server's
    /// memory while they stall and after they leave.
    Stall(StallArgs),
    /// The machine's limits, with no server: loopback TCP, base64 over
    /// loopback, minimal round trip.
    Ceiling(CeilingArgs),
}

/// Options of `hftp bench slice`.
#[derive(Debug, Clone, clap::Args)]
struct SliceArgs {
    /// The file to download.
    name: String,
    /// Bytes per `get_slice` request (default: the whole file at once).
    #[arg(long, value_name = "N")]
    chunk: Option<u64>,
    /// How many times to download the file.
    #[arg(long, value_name = "K", default_value_t = 1)]
    repeat: u64,
    /// Also measure the matching ceiling (loopback TCP for raw, base64
    /// over loopback otherwise) and print the ratio.
    #[arg(long)]
    ceiling: bool,
}

/// Options of `hftp bench meta`.
#[derive(Debug, Clone, clap::Args)]
struct MetaArgs {
    /// The file whose size is asked.
    name: String,
    /// Requests in flight on each connection.
    #[arg(long, value_name = "D", default_value_t = 1)]
    depth: u64,
    /// Connections; several are driven by one thread with epoll.
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

/// Options of `hftp bench idle`.
#[derive(Debug, Clone, clap::Args)]
struct IdleArgs {
    /// Connections to open and hold (each is a descriptor here too).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    conns: usize,
    /// Seconds to hold them silent before asking.
    #[arg(long, value_name = "SECS", default_value_t = 1.0)]
    hold: f64,
}

/// Options of `hftp bench soak`.
#[derive(Debug, Clone, clap::Args)]
struct SoakArgs {
    /// How long to run, in seconds.
    #[arg(long, value_name = "N", default_value_t = 10)]
    seconds: u64,
    /// The file the normal clients fetch (default: the first listed).
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

/// Options of `hftp bench stall`.
#[derive(Debug, Clone, clap::Args)]
struct StallArgs {
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

/// Options of `hftp bench ceiling`.
#[derive(Debug, Clone, clap::Args)]
struct CeilingArgs {
    /// Bytes to move for the throughput ceilings.
    #[arg(long, value_name = "BYTES", default_value_t = 256 << 20)]
    bytes: u64,
    /// Round trips for the latency ceiling.
    #[arg(long, value_name = "N", default_value_t = 20_000)]
    round_trips: u64,
}

/// Runs the mode and prints its result lines, the wrong answers on
/// stderr; exit 1 if any answer was wrong.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let measured = match &args.mode {
        Mode::Ceiling(options) => bench::ceiling(
            &Ceiling::default()
                .bytes(options.bytes)
                .round_trips(options.round_trips),
        ),
        mode => measure(mode, &target(args, session)?, session.base64).map(|one| vec![one]),
    }
    .map_err(|error| Failure::Error {
        exit: match error {
            bench::Error::Server(hftp_client::Error::Connect { .. }) => Exit::Connect,
            _ => Exit::Other,
        },
        message: match &error {
            bench::Error::Server(error) => format!("bench: {}", text::get().error(error)),
            other => format!("bench: {other}"),
        },
    })?;
    let mut wrong = 0;
    for measurement in &measured {
        print(measurement, args.json);
        wrong += measurement.wrong();
    }
    if wrong > 0 {
        return Err(Failure::Reported(Exit::Other));
    }
    Ok(())
}

/// Where the load goes.
fn target(args: &Args, session: &Session) -> Result<Target, Failure> {
    let target = Target::new(session.conn.dialer()?);
    Ok(match args.server_pid {
        Some(pid) => target.server_pid(pid),
        None => target,
    })
}

/// Runs one mode against a server; `slice` asks base64 bodies with the
/// global `--base64`, else raw ones if the server offers them (as `get`).
fn measure(mode: &Mode, target: &Target, base64: bool) -> Result<Measurement, bench::Error> {
    match mode {
        Mode::Slice(args) => {
            let form = if base64 {
                BodyForm::Base64
            } else {
                BodyForm::Auto
            };
            let mut options = Slice::new(&args.name)
                .repeat(args.repeat)
                .form(form)
                .ceiling(args.ceiling);
            if let Some(chunk) = args.chunk {
                options = options.chunk(chunk);
            }
            bench::slice(target, &options)
        }
        Mode::Meta(args) => bench::meta(
            target,
            &Meta::new(&args.name)
                .depth(args.depth)
                .conns(args.conns)
                .requests(args.requests)
                .ceiling(args.ceiling),
        ),
        Mode::Idle(args) => bench::idle(target, &Idle::default().conns(args.conns).hold(args.hold)),
        Mode::Soak(args) => {
            let mut options = Soak::default().seconds(args.seconds);
            if let Some(name) = &args.name {
                options = options.name(name);
            }
            bench::soak(target, &options)
        }
        Mode::Stall(args) => {
            let mut options = Stall::default()
                .conns(args.conns)
                .raw(args.raw)
                .hold(args.hold);
            if let Some(name) = &args.name {
                options = options.name(name);
            }
            bench::stall(target, &options)
        }
        Mode::Ceiling(_) => unreachable!("ceiling needs no server"),
    }
}

/// The result line on stdout, the wrong answers on stderr.
fn print(measurement: &Measurement, json: bool) {
    for problem in measurement.problems() {
        eprintln!("hftp bench {}: {problem}", measurement.mode());
    }
    if json {
        println!("{}", measurement.json_line());
    } else {
        println!("{}", measurement.text_line());
    }
}
