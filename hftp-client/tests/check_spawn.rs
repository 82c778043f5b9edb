//! `hftp check` starting the servers under test itself (`--spawn`,
//! `--class`), and servers that die during a case: reported there, once;
//! started again when the checker started them, the rest judged as if
//! nothing happened. The student-like server is
//! tests/fixtures/course_server.py, which `--die-on LINE` makes exit.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use crate::common::{PythonServer, fixture, hftp, quick, ran, tempdir};
use hftp_client::check::{self, Death, Report, Spawn, Verdict};

/// The cases these tests run: enough to come after the one that kills.
pub(crate) fn only() -> Vec<String> {
    vec!["rule 3".into(), "rule 5".into()]
}

/// The case that sends `QUIT`, which the dying server dies on.
const KILLER: &str = "3.case-sensitive";

/// The line [`KILLER`] sends.
const KILLER_LINE: &str = "QUIT";

/// The command starting the course-like server, dying on `die_on`.
pub(crate) fn course_server(die_on: Option<&str>) -> Spawn {
    let script = fixture("course_server.py");
    let die = die_on.map_or(String::new(), |line| format!(" --die-on {line}"));
    Spawn::new(format!(
        "python3 '{}' {{dir}} --port {{port}}{die}",
        script.display()
    ))
    .labelled(die_on.map_or("steady", |_| "dying"))
}

/// The course-like server serving `dir`, not started by the checker,
/// dying on `QUIT`; `None` without python3.
fn dying_on_quit(dir: &std::path::Path) -> Option<PythonServer> {
    PythonServer::start_with("course_server.py", dir, &["--die-on", KILLER_LINE])
}

/// Each case's verdict word.
fn words(report: &Report) -> BTreeMap<&'static str, &'static str> {
    report
        .results
        .iter()
        .map(|result| (result.id, result.verdict.word()))
        .collect()
}

#[test]
fn a_spawned_server_that_dies_is_reported_in_that_case_started_again_and_the_rest_judged() {
    let options = quick().only(only());
    let steady = check::run_spawned(&course_server(None), &options).expect("the steady run");
    let dying =
        check::run_spawned(&course_server(Some(KILLER_LINE)), &options).expect("the dying run");

    eprintln!("verdicts of the steady server: {:?}", steady.counts());
    eprintln!("verdicts of the dying server: {:?}", dying.counts());
    assert_eq!(steady.deaths, Vec::<Death>::new(), "{}", steady.text());
    let [death] = dying.deaths.as_slice() else {
        panic!("one death: {}", dying.text());
    };
    assert_eq!((death.case, death.restarted), (Some(KILLER), true));
    assert!(
        death.how.contains("exit status 3") && death.how.contains("crashed on 'QUIT'"),
        "how it died, with its last words: {}",
        death.how
    );
    let killed = dying.result(KILLER).expect("the killer case ran");
    assert_eq!(killed.verdict.word(), "security", "{}", dying.text());
    let mut expected = words(&steady);
    expected.insert(KILLER, "security");
    assert_eq!(words(&dying), expected, "{}", dying.text());
    assert!(dying.results.len() > 20, "the rest ran: {}", dying.text());
    assert_eq!(dying.label, "dying");
    let text = dying.text();
    assert_eq!(text.matches("DEAD:").count(), 1, "{text}");
    assert!(text.contains("started again"), "{text}");
    let html = check::html(&[steady, dying]);
    assert!(
        html.contains(&format!(
            "class=\"n security\" data-server=\"dying\" data-count=\"deaths\" title=\"{KILLER}\">1<"
        )),
        "the death in the class summary: {html}"
    );
}

#[test]
fn a_dead_server_not_started_by_the_checker_is_reported_once_and_the_rest_not_run() {
    let served = tempdir();
    let Some(server) = dying_on_quit(served.path()) else {
        return;
    };
    let options = quick().only(only());
    let addr: SocketAddr = server.addr.parse().expect("an address");
    let report = check::run(addr, &options).expect("the run");

    let [death] = report.deaths.as_slice() else {
        panic!("one death: {}", report.text());
    };
    assert_eq!((death.case, death.restarted), (Some(KILLER), false));
    let after: Vec<&Verdict> = report
        .results
        .iter()
        .skip_while(|result| result.id != KILLER)
        .skip(1)
        .map(|result| &result.verdict)
        .collect();
    assert!(after.len() > 20, "{}", report.text());
    assert!(
        after.iter().all(|verdict| **verdict
            == Verdict::NotRun {
                died_in: Some(KILLER)
            }),
        "{}",
        report.text()
    );
    assert!(!report.is_pass());
    let text = report.text();
    assert_eq!(text.matches("DEAD:").count(), 1, "{text}");
    assert!(
        text.contains(&format!("not run: {} cases", after.len())),
        "{text}"
    );
    assert!(!text.contains(" skip "), "not listed one by one: {text}");
}

#[test]
fn with_keep_going_the_cases_run_again_once_the_server_is_back() {
    let served = tempdir();
    let Some(first) = dying_on_quit(served.path()) else {
        return;
    };
    let addr: SocketAddr = first.addr.parse().expect("an address");
    let port = addr.port().to_string();
    let dir = served.path().to_path_buf();
    // Someone else (a supervisor) starts it again once it died.
    let supervisor = std::thread::spawn(move || {
        let mut first = first;
        first.wait();
        PythonServer::start_with("course_server.py", &dir, &["--port", &port])
    });
    let options = quick().only(only()).keep_going(true);
    let report = check::run(addr, &options).expect("the run");
    let _second = supervisor.join().expect("the supervisor");

    let [death] = report.deaths.as_slice() else {
        panic!("one death: {}", report.text());
    };
    assert_eq!((death.case, death.restarted), (Some(KILLER), false));
    let judged_after = report
        .results
        .iter()
        .skip_while(|result| result.id != KILLER)
        .skip(1)
        .filter(|result| !matches!(result.verdict, Verdict::Skip(_) | Verdict::NotRun { .. }))
        .count();
    assert!(judged_after > 20, "{}", report.text());
}

