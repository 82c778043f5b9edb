//! The report: a verdict per case; a table grouped by rule for people,
//! JSON Lines for machines.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

use hftp_proto::Framing;

use super::case::{Failure, Group, Miss, Outcome};
use crate::json::quote;

/// How one case went.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// The server did what the case checks.
    Pass,
    /// The server broke the rule: what was sent, received and expected.
    Fail(Box<Failure>),
    /// The case could not run here (no fixtures, running as root...):
    /// why.
    Skip(String),
}

impl From<Outcome> for Verdict {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Ok(()) => Self::Pass,
            Err(Miss::Fail(failure)) => Self::Fail(failure),
            Err(Miss::Skip(why)) => Self::Skip(why),
        }
    }
}

impl Verdict {
    /// `pass`, `fail` or `skip`, as the reports print it.
    #[must_use]
    pub const fn word(&self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail(_) => "fail",
            Self::Skip(_) => "skip",
        }
    }
}

/// One case and how it went.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The case's stable name, e.g. `1.bare-lf`.
    pub id: &'static str,
    /// The rule or scenario it checks.
    pub group: Group,
    /// What a conforming server does, in a few words.
    pub title: &'static str,
    /// How it went.
    pub verdict: Verdict,
    /// How long it took.
    pub took: Duration,
}

/// What a run of the checker found, case by case, in the order they ran.
#[derive(Clone, Debug)]
pub struct Report {
    /// The server checked.
    pub server: SocketAddr,
    /// How the server frames plain slice bodies, when known (rule 12).
    pub framing: Option<Framing>,
    /// Every case that ran.
    pub results: Vec<CaseResult>,
}

impl Report {
    /// True when no case failed.
    #[must_use]
    pub fn is_pass(&self) -> bool {
        self.failed() == 0
    }

    /// The case named `id`, if it ran.
    #[must_use]
    pub fn result(&self, id: &str) -> Option<&CaseResult> {
        self.results.iter().find(|result| result.id == id)
    }

    /// The failed cases.
    pub fn failures(&self) -> impl Iterator<Item = &CaseResult> {
        self.with(|verdict| matches!(verdict, Verdict::Fail(_)))
    }

    /// How many cases passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.with(|verdict| *verdict == Verdict::Pass).count()
    }

    /// How many cases failed.
    #[must_use]
    pub fn failed(&self) -> usize {
        self.failures().count()
    }

    /// How many cases were skipped.
    #[must_use]
    pub fn skipped(&self) -> usize {
        self.with(|verdict| matches!(verdict, Verdict::Skip(_)))
            .count()
    }

    /// The cases whose verdict `test` accepts.
    fn with(&self, test: fn(&Verdict) -> bool) -> impl Iterator<Item = &CaseResult> {
        self.results
            .iter()
            .filter(move |result| test(&result.verdict))
    }

    /// The totals line: `N passed, M failed, K skipped`.
    #[must_use]
    pub fn totals(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed(),
            self.failed(),
            self.skipped()
        )
    }

    /// The table for people: grouped by rule, the bytes under each
    /// failure, the totals last; first, when the server frames plain
    /// slices in fragments (rule 12), a line that says so.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::new();
        if self.framing == Some(Framing::Fragments) {
            out.push_str(
                "plain slices come in fragments (the seed's framing, rule 12): every slice is held to it\n",
            );
        }
        let mut group = None;
        for result in &self.results {
            if group != Some(result.group) {
                group = Some(result.group);
                let _ = writeln!(out, "\n{}: {}", result.group, result.group.title());
            }
            text_case(&mut out, result);
        }
        let _ = writeln!(out, "\n{}", self.totals());
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
        let framing = match self.framing {
            Some(Framing::Fragments) => "\"fragments\"",
            Some(_) => "\"base64\"",
            None => "null",
        };
        let _ = writeln!(
            out,
            "{{\"server\":{},\"framing\":{framing},\"passed\":{},\"failed\":{},\"skipped\":{}}}",
            quote(&self.server.to_string()),
            self.passed(),
            self.failed(),
            self.skipped()
        );
        out
    }
}

/// One line per case; the bytes under a failure.
fn text_case(out: &mut String, result: &CaseResult) {
    let (mark, note) = match &result.verdict {
        Verdict::Fail(_) => ("FAIL", String::new()),
        Verdict::Skip(why) => ("skip", format!(" ({why})")),
        Verdict::Pass => ("pass", String::new()),
    };
    let _ = writeln!(out, "  {mark}  {:<28} {}{note}", result.id, result.title);
    if let Verdict::Fail(failure) = &result.verdict {
        let _ = writeln!(out, "        sent:     \"{}\"", failure.sent);
        let _ = writeln!(out, "        received: \"{}\"", failure.received);
        let _ = writeln!(out, "        expected: {}", failure.expected);
    }
}

/// One case as a JSON object.
fn json_case(result: &CaseResult) -> String {
    let mut out = format!(
        "{{\"id\":{},\"rule\":{},\"title\":{},\"ms\":{},\"status\":\"{}\"",
        quote(result.id),
        quote(&result.group.to_string()),
        quote(result.title),
        result.took.as_millis(),
        result.verdict.word()
    );
    match &result.verdict {
        Verdict::Pass => {}
        Verdict::Skip(why) => {
            let _ = write!(out, ",\"reason\":{}", quote(why));
        }
        Verdict::Fail(f) => {
            let _ = write!(
                out,
                ",\"sent\":{},\"received\":{},\"expected\":{}",
                quote(&f.sent),
                quote(&f.received),
                quote(&f.expected)
            );
        }
    }
    out.push('}');
    out
}
