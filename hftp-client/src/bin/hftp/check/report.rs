//! The report: a table grouped by rule for people, JSON for machines.

use std::fmt::Write as _;
use std::time::Duration;

use super::case::{Case, Outcome, Verdict};

/// One case and how it went.
pub(crate) struct Ran {
    /// The case.
    pub(crate) case: Case,
    /// Its outcome.
    pub(crate) outcome: Outcome,
    /// How long it took.
    pub(crate) took: Duration,
}

/// The totals: passed, failed, skipped.
pub(crate) fn totals(ran: &[Ran]) -> (usize, usize, usize) {
    let count = |f: fn(&Outcome) -> bool| ran.iter().filter(|r| f(&r.outcome)).count();
    (
        count(Result::is_ok),
        count(|o| matches!(o, Err(Verdict::Fail(_)))),
        count(|o| matches!(o, Err(Verdict::Skip(_)))),
    )
}

/// The table, grouped by rule, ending with the totals line; first, when
/// the server frames plain slices in fragments (rule 12), a line that
/// says so.
pub(crate) fn text(ran: &[Ran], framing: Option<hftp_proto::Framing>) -> String {
    let mut out = String::new();
    if framing == Some(hftp_proto::Framing::Fragments) {
        let _ = writeln!(
            out,
            "plain slices come in fragments (the seed's framing, rule 12): every slice is held to it"
        );
    }
    let mut group = None;
    for r in ran {
        if group != Some(r.case.group) {
            group = Some(r.case.group);
            let _ = writeln!(out, "\n{}: {}", r.case.group, r.case.group.title());
        }
        text_case(&mut out, r);
    }
    let (passed, failed, skipped) = totals(ran);
    let _ = writeln!(out, "\n{passed} passed, {failed} failed, {skipped} skipped");
    out
}

/// One line per case; the bytes under a failure.
fn text_case(out: &mut String, r: &Ran) {
    let (mark, note) = match &r.outcome {
        Ok(()) => ("pass", String::new()),
        Err(Verdict::Skip(why)) => ("skip", format!(" ({why})")),
        Err(Verdict::Fail(_)) => ("FAIL", String::new()),
    };
    let _ = writeln!(out, "  {mark}  {:<28} {}{note}", r.case.id, r.case.title);
    if let Err(Verdict::Fail(failure)) = &r.outcome {
        let _ = writeln!(out, "        sent:     \"{}\"", failure.sent);
        let _ = writeln!(out, "        received: \"{}\"", failure.received);
        let _ = writeln!(out, "        expected: {}", failure.expected);
    }
}

/// The same as JSON: one object per case, one case per line.
pub(crate) fn json(server: &str, ran: &[Ran]) -> String {
    let mut out = format!("{{\"server\":{},\"cases\":[\n", quote(server));
    for (index, r) in ran.iter().enumerate() {
        let comma = if index + 1 < ran.len() { "," } else { "" };
        let _ = writeln!(out, "{}{comma}", json_case(r));
    }
    let (passed, failed, skipped) = totals(ran);
    let _ = writeln!(
        out,
        "],\"passed\":{passed},\"failed\":{failed},\"skipped\":{skipped}}}"
    );
    out
}

/// One case as a JSON object.
fn json_case(r: &Ran) -> String {
    let case = &r.case;
    let mut out = format!(
        "{{\"id\":{},\"rule\":{},\"title\":{},\"ms\":{}",
        quote(case.id),
        quote(&case.group.to_string()),
        quote(case.title),
        r.took.as_millis()
    );
    match &r.outcome {
        Ok(()) => out.push_str(",\"status\":\"pass\""),
        Err(Verdict::Skip(why)) => {
            let _ = write!(out, ",\"status\":\"skip\",\"reason\":{}", quote(why));
        }
        Err(Verdict::Fail(f)) => {
            let _ = write!(
                out,
                ",\"status\":\"fail\",\"sent\":{},\"received\":{},\"expected\":{}",
                quote(&f.sent),
                quote(&f.received),
                quote(&f.expected)
            );
        }
    }
    out.push('}');
    out
}

/// A JSON string literal.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(quote("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
    }
}
