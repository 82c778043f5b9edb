//! A conformance checker for any HFTP server (the `hftp check` command).
//!
//! [`run`] runs the catalogue of cases against a live server, one case
//! after the other, each on fresh connections and bounded in time, and
//! returns a [`Report`] with a [`Verdict`] per case. With
//! [`Options::dir`] the course's cases run first, each in a directory
//! holding only that test's files (as the course's suites run them);
//! then the checker writes its own fixtures, hostile ones included, for
//! the rule cases, and removes them when done.
//!
//! ```no_run
//! use hftp_client::check::{self, Options};
//!
//! let addr = "127.0.0.1:19500".parse()?;
//! let options = Options { dir: Some("/srv/served".into()), ..Options::default() };
//! let report = check::run(addr, &options)?;
//! for failed in report.failures() {
//!     println!("{}: {}", failed.id, failed.title);
//! }
//! assert!(report.is_pass(), "{}", report.text());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod case;
mod catalogue;
mod conn;
mod differ;
mod expect;
mod fixtures;
mod html;
mod junit;
mod markup;
mod report;
mod spawn;
mod transcript;
mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hftp_proto::Framing;

use crate::{CancelToken, Error};
use case::{Case, Test, skip};
use conn::Ctx;
use fixtures::{Fixtures, ServedDir};
use spawn::Spawned;
use watch::Server;

pub use case::{Basis, Failure, Group, Revision};
pub use html::html;
pub use junit::junit;
pub use report::{CaseResult, Report, Verdict};
pub use spawn::Spawn;
pub use watch::Death;

/// How to run the checker; `Options::default()` runs every case that
/// needs no fixtures, 60 s at most each, waiting 5 s at most for a reply.
#[derive(Clone, Debug)]
pub struct Options {
    /// The directory the server under test serves, on this machine: the
    /// checker writes each course test's files there, then its own
    /// fixtures (it must be empty or absent), and removes them after.
    /// Without it, the cases needing files are skipped.
    pub dir: Option<PathBuf>,
    /// Run only the cases these patterns select: an exact id (`6.fifo`),
    /// a glob of ids (`1.*`), or a group (`robust`, `course-2019`);
    /// empty runs them all.
    pub only: Vec<String>,
    /// The most one case may take.
    pub case_timeout: Duration,
    /// The longest silence (no byte received) a reply may start or go on
    /// with before the case fails, separate from the case's time limit;
    /// cases that wait longer by the course's rules (a 5 MiB name: 18 s)
    /// say so.
    pub reply_wait: Duration,
    /// How long a server may take to close after a fatal status or
    /// `quit`.
    pub close_wait: Duration,
    /// How the server frames plain (not raw) slice bodies; `None` tells
    /// it from a first slice of a fixture (with [`dir`](Self::dir)),
    /// then holds every slice to it.
    pub framing: Option<Framing>,
    /// The revision to hold the server to; `None` tells it by asking
    /// `help` (`0`: 2026, else 2019). Cases testing a feature of a later
    /// revision are reported [`Verdict::Missing`], not run.
    pub revision: Option<Revision>,
    /// After the server died (or stopped answering) and could not be
    /// started again, go on trying each case (someone may start it
    /// again) instead of reporting the rest not run.
    pub keep_going: bool,
    /// Stops the run between two cases when cancelled.
    pub cancel: Option<CancelToken>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            dir: None,
            only: Vec::new(),
            case_timeout: Duration::from_secs(60),
            reply_wait: Duration::from_secs(5),
            close_wait: Duration::from_secs(3),
            framing: None,
            revision: None,
            keep_going: false,
            cancel: None,
        }
    }
}

/// What the catalogue says of one case, without running it.
#[derive(Clone, Copy, Debug)]
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

