//! The `hftp` command in both languages: the language comes from the
//! locale, `HFTP_LANG` and `--lang`; `--help`, usage errors, each exit
//! code's error of `hftp get`, retry notices and the shell speak it, while
//! exit codes and the protocol's status texts stay as they are.

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::thread;

use crate::common::{
    Act, Ran, Scripted, Served, base64_line, course_reply, data, hftp, hftp_bare, ran,
};

const HOLA: &[u8] = b"Que calor que hace hoy, pinocho!\n";

/// A Spanish locale, as a student's machine in Córdoba has it.
const SPANISH: &str = "es_AR.UTF-8";

/// `hftp` against `addr` under the locale `lang` (`C` or [`SPANISH`]).
fn hftp_in(lang: &str, addr: &str) -> assert_cmd::Command {
    let mut command = hftp(addr);
    command.env("LANG", lang);
    command
}

/// Runs `args` against `addr` under `C` and under Spanish: the two runs.
fn both(addr: &str, dir: &std::path::Path, args: &[&str]) -> (Ran, Ran) {
    let run = |lang| ran(hftp_in(lang, addr).current_dir(dir).args(args));
    (run("C"), run(SPANISH))
}

fn served() -> Served {
    Served::new(&[("hola.txt", HOLA), ("big.bin", &data(100_000))])
}

/// Variables to set, by name.
type Env<'a> = &'a [(&'a str, &'a str)];

#[test]
fn the_locale_then_hftp_lang_then_lang_choose_the_language() {
    let help = |env: &[(&str, &str)], args: &[&str]| {
        let mut command = hftp_bare();
        command.envs(env.iter().copied()).args(args);
        ran(command.arg("--help")).expect_code(0).text()
    };
    let spanish = "Uso: hftp [OPCIONES] <COMANDO>";
    let english = "Usage: hftp [OPTIONS] <COMMAND>";
    let cases: [(Env<'_>, &[&str], &str); 9] = [
        (&[], &[], english),
        (&[("LANG", "C")], &[], english),
        (&[("LANG", SPANISH)], &[], spanish),
        (&[("LANG", SPANISH), ("LC_MESSAGES", "C")], &[], english),
        (&[("LANG", "C"), ("LC_ALL", "es_ES.UTF-8")], &[], spanish),
        (&[("LANG", "C"), ("HFTP_LANG", "es")], &[], spanish),
        (&[("LANG", SPANISH), ("HFTP_LANG", "en")], &[], english),
        (&[("HFTP_LANG", "es")], &["--lang", "en"], english),
        (&[("LANG", "C")], &["--lang=es"], spanish),
    ];
    for (env, args, usage) in cases {
        let text = help(env, args);
        assert!(text.contains(usage), "{env:?} {args:?}: {text}");
    }
}

#[test]
fn a_bad_language_is_a_usage_error_in_english() {
    ran(hftp_bare()
        .env("LANG", SPANISH)
        .args(["--lang", "fr", "ls"]))
    .expect_code(2)
    .one_error_line("hftp: unknown language `fr`: the languages are en and es (see --help)");
    ran(hftp_bare().env("HFTP_LANG", "klingon").arg("ls"))
        .expect_code(2)
        .one_error_line("hftp: HFTP_LANG: unknown language `klingon`");
    // --lang wins over a bad HFTP_LANG.
    ran(hftp_bare()
        .env("HFTP_LANG", "fr")
        .args(["--lang", "es", "--help"]))
    .expect_code(0);
}

#[test]
fn help_in_spanish_has_spanish_headings_options_and_exit_status() {
    let help = ran(hftp_bare().env("LANG", SPANISH).arg("--help"));
    let help = help.expect_code(0).text();
    for words in [
        "Lista y descarga archivos de un servidor HFTP.",
        "Comandos:",
        "  get          Descargar archivos, o un rango de uno",
        "Opciones globales:",
        "  -s, --server <HOST[:PORT]>",
        "Abandonar cuando el servidor se queda callado estos segundos (0 nunca) [por defecto: 30]",
        "--lang <LANG>",
        "Mostrar la versión",
        "Código de salida:",
        "  130  interrumpido (Ctrl-C)",
    ] {
        assert!(help.contains(words), "{words:?} in {help}");
    }
    for english in [
        "Usage:",
        "Options:",
        "Commands:",
        "Exit status:",
        "[default:",
    ] {
        assert!(!help.contains(english), "{english:?} in {help}");
    }
    let get = ran(hftp_bare().env("LANG", SPANISH).args(["get", "--help"]));
    let get = get.expect_code(0).text();
    for words in [
        "Descargar archivos, o un rango de uno",
        "Uso: hftp get [OPCIONES] <NAME>...",
        "Argumentos:\n  <NAME>...  Los archivos a descargar",
        "Opciones:",
        "  -c, --continue ",
        "[por defecto: 1]",
        "Ejemplos:",
        "pasa a llamarse OUT",
    ] {
        assert!(get.contains(words), "{words:?} in {get}");
    }
    let english = ran(hftp_bare().env("LANG", "C").args(["get", "--help"]));
    let english = english.expect_code(0).text();
    assert!(
        english.contains("Usage: hftp get [OPTIONS] <NAME>..."),
        "{english}"
    );
    assert!(
        english.contains("Examples:\n  hftp get hola.txt"),
        "{english}"
    );
}

#[test]
fn usage_errors_are_one_line_in_either_language_with_exit_2() {
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["ls", "--bogus"],
            "hftp: unexpected argument '--bogus' found (see --help)",
            "hftp: argumento inesperado '--bogus' (mirá --help)",
        ),
        (
            &["get", "--forse", "a"],
            "did you mean `--force`?",
            "hftp: argumento inesperado '--forse': ¿quisiste decir `--force`? (mirá --help)",
        ),
        (
            &["get"],
            "required arguments were not provided: <NAME>...",
            "hftp: faltan argumentos obligatorios: <NAME>... (mirá --help)",
        ),
        (
            &["get", "a", "--parallel", "99"],
            "invalid value '99' for '--parallel <N>': 99 is not in 1..=64",
            "hftp: valor inválido '99' para '--parallel <N>': 99 no está entre 1 y 64 (mirá --help)",
        ),
        (
            &["--timeout", "pronto", "ls"],
            "`pronto` is not a number of seconds",
            "hftp: valor inválido 'pronto' para '--timeout <SECS>': `pronto` no es un número de segundos (mirá --help)",
        ),
    ];
    for (args, english, spanish) in cases {
        ran(hftp_in("C", "127.0.0.1:1").args(args))
            .expect_code(2)
            .one_error_line(english);
        ran(hftp_in(SPANISH, "127.0.0.1:1").args(args))
            .expect_code(2)
            .one_error_line(spanish);
    }
}

