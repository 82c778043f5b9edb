//! `hftp check` against our own server (every case passes), against a
//! tiny conforming server, and against tiny servers that each break one
//! rule (exactly the matching cases fail).

mod common;
mod check {
    pub(crate) mod tiny;
}

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;

use check::tiny::{self, Flaw};
use common::{Served, hftp, ran};
use hftp_client::check::{self as checker, Options, Report, Revision, Verdict};
use hftp_proto::Framing;

/// Runs the checker in-process on `addr`, with `--dir` when given.
fn check(addr: SocketAddr, dir: Option<&Path>) -> Report {
    check_with(addr, dir, None)
}

/// [`check`], holding plain slices to `framing` when given.
fn check_with(addr: SocketAddr, dir: Option<&Path>, framing: Option<Framing>) -> Report {
    let options = Options {
        dir: dir.map(Path::to_path_buf),
        framing,
        ..Options::default()
    };
    checker::run(addr, &options).expect("the checker runs")
}

/// The ids of the failed cases.
fn failed(report: &Report) -> BTreeSet<String> {
    report.failures().map(|r| r.id.to_owned()).collect()
}

/// The ids of the skipped cases.
fn skipped(report: &Report) -> BTreeSet<String> {
    report
        .results
        .iter()
        .filter(|r| matches!(r.verdict, Verdict::Skip(_)))
        .map(|r| r.id.to_owned())
        .collect()
}

/// A set of ids.
fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|&id| id.to_owned()).collect()
}

/// The cases that are skipped whoever runs them: as root, a file without
/// read permission can still be read.
fn allowed_skips() -> BTreeSet<String> {
    set(&["6.noread-slice"])
}

/// Our server answering plain slices in fragments of `size` bytes.
fn fragment_server(size: u64) -> (tempfile::TempDir, hftp_server::RunningServer) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = hftp_server::Config::new(dir.path())
        .address("127.0.0.1".parse().expect("an address"))
        .port(0)
        .fragments(Some(size));
    let server = hftp_server::Server::bind(&config)
        .expect("bind")
        .spawn()
        .expect("spawn");
    (dir, server)
}

#[test]
fn a_fragment_server_is_detected_and_checked_as_such() {
    let (dir, server) = fragment_server(7);
    let report = check(server.local_addr(), Some(dir.path()));
    assert_eq!(report.framing, Some(Framing::Fragments));
    assert_eq!(failed(&report), BTreeSet::new(), "{}", report.text());
    assert!(skipped(&report).is_subset(&allowed_skips()));
    // Told to expect base64, every plain slice fails; raw ones pass.
    let report = check_with(server.local_addr(), Some(dir.path()), Some(Framing::Base64));
    let failed = failed(&report);
    assert!(!report.is_pass());
    assert!(
        failed.contains("11.base64-one-line") || failed.contains("4.leading-zeros"),
        "{failed:?}"
    );
    assert!(!failed.iter().any(|id| id.contains("raw")), "{failed:?}");
}

#[test]
fn a_base64_server_fails_when_fragments_are_expected() {
    let served = Served::new(&[]);
    let report = check_with(
        served.server.local_addr(),
        Some(served.dir.path()),
        Some(Framing::Fragments),
    );
    let failed = failed(&report);
    assert!(!failed.is_empty());
    assert!(!failed.iter().any(|id| id.contains("raw")), "{failed:?}");
}

/// Runs the checker on a tiny server with `flaw`; returns the failed ids.
fn failed_with(flaw: Flaw) -> BTreeSet<String> {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), flaw);
    let report = check(addr, Some(dir.path()));
    assert!(skipped(&report).is_subset(&allowed_skips()));
    assert_eq!(report.is_strict_pass(), report.failures().count() == 0);
    failed(&report)
}

#[test]
fn status_texts_of_its_own_never_fail_a_case() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start_with_other_texts(dir.path());
    let report = check(addr, Some(dir.path()));
    assert_eq!(failed(&report), BTreeSet::new(), "{}", report.text());
    assert!(skipped(&report).is_subset(&allowed_skips()));
}

/// The ids of the cases whose verdict is called `word`.
fn with_verdict(report: &Report, word: &str) -> BTreeSet<String> {
    report
        .results
        .iter()
        .filter(|r| r.verdict.word() == word)
        .map(|r| r.id.to_owned())
        .collect()
}

