//! The conformance checker, run in-process against this server: every
//! case of its catalogue passes, in both framings of plain slices.

mod common;

use hftp_client::check::{self, Options, Report, Verdict};
use hftp_proto::Framing;

/// Runs every case on a fresh server tuned by `tune`.
fn check_with(tune: impl FnOnce(hftp_server::Config) -> hftp_server::Config) -> Report {
    let served = common::serve_with(tune);
    let options = Options {
        dir: Some(served.dir()),
        ..Options::default()
    };
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

/// No failure; the only skip allowed is the unreadable file, readable to
/// root.
fn assert_passes(report: &Report) {
    assert!(report.is_strict_pass(), "{}", report.text());
    assert_eq!(report.revision, check::Revision::R2026);
    for result in &report.results {
        if let Verdict::Skip(why) = &result.verdict {
            assert_eq!(result.id, "6.noread-slice", "skipped: {why}");
        }
    }
    assert!(report.passed() > 90, "{}", report.totals());
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
