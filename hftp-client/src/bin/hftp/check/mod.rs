//! `hftp check`: a conformance checker for any HFTP server.
//!
//! It runs the catalogue of cases against a live server, one case after
//! the other, each on fresh connections and bounded in time, and reports
//! per case. With `--dir` it first writes its fixtures into the directory
//! the server serves, and removes them when done.

mod case;
mod catalogue;
mod conn;
mod expect;
mod fixtures;
mod report;

use std::io::Write as _;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use hftp_proto::Framing;

use crate::cli::seconds;
use crate::exit::{Exit, Failure};
use crate::session::Session;
use case::{Case, Test, skip};
use conn::Ctx;
use fixtures::Fixtures;
use report::Ran;

pub(crate) use report::quote;

/// The exact reply to `help`, as the checker expects it.
pub(crate) fn expected_help() -> Vec<u8> {
    expect::help()
}

/// The exact status line of `code`.
pub(crate) fn expected_status(code: hftp_proto::Code) -> Vec<u8> {
    expect::status(code)
}

/// Options of `hftp check`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// The directory the server under test serves, on this machine: the
    /// checker writes its fixtures there (it must be empty or absent) and
    /// removes them after. Without it, cases needing files are skipped.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,

    /// Print the report as JSON.
    #[arg(long)]
    json: bool,

    /// List the cases and exit.
    #[arg(long)]
    list: bool,

    /// Run only the cases whose id or rule contains one of these
    /// comma-separated patterns (e.g. `1.,6.fifo,robust`).
    #[arg(long, value_name = "PATTERN")]
    only: Option<String>,

    /// The most one case may take, in seconds.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    case_timeout: Duration,

    /// How long a server may take to close after a fatal status or quit.
    #[arg(long, value_name = "SECS", default_value = "3", value_parser = seconds)]
    close_wait: Duration,

    /// How the server frames plain (not raw) slice bodies: base64, or the
    /// seed's fragments (rule 12). `auto` tells it from a first slice of
    /// a fixture (with --dir), then holds every slice to it.
    #[arg(long, value_enum, default_value_t = FramingArg::Auto)]
    framing: FramingArg,
}

/// The values of `--framing`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FramingArg {
    /// Detect it from the first slice.
    Auto,
    /// Base64 lines (the 2019 and 2026 kits).
    Base64,
    /// Length-prefixed fragments (the course before 2019).
    Fragments,
}

/// Runs the selected cases and prints the report; exit 1 if any failed.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let cases = select(args);
    if args.list {
        return list(&cases);
    }
    let server = session.conn.server.to_string();
    let addr = resolve(&session.conn.server)?;
    TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| Failure::usage(format!("cannot connect to {server}: {e}")))?;
    let fixtures = match &args.dir {
        Some(dir) => Some(Fixtures::write(dir).map_err(|e| Failure::usage(format!("--dir: {e}")))?),
        None => None,
    };
    let mut cx = Ctx {
        addr,
        fixtures,
        deadline: Instant::now() + args.case_timeout,
        close_wait: args.close_wait,
        framing: None,
    };
    cx.framing = match args.framing {
        FramingArg::Base64 => Some(Framing::Base64),
        FramingArg::Fragments => Some(Framing::Fragments),
        FramingArg::Auto => detect_framing(&cx),
    };
    let mut ran = Vec::with_capacity(cases.len());
    for case in cases {
        if session.cancel.is_cancelled() {
            return Err(Failure::Reported(Exit::Interrupted));
        }
        ran.push(run_case(&mut cx, case, args.case_timeout));
    }
    let cx_framing = cx.framing;
    drop(cx);
    let output = if args.json {
        report::json(&server, &ran)
    } else {
        report::text(&ran, cx_framing)
    };
    print!("{output}");
    std::io::stdout().flush().map_err(Failure::stdout)?;
    match report::totals(&ran) {
        (_, 0, _) => Ok(()),
        _ => Err(Failure::Reported(Exit::Other)),
    }
}

/// The framing of plain slices, from a first slice of `hola.txt`: `None`
/// without fixtures, or when that slice fails (the cases then say why).
fn detect_framing(cx: &Ctx) -> Option<Framing> {
    cx.fixtures.as_ref()?;
    let mut conn = cx.connect().ok()?;
    let framing = conn
        .probe_framing(fixtures::HOLA, fixtures::HOLA_DATA)
        .ok()?;
    log::debug!("plain slices come as {framing:?}");
    framing
}

/// The cases `--only` selects, in catalogue order.
fn select(args: &Args) -> Vec<Case> {
    let patterns: Vec<&str> = args
        .only
        .as_deref()
        .map(|only| only.split(',').filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let chosen = |case: &Case| {
        let rule = case.group.to_string();
        patterns.is_empty()
            || patterns
                .iter()
                .any(|p| case.id.contains(p) || rule.contains(p))
    };
    catalogue::all().into_iter().filter(chosen).collect()
}

/// `--list`: id, rule, whether it needs `--dir`, title.
fn list(cases: &[Case]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    for case in cases {
        let dir = if case.needs_dir { "dir" } else { "-" };
        let (id, group, title) = (case.id, case.group, case.title);
        writeln!(out, "{id:<28} {group:<11} {dir:<3} {title}").map_err(Failure::stdout)?;
    }
    Ok(())
}

/// The first address of the server.
fn resolve(server: &hftp_client::ServerAddr) -> Result<SocketAddr, Failure> {
    let mut addrs = server
        .to_socket_addrs()
        .map_err(|e| Failure::usage(format!("cannot resolve {server}: {e}")))?;
    addrs
        .next()
        .ok_or_else(|| Failure::usage(format!("{server} has no address")))
}

/// Runs one case within its time limit.
fn run_case(cx: &mut Ctx, case: Case, limit: Duration) -> Ran {
    let started = Instant::now();
    cx.deadline = started + limit;
    log::debug!("case {}", case.id);
    let outcome = if case.needs_dir && cx.fixtures.is_none() {
        Err(skip("needs --dir"))
    } else {
        match case.test {
            Test::Status(send, code) => status_case(cx, send, code),
            Test::Run(test) => test(cx),
        }
    };
    Ran {
        case,
        outcome,
        took: started.elapsed(),
    }
}

/// A line and its status; then the close, or one more request answered.
fn status_case(cx: &Ctx, send: &[u8], code: hftp_proto::Code) -> case::Outcome {
    let mut conn = cx.connect()?;
    conn.send(send)?;
    conn.expect_status(code)?;
    if code.is_fatal() {
        return Ok(());
    }
    conn.expect_open()
}
