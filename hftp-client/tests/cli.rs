//! The `hftp` command against the real server: every subcommand, ranges,
//! stdout, resume, `--parallel`, refusals and exit codes.

use std::fs;
use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;

use crate::common::{HFTP_BIN, Served, clean_command, data, hftp, hftp_bare, ran};

const HOLA: &[u8] = b"Que calor que hace hoy, pinocho!\n";

fn served() -> (Served, Vec<u8>) {
    let big = data(3 << 20);
    (
        Served::new(&[("hola.txt", HOLA), ("big.bin", &big), ("empty", b"")]),
        big,
    )
}

#[test]
fn ls_prints_one_name_per_line() {
    let (served, _) = served();
    let out = ran(hftp(&served.addr()).arg("ls"));
    out.expect_code(0);
    assert_eq!(out.text(), "big.bin\nempty\nhola.txt\n");
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn ls_long_adds_aligned_sizes() {
    let (served, _) = served();
    let out = ran(hftp(&served.addr()).args(["ls", "-l"]));
    out.expect_code(0);
    assert_eq!(
        out.text(),
        "3145728 big.bin\n      0 empty\n     33 hola.txt\n"
    );
}

#[test]
fn stat_prints_sizes_and_refuses_missing_names() {
    let (served, _) = served();
    let out = ran(hftp(&served.addr()).args(["stat", "hola.txt", "nope", "empty"]));
    out.expect_code(4).one_error_line("202 FILE NOT FOUND");
    assert_eq!(out.text(), "33 hola.txt\n 0 empty\n");
}

#[test]
fn get_downloads_in_raw_and_in_base64() {
    let (served, big) = served();
    for form in [None, Some("--base64")] {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = ran(hftp(&served.addr())
            .current_dir(dir.path())
            .args(["get", "big.bin", "hola.txt", "empty"])
            .args(form));
        out.expect_code(0);
        assert!(
            out.stdout.is_empty() && out.stderr.is_empty(),
            "quiet in a pipe: {}",
            out.stderr
        );
        assert!(
            fs::read(dir.path().join("big.bin")).expect("big") == big,
            "{form:?}"
        );
        assert_eq!(fs::read(dir.path().join("hola.txt")).expect("hola"), HOLA);
        assert_eq!(fs::read(dir.path().join("empty")).expect("empty"), b"");
        assert_eq!(
            fs::read_dir(dir.path()).expect("dir").count(),
            3,
            "no .part left"
        );
    }
}

#[test]
fn get_a_range_to_a_file_and_to_stdout() {
    let (served, big) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    let args = [
        "get", "big.bin", "--offset", "1000", "--size", "70000", "-o", "piece",
    ];
    ran(hftp(&served.addr()).current_dir(dir.path()).args(args)).expect_code(0);
    assert!(fs::read(dir.path().join("piece")).expect("piece") == big[1000..71_000]);
    let out = ran(hftp(&served.addr()).args([
        "get", "hola.txt", "--offset", "4", "--size", "14", "-o", "-",
    ]));
    out.expect_code(0);
    assert_eq!(out.stdout, b"calor que hace");
    let out = ran(hftp(&served.addr()).args(["get", "hola.txt", "--offset", "30", "-o", "-"]));
    assert_eq!(
        out.expect_code(0).stdout,
        b"o!\n",
        "from the offset to the end"
    );
    let out = ran(hftp(&served.addr()).args([
        "get", "hola.txt", "--offset", "30", "--size", "4", "-o", "-",
    ]));
    out.expect_code(4).one_error_line("past the end");
    assert!(out.stdout.is_empty());
}

#[test]
fn get_to_stdout_writes_only_data_in_order() {
    let (served, big) = served();
    let out = ran(hftp(&served.addr()).args(["get", "hola.txt", "big.bin", "-o", "-"]));
    out.expect_code(0);
    assert!(out.stdout == [HOLA, &big].concat());
    assert!(out.stderr.is_empty());
}

#[test]
fn get_never_overwrites_without_force() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("hola.txt"), "mine").expect("write");
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "hola.txt"]));
    out.expect_code(6).one_error_line("--force");
    assert_eq!(
        fs::read(dir.path().join("hola.txt")).expect("read"),
        b"mine"
    );
    ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "hola.txt", "--force"]))
    .expect_code(0);
    assert_eq!(fs::read(dir.path().join("hola.txt")).expect("read"), HOLA);
}

#[test]
fn get_into_a_directory_it_creates() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "hola.txt", "empty", "-O", "sub/dir"]));
    out.expect_code(0);
    assert_eq!(
        fs::read(dir.path().join("sub/dir/hola.txt")).expect("read"),
        HOLA
    );
    assert!(dir.path().join("sub/dir/empty").exists());
}

