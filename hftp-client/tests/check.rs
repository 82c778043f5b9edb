//! `hftp check` against our own server (every case passes), against a
//! tiny conforming server, and against tiny servers that each break one
//! rule (exactly the matching cases fail).

pub(crate) mod tiny;

use std::collections::BTreeSet;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{QUICK_WAIT, Served, hftp, json_objects, quick, ran, tempdir};
use hftp_client::check::{self as checker, Kind, Report, Revision, Verdict};
use hftp_proto::Framing;
use tiny::Flaw;

/// Runs the checker in-process on `addr`, with `--dir` when given.
fn check(addr: SocketAddr, dir: Option<&Path>) -> Report {
    check_with(addr, dir, None)
}

/// [`check`], holding plain slices to `framing` when given.
fn check_with(addr: SocketAddr, dir: Option<&Path>, framing: Option<Framing>) -> Report {
    let mut options = quick();
    if let Some(dir) = dir {
        options = options.dir(dir);
    }
    if let Some(framing) = framing {
        options = options.framing(framing);
    }
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
        .filter(|r| matches!(r.verdict, Verdict::Skip(_) | Verdict::NotRun { .. }))
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
    set(&["6.noread-slice", "2026.internal-error-unreadable-file"])
}

/// The verdict counts of a run, class by class, as the final report
/// quotes them (printed with `--nocapture`).
fn counts(report: &Report) -> String {
    let counts: Vec<String> = report
        .counts()
        .iter()
        .map(|(word, count)| format!("{word} {count}"))
        .collect();
    counts.join(", ")
}

