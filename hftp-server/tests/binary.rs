//! The binary: its command line, its startup line, its errors, signals,
//! and the unreadable-file case, which needs a process without root's
//! power to read anything.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::Stdio;

use crate::common::{BIN, Client, Process, Reply, metadata, raw_slice, server, slice};
use assert_cmd::Command as AssertCommand;
use hftp_proto::{Code, Request};

/// The binary run to its end with `args`; returns (status code, stderr).
fn run_to_end(args: &[&str]) -> (Option<i32>, String) {
    let output = AssertCommand::from_std(server())
        .args(args)
        .timeout(crate::common::HANG)
        .output()
        .expect("the binary runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts a failure with exactly one line on stderr holding `needle`.
fn assert_one_line_error(args: &[&str], needle: &str) {
    let (code, stderr) = run_to_end(args);
    assert!(
        code.is_some_and(|code| code != 0),
        "{args:?} exited {code:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "{args:?} printed {stderr:?}");
    assert!(stderr.contains(needle), "{args:?} printed {stderr:?}");
    assert!(stderr.starts_with("hftp-server: "), "{stderr:?}");
}

#[test]
fn port_0_is_announced_with_version_directory_and_address() {
    let dir = tempfile::tempdir().expect("a directory");
    let path = dir.path().to_str().expect("a UTF-8 path");
    let mut server = Process::start(BIN, &["-d", path, "-a", "127.0.0.1", "-p", "0"]);
    assert!(
        server.announced.contains(env!("CARGO_PKG_VERSION")),
        "{}",
        server.announced
    );
    assert!(server.announced.contains(path), "{}", server.announced);
    assert_ne!(server.addr.port(), 0);
    let mut client = Client::connect(server.addr);
    assert_eq!(client.ask(&Request::FileListing), Reply::Names(vec![]));
    server.signal(rustix::process::Signal::TERM);
    client.expect_eof();
    assert_eq!(server.wait(), Some(0));
}

#[test]
fn the_course_kits_datadir_spelling_and_a_relative_directory() {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::create_dir(dir.path().join("testdata")).expect("testdata");
    std::fs::write(dir.path().join("testdata").join("a"), "abc").expect("a file");
    let mut child = server()
        .args(["--datadir", "testdata", "-a", "127.0.0.1", "-p", "0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a line");
    let absolute = dir.path().join("testdata");
    assert!(line.contains(absolute.to_str().expect("UTF-8")), "{line}");
    let addr: SocketAddr = line
        .trim_end()
        .rsplit(' ')
        .next()
        .and_then(|a| a.parse().ok())
        .expect("an address");
    assert_eq!(Client::connect(addr).ask(&metadata("a")), Reply::Size(3));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn bad_flags_are_one_line_and_a_non_zero_exit() {
    assert_one_line_error(&["--no-such-flag"], "--no-such-flag");
    assert_one_line_error(&["-p", "99999"], "99999");
    assert_one_line_error(&["--max-connections", "0"], "0");
    assert_one_line_error(&["--idle-timeout", "soon"], "soon");
    assert_one_line_error(&["-a", "not-an-address"], "not-an-address");
}

#[test]
fn help_and_version_succeed() {
    let (code, _) = run_to_end(&["--help"]);
    assert_eq!(code, Some(0));
    let output = AssertCommand::from_std(server())
        .arg("--version")
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&output.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_missing_directory_is_one_line_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().expect("a directory");
    let missing = dir.path().join("missing");
    let missing = missing.to_str().expect("UTF-8");
    assert_one_line_error(&["-d", missing, "-p", "0"], missing);
    let file = dir.path().join("file");
    std::fs::write(&file, "").expect("a file");
    assert_one_line_error(
        &["-d", file.to_str().expect("UTF-8"), "-p", "0"],
        "cannot serve",
    );
}

#[test]
fn a_port_in_use_is_one_line_and_a_non_zero_exit() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("its address").port().to_string();
    assert_one_line_error(&["-a", "127.0.0.1", "-p", &port], "cannot listen");
}

#[test]
fn an_address_not_on_this_machine_is_one_line_and_a_non_zero_exit() {
    // TEST-NET-1 (RFC 5737): never assigned to a local interface.
    assert_one_line_error(&["-a", "192.0.2.1", "-p", "0"], "192.0.2.1");
}

#[test]
fn sigint_stops_gracefully_and_a_second_signal_exits_at_once() {
    let dir = tempfile::tempdir().expect("a directory");
    crate::common::sparse(&dir.path().join("big"), 1 << 30);
    let path = dir.path().to_str().expect("UTF-8");
    let mut server = Process::start(
        BIN,
        &["-d", path, "-a", "127.0.0.1", "-p", "0", "--grace", "600"],
    );
    let mut client = Client::connect(server.addr);
    // A transfer the client does not read keeps the server in its grace.
    client.send(&raw_slice("big", 0, 1 << 30));
    client.expect_bytes(b"0 OK\r\n");
    server.signal(rustix::process::Signal::INT);
    // New clients are refused once the first signal is handled.
    crate::common::wait_for(
        || std::net::TcpStream::connect(server.addr).is_err(),
        "the listener to close",
    );
    server.signal(rustix::process::Signal::INT);
    assert_eq!(server.wait(), Some(130));
}

#[test]
fn an_unreadable_file_is_listed_has_a_size_and_its_slice_is_199() {
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("secret");
    std::fs::write(&file, "top secret").expect("a file");
    std::fs::write(dir.path().join("open"), "open").expect("a file");
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod 000");
    let path = dir.path().to_str().expect("UTF-8");
    let args = ["-d", path, "-a", "127.0.0.1", "-p", "0"];
    let server = if rustix::process::geteuid().is_root() {
        // Root reads anything: run the server without the capabilities that
        // let it, so that the permission bits count.
        let Some(setpriv) = find_program("setpriv") else {
            eprintln!("note: running as root without setpriv: the 199 case is not checked");
            return;
        };
        let mut with_setpriv = vec!["--bounding-set=-dac_override,-dac_read_search", BIN];
        with_setpriv.extend(args);
        Process::start(setpriv.to_str().expect("UTF-8"), &with_setpriv)
    } else {
        Process::start(BIN, &args)
    };
    let mut client = Client::connect(server.addr);
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Names(vec!["open".into(), "secret".into()])
    );
    assert_eq!(client.ask(&metadata("secret")), Reply::Size(10));
    assert_eq!(
        client.ask(&slice("open", 0, 4)),
        Reply::Body(b"open".to_vec())
    );
    client.send_raw(b"get_slice secret 0 1\r\n");
    client.expect_bytes(b"199 INTERNAL SERVER ERROR\r\n");
    client.expect_eof();
    let mut client = Client::connect(server.addr);
    assert_eq!(
        client.ask(&raw_slice("secret", 0, 1)),
        Reply::Status(Code::InternalError)
    );
}

/// A program on the `PATH`.
fn find_program(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| Path::new(candidate).is_file())
}

#[test]
fn out_of_descriptors_open_answers_199_and_accept_backs_off() {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(dir.path().join("a"), "abc").expect("a file");
    let path = dir.path().to_str().expect("UTF-8");
    let server = Process::start(BIN, &["-d", path, "-a", "127.0.0.1", "-p", "0"]);
    // Leave the server room for exactly two more descriptors.
    let pid = rustix::process::Pid::from_child(&server.child);
    let fds =
        std::fs::read_dir(format!("/proc/{}/fd", server.child.id())).expect("its descriptors");
    let open: Vec<u64> = fds
        .filter_map(|fd| fd.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    // The lowest limit under which exactly two descriptor numbers are free.
    let free_below = |limit: u64| limit - open.iter().filter(|&&fd| fd < limit).count() as u64;
    let limit = (1..)
        .find(|&limit| free_below(limit) == 2)
        .expect("a limit");
    let rlimit = rustix::process::Rlimit {
        current: Some(limit),
        maximum: Some(limit),
    };
    rustix::process::prlimit(Some(pid), rustix::process::Resource::Nofile, rlimit)
        .expect("a lower limit");

    // A blocked `accept` holds a descriptor number of its own (Linux
    // allocates it before waiting): two clients take everything.
    let help = Reply::Names(
        hftp_proto::Command::ALL
            .map(|command| command.name().to_owned())
            .to_vec(),
    );
    let mut first = Client::connect(server.addr);
    assert_eq!(first.ask(&Request::Help), help);
    let mut second = Client::connect(server.addr);
    assert_eq!(second.ask(&Request::Help), help);
    // The next client waits in the backlog while `accept` backs off.
    let mut third = Client::connect(server.addr);
    third.send(&Request::Help);
    // No descriptor is left to open the directory or the file.
    first.send_raw(b"get_slice a 0 3\r\n");
    first.expect_bytes(b"199 INTERNAL SERVER ERROR\r\n");
    first.expect_eof();
    // That freed one: `accept` takes the waiting client, which is served.
    assert_eq!(third.reply(), Ok(help.clone()));
    assert_eq!(second.ask(&Request::Help), help);
}

#[test]
fn a_slice_log_line_says_the_range_so_a_resume_shows() {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(dir.path().join("big.bin"), vec![7; 10_000]).expect("a file");
    let dir_arg = dir.path().to_str().expect("a UTF-8 path");
    let server = Process::start_logged(BIN, &["-d", dir_arg, "-p", "0", "-a", "127.0.0.1"]);
    let mut client = Client::connect(server.addr);
    assert!(matches!(
        client.ask(&slice("big.bin", 4096, 100)),
        Reply::Body(_)
    ));
    assert!(matches!(
        client.ask(&raw_slice("big.bin", 0, 10)),
        Reply::Body(_)
    ));
    // A slice's line is logged once its reply is sent, before the next
    // request is read: the answer to one more says both were.
    assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
    let logged = server.log();
    let logged: Vec<&str> = logged
        .lines()
        .filter(|line| line.contains("get_slice"))
        .collect();
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert!(
        logged[0].contains("get_slice \"big.bin\" 0 ")
            && logged[0].ends_with(" offset 4096 size 100"),
        "{logged:?}"
    );
    assert!(logged[1].ends_with(" offset 0 size 10 raw"), "{logged:?}");
}

#[test]
fn entries_not_served_are_summed_up_at_start_and_named_when_listed() {
    let root = tempfile::tempdir().expect("a directory");
    let dir = root.path().join("served");
    std::fs::create_dir_all(dir.join("sub")).expect("a subfolder");
    std::fs::write(dir.join("hola.txt"), "hola\n").expect("a file");
    std::fs::write(dir.join("mi archivo.txt"), "x").expect("a spaced name");
    std::fs::write(root.path().join("secret"), "x").expect("a file outside");
    std::os::unix::fs::symlink(root.path().join("secret"), dir.join("fuera")).expect("a link out");
    std::os::unix::fs::symlink("nada", dir.join("colgante")).expect("a dangling link");
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    let server = Process::start_logged(BIN, &["-d", dir_arg, "-p", "0", "-a", "127.0.0.1"]);
    let mut client = Client::connect(server.addr);
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Names(vec!["hola.txt".into()])
    );
    // Both lines were written before the reply was.
    let logged = server.log();
    let line = |needle: &str| {
        logged
            .lines()
            .find(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} in {logged}"))
            .to_owned()
    };
    let summary = line("not served");
    let warning = line("not listed:");
    for part in [
        "4 entries of ",
        "are not served: ",
        "1 folder (sub)",
        "1 name with a space (\"mi archivo.txt\")",
        "1 link out of the directory (\"fuera\")",
        "1 link to nothing (\"colgante\")",
    ] {
        assert!(summary.contains(part), "{part:?} in {summary}");
    }
    assert!(warning.contains("WARN"), "{warning}");
    assert!(
        warning.contains("not listed: \"mi archivo.txt\": a name with a space cannot be asked for"),
        "{warning}"
    );
}

#[test]
fn log_times_are_utc_unless_local_time_is_asked() {
    let dir = tempfile::tempdir().expect("a directory");
    let dir_arg = dir.path().to_str().expect("a UTF-8 path");
    let base = ["-d", dir_arg, "-p", "0", "-a", "127.0.0.1", "-v"];
    // A zone three hours behind UTC, as POSIX writes it: no time zone
    // database needed.
    let zone = [("TZ", "ART3")];
    for (flag, offset) in [(None, "Z"), (Some("utc"), "Z"), (Some("local"), "-03:00")] {
        let mut args = base.to_vec();
        if let Some(flag) = flag {
            args.extend(["--log-time", flag]);
        }
        let server = Process::start_logged_in(BIN, &args, &zone);
        let mut client = Client::connect(server.addr);
        assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
        let logged = server.log();
        assert!(!logged.is_empty());
        for line in logged.lines() {
            let stamp = line.split(' ').next().unwrap_or_default();
            // 2026-12-07T00:45:12.123Z or 2026-12-06T21:45:12.123-03:00
            let (clock, zone) = stamp.split_at(stamp.len().min(23));
            assert!(
                clock.len() == 23 && clock.as_bytes()[10] == b'T' && zone == offset,
                "--log-time {flag:?}: {line}"
            );
        }
    }
}

#[test]
fn names_left_out_of_a_listing_are_warned_of_a_few_at_a_time() {
    let dir = tempfile::tempdir().expect("a directory");
    for index in 0..40 {
        std::fs::write(dir.path().join(format!("con espacio {index:02}")), "").expect("a name");
    }
    let dir_arg = dir.path().to_str().expect("a UTF-8 path");
    let server = Process::start_logged(BIN, &["-d", dir_arg, "-p", "0", "-a", "127.0.0.1"]);
    let mut client = Client::connect(server.addr);
    for _ in 0..3 {
        assert_eq!(client.ask(&Request::FileListing), Reply::Names(vec![]));
    }
    let logged = server.log();
    let named = logged
        .lines()
        .filter(|line| line.contains("not listed: \""))
        .count();
    let rest: Vec<&str> = logged
        .lines()
        .filter(|line| line.contains("not listed: 30 more names"))
        .collect();
    // Ten names, then one line for the thirty others; nothing the second
    // and third time.
    assert_eq!((named, rest.len()), (10, 1), "{logged}");
    assert!(rest[0].contains("WARN"), "{logged}");
}
