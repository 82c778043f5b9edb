//! What users of curl, wget, sftp and lftp reach for first: `get` with
//! glob patterns, `ls -l --human`, the shell's `lcd`, `lpwd`, `!cmd` and
//! `mget`, and colour only on a terminal that wants it.

use std::fs;

use crate::common::{Act, Scripted, Served, course_reply, hftp, ran, tempdir};
use crate::shell::terminal::Terminal;

/// Four files, one whose name holds glob characters.
fn served() -> Served {
    Served::new(&[
        ("a.txt", b"alpha\n"),
        ("b.txt", b"beta\n"),
        ("c.bin", b"gamma"),
        ("x[1].txt", b"literal\n"),
    ])
}

#[test]
fn get_expands_patterns_against_the_listing() {
    let served = served();
    let dir = tempdir();
    let out = ran(hftp(&served.addr()).current_dir(dir.path()).args([
        "--no-progress",
        "get",
        "?.txt",
        "c.*",
    ]));
    out.expect_code(0);
    assert_eq!(
        fs::read(dir.path().join("a.txt")).expect("a.txt"),
        b"alpha\n"
    );
    assert_eq!(
        fs::read(dir.path().join("b.txt")).expect("b.txt"),
        b"beta\n"
    );
    assert_eq!(fs::read(dir.path().join("c.bin")).expect("c.bin"), b"gamma");
    assert!(!dir.path().join("x[1].txt").exists(), "? is one character");
}

#[test]
fn a_pattern_that_matches_nothing_is_an_error_naming_it_and_the_rest_is_fetched() {
    let served = served();
    let dir = tempdir();
    let out = ran(hftp(&served.addr()).current_dir(dir.path()).args([
        "--no-progress",
        "get",
        "*.pdf",
        "a.txt",
    ]));
    out.expect_code(4)
        .one_error_line("hftp: *.pdf: no file on the server matches this pattern");
    assert!(dir.path().join("a.txt").exists());
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .env("LANG", "es_AR.UTF-8")
        .args(["--no-progress", "get", "*.pdf"]));
    out.expect_code(4)
        .one_error_line("hftp: *.pdf: ningún archivo del servidor coincide con este patrón");
}

#[test]
fn a_listed_name_with_glob_characters_is_taken_literally() {
    let served = served();
    let dir = tempdir();
    let out = ran(hftp(&served.addr()).current_dir(dir.path()).args([
        "--no-progress",
        "get",
        "x[1].txt",
    ]));
    out.expect_code(0);
    assert_eq!(
        fs::read(dir.path().join("x[1].txt")).expect("x[1].txt"),
        b"literal\n"
    );
    assert!(!dir.path().join("x1.txt").exists());
}

#[test]
fn a_pattern_to_one_output_file_must_match_one_file() {
    let served = served();
    let dir = tempdir();
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "c.*", "-o", "-"]));
    out.expect_code(0);
    assert_eq!(out.stdout, b"gamma");
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "*.txt", "-o", "all.txt"]));
    out.expect_code(2).one_error_line("-o takes one NAME");
}

#[test]
fn ls_long_human_shows_sizes_in_kib_aligned() {
    let big = vec![b'x'; 1536];
    let huge = vec![b'y'; 3 << 20];
    let served = Served::new(&[
        ("a.txt", b"alpha\n"),
        ("big.bin", &big),
        ("huge.bin", &huge),
    ]);
    for flag in ["-H", "--human"] {
        let out = ran(hftp(&served.addr()).args(["ls", "-l", flag]));
        out.expect_code(0);
        assert_eq!(
            out.text(),
            "    6 B a.txt\n1.5 KiB big.bin\n3.0 MiB huge.bin\n",
            "{flag}"
        );
    }
    let out = ran(hftp(&served.addr()).args(["ls", "-h"]));
    out.expect_code(0);
    assert!(
        out.text().contains("--human"),
        "-h stays help: {}",
        out.text()
    );
}

#[test]
fn the_shell_changes_and_shows_the_local_folder_and_mget_takes_patterns() {
    let served = served();
    let dir = tempdir();
    fs::create_dir(dir.path().join("sub")).expect("sub");
    let script = "lcd sub\nlpwd\nmget *.txt\nlcd ~\nlpwd\n";
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .args(["--no-progress", "shell"])
        .write_stdin(script));
    out.expect_code(0);
    let sub = dir.path().join("sub").canonicalize().expect("sub");
    let home = dir.path().canonicalize().expect("home");
    assert_eq!(
        out.text(),
        format!("{}\n{}\n", sub.display(), home.display())
    );
    assert!(sub.join("a.txt").exists() && sub.join("b.txt").exists());
    assert!(sub.join("x[1].txt").exists());
    assert!(!dir.path().join("a.txt").exists());
}

#[test]
fn the_shell_runs_a_local_command_and_reports_its_failure() {
    let served = served();
    let dir = tempdir();
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["shell"])
        .write_stdin("!echo hi there > said.txt\n!exit 3\n"));
    out.expect_code(1)
        .one_error_line("hftp: `exit 3` exited with status 3");
    assert_eq!(
        fs::read_to_string(dir.path().join("said.txt")).expect("said.txt"),
        "hi there\n"
    );
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .env("LANG", "es_AR.UTF-8")
        .args(["shell"])
        .write_stdin("!exit 3\nlcd nowhere\n"));
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("hftp: `exit 3` terminó con el código 3\n"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("hftp: lcd nowhere: "), "{}", out.stderr);
}

