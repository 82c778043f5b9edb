//! The server in English and in Spanish: `--help`, usage errors, the
//! start-up line, errors, the log, the manual page and the completions
//! follow `--lang`, `HFTP_LANG` and the locale; the bytes a client
//! receives and the request log's fields never do.

use std::io::Read as _;
use std::io::{BufRead as _, BufReader};
use std::net::{Shutdown, SocketAddr};
use std::process::{Child, Stdio};

use assert_cmd::Command as AssertCommand;
use hftp_proto::Request;

use crate::common::{Client, HANG, Reply, metadata, server, slice};

/// A Spanish locale, as a student's system sets it.
const SPANISH: (&str, &str) = ("LANG", "es_AR.UTF-8");

/// The binary run to its end with `vars` set and `args`: (exit code,
/// stdout, stderr).
fn run(vars: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String, String) {
    let mut command = server();
    command.envs(vars.iter().copied()).args(args);
    let output = AssertCommand::from_std(command)
        .timeout(HANG)
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The one line a usage error prints with `vars` and `args`, after
/// checking it is one line and exit 2.
fn usage_error(vars: &[(&str, &str)], args: &[&str]) -> String {
    let (code, _, stderr) = run(vars, args);
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr:?}");
    stderr
}

#[test]
fn help_follows_the_locale_and_english_is_the_default() {
    let (code, spanish, _) = run(&[SPANISH], &["--help"]);
    assert_eq!(code, Some(0));
    for expected in [
        "Sirve por HFTP los archivos regulares de un directorio",
        "Uso: hftp-server [OPCIONES]",
        "Opciones:",
        "Servicio onion:",
        "-p, --port <PUERTO>",
        "[por defecto: 19500]",
        "[valores posibles: bash, elvish, fish, powershell, zsh]",
        "Mostrar la ayuda",
        "Mostrar la versión",
        "escuchando solo en loopback",
    ] {
        assert!(
            spanish.contains(expected),
            "{expected:?} not in:\n{spanish}"
        );
    }
    for english in [
        "Usage:",
        "Options:",
        "[default:",
        "Print help",
        "Onion service",
    ] {
        assert!(!spanish.contains(english), "{english:?} in:\n{spanish}");
    }
    let (_, unset, _) = run(&[], &["--help"]);
    let (_, c, _) = run(&[("LANG", "C")], &["--help"]);
    let (_, posix, _) = run(&[("LC_ALL", "POSIX"), SPANISH], &["--help"]);
    assert_eq!(unset, c);
    assert_eq!(unset, posix, "LC_ALL comes before LANG");
    for expected in [
        "Usage: hftp-server [OPTIONS]",
        "Options:",
        "Onion service:",
        "Print help",
    ] {
        assert!(unset.contains(expected), "{expected:?} not in:\n{unset}");
    }
}

#[test]
fn lang_overrides_hftp_lang_which_overrides_the_locale() {
    let spanish = |vars: &[(&str, &str)], args: &[&str]| {
        let (code, out, _) = run(vars, args);
        assert_eq!(code, Some(0), "{vars:?} {args:?}");
        out.contains("Uso: hftp-server")
    };
    assert!(!spanish(&[SPANISH], &["--lang", "en", "--help"]));
    assert!(spanish(&[("LANG", "C")], &["--help", "--lang=es"]));
    assert!(spanish(&[("LANG", "C"), ("HFTP_LANG", "es")], &["--help"]));
    assert!(!spanish(&[SPANISH, ("HFTP_LANG", "en")], &["--help"]));
    assert!(spanish(
        &[("LC_MESSAGES", "es_AR.UTF-8"), ("LANG", "C")],
        &["-h"]
    ));
    // The flag wins over a bad variable.
    assert!(spanish(
        &[("HFTP_LANG", "klingon")],
        &["--lang", "es", "-h"]
    ));
}

#[test]
fn a_bad_language_is_a_usage_error_in_english() {
    let line = usage_error(&[SPANISH], &["--lang", "fr"]);
    assert_eq!(
        line,
        "hftp-server: unknown language `fr`: the languages are en and es (see --help)\n"
    );
    let line = usage_error(&[("HFTP_LANG", "fr")], &["-p", "0"]);
    assert_eq!(
        line,
        "hftp-server: HFTP_LANG: unknown language `fr`: the languages are en and es (see --help)\n"
    );
    let line = usage_error(&[], &["--lang"]);
    assert!(line.contains("unknown language ``"), "{line}");
}

