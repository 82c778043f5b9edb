//! What the HTML and JUnit reports share: escaping for markup (both are
//! read by parsers a hostile server's bytes must not reach), and the
//! words for a verdict that carries no bytes.

use std::fmt::Write as _;

use super::report::{CaseResult, Report, Verdict};
use super::text::text as text_in;
use crate::Lang;

/// `text` escaped for the content of an HTML or XML element: the markup
/// characters become references; tab, LF and CR stay; other control
/// characters (which XML 1.0 forbids, even as references) and the
/// non-characters U+FFFE and U+FFFF are shown as `\u{..}`.
pub(super) fn text(text: &str) -> String {
    escape(text, false)
}

/// `text` escaped for an attribute value in double or single quotes:
/// as [`text`], and tab, LF and CR as references too, which parsers
/// would otherwise fold into spaces.
pub(super) fn attr(text: &str) -> String {
    escape(text, true)
}

/// [`text`] or [`attr`].
fn escape(text: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' if in_attribute => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// Why a case that was not judged on bytes went as it did, in `lang`:
/// the reason of a skip or an info, what a missing case needed; `None`
/// for the others.
pub(super) fn reason(result: &CaseResult, report: &Report, lang: Lang) -> Option<String> {
    match result.verdict {
        Verdict::Skip(_) | Verdict::Info(_) | Verdict::NotRun { .. } => result.reason_in(lang),
        Verdict::Missing(needed) => Some(text_in(lang).missing_reason(needed, report.revision)),
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::time::Duration;

    use super::{attr, text};
    use crate::check::{Basis, CaseResult, Group, Report, Revision, Verdict};

    /// A report of two cases from a server named `label`, the second with
    /// `verdict`.
    pub(in crate::check) fn report(label: &str, verdict: Verdict) -> Report {
        let result = |id, basis, verdict| CaseResult {
            id,
            group: Group::Rule(1),
            title: "a title",
            basis,
            verdict,
            took: Duration::from_millis(3),
            waited: Duration::ZERO,
            spanish: None,
        };
        Report {
            server: Some("127.0.0.1:19500".to_owned()),
            label: label.to_owned(),
            framing: None,
            revision: Revision::R2026,
            results: vec![
                result("1.ok", Basis::Course, Verdict::Pass),
                result("1.other", Basis::Contract, verdict),
            ],
            deaths: Vec::new(),
            not_hftp: None,
        }
    }

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            text("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(text("a\tb\r\nc"), "a\tb\r\nc");
        assert_eq!(attr("a\tb\r\nc"), "a&#9;b&#13;&#10;c");
        assert_eq!(
            text("\u{0}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff}é"),
            "\\u{0}\\u{1b}\\u{7f}\\u{85}\\u{fffe}\\u{ffff}é"
        );
    }
}
