//! `hftp shell`: on a terminal (history, Tab, Ctrl-C, Ctrl-D), and the
//! answers to unknown words, usage errors and connections the server
//! closed, with commands from stdin.

pub(crate) mod terminal;

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener};
use std::process::Stdio;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::common::{
    Act, HFTP_BIN, Scripted, Served, base64_line, clean_command, course_reply, data, hftp, ran,
};
use terminal::Terminal;

const HOLA: &[u8] = b"Que calor que hace hoy, pinocho!\n";

/// Bounds every wait for an event.
const DEADLINE: Duration = Duration::from_secs(20);

/// A temporary directory.
fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

#[test]
fn up_recalls_the_last_line_and_ctrl_d_leaves_on_a_new_line() {
    let served = Served::new(&[("hola.txt", HOLA)]);
    let Some((mut term, _dir, state)) = shell(&served.addr()) else {
        return;
    };
    term.send("stat hola.txt\r");
    term.expect("33 hola.txt");
    term.expect("hftp> ");
    term.send("\x1b[A\r");
    term.expect("33 hola.txt");
    term.expect("hftp> ");
    term.send("\x04");
    let (code, rest) = term.wait();
    assert_eq!(code, 0, "{rest:?}");
    assert!(rest.contains('\n'), "a newline after Ctrl-D: {rest:?}");
    let history = fs::read_to_string(state.path().join("hftp/history")).expect("history file");
    assert!(history.contains("stat hola.txt"), "{history}");
}

#[test]
fn tab_completes_a_command_and_a_file_name() {
    let served = Served::new(&[("hola.txt", HOLA), ("big.bin", &data(10))]);
    let Some((mut term, dir, _state)) = shell(&served.addr()) else {
        return;
    };
    term.send("ge\tho\t\r");
    term.expect("hola.txt: 33 B in");
    assert_eq!(
        fs::read(dir.path().join("hola.txt")).expect("hola.txt"),
        HOLA
    );
    term.expect("hftp> ");
    term.send("quit\r");
    assert_eq!(term.wait().0, 0);
}

#[test]
fn an_unknown_word_on_a_terminal_is_one_line_and_the_prompt_comes_back() {
    let served = Served::new(&[("hola.txt", HOLA)]);
    let Some((mut term, _dir, _state)) = shell(&served.addr()) else {
        return;
    };
    term.send("frobnicate\r");
    let shown = term.expect("hftp> ");
    assert!(
        shown.contains("hftp: unknown command `frobnicate`, try `help`\r\n"),
        "{shown:?}"
    );
    assert!(!shown.contains("FILE NOT FOUND"), "{shown:?}");
    term.send("exit\r");
    assert_eq!(term.wait().0, 0);
}

#[test]
fn ctrl_c_at_the_prompt_drops_the_line_and_the_shell_stays() {
    let served = Served::new(&[("hola.txt", HOLA)]);
    let Some((mut term, _dir, _state)) = shell(&served.addr()) else {
        return;
    };
    term.send("half a line");
    term.expect("half a line");
    term.send("\x03");
    // Typed before the new prompt, keys would go to the dropped line.
    term.expect("hftp> ");
    term.send("stat hola.txt\r");
    let shown = term.expect("33 hola.txt");
    assert!(!shown.contains("unknown command"), "{shown:?}");
    term.expect("hftp> ");
    term.send("\x04");
    assert_eq!(term.wait().0, 0);
}

#[test]
fn ctrl_c_stops_a_slow_get_keeps_the_part_and_returns_to_the_prompt() {
    let file: &'static [u8] = data(1000).leak();
    let server = Scripted::start(move |line| {
        if line.starts_with("get_slice ") {
            // A first piece of the body, then silence: a slow server.
            Act::Stall(b"0 OK\r\nQUJD".to_vec())
        } else {
            course_reply(&[("slow.bin", file)], line)
        }
    });
    let Some((mut term, dir, _state)) = shell(&server.addr()) else {
        return;
    };
    term.send("get slow.bin\r");
    await_request(&server, "get_slice slow.bin");
    term.send("\x03");
    term.expect("interrupted; slow.bin.part is kept");
    term.expect("hftp> ");
    term.send("stat slow.bin\r");
    term.expect("1000 slow.bin");
    term.expect("hftp> ");
    term.send("\x04");
    let (code, rest) = term.wait();
    assert_eq!(code, 0, "{rest:?}");
    assert!(
        dir.path().join("slow.bin.part").exists(),
        "the .part is kept"
    );
    assert!(!dir.path().join("slow.bin").exists());
}

