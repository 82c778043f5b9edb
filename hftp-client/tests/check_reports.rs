//! The reports of a class: the checker runs on our server, on tiny
//! servers that break a rule, and on a hostile server answering markup;
//! the HTML page, rendered by a headless Chromium, holds exactly the
//! verdicts of the reports' JSON Lines and none of the hostile markup;
//! the JUnit XML parses (python3's xml.etree) and counts what the
//! reports count; `hftp check --html --junit` writes both.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{OnceLock, mpsc};
use std::thread;
use std::time::Duration;

use crate::check::tiny::{self, Flaw};
use crate::common::{Act, Scripted, Served, hftp, json_objects, quick, ran, tempdir};
use hftp_client::check::{self as checker, Kind, Report};

/// What the hostile server answers to every line: markup that would run
/// if the page let it through.
const HOSTILE: &[u8] =
    b"<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">\r\n";

/// The label of the hostile server: markup too.
const HOSTILE_LABEL: &str = "<i>hostile</i> & \"co\"";

/// How long Chromium may take to render the page.
const RENDER_LIMIT: Duration = Duration::from_secs(120);

/// The reports of the class, checked once for all the tests.
pub(crate) fn reports() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    REPORTS.get_or_init(|| {
        thread::scope(|scope| {
            let own = scope.spawn(|| {
                let served = Served::new(&[]);
                let addr = served.server.local_addr();
                labelled(checked(addr, Some(served.dir.path())), "hftp-server")
            });
            let tiny = [
                (Flaw::BareLfOk, "tiny, bare LF answered"),
                (Flaw::FollowsLinksOut, "tiny, links followed out"),
                (Flaw::Only2019, "tiny, 2019 revision"),
            ]
            .map(|(flaw, label)| scope.spawn(move || tiny_report(flaw, label)));
            let hostile = scope.spawn(hostile_report);
            let mut all = vec![own.join().expect("our server is checked")];
            all.extend(tiny.map(|run| run.join().expect("a tiny server is checked")));
            all.push(hostile.join().expect("the hostile server is checked"));
            all
        })
    })
}

/// Runs the checker on `addr`, with `--dir` when given.
fn checked(addr: std::net::SocketAddr, dir: Option<&Path>) -> Report {
    let options = match dir {
        Some(dir) => quick().dir(dir),
        None => quick(),
    };
    checker::run(addr, &options).expect("the checker runs")
}

/// `report`, named `label`.
fn labelled(mut report: Report, label: &str) -> Report {
    label.clone_into(&mut report.label);
    report
}

/// The report on a tiny server with `flaw`.
fn tiny_report(flaw: Flaw, label: &str) -> Report {
    let dir = tempdir();
    let addr = tiny::start(dir.path(), flaw);
    labelled(checked(addr, Some(dir.path())), label)
}

/// The report on a server answering [`HOSTILE`] to every line, on the
/// cases of a few groups (the others wait for replies it never sends).
fn hostile_report() -> Report {
    let server = Scripted::start(|_| Act::Reply(HOSTILE.to_vec()));
    let options = quick()
        .only(["table", "rule 3", "course-2019"])
        .case_timeout(Duration::from_secs(10));
    let report = checker::run(server.addr, &options).expect("the checker runs");
    labelled(report, HOSTILE_LABEL)
}

/// Verdict words by (label, case id), as the reports' JSON Lines say.
fn json_verdicts(reports: &[Report]) -> BTreeMap<(String, String), String> {
    let mut verdicts = BTreeMap::new();
    for report in reports {
        let lines = json_objects(&report.json_lines());
        let (totals, cases) = lines.split_last().expect("the totals");
        let label = totals["label"].as_str().expect("a label").to_owned();
        for case in cases {
            let id = case["id"].as_str().expect("an id").to_owned();
            let status = case["status"].as_str().expect("a status").to_owned();
            verdicts.insert((label.clone(), id), status);
        }
    }
    verdicts
}

/// One `<td>` of a rendered page: its attributes and its text.
#[derive(Debug)]
struct Cell {
    attributes: BTreeMap<String, String>,
    text: String,
}

/// Every `<td>` of a serialized DOM.
fn cells(dom: &str) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut rest = dom;
    while let Some(at) = rest.find("<td") {
        rest = &rest[at + 3..];
        let (tag, after) = split_tag(rest);
        let end = after.find("</td>").expect("a closed cell");
        cells.push(Cell {
            attributes: attributes(tag),
            text: unescape(&strip_tags(&after[..end])),
        });
        rest = &after[end..];
    }
    cells
}

/// The rest of a start tag and what follows its `>`, minding quotes.
fn split_tag(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return (&text[..at], &text[at + 1..]),
            _ => {}
        }
    }
    panic!("an unclosed tag: {text:.80}")
}