#[test]
fn a_2019_server_misses_the_2026_features_once_and_passes_the_rest() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::Only2019);
    let report = check(addr, Some(dir.path()));
    assert_eq!(report.revision, Revision::R2019);
    assert_eq!(failed(&report), BTreeSet::new(), "{}", report.text());
    let missing = set(&[
        "0.help",
        "3.help-me",
        "8.shrink-raw",
        "11.raw-exact",
        "11.raw-empty",
        "11.raw-exact-size",
        "2026.raw-whole",
        "2026.raw-partial",
        "2026.two-clients",
    ]);
    assert_eq!(with_verdict(&report, "missing"), missing);
    assert!(report.is_strict_pass());
    assert!(report.totals().contains("9 missing"), "{}", report.totals());
    // Reported once, not case by case.
    let text = report.text();
    assert!(
        text.contains("missing: the server speaks the 2019 revision; 9 cases"),
        "{text}"
    );
    assert!(!text.contains("  missing "), "{text}");
}

#[test]
fn failures_are_sorted_by_what_they_rest_on() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::BareLfOk);
    let report = check(addr, Some(dir.path()));
    // The course's own test of a bare LF is a course failure; the
    // contract's stricter cases are non-strict.
    assert_eq!(with_verdict(&report, "fail"), set(&["2019.lf-in-command"]));
    assert_eq!(
        with_verdict(&report, "non-strict"),
        set(&[
            "1.bare-lf",
            "1.lone-lf",
            "1.before-bad-byte",
            "10.bad-eol-then-more"
        ])
    );
    assert!(!report.is_pass() && !report.is_strict_pass());
    // A file served from outside the directory is a security finding.
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::FollowsLinksOut);
    let report = check(addr, Some(dir.path()));
    assert_eq!(
        with_verdict(&report, "security"),
        set(&["6.link-out-absolute", "6.link-out-dotdot"])
    );
    assert!(!report.is_pass(), "a security finding is never a pass");
    // So is a path climbing out as deep as an attacker would send it.
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::LeaksTraversal);
    let report = check(addr, Some(dir.path()));
    assert!(
        with_verdict(&report, "security").contains("6.traversal-leak"),
        "{}",
        report.text()
    );
    let leak = report.result("6.traversal-leak").expect("the case ran");
    let shown = leak.verdict.failure().expect("the bytes").received.clone();
    assert!(shown.contains("0 OK"), "the leak is shown: {shown}");
}

#[test]
fn a_tiny_conforming_server_passes_every_case() {
    assert_eq!(failed_with(Flaw::None), BTreeSet::new());
}

#[test]
fn a_bare_lf_answered_200_fails_the_rule_1_cases() {
    let expected = set(&[
        "1.bare-lf",
        "1.lone-lf",
        "1.before-bad-byte",
        "10.bad-eol-then-more",
        "2019.lf-in-command",
    ]);
    assert_eq!(failed_with(Flaw::BareLfOk), expected);
}

#[test]
fn a_padded_short_body_fails_the_rule_8_cases() {
    assert_eq!(
        failed_with(Flaw::PadsShortBody),
        set(&["8.shrink-base64", "8.shrink-raw"])
    );
}

#[test]
fn a_listed_space_fails_the_listing_cases() {
    let expected = set(&["7.listing", "2019.listing-1000", "2026.two-clients"]);
    assert_eq!(failed_with(Flaw::ListsSpacedName), expected);
}

#[test]
fn a_link_served_out_of_the_directory_fails_the_rule_6_cases() {
    let expected = set(&["6.link-out-absolute", "6.link-out-dotdot"]);
    assert_eq!(failed_with(Flaw::FollowsLinksOut), expected);
}

#[test]
fn answers_after_quit_fail_the_rule_10_cases() {
    let expected = set(&["0.quit", "10.quit-then-more", "2019.connect-quit"]);
    assert_eq!(failed_with(Flaw::AnswersAfterQuit), expected);
}

#[test]
fn without_dir_the_fixture_cases_are_skipped() {
    let served = Served::new(&[]);
    let report = check(served.server.local_addr(), None);
    let skipped = skipped(&report);
    assert_eq!(failed(&report), BTreeSet::new());
    assert!(skipped.contains("7.listing") && skipped.contains("8.shrink-raw"));
    assert!(!skipped.contains("1.bare-lf"));
    assert_eq!(
        report.result("7.listing").map(|r| &r.verdict),
        Some(&Verdict::Skip("needs --dir".to_owned()))
    );
}