#[test]
fn ctrl_c_stops_a_command_blocked_on_a_silent_server() {
    let server = Scripted::start(|line| {
        if line.starts_with("get_metadata ") {
            Act::Stall(Vec::new())
        } else {
            course_reply(&[("hola.txt", HOLA)], line)
        }
    });
    let Some((mut term, _dir, _state)) = shell(&server.addr()) else {
        return;
    };
    term.send("stat hola.txt\r");
    await_request(&server, "get_metadata ");
    term.send("\x03");
    term.expect("hftp: interrupted\r\n");
    term.expect("hftp> ");
    term.send("ls\r");
    term.expect("hola.txt\r\n");
    term.expect("hftp> ");
    term.send("quit\r");
    assert_eq!(term.wait().0, 0);
}

#[test]
fn a_word_is_a_download_only_when_the_server_lists_it() {
    let served = Served::new(&[("hola.txt", HOLA)]);
    let dir = tempdir();
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .arg("shell")
        .write_stdin("frobnicate\nhola.txt\n"));
    out.expect_code(2)
        .one_error_line("hftp: unknown command `frobnicate`, try `help`");
    assert_eq!(
        fs::read(dir.path().join("hola.txt")).expect("hola.txt"),
        HOLA
    );
}

#[test]
fn usage_errors_in_the_shell_are_whole_and_on_one_line() {
    let served = Served::new(&[("hola.txt", HOLA)]);
    let out = ran(hftp(&served.addr()).arg("shell").write_stdin("get\n"));
    out.expect_code(2)
        .one_error_line("required arguments were not provided: <NAME>... (see `get --help`)");
    let out = ran(hftp(&served.addr())
        .arg("shell")
        .write_stdin("hola.txt --bogus\n"));
    out.expect_code(2)
        .one_error_line("unexpected argument '--bogus' found (see `get --help`)");
}

/// A server that answers each connection's first `get_file_listing` with
/// `hola.txt` and then closes it, as a server closes an idle client;
/// says on the channel each time it closed one.
fn closing_server() -> (String, mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address").to_string();
    let (closed, closes) = mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let Ok(reader) = stream.try_clone() else {
                continue;
            };
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { break };
                if line.trim_end() == "get_file_listing" {
                    let _ = stream.write_all(b"0 OK\r\nhola.txt\r\n\r\n");
                    let _ = stream.shutdown(Shutdown::Both);
                    let _ = closed.send(());
                    break;
                }
                let _ = stream.write_all(b"200 NO SUCH COMMAND\r\n");
            }
        }
    });
    (addr, closes)
}

