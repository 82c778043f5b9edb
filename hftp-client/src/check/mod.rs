//! A conformance checker for any HFTP server (the `hftp check` command).
//!
//! [`run`] runs the catalogue of cases against a live server, one case
//! after the other, each on fresh connections and bounded in time, and
//! returns a [`Report`] with a [`Verdict`] per case; [`Class`] grades
//! many servers the checker starts itself. With
//! [`Options::dir`] the course's cases run first, each in a directory
//! holding only that test's files (as the course's suites run them);
//! then the checker writes its own fixtures, hostile ones included, for
//! the rule cases, and removes them when done.
//!
//! A run speaks no language: its [`Report`] holds what people read in
//! English and in Spanish, and each renderer takes the [`Lang`] to write
//! in ([`Report::text_in`], [`html_in`], [`junit_in`],
//! [`Class::text_in`]; the ones without `_in` write English). The JSON
//! Lines ([`Report::json_lines`]), the ids, the verdict words of the
//! HTML's attributes and the JUnit XML's structure are the same in
//! every language.
//!
//! ```no_run
//! use hftp_client::check::{self, Options};
//!
//! let addr: std::net::SocketAddr = "127.0.0.1:19500".parse()?;
//! let options = Options::new().dir("/srv/served");
//! let report = check::run(addr, &options)?;
//! for failed in report.failures() {
//!     println!("{}: {}", failed.id, failed.title);
//! }
//! assert!(report.is_pass(), "{}", report.text());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod case;
mod catalogue;
mod class;
mod conn;
mod context;
mod differ;
mod error;
mod expect;
mod fixtures;
mod group;
mod html;
mod junit;
mod kind;
mod markup;
mod miss;
mod probe;
mod report;
mod runner;
mod select;
mod spawn;
mod text;
mod transcript;
mod under_test;

use std::path::PathBuf;
use std::time::Duration;

use hftp_proto::Framing;

use crate::{CancelToken, Dialer, Lang};
use runner::{not_run, run_on};
use select::select;
use spawn::{Scratch, Spawned};
use under_test::UnderTest;

pub use class::Class;
pub use error::Error;
pub use group::{Basis, Group, Revision};
pub use html::{html, html_in};
pub use junit::{junit, junit_in};
pub use kind::Kind;
pub use miss::Failure;
pub use report::{CaseResult, Report, Verdict};
pub use select::unmatched;
pub use spawn::Spawn;
pub use under_test::Death;

/// How to run the checker; `Options::default()` runs every case that
/// needs no fixtures, 60 s at most each, waiting 5 s at most for a reply.
/// Each setter's documentation says what it sets.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    pub(crate) dir: Option<PathBuf>,
    pub(crate) only: Vec<String>,
    pub(crate) case_timeout: Duration,
    pub(crate) reply_wait: Duration,
    pub(crate) close_wait: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) piece_pause: Duration,
    pub(crate) framing: Option<Framing>,
    pub(crate) revision: Option<Revision>,
    pub(crate) keep_going: bool,
    pub(crate) cancel: Option<CancelToken>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            dir: None,
            only: Vec::new(),
            case_timeout: Duration::from_secs(60),
            reply_wait: Duration::from_secs(5),
            close_wait: Duration::from_secs(3),
            connect_timeout: Duration::from_secs(5),
            piece_pause: Duration::MAX,
            framing: None,
            revision: None,
            keep_going: false,
            cancel: None,
        }
    }
}

impl Options {
    /// The default options (see [`Options`]).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The directory the server under test serves, on this machine: the
    /// checker writes each course test's files there, then its own
    /// fixtures (it must be empty or absent), and removes them after.
    /// Without it, the cases needing files are skipped.
    #[must_use]
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = Some(dir.into());
        self
    }

    /// Runs only the cases these patterns select: an exact id (`6.fifo`),
    /// a glob of ids (`1.*`), or a group (`robust`, `course-2019`);
    /// none runs them all.
    #[must_use]
    pub fn only<S: Into<String>>(mut self, patterns: impl IntoIterator<Item = S>) -> Self {
        self.only = patterns.into_iter().map(Into::into).collect();
        self
    }

    /// The most one case may take (60 s).
    #[must_use]
    pub const fn case_timeout(mut self, limit: Duration) -> Self {
        self.case_timeout = limit;
        self
    }

    /// The longest silence (no byte received) a reply may start or go on
    /// with before the case fails (5 s), separate from the case's time
    /// limit; cases that wait longer by the course's rules (a 5 MiB name:
    /// 18 s) say so.
    #[must_use]
    pub const fn reply_wait(mut self, wait: Duration) -> Self {
        self.reply_wait = wait;
        self
    }

    /// How long a server may take to close after a fatal status or
    /// `quit` (3 s).
    #[must_use]
    pub const fn close_wait(mut self, wait: Duration) -> Self {
        self.close_wait = wait;
        self
    }

    /// How long a connection may take to open (5 s): longer through Tor,
    /// where a circuit to an onion service takes seconds.
    #[must_use]
    pub const fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The longest pause between the pieces of a request the course's
    /// `command-in-pieces` cases send one byte at a time (unset: the
    /// course's own, 1 s in 2019 and 30 ms in 2026). A shorter pause runs
    /// the 2019 case in a fraction of its 6 s; the server must still read
    /// the pieces as one line.
    #[must_use]
    pub const fn piece_pause(mut self, pause: Duration) -> Self {
        self.piece_pause = pause;
        self
    }

    /// How the server frames plain (not raw) slice bodies. Unset, the
    /// checker tells it from a first slice of a fixture (with
    /// [`dir`](Self::dir)), then holds every slice to it.
    #[must_use]
    pub const fn framing(mut self, framing: Framing) -> Self {
        self.framing = Some(framing);
        self
    }

    /// The revision to hold the server to. Unset, the checker asks
    /// `help` (`0`: 2026, else 2019). Cases testing a feature of a later
    /// revision are reported [`Verdict::Missing`], not run.
    #[must_use]
    pub const fn revision(mut self, revision: Revision) -> Self {
        self.revision = Some(revision);
        self
    }

    /// After the server died (or stopped answering) and could not be
    /// started again, go on trying each case (someone may start it
    /// again) instead of reporting the rest not run.
    #[must_use]
    pub const fn keep_going(mut self, keep_going: bool) -> Self {
        self.keep_going = keep_going;
        self
    }

    /// Stops the run between two cases when `cancel` is cancelled.
    #[must_use]
    pub fn cancel(mut self, cancel: CancelToken) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// The patterns of [`only`](Self::only).
    #[must_use]
    pub fn patterns(&self) -> &[String] {
        &self.only
    }
}