#[test]
fn names_that_would_leave_the_directory_are_refused() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["../escape", "..", "/etc/passwd"] {
        let out = ran(hftp(&served.addr())
            .current_dir(dir.path())
            .args(["get", name]));
        out.expect_code(2).one_error_line("invalid file name");
    }
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn a_name_no_request_can_carry_is_refused_in_plain_words() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    // No request can carry the first two; the others, `get` refuses to
    // save (`stat` asks, and the server answers 201).
    let both: &[&str] = &["get", "stat"];
    for (name, reason, commands) in [
        ("mi archivo.txt", "HFTP file names cannot hold spaces", both),
        (
            "a\rb",
            "cannot hold line ends or other control characters",
            both,
        ),
        ("sub/x.txt", "a file name cannot hold '/'", &["get"]),
        ("..", "'.' and '..' are folders, not files", &["get"]),
    ] {
        for &command in commands {
            let out = ran(hftp(&served.addr())
                .current_dir(dir.path())
                .args([command, name]));
            out.expect_code(2).one_error_line(reason);
            assert!(!out.stderr.contains("rule"), "no jargon: {}", out.stderr);
        }
    }
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn continue_resumes_a_part_file_from_its_length() {
    let (served, big) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("big.bin.part"), &big[..1_000_001]).expect("part");
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "-c", "big.bin"]));
    out.expect_code(0)
        .one_error_line("resuming at byte 1000001");
    assert!(fs::read(dir.path().join("big.bin")).expect("read") == big);
    assert!(!dir.path().join("big.bin.part").exists());
}

#[test]
fn parallel_fetches_ranges_over_several_connections() {
    let big = data(9 << 20);
    let served = Served::new(&[("big.bin", &big)]);
    let dir = tempfile::tempdir().expect("tempdir");
    for (args, out) in [
        (&["--parallel", "4"][..], "a"),
        (&["--parallel", "3", "--base64"], "b"),
    ] {
        let run = ran(hftp(&served.addr())
            .current_dir(dir.path())
            .args(["get", "big.bin", "-o", out])
            .args(args));
        run.expect_code(0);
        assert!(
            fs::read(dir.path().join(out)).expect("read") == big,
            "{args:?}"
        );
    }
    fs::write(dir.path().join("c.part"), &big[..2_500_000]).expect("part");
    let run = ran(hftp(&served.addr()).current_dir(dir.path()).args([
        "get",
        "big.bin",
        "-o",
        "c",
        "-c",
        "--parallel",
        "4",
    ]));
    run.expect_code(0);
    assert!(fs::read(dir.path().join("c")).expect("read") == big);
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn a_closed_stdout_is_success() {
    let (served, _) = served();
    let mut child = clean_command(HFTP_BIN)
        .args(["-s", &served.addr(), "get", "big.bin", "-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0; 1];
    stdout.read_exact(&mut first).expect("a first byte");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stderr.is_empty());
}

#[test]
fn exit_codes_tell_what_failed() {
    let (served, _) = served();
    let free = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    ran(hftp(&free.to_string()).arg("ls"))
        .expect_code(3)
        .one_error_line("cannot connect");
    ran(hftp(&served.addr()).args(["get", "nope", "-o", "-"]))
        .expect_code(4)
        .one_error_line("202 FILE NOT FOUND");
    ran(hftp(&served.addr()).args(["ls", "--bogus"]))
        .expect_code(2)
        .one_error_line("hftp: unexpected argument '--bogus' found (see --help)");
    ran(hftp(&served.addr()).arg("get"))
        .expect_code(2)
        .one_error_line("required arguments were not provided: <NAME>...");
    ran(hftp(&served.addr()).args(["get", "a", "b", "-o", "x"]))
        .expect_code(2)
        .one_error_line("-o takes one NAME");
    ran(hftp(&served.addr()).args(["get", "a", "--offset", "3"])).expect_code(2);
    ran(hftp("::1:80:x").arg("ls")).expect_code(2);
    let help = ran(hftp(&served.addr()).arg("--help"));
    assert!(help.expect_code(0).text().contains("130  interrupted"));
}

#[test]
fn the_server_comes_from_hftp_server_or_an_ipv6_literal() {
    let served = Served::on("::1", &[("hola.txt", HOLA)]);
    let port = served.server.local_addr().port();
    let mut command = hftp_bare();
    command
        .env("HFTP_SERVER", format!("[::1]:{port}"))
        .arg("ls");
    assert_eq!(ran(&mut command).expect_code(0).text(), "hola.txt\n");
    let out = ran(hftp(&format!("[::1]:{port}")).args(["stat", "hola.txt"]));
    assert_eq!(out.expect_code(0).text(), "33 hola.txt\n");
}

#[test]
fn shell_reads_commands_from_stdin_without_prompts() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    let script = "ls\n\n# a comment\nstat hola.txt\nhola.txt\nget empty -O sub\nquit\nls\n";
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .arg("shell")
        .write_stdin(script));
    out.expect_code(0);
    assert_eq!(out.text(), "big.bin\nempty\nhola.txt\n33 hola.txt\n");
    assert!(
        out.stderr.is_empty(),
        "no prompt, no banner: {:?}",
        out.stderr
    );
    assert_eq!(fs::read(dir.path().join("hola.txt")).expect("read"), HOLA);
    assert!(dir.path().join("sub/empty").exists());
}

