//! `hftp check` in English and Spanish: the words people read change
//! with the language; the JSON Lines, every byte on the wire, the JUnit
//! structure and the exit code do not.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use crate::check::tiny::{self, Flaw};
use crate::check_reports::{chromium, render, reports};
use crate::check_spawn::{course_server, only};
use crate::common::{Ran, Served, hftp, json_objects, ran};
use hftp_client::Lang;
use hftp_client::check::{self as checker, Class, Kind};

/// The locale variables a person's environment may hold, each of which
/// could choose the language.
const LANGUAGE_VARIABLES: [&str; 4] = ["HFTP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"];

/// The two locales compared: no language at all, and Córdoba's.
const LOCALES: [&str; 2] = ["C", "es_AR.UTF-8"];

/// The cases the language tests run: rules whose replies do not depend
/// on timing, a course case, the information cases, and cases that
/// skip without `--dir` or run with it.
const CASES: &str =
    "0.*,1.*,2.*,3.*,4.*,5.*,7.listing,10.*,11.*,info,6.noread-slice,2026.bad-offset";

/// The cases run against a server answering a bare LF: those where it
/// fails send one request and get one reply, so that what they show
/// received does not depend on how the reply's bytes travel.
const FLAWED_CASES: &str =
    "0.*,1.bare-lf,1.lone-lf,1.cr-then-byte,1.cr-cr-lf,2.*,3.*,info,2026.bad-offset";

/// `hftp check` on `addr` with `args`, under `LANG=locale` and no other
/// language variable.
fn check_in(locale: &str, addr: &str, args: &[&str]) -> Ran {
    let mut command = hftp(addr);
    for variable in LANGUAGE_VARIABLES {
        command.env_remove(variable);
    }
    command.env("LANG", locale).arg("check").args(args);
    ran(&mut command)
}

/// The JSON Lines of a run, each object without its timings (`ms`,
/// `waited_ms`), the one thing two runs may differ in.
fn untimed(text: &str) -> Vec<serde_json::Value> {
    json_objects(text)
        .into_iter()
        .map(|mut object| {
            if let Some(fields) = object.as_object_mut() {
                fields.remove("ms");
                fields.remove("waited_ms");
            }
            object
        })
        .collect()
}

#[test]
fn json_lines_are_the_same_in_english_and_spanish() {
    let served = Served::new(&[]);
    let dir = served.dir.path().to_str().expect("a UTF-8 path");
    let flawed_dir = tempfile::tempdir().expect("dir");
    let flawed = tiny::start(flawed_dir.path(), Flaw::BareLfOk).to_string();
    let runs = [
        (served.addr(), vec!["--only", CASES, "--dir", dir]),
        (flawed, vec!["--only", FLAWED_CASES]),
    ];
    let mut all_words = String::new();
    for (addr, args) in runs {
        let args: Vec<&str> = [
            &["--json", "--reply-wait", "1", "--close-wait", "1"][..],
            &args,
        ]
        .concat();
        let [english, spanish] = LOCALES.map(|locale| check_in(locale, &addr, &args));
        assert_eq!(english.code, spanish.code, "the same exit code");
        let (english, spanish) = (untimed(&english.text()), untimed(&spanish.text()));
        assert!(english.len() > 30, "cases ran: {english:?}");
        assert_eq!(english, spanish, "the JSON Lines of {addr}");
        // The words in them stay English: a skip's reason, a failure's
        // expectation.
        all_words.push_str(&serde_json::to_string(&spanish).expect("JSON"));
    }
    // The words in them stay English: a skip's reason, an info's
    // finding, a failure's expectation, the verdicts.
    for english in [
        "needs --dir",
        "the kit's texts",
        "\"non-strict\"",
        "\"expected\":\"100 BAD EOL",
    ] {
        assert!(all_words.contains(english), "{english}: {all_words:.3000}");
    }
    for spanish in [
        "necesita",
        "esperado",
        "\"pasa\"",
        "salteado",
        "los textos del kit",
    ] {
        assert!(
            !all_words.contains(spanish),
            "{spanish} in {all_words:.3000}"
        );
    }
}