/// What the catalogue says of one case, without running it.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct CaseInfo {
    /// A stable name: `RULE.what`, e.g. `1.bare-lf`.
    pub id: &'static str,
    /// The rule or scenario it checks.
    pub group: Group,
    /// What a conforming server does, in a few words.
    pub title: &'static str,
    /// True when the case needs the fixtures of [`Options::dir`].
    pub needs_dir: bool,
}

impl CaseInfo {
    /// What a conforming server does, in `lang` (the [`title`](Self::title)).
    #[must_use]
    pub fn title_in(&self, lang: Lang) -> &'static str {
        report::title_in(self.id, self.title, lang)
    }
}

/// The cases [`Options::only`] selects, in the order they run.
#[must_use]
pub fn cases(only: &[String]) -> Vec<CaseInfo> {
    select(only)
        .into_iter()
        .map(|case| CaseInfo {
            id: case.id,
            group: case.group,
            title: case.title,
            needs_dir: case.needs_dir,
        })
        .collect()
}

/// Runs the selected cases against the server `dialer` reaches, one after the
/// other, each on fresh connections: the course's cases first, then,
/// with [`Options::dir`], the fixtures are written for the others and
/// removed after.
///
/// # Errors
///
/// [`Error::Connect`] when the server cannot be reached at all,
/// [`Error::Dir`] when the fixtures cannot be written (a directory that
/// is not empty), [`Error::Interrupted`] when [`Options::cancel`] was
/// cancelled. A server that breaks the protocol is not an error: its
/// cases fail in the [`Report`].
pub fn run(server: impl Into<Dialer>, options: &Options) -> Result<Report, Error> {
    let dialer = server.into();
    dialer
        .connect(Some(options.connect_timeout))
        .map_err(Error::Connect)?;
    run_on(&mut UnderTest::Given(dialer), options)
}

/// Starts the server `spawn` says, serving a directory of the checker's
/// ([`Options::dir`], or a new temporary one), and runs the selected
/// cases against it as [`run`] does; a server that dies during a case is
/// reported in that case ([`Report::deaths`]), started again, and the
/// run goes on. The server is stopped at the end.
///
/// # Errors
///
/// [`Error::Spawn`] when the server does not start (it ends, or nothing
/// listens on its port in time), and the errors of [`run`].
pub fn run_spawned(spawn: &Spawn, options: &Options) -> Result<Report, Error> {
    let scratch = Scratch::new()?;
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| scratch.path("served"));
    std::fs::create_dir_all(&dir).map_err(|source| Error::dir(&dir, source))?;
    let mut spawned = Spawned::start(spawn, &dir, &scratch.path("server.log"))?;
    let options = Options {
        dir: Some(dir),
        ..options.clone()
    };
    let mut report = run_on(&mut UnderTest::Spawned(&mut spawned), &options)?;
    report.label = spawn.name();
    Ok(report)
}

/// The report of a server that did not start (`why`, an error of
/// [`run_spawned`]): one [`Death`] with no case, every selected case not
/// run, no server address. Grading a class, it keeps that server in the
/// reports.
#[must_use]
pub fn unstarted(spawn: &Spawn, why: &Error, options: &Options) -> Report {
    let death = Death {
        case: None,
        how: why.to_string(),
        how_es: why.in_lang(Lang::Es),
        restarted: false,
    };
    Report {
        server: None,
        label: spawn.name(),
        framing: None,
        revision: options.revision.unwrap_or(Revision::R2026),
        results: select(&options.only)
            .into_iter()
            .map(|case| not_run(case, Some(&death)))
            .collect(),
        deaths: vec![death],
        not_hftp: None,
    }
}
