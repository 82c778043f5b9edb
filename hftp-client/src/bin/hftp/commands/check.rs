//! `hftp check`: the command line of [`hftp_client::check`].

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use hftp_client::check::{self, Class, Options, Report, Revision, Spawn};
use hftp_client::{Error, Lang};
use hftp_proto::Framing;

use crate::colour;
use crate::exit::{Exit, Failure};
use crate::parse::seconds;
use crate::session::Session;
use crate::text;

/// The longest silence a reply may keep, by default.
const DIRECT_REPLY_WAIT: Duration = Duration::from_secs(5);
/// The same through a proxy: over Tor a long reply (the 17 MiB line of
/// `9.line-past-limit`) crosses a circuit at a few MiB/s, and a request
/// on another stream of the same circuit waits behind it.
const PROXIED_REPLY_WAIT: Duration = Duration::from_secs(30);

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

    /// Also write the report as one self-contained HTML page to FILE:
    /// scores, a matrix of verdicts, and the bytes of each case that did
    /// not pass.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,

    /// The language of the --html report, `en` or `es` [default: the
    /// language of the run's other output].
    #[arg(long, value_name = "LANG")]
    html_lang: Option<Lang>,

    /// Also write the report as JUnit XML to FILE, for CI; with --strict,
    /// non-strict cases are failures there too.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,

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
    /// say so [default: 5; 30 through a proxy, where a long reply crosses
    /// a Tor circuit at a few MiB/s]
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    reply_wait: Option<Duration>,

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

    /// Start the server under test with this shell command, on a free
    /// port, serving a fresh directory of the checker's; `{port}` and
    /// `{dir}` in it are filled in. A server that dies during a case is
    /// reported there and started again. Repeat to check several servers,
    /// e.g. `--spawn 'python3 alice/server.py -p {port} -d {dir}'`.
    #[arg(long, value_name = "CMD")]
    spawn: Vec<String>,

    /// Check every server of a class: a file of `NAME: COMMAND` lines
    /// (`#` starts a comment), each command as for --spawn.
    #[arg(long, value_name = "FILE")]
    class: Option<PathBuf>,

    /// Run spawned servers as this user: as root, files without read
    /// permission are then unreadable to them, as the `199` cases need.
    #[arg(long, value_name = "NAME")]
    user: Option<String>,

    /// How long a spawned server may take to accept connections.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    start_wait: Duration,

    /// Check this many spawned servers at once (each on its own port and
    /// directory). Cases with time limits (the close within 0.5 s of
    /// `quit`, the course's 3 s) need a core or so per server.
    #[arg(long, value_name = "N", default_value = "1", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: u16,

    /// Once the server died and could not be started again, go on trying
    /// each case (someone may restart it) instead of reporting the rest
    /// not run.
    #[arg(long)]
    keep_going: bool,
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
        let proxied = session.conn.proxied_connect_timeout();
        let reply_wait = self.reply_wait.unwrap_or(if proxied.is_some() {
            PROXIED_REPLY_WAIT
        } else {
            DIRECT_REPLY_WAIT
        });
        let mut options = Options::new()
            .only(self.only.iter().filter(|p| !p.is_empty()))
            .case_timeout(self.case_timeout)
            .reply_wait(reply_wait)
            .close_wait(self.close_wait)
            .keep_going(self.keep_going)
            .cancel(session.cancel.clone());
        // Through a proxy, as long as any connection may take.
        if let Some(timeout) = proxied {
            options = options.connect_timeout(timeout);
        }
        if let Some(dir) = &self.dir {
            options = options.dir(dir);
        }
        match self.framing {
            FramingArg::Auto => {}
            FramingArg::Base64 => options = options.framing(Framing::Base64),
            FramingArg::Fragments => options = options.framing(Framing::Fragments),
        }
        match self.revision {
            RevisionArg::Auto => {}
            RevisionArg::R2019 => options = options.revision(Revision::R2019),
            RevisionArg::R2026 => options = options.revision(Revision::R2026),
        }
        options
    }

    /// The servers to start: each `--spawn`, then each line of `--class`;
    /// a command missing its placeholders is a usage error, in `lang`.
    fn spawns(&self, lang: Lang) -> Result<Vec<Spawn>, Failure> {
        let mut spawns: Vec<Spawn> = self.spawn.iter().map(Spawn::new).collect();
        if let Some(path) = &self.class {
            let class = Class::read_servers(path).map_err(|error| match error {
                check::Error::Class { why, .. } => {
                    Failure::usage(format!("--class {}: {why}", path.display()))
                }
                other => Failure::usage(other.to_string()),
            })?;
            spawns.extend(class);
        }
        let spawns: Vec<Spawn> = spawns
            .into_iter()
            .map(|spawn| {
                let spawn = spawn.start_wait(self.start_wait);
                match &self.user {
                    Some(user) => spawn.user(user),
                    None => spawn,
                }
            })
            .collect();
        for spawn in &spawns {
            spawn
                .validate()
                .map_err(|error| Failure::usage(error.in_lang(lang)))?;
        }
        Ok(spawns)
    }
}