/// The `name="value"` attributes of a start tag, unescaped.
fn attributes(mut tag: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    while let Some(eq) = tag.find("=\"") {
        let name = tag[..eq].rsplit(' ').next().unwrap_or_default().to_owned();
        let value_and_rest = &tag[eq + 2..];
        let close = value_and_rest.find('"').expect("a closing quote");
        found.insert(name, unescape(&value_and_rest[..close]));
        tag = &value_and_rest[close + 1..];
    }
    found
}

/// `html` without its tags.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The text of serialized HTML: its character references resolved.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Chromium's path, when installed; else why the test passes unrun (it
/// fails instead with `HFTP_REQUIRE_CHROMIUM=1`).
pub(crate) fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        let required = std::env::var_os("HFTP_REQUIRE_CHROMIUM").is_some_and(|v| v == "1");
        assert!(
            !required,
            "HFTP_REQUIRE_CHROMIUM=1, but no chromium on PATH"
        );
        eprintln!(
            "skipped: no chromium on PATH (apt-get install chromium); HFTP_REQUIRE_CHROMIUM=1 makes this a failure"
        );
    }
    found
}

/// The DOM of `page` after a headless Chromium loaded it (scripts on, as
/// in a browser), within [`RENDER_LIMIT`]; on a hang, Chromium and its
/// helpers are killed.
pub(crate) fn render(chromium: &Path, page: &Path) -> String {
    let profile = tempdir();
    let log = profile.path().join("chromium.log");
    let mut child = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .args(["--disable-dev-shm-usage", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).expect("a log file"))
        .process_group(0)
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("its stdout");
    let (done, dumped) = mpsc::channel();
    thread::spawn(move || {
        let mut dom = String::new();
        let read = stdout.read_to_string(&mut dom);
        let _ = done.send(read.map(|_| dom));
    });
    let dom = dumped.recv_timeout(RENDER_LIMIT);
    if dom.is_err() {
        let group = rustix::process::Pid::from_child(&child);
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
    let status = child.wait().expect("chromium ends");
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    match dom {
        Ok(Ok(dom)) if status.success() => dom,
        other => panic!("chromium failed ({status}, {other:?}): {log}"),
    }
}

#[test]
fn the_page_rendered_by_chromium_holds_the_verdicts_of_the_json_lines() {
    let Some(chromium) = chromium() else { return };
    let reports = reports();
    let dir = tempdir();
    let page = dir.path().join("class.html");
    std::fs::write(&page, checker::html(reports)).expect("the page is written");
    let dom = render(&chromium, &page);

    let cases = json_verdicts(reports);
    let title = format!(
        "<title>hftp check: {} servers, {} cases</title>",
        reports.len(),
        reports[0].results.len()
    );
    assert!(dom.contains(&title), "the page renders: {dom:.2000}");
    // The hostile bytes and label are text, not markup that ran.
    assert!(!dom.contains("pwned</title>") && !dom.contains("<img") && !dom.contains("<i>"));
    assert!(!dom.contains("<script"), "no script: {dom:.2000}");
    assert!(
        dom.contains("&lt;script&gt;document.title="),
        "shown as text"
    );

    let cells = cells(&dom);
    let mut matrix = BTreeMap::new();
    for cell in cells
        .iter()
        .filter(|c| c.attributes.contains_key("data-verdict"))
    {
        let key = (
            cell.attributes["data-server"].clone(),
            cell.attributes["data-case"].clone(),
        );
        let verdict = cell.attributes["data-verdict"].clone();
        assert_eq!(cell.text, verdict, "the cell says its verdict: {cell:?}");
        assert!(matrix.insert(key, verdict).is_none(), "one cell each");
    }
    assert_eq!(matrix, cases);
    for word in ["pass", "fail", "non-strict", "security", "missing", "skip"] {
        assert!(matrix.values().any(|v| v == word), "a {word} cell");
    }
    summary_counts_match(reports, &cells);
}

/// The summary's counts, in the rendered page, are the reports'.
fn summary_counts_match(reports: &[Report], cells: &[Cell]) {
    for report in reports {
        for &kind in Kind::ALL {
            let word = kind.word();
            let shown = cells.iter().find(|cell| {
                cell.attributes.get("data-server") == Some(&report.label)
                    && cell.attributes.get("data-count").map(String::as_str) == Some(word)
            });
            let shown = shown.map(|cell| cell.text.clone());
            assert_eq!(
                shown,
                Some(report.count(kind).to_string()),
                "{word} of {}",
                report.label
            );
        }
    }
}

/// What python3's xml.etree reads in a JUnit file: per suite, its
/// attributes and each case's outcome (`pass`, `skipped`, or the failure
/// type); `None` (the test passes unrun, and says so) without python3.
fn parse_junit(path: &Path) -> Option<serde_json::Value> {
    const SCRIPT: &str = r#"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites"
suites = {}
for suite in root.findall("testsuite"):
    cases = {}
    for case in suite.findall("testcase"):
        failure, skipped, out = case.find("failure"), case.find("skipped"), case.find("system-out")
        outcome = failure.get("type") if failure is not None else "skipped" if skipped is not None else "pass"
        cases[case.get("name")] = {"outcome": outcome, "classname": case.get("classname"),
                                   "body": (failure if failure is not None else out).text
                                           if failure is not None or out is not None else None}
    suites[suite.get("name")] = {"attributes": suite.attrib, "cases": cases}
print(json.dumps({"attributes": root.attrib, "suites": suites}))
"#;
    let Ok(output) = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(path)
        .output()
    else {
        eprintln!("skipped: python3 is not available");
        return None;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python3 parses the JUnit XML: {stderr}"
    );
    Some(serde_json::from_slice(&output.stdout).expect("python3's JSON"))
}

/// What a case's verdict becomes in JUnit.
fn junit_outcome(word: &str, strict: bool) -> &str {
    match word {
        "fail" | "security" => word,
        "non-strict" if strict => word,
        "missing" | "skip" => "skipped",
        _ => "pass",
    }
}

#[test]
fn the_junit_xml_parses_and_counts_what_the_reports_count() {
    let reports = reports();
    let dir = tempdir();
    for strict in [false, true] {
        let path = dir.path().join(format!("junit-{strict}.xml"));
        std::fs::write(&path, checker::junit(reports, strict)).expect("written");
        let Some(parsed) = parse_junit(&path) else {
            return;
        };
        let all_tests: usize = reports.iter().map(|r| r.results.len()).sum();
        assert_eq!(parsed["attributes"]["tests"], all_tests.to_string());
        for report in reports {
            let suite = &parsed["suites"][&report.label];
            let non_strict = if strict {
                report.count(Kind::NonStrict)
            } else {
                0
            };
            let failures = report.failed() + report.count(Kind::Security) + non_strict;
            let skipped = report.count(Kind::Missing) + report.skipped();
            assert_eq!(
                suite["attributes"]["tests"],
                report.results.len().to_string()
            );
            assert_eq!(suite["attributes"]["failures"], failures.to_string());
            assert_eq!(suite["attributes"]["skipped"], skipped.to_string());
            for result in &report.results {
                let case = &suite["cases"][result.id];
                let word = result.verdict.word();
                assert_eq!(
                    case["outcome"],
                    junit_outcome(word, strict),
                    "{}",
                    result.id
                );
                assert_eq!(case["classname"], result.group.to_string());
            }
        }
        // The hostile bytes are in a failure's body (or a non-strict
        // note) as they came.
        let body = parsed["suites"][HOSTILE_LABEL]["cases"]
            .as_object()
            .and_then(|cases| cases.values().find_map(|case| case["body"].as_str()));
        assert!(
            body.is_some_and(|body| body.contains("<script>document.title")),
            "{body:?}"
        );
    }
}

#[test]
fn hftp_check_writes_html_and_junit() {
    let dir = tempdir();
    let addr = tiny::start(dir.path(), Flaw::BareLfOk).to_string();
    let out = tempdir();
    let (html, junit) = (out.path().join("r.html"), out.path().join("r.xml"));
    let only = ["check", "--only", "1.bare-lf,0.help", "--html"];
    let run = ran(hftp(&addr).args(only).arg(&html).arg("--junit").arg(&junit));
    run.expect_code(0);
    assert!(
        run.text().contains("non-strict 1.bare-lf"),
        "the table still prints"
    );
    let page = std::fs::read_to_string(&html).expect("the page");
    assert!(page.contains("data-case=\"1.bare-lf\" data-verdict=\"non-strict\""));
    let xml = std::fs::read_to_string(&junit).expect("the XML");
    assert!(xml.contains("tests=\"2\" failures=\"0\"") && !xml.contains("<failure"));
    let run = ran(hftp(&addr)
        .args(only)
        .arg(&html)
        .args(["--strict", "--json", "--junit"])
        .arg(&junit));
    run.expect_code(1);
    assert!(run.text().starts_with('{'), "JSON Lines on stdout");
    let xml = std::fs::read_to_string(&junit).expect("the XML");
    assert!(
        xml.contains("tests=\"2\" failures=\"1\"") && xml.contains("<failure type=\"non-strict\"")
    );
    let nowhere = out.path().join("no/such/dir/r.xml");
    ran(hftp(&addr)
        .args(["check", "--only", "0.help", "--junit"])
        .arg(&nowhere))
    .expect_code(6)
    .one_error_line("--junit: cannot write");
}
