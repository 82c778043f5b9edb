//! Every verdict of `hftp check` that is not a pass shows what made it
//! so: the bytes sent and received and what was expected, why a case was
//! skipped, how long a reply was waited for; and the scores say what
//! they count.

use hftp_client::Lang;
use hftp_client::check::{self as checker, Class, Kind, Report, Verdict};

use crate::check::tiny::{self, Flaw};
use crate::common::{quick, tempdir};

/// The report on a tiny server with `flaw`, on the cases `only` selects.
fn report_on(flaw: Flaw, only: &[&str]) -> Report {
    let dir = tempdir();
    let addr = tiny::start(dir.path(), flaw);
    let options = quick().dir(dir.path()).only(only.iter().copied());
    checker::run(addr, &options).expect("the checker runs")
}

#[test]
fn a_fifo_given_a_size_is_a_security_finding_that_says_why() {
    let report = report_on(Flaw::ServesSpecialFiles, &["6.fifo"]);
    let fifo = report.result("6.fifo").expect("6.fifo ran");
    assert_eq!(fifo.verdict.kind(), Kind::Security, "{}", report.text());
    let text = report.text();
    for shown in [
        "SECURITY   6.fifo",
        "sent:     \"get_metadata fifo\\r\\n\"",
        "received: \"0 OK\\r\\n0\\r\\n\"",
        "expected: 202 FILE NOT FOUND\\r\\n; a security finding because a FIFO is no file: a server that takes it for one opens it to send a slice, that open waits for a writer forever, and the server is blocked",
    ] {
        assert!(text.contains(shown), "{shown:?} in\n{text}");
    }
    let spanish = report.text_in(Lang::Es);
    assert!(
        spanish.contains(
            "es un problema de seguridad porque un FIFO no es un archivo: un servidor que lo toma por uno lo abre para mandar una rebanada"
        ),
        "{spanish}"
    );
}

/// The lines of `text` under the case `id`'s own line: up to the next
/// case or the end of its group.
fn block<'a>(text: &'a str, id: &str) -> (&'a str, Vec<&'a str>) {
    let mut lines = text.lines();
    let head = lines
        .by_ref()
        .find(|line| {
            line.starts_with("  ")
                && !line.starts_with("   ")
                && line.split_whitespace().any(|word| word == id)
        })
        .unwrap_or_else(|| panic!("{id} in\n{text}"));
    let under = lines.take_while(|line| line.starts_with("     ")).collect();
    (head, under)
}

#[test]
fn every_verdict_that_is_not_a_pass_shows_its_evidence() {
    let runs = [
        (Flaw::ServesSpecialFiles, &["rule 6"][..]),
        (Flaw::FollowsLinksOut, &["rule 6"][..]),
        (Flaw::SilentOnBadLine, &["rule 1", "rule 2"][..]),
        (Flaw::OpenAfterFatal, &["rule 1"][..]),
    ];
    for (flaw, only) in runs {
        let report = report_on(flaw, only);
        for lang in [Lang::En, Lang::Es] {
            let text = report.text_in(lang);
            let mut shown = 0;
            for result in &report.results {
                if matches!(
                    result.verdict,
                    Verdict::Pass | Verdict::NotRun { .. } | Verdict::Missing(_)
                ) {
                    continue;
                }
                shown += 1;
                let (head, under) = block(&text, result.id);
                let context = format!("{flaw:?}, {}:\n{head}\n{}", result.id, under.join("\n"));
                match result.verdict.failure() {
                    Some(failure) => {
                        assert!(!failure.expected.is_empty(), "{context}");
                        assert!(
                            !failure.sent.is_empty()
                                || !failure.received.is_empty()
                                || failure.expected.len() > 20,
                            "bytes or words: {context}"
                        );
                        assert!(under.len() >= 3, "{context}");
                    }
                    None => {
                        let reason = result.reason_in(lang).unwrap_or_default();
                        assert!(!reason.is_empty(), "{context}");
                        assert!(head.contains(&reason), "{context}");
                    }
                }
                if !result.waited.is_zero() {
                    let waited = match lang {
                        Lang::Es => "esperando respuestas que nunca llegaron",
                        _ => "spent waiting for replies that never came",
                    };
                    assert!(
                        under.iter().any(|line| line.contains(waited)),
                        "a verdict resting on a wait says so: {context}"
                    );
                }
            }
            assert!(shown > 0, "{flaw:?}: some verdict is not a pass");
        }
    }
}

#[test]
fn the_class_scores_say_what_they_count() {
    let report = report_on(Flaw::Only2019, &["rule 1", "course-2019"]);
    let english = Class::line_in(&report, Lang::En);
    assert!(english.contains(" cases of the 2019 revision"), "{english}");
    let spanish = Class::line_in(&report, Lang::Es);
    assert!(spanish.contains(" casos de la revisión 2019"), "{spanish}");
}
