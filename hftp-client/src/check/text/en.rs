//! The checker's words in English.

#![deny(unused_variables)]

use super::{ClassLine, En, Text};
use crate::Foreign;
use crate::check::group::{Group, Revision};
use crate::check::kind::Kind;

/// `count` and `word`, the word in the plural unless the count is one.
fn many(count: usize, word: &str) -> String {
    match count {
        1 => format!("1 {word}"),
        _ => format!("{count} {word}s"),
    }
}

impl Text for En {
    fn kind_word(&self, kind: Kind) -> &'static str {
        kind.word()
    }

    fn kind_meaning(&self, kind: Kind) -> &'static str {
        kind.meaning()
    }

    fn mark(&self, kind: Kind) -> &'static str {
        match kind {
            Kind::Security => "SECURITY",
            Kind::Fail => "FAIL",
            Kind::NonStrict => "non-strict",
            Kind::Info => "info",
            Kind::Missing => "missing",
            Kind::Skip => "skip",
            Kind::Pass => "pass",
        }
    }

    fn group_name(&self, group: Group) -> String {
        group.to_string()
    }

    fn group_title(&self, group: Group) -> &'static str {
        group.title()
    }

    fn passed(&self, count: usize) -> String {
        format!("{count} passed")
    }

    fn failed(&self, count: usize) -> String {
        format!("{count} failed")
    }

    fn counted(&self, kind: Kind, count: usize) -> String {
        format!("{count} {kind}")
    }

    fn skipped(&self, count: usize) -> String {
        format!("{count} skipped")
    }

    fn waited(&self, secs: f64) -> String {
        format!("{secs:.1} s spent waiting for replies that never came")
    }

    fn fragments(&self) -> &'static str {
        "plain slices come in fragments (the seed's framing, rule 12): every slice is held to it"
    }

    fn missing_line(&self, revision: Revision, count: usize, ids: &str) -> String {
        let (cases, were) = match count {
            1 => ("1 case", "was"),
            _ => (&*format!("{count} cases"), "were"),
        };
        format!(
            "missing: the server speaks the {revision} revision; {cases} testing later features (help, raw bodies) {were} not run: {ids}"
        )
    }

    fn dead_unstarted(&self, how: &str) -> String {
        format!("DEAD: the server did not start: {how}")
    }

    fn dead_during(&self, case: &str, how: &str, restarted: bool) -> String {
        let then = if restarted {
            "started again"
        } else {
            "the cases after it were not run"
        };
        format!("DEAD: the server died during {case}: {how}; {then}")
    }

    fn not_run_line(&self, count: usize) -> String {
        format!("not run: {count} cases, the server being dead")
    }

    fn not_hftp(&self, server: &str, looks: &Foreign) -> String {
        format!("NOT HFTP: {server} is not an HFTP server: {looks}")
    }

    fn not_hftp_not_run(&self, count: usize) -> String {
        format!("not run: {count} cases, the server not being an HFTP server")
    }

    fn not_run_not_hftp(&self) -> &'static str {
        "not run: the server is not an HFTP server"
    }

    fn missing_note(&self, revision: Revision) -> String {
        format!(" (a feature of {revision})")
    }

    fn failure_labels(&self) -> [&'static str; 3] {
        ["sent:     ", "received: ", "expected: "]
    }

    fn not_run_died(&self, case: &str) -> String {
        format!("not run: the server died in {case}")
    }

    fn not_run_unstarted(&self) -> &'static str {
        "not run: the server did not start"
    }

    fn missing_reason(&self, needed: Revision, speaks: Revision) -> String {
        format!(
            "a feature of the {needed} revision; the server speaks the {speaks} revision: not run"
        )
    }

    fn stay_up(&self, expected: &str, how: &str) -> String {
        let stay_up = format!("the server to stay up: it died during this case ({how})");
        if expected.is_empty() {
            stay_up
        } else {
            format!("{expected}; and {stay_up}")
        }
    }

    fn html_title(&self, servers: usize, cases: usize) -> String {
        format!(
            "hftp check: {}, {}",
            many(servers, "server"),
            many(cases, "case")
        )
    }

    fn summary_heading(&self) -> &'static str {
        "Summary"
    }

    fn summary_head(&self) -> [&'static str; 3] {
        ["server", "course score", "contract score"]
    }

    fn summary_tail(&self) -> [&'static str; 4] {
        ["died", "revision", "framing", "address"]
    }

    fn summary_note(&self) -> &'static str {
        "A score counts the cases judged at the revision the server speaks (its column): \
         a 2019 server is not scored on the 2026 features, which count as missing, so two \
         servers' scores may have different denominators."
    }

    fn none_judged(&self) -> &'static str {
        "none judged"
    }

    fn framing_unknown(&self) -> &'static str {
        "unknown"
    }

    fn no_address(&self) -> &'static str {
        "did not start"
    }

    fn verdicts_heading(&self) -> &'static str {
        "Verdicts"
    }

    fn case_column(&self) -> &'static str {
        "case"
    }

    fn absent(&self) -> &'static str {
        "not run"
    }

    fn cases_heading(&self) -> &'static str {
        "Cases"
    }

    fn rests_on(&self, course: bool) -> &'static str {
        if course {
            "rests on the course"
        } else {
            "rests on the project's contract"
        }
    }

    fn passed_by_all(&self) -> &'static str {
        "Passed by every server."
    }

    fn passed_by(&self, names: &str) -> String {
        format!("Passed by {names}.")
    }

    fn byte_names(&self) -> [&'static str; 3] {
        ["sent", "received", "expected"]
    }

    fn nothing(&self) -> &'static str {
        "nothing"
    }

    fn junit_failure(&self, word: &str, expected: &str) -> String {
        format!("{word}: expected {expected}")
    }

    fn junit_non_strict(&self, word: &str) -> String {
        format!("{word} (a failure with --strict)")
    }

    fn class_line(&self, line: &ClassLine<'_>) -> String {
        let ClassLine {
            label,
            course: (course, of_course),
            contract: (contract, of_contract),
            revision,
            died,
            totals,
        } = line;
        let died = match died {
            Some(0) => String::new(),
            None => ", did not start".to_owned(),
            Some(n) => format!(", died {n}x"),
        };
        format!(
            "{label:<24} course {course}/{of_course}, contract {contract}/{of_contract} cases of the {revision} revision{died}: {totals}"
        )
    }

    fn the_class(&self) -> &'static str {
        "=== the class"
    }
}
