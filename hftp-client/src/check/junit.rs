//! The reports as JUnit XML, for CI (after h2spec's `-j`): one
//! `<testsuite>` per server, one `<testcase>` per case.
//!
//! A fail or a security finding is a `<failure>` whose `type` is the
//! verdict word and whose body holds the bytes; a non-strict case is a
//! failure only when strict, else a pass noting it in `<system-out>`; a
//! missing or skipped case is `<skipped>`; an info is a pass noting it in
//! `<system-out>`. Everything is escaped for XML 1.0, control characters
//! included.

use std::fmt::Write as _;

use super::kind::Kind;
use super::markup::{attr, reason, text};
use super::report::{CaseResult, Report, Verdict, failure_lines};
use super::text::text as words;
use crate::Lang;

/// JUnit XML for `reports`: a `<testsuites>` holding a `<testsuite>`
/// per server, named by its label. With `strict`, non-strict cases are
/// failures too (as `hftp check --strict` exits 1 on them).
#[must_use]
pub fn junit(reports: &[Report], strict: bool) -> String {
    junit_in(reports, strict, Lang::En)
}

/// The XML of [`junit`] with its messages in `lang`: the case titles,
/// what failures expected, the reasons of skips and notes. Its
/// structure, names, case ids and the verdict words of `type` stay the
/// same in every language.
#[must_use]
pub fn junit_in(reports: &[Report], strict: bool, lang: Lang) -> String {
    let all = reports
        .iter()
        .map(|report| Counts::of(report, strict))
        .fold(Counts::default(), Counts::add);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"hftp check\"{}>", all.attributes());
    for report in reports {
        suite(&mut out, report, strict, lang);
    }
    out.push_str("</testsuites>\n");
    out
}

/// The totals JUnit puts on a suite.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    millis: u128,
}

impl Counts {
    /// The totals of one server's report.
    fn of(report: &Report, strict: bool) -> Self {
        let skipped = report.count(Kind::Missing) + report.count(Kind::Skip);
        let failures = report.failed()
            + report.count(Kind::Security)
            + if strict {
                report.count(Kind::NonStrict)
            } else {
                0
            };
        Self {
            tests: report.results.len() + report.deaths.len(),
            failures,
            errors: report.deaths.len(),
            skipped,
            millis: report.results.iter().map(|r| r.took.as_millis()).sum(),
        }
    }

    /// Both totals together.
    const fn add(self, other: Self) -> Self {
        Self {
            tests: self.tests + other.tests,
            failures: self.failures + other.failures,
            errors: self.errors + other.errors,
            skipped: self.skipped + other.skipped,
            millis: self.millis + other.millis,
        }
    }

    /// The totals as attributes, each after a space.
    fn attributes(self) -> String {
        format!(
            " tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\"",
            self.tests,
            self.failures,
            self.errors,
            self.skipped,
            seconds(self.millis)
        )
    }
}

/// Milliseconds as JUnit's seconds: `1.234`.
fn seconds(millis: u128) -> String {
    format!("{}.{:03}", millis / 1000, millis % 1000)
}

/// One server's `<testsuite>`, its address, revision and framing as
/// properties.
fn suite(out: &mut String, report: &Report, strict: bool, lang: Lang) {
    let counts = Counts::of(report, strict);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\"{}>",
        attr(&report.label),
        counts.attributes()
    );
    out.push_str("    <properties>\n");
    let server = report.server.clone().unwrap_or_default();
    let revision = report.revision.to_string();
    let framing = report.framing_name().unwrap_or("unknown");
    for (name, value) in [
        ("server", server.as_str()),
        ("revision", &revision),
        ("framing", framing),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(value)
        );
    }
    out.push_str("    </properties>\n");
    for result in &report.results {
        case(out, report, result, strict, lang);
    }
    for death in &report.deaths {
        let _ = writeln!(
            out,
            "    <testcase classname=\"server\" name=\"alive after {}\">\n      <error type=\"death\" message=\"{}\"/>\n    </testcase>",
            attr(death.place()),
            attr(death.how_in(lang))
        );
    }
    out.push_str("  </testsuite>\n");
}

