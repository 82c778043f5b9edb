//! The report: a verdict per case; a table grouped by rule for people,
//! JSON Lines for machines.

use std::fmt::Write as _;
use std::time::Duration;

use hftp_proto::Framing;

use super::case::Case;
use super::group::{Basis, Group, Revision};
use super::kind::Kind;
use super::miss::{Failure, Miss, Said, Tested};
use super::text::{spanish_title, text};
use super::under_test::Death;
use crate::json::quote;
use crate::{Foreign, Lang};

/// How one case went.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The server did what the case checks.
    Pass,
    /// The server broke a requirement of the course: what was sent,
    /// received and expected.
    Fail(Box<Failure>),
    /// The server differs only from a stricter choice of this project's
    /// contract, where the course is silent.
    NonStrict(Box<Failure>),
    /// A security finding: a file served from outside the directory, a
    /// server blocked by one client.
    Security(Box<Failure>),
    /// The case tests a feature of a revision the server does not speak
    /// (`help`, raw bodies of 2026); it was not run.
    Missing(Revision),
    /// Not a requirement: what the server does where neither the course
    /// nor the contract asks one thing (its status texts, whether it
    /// serves clients one at a time).
    Info(String),
    /// The case could not run here (no fixtures, running as root...):
    /// why.
    Skip(String),
    /// The case was not run: the server was dead, having died during the
    /// case named (`None`: it never started), and was not started again.
    /// The reports count it as a skip.
    NotRun {
        /// The case the server died in; `None` when it did not start.
        died_in: Option<&'static str>,
    },
}

impl Verdict {
    /// The verdict on `case` from how its test went, and its words in
    /// Spanish (see [`CaseResult::reason_in`]).
    pub(crate) fn judge(case: &Case, tested: Tested) -> (Self, Option<String>) {
        match tested {
            Ok(()) => (Self::Pass, None),
            Err(Miss::Skip(why)) => (Self::Skip(why.en), Some(why.es)),
            Err(Miss::Info(what)) => (Self::Info(what.en), Some(what.es)),
            Err(Miss::Fail(failure, es)) if case.security => (Self::Security(failure), Some(es)),
            Err(Miss::Fail(failure, es)) => match case.basis {
                Basis::Course => (Self::Fail(failure), Some(es)),
                Basis::Contract => (Self::NonStrict(failure), Some(es)),
            },
        }
    }

    /// The kind of this verdict.
    #[must_use]
    pub const fn kind(&self) -> Kind {
        match self {
            Self::Pass => Kind::Pass,
            Self::Fail(_) => Kind::Fail,
            Self::NonStrict(_) => Kind::NonStrict,
            Self::Security(_) => Kind::Security,
            Self::Info(_) => Kind::Info,
            Self::Missing(_) => Kind::Missing,
            Self::Skip(_) | Self::NotRun { .. } => Kind::Skip,
        }
    }

    /// The word of its [`kind`](Self::kind), as the reports print it.
    #[must_use]
    pub const fn word(&self) -> &'static str {
        self.kind().word()
    }

    /// Why the case was skipped or not run, or what an info case saw.
    #[must_use]
    pub fn reason(&self) -> Option<String> {
        match self {
            Self::Skip(why) | Self::Info(why) => Some(why.clone()),
            Self::NotRun { .. } => self.not_run_reason(Lang::En),
            _ => None,
        }
    }

    /// Why a case was not run, in `lang`.
    fn not_run_reason(&self, lang: Lang) -> Option<String> {
        match self {
            Self::NotRun {
                died_in: Some(case),
            } => Some(text(lang).not_run_died(case)),
            Self::NotRun { died_in: None } => Some(text(lang).not_run_unstarted().to_owned()),
            _ => None,
        }
    }

    /// The bytes behind a verdict that is not a pass, if any.
    #[must_use]
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Self::Fail(failure) | Self::NonStrict(failure) | Self::Security(failure) => {
                Some(failure)
            }
            _ => None,
        }
    }
}

/// One case and how it went.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CaseResult {
    /// The case's stable name, e.g. `1.bare-lf`.
    pub id: &'static str,
    /// The rule or scenario it checks.
    pub group: Group,
    /// What a conforming server does, in a few words.
    pub title: &'static str,
    /// What its judgement rests on: the course or the contract.
    pub basis: Basis,
    /// How it went.
    pub verdict: Verdict,
    /// How long it took.
    pub took: Duration,
    /// How much of that it spent waiting for replies (or closes) that
    /// never came.
    pub waited: Duration,
    /// The verdict's words in Spanish: the reason of a skip or an info,
    /// what a failure expected; `None` when its verdict carries no words.
    pub(crate) spanish: Option<String>,
}

