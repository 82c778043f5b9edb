//! `hftp check`: the command line of [`hftp_client::check`].

use std::io::Write as _;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use hftp_client::check::{self, Options, Revision};
use hftp_client::{Error, ServerAddr};
use hftp_proto::Framing;

use crate::cli::seconds;
use crate::exit::{Exit, Failure};
use crate::session::Session;

/// Options of `hftp check`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// The directory the server under test serves, on this machine: the
    /// checker writes its fixtures there (it must be empty or absent) and
    /// removes them after. Without it, cases needing files are skipped.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,

    /// Print the report as JSON Lines: one object per case, then the
    /// totals.
    #[arg(long)]
    json: bool,

    /// List the cases and exit.
    #[arg(long)]
    list: bool,

    /// Run only the cases these comma-separated patterns select: exact
    /// ids, globs of ids or groups (e.g. `1.*,6.fifo,robust`).
    #[arg(long, value_name = "PATTERN", value_delimiter = ',')]
    only: Vec<String>,

    /// The most one case may take, in seconds.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    case_timeout: Duration,

    /// The longest silence (no byte received) a reply may start or go on
    /// with before its case fails, in seconds; separate from
    /// --case-timeout. Cases the course gives longer (a 5 MiB name: 18 s)
    /// say so.
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = seconds)]
    reply_wait: Duration,

    /// How long a server may take to close after a fatal status or quit.
    #[arg(long, value_name = "SECS", default_value = "3", value_parser = seconds)]
    close_wait: Duration,

    /// How the server frames plain (not raw) slice bodies: base64, or the
    /// seed's fragments (rule 12). `auto` tells it from a first slice of
    /// a fixture (with --dir), then holds every slice to it.
    #[arg(long, value_enum, default_value_t = FramingArg::Auto)]
    framing: FramingArg,

    /// The revision to hold the server to: `auto` asks `help` (`0`:
    /// 2026, else 2019). Cases testing a later revision's features
    /// (`help`, raw bodies) are reported missing, once, not failed.
    #[arg(long, value_enum, default_value_t = RevisionArg::Auto)]
    revision: RevisionArg,

    /// Exit 1 also when only the contract's stricter choices differ
    /// (non-strict cases), not only on course failures and security
    /// findings.
    #[arg(long)]
    strict: bool,
}

/// The values of `--revision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RevisionArg {
    /// Ask the server.
    Auto,
    /// The 2019 kit: no `help`, no raw bodies.
    #[value(name = "2019")]
    R2019,
    /// The 2026 kit.
    #[value(name = "2026")]
    R2026,
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

impl Args {
    /// The checker's options.
    fn options(&self, session: &Session) -> Options {
        Options {
            dir: self.dir.clone(),
            only: self
                .only
                .iter()
                .filter(|p| !p.is_empty())
                .cloned()
                .collect(),
            case_timeout: self.case_timeout,
            reply_wait: self.reply_wait,
            close_wait: self.close_wait,
            framing: match self.framing {
                FramingArg::Auto => None,
                FramingArg::Base64 => Some(Framing::Base64),
                FramingArg::Fragments => Some(Framing::Fragments),
            },
            revision: match self.revision {
                RevisionArg::Auto => None,
                RevisionArg::R2019 => Some(Revision::R2019),
                RevisionArg::R2026 => Some(Revision::R2026),
            },
            cancel: Some(session.cancel.clone()),
        }
    }
}

/// Runs the selected cases and prints the report; exit 1 on a course
/// failure or a security finding (with `--strict`, on a non-strict case
/// too), 2 if the server cannot be reached or `--dir` cannot take the
/// fixtures.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let options = args.options(session);
    let unmatched = check::unmatched(&options.only);
    if !unmatched.is_empty() {
        return Err(Failure::usage(format!(
            "--only: {} selects no case (see --list)",
            unmatched.join(", ")
        )));
    }
    if args.list {
        return list(&options.only);
    }
    let addr = resolve(&session.conn.server)?;
    let report = check::run(addr, &options).map_err(|error| match error {
        Error::Interrupted => Failure::Reported(Exit::Interrupted),
        Error::File { source, .. } => Failure::usage(format!("--dir: {source}")),
        other => Failure::usage(other.to_string()),
    })?;
    let output = if args.json {
        report.json_lines()
    } else {
        report.text()
    };
    print!("{output}");
    std::io::stdout().flush().map_err(Failure::stdout)?;
    let passed = if args.strict {
        report.is_strict_pass()
    } else {
        report.is_pass()
    };
    if passed {
        Ok(())
    } else {
        Err(Failure::Reported(Exit::Other))
    }
}

/// `--list`: id, rule, whether it needs `--dir`, title.
fn list(only: &[String]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    for case in check::cases(only) {
        let dir = if case.needs_dir { "dir" } else { "-" };
        let (id, group, title) = (case.id, case.group, case.title);
        writeln!(out, "{id:<28} {group:<11} {dir:<3} {title}").map_err(Failure::stdout)?;
    }
    Ok(())
}

/// The first address of the server.
pub(crate) fn resolve(server: &ServerAddr) -> Result<SocketAddr, Failure> {
    let mut addrs = server
        .to_socket_addrs()
        .map_err(|e| Failure::usage(format!("cannot resolve {server}: {e}")))?;
    addrs
        .next()
        .ok_or_else(|| Failure::usage(format!("{server} has no address")))
}