/// The name of the file the checker writes to see that the server
/// serves the directory given.
const PROBE: &[u8] = b"hftp-check-probe";

/// Every connection a relay carried: the bytes the client sent and the
/// bytes the server sent back, each whole.
type Traffic = Vec<(Vec<u8>, Vec<u8>)>;

/// A TCP relay to `server` that records every connection's bytes.
struct Recorder {
    addr: SocketAddr,
    traffic: Arc<Mutex<Traffic>>,
    relays: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Recorder {
    /// Listens on an ephemeral port of 127.0.0.1 and relays each
    /// connection to `server`.
    fn start(server: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("an address");
        let traffic = Arc::new(Mutex::new(Traffic::new()));
        let relays = Arc::new(Mutex::new(Vec::new()));
        let (shared, handles) = (Arc::clone(&traffic), Arc::clone(&relays));
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(upstream) = TcpStream::connect(server) else {
                    continue;
                };
                let shared = Arc::clone(&shared);
                let relay = thread::spawn(move || {
                    let up = copy(&client, &upstream);
                    let down = copy(&upstream, &client);
                    let sent = up.join().expect("the relay up");
                    let received = down.join().expect("the relay down");
                    shared.lock().expect("traffic").push((sent, received));
                });
                handles.lock().expect("relays").push(relay);
            }
        });
        Self {
            addr,
            traffic,
            relays,
        }
    }

    /// Every connection's bytes once all of them ended, in a stable
    /// order (concurrent connections may be accepted in any).
    /// The connections about the checker's probe of the served
    /// directory, whose size comes from the checker's process id, keep
    /// only their requests, digits masked.
    fn finish(&self) -> Traffic {
        let relays = std::mem::take(&mut *self.relays.lock().expect("relays"));
        for relay in relays {
            relay.join().expect("a relay");
        }
        let mut traffic = std::mem::take(&mut *self.traffic.lock().expect("traffic"));
        for (sent, received) in &mut traffic {
            if sent.windows(PROBE.len()).any(|window| window == PROBE) {
                sent.iter_mut()
                    .filter(|byte| byte.is_ascii_digit())
                    .for_each(|byte| *byte = b'N');
                received.clear();
            }
        }
        traffic.sort();
        traffic
    }
}

/// Copies `from` to `to` until `from` ends, on a thread; returns all it
/// read. A write that fails does not stop the reading: every byte sent
/// is recorded.
fn copy(from: &TcpStream, to: &TcpStream) -> JoinHandle<Vec<u8>> {
    let (mut from, mut to) = (
        from.try_clone().expect("a handle"),
        to.try_clone().expect("a handle"),
    );
    thread::spawn(move || {
        let mut all = Vec::new();
        let mut buffer = [0; 64 * 1024];
        let mut open = true;
        while let Ok(read @ 1..) = from.read(&mut buffer) {
            all.extend_from_slice(&buffer[..read]);
            open = open && to.write_all(&buffer[..read]).is_ok();
        }
        let _ = to.shutdown(Shutdown::Write);
        all
    })
}

#[test]
fn every_byte_on_the_wire_is_the_same_in_english_and_spanish() {
    let served = Served::new(&[]);
    let dir = served.dir.path().to_str().expect("a UTF-8 path");
    let args = [
        "--only",
        CASES,
        "--dir",
        dir,
        "--reply-wait",
        "1",
        "--close-wait",
        "1",
    ];
    let [english, spanish] = LOCALES.map(|locale| {
        let recorder = Recorder::start(served.server.local_addr());
        let run = check_in(locale, &recorder.addr.to_string(), &args);
        run.expect_code(0);
        (run.text(), recorder.finish())
    });
    assert_ne!(english.0, spanish.0, "the tables differ");
    assert!(spanish.0.contains(" pasan, 0 fallan"), "{}", spanish.0);
    let (english, spanish) = (english.1, spanish.1);
    assert!(english.len() > 50, "{} connections", english.len());
    assert_eq!(english.len(), spanish.len(), "as many connections");
    for (n, (en, es)) in english.iter().zip(&spanish).enumerate() {
        assert!(en == es, "connection {n} differs: {en:?} / {es:?}");
    }
}