impl CaseResult {
    /// The result of `case` from how its test went.
    pub(crate) fn judged(case: &Case, tested: Tested, took: Duration, waited: Duration) -> Self {
        let (verdict, spanish) = Verdict::judge(case, tested);
        Self {
            took,
            waited,
            spanish,
            ..Self::unjudged(case, verdict)
        }
    }

    /// The result of `case`, which was not run (or ran no test).
    pub(crate) fn unjudged(case: &Case, verdict: Verdict) -> Self {
        Self {
            id: case.id,
            group: case.group,
            title: case.title,
            basis: case.basis,
            verdict,
            took: Duration::ZERO,
            waited: Duration::ZERO,
            spanish: None,
        }
    }

    /// This result, for a case during which the server died (`how`): a
    /// security finding, keeping the bytes of a failure.
    pub(crate) fn died(&mut self, how: &Said) {
        let mut failure = self.verdict.failure().cloned().unwrap_or_default();
        let spanish = match self.verdict.failure() {
            Some(_) => self.spanish.clone().unwrap_or_default(),
            None => String::new(),
        };
        self.spanish = Some(text(Lang::Es).stay_up(&spanish, &how.es));
        failure.expected = text(Lang::En).stay_up(&failure.expected, &how.en);
        self.verdict = Verdict::Security(Box::new(failure));
    }

    /// What a conforming server does, in `lang` (the case's title).
    #[must_use]
    pub fn title_in(&self, lang: Lang) -> &'static str {
        title_in(self.id, self.title, lang)
    }

    /// Why the case was skipped or not run, or what an info case saw,
    /// in `lang` (see [`Verdict::reason`]).
    #[must_use]
    pub fn reason_in(&self, lang: Lang) -> Option<String> {
        match (&self.verdict, lang) {
            (Verdict::NotRun { .. }, _) => self.verdict.not_run_reason(lang),
            (Verdict::Skip(_) | Verdict::Info(_), Lang::Es) => {
                self.spanish.clone().or_else(|| self.verdict.reason())
            }
            _ => self.verdict.reason(),
        }
    }

    /// What a conforming server would have sent or done, for a verdict
    /// with bytes, in `lang` (see [`Failure::expected`]).
    #[must_use]
    pub fn expected_in(&self, lang: Lang) -> Option<&str> {
        let failure = self.verdict.failure()?;
        match (lang, &self.spanish) {
            (Lang::Es, Some(spanish)) => Some(spanish),
            _ => Some(&failure.expected),
        }
    }
}

/// The title of case `id` in `lang`, `english` being its English one.
pub(super) fn title_in(id: &str, english: &'static str, lang: Lang) -> &'static str {
    match lang {
        Lang::Es => spanish_title(id).unwrap_or(english),
        _ => english,
    }
}

/// What a run of the checker found, case by case, in the order they ran.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Report {
    /// The server checked, as it was reached; `None` for a server that
    /// did not start.
    pub server: Option<String>,
    /// A name for the server in reports of many: the address, unless the
    /// caller names it (a student, a command).
    pub label: String,
    /// How the server frames plain slice bodies, when known (rule 12).
    pub framing: Option<Framing>,
    /// The revision the server was held to.
    pub revision: Revision,
    /// Every case that ran.
    pub results: Vec<CaseResult>,
    /// Each time the server died (or stopped answering) during a case.
    pub deaths: Vec<Death>,
    /// The server is not an HFTP server, and looks as this says: no case
    /// ran.
    pub not_hftp: Option<Foreign>,
}

impl Report {
    /// True when no course requirement failed, there is no security
    /// finding and the server never died (non-strict differences
    /// allowed).
    #[must_use]
    pub fn is_pass(&self) -> bool {
        self.failed() == 0
            && self.count(Kind::Security) == 0
            && self.deaths.is_empty()
            && self.not_hftp.is_none()
    }

    /// True when nothing but passes, skips and missing features: the
    /// contract's stricter choices held too.
    #[must_use]
    pub fn is_strict_pass(&self) -> bool {
        self.is_pass() && self.count(Kind::NonStrict) == 0
    }

    /// How many cases got a verdict of `kind`.
    #[must_use]
    pub fn count(&self, kind: Kind) -> usize {
        self.results
            .iter()
            .filter(|result| result.verdict.kind() == kind)
            .count()
    }

    /// How many cases got each kind of verdict, in the order of
    /// [`Kind::ALL`].
    #[must_use]
    pub fn counts(&self) -> Vec<(Kind, usize)> {
        Kind::ALL
            .iter()
            .map(|&kind| (kind, self.count(kind)))
            .collect()
    }

    /// The case named `id`, if it ran.
    #[must_use]
    pub fn result(&self, id: &str) -> Option<&CaseResult> {
        self.results.iter().find(|result| result.id == id)
    }

    /// The cases that did not hold: failed, non-strict or security.
    pub fn failures(&self) -> impl Iterator<Item = &CaseResult> {
        self.with(|verdict| verdict.failure().is_some())
    }