#[test]
fn every_exit_code_of_get_has_its_error_in_either_language() {
    let served = served();
    let dir = tempfile::tempdir().expect("tempdir");
    let free = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .to_string();
    let check = |addr: &str, args: &[&str], code, english: &str, spanish: &str| {
        let (en, es) = both(addr, dir.path(), args);
        en.expect_code(code).one_error_line(english);
        es.expect_code(code).one_error_line(spanish);
    };
    check(
        &served.addr(),
        &["get", "a", "b", "-o", "x"],
        2,
        "hftp: -o takes one NAME (use -O DIR for several)",
        "hftp: -o va con un solo NAME (para varios, usá -O DIR)",
    );
    check(
        &served.addr(),
        &["get", "../x"],
        2,
        "hftp: invalid file name \"../x\"",
        "hftp: nombre de archivo inválido \"../x\": un nombre de archivo no puede tener '/'",
    );
    check(
        &served.addr(),
        &["get", "mi archivo.txt"],
        2,
        "hftp: invalid file name \"mi archivo.txt\": HFTP file names cannot hold spaces",
        "hftp: nombre de archivo inválido \"mi archivo.txt\": los nombres de archivo de HFTP \
         no pueden tener espacios",
    );
    check(
        &free,
        &["get", "hola.txt", "--retry", "0"],
        3,
        &format!("hftp: hola.txt: cannot connect to {free}"),
        &format!("hftp: hola.txt: no se pudo conectar a {free}: conexión rechazada"),
    );
    // The status text is the protocol's: the same in both.
    check(
        &served.addr(),
        &["get", "nope"],
        4,
        "hftp: the server refused `get_metadata nope`: 202 FILE NOT FOUND",
        "hftp: el servidor rechazó `get_metadata nope`: 202 FILE NOT FOUND",
    );
    check(
        &served.addr(),
        &["get", "hola.txt", "--offset", "40", "-o", "part"],
        4,
        "hftp: offset 40 is past the end of the file (33 bytes)",
        "hftp: el desplazamiento 40 está más allá del final del archivo (33 bytes)",
    );
    fs::write(dir.path().join("hola.txt"), "ya estaba").expect("write");
    check(
        &served.addr(),
        &["get", "hola.txt"],
        6,
        "hftp: hola.txt already exists; pass --force to overwrite it",
        "hftp: hola.txt ya existe; usá --force para sobrescribirlo",
    );
    let proxy = not_a_socks_proxy();
    check(
        &served.addr(),
        &["--proxy", &proxy, "get", "hola.txt", "-o", "-"],
        10,
        "it speaks HTTP, not SOCKS5",
        "habla HTTP, no SOCKS5 (¿un proxy HTTP?)",
    );
}