/// Runs the selected cases and prints the report; exit 1 on a course
/// failure or a security finding (with `--strict`, on a non-strict case
/// too), 2 if the server cannot be reached or `--dir` cannot take the
/// fixtures.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let lang = text::lang();
    let options = args.options(session);
    let unmatched = check::unmatched(options.patterns());
    if !unmatched.is_empty() {
        let patterns = unmatched.join(", ");
        return Err(Failure::usage(match lang {
            Lang::Es => format!("--only: {patterns} no elige ningún caso (mirá --list)"),
            _ => format!("--only: {patterns} selects no case (see --list)"),
        }));
    }
    if args.list {
        return list(options.patterns(), lang);
    }
    let spawns = args.spawns(lang)?;
    let many = spawns.len() > 1;
    let reports = if spawns.is_empty() {
        let dialer = session
            .conn
            .dialer()
            .map_err(|error| run_error(check::Error::Connect(error)))?;
        vec![check::run(dialer, &options).map_err(run_error)?]
    } else {
        Class::new(spawns)
            .jobs(usize::from(args.jobs))
            .run(&options, |spawn, error| {
                eprintln!("hftp check: {}: {}", spawn.name(), error.in_lang(lang));
            })
            .map_err(run_error)?
    };
    write_reports(args, &reports, many, lang)?;
    let passed = |report: &Report| {
        if args.strict {
            report.is_strict_pass()
        } else {
            report.is_pass()
        }
    };
    if reports.iter().all(passed) {
        Ok(())
    } else {
        Err(Failure::Reported(Exit::Other))
    }
}

/// The checker's error as a one-line failure.
fn run_error(error: check::Error) -> Failure {
    match error {
        check::Error::Interrupted => Failure::Reported(Exit::Interrupted),
        check::Error::Dir { path, source } => Failure::usage(format!(
            "--dir {}",
            text::get().error(&Error::File { path, source })
        )),
        check::Error::Connect(error @ Error::Onion { .. }) => Failure::from(error),
        check::Error::Connect(error) => Failure::usage(text::get().error(&error)),
        other => Failure::usage(other.to_string()),
    }
}

/// Writes `--html` (in `--html-lang`, else `lang`) and `--junit`, then
/// prints the reports on stdout in `lang`: the table (for a class, each
/// under its server's name, then a line per server), or JSON Lines with
/// `--json`, the same in every language.
fn write_reports(args: &Args, reports: &[Report], class: bool, lang: Lang) -> Result<(), Failure> {
    if let Some(path) = &args.html {
        let page = check::html_in(reports, args.html_lang.unwrap_or(lang));
        write_file("--html", path, &page, lang)?;
    }
    if let Some(path) = &args.junit {
        let xml = check::junit_in(reports, args.strict, lang);
        write_file("--junit", path, &xml, lang)?;
    }
    let out: String = if args.json {
        reports.iter().map(Report::json_lines).collect()
    } else if class {
        colour::verdicts(Class::text_in(reports, lang), lang)
    } else {
        let text = reports.iter().map(|report| report.text_in(lang)).collect();
        colour::verdicts(text, lang)
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::stdout)
}

/// Writes the report of `flag` to `path`; exit 6 if it cannot, saying
/// so in `lang`.
fn write_file(flag: &str, path: &Path, contents: &str, lang: Lang) -> Result<(), Failure> {
    std::fs::write(path, contents).map_err(|error| {
        let path = path.display();
        Failure::Error {
            exit: Exit::Local,
            message: match lang {
                Lang::Es => format!("{flag}: no se puede escribir {path}: {error}"),
                _ => format!("{flag}: cannot write {path}: {error}"),
            },
        }
    })
}

/// `--list`: id, rule, whether it needs `--dir`, title in `lang`.
fn list(only: &[String], lang: Lang) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let cases = check::cases(only);
    let width = cases.iter().map(|case| case.id.len()).max().unwrap_or(0);
    for case in cases {
        let dir = if case.needs_dir { "dir" } else { "-" };
        let (id, group, title) = (case.id, case.group, case.title_in(lang));
        writeln!(out, "{id:<width$} {group:<11} {dir:<3} {title}").map_err(Failure::stdout)?;
    }
    Ok(())
}