#[test]
fn the_table_the_totals_and_the_exit_code_speak_the_language_chosen() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::BareLfOk).to_string();
    let only = ["--only", "1.bare-lf,0.help,0.metadata"];
    let english = check_in("C", &addr, &only);
    english.expect_code(0);
    let text = english.text();
    assert!(text.contains("  non-strict 1.bare-lf"), "{text}");
    assert!(text.contains("\nrule 1: line ends\n"), "{text}");
    assert!(text.contains("             expected: "), "{text}");
    assert!(text.contains("(needs --dir)"), "{text}");
    assert!(
        text.ends_with("\n1 passed, 0 failed, 1 non-strict, 1 skipped\n"),
        "{text}"
    );

    let spanish = check_in("es_AR.UTF-8", &addr, &only);
    spanish.expect_code(0);
    let text = spanish.text();
    let bare_lf = text
        .lines()
        .find(|line| line.starts_with("  no estricto 1.bare-lf "));
    assert!(
        bare_lf.is_some_and(|line| line.ends_with(" un LF sin CR da 100 y el servidor cierra")),
        "{text}"
    );
    assert!(text.contains("\nregla 1: fines de línea\n"), "{text}");
    assert!(
        text.contains("              enviado:  \"help\\n\"\n"),
        "{text}"
    );
    assert!(
        text.contains("              esperado: 100 BAD EOL\\r\\n\n"),
        "{text}"
    );
    assert!(text.contains("(necesita --dir)"), "{text}");
    assert!(
        text.ends_with("\n1 pasa, 0 fallan, 1 no estricto, 1 salteado\n"),
        "{text}"
    );
    assert!(
        !text.contains("expected") && !text.contains("passed"),
        "{text}"
    );

    // HFTP_LANG wins over the locale; a bad one is a usage error.
    let mut forced = hftp(&addr);
    forced
        .env("LANG", "C")
        .env("HFTP_LANG", "es")
        .arg("check")
        .args(only);
    assert!(ran(&mut forced).text().contains("1 pasa, 0 fallan"));
    let mut bad = hftp(&addr);
    bad.env("HFTP_LANG", "fr").arg("check").args(only);
    ran(&mut bad)
        .expect_code(2)
        .one_error_line("unknown language `fr`");

    // A failure exits 1 in both languages.
    let strict = [&only[..], &["--strict"]].concat();
    check_in("C", &addr, &strict).expect_code(1);
    check_in("es_AR.UTF-8", &addr, &strict).expect_code(1);
}

#[test]
fn the_list_and_the_explanations_of_failures_are_spanish() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::FollowsLinksOut).to_string();
    let listed = check_in("es_AR.UTF-8", &addr, &["--list", "--only", "6.*"]);
    listed.expect_code(0);
    let list = listed.text();
    let fifo = list.lines().find(|line| line.starts_with("6.fifo "));
    assert!(
        fifo.is_some_and(
            |line| line.ends_with(" rule 6 dir un FIFO da 202 y nunca bloquea al servidor")
        ),
        "{list}"
    );
    let served = tempfile::tempdir().expect("dir");
    let flawed = tiny::start(served.path(), Flaw::LeaksTraversal).to_string();
    let args = [
        "--only",
        "6.traversal-leak",
        "--reply-wait",
        "1",
        "--dir",
        served.path().to_str().expect("UTF-8"),
    ];
    let run = check_in("es_AR.UTF-8", &flawed, &args);
    run.expect_code(1);
    let text = run.text();
    assert!(text.contains("  SEGURIDAD"), "{text}");
    assert!(
        text.contains("esperado: un rechazo: ")
            && text.contains(" sale del directorio, pero el servidor respondió 0"),
        "{text}"
    );
    let totals = text.lines().last().unwrap_or_default();
    assert!(
        totals.starts_with("0 pasan, 0 fallan, 1 de seguridad, 0 salteados"),
        "{text}"
    );
    // The time spent waiting, if any, with a decimal comma.
    let waited = totals.split_once("; ").map(|(_, waited)| waited);
    assert!(
        waited.is_none_or(|waited| waited.contains(',')
            && waited.ends_with(" s esperando respuestas que nunca llegaron")),
        "{text}"
    );
}