/// Runs the selected cases against the server at `addr`, one after the
/// other, each on fresh connections: the course's cases first, then,
/// with [`Options::dir`], the fixtures are written for the others and
/// removed after.
///
/// # Errors
///
/// [`Error::Connect`] when the server cannot be reached at all,
/// [`Error::File`] when the fixtures cannot be written (a directory that
/// is not empty), [`Error::Interrupted`] when [`Options::cancel`] was
/// cancelled. A server that breaks the protocol is not an error: its
/// cases fail in the [`Report`].
pub fn run(addr: SocketAddr, options: &Options) -> Result<Report, Error> {
    std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|source| {
        Error::Connect {
            addr: addr.to_string(),
            source,
        }
    })?;
    run_on(&mut Server::Given(addr), options)
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
    std::fs::create_dir_all(&dir).map_err(|source| Error::file(&dir, source))?;
    let mut spawned = Spawned::start(spawn, &dir, &scratch.path("server.log"))?;
    let options = Options {
        dir: Some(dir),
        ..options.clone()
    };
    let mut report = run_on(&mut Server::Spawned(&mut spawned), &options)?;
    report.label = spawn.label();
    Ok(report)
}

/// The report of a server that did not start (`why`, an error of
/// [`run_spawned`]): one [`Death`] at [`START`], every selected case not
/// run. Grading a class, it keeps that server in the reports.
#[must_use]
pub fn unstarted(spawn: &Spawn, why: &Error, options: &Options) -> Report {
    let death = Death {
        case: START,
        how: why.to_string(),
        restarted: false,
    };
    Report {
        server: SocketAddr::from(([0, 0, 0, 0], 0)),
        label: spawn.label(),
        framing: None,
        revision: options.revision.unwrap_or(Revision::R2026),
        results: select(&options.only)
            .into_iter()
            .map(|case| not_run(case, Some(&death)))
            .collect(),
        deaths: vec![death],
    }
}

/// The [`Death::case`] of a server that never started.
pub const START: &str = "(start)";

/// A temporary directory of the checker's, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty directory that any user can read.
    fn new() -> Result<Self, Error> {
        static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("hftp-check-{}-{n}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|source| Error::file(&dir, source))?;
        Ok(Self(dir))
    }

    /// A path inside it.
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_dir_all(&self.0) {
            log::warn!("cannot remove {}: {error}", self.0.display());
        }
    }
}

/// Runs the selected cases against `server`, watching that it lives:
/// the course's cases first, in a directory holding only the files each
/// writes for itself, then the others, with the fixtures.
fn run_on(server: &mut Server<'_>, options: &Options) -> Result<Report, Error> {
    let addr = server.addr();
    let served = match &options.dir {
        Some(dir) => Some(ServedDir::take(dir).map_err(|source| Error::file(dir, source))?),
        None => None,
    };
    let mut cx = prepare(addr, options)?;
    cx.server_unprivileged = server.unprivileged();
    let (course, others): (Vec<Case>, Vec<Case>) =
        select(&options.only).into_iter().partition(Case::is_course);
    let mut run = Run {
        results: Vec::new(),
        deaths: Vec::new(),
        down: false,
    };
    run.phase(&mut cx, server, course, options)?;
    if let Some(dir) = &options.dir
        && others.iter().any(|case| case.needs_dir)
    {
        let mut fixtures = Fixtures::write(dir).map_err(|source| Error::file(dir, source))?;
        fixtures.noread_enforced |= cx.server_unprivileged;
        cx.fixtures = Some(fixtures);
    }
    run.phase(&mut cx, server, others, options)?;
    drop(cx.fixtures.take());
    drop(served);
    Ok(Report {
        server: addr,
        label: addr.to_string(),
        framing: cx.framing,
        revision: cx.revision,
        results: run.results,
        deaths: run.deaths,
    })
}

/// The results of a run so far, and the server's life.
struct Run {
    results: Vec<CaseResult>,
    deaths: Vec<Death>,
    /// The server died and was not started again.
    down: bool,
}

impl Run {
    /// Runs `cases` one after the other, unless the run is cancelled.
    fn phase(
        &mut self,
        cx: &mut Ctx,
        server: &mut Server<'_>,
        cases: Vec<Case>,
        options: &Options,
    ) -> Result<(), Error> {
        for case in cases {
            if options
                .cancel
                .as_ref()
                .is_some_and(CancelToken::is_cancelled)
            {
                return Err(Error::Interrupted);
            }
            self.case(cx, server, case, options);
        }
        Ok(())
    }