#[test]
fn usage_errors_in_english_are_what_they_were_and_in_spanish_say_the_same() {
    let cases: [(&[&str], &str, &str); 7] = [
        (
            &["--no-such-flag"],
            "hftp-server: unexpected argument '--no-such-flag' found (see --help)\n",
            "hftp-server: no existe la opción '--no-such-flag' (mirá --help)\n",
        ),
        (
            &["--max-per"],
            "hftp-server: unexpected argument '--max-per' found (see --help)\n",
            "hftp-server: no existe la opción '--max-per': ¿quisiste decir '--max-per-address'? (mirá --help)\n",
        ),
        (
            &["-p", "99999"],
            "hftp-server: invalid value '99999' for '--port <PORT>': 99999 is not in 0..=65535 (see --help)\n",
            "hftp-server: valor inválido '99999' para '--port <PUERTO>': se espera un puerto de 0 a 65535 (mirá --help)\n",
        ),
        (
            &["--idle-timeout", "soon"],
            "hftp-server: invalid value 'soon' for '--idle-timeout <SECS>': `soon` is not a number of seconds (see --help)\n",
            "hftp-server: valor inválido 'soon' para '--idle-timeout <SEGUNDOS>': se espera una cantidad de segundos, como 30 o 0.5 (mirá --help)\n",
        ),
        (
            &["--fragment-size", "256"],
            "hftp-server: the following required arguments were not provided: --fragments (see --help)\n",
            "hftp-server: faltan opciones obligatorias: --fragments (mirá --help)\n",
        ),
        (
            &["-p", "1", "-p", "2"],
            "hftp-server: the argument '--port <PORT>' cannot be used multiple times (see --help)\n",
            "hftp-server: '--port <PUERTO>' no se puede dar más de una vez (mirá --help)\n",
        ),
        (
            &["--onion", "--tor-cookie", "c", "--tor-config", "t"],
            "hftp-server: the argument '--tor-cookie <FILE>' cannot be used with '--tor-config <FILE>' (see --help)\n",
            "hftp-server: '--tor-cookie <ARCHIVO>' no se puede usar junto con '--tor-config <ARCHIVO>' (mirá --help)\n",
        ),
    ];
    for (args, english, spanish) in cases {
        assert_eq!(usage_error(&[], args), english, "{args:?}");
        assert_eq!(usage_error(&[("LANG", "C")], args), english, "{args:?}");
        assert_eq!(usage_error(&[SPANISH], args), spanish, "{args:?}");
    }
    let line = usage_error(&[SPANISH], &["--completions", "tcsh"]);
    assert_eq!(
        line,
        "hftp-server: valor inválido 'tcsh' para '--completions <SHELL>' [valores posibles: bash, elvish, fish, powershell, zsh] (mirá --help)\n"
    );
    let line = usage_error(&[SPANISH], &["--port"]);
    assert_eq!(
        line,
        "hftp-server: '--port <PUERTO>' necesita un valor y no le diste ninguno (mirá --help)\n"
    );
}

#[test]
fn errors_at_start_up_in_both_languages() {
    let dir = tempfile::tempdir().expect("a directory");
    let missing = dir.path().join("missing");
    let missing = missing.to_str().expect("UTF-8");
    let args = ["-d", missing, "-a", "127.0.0.1", "-p", "0"];
    let (code, _, english) = run(&[], &args);
    assert_eq!(code, Some(1));
    assert_eq!(
        english,
        format!("hftp-server: cannot serve {missing}: No such file or directory (os error 2)\n")
    );
    let (code, _, spanish) = run(&[SPANISH], &args);
    assert_eq!(code, Some(1));
    assert_eq!(
        spanish,
        format!("hftp-server: no se puede servir {missing}: no existe (error 2 del sistema)\n")
    );
    let onion = ["--onion", "-a", "0.0.0.0"];
    let (code, _, english) = run(&[], &onion);
    assert_eq!(code, Some(2));
    assert_eq!(
        english,
        "hftp-server: --onion listens on loopback only, not on 0.0.0.0: drop -a, or give 127.0.0.1 or ::1\n"
    );
    let (code, _, spanish) = run(&[SPANISH], &onion);
    assert_eq!(code, Some(2));
    assert_eq!(
        spanish,
        "hftp-server: --onion escucha solo en loopback, no en 0.0.0.0: sacá -a, o usá 127.0.0.1 o ::1\n"
    );
}