#[test]
fn html_lang_writes_the_page_in_another_language_than_the_table() {
    let dir = tempfile::tempdir().expect("dir");
    let addr = tiny::start(dir.path(), Flaw::BareLfOk).to_string();
    let out = tempfile::tempdir().expect("dir");
    let (page, xml) = (out.path().join("r.html"), out.path().join("r.xml"));
    let files = |lang: &[&str]| -> Vec<String> {
        let mut args = vec!["--only".to_owned(), "1.bare-lf,0.help".to_owned()];
        args.extend([
            "--html".to_owned(),
            path(&page),
            "--junit".to_owned(),
            path(&xml),
        ]);
        args.extend(lang.iter().map(|arg| (*arg).to_owned()));
        args
    };
    let args = files(&["--html-lang", "es"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = check_in("C", &addr, &args);
    run.expect_code(0);
    assert!(
        run.text().contains("1 passed, 0 failed"),
        "the table in English"
    );
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("<html lang=\"es\">"), "{html:.300}");
    assert!(html.contains("<title>hftp check: 1 servidor, 2 casos</title>"));
    assert!(html.contains(
        "data-case=\"1.bare-lf\" data-verdict=\"non-strict\"><a href=\"#case-1.bare-lf-s0\">no estricto</a>"
    ));
    let english_xml = std::fs::read_to_string(&xml).expect("the XML");
    assert!(english_xml.contains("non-strict (a failure with --strict): a LF without CR"));

    let args = files(&["--html-lang", "en"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = check_in("es_AR.UTF-8", &addr, &args);
    run.expect_code(0);
    assert!(
        run.text().contains("1 pasa, 0 fallan"),
        "the table in Spanish"
    );
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("<html lang=\"en\">"), "{html:.300}");
    let spanish_xml = std::fs::read_to_string(&xml).expect("the XML");
    assert!(
        spanish_xml.contains("no estricto (una falla con --strict): un LF sin CR"),
        "{spanish_xml}"
    );
    assert_eq!(
        junit_structure(&english_xml),
        junit_structure(&spanish_xml),
        "the same XML structure, names and ids"
    );

    let args = files(&["--html-lang", "fr"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    check_in("C", &addr, &args).expect_code(2);
}

/// A path as an argument.
fn path(path: &Path) -> String {
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// The XML's tags with their names, ids, types and counts, without the
/// words people read (messages, bodies) or times.
fn junit_structure(xml: &str) -> Vec<String> {
    xml.split('<')
        .skip(1)
        .map(|tag| {
            let tag = tag.split('>').next().unwrap_or_default();
            tag.split(" message=")
                .next()
                .unwrap_or_default()
                .split(" time=")
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_spanish_page_rendered_by_chromium_says_its_verdicts_in_spanish() {
    let Some(chromium) = chromium() else { return };
    let reports = reports();
    let dir = tempfile::tempdir().expect("dir");
    let page = dir.path().join("curso.html");
    std::fs::write(&page, checker::html_in(reports, Lang::Es)).expect("the page is written");
    let dom = render(&chromium, &page);
    assert!(dom.contains("<html lang=\"es\">"), "{dom:.500}");
    let title = format!(
        "<title>hftp check: {} servidores, {} casos</title>",
        reports.len(),
        reports[0].results.len()
    );
    assert!(dom.contains(&title), "the page renders: {dom:.2000}");
    for heading in [
        "<h2 id=\"summary\">Resumen</h2>",
        "<h2 id=\"matrix\">Veredictos</h2>",
        "<h2 id=\"cases\">Casos</h2>",
        "<th>puntaje de la materia</th>",
        "regla 1: fines de línea",
        "un LF sin CR da 100 y el servidor cierra",
        "<dt>esperado</dt>",
    ] {
        assert!(dom.contains(heading), "{heading}: {dom:.3000}");
    }
    assert!(!dom.contains("<script"), "the hostile bytes stay text");
    // Each cell says its verdict in Spanish; its attributes keep the
    // English word a program reads.
    let mut cells = 0;
    for (at, _) in dom.match_indices("data-verdict=\"") {
        let rest = &dom[at + "data-verdict=\"".len()..];
        let verdict = &rest[..rest.find('"').expect("a closing quote")];
        let kind = Kind::ALL
            .iter()
            .find(|kind| kind.word() == verdict)
            .expect("an English verdict word");
        let cell = &rest[rest.find('>').expect("the tag ends") + 1..];
        let cell = &cell[..cell.find("</td>").expect("the cell ends")];
        let text = cell
            .split('>')
            .filter_map(|piece| piece.split('<').next())
            .collect::<String>();
        assert_eq!(text, kind.word_in(Lang::Es), "{cell}");
        cells += 1;
    }
    assert!(cells > 100, "{cells} cells");
    assert!(dom.contains(">falla<") && dom.contains(">seguridad<") && dom.contains(">pasa<"));
}

#[test]
fn a_death_and_a_class_are_told_in_spanish() {
    let options = crate::common::quick().only(only());
    let steady = checker::run_spawned(&course_server(None), &options).expect("the steady run");
    let dying =
        checker::run_spawned(&course_server(Some("QUIT")), &options).expect("the dying run");
    let text = dying.text_in(Lang::Es);
    let dead = text.lines().find(|line| line.starts_with("CAÍDO: "));
    assert!(
        dead.is_some_and(|line| line.starts_with(
            "CAÍDO: el servidor se cayó durante 3.case-sensitive: código de salida 3; sus últimas palabras: "
        ) && line.ends_with("; se volvió a arrancar")),
        "{text}"
    );
    let security = text
        .lines()
        .find(|line| line.starts_with("  SEGURIDAD   3.case-sensitive"));
    assert!(security.is_some(), "{text}");
    assert!(
        text.contains(
            "; y que el servidor siga andando: se cayó durante este caso (código de salida 3"
        ),
        "{text}"
    );
    let english = dying.text();
    assert!(english.contains("DEAD: the server died during 3.case-sensitive: exit status 3"));

    let reports = [steady, dying];
    let class = Class::text_in(&reports, Lang::Es);
    let lines: Vec<&str> = class.lines().collect();
    let at = lines
        .iter()
        .position(|line| *line == "=== el curso")
        .expect("the class's lines");
    assert!(
        lines[at + 1].starts_with("steady                   materia "),
        "{class}"
    );
    assert!(
        lines[at + 2].starts_with("dying                    materia ")
            && lines[at + 2].contains(", contrato ")
            && lines[at + 2].contains(", se cayó 1 vez: ")
            && lines[at + 2].contains(" pasan, 0 fallan, 1 de seguridad"),
        "{class}"
    );
    let xml = checker::junit_in(&reports, false, Lang::Es);
    assert!(
        xml.contains("<testcase classname=\"server\" name=\"alive after 3.case-sensitive\">\n      <error type=\"death\" message=\"código de salida 3"),
        "{xml}"
    );
}

#[test]
fn a_server_that_does_not_start_is_told_in_spanish() {
    let args = [
        "--spawn",
        "exit 7 {port} {dir}",
        "--only",
        "rule 3",
        "--start-wait",
        "3",
    ];
    let run = check_in("es_AR.UTF-8", "127.0.0.1:1", &args);
    run.expect_code(1).one_error_line(
        "hftp check: exit 7 {port} {dir}: no se puede arrancar `exit 7 {port} {dir}`: terminó antes de escuchar (código de salida 7)",
    );
    let text = run.text();
    assert!(
        text.starts_with("CAÍDO: el servidor no arrancó: no se puede arrancar `exit 7 {port} {dir}`: terminó antes de escuchar (código de salida 7)\n"),
        "{text}"
    );
    assert!(
        text.contains("\nno se corrieron: 16 casos, porque el servidor está caído\n"),
        "{text}"
    );
    let english = check_in("C", "127.0.0.1:1", &args);
    english.expect_code(1).one_error_line(
        "cannot start `exit 7 {port} {dir}`: it ended before listening (exit status 7)",
    );

    let unfilled = ["--spawn", "exit 7", "--only", "rule 3"];
    check_in("es_AR.UTF-8", "127.0.0.1:1", &unfilled)
        .expect_code(2)
        .one_error_line("el comando tiene que tener {port}");
}