/// One `<testcase>`: a pass, a `<failure>`, a `<skipped>`, or a pass with
/// a note.
fn case(out: &mut String, report: &Report, result: &CaseResult, strict: bool, lang: Lang) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
        attr(&result.group.to_string()),
        attr(result.id),
        seconds(result.took.as_millis())
    );
    let verdict = &result.verdict;
    let (class, word) = (verdict.word(), verdict.kind().word_in(lang));
    let inner = match (result.expected_in(lang), reason(result, report, lang)) {
        (Some(expected), _) => {
            let mut bytes = format!("{}\n", result.title_in(lang));
            failure_lines(&mut bytes, result, "", lang);
            if matches!(verdict, Verdict::NonStrict(_)) && !strict {
                format!(
                    "<system-out>{}: {}</system-out>",
                    words(lang).junit_non_strict(word),
                    text(&bytes)
                )
            } else {
                format!(
                    "<failure type=\"{class}\" message=\"{}\">{}</failure>",
                    attr(&words(lang).junit_failure(word, expected)),
                    text(&bytes)
                )
            }
        }
        (None, Some(why)) if matches!(verdict, Verdict::Info(_)) => {
            format!("<system-out>{word}: {}</system-out>", text(&why))
        }
        (None, Some(why)) => format!("<skipped message=\"{word}: {}\"/>", attr(&why)),
        (None, None) => String::new(),
    };
    if inner.is_empty() {
        out.push_str("/>\n");
    } else {
        let _ = writeln!(out, ">\n      {inner}\n    </testcase>");
    }
}

#[cfg(test)]
mod tests {
    use super::junit;
    use crate::check::markup::tests::report;
    use crate::check::{Failure, Revision, Verdict};

    /// A failure with `received` as the bytes that came.
    fn failure(received: &str) -> Box<Failure> {
        Box::new(Failure {
            sent: "help\\n".to_owned(),
            received: received.to_owned(),
            expected: "100 BAD EOL\\r\\n".to_owned(),
        })
    }

    #[test]
    fn verdicts_become_failures_skips_and_notes() {
        let reports = [
            report("a&b", Verdict::Security(failure("<x>\u{1}]]>"))),
            report("c", Verdict::NonStrict(failure("200 NO"))),
            report("d", Verdict::Missing(Revision::R2026)),
            report("e", Verdict::Info("one at a time".to_owned())),
        ];
        let xml = junit(&reports, false);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hftp check\" tests=\"8\" failures=\"1\" errors=\"0\" skipped=\"1\""));
        assert!(xml.contains("<testsuite name=\"a&amp;b\" tests=\"2\" failures=\"1\""));
        assert!(xml.contains("<failure type=\"security\" message=\"security: expected 100 BAD EOL\\r\\n\">a title\nsent:     &quot;help\\n&quot;\nreceived: &quot;&lt;x&gt;\\u{1}]]&gt;&quot;\n"));
        assert!(xml.contains("<system-out>non-strict (a failure with --strict): a title\n"));
        assert!(xml.contains("<skipped message=\"missing: a feature of the 2026 revision;"));
        assert!(xml.contains("<system-out>info: one at a time</system-out>"));
        assert!(xml.contains("<testcase classname=\"rule 1\" name=\"1.ok\" time=\"0.003\"/>"));
        let mut died = report("f", Verdict::Pass);
        died.deaths.push(crate::check::Death {
            case: Some("1.other"),
            how: "exit status 3".to_owned(),
            how_es: "código de salida 3".to_owned(),
            restarted: true,
        });
        let xml = junit(&[died], false);
        assert!(
            xml.contains("tests=\"3\" failures=\"0\" errors=\"1\""),
            "{xml}"
        );
        assert!(xml.contains("<testcase classname=\"server\" name=\"alive after 1.other\">\n      <error type=\"death\" message=\"exit status 3\"/>"), "{xml}");
        let strict = junit(&reports, true);
        assert!(strict.contains("tests=\"8\" failures=\"2\""));
        assert!(strict.contains("<failure type=\"non-strict\""));
    }
}