#[test]
fn a_failure_shows_the_bytes_sent_received_and_expected() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::BareLfOk);
    let run = ran(hftp(&addr.to_string()).args(["check", "--only", "1.bare-lf"]));
    run.expect_code(0);
    let run = ran(hftp(&addr.to_string()).args(["check", "--strict", "--only", "1.bare-lf"]));
    run.expect_code(1);
    let text = run.text();
    assert!(text.contains("non-strict 1.bare-lf"), "{text}");
    assert!(text.contains("sent:     \"help\\n\""), "{text}");
    assert!(
        text.contains("received: \"200 NO SUCH COMMAND\\r\\n\""),
        "{text}"
    );
    assert!(text.contains("expected: 100 BAD EOL\\r\\n"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("0 passed, 0 failed, 1 non-strict, 0 skipped"),
        "{text}"
    );
}

#[test]
fn json_is_one_object_per_case_per_line_then_the_totals() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::BareLfOk);
    let run =
        ran(hftp(&addr.to_string()).args(["check", "--json", "--strict", "--only", "1.*,0.help"]));
    run.expect_code(1);
    let objects: Vec<serde_json::Value> = run
        .text()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    let (totals, cases) = objects.split_last().expect("at least the totals");
    assert!(cases.len() > 5 && cases.iter().all(|c| c["id"].is_string()));
    let bare_lf = cases
        .iter()
        .find(|c| c["id"] == "1.bare-lf")
        .expect("1.bare-lf");
    assert_eq!(bare_lf["status"], "non-strict");
    assert_eq!(bare_lf["received"], "200 NO SUCH COMMAND\\r\\n");
    let count = |status: &str| cases.iter().filter(|c| c["status"] == status).count();
    assert_eq!(totals["failed"], count("fail"));
    assert_eq!(totals["non_strict"], count("non-strict"));
    assert_eq!(totals["passed"], count("pass"));
    assert_eq!(totals["server"], addr.to_string());
}

#[test]
fn list_names_every_case_and_only_selects() {
    let run = ran(hftp("127.0.0.1:1").args(["check", "--list"]));
    run.expect_code(0);
    let text = run.text();
    assert!(text.lines().count() > 90, "{text}");
    for rule in 1..=11 {
        let prefix = format!("{rule}.");
        assert!(
            text.lines().any(|l| l.starts_with(&prefix)),
            "rule {rule} has cases"
        );
    }
    let only = ran(hftp("127.0.0.1:1").args(["check", "--list", "--only", "6.fifo,9.*"]));
    let ids: Vec<_> = only
        .text()
        .lines()
        .map(|l| l.split(' ').next().unwrap_or("").to_owned())
        .collect();
    assert!(
        ids.contains(&"6.fifo".to_owned()) && ids.contains(&"9.name-5mib".to_owned()),
        "{ids:?}"
    );
    assert!(!ids.contains(&"1.bare-lf".to_owned()));
    let groups = ran(hftp("127.0.0.1:1").args(["check", "--list", "--only", "robust"]));
    assert!(
        groups.text().lines().all(|l| l.starts_with("robust.")),
        "{}",
        groups.text()
    );
    ran(hftp("127.0.0.1:1").args(["check", "--list", "--only", "6.fifo,9."]))
        .expect_code(2)
        .one_error_line("--only: 9. selects no case");
}

#[test]
fn a_dir_the_server_does_not_serve_is_exit_2() {
    let served = Served::new(&[]);
    let elsewhere = tempfile::tempdir().expect("dir");
    let run = ran(hftp(&served.addr())
        .arg("check")
        .arg("--dir")
        .arg(elsewhere.path()));
    run.expect_code(2)
        .one_error_line("does not serve this directory: it gave a file written there (hftp-check-probe) it as not found");
    let left: Vec<_> = std::fs::read_dir(elsewhere.path()).expect("dir").collect();
    assert!(left.is_empty(), "nothing is left behind: {left:?}");
}

#[test]
fn no_server_is_exit_2() {
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    ran(hftp(&port.to_string()).arg("check")).expect_code(2);
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("x"), b"x").expect("file");
    let served = Served::new(&[]);
    let run = ran(hftp(&served.addr())
        .arg("check")
        .arg("--dir")
        .arg(dir.path()));
    run.expect_code(2).one_error_line("must be empty");
}