#[test]
fn the_shell_help_names_the_local_commands() {
    let served = served();
    for (lang, words) in [
        ("C", ["lcd [DIR]", "lpwd", "!COMMAND", "mget PATTERN..."]),
        (
            "es_AR.UTF-8",
            ["lcd [DIR]", "lpwd", "!COMANDO", "mget PATRÓN..."],
        ),
    ] {
        let out = ran(hftp(&served.addr())
            .env("LANG", lang)
            .args(["shell"])
            .write_stdin("help\n"));
        out.expect_code(0);
        for word in words {
            assert!(out.stderr.contains(word), "{word} in {}", out.stderr);
        }
    }
}

#[test]
fn errors_are_plain_in_a_pipe_and_with_no_color() {
    let served = served();
    for no_color in [None, Some("1")] {
        let mut command = hftp(&served.addr());
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let out = ran(command.args(["stat", "nope.txt"]));
        out.expect_code(4);
        assert!(out.stderr.starts_with("hftp: "), "{:?}", out.stderr);
        assert!(!out.stderr.contains('\x1b'), "{:?}", out.stderr);
    }
}

#[test]
fn errors_are_coloured_on_a_terminal_unless_no_color() {
    let served = served();
    let (dir, state) = (tempdir(), tempdir());
    // An empty NO_COLOR is as good as none.
    let Some(term) = Terminal::start_with_env(
        &served.addr(),
        &["stat", "nope.txt"],
        dir.path(),
        state.path(),
        &[("NO_COLOR", "")],
    ) else {
        return;
    };
    let (code, shown) = term.wait();
    assert_eq!(code, 4, "{shown:?}");
    assert!(shown.contains("\x1b[1;31mhftp:\x1b[0m "), "{shown:?}");
    let Some(term) = Terminal::start_with_env(
        &served.addr(),
        &["stat", "nope.txt"],
        dir.path(),
        state.path(),
        &[("NO_COLOR", "1")],
    ) else {
        return;
    };
    let (code, shown) = term.wait();
    assert_eq!(code, 4, "{shown:?}");
    assert!(!shown.contains('\x1b'), "{shown:?}");
}

/// Two cases the course server passes.
const PASSING: &str = "2019.bad-command,2019.file-not-found";

#[test]
fn the_checker_colours_its_verdicts_on_a_terminal_only() {
    let served = served();
    // `verdura` answered `0 OK`: a failure.
    let flawed = Scripted::start(|line| {
        if line.starts_with("verdura") {
            Act::Reply(b"0 OK\r\n".to_vec())
        } else {
            course_reply(&[("a.txt", b"alpha\n")], line)
        }
    });
    let out = ran(hftp(&served.addr()).args(["check", "--only", PASSING]));
    out.expect_code(0);
    assert!(out.text().contains("pass "), "{}", out.text());
    assert!(!out.text().contains('\x1b'), "{:?}", out.text());
    let (dir, state) = (tempdir(), tempdir());
    for (addr, lang, painted) in [
        (served.addr(), "en", "\x1b[32mpass\x1b[0m"),
        (served.addr(), "es", "\x1b[32mpasa\x1b[0m"),
        (flawed.addr(), "en", "\x1b[1;31mFAIL\x1b[0m"),
        (flawed.addr(), "es", "\x1b[1;31mFALLA\x1b[0m"),
    ] {
        let args = ["--lang", lang, "check", "--only", PASSING];
        let Some(term) =
            Terminal::start_with_env(&addr, &args, dir.path(), state.path(), &[("NO_COLOR", "")])
        else {
            return;
        };
        let (_, shown) = term.wait();
        assert!(shown.contains(painted), "{painted:?} in {shown:?}");
        let Some(term) = Terminal::start(&addr, &args, dir.path(), state.path()) else {
            return;
        };
        let (_, shown) = term.wait();
        assert!(!shown.contains('\x1b'), "NO_COLOR: {shown:?}");
    }
}

#[test]
fn ctrl_c_stops_a_local_command_and_the_shell_stays() {
    let served = served();
    let (dir, state) = (tempdir(), tempdir());
    let Some(mut term) = Terminal::start(&served.addr(), &["shell"], dir.path(), state.path())
    else {
        return;
    };
    term.expect("hftp> ");
    // The command catches Ctrl-C itself, and says when it is ready to:
    // what it does with the signal does not depend on when it comes.
    term.send("!trap 'echo caught; exit 130' INT; echo started; while :; do sleep 1; done\r");
    term.expect("started\r\n");
    term.send("\x03");
    term.expect("caught\r\n");
    term.expect("exited with status 130\r\n");
    term.expect("hftp> ");
    term.send("lpwd\r");
    term.expect("hftp> ");
    term.send("quit\r");
    assert_eq!(term.wait().0, 0);
}
