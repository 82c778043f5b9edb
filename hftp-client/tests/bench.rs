//! `hftp bench`: every mode, run tiny against an in-process server; the
//! result line's shape and zero wrong answers, never the speed.

use crate::common::{Served, data, hftp, ran};

/// A server with a small and a 1 MB file.
fn served() -> Served {
    Served::new(&[
        ("hola.txt", b"Que calor que hace hoy, pinocho!\n"),
        ("one.bin", &data(1_000_000)),
    ])
}

/// Runs `hftp bench ARGS` on `served`; returns its one stdout line.
fn bench(served: &Served, args: &[&str]) -> String {
    let run = ran(hftp(&served.addr()).arg("bench").args(args));
    run.expect_code(0);
    let text = run.text();
    assert_eq!(text.lines().count(), 1, "one result line: {text}");
    text.trim_end().to_owned()
}

/// The value of `key=` in a text result line.
fn field<'a>(line: &'a str, key: &str) -> &'a str {
    let prefix = format!("{key}=");
    line.split(' ')
        .find_map(|word| word.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{key} in {line}"))
}

#[test]
fn slice_counts_every_byte_in_both_forms_raw_by_default_as_get() {
    let served = served();
    let line = bench(
        &served,
        &["slice", "one.bin", "--chunk", "65536", "--repeat", "3"],
    );
    assert!(line.starts_with("slice name=one.bin form=raw "), "{line}");
    assert_eq!(field(&line, "bytes"), "3000000");
    assert_eq!(field(&line, "wrong"), "0");
    assert!(field(&line, "MB/s").parse::<f64>().is_ok());
    let line = bench(&served, &["slice", "one.bin", "--base64"]);
    assert_eq!(
        (field(&line, "form"), field(&line, "bytes")),
        ("base64", "1000000")
    );
}

#[test]
fn slice_with_server_pid_and_ceiling_reports_both() {
    let served = served();
    let pid = std::process::id().to_string();
    let line = bench(
        &served,
        &["slice", "hola.txt", "--ceiling", "--server-pid", &pid],
    );
    assert!(
        field(&line, "server_peak_rss_kib").parse::<u64>().is_ok(),
        "{line}"
    );
    assert!(field(&line, "ratio").parse::<f64>().is_ok(), "{line}");
}

#[test]
fn meta_answers_every_request_pipelined_on_several_connections() {
    let served = served();
    let line = bench(
        &served,
        &[
            "meta",
            "hola.txt",
            "--requests",
            "100",
            "--depth",
            "8",
            "--conns",
            "3",
        ],
    );
    assert_eq!(field(&line, "answered"), "100");
    assert_eq!(field(&line, "wrong"), "0");
    for key in ["req/s", "p50_us", "p99_us", "max_us"] {
        assert!(field(&line, key).parse::<f64>().is_ok(), "{key} in {line}");
    }
}

#[test]
fn meta_of_a_missing_file_fails() {
    let served = served();
    let run = ran(hftp(&served.addr()).args(["bench", "meta", "absent", "--requests", "10"]));
    run.expect_code(1);
}

#[test]
fn idle_connections_all_answer() {
    let served = served();
    let line = bench(&served, &["idle", "--conns", "50", "--hold", "0"]);
    assert_eq!(
        (field(&line, "correct"), field(&line, "wrong")),
        ("50", "0")
    );
}

#[test]
fn soak_reports_no_wrong_answer_and_the_server_usage() {
    let served = served();
    let pid = std::process::id().to_string();
    let line = bench(
        &served,
        &[
            "--json",
            "soak",
            "--seconds",
            "2",
            "--name",
            "one.bin",
            "--server-pid",
            &pid,
        ],
    );
    assert!(line.starts_with("{\"mode\":\"soak\""), "{line}");
    assert!(line.contains("\"wrong\":0"), "{line}");
    assert!(
        line.contains("\"fds_after\":") && line.contains("\"rss_during_kib\":"),
        "{line}"
    );
}

#[test]
fn ceiling_needs_no_server() {
    let run = ran(hftp("127.0.0.1:1").args([
        "bench",
        "ceiling",
        "--bytes",
        "3000000",
        "--round-trips",
        "100",
    ]));
    run.expect_code(0);
    let text = run.text();
    let whats: Vec<&str> = text.lines().map(|l| field(l, "what")).collect();
    assert_eq!(whats, ["tcp", "base64", "round-trip"]);
}
