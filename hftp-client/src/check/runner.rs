//! Running the cases: the course's first, in a directory holding only
//! each test's own files, then the rules' with the fixtures; the server's
//! life watched after each case.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Error;
use super::case::{Case, Test};
use super::context::Ctx;
use super::fixtures::{FixtureDir, Fixtures};
use super::group::{Group, Revision};
use super::miss::{Tested, needs_dir};
use super::probe::{detect_framing, detect_revision, not_hftp, verify_served};
use super::select::select;
use super::text::text;
use super::under_test::{Death, UnderTest};
use super::{CaseResult, Options, Report, Verdict};
use crate::{CancelToken, Dialer, Foreign, Lang};

/// Runs the selected cases against `server`, watching that it lives:
/// the course's cases first, in a directory holding only the files each
/// writes for itself, then the others, with the fixtures.
pub(super) fn run_on(server: &mut UnderTest<'_>, options: &Options) -> Result<Report, Error> {
    let dialer = server.dialer();
    if let Some(looks) = not_hftp(&dialer, options) {
        return Ok(foreign_report(&dialer, options, looks));
    }
    let served = match &options.dir {
        Some(dir) => Some(FixtureDir::take(dir).map_err(|source| Error::dir(dir, source))?),
        None => None,
    };
    let mut cx = prepare(dialer.clone(), options)?;
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
        cx.fixtures = Some(Fixtures::write(dir).map_err(|source| Error::dir(dir, source))?);
    }
    run.phase(&mut cx, server, others, options)?;
    drop(cx.fixtures.take());
    drop(served);
    Ok(Report {
        server: Some(dialer.target().to_owned()),
        label: dialer.target().to_owned(),
        framing: cx.framing,
        revision: cx.revision,
        results: run.results,
        deaths: run.deaths,
        not_hftp: None,
    })
}

/// The report on a server that is not an HFTP server: that one verdict,
/// every selected case not run.
fn foreign_report(dialer: &Dialer, options: &Options, looks: Foreign) -> Report {
    let results = select(&options.only)
        .into_iter()
        .map(|case| {
            let verdict = Verdict::Skip(text(Lang::En).not_run_not_hftp().to_owned());
            let mut result = CaseResult::unjudged(&case, verdict);
            result.spanish = Some(text(Lang::Es).not_run_not_hftp().to_owned());
            result
        })
        .collect();
    Report {
        server: Some(dialer.target().to_owned()),
        label: dialer.target().to_owned(),
        framing: None,
        revision: options.revision.unwrap_or(Revision::R2026),
        results,
        deaths: Vec::new(),
        not_hftp: Some(looks),
    }
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
        server: &mut UnderTest<'_>,
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
    fn case(&mut self, cx: &mut Ctx, server: &mut UnderTest<'_>, case: Case, options: &Options) {
        if self.down && !(options.keep_going && server.back_within(BACK_WAIT)) {
            self.results.push(not_run(case, self.deaths.last()));
            return;
        }
        self.down = false;
        let mut result = run_case(cx, case, options.case_timeout);
        if let Some(how) = server.death(options.reply_wait.max(ALIVE_WAIT)) {
            result.died(&how);
            let restarted = server.restart();
            cx.dialer = server.dialer();
            self.down = !restarted;
            self.deaths.push(Death {
                case: Some(case.id),
                how: how.en,
                how_es: how.es,
                restarted,
            });
        }
        self.results.push(result);
    }
}

/// How long a server may take to answer one request between two cases
/// before it counts as dead (or the reply wait, if longer).
const ALIVE_WAIT: Duration = Duration::from_secs(5);

/// With [`Options::keep_going`], how long each case waits for a dead
/// server to come back.
const BACK_WAIT: Duration = Duration::from_secs(1);

/// A case not run because the server was down after `death` (none: it
/// never started).
pub(super) fn not_run(case: Case, death: Option<&Death>) -> CaseResult {
    let verdict = Verdict::NotRun {
        died_in: death.and_then(|death| death.case),
    };
    CaseResult::unjudged(&case, verdict)
}

/// What every case of a run works with: with [`Options::dir`], the check
/// that the server serves it, and the framing of plain slices (unless
/// given); the revision (unless given).
fn prepare(dialer: Dialer, options: &Options) -> Result<Ctx, Error> {
    let mut cx = Ctx {
        dialer,
        dir: options.dir.clone(),
        fixtures: None,
        deadline: Instant::now() + options.case_timeout,
        close_wait: options.close_wait,
        connect_wait: options.connect_timeout,
        framing: options.framing,
        revision: Revision::R2026,
        group: Group::Robust,
        reply_wait: options.reply_wait,
        piece_pause: options.piece_pause,
        waited: Arc::default(),
        server_unprivileged: false,
    };
    if let Some(dir) = &options.dir {
        let probe = verify_served(&cx.dialer, dir)?;
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

/// Runs one case within its time limit.
fn run_case(cx: &mut Ctx, case: Case, limit: Duration) -> CaseResult {
    let started = Instant::now();
    cx.deadline = started + limit;
    cx.group = case.group;
    cx.take_waited();
    log::debug!("case {}", case.id);
    if case.revision > cx.revision {
        let mut missing = CaseResult::unjudged(&case, Verdict::Missing(case.revision));
        missing.took = started.elapsed();
        return missing;
    }
    let outcome = if case.needs_dir && cx.dir.is_none() {
        Err(needs_dir())
    } else {
        match case.test {
            Test::Status(send, code) => status_case(cx, send, code),
            Test::Run(test) => test(cx),
        }
    };
    CaseResult::judged(&case, outcome, started.elapsed(), cx.take_waited())
}

/// A line and its status; then the close, or one more request answered.
fn status_case(cx: &Ctx, send: &[u8], code: hftp_proto::Code) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(send)?;
    conn.expect_status(code)?;
    if code.is_fatal() {
        return Ok(());
    }
    conn.expect_open()
}