#[test]
fn a_server_that_does_not_start_is_a_one_line_error_and_the_class_goes_on_in_order() {
    let served = tempdir();
    let class = served.path().join("class.txt");
    let script = fixture("course_server.py");
    std::fs::write(
        &class,
        format!(
            "# the class\nalice: python3 '{}' {{dir}} --port {{port}}\nbob: exit 7 {{port}} {{dir}}\ncarol: sleep 30 # {{port}} {{dir}}\n",
            script.display()
        ),
    )
    .expect("the class file");
    let out = ran(hftp("127.0.0.1:1")
        .args([
            "check",
            "--only",
            "rule 3",
            "--start-wait",
            "5",
            "--jobs",
            "3",
            "--class",
        ])
        .arg(&class));
    out.expect_code(1);
    let stderr = out.stderr.clone();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].contains("bob") && lines[0].contains("ended before listening (exit status 7)"),
        "{stderr}"
    );
    assert!(
        lines[1].contains("carol") && lines[1].contains("nothing listened"),
        "{stderr}"
    );
    let text = out.text();
    assert!(text.contains("=== alice"), "{text}");
    let class = text
        .split("=== the class\n")
        .nth(1)
        .expect("the class lines");
    let lines: Vec<&str> = class.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("alice ") && lines[0].contains("course "),
        "{text}"
    );
    for (line, name) in lines[1..].iter().zip(["bob", "carol"]) {
        assert!(
            line.starts_with(name) && line.contains("did not start"),
            "{text}"
        );
    }
    assert!(
        text.contains("DEAD: the server did not start: cannot start `exit 7"),
        "{text}"
    );
}

#[test]
fn a_class_runs_in_process_in_order_and_keeps_the_server_that_did_not_start() {
    let class = std::env::temp_dir().join(format!("hftp-class-{}.txt", std::process::id()));
    std::fs::write(
        &class,
        format!(
            "alice: python3 '{}' {{dir}} --port {{port}}\nbob: exit 7 {{port}} {{dir}}\n",
            fixture("course_server.py").display()
        ),
    )
    .expect("the class file");
    let servers = check::Class::read_servers(&class).expect("two servers");
    std::fs::remove_file(&class).expect("the class file removed");
    let servers: Vec<Spawn> = servers
        .into_iter()
        .map(|spawn| spawn.start_wait(std::time::Duration::from_secs(5)))
        .collect();
    let mut not_started = Vec::new();
    let reports = check::Class::new(servers)
        .jobs(2)
        .run(&quick().only(["rule 3"]), |spawn, error| {
            not_started.push((spawn.name(), error.to_string()));
        })
        .expect("the class runs");

    let labels: Vec<&str> = reports.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["alice", "bob"]);
    assert_eq!(not_started.len(), 1, "{not_started:?}");
    assert_eq!(not_started[0].0, "bob");
    assert!(
        not_started[0]
            .1
            .contains("ended before listening (exit status 7)"),
        "{not_started:?}"
    );
    let (alice, bob) = (&reports[0], &reports[1]);
    assert!(
        alice.server.is_some() && alice.deaths.is_empty(),
        "{}",
        alice.text()
    );
    assert_eq!(bob.server, None);
    assert_eq!(bob.deaths.len(), 1);
    assert_eq!(bob.deaths[0].case, None);
    assert_eq!(bob.results.len(), alice.results.len());
    assert!(
        bob.results
            .iter()
            .all(|result| result.verdict == Verdict::NotRun { died_in: None }),
        "{}",
        bob.text()
    );
    let text = check::Class::text(&reports);
    let lines: Vec<&str> = text
        .split("=== the class\n")
        .nth(1)
        .expect("the class lines")
        .lines()
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("alice ") && lines[0].contains("course "),
        "{text}"
    );
    assert!(
        lines[1].starts_with("bob ") && lines[1].contains("did not start"),
        "{text}"
    );
    assert!(
        bob.json_lines().contains("\"server\":null"),
        "{}",
        bob.json_lines()
    );
}

#[test]
fn a_spawn_command_must_name_its_port_and_directory() {
    let out = ran(hftp("127.0.0.1:1").args(["check", "--spawn", "python3 server.py -p {port}"]));
    out.expect_code(2).one_error_line("must hold {dir}");
}

#[test]
fn as_an_unprivileged_user_the_unreadable_file_is_checked_even_as_root() {
    let options = quick().only(["6.noread-slice"]);
    let spawn = course_server(None).user("nobody");
    let report = check::run_spawned(&spawn, &options);
    if !rustix::process::getuid().is_root() {
        let error = report.expect_err("only root can run a server as another user");
        assert!(
            error
                .to_string()
                .contains("needs the checker to run as root"),
            "{error}"
        );
        return;
    }
    let report = report.expect("the run");
    let result = report.result("6.noread-slice").expect("ran");
    assert!(
        !matches!(result.verdict, Verdict::Skip(_) | Verdict::NotRun { .. }),
        "judged, not skipped: {}",
        report.text()
    );
}