    /// How many cases passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.count(Kind::Pass)
    }

    /// How many cases broke a course requirement.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.count(Kind::Fail)
    }

    /// How many cases were skipped.
    #[must_use]
    pub fn skipped(&self) -> usize {
        self.count(Kind::Skip)
    }

    /// The score on the cases resting on `basis`: how many passed, and
    /// how many were judged (passed, failed, non-strict or security; not
    /// info, missing or skipped).
    #[must_use]
    pub fn score(&self, basis: Basis) -> (usize, usize) {
        let judged = self
            .results
            .iter()
            .filter(|result| result.basis == basis)
            .filter(|result| result.verdict == Verdict::Pass || result.verdict.failure().is_some());
        judged.fold((0, 0), |(passed, all), result| {
            (
                passed + usize::from(result.verdict == Verdict::Pass),
                all + 1,
            )
        })
    }

    /// How the server frames plain slice bodies, as the reports name it
    /// (`base64`, `fragments`); `None` when not known.
    pub(super) const fn framing_name(&self) -> Option<&'static str> {
        match self.framing {
            Some(Framing::Fragments) => Some("fragments"),
            Some(_) => Some("base64"),
            None => None,
        }
    }

    /// How long the run spent waiting for replies (or closes) that never
    /// came, all cases together.
    #[must_use]
    pub fn waited(&self) -> Duration {
        self.results.iter().map(|result| result.waited).sum()
    }

    /// The cases whose verdict `test` accepts.
    fn with(&self, test: fn(&Verdict) -> bool) -> impl Iterator<Item = &CaseResult> {
        self.results
            .iter()
            .filter(move |result| test(&result.verdict))
    }

    /// The totals line: `N passed, M failed, K skipped`, with the
    /// security findings, non-strict, info and missing cases when there
    /// are, and the time spent waiting for replies that never came.
    #[must_use]
    pub fn totals(&self) -> String {
        self.totals_in(Lang::En)
    }

    /// The totals line in `lang` (see [`totals`](Self::totals)).
    #[must_use]
    pub fn totals_in(&self, lang: Lang) -> String {
        let words = text(lang);
        let mut line = format!(
            "{}, {}",
            words.passed(self.passed()),
            words.failed(self.failed())
        );
        for kind in [Kind::Security, Kind::NonStrict, Kind::Info, Kind::Missing] {
            let count = self.count(kind);
            if count > 0 {
                let _ = write!(line, ", {}", words.counted(kind, count));
            }
        }
        let _ = write!(line, ", {}", words.skipped(self.skipped()));
        let waited = self.waited();
        if !waited.is_zero() {
            let _ = write!(line, "; {}", words.waited(waited.as_secs_f64()));
        }
        line
    }

    /// The table for people: grouped by rule, the bytes under each
    /// failure, the totals last; first, when the server frames plain
    /// slices in fragments (rule 12), a line that says so.
    #[must_use]
    pub fn text(&self) -> String {
        self.text_in(Lang::En)
    }

    /// The table for people in `lang` (see [`text`](Self::text)).
    #[must_use]
    pub fn text_in(&self, lang: Lang) -> String {
        let words = text(lang);
        let mut out = String::new();
        if let Some(looks) = &self.not_hftp {
            let _ = writeln!(out, "{}", words.not_hftp(&self.label, looks));
            let _ = writeln!(out, "\n{}", words.not_hftp_not_run(self.results.len()));
            let _ = writeln!(out, "\n{}", self.totals_in(lang));
            return out;
        }
        if self.framing == Some(Framing::Fragments) {
            let _ = writeln!(out, "{}", words.fragments());
        }
        let missing: Vec<&str> = self
            .with(|verdict| matches!(verdict, Verdict::Missing(_)))
            .map(|result| result.id)
            .collect();
        if !missing.is_empty() {
            let ids = missing.join(", ");
            let line = words.missing_line(self.revision, missing.len(), &ids);
            let _ = writeln!(out, "{line}");
        }
        for death in &self.deaths {
            let line = match death.case {
                None => words.dead_unstarted(death.how_in(lang)),
                Some(case) => words.dead_during(case, death.how_in(lang), death.restarted),
            };
            let _ = writeln!(out, "{line}");
        }
        let width = self.results.iter().map(|r| r.id.len()).max().unwrap_or(0);
        let mut group = None;
        for result in
            self.with(|verdict| !matches!(verdict, Verdict::NotRun { .. } | Verdict::Missing(_)))
        {
            if group != Some(result.group) {
                group = Some(result.group);
                let (name, title) = (
                    words.group_name(result.group),
                    words.group_title(result.group),
                );
                let gap = if out.is_empty() { "" } else { "\n" };
                let _ = writeln!(out, "{gap}{name}: {title}");
            }
            text_case(&mut out, result, width, lang);
        }
        let not_run = self
            .with(|verdict| matches!(verdict, Verdict::NotRun { .. }))
            .count();
        if not_run > 0 {
            let _ = writeln!(out, "\n{}", words.not_run_line(not_run));
        }
        let _ = writeln!(out, "\n{}", self.totals_in(lang));
        out
    }

    /// JSON Lines for machines: one object per case, one per line, then
    /// one summary object: `{"server":...,"passed":N,"failed":M,...}`.
    #[must_use]
    pub fn json_lines(&self) -> String {
        let mut out = String::new();
        for result in &self.results {
            let _ = writeln!(out, "{}", json_case(result));
        }
        let framing = self.framing_name().map_or_else(|| "null".to_owned(), quote);
        let not_hftp = self.not_hftp.as_ref().map_or_else(String::new, |looks| {
            format!(
                ",\"not_hftp\":{{\"looks_like\":\"{}\",\"sent\":{}}}",
                looks.word(),
                quote(&match looks {
                    Foreign::Http(line) | Foreign::Ssh(line) => line.clone(),
                    other => other.shown(),
                })
            )
        });
        let _ = writeln!(
            out,
            "{{\"server\":{},\"label\":{},\"framing\":{framing},\"revision\":\"{}\",\"passed\":{},\"failed\":{},\"security\":{},\"non_strict\":{},\"info\":{},\"missing\":{},\"skipped\":{},\"deaths\":{},\"waited_ms\":{}{not_hftp}}}",
            self.server
                .as_deref()
                .map_or_else(|| "null".to_owned(), quote),
            quote(&self.label),
            self.revision,
            self.passed(),
            self.failed(),
            self.count(Kind::Security),
            self.count(Kind::NonStrict),
            self.count(Kind::Info),
            self.count(Kind::Missing),
            self.skipped(),
            self.deaths.len(),
            self.waited().as_millis()
        );
        out
    }
}