    /// Runs `case` unless the server is down; then, if the server died
    /// during it, says so in its verdict and starts the server again.
    fn case(&mut self, cx: &mut Ctx, server: &mut Server<'_>, case: Case, options: &Options) {
        if self.down && !(options.keep_going && server.back_within(BACK_WAIT)) {
            self.results.push(not_run(case, self.deaths.last()));
            return;
        }
        self.down = false;
        let mut result = run_case(cx, case, options.case_timeout);
        if let Some(how) = server.death(ALIVE_WAIT) {
            result.verdict = result.verdict.died(&how);
            let restarted = server.restart();
            cx.addr = server.addr();
            self.down = !restarted;
            self.deaths.push(Death {
                case: case.id,
                how,
                restarted,
            });
        }
        self.results.push(result);
    }
}

/// How long a server may take to answer one request between two cases
/// before it counts as dead.
const ALIVE_WAIT: Duration = Duration::from_secs(5);

/// With [`Options::keep_going`], how long each case waits for a dead
/// server to come back.
const BACK_WAIT: Duration = Duration::from_secs(1);

/// A case not run because the server was down after `death`.
fn not_run(case: Case, death: Option<&Death>) -> CaseResult {
    let after = death.map_or("", |death| death.case);
    CaseResult {
        id: case.id,
        group: case.group,
        basis: case.basis,
        title: case.title,
        verdict: Verdict::Skip(format!("{NOT_RUN} in {after}")),
        took: Duration::ZERO,
        waited: Duration::ZERO,
    }
}

/// How a case not run after the server's death starts its reason.
pub(crate) const NOT_RUN: &str = "not run: the server died";

/// What every case of a run works with: with [`Options::dir`], the check
/// that the server serves it, and the framing of plain slices (unless
/// given); the revision (unless given).
fn prepare(addr: SocketAddr, options: &Options) -> Result<Ctx, Error> {
    let mut cx = Ctx {
        addr,
        dir: options.dir.clone(),
        fixtures: None,
        deadline: Instant::now() + options.case_timeout,
        close_wait: options.close_wait,
        framing: options.framing,
        revision: Revision::R2026,
        group: Group::Robust,
        reply_wait: options.reply_wait,
        waited: Arc::default(),
        server_unprivileged: false,
    };
    if let Some(dir) = &options.dir {
        let probe = verify_served(addr, dir)?;
        if cx.framing.is_none() {
            cx.framing = detect_framing(&cx, &probe);
        }
    }
    cx.revision = match options.revision {
        Some(revision) => revision,
        None => detect_revision(&cx),
    };
    Ok(cx)
}

/// The file of an unlikely size that shows the server serves `--dir`,
/// and then how it frames plain slices; dropping it removes it.
struct Probe {
    /// Where it is written.
    path: PathBuf,
    /// What it holds.
    data: Vec<u8>,
}

impl Probe {
    /// Its name in the served directory.
    const NAME: &str = "hftp-check-probe";
}

impl Drop for Probe {
    fn drop(&mut self) {
        if let Err(error) = std::fs::remove_file(&self.path) {
            log::warn!("cannot remove {}: {error}", self.path.display());
        }
    }
}

/// Checks that the server at `addr` serves `dir`: a probe file of an
/// unlikely size written there must have that size on the server. A
/// server that answers otherwise (not found, another size) serves
/// another directory; one that fails to answer is left to the cases.
/// The probe stays until the returned value is dropped.
fn verify_served(addr: SocketAddr, dir: &Path) -> Result<Probe, Error> {
    let size = 4099 + u64::from(std::process::id() % 997);
    let probe = Probe {
        path: dir.join(Probe::NAME),
        data: vec![b'p'; usize::try_from(size).unwrap_or(0)],
    };
    std::fs::write(&probe.path, &probe.data).map_err(|source| Error::file(dir, source))?;
    let answer = crate::Builder::new()
        .read_timeout(Some(Duration::from_secs(10)))
        .connect(addr)
        .and_then(|mut client| client.metadata(Probe::NAME));
    let seen = match answer {
        Ok(got) if got == size => return Ok(probe),
        Ok(got) => format!("its size as {got}, not {size}"),
        Err(Error::Refused {
            code: hftp_proto::Code::FileNotFound,
            ..
        }) => "it as not found".to_owned(),
        Err(other) => {
            log::debug!("probing --dir: {other}");
            return Ok(probe);
        }
    };
    drop(probe);
    let message = format!(
        "the server at {addr} does not serve this directory: it gave a file written there ({}) {seen}",
        Probe::NAME
    );
    Err(Error::file(dir, std::io::Error::other(message)))
}