#[test]
fn a_connection_the_server_closed_while_idle_is_opened_again() {
    let (addr, closes) = closing_server();
    let mut child = clean_command(HFTP_BIN)
        .args(["-s", &addr, "shell"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, lines) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    for round in 0..2 {
        stdin.write_all(b"ls\n").expect("write");
        stdin.flush().expect("flush");
        let line = lines.recv_timeout(DEADLINE);
        if line.as_deref() != Ok("hola.txt") {
            let _ = child.kill();
            let output = child.wait_with_output().expect("wait");
            panic!(
                "round {round}: {line:?}; stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        closes.recv_timeout(DEADLINE).expect("the server closed");
    }
    drop(stdin);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Waits until `server` has received a request starting with `prefix`.
fn await_request(server: &Scripted, prefix: &str) {
    while !server
        .requests
        .recv_timeout(DEADLINE)
        .expect("a request")
        .starts_with(prefix)
    {}
}

/// `hftp shell` against `addr` in a terminal, at its first prompt, with
/// its working and state directories; `None` where no terminal can be
/// made (the test is skipped).
fn shell(addr: &str) -> Option<(Terminal, tempfile::TempDir, tempfile::TempDir)> {
    let (dir, state) = (tempdir(), tempdir());
    let mut term = Terminal::start(addr, &["shell"], dir.path(), state.path())?;
    term.expect("hftp> ");
    Some((term, dir, state))
}

#[test]
fn binary_output_is_not_poured_into_a_terminal_unless_forced() {
    let mut binary = data(200_000);
    binary[10] = 0;
    let served = Served::new(&[("big.bin", &binary), ("hola.txt", b"hola mundo\n")]);
    let addr = served.addr();
    let (dir, state) = (tempdir(), tempdir());
    // From the command line: refused, with a hint, and nothing shown.
    let Some(term) = Terminal::start(
        &addr,
        &["get", "big.bin", "-o", "-"],
        dir.path(),
        state.path(),
    ) else {
        return;
    };
    let (code, shown) = term.wait();
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains("big.bin is binary: not written to the terminal (use -o FILE, or --force to write it anyway)"),
        "{shown}"
    );
    assert!(
        shown.len() < 1000,
        "no bytes of the file: {} bytes shown",
        shown.len()
    );
    // Text is shown, and --force writes binary anyway.
    let Some(term) = Terminal::start(
        &addr,
        &["get", "hola.txt", "-o", "-"],
        dir.path(),
        state.path(),
    ) else {
        return;
    };
    let (code, shown) = term.wait();
    assert_eq!((code, shown.contains("hola mundo")), (0, true), "{shown}");
    let Some(term) = Terminal::start(
        &addr,
        &["--no-progress", "get", "big.bin", "-o", "-", "--force"],
        dir.path(),
        state.path(),
    ) else {
        return;
    };
    let (code, shown) = term.wait();
    assert_eq!(code, 0);
    assert!(shown.len() > 100_000, "{} bytes shown", shown.len());
    // In the shell: refused the same way, and the shell goes on.
    let Some((mut term, _dir, _state)) = shell(&addr) else {
        return;
    };
    term.send("get big.bin -o -\r");
    term.expect("(use -o FILE, or --force to write it anyway)");
    term.expect("hftp> ");
    term.send("quit\r");
    term.wait();
}

/// A server of one 3 MiB file, `slow.bin`, that sends the first MiB of
/// its body at full speed, then nothing.
fn stalling_server() -> Scripted {
    let file: &'static [u8] = data(3 << 20).leak();
    Scripted::start(move |line| {
        if line.starts_with("get_slice ") {
            let mut reply = b"0 OK\r\n".to_vec();
            let line = base64_line(&file[..1 << 20]);
            reply.extend_from_slice(&line[..line.len() - 2]);
            Act::Stall(reply)
        } else {
            course_reply(&[("slow.bin", file)], line)
        }
    })
}

#[test]
fn a_stalled_download_says_stalled_instead_of_a_frozen_rate() {
    let server = stalling_server();
    let (dir, state) = (tempdir(), tempdir());
    let Some(mut term) = Terminal::start(
        &server.addr(),
        &["--base64", "get", "slow.bin", "--timeout", "30"],
        dir.path(),
        state.path(),
    ) else {
        return;
    };
    term.expect("slow.bin");
    // No byte comes: the bar says so (and keeps counting), as curl and
    // wget do, instead of the last rate and an ETA of seconds.
    term.expect("stalled");
    term.send("\x03");
    let (code, _) = term.wait();
    assert_eq!(code, 130);
}

#[test]
fn on_a_terminal_the_greeting_and_the_summary_speak_spanish() {
    let served = Served::new(&[("hola.txt", HOLA)]);
    let (dir, state) = (tempdir(), tempdir());
    let Some(mut term) = Terminal::start(
        &served.addr(),
        &["--lang", "es", "shell"],
        dir.path(),
        state.path(),
    ) else {
        return;
    };
    term.expect(&format!("Conectado a {}.", served.addr()));
    term.expect("Archivos en el servidor:\r\n  hola.txt");
    term.expect("Escribí el nombre de un archivo para descargarlo, `help` para ver los comandos, `quit` para salir.");
    term.expect("hftp> ");
    term.send("hola.txt\r");
    term.expect("hftp: hola.txt: 33 B en ");
    term.expect("hftp> ");
    term.send("hola.txt\r");
    term.expect("hftp: hola.txt ya existe; usá --force para sobrescribirlo");
    term.expect("hftp> ");
    term.send("\x04");
    let (code, rest) = term.wait();
    assert_eq!(code, 0, "{rest:?}");
}

#[test]
fn a_stalled_download_says_so_in_spanish() {
    let server = stalling_server();
    let (dir, state) = (tempdir(), tempdir());
    let Some(mut term) = Terminal::start(
        &server.addr(),
        &[
            "--lang",
            "es",
            "--base64",
            "get",
            "slow.bin",
            "--timeout",
            "30",
        ],
        dir.path(),
        state.path(),
    ) else {
        return;
    };
    term.expect("slow.bin");
    term.expect("trabado, nada hace ");
    term.send("\x03");
    term.expect("hftp: interrumpido; slow.bin.part queda guardado para --continue");
    let (code, _) = term.wait();
    assert_eq!(code, 130);
}
