//! `hftp bench`: the command line of [`hftp_client::bench`].

use hftp_client::BodyForm;
use hftp_client::bench::{self, Measurement, Target};

use crate::exit::{Exit, Failure};
use crate::session::Session;

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
    Slice(bench::Slice),
    /// get_metadata requests/s and latency, pipelined, on C connections.
    Meta(bench::Meta),
    /// Hold N idle connections, then ask every one.
    Idle(bench::Idle),
    /// A mix of normal, slow, idle, vanishing and malformed clients.
    Soak(bench::Soak),
    /// N clients ask for a long reply and never read it: the server's
    /// memory while they stall and after they leave.
    Stall(bench::Stall),
    /// The machine's limits, with no server: loopback TCP, base64 over
    /// loopback, minimal round trip.
    Ceiling(bench::Ceiling),
}

/// Runs the mode and prints its result lines, the wrong answers on
/// stderr; exit 1 if any answer was wrong.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let measured = match &args.mode {
        Mode::Ceiling(options) => bench::ceiling(options),
        mode => measure(mode, &target(args, session)?, session.base64).map(|one| vec![one]),
    }
    .map_err(|error| Failure::Error {
        exit: match error {
            hftp_client::Error::Connect { .. } => Exit::Connect,
            _ => Exit::Other,
        },
        message: format!("bench: {error}"),
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
    let mut target = Target::new(session.conn.dialer()?);
    target.server_pid = args.server_pid;
    Ok(target)
}

/// Runs one mode against a server; `slice` asks base64 bodies with the
/// global `--base64`, else raw ones if the server offers them (as `get`).
fn measure(mode: &Mode, target: &Target, base64: bool) -> Result<Measurement, hftp_client::Error> {
    match mode {
        Mode::Slice(options) => {
            let form = if base64 {
                BodyForm::Base64
            } else {
                BodyForm::Auto
            };
            bench::slice(
                target,
                &bench::Slice {
                    form,
                    ..options.clone()
                },
            )
        }
        Mode::Meta(options) => bench::meta(target, options),
        Mode::Idle(options) => bench::idle(target, options),
        Mode::Soak(options) => bench::soak(target, options),
        Mode::Stall(options) => bench::stall(target, options),
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