/// The revision the server speaks: 2026 if it answers `help` with `0`,
/// else 2019 (also when the question itself fails: the cases then say
/// why).
fn detect_revision(cx: &Ctx) -> Revision {
    let answered = cx.connect().and_then(|mut conn| {
        conn.send(b"help\r\n")?;
        conn.expect_status(hftp_proto::Code::Ok)
    });
    let revision = if answered.is_ok() {
        Revision::R2026
    } else {
        Revision::R2019
    };
    log::debug!("the server speaks the {revision} revision");
    revision
}

/// The framing of plain slices, from a first slice of the probe: `None`
/// when that slice fails (the cases then say why).
fn detect_framing(cx: &Ctx, probe: &Probe) -> Option<Framing> {
    let mut conn = cx.connect().ok()?;
    let framing = conn.probe_framing(Probe::NAME, &probe.data).ok()?;
    log::debug!("plain slices come as {framing:?}");
    framing
}

/// The cases that one of `patterns` selects, in catalogue order; all of
/// them when there is no pattern.
fn select(patterns: &[String]) -> Vec<Case> {
    let chosen = |case: &Case| patterns.is_empty() || patterns.iter().any(|p| selects(p, case));
    catalogue::all().into_iter().filter(chosen).collect()
}

/// The patterns of `only` that select no case (a typo, most likely).
#[must_use]
pub fn unmatched(only: &[String]) -> Vec<String> {
    let all = catalogue::all();
    only.iter()
        .filter(|pattern| !all.iter().any(|case| selects(pattern, case)))
        .cloned()
        .collect()
}

/// True if `pattern` selects `case`: its exact id (`6.fifo`), a glob of
/// ids (`6.*`, `2019.*-slice`, `?.bare-lf`), or its group (`robust`,
/// `course-2019`, `rule 6`).
fn selects(pattern: &str, case: &Case) -> bool {
    pattern == case.id
        || pattern == case.group.to_string()
        || glob(pattern.as_bytes(), case.id.as_bytes())
}

/// Matches `text` against `pattern`, where `*` is any run of bytes and
/// `?` any one byte.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    (p, t) = (sp + 1, st + 1);
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Runs one case within its time limit.
fn run_case(cx: &mut Ctx, case: Case, limit: Duration) -> CaseResult {
    let started = Instant::now();
    cx.deadline = started + limit;
    cx.group = case.group;
    cx.take_waited();
    log::debug!("case {}", case.id);
    if case.revision > cx.revision {
        return CaseResult {
            id: case.id,
            group: case.group,
            title: case.title,
            basis: case.basis,
            verdict: Verdict::Missing(case.revision),
            took: started.elapsed(),
            waited: Duration::ZERO,
        };
    }
    let outcome = if case.needs_dir && cx.dir.is_none() {
        Err(skip("needs --dir"))
    } else {
        match case.test {
            Test::Status(send, code) => status_case(cx, send, code),
            Test::Run(test) => test(cx),
        }
    };
    CaseResult {
        id: case.id,
        group: case.group,
        title: case.title,
        basis: case.basis,
        verdict: Verdict::judge(&case, outcome),
        took: started.elapsed(),
        waited: cx.take_waited(),
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

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_ids() {
        let matches = |p: &str, t: &str| glob(p.as_bytes(), t.as_bytes());
        assert!(
            matches("1.*", "1.bare-lf") && matches("*", "") && matches("?.bare-lf", "1.bare-lf")
        );
        assert!(matches("2019.*-slice", "2019.partial-slice") && matches("*lf*", "1.bare-lf"));
        assert!(!matches("1.*", "11.raw-exact") && !matches("1.bare", "1.bare-lf"));
        assert!(!matches("?", "") && !matches("a*b", "ab-c"));
    }
}