/// One line per case, its id padded to `width`, in `lang`; the bytes
/// under a failure.
fn text_case(out: &mut String, result: &CaseResult, width: usize, lang: Lang) {
    let words = text(lang);
    let note = match &result.verdict {
        Verdict::Missing(revision) => words.missing_note(*revision),
        Verdict::Info(_) => format!(": {}", result.reason_in(lang).unwrap_or_default()),
        Verdict::Skip(_) | Verdict::NotRun { .. } => {
            format!(" ({})", result.reason_in(lang).unwrap_or_default())
        }
        _ => String::new(),
    };
    let mark = words.mark(result.verdict.kind());
    let marks = Kind::ALL
        .iter()
        .map(|&kind| words.mark(kind).chars().count());
    let mark_width = marks.max().unwrap_or(0).max(10);
    let _ = writeln!(
        out,
        "  {mark:<mark_width$} {:<width$} {}{note}",
        result.id,
        result.title_in(lang)
    );
    let indent = " ".repeat(mark_width + 3);
    if result.verdict.failure().is_some() {
        failure_lines(out, result, &indent, lang);
    }
    // A verdict that rests on a wait says so: how long nothing came.
    if result.verdict != Verdict::Pass && !result.waited.is_zero() {
        let _ = writeln!(out, "{indent}{}", words.waited(result.waited.as_secs_f64()));
    }
}

/// The bytes under the failure of `result`: sent, received and
/// expected, a line each, each line opening with `indent`, in `lang`.
pub(super) fn failure_lines(out: &mut String, result: &CaseResult, indent: &str, lang: Lang) {
    let Some(failure) = result.verdict.failure() else {
        return;
    };
    let [sent, received, expected] = text(lang).failure_labels();
    let _ = writeln!(out, "{indent}{sent}\"{}\"", failure.sent);
    let _ = writeln!(out, "{indent}{received}\"{}\"", failure.received);
    let expected_in = result.expected_in(lang).unwrap_or_default();
    let _ = writeln!(out, "{indent}{expected}{expected_in}");
}

/// One case as a JSON object.
fn json_case(result: &CaseResult) -> String {
    let mut out = format!(
        "{{\"id\":{},\"rule\":{},\"title\":{},\"ms\":{},\"waited_ms\":{},\"status\":\"{}\"",
        quote(result.id),
        quote(&result.group.to_string()),
        quote(result.title),
        result.took.as_millis(),
        result.waited.as_millis(),
        result.verdict.word()
    );
    if let Some(why) = result.verdict.reason() {
        let _ = write!(out, ",\"reason\":{}", quote(&why));
    }
    if let Some(f) = result.verdict.failure() {
        let _ = write!(
            out,
            ",\"sent\":{},\"received\":{},\"expected\":{}",
            quote(&f.sent),
            quote(&f.received),
            quote(&f.expected)
        );
    }
    out.push('}');
    out
}
