//! The checker's words for people, one table per language: every
//! message is a method of [`Text`], so a message missing in one language
//! does not compile, and each language's file denies unused variables,
//! so a value one language drops does not compile either.
//!
//! Only what people read goes through here: the words of the JSON Lines,
//! the ids, the CSS classes and `data-` attributes of the HTML, and the
//! structure of the JUnit XML stay the same in every language.

mod en;
mod es;
mod titles;

use crate::{Foreign, Lang};

use super::group::{Group, Revision};
use super::kind::Kind;

pub(crate) use titles::spanish_title;

/// The English table.
pub(crate) struct En;

/// The Spanish table (voseo, as written in Córdoba).
pub(crate) struct Es;

/// The table of `lang`.
pub(crate) fn text(lang: Lang) -> &'static dyn Text {
    match lang {
        Lang::Es => &Es,
        _ => &En,
    }
}

/// Every message of the checker's reports, in one language.
pub(crate) trait Text: Sync {
    // Verdicts.

    /// A kind of verdict in a word: the HTML report's cells, legend and
    /// summary columns.
    fn kind_word(&self, kind: Kind) -> &'static str;
    /// What a kind of verdict means (the HTML report's legend).
    fn kind_meaning(&self, kind: Kind) -> &'static str;
    /// A kind of verdict as the text report marks a case (at most 10
    /// characters, the loud ones in capitals).
    fn mark(&self, kind: Kind) -> &'static str;

    // Groups.

    /// A group's short name before its heading: `rule 1`, `table`,
    /// `course-2019` (the text and HTML reports).
    fn group_name(&self, group: Group) -> String;
    /// A group's heading (the text and HTML reports).
    fn group_title(&self, group: Group) -> &'static str;

    // The totals line (text report, class lines).

    /// How many cases passed.
    fn passed(&self, count: usize) -> String;
    /// How many broke a course requirement.
    fn failed(&self, count: usize) -> String;
    /// How many got `kind`: security, non-strict, info or missing.
    fn counted(&self, kind: Kind, count: usize) -> String;
    /// How many were skipped.
    fn skipped(&self, count: usize) -> String;
    /// The time spent waiting for replies that never came, after `; `.
    fn waited(&self, secs: f64) -> String;

    // The text report.

