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

/// Runs `hftp check --json` with `--dir` (when given) on `addr`; returns
/// the exit code and the ids of the failed and skipped cases.
fn check(
    addr: SocketAddr,
    dir: Option<&Path>,
) -> (Option<i32>, BTreeSet<String>, BTreeSet<String>) {
    check_with(addr, dir, &[])
}

/// [`check`] with more arguments.
fn check_with(
    addr: SocketAddr,
    dir: Option<&Path>,
    more: &[&str],
) -> (Option<i32>, BTreeSet<String>, BTreeSet<String>) {
    let mut command = hftp(&addr.to_string());
    command.args(["check", "--json"]).args(more);
    if let Some(dir) = dir {
        command.arg("--dir").arg(dir);
    }
    let run = ran(&mut command);
    let text = run.text();
    assert!(
        text.trim_end().ends_with('}'),
        "JSON report: {text}\n{}",
        run.stderr
    );
    (run.code, ids(&text, "fail"), ids(&text, "skip"))
}

/// The ids of the cases with this status, from the JSON report (one case
/// per line).
fn ids(report: &str, status: &str) -> BTreeSet<String> {
    let marker = format!("\"status\":\"{status}\"");
    report
        .lines()
        .filter(|line| line.contains(&marker))
        .filter_map(|line| {
            line.strip_prefix("{\"id\":\"")?
                .split('"')
                .next()
                .map(str::to_owned)
        })
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

#[test]
fn our_server_passes_every_case() {
    let served = Served::new(&[]);
    let (code, failed, skipped) = check(served.server.local_addr(), Some(served.dir.path()));
    assert_eq!(failed, BTreeSet::new());
    assert!(skipped.is_subset(&allowed_skips()), "{skipped:?}");
    assert_eq!(code, Some(0));
    let left: Vec<_> = std::fs::read_dir(served.dir.path()).expect("dir").collect();
    assert!(
        left.is_empty(),
        "the checker removes its fixtures: {left:?}"
    );
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
    let (code, failed, skipped) = check(server.local_addr(), Some(dir.path()));
    assert_eq!(failed, BTreeSet::new());
    assert!(skipped.is_subset(&allowed_skips()), "{skipped:?}");
    assert_eq!(code, Some(0));
    // Told to expect base64, every plain slice fails; raw ones pass.
    let (code, failed, _) = check_with(
        server.local_addr(),
        Some(dir.path()),
        &["--framing", "base64"],
    );
    assert_eq!(code, Some(1));
    assert!(
        failed.contains("11.base64-one-line") || failed.contains("4.leading-zeros"),
        "{failed:?}"
    );
    assert!(!failed.iter().any(|id| id.contains("raw")), "{failed:?}");
}

#[test]
fn a_base64_server_fails_when_fragments_are_expected() {
    let served = Served::new(&[]);
    let (code, failed, _) = check_with(
        served.server.local_addr(),
        Some(served.dir.path()),
        &["--framing", "fragments"],
    );
    assert_eq!(code, Some(1));
    assert!(!failed.is_empty());
    assert!(!failed.iter().any(|id| id.contains("raw")), "{failed:?}");
}

/// Runs the checker on a tiny server with `flaw`; returns the failed ids.
fn failed_with(flaw: Flaw) -> BTreeSet<String> {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), flaw);
    let (code, failed, skipped) = check(addr, Some(dir.path()));
    assert!(skipped.is_subset(&allowed_skips()), "{skipped:?}");
    assert_eq!(code, Some(if failed.is_empty() { 0 } else { 1 }));
    failed
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
    let (code, failed, skipped) = check(served.server.local_addr(), None);
    assert_eq!(failed, BTreeSet::new());
    assert!(skipped.contains("7.listing") && skipped.contains("8.shrink-raw"));
    assert!(!skipped.contains("1.bare-lf"));
    assert_eq!(code, Some(0));
}

#[test]
fn a_failure_shows_the_bytes_sent_received_and_expected() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::BareLfOk);
    let run = ran(hftp(&addr.to_string()).args(["check", "--only", "1.bare-lf"]));
    run.expect_code(1);
    let text = run.text();
    assert!(text.contains("FAIL  1.bare-lf"), "{text}");
    assert!(text.contains("sent:     \"help\\n\""), "{text}");
    assert!(
        text.contains("received: \"200 NO SUCH COMMAND\\r\\n\""),
        "{text}"
    );
    assert!(text.contains("expected: 100 BAD EOL\\r\\n"), "{text}");
    assert!(
        text.trim_end().ends_with("0 passed, 1 failed, 0 skipped"),
        "{text}"
    );
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
    let only = ran(hftp("127.0.0.1:1").args(["check", "--list", "--only", "6.fifo,9."]));
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