/// A proxy URL whose "proxy" answers as an HTTP server does, to anyone.
fn not_a_socks_proxy() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("socks5h://{}", listener.local_addr().expect("addr"));
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.read(&mut [0; 64]);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
        }
    });
    url
}

/// A server for `f` (30000 bytes) whose slices are answered by `slice`.
fn slice_server(slice: fn(&[u8]) -> Act) -> Scripted {
    let file = data(30_000);
    Scripted::start(move |line| {
        if line.starts_with("get_slice f ") {
            slice(&file)
        } else {
            course_reply(&[("f", &file)], line)
        }
    })
}

/// `0 OK` and the base64 of `data` without its line end: a body cut off.
fn cut_body(data: &[u8]) -> Vec<u8> {
    let mut line = base64_line(data);
    line.truncate(line.len() - 2);
    [&b"0 OK\r\n"[..], &line].concat()
}

#[test]
fn a_broken_server_s_errors_are_said_in_either_language() {
    let check = |server: &Scripted, extra: &[&str], code, english: &str, spanish: &str| {
        for (lang, needle) in [("C", english), (SPANISH, spanish)] {
            let dir = tempfile::tempdir().expect("tempdir");
            let out = ran(hftp_in(lang, &server.addr())
                .current_dir(dir.path())
                .args(extra)
                .args(["get", "f", "--retry", "0"]));
            out.expect_code(code).one_error_line(needle);
        }
    };
    let bad_base64 = slice_server(|_| Act::Reply(b"0 OK\r\nQUJD!!!!\r\n".to_vec()));
    check(
        &bad_base64,
        &[],
        5,
        "hftp: protocol violation: expected a slice body in base64",
        "hftp: violación del protocolo: se esperaba un cuerpo de rebanada en base64",
    );
    let silent = slice_server(|file| Act::Stall(cut_body(&file[..300])));
    check(
        &silent,
        &["--timeout", "0.2"],
        7,
        "hftp: f: timed out: the server sent nothing for 0.200 s; f.part is kept for --continue",
        "hftp: f: se agotó el tiempo de espera: el servidor no mandó nada en 0.200 s; f.part queda guardado para --continue",
    );
    let cut = slice_server(|file| Act::Close(cut_body(&file[..3000])));
    check(
        &cut,
        &[],
        8,
        "after 3000 of the 30000 bytes expected; f.part is kept for --continue",
        "hftp: f: cuerpo incompleto: el servidor cerró la conexión antes del final del cuerpo, después de 3000 de los 30000 bytes esperados; f.part queda guardado para --continue",
    );
}

#[test]
fn a_changed_file_and_a_resume_are_said_in_either_language() {
    let served = Served::new(&[("f", &data(100_000))]);
    for (lang, changed, resuming) in [
        (
            "C",
            "the file changed on the server since this partial data was written",
            "hftp: f: resuming at byte 1000, the bytes before it checked against the server",
        ),
        (
            SPANISH,
            "el archivo cambió en el servidor desde que se escribieron estos datos parciales",
            "hftp: f: reanudo en el byte 1000; los bytes de antes coinciden con los del servidor",
        ),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("f.part"), vec![7; 1000]).expect("part");
        let out = ran(hftp_in(lang, &served.addr())
            .current_dir(dir.path())
            .args(["get", "-c", "f"]));
        out.expect_code(9).one_error_line(changed);
        fs::write(dir.path().join("f.part"), &data(100_000)[..1000]).expect("part");
        let out = ran(hftp_in(lang, &served.addr())
            .current_dir(dir.path())
            .args(["get", "-c", "f"]));
        out.expect_code(0).one_error_line(resuming);
    }
}