#[test]
fn the_manual_page_and_the_completions_in_spanish() {
    let (code, english, _) = run(&[], &["--man"]);
    assert_eq!(code, Some(0));
    assert_eq!(run(&[("LANG", "C")], &["--man"]).1, english);
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH \"ONION SERVICE\"",
    ] {
        assert!(
            english.contains(section),
            "{section} not in the English page"
        );
    }
    let (code, spanish, _) = run(&[SPANISH], &["--man"]);
    assert_eq!(code, Some(0));
    assert_eq!(run(&[], &["--man", "--lang", "es"]).1, spanish);
    for expected in [
        ".SH NOMBRE",
        "Sirve por HFTP los archivos regulares de un directorio",
        ".SH SINOPSIS",
        ".SH DESCRIPCIÓN",
        ".SH OPCIONES",
        ".SH \"SERVICIO ONION\"",
        ".SH VERSIÓN",
        "[por defecto: 19500]",
    ] {
        assert!(
            spanish.contains(expected),
            "{expected:?} not in the Spanish page"
        );
    }
    for english in [".SH NAME", ".SH OPTIONS", "[default:"] {
        assert!(
            !spanish.contains(english),
            "{english:?} in the Spanish page"
        );
    }
    let (code, fish, _) = run(&[SPANISH], &["--completions", "fish"]);
    assert_eq!(code, Some(0));
    assert!(
        fish.contains("-l port -d 'El puerto TCP; 0 elige uno libre"),
        "{fish}"
    );
    let (_, fish, _) = run(&[], &["--completions", "fish"]);
    assert!(fish.contains("-l port -d 'The TCP port;"), "{fish}");
}

/// A server started with `vars`, serving `dir` on a free port of
/// 127.0.0.1; its start-up line read.
struct Running {
    child: Child,
    addr: SocketAddr,
    announced: String,
}

impl Running {
    fn start(vars: &[(&str, &str)], dir: &std::path::Path, extra: &[&str]) -> Self {
        let dir = dir.to_str().expect("a UTF-8 path");
        let mut child = server()
            .envs(vars.iter().copied())
            .env_remove("RUST_LOG")
            .args(["-d", dir, "-a", "127.0.0.1", "-p", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let mut announced = String::new();
        BufReader::new(child.stdout.take().expect("its stdout"))
            .read_line(&mut announced)
            .expect("the start-up line");
        let addr = announced
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("no address at the end of {announced:?}"));
        Self {
            child,
            addr,
            announced,
        }
    }

    /// Stops the server with SIGTERM, waits for it, and returns its log.
    fn stop(mut self) -> String {
        let pid = rustix::process::Pid::from_child(&self.child);
        rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("signalled");
        let status = self.child.wait().expect("the server exits");
        assert_eq!(status.code(), Some(0));
        let mut log = String::new();
        self.child
            .stderr
            .take()
            .expect("its stderr")
            .read_to_string(&mut log)
            .expect("its log");
        log
    }
}

/// The bytes a client receives for the same requests: a listing, sizes,
/// slices in base64 and raw, each rejection, `help`, then a bad line end
/// that closes the connection.
fn conversation(addr: SocketAddr) -> Vec<u8> {
    let mut client = Client::connect(addr);
    client.send_raw(
        b"get_file_listing\r\n\
          get_metadata hola.txt\r\n\
          get_metadata nada.txt\r\n\
          get_slice hola.txt 0 5\r\n\
          get_slice hola.txt 2 3 raw\r\n\
          get_slice hola.txt 0 99\r\n\
          no_such_command\r\n\
          get_metadata\r\n\
          help\r\n\
          get_metadata hola.txt\n",
    );
    client.read_to_end()
}

/// A served directory with a file and an entry no client will see.
fn served() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(
        dir.path().join("hola.txt"),
        "Que calor que hace hoy, pinocho!\n",
    )
    .expect("a file");
    std::fs::write(dir.path().join("con espacio.txt"), "").expect("a file");
    std::fs::create_dir(dir.path().join("carpeta")).expect("a folder");
    dir
}

