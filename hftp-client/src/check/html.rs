//! The reports of many servers as one self-contained HTML page, for a
//! teacher grading a class (after Autobahn|Testsuite's report matrix):
//! a summary per server, a matrix of verdicts (servers across, cases
//! down, grouped by rule), and a section per case with the bytes of
//! every server that did not pass it.
//!
//! The page has its style inline and no script, and loads nothing. Each
//! matrix cell says its verdict in a word (colour is a help, not the
//! message) and carries it in attributes a program can read back:
//! `<td data-server="LABEL" data-case="ID" data-verdict="WORD">`. What
//! came from a server, and the labels, are escaped: a hostile server's
//! bytes show as text, never as markup.

use std::fmt::Write as _;

use super::group::{Basis, Group};
use super::kind::Kind;
use super::markup::{attr, reason, text};
use super::report::{CaseResult, Report, Verdict};
use super::text::{Text, text as words};
use super::under_test::Death;
use crate::Lang;

/// The page's style: the verdict colours, security the loudest.
const STYLE: &str = "\
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#111;background:#fff}
h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #bbb;padding:2px 7px;text-align:left;vertical-align:top}
thead th{background:#f0f0f0;position:sticky;top:0}
td.v{text-align:center;font-weight:600;white-space:nowrap}
td.n{text-align:right}
.v a{color:inherit}
tr.group th{background:#e8e8e8;padding-top:6px}
th .title{font-weight:normal;color:#444}
.pass{background:#2e7d32;color:#fff}
.fail{background:#c62828;color:#fff}
.non-strict{background:#ffb300;color:#000}
.security{background:#000;color:#ff5252;text-transform:uppercase;outline:3px solid #ff1744;outline-offset:-3px}
.info{background:#1565c0;color:#fff}
.missing{background:#8a8a8a;color:#fff}
.skip{background:#eee;color:#555}
.absent{color:#999;font-weight:normal}
.badge{padding:1px 6px;border-radius:3px;font-weight:600}
section.case{margin:1em 0;padding-top:.3em;border-top:1px solid #ddd}
.detail{margin:.5em 0 .5em 1em}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 10px;margin:.3em 0}
dt{font-weight:600}dd{margin:0}
pre{white-space:pre-wrap;word-break:break-all;background:#f5f5f5;margin:0;padding:2px 4px}
:target{outline:3px solid #1565c0}
.meta{color:#555;font-size:.9em}
";

/// One self-contained HTML page for `reports`: a summary per server
/// (course and contract scores, security findings, info, missing,
/// skipped, revision, framing), the matrix of verdicts, and a section
/// per case with the bytes sent, received and expected wherever a
/// server did not pass.
#[must_use]
pub fn html(reports: &[Report]) -> String {
    html_in(reports, Lang::En)
}

/// The page of [`html`] in `lang`: its `lang` attribute, headings,
/// legend, titles and reasons; the ids, classes and `data-` attributes
/// a program reads stay the same in every language.
#[must_use]
pub fn html_in(reports: &[Report], lang: Lang) -> String {
    let page = Page {
        lang,
        words: words(lang),
    };
    let rows = rows(reports);
    let mut out = String::new();
    page.head(&mut out, reports, rows.len());
    page.summary(&mut out, reports);
    page.matrix(&mut out, reports, &rows);
    page.details(&mut out, reports, &rows);
    out.push_str("</body>\n</html>\n");
    out
}

/// The language a page is written in.
struct Page {
    /// Its code.
    lang: Lang,
    /// Its words.
    words: &'static dyn Text,
}

/// Every case any report holds, once, in the order they ran, grouped
/// by rule (groups in the order they first come).
fn rows(reports: &[Report]) -> Vec<&CaseResult> {
    let mut rows: Vec<&CaseResult> = Vec::new();
    for result in reports.iter().flat_map(|report| &report.results) {
        if !rows.iter().any(|row| row.id == result.id) {
            rows.push(result);
        }
    }
    let mut groups: Vec<Group> = Vec::new();
    for row in &rows {
        if !groups.contains(&row.group) {
            groups.push(row.group);
        }
    }
    rows.sort_by_key(|row| groups.iter().position(|group| *group == row.group));
    rows
}

/// The anchor of a case's section, or of one server's part of it.
fn anchor(id: &str, server: Option<usize>) -> String {
    match server {
        Some(n) => attr(&format!("case-{id}-s{n}")),
        None => attr(&format!("case-{id}")),
    }
}

impl Page {
    /// The document's head, the title and the legend.
    fn head(&self, out: &mut String, reports: &[Report], cases: usize) {
        let title = self.words.html_title(reports.len(), cases);
        let lang = self.lang.code();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{title}</title>\n\
             <style>\n{STYLE}</style>\n</head>\n<body>\n\
             <h1>{title}</h1>\n<p>"
        );
        for &kind in Kind::ALL {
            let (class, word, meaning) = (
                kind.word(),
                self.words.kind_word(kind),
                self.words.kind_meaning(kind),
            );
            let _ = write!(
                out,
                "<span class=\"badge {class}\">{word}</span> {meaning}. "
            );
        }
        out.push_str("</p>\n");
    }

    /// The summary: one row per server.
    fn summary(&self, out: &mut String, reports: &[Report]) {
        let heading = self.words.summary_heading();
        let [server, course, contract] = self.words.summary_head();
        let _ = write!(
            out,
            "<h2 id=\"summary\">{heading}</h2>\n<table class=\"summary\">\n<thead><tr>\
             <th>{server}</th><th>{course}</th><th>{contract}</th>",
        );
        for &kind in Kind::ALL {
            let (class, word) = (kind.word(), self.words.kind_word(kind));
            let _ = write!(out, "<th class=\"{class}\">{word}</th>");
        }
        let [died, revision, framing, address] = self.words.summary_tail();
        let _ = write!(
            out,
            "<th>{died}</th><th>{revision}</th><th>{framing}</th><th>{address}</th></tr></thead>\n<tbody>\n",
        );
        for report in reports {
            self.summary_row(out, report);
        }
        let note = self.words.summary_note();
        let _ = writeln!(out, "</tbody>\n</table>\n<p class=\"note\">{note}</p>");
    }

    /// One server's row of the summary.
    fn summary_row(&self, out: &mut String, report: &Report) {
        let label = attr(&report.label);
        let _ = write!(out, "<tr data-server=\"{label}\"><th>{label}</th>");
        for (name, basis) in [("course", Basis::Course), ("contract", Basis::Contract)] {
            let (passed, judged) = report.score(basis);
            let score = (passed * 100).checked_div(judged).map_or_else(
                || self.words.none_judged().to_owned(),
                |percent| format!("{passed}/{judged} ({percent}%)"),
            );
            let _ = write!(
                out,
                "<td class=\"n\" data-server=\"{label}\" data-score=\"{name}\" data-passed=\"{passed}\" data-judged=\"{judged}\">{score}</td>"
            );
        }
        for &kind in Kind::ALL {
            let (word, count) = (kind.word(), report.count(kind));
            let class = if count > 0 && kind != Kind::Pass {
                word
            } else {
                ""
            };
            let _ = write!(
                out,
                "<td class=\"n {class}\" data-server=\"{label}\" data-count=\"{word}\">{count}</td>"
            );
        }
        let died: Vec<&str> = report.deaths.iter().map(Death::place).collect();
        let class = if died.is_empty() { "" } else { "security" };
        let _ = write!(
            out,
            "<td class=\"n {class}\" data-server=\"{label}\" data-count=\"deaths\" title=\"{}\">{}</td>",
            attr(&died.join(", ")),
            died.len()
        );
        let framing = report
            .framing_name()
            .unwrap_or_else(|| self.words.framing_unknown());
        let _ = writeln!(
            out,
            "<td>{}</td><td>{framing}</td><td>{}</td></tr>",
            report.revision,
            report
                .server
                .as_deref()
                .map_or_else(|| self.words.no_address().to_owned(), text)
        );
    }

    /// The matrix: servers across, cases down, grouped by rule.
    fn matrix(&self, out: &mut String, reports: &[Report], rows: &[&CaseResult]) {
        let (heading, case) = (self.words.verdicts_heading(), self.words.case_column());
        let _ = write!(
            out,
            "<h2 id=\"matrix\">{heading}</h2>\n<table class=\"matrix\">\n<thead><tr><th>{case}</th>",
        );
        for report in reports {
            let label = attr(&report.label);
            let _ = write!(out, "<th data-server=\"{label}\">{label}</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        let mut group = None;
        for row in rows {
            if group != Some(row.group) {
                group = Some(row.group);
                let _ = writeln!(
                    out,
                    "<tr class=\"group\"><th colspan=\"{}\">{}: {}</th></tr>",
                    reports.len() + 1,
                    self.words.group_name(row.group),
                    self.words.group_title(row.group)
                );
            }
            let _ = write!(
                out,
                "<tr><th><a href=\"#{}\">{}</a> <span class=\"title\">{}</span></th>",
                anchor(row.id, None),
                text(row.id),
                text(row.title_in(self.lang))
            );
            for (n, report) in reports.iter().enumerate() {
                self.cell(out, n, report, row.id);
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }

    /// One cell of the matrix: the verdict of server `n` on case `id`, a
    /// link to its detail unless it passed.
    fn cell(&self, out: &mut String, n: usize, report: &Report, id: &str) {
        let Some(result) = report.result(id) else {
            let _ = write!(out, "<td class=\"v absent\">{}</td>", self.words.absent());
            return;
        };
        let class = result.verdict.word();
        let word = self.words.kind_word(result.verdict.kind());
        let _ = write!(
            out,
            "<td class=\"v {class}\" data-server=\"{}\" data-case=\"{}\" data-verdict=\"{class}\">",
            attr(&report.label),
            attr(id)
        );
        if result.verdict == Verdict::Pass {
            out.push_str(word);
        } else {
            let _ = write!(out, "<a href=\"#{}\">{word}</a>", anchor(id, Some(n)));
        }
        out.push_str("</td>");
    }

    /// A section per case: what it rests on, who passed, and each other
    /// server's verdict with its bytes or reason.
    fn details(&self, out: &mut String, reports: &[Report], rows: &[&CaseResult]) {
        let heading = self.words.cases_heading();
        let _ = writeln!(out, "<h2 id=\"cases\">{heading}</h2>");
        for row in rows {
            let basis = self.words.rests_on(row.basis == Basis::Course);
            let _ = writeln!(
                out,
                "<section class=\"case\" id=\"{}\">\n<h3><code>{}</code> {}</h3>\n<p class=\"meta\">{}: {}; {basis}</p>",
                anchor(row.id, None),
                text(row.id),
                text(row.title_in(self.lang)),
                self.words.group_name(row.group),
                self.words.group_title(row.group)
            );
            self.passed_by(out, reports, row.id);
            for (n, report) in reports.iter().enumerate() {
                if let Some(result) = report.result(row.id) {
                    self.detail(out, n, report, result);
                }
            }
            out.push_str("</section>\n");
        }
    }

    /// The line naming the servers that passed case `id`.
    fn passed_by(&self, out: &mut String, reports: &[Report], id: &str) {
        let passed: Vec<String> = reports
            .iter()
            .filter(|report| {
                report
                    .result(id)
                    .is_some_and(|r| r.verdict == Verdict::Pass)
            })
            .map(|report| text(&report.label))
            .collect();
        if passed.len() == reports.len() {
            let _ = writeln!(out, "<p>{}</p>", self.words.passed_by_all());
        } else if !passed.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", self.words.passed_by(&passed.join(" · ")));
        }
    }

    /// Server `n`'s part of a case's section, unless it passed: the bytes
    /// of a failure, the reason of another verdict.
    fn detail(&self, out: &mut String, n: usize, report: &Report, result: &CaseResult) {
        if result.verdict == Verdict::Pass {
            return;
        }
        let class = result.verdict.word();
        let word = self.words.kind_word(result.verdict.kind());
        let _ = writeln!(
            out,
            "<div class=\"detail\" id=\"{}\">\n<h4><span class=\"badge {class}\">{word}</span> {} <span class=\"meta\">({} ms)</span></h4>",
            anchor(result.id, Some(n)),
            text(&report.label),
            result.took.as_millis()
        );
        if let Some(failure) = result.verdict.failure() {
            out.push_str("<dl>");
            let [sent, received, expected] = self.words.byte_names();
            let expected_in = result.expected_in(self.lang).unwrap_or_default();
            for (name, bytes) in [
                (sent, failure.sent.as_str()),
                (received, &failure.received),
                (expected, expected_in),
            ] {
                let shown = if bytes.is_empty() {
                    format!("<em>{}</em>", self.words.nothing())
                } else {
                    text(bytes)
                };
                let _ = write!(out, "<dt>{name}</dt><dd><pre>{shown}</pre></dd>");
            }
            out.push_str("</dl>\n");
        }
        if let Some(why) = reason(result, report, self.lang) {
            let _ = writeln!(out, "<p>{}</p>", text(&why));
        }
        out.push_str("</div>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::{html, html_in};
    use crate::Lang;
    use crate::check::markup::tests::report;
    use crate::check::{Failure, Verdict};

    #[test]
    fn a_hostile_server_cannot_inject_markup() {
        let failure = Failure {
            sent: "help\\r\\n".to_owned(),
            received: "<script>alert(1)</script>\"><img src=x onerror=alert(2)>".to_owned(),
            expected: "0 OK".to_owned(),
        };
        let page = html(&[report(
            "<b>mallory</b>",
            Verdict::Security(Box::new(failure)),
        )]);
        assert!(!page.contains("<script") && !page.contains("<img") && !page.contains("<b>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"));
        assert!(page.contains(
            "data-server=\"&lt;b&gt;mallory&lt;/b&gt;\" data-case=\"1.other\" data-verdict=\"security\""
        ));
        let silent = Failure {
            sent: "quit\\r\\n".to_owned(),
            ..Failure::default()
        };
        let page = html(&[report("dana", Verdict::Fail(Box::new(silent)))]);
        assert!(page.contains("<dt>received</dt><dd><pre><em>nothing</em></pre></dd>"));
    }

    #[test]
    fn the_page_holds_scores_cells_and_reasons() {
        let page = html(&[
            report("alice", Verdict::Pass),
            report("bob", Verdict::Skip("needs --dir".to_owned())),
        ]);
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
        assert!(page.contains("<h1>hftp check: 2 servers, 2 cases</h1>"));
        assert!(
            html(&[report("carol", Verdict::Pass)])
                .contains("<h1>hftp check: 1 server, 2 cases</h1>")
        );
        assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("src="));
        assert!(page.contains(
            "<td class=\"v skip\" data-server=\"bob\" data-case=\"1.other\" data-verdict=\"skip\"><a href=\"#case-1.other-s1\">skip</a></td>"
        ));
        assert!(page.contains("<div class=\"detail\" id=\"case-1.other-s1\">"));
        assert!(page.contains("<p>needs --dir</p>") && page.contains("<p>Passed by alice.</p>"));
        assert!(
            page.contains("data-score=\"contract\" data-passed=\"1\" data-judged=\"1\">1/1 (100%)")
        );
        assert!(
            page.contains(
                "data-score=\"contract\" data-passed=\"0\" data-judged=\"0\">none judged"
            )
        );
        // What a score's denominator counts, under the table.
        assert!(page.contains(
            "</table>\n<p class=\"note\">A score counts the cases judged at the revision the server speaks"
        ));
        let spanish = html_in(&[report("alice", Verdict::Pass)], Lang::Es);
        assert!(spanish.contains("<p class=\"note\">Un puntaje cuenta los casos juzgados"));
    }
}