#[test]
fn shell_lines_are_split_as_a_posix_shell_splits_them() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    let script =
        "get 'hola.txt' -O \"sub dir\"\nget \"mi archivo.txt\"\nstat hola\\.txt\nget \"open\n";
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .arg("shell")
        .write_stdin(script));
    assert_eq!(
        fs::read(dir.path().join("sub dir/hola.txt")).expect("read"),
        HOLA
    );
    assert_eq!(out.text(), "33 hola.txt\n");
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(
        errors[0].contains("\"mi archivo.txt\": HFTP file names cannot hold spaces"),
        "{}",
        out.stderr
    );
    assert!(
        errors[1].contains("a quote is not closed"),
        "{}",
        out.stderr
    );
    out.expect_code(2);
}

#[test]
fn a_mistyped_command_or_option_gets_a_suggestion() {
    ran(hftp("127.0.0.1:1").arg("lss"))
        .expect_code(2)
        .one_error_line("did you mean `ls`?");
    ran(hftp("127.0.0.1:1").args(["get", "--forse", "x"]))
        .expect_code(2)
        .one_error_line("did you mean `--force`?");
    let (served, _) = served();
    let out = ran(hftp(&served.addr())
        .arg("shell")
        .write_stdin("lss\nstatt hola.txt\nclear\nls\n"));
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(
        errors[0].ends_with("unknown command `lss`: did you mean `ls`?"),
        "{}",
        out.stderr
    );
    assert!(
        errors[1].ends_with("did you mean `stat`?"),
        "{}",
        out.stderr
    );
    assert_eq!(
        out.text(),
        "big.bin\nempty\nhola.txt\n",
        "clear writes nothing off a terminal"
    );
    out.expect_code(2);
}

#[test]
fn shell_goes_on_after_errors_and_exits_with_the_first() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    let script = "stat nope\nfrobnicate --now\nls\n";
    let out = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .arg("shell")
        .write_stdin(script));
    out.expect_code(4);
    assert_eq!(out.text(), "big.bin\nempty\nhola.txt\n");
    assert_eq!(out.stderr.lines().count(), 2, "{}", out.stderr);
}

#[test]
fn completions_and_the_manual_page_come_from_the_command_line() {
    for (shell, marker) in [
        ("bash", "_hftp()"),
        ("zsh", "#compdef hftp"),
        ("fish", "complete -c hftp"),
    ] {
        let out = ran(hftp("localhost:1").args(["completions", shell]));
        let script = out.expect_code(0).text();
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(
            script.contains("parallel") && script.contains("check"),
            "{shell}"
        );
    }
    let man = ran(hftp("localhost:1").arg("man"));
    let page = man.expect_code(0).text();
    assert!(
        page.contains(".TH hftp 1") && page.contains("completions"),
        "{page}"
    );
    ran(hftp("localhost:1").args(["completions", "tcsh"]))
        .expect_code(2)
        .one_error_line("invalid value 'tcsh'");
}