#[test]
fn every_byte_a_client_receives_is_the_same_in_both_languages() {
    let dir = served();
    let english = Running::start(&[], dir.path(), &[]);
    let spanish = Running::start(&[SPANISH], dir.path(), &[]);
    let heard_in_english = conversation(english.addr);
    let heard_in_spanish = conversation(spanish.addr);
    assert!(
        heard_in_english
            .starts_with(b"0 OK\r\nhola.txt\r\n\r\n0 OK\r\n33\r\n202 FILE NOT FOUND\r\n"),
        "{}",
        String::from_utf8_lossy(&heard_in_english)
    );
    assert!(heard_in_english.ends_with(b"100 BAD EOL\r\n"));
    assert_eq!(
        String::from_utf8_lossy(&heard_in_english),
        String::from_utf8_lossy(&heard_in_spanish)
    );
    // And through the library's own client, request by request.
    for addr in [english.addr, spanish.addr] {
        let mut client = Client::connect(addr);
        assert_eq!(client.ask(&metadata("hola.txt")), Reply::Size(33));
        assert_eq!(
            client.ask(&slice("hola.txt", 0, 4)),
            Reply::Body(b"Que ".to_vec())
        );
        assert_eq!(
            client.ask(&Request::Quit),
            Reply::Status(hftp_proto::Code::Ok)
        );
    }
    drop((english.stop(), spanish.stop()));
}

/// The request log's lines of `log` without their time stamp and
/// duration: what a tool parses.
fn request_lines(log: &str) -> Vec<String> {
    log.lines()
        .filter(|line| {
            line.contains(" B ") && line.ends_with(" ms") || line.contains(" ms offset ")
        })
        .map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            // Time stamp, level, then peer (port changes), command, name...
            let mut kept: Vec<&str> = fields[1..].to_vec();
            if let Some(ms) = kept.iter().position(|field| *field == "ms") {
                kept.remove(ms - 1);
            }
            kept.retain(|field| !field.is_empty());
            kept[1] = kept[1].rsplit_once(':').map_or(kept[1], |(ip, _)| ip);
            kept.join(" ")
        })
        .collect()
}

#[test]
fn the_log_speaks_spanish_and_its_request_lines_do_not_change() {
    let dir = served();
    let flags = ["--sequential", "--idle-timeout", "0.2"];
    let english = Running::start(&[], dir.path(), &flags);
    assert!(english.announced.starts_with("hftp-server "));
    assert!(
        english.announced.contains(" serving "),
        "{}",
        english.announced
    );
    let spanish = Running::start(&[SPANISH], dir.path(), &flags);
    assert!(
        spanish.announced.contains(&format!(
            " sirviendo {} en 127.0.0.1:",
            std::fs::canonicalize(dir.path()).expect("real").display()
        )),
        "{}",
        spanish.announced
    );
    for addr in [english.addr, spanish.addr] {
        let mut client = Client::connect(addr);
        assert_eq!(client.ask(&metadata("hola.txt")), Reply::Size(33));
        client.send(&Request::Quit);
        client.expect_bytes(b"0 OK\r\n");
        // Done writing: the server need not linger for more input.
        client.stream.shutdown(Shutdown::Write).expect("shut down");
        client.expect_eof();
        let mut bad_line_end = Client::connect(addr);
        bad_line_end.send_raw(b"help\n");
        bad_line_end.expect_bytes(b"100 BAD EOL\r\n");
        bad_line_end
            .stream
            .shutdown(Shutdown::Write)
            .expect("shut down");
        bad_line_end.expect_eof();
        // Silent until the idle timeout closes it.
        Client::connect(addr).expect_eof();
    }
    let english = english.stop();
    let spanish = spanish.stop();
    for expected in [
        "2 entries of ",
        " are not served: 1 folder (carpeta), 1 name with a space (\"con espacio.txt\")",
        "sequential: one client at a time",
        ": bad line end: answering 100 BAD EOL",
        ": closed: idle timeout",
        "SIGTERM: no new connections; finishing replies in flight",
        "INFO  stopped",
    ] {
        assert!(
            english.contains(expected),
            "{expected:?} not in:\n{english}"
        );
    }
    for expected in [
        "2 entradas de ",
        " no se sirven: 1 carpeta (carpeta), 1 nombre con un espacio (\"con espacio.txt\")",
        "secuencial: un cliente a la vez",
        ": fin de línea inválido: respondo 100 BAD EOL",
        ": conexión cerrada: se agotó el tiempo de espera sin actividad",
        "SIGTERM: no acepto conexiones nuevas; termino las respuestas en curso",
        "INFO  detenido",
    ] {
        assert!(
            spanish.contains(expected),
            "{expected:?} not in:\n{spanish}"
        );
    }
    let (english, spanish) = (request_lines(&english), request_lines(&spanish));
    assert_eq!(english.len(), 2, "{english:?}");
    assert_eq!(english, spanish);
}
