//! The conformance checker, run in-process against this server: every
//! case of its catalogue passes, in both framings of plain slices.

use hftp_client::check::{self, Options, Report, Verdict};
use hftp_proto::Framing;

/// Runs every case on a fresh server tuned by `tune`.
fn check_with(tune: impl FnOnce(hftp_server::Config) -> hftp_server::Config) -> Report {
    let served = crate::common::serve_with(tune);
    let options = Options::new().dir(served.dir());
    let report = check::run(served.addr(), &options).expect("the checker runs");
    let left: Vec<_> = std::fs::read_dir(served.dir())
        .expect("the served directory")
        .collect();
    assert!(
        left.is_empty(),
        "the checker removes its fixtures: {left:?}"
    );
    report
}

/// The cases that test the unreadable file: root reads it anyway.
const READABLE_TO_ROOT: [&str; 2] = ["6.noread-slice", "2026.internal-error-unreadable-file"];

/// No failure; the only skips allowed are of the unreadable file,
/// readable to root; every course case passes.
fn assert_passes(report: &Report) {
    assert!(report.is_strict_pass(), "{}", report.text());
    assert_eq!(report.revision, check::Revision::R2026);
    for result in &report.results {
        if let Verdict::Skip(why) = &result.verdict {
            assert!(
                READABLE_TO_ROOT.contains(&result.id),
                "skipped {}: {why}",
                result.id
            );
        }
    }
    let course = |r: &&check::CaseResult| r.id.starts_with("2019.") || r.id.starts_with("2026.");
    let course: Vec<_> = report.results.iter().filter(course).collect();
    assert_eq!(course.len(), 19 + 32, "{}", report.text());
    for result in course {
        let skipped = READABLE_TO_ROOT.contains(&result.id);
        assert!(
            result.verdict == Verdict::Pass || skipped,
            "{}",
            report.text()
        );
    }
    assert!(report.passed() > 120, "{}", report.totals());
}

#[test]
fn every_case_of_the_checker_passes() {
    let report = check_with(|config| config);
    assert_passes(&report);
    assert_eq!(report.framing, Some(Framing::Base64));
}

#[test]
fn every_case_passes_with_the_seeds_fragments() {
    let report = check_with(|config| config.fragments(Some(4096)));
    assert_passes(&report);
    assert_eq!(report.framing, Some(Framing::Fragments));
}