/// Our server answering plain slices in fragments of `size` bytes.
fn fragment_server(size: u64) -> (tempfile::TempDir, hftp_server::RunningServer) {
    let dir = tempdir();
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

/// Runs the checker on a tiny server with `flaw`; returns its report.
fn report_with(flaw: Flaw) -> Report {
    let dir = tempdir();
    let addr = tiny::start(dir.path(), flaw);
    let report = check(addr, Some(dir.path()));
    eprintln!("verdicts of the {flaw:?} server: {}", counts(&report));
    for result in report.failures() {
        eprintln!("  {flaw:?}: {} {}", result.verdict.word(), result.id);
    }
    assert!(skipped(&report).is_subset(&allowed_skips()));
    assert_eq!(report.is_strict_pass(), report.failures().count() == 0);
    report
}

/// Runs the checker on a tiny server with `flaw`; returns the failed ids.
fn failed_with(flaw: Flaw) -> BTreeSet<String> {
    failed(&report_with(flaw))
}

#[test]
fn status_texts_of_its_own_never_fail_a_case() {
    let dir = tempdir();
    let addr = tiny::start_with_other_texts(dir.path());
    let report = check(addr, Some(dir.path()));
    eprintln!("verdicts of the other-texts server: {}", counts(&report));
    assert_eq!(failed(&report), BTreeSet::new(), "{}", report.text());
    assert!(skipped(&report).is_subset(&allowed_skips()));
    let course = report
        .results
        .iter()
        .filter(|r| r.id.starts_with("2019.") || r.id.starts_with("2026."));
    for result in course {
        let skip = allowed_skips().contains(result.id);
        assert!(result.verdict == Verdict::Pass || skip, "{}", result.id);
    }
    // The texts are noted, never judged.
    let Some(Verdict::Info(texts)) = report.result("info.status-texts").map(|r| &r.verdict) else {
        panic!("an info verdict on the texts: {}", report.text());
    };
    assert!(
        texts.starts_with("texts of its own: \"0 Texto propio, 2\" (kit: 0 OK)"),
        "{texts}"
    );
    assert!(texts.contains("(kit: 202 FILE NOT FOUND)"), "{texts}");
}

#[test]
fn a_bare_code_without_a_space_is_an_invalid_reply_to_the_course() {
    let dir = tempdir();
    let addr = tiny::start_with_bare_codes(dir.path());
    let options = quick().dir(dir.path()).only(["course-2019"]);
    let report = checker::run(addr, &options).expect("the checker runs");
    eprintln!(
        "verdicts of the bare-codes server (course-2019): {}",
        counts(&report)
    );
    let expected = expected_of(&report, "2019.bad-command");
    assert!(
        expected.contains("no space: an invalid reply"),
        "{expected}"
    );
    // The content of the reply to quit is never looked at.
    let verdict = report.result("2019.connect-and-quit").map(|r| &r.verdict);
    assert_eq!(verdict, Some(&Verdict::Pass));
    assert_eq!(report.count(Kind::Fail), 18, "{}", report.text());
}

#[test]
fn a_sequential_server_passes_the_course_and_the_info_says_clients_wait() {
    let dir = tempdir();
    let config = hftp_server::Config::new(dir.path())
        .address("127.0.0.1".parse().expect("an address"))
        .port(0)
        .sequential(true);
    let server = hftp_server::Server::bind(&config)
        .expect("bind")
        .spawn()
        .expect("spawn");
    let options = quick()
        .dir(dir.path())
        .only(["course-2026", "info", "robust.idle-client"]);
    let report = checker::run(server.local_addr(), &options).expect("the checker runs");
    eprintln!(
        "verdicts of the sequential server (course-2026, info, robust.idle-client): {}",
        counts(&report)
    );
    // The course's two clients at once pass one after the other.
    for id in [
        "2026.two-concurrent-help",
        "2026.two-concurrent-file-listing",
    ] {
        assert_eq!(report.result(id).map(|r| &r.verdict), Some(&Verdict::Pass));
    }
    assert_eq!(
        with_verdict(&report, "non-strict"),
        set(&["robust.idle-client"])
    );
    assert!(report.is_pass(), "{}", report.text());
    let Some(Verdict::Info(idle)) = report
        .result("info.second-client-while-idle")
        .map(|r| &r.verdict)
    else {
        panic!("{}", report.text());
    };
    assert_eq!(
        idle,
        "not served while the first one is idle: clients wait their turn"
    );
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
    let dir = tempdir();
    let addr = tiny::start(dir.path(), Flaw::Only2019);
    let report = check(addr, Some(dir.path()));
    assert_eq!(report.revision, Revision::R2019);
    assert_eq!(failed(&report), BTreeSet::new(), "{}", report.text());
    eprintln!("verdicts of the Only2019 server: {}", counts(&report));
    let missing = set(&[
        "0.help",
        "3.help-me",
        "8.shrink-raw",
        "11.raw-exact",
        "11.raw-empty",
        "11.raw-exact-size",
        "2026.two-concurrent-help",
        "2026.get-slice-raw",
        "2026.get-slice-raw-partial",
        "2026.help",
    ]);
    assert_eq!(with_verdict(&report, "missing"), missing);
    assert!(report.is_strict_pass());
    assert!(
        report.totals().contains("10 missing"),
        "{}",
        report.totals()
    );
    // The other 2026 tests apply to a 2019 server too.
    for id in [
        "2026.get-full-slice",
        "2026.bad-offset",
        "2026.get-slice-rejects-bad-raw-token",
    ] {
        assert_eq!(report.result(id).map(|r| &r.verdict), Some(&Verdict::Pass));
    }
    // Reported once, not case by case.
    let text = report.text();
    assert!(
        text.contains("missing: the server speaks the 2019 revision; 10 cases"),
        "{text}"
    );
    assert!(!text.contains("  missing "), "{text}");
}

#[test]
fn failures_are_sorted_by_what_they_rest_on() {
    let report = report_with(Flaw::BareLfOk);
    // The course's own tests of a LF inside a line are course failures;
    // the contract's stricter cases are non-strict.
    assert_eq!(
        with_verdict(&report, "fail"),
        set(&["2019.bad-eol", "2026.bad-eol"])
    );
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
    let report = report_with(Flaw::FollowsLinksOut);
    assert_eq!(
        with_verdict(&report, "security"),
        set(&["6.link-out-absolute", "6.link-out-dotdot"])
    );
    assert!(!report.is_pass(), "a security finding is never a pass");
    // So is a path climbing out as deep as an attacker would send it.
    let report = report_with(Flaw::LeaksTraversal);
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
    let report = report_with(Flaw::None);
    assert_eq!(failed(&report), BTreeSet::new(), "{}", report.text());
    assert!(report.is_strict_pass());
    // The course's tests ran first, each in a directory holding only its
    // own files (a listing of exactly bar, foo and x).
    assert!(report.results[0].id.starts_with("2019."));
    assert_eq!(
        report.result("2019.lookup").map(|r| &r.verdict),
        Some(&Verdict::Pass)
    );
    let others = report.count(Kind::Info) + skipped(&report).len();
    assert_eq!(report.count(Kind::Pass) + others, report.results.len());
    // Info cases say what the server does, and never fail a run.
    let info = |id| match report.result(id).map(|r| &r.verdict) {
        Some(Verdict::Info(what)) => what.clone(),
        other => panic!("{id}: {other:?}"),
    };
    assert_eq!(info("info.status-texts"), "the kit's texts");
    assert_eq!(
        info("info.second-client-while-idle"),
        "served while the first one is idle"
    );
    assert!(info("info.second-client-mid-request").starts_with("served while"));
    assert_eq!(report.count(Kind::Info), 3);
    assert!(report.text().contains("  info       info.status-texts "));
}

#[test]
fn a_bare_lf_answered_200_fails_the_rule_1_cases() {
    let expected = set(&[
        "1.bare-lf",
        "1.lone-lf",
        "1.before-bad-byte",
        "10.bad-eol-then-more",
        "2019.bad-eol",
        "2026.bad-eol",
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
    let report = report_with(Flaw::ListsSpacedName);
    assert_eq!(failed(&report), set(&["7.listing"]));
    // The long listing shows where it first differs.
    let listing = report.result("7.listing").expect("ran");
    let expected = &listing.verdict.failure().expect("a failure").expected;
    assert!(
        expected.contains("of the reply differs: received \""),
        "{expected}"
    );
    assert!(
        expected.contains("f0999.txt\\r\\nh|as space.txt"),
        "{expected}"
    );
}

#[test]
fn a_link_served_out_of_the_directory_fails_the_rule_6_cases() {
    let expected = set(&["6.link-out-absolute", "6.link-out-dotdot"]);
    assert_eq!(failed_with(Flaw::FollowsLinksOut), expected);
}

#[test]
fn answers_after_quit_fail_the_rule_10_cases() {
    let expected = set(&[
        "0.quit",
        "10.quit-then-more",
        "2019.connect-and-quit",
        "2026.connect-and-quit",
    ]);
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
    // Course tests needing no file run; the others are skipped.
    assert_eq!(
        report.result("2019.bad-command").map(|r| &r.verdict),
        Some(&Verdict::Pass)
    );
    assert!(skipped.contains("2019.lookup") && skipped.contains("2026.get-slice-raw"));
}

/// A full run against a tiny server with `flaw` takes minutes at most,
/// not cases × the case timeout; returns its report.
fn quick_despite(flaw: Flaw) -> Report {
    let started = Instant::now();
    let report = report_with(flaw);
    let took = started.elapsed();
    let cases = report.results.len();
    assert!(cases > 140, "{cases} cases");
    assert!(
        took < Duration::from_secs(240),
        "{took:?} for {cases} cases"
    );
    assert!(report.waited() >= QUICK_WAIT, "{:?}", report.waited());
    let totals = report.totals();
    assert!(
        totals.ends_with(" s spent waiting for replies that never came"),
        "{totals}"
    );
    eprintln!("{flaw:?}: {cases} cases in {took:?}; {totals}");
    report
}

/// The `expected` of case `id`, which did not hold.
fn expected_of(report: &Report, id: &str) -> String {
    let result = report.result(id).expect("the case ran");
    let failure = result.verdict.failure().expect("a failure");
    failure.expected.clone()
}

#[test]
fn a_server_ignoring_pipelined_requests_costs_seconds_not_minutes() {
    let report = quick_despite(Flaw::IgnoresPipelined);
    let failed = failed(&report);
    assert!(failed.contains("robust.pipelined-1000"), "{failed:?}");
    assert!(failed.contains("1.before-bad-byte"), "{failed:?}");
    // Replies went missing: the first one that differs is shown.
    let expected = expected_of(&report, "robust.pipelined-1000");
    assert!(
        expected.contains("of the reply differs: received"),
        "{expected}"
    );
    // A request dropped before a bad byte: its reply never comes.
    let expected = expected_of(&report, "1.before-bad-byte");
    assert!(expected.contains("(no reply within 1 s)"), "{expected}");
    let before = report.result("1.before-bad-byte").expect("ran");
    assert!(before.waited >= QUICK_WAIT * 4 / 5, "{before:?}");
    // The course reads only the first reply of its pipelined test.
    for id in ["2019.multiple-commands", "2026.multiple-commands"] {
        assert_eq!(report.result(id).map(|r| &r.verdict), Some(&Verdict::Pass));
    }
}

#[test]
fn a_server_silent_on_bad_lines_costs_seconds_not_minutes() {
    let report = quick_despite(Flaw::SilentOnBadLine);
    let failed = with_verdict(&report, "fail");
    for id in [
        "2019.bad-eol",
        "2026.bad-eol",
        "2026.empty-command-line-bad-request",
    ] {
        assert!(failed.contains(id), "{id}: {failed:?}");
    }
    assert!(expected_of(&report, "2019.bad-eol").contains("(no reply within 3 s)"));
    assert!(expected_of(&report, "1.bare-lf").contains("(no reply within 1 s)"));
    assert_eq!(
        report.result("1.bare-lf").map(|r| r.verdict.word()),
        Some("non-strict")
    );
}

#[test]
fn a_server_staying_open_after_a_fatal_code_breaks_only_the_contract() {
    // The course's tests read the 100 and the 101 but never check the
    // close: every difference is non-strict, none a course failure.
    let report = report_with(Flaw::OpenAfterFatal);
    assert_eq!(
        with_verdict(&report, "fail"),
        BTreeSet::new(),
        "{}",
        report.text()
    );
    let non_strict = with_verdict(&report, "non-strict");
    for id in ["2.empty-line", "1.bare-lf", "10.fatal-then-more"] {
        assert!(non_strict.contains(id), "{id}: {non_strict:?}");
    }
    assert!(report.is_pass() && !report.is_strict_pass());
}

#[test]
fn surplus_base64_passes_the_2019_reading_and_fails_the_2026_one() {
    let report = report_with(Flaw::SurplusBase64);
    for name in ["get-full-slice", "data-with-nulls", "big-file"] {
        let verdict = |year: &str| {
            let id = format!("{year}.{name}");
            report.result(&id).map(|r| r.verdict.word())
        };
        assert_eq!(verdict("2019"), Some("pass"), "{}", report.text());
        assert_eq!(verdict("2026"), Some("fail"), "{}", report.text());
    }
    let expected = expected_of(&report, "2026.get-full-slice");
    assert!(
        expected.contains("a body decoding to exactly 44 bytes, not 47"),
        "{expected}"
    );
}

#[test]
fn a_crlf_after_a_raw_body_passes_the_course_and_is_non_strict() {
    let report = report_with(Flaw::RawTrailingCrlf);
    // The 2026 client never reads past the body (scenarios, 4.1).
    for id in ["2026.get-slice-raw", "2026.get-slice-raw-partial"] {
        assert_eq!(report.result(id).map(|r| &r.verdict), Some(&Verdict::Pass));
    }
    let non_strict = with_verdict(&report, "non-strict");
    assert!(non_strict.contains("11.raw-exact"), "{non_strict:?}");
    assert_eq!(with_verdict(&report, "fail"), BTreeSet::new());
}

#[test]
fn a_wrong_byte_deep_in_a_body_is_shown_where_it_is() {
    let dir = tempdir();
    let addr = tiny::start(dir.path(), Flaw::FlipsAByte);
    let options = quick().dir(dir.path()).only(["11.*", "course-2026"]);
    let report = checker::run(addr, &options).expect("the checker runs");
    eprintln!(
        "verdicts of the FlipsAByte server (11.*, course-2026): {}",
        counts(&report)
    );
    let at = format!("byte {} of the body differs", tiny::FLIPPED);
    for id in ["11.base64-exact-size", "11.raw-exact-size", "2026.big-file"] {
        let expected = expected_of(&report, id);
        assert!(expected.contains(&at), "{id}: {expected}");
        assert!(!expected.contains("[..."), "{id}: {expected}");
    }
    let expected = expected_of(&report, "11.raw-exact-size");
    assert!(expected.contains(&at), "{expected}");
}

#[test]
fn the_reply_wait_is_an_option_and_the_wait_is_reported() {
    let dir = tempdir();
    let addr = tiny::start(dir.path(), Flaw::SilentOnBadLine);
    let args = [
        "check",
        "--json",
        "--reply-wait",
        "1",
        "--only",
        "1.bare-lf",
    ];
    let run = ran(hftp(&addr.to_string()).args(args));
    run.expect_code(0);
    let objects = json_objects(&run.text());
    let (totals, cases) = objects.split_last().expect("the totals");
    assert_eq!(cases[0]["status"], "non-strict");
    let expected = cases[0]["expected"].as_str().expect("expected");
    assert!(expected.contains("(no reply within 1 s)"), "{expected}");
    let waited = cases[0]["waited_ms"].as_u64().expect("waited_ms");
    assert!((900..3000).contains(&waited), "{waited}");
    assert_eq!(totals["waited_ms"], cases[0]["waited_ms"]);
}

#[test]
fn a_failure_shows_the_bytes_sent_received_and_expected() {
    let dir = tempdir();
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
    let dir = tempdir();
    let addr = tiny::start(dir.path(), Flaw::BareLfOk);
    let run =
        ran(hftp(&addr.to_string()).args(["check", "--json", "--strict", "--only", "1.*,0.help"]));
    run.expect_code(1);
    let objects = json_objects(&run.text());
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
    let elsewhere = tempdir();
    let run = ran(hftp(&served.addr())
        .arg("check")
        .arg("--dir")
        .arg(elsewhere.path()));
    run.expect_code(2).one_error_line(&format!(
        "hftp: --dir {}: does not serve this directory: the checker wrote hftp-check-probe \
             there, and the server at {} answered 202 FILE NOT FOUND for it",
        elsewhere.path().display(),
        served.addr()
    ));
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
    let dir = tempdir();
    std::fs::write(dir.path().join("x"), b"x").expect("file");
    let served = Served::new(&[]);
    let run = ran(hftp(&served.addr())
        .arg("check")
        .arg("--dir")
        .arg(dir.path()));
    run.expect_code(2).one_error_line("must be empty");
}