    /// The first line when the server frames plain slices in fragments.
    fn fragments(&self) -> &'static str;
    /// The line naming the cases not run for a later revision.
    fn missing_line(&self, revision: Revision, count: usize, ids: &str) -> String;
    /// The line of a server that did not start.
    fn dead_unstarted(&self, how: &str) -> String;
    /// The line of a server that died during `case`.
    fn dead_during(&self, case: &str, how: &str, restarted: bool) -> String;
    /// The line counting the cases not run, the server being dead.
    fn not_run_line(&self, count: usize) -> String;
    /// The one verdict on `server`, which is not an HFTP server and
    /// looks as `looks` says.
    fn not_hftp(&self, server: &str, looks: &Foreign) -> String;
    /// The line counting the cases not run, the server not being HFTP.
    fn not_hftp_not_run(&self, count: usize) -> String;
    /// A case not run: the server is not an HFTP server.
    fn not_run_not_hftp(&self) -> &'static str;
    /// After the title of a missing case.
    fn missing_note(&self, revision: Revision) -> String;
    /// The labels of the bytes under a failure, padded to one width:
    /// sent, received, expected.
    fn failure_labels(&self) -> [&'static str; 3];

    // Reasons of verdicts without bytes (text, HTML and JUnit reports).

    /// A case not run: the server died in `case`.
    fn not_run_died(&self, case: &str) -> String;
    /// A case not run: the server did not start.
    fn not_run_unstarted(&self) -> &'static str;
    /// A missing case: what it needs, what the server speaks.
    fn missing_reason(&self, needed: Revision, speaks: Revision) -> String;
    /// What a server that died during a case should have done, added to
    /// what the case expected (`expected` empty: nothing was).
    fn stay_up(&self, expected: &str, how: &str) -> String;

    // The HTML report.

    /// The page's title and first heading.
    fn html_title(&self, servers: usize, cases: usize) -> String;
    /// The summary's heading.
    fn summary_heading(&self) -> &'static str;
    /// The summary's first columns: server, course score, contract score.
    fn summary_head(&self) -> [&'static str; 3];
    /// The summary's last columns: died, revision, framing, address.
    fn summary_tail(&self) -> [&'static str; 4];
    /// Under the summary: what a score's denominator counts.
    fn summary_note(&self) -> &'static str;
    /// A score when no case of its basis was judged.
    fn none_judged(&self) -> &'static str;
    /// The framing when it is not known.
    fn framing_unknown(&self) -> &'static str;
    /// The address of a server that did not start.
    fn no_address(&self) -> &'static str;
    /// The matrix's heading.
    fn verdicts_heading(&self) -> &'static str;
    /// The matrix's first column.
    fn case_column(&self) -> &'static str;
    /// A cell of a case one server did not run at all.
    fn absent(&self) -> &'static str;
    /// The heading of the cases' sections.
    fn cases_heading(&self) -> &'static str;
    /// What a case rests on: the course (`true`) or the contract.
    fn rests_on(&self, course: bool) -> &'static str;
    /// Under a case every server passed.
    fn passed_by_all(&self) -> &'static str;
    /// Under a case some servers passed (their names, escaped, joined).
    fn passed_by(&self, names: &str) -> String;
    /// The names of the bytes under a failure: sent, received, expected.
    fn byte_names(&self) -> [&'static str; 3];
    /// What stands for no bytes at all.
    fn nothing(&self) -> &'static str;

    // The JUnit report.

    /// A failure's message: its verdict word and what was expected.
    fn junit_failure(&self, word: &str, expected: &str) -> String;
    /// The note of a non-strict case that is not a failure.
    fn junit_non_strict(&self, word: &str) -> String;

    // A class.

    /// One server of a class on one line.
    fn class_line(&self, line: &ClassLine<'_>) -> String;
    /// The heading of the class's lines.
    fn the_class(&self) -> &'static str;
}

/// What a class's line says of one server.
pub(crate) struct ClassLine<'a> {
    /// The server's name.
    pub(crate) label: &'a str,
    /// Course cases passed, and judged.
    pub(crate) course: (usize, usize),
    /// Contract cases passed, and judged.
    pub(crate) contract: (usize, usize),
    /// The revision it was held to: what the scores count.
    pub(crate) revision: Revision,
    /// How many times it died; `None` when it did not start.
    pub(crate) died: Option<usize>,
    /// The totals line.
    pub(crate) totals: &'a str,
}

impl Kind {
    /// The word people read in `lang`: `fail`, `falla`...
    #[must_use]
    pub fn word_in(self, lang: Lang) -> &'static str {
        text(lang).kind_word(self)
    }

    /// The mark that opens a case's line in the text report in `lang`:
    /// `SECURITY`, `FAIL`, `pass`... (what `hftp` colours on a terminal).
    #[must_use]
    pub fn mark_in(self, lang: Lang) -> &'static str {
        text(lang).mark(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_missing_case_is_one_case_in_both_languages() {
        let en = text(Lang::En).missing_line(Revision::R2019, 1, "3.help-me");
        assert!(
            en.contains(
                "; 1 case testing later features (help, raw bodies) was not run: 3.help-me"
            ),
            "{en}"
        );
        let en = text(Lang::En).missing_line(Revision::R2019, 2, "a, b");
        assert!(
            en.contains("; 2 cases testing later features (help, raw bodies) were not run"),
            "{en}"
        );
        let es = text(Lang::Es).missing_line(Revision::R2019, 1, "3.help-me");
        assert!(es.contains("no se corrió 1 caso que prueba"), "{es}");
    }
}