#[test]
fn every_manual_page_the_main_page_cites_exists_with_its_options() {
    let main = ran(hftp("localhost:1").arg("man")).expect_code(0).text();
    let cited: Vec<&str> = main
        .split("hftp\\-")
        .skip(1)
        .filter_map(|rest| rest.split_once("(1)").map(|(name, _)| name))
        .collect();
    assert!(
        cited.contains(&"get") && cited.contains(&"check"),
        "{cited:?}"
    );
    for name in &cited {
        let page = ran(hftp("localhost:1").args(["man", name]))
            .expect_code(0)
            .text();
        assert!(
            page.contains(&format!(".TH hftp-{name} 1")),
            "{name}: {page:.300}"
        );
    }
    let get = ran(hftp("localhost:1").args(["man", "get"]))
        .expect_code(0)
        .text();
    assert!(
        get.contains("\\-\\-continue") && get.contains("\\-\\-parallel"),
        "{get}"
    );
    ran(hftp("localhost:1").args(["man", "gett"]))
        .expect_code(2)
        .one_error_line("no manual page for `gett`");
    // All of them at once, for a package or a MANPATH.
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = dir.path().join("man1");
    ran(hftp("localhost:1").args(["man", "--dir"]).arg(&pages)).expect_code(0);
    let mut written: Vec<String> = fs::read_dir(&pages)
        .expect("the pages")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    written.sort();
    // Each cited page, and the pages of bench's own subcommands.
    for name in cited.iter().map(|name| format!("hftp-{name}.1")) {
        assert!(written.contains(&name), "{name}: {written:?}");
    }
    for name in ["hftp.1", "hftp-bench-slice.1"] {
        assert!(
            written.iter().any(|page| page == name),
            "{name}: {written:?}"
        );
    }
}

#[test]
fn the_server_may_be_given_as_an_hftp_url() {
    let (served, _) = served();
    let port = served.server.local_addr().port();
    for url in [
        format!("hftp://127.0.0.1:{port}"),
        format!("hftp://127.0.0.1:{port}/"),
    ] {
        let out = ran(hftp(&url).arg("ls"));
        assert_eq!(
            out.expect_code(0).text(),
            "big.bin\nempty\nhola.txt\n",
            "{url}"
        );
    }
    ran(hftp(&format!("http://127.0.0.1:{port}")).arg("ls"))
        .expect_code(2)
        .one_error_line("only hftp:// URLs");
    ran(hftp(&format!("hftp://127.0.0.1:{port}/hola.txt")).arg("ls"))
        .expect_code(2)
        .one_error_line("a path after the port");
}

#[test]
fn errors_in_hftp_server_name_it_and_an_empty_one_means_the_default() {
    let mut command = hftp_bare();
    command.env("HFTP_SERVER", "host:port").args(["ls"]);
    ran(&mut command)
        .expect_code(2)
        .one_error_line("hftp: HFTP_SERVER: invalid server address \"host:port\"");
    // An empty HFTP_SERVER means the default, localhost:19500: no usage
    // error. A command that reaches no server shows it, since a test may
    // not talk to whatever listens on 19500.
    let mut command = hftp_bare();
    command.env("HFTP_SERVER", "").args(["check", "--list"]);
    let out = ran(&mut command);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn help_says_what_hftp_does_and_shows_examples_and_global_options_apart() {
    let help = ran(hftp("localhost:1").arg("-h"));
    let help = help.expect_code(0).text();
    assert!(
        help.starts_with("Lists and downloads files from an HFTP server"),
        "{help}"
    );
    for command in ["ls", "stat", "get", "shell", "check", "bench"] {
        let help = ran(hftp("localhost:1").args([command, "--help"]));
        let help = help.expect_code(0).text();
        let global = help
            .find("Global options:")
            .unwrap_or_else(|| panic!("{help}"));
        let timeout = help.find("--timeout").unwrap_or_else(|| panic!("{help}"));
        assert!(global < timeout, "--timeout is a global option: {help}");
        assert!(help.contains("Examples:\n  hftp "), "{command}: {help}");
    }
    let help = ran(hftp("localhost:1").args(["get", "--help"]));
    assert!(
        help.text().contains("1 to 64"),
        "--parallel's range: {}",
        help.text()
    );
}

#[test]
fn an_offset_past_the_end_says_so() {
    let (served, _) = served();
    let dir = tempfile::tempdir().expect("tempdir");
    for output in ["-", "piece"] {
        let out = ran(hftp(&served.addr())
            .current_dir(dir.path())
            .args(["get", "hola.txt", "--offset", "40", "-o", output]));
        out.expect_code(4)
            .one_error_line("hftp: offset 40 is past the end of the file (33 bytes)");
    }
}

#[test]
fn tests_run_hftp_only_through_the_helpers_that_clear_the_environment() {
    // A test that ran the binary itself would inherit HFTP_SERVER or a
    // proxy of the person running the tests, and could talk to their
    // server (the README's, on 19500). The needle is split so that this
    // file does not match it.
    let needle = concat!("CARGO_BIN_EXE_", "hftp\"");
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut offenders = Vec::new();
    let mut dirs = vec![tests.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("a tests folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs")
                && path != tests.join("common/mod.rs")
                && fs::read_to_string(&path).is_ok_and(|text| text.contains(needle))
            {
                offenders.push(path);
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "run hftp through common::hftp, hftp_bare or clean_command: {offenders:?}"
    );
}