#[test]
fn a_retry_notice_is_said_in_either_language() {
    let file = data(30_000);
    let first = std::sync::atomic::AtomicBool::new(true);
    let server = Scripted::start(move |line| {
        if let Some(range) = line.strip_prefix("get_slice f ") {
            let words: Vec<usize> = range.split(' ').filter_map(|w| w.parse().ok()).collect();
            let (offset, size) = (words[0], words[1]);
            if first.swap(false, std::sync::atomic::Ordering::SeqCst) {
                return Act::Close(cut_body(&file[offset..offset + 3000]));
            }
            return Act::Reply(
                [&b"0 OK\r\n"[..], &base64_line(&file[offset..offset + size])].concat(),
            );
        }
        course_reply(&[("f", &file)], line)
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp_in(SPANISH, &server.addr())
        .current_dir(dir.path())
        .args(["get", "f", "--retry", "1"]));
    out.expect_code(0).one_error_line(
        "hftp: f: el servidor cerró la conexión después de 2.9 KiB; reintento en 0.25 s (1/1)",
    );
}

#[test]
fn the_shell_speaks_the_language_and_keeps_the_status_texts() {
    let served = served();
    let script = "help\nlss\nnope.txt\nget nope\nget --bogus\n";
    let run = |lang| {
        ran(hftp_in(lang, &served.addr())
            .arg("shell")
            .write_stdin(script))
    };
    let spanish = run(SPANISH);
    spanish.expect_code(2);
    for words in [
        "Comandos (uno por línea; cada uno acepta las opciones del subcomando de hftp):",
        "  quit                    salir (también `exit`, Ctrl-D o el fin de la entrada)",
        "hftp: comando desconocido `lss`: ¿quisiste decir `ls`?",
        "hftp: comando desconocido `nope.txt`, probá `help`",
        "hftp: el servidor rechazó `get_metadata nope`: 202 FILE NOT FOUND",
        "hftp: argumento inesperado '--bogus' (mirá `get --help`)",
    ] {
        assert!(
            spanish.stderr.contains(words),
            "{words:?} in {}",
            spanish.stderr
        );
    }
    let english = run("C");
    english.expect_code(2);
    for words in [
        "Commands (one per line; each takes the options of the hftp subcommand):",
        "hftp: unknown command `lss`: did you mean `ls`?",
        "hftp: unknown command `nope.txt`, try `help`",
        "hftp: the server refused `get_metadata nope`: 202 FILE NOT FOUND",
        "(see `get --help`)",
    ] {
        assert!(
            english.stderr.contains(words),
            "{words:?} in {}",
            english.stderr
        );
    }
    let help = ran(hftp_in(SPANISH, &served.addr())
        .arg("shell")
        .write_stdin("get --help\n"));
    let help = help.expect_code(0).text();
    assert!(help.contains("Uso: get [OPCIONES] <NAME>..."), "{help}");
    assert!(help.contains("Los archivos a descargar"), "{help}");
}

#[test]
fn man_pages_and_completions_speak_the_language_asked() {
    let page = |args: &[&str]| {
        let mut command = hftp_bare();
        command.args(args);
        ran(&mut command).expect_code(0).text()
    };
    let spanish = page(&["man", "--lang", "es", "get"]);
    for words in [
        ".SH NOMBRE",
        ".SH SINOPSIS",
        ".SH DESCRIPCIÓN",
        ".SH OPCIONES",
        "Descargar archivos, o un rango de uno",
        "Los archivos a descargar",
    ] {
        assert!(spanish.contains(words), "{words:?} in {spanish}");
    }
    let english = page(&["man", "get"]);
    assert!(
        english.contains(".SH NAME") && english.contains(".SH OPTIONS"),
        "{english}"
    );
    assert!(!english.contains("Descargar"), "{english}");
    let main = page(&["man", "--lang", "es"]);
    assert!(main.contains(".SH SUBCOMANDOS"), "{main}");
    assert!(main.contains("Código de salida:"), "{main}");

    let pages = tempfile::tempdir().expect("tempdir");
    let mut command = hftp_bare();
    command
        .env("HFTP_LANG", "es")
        .args(["man", "--dir"])
        .arg(pages.path());
    ran(&mut command).expect_code(0);
    let get = fs::read_to_string(pages.path().join("hftp-get.1")).expect("hftp-get.1");
    assert!(
        get.contains(".SH NOMBRE") && get.contains("Los archivos a descargar"),
        "{get}"
    );
    assert!(pages.path().join("hftp-bench-slice.1").exists());

    let fish = page(&["--lang", "es", "completions", "fish"]);
    assert!(
        fish.contains("Descargar archivos, o un rango de uno"),
        "{fish}"
    );
    let fish = page(&["completions", "fish"]);
    assert!(fish.contains("Download files, or a range of one"), "{fish}");
}

#[test]
fn check_says_it_cannot_connect_in_either_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let free = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .to_string();
    let (en, es) = both(&free, dir.path(), &["check"]);
    en.expect_code(2)
        .one_error_line(&format!("hftp: cannot connect to {free}"));
    es.expect_code(2).one_error_line(&format!(
        "hftp: no se pudo conectar a {free}: conexión rechazada"
    ));
}
