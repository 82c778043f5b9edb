//! Downloads a user can trust: a resume never splices bytes it could not
//! check, an interrupted connection is retried and resumed, and an
//! output that is not a regular file is written in place, never replaced.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::common::{
    Act, HFTP_BIN, Scripted, Served, assert_absent, base64_line, clean_command, course_reply, data,
    hftp, ran, serve_connection,
};

/// A course server for one file `f` whose `get_slice` replies longer
/// than `cut` bytes are cut after `cut` bytes and the connection closed,
/// the first `cuts` times; other slices are whole.
fn cutting_server(file: Vec<u8>, cut: usize, cuts: usize) -> Scripted {
    let cut_so_far = AtomicUsize::new(0);
    Scripted::start(move |line| {
        cut_reply(&file, line, cut, || {
            cut_so_far.fetch_add(1, Ordering::SeqCst) < cuts
        })
    })
}

/// The reply of a course server for `f` to `line`; a slice longer than
/// `cut` bytes is cut after `cut` bytes and the connection closed if
/// `cut_now()` says so. `cut` is a multiple of 3: whole base64 groups.
fn cut_reply(file: &[u8], line: &str, cut: usize, cut_now: impl FnOnce() -> bool) -> Act {
    let words: Vec<&str> = line.split(' ').collect();
    let ["get_slice", _, offset, size] = words.as_slice() else {
        return course_reply(&[("f", file)], line);
    };
    let (offset, size): (usize, usize) = (offset.parse().unwrap_or(0), size.parse().unwrap_or(0));
    let Some(body) = file.get(offset..offset + size) else {
        return Act::Reply(b"203 OFFSET EXCEEDS FILE SIZE\r\n".to_vec());
    };
    let whole = [&b"0 OK\r\n"[..], &base64_line(body)].concat();
    if size > cut && cut_now() {
        Act::Close(whole[..6 + cut / 3 * 4].to_vec())
    } else {
        Act::Reply(whole)
    }
}

/// A server for `f` that goes away in the middle of its first slice
/// body, refuses connections for a moment (its port closed), then comes
/// back on the same port and serves everything: a restart.
fn restarting_server(file: Vec<u8>) -> SocketAddr {
    let first = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = first.local_addr().expect("address");
    thread::spawn(move || {
        let (seen, _requests) = mpsc::channel();
        if let Ok((stream, _)) = first.accept() {
            let _ = serve_connection(
                stream,
                &|line| cut_reply(&file, line, 30_000, || true),
                &seen,
            );
        }
        drop(first);
        thread::sleep(Duration::from_millis(700));
        let again = TcpListener::bind(addr).expect("the same port again");
        for stream in again.incoming().flatten() {
            let (file, seen) = (file.clone(), seen.clone());
            thread::spawn(move || {
                serve_connection(stream, &|line| cut_reply(&file, line, 0, || false), &seen)
            });
        }
    });
    addr
}

/// A course server for one file, every slice whole.
fn whole_server(file: Vec<u8>) -> Scripted {
    cutting_server(file, 0, 0)
}

/// Runs `hftp ARGS` against the server at `addr`, in `dir`.
fn get_in(addr: &str, dir: &Path, args: &[&str]) -> crate::common::Ran {
    ran(hftp(addr).current_dir(dir).args(args))
}

/// Leaves `dir/f.part` holding the first 3000 bytes of `file`, as a
/// download cut off by its server does.
fn leave_part(dir: &Path, file: &[u8]) {
    let server = cutting_server(file.to_vec(), 3000, usize::MAX);
    let run = ran(hftp(&server.addr())
        .current_dir(dir)
        .args(["get", "f", "--retry", "0"]));
    run.expect_code(8);
    assert!(fs::read(dir.join("f.part")).expect("f.part") == file[..3000]);
}

#[test]
fn a_resume_after_the_file_changed_is_refused_and_keeps_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = data(30_000);
    leave_part(dir.path(), &before);
    let mut after = before;
    after[2500] ^= 0xff;
    let server = whole_server(after);
    let run = get_in(&server.addr(), dir.path(), &["get", "-c", "f"]);
    run.expect_code(9).one_error_line("changed on the server");
    assert_absent(dir.path(), "f");
    assert_absent(dir.path(), "f.part");
}

#[test]
fn a_resume_after_the_file_changed_can_start_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = data(30_000);
    leave_part(dir.path(), &before);
    let after: Vec<u8> = before.iter().map(|b| b.wrapping_add(1)).collect();
    let server = whole_server(after.clone());
    let run = ran(hftp(&server.addr()).current_dir(dir.path()).args([
        "get",
        "-c",
        "--restart-if-changed",
        "f",
    ]));
    run.expect_code(0);
    assert!(run.stderr.contains("started over"), "{}", run.stderr);
    assert!(fs::read(dir.path().join("f")).expect("f") == after);
}

#[test]
fn a_resume_checks_the_bytes_before_the_resume_point() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = data(30_000);
    leave_part(dir.path(), &file);
    let server = whole_server(file.clone());
    let run = get_in(&server.addr(), dir.path(), &["get", "-c", "f"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("resuming at byte 3000"),
        "{}",
        run.stderr
    );
    assert!(fs::read(dir.path().join("f")).expect("f") == file);
    let slices: Vec<String> = server
        .requests
        .try_iter()
        .filter(|r| r.starts_with("get_slice"))
        .collect();
    assert_eq!(slices, ["get_slice f 0 3000", "get_slice f 3000 27000"]);
}

#[test]
fn continue_on_a_complete_output_is_already_done() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = data(5000);
    fs::write(dir.path().join("f"), &file).expect("f");
    let server = whole_server(file.clone());
    let run = get_in(&server.addr(), dir.path(), &["get", "-c", "f"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("already fully retrieved"),
        "{}",
        run.stderr
    );
    // A different file of the same size is not "already retrieved".
    let other: Vec<u8> = file.iter().map(|b| !b).collect();
    let server = whole_server(other);
    get_in(&server.addr(), dir.path(), &["get", "-c", "f"]).expect_code(6);
    assert!(fs::read(dir.path().join("f")).expect("f") == file);
}

#[test]
fn a_connection_cut_mid_body_is_retried_and_resumed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = data(40_000);
    let server = cutting_server(file.clone(), 9000, 2);
    let run = get_in(&server.addr(), dir.path(), &["get", "f"]);
    run.expect_code(0);
    assert!(fs::read(dir.path().join("f")).expect("f") == file);
    let retries: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(retries.len(), 2, "{}", run.stderr);
    assert!(
        retries[0].contains("the server closed the connection") && retries[0].contains("(1/"),
        "{}",
        run.stderr
    );
    for word in ["protocol violation", "more replies"] {
        assert!(!run.stderr.contains(word), "{}", run.stderr);
    }
}

#[test]
fn without_retries_a_cut_connection_is_exit_8_and_the_part_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = data(30_000);
    let server = cutting_server(file.clone(), 3000, usize::MAX);
    let run = get_in(&server.addr(), dir.path(), &["get", "f", "--retry", "2"]);
    run.expect_code(8);
    assert!(run.stderr.contains("(2/2)"), "{}", run.stderr);
    assert!(
        run.stderr
            .lines()
            .last()
            .is_some_and(|l| l.contains("f.part is kept")),
        "{}",
        run.stderr
    );
    assert_absent(dir.path(), "f");
    // The first retry went on from the bytes the first attempt left; the
    // second was cut while checking them, and wrote nothing.
    assert!(fs::read(dir.path().join("f.part")).expect("part") == file[..6000]);
}

#[test]
fn a_server_restarted_mid_download_is_waited_for() {
    let file = data(200_000);
    let addr = restarting_server(file.clone());
    let dir = tempfile::tempdir().expect("tempdir");
    let run = ran(hftp(&addr.to_string())
        .current_dir(dir.path())
        .args(["get", "f"]));
    run.expect_code(0);
    assert!(fs::read(dir.path().join("f")).expect("f") == file);
    assert!(
        run.stderr
            .contains("the server closed the connection after 29.3 KiB"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("retrying"), "{}", run.stderr);
}

#[test]
fn parallel_falls_back_to_the_connections_the_server_allows() {
    let file = data(8 << 20);
    let served = Served::with(&[("f", &file)], |config| config.max_connections(2));
    let dir = tempfile::tempdir().expect("tempdir");
    let run = get_in(&served.addr(), dir.path(), &["get", "f", "--parallel", "8"]);
    run.expect_code(0);
    assert!(fs::read(dir.path().join("f")).expect("f") == file);
}

#[test]
fn parallel_goes_on_without_a_connection_that_is_never_served() {
    let file = data(8 << 20);
    let served = Served::with(&[("f", &file)], |config| config.sequential(true));
    let dir = tempfile::tempdir().expect("tempdir");
    let run = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "f", "--parallel", "4"])
        .timeout(Duration::from_secs(25)));
    run.expect_code(0);
    assert!(fs::read(dir.path().join("f")).expect("f") == file);
    // Said once, not left as a silent slowdown.
    run.one_error_line(
        "f: 3 more connections were not served within 2 s (a server of one client at a time?); going on with 1",
    );
}

#[test]
fn a_fifo_output_is_written_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo");
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from(0o600)).expect("mkfifo");
    let file = data(100_000);
    let served = Served::new(&[("f", &file)]);
    let reader = {
        let fifo = fifo.clone();
        thread::spawn(move || fs::read(fifo).expect("read the fifo"))
    };
    let run = ran(hftp(&served.addr())
        .arg("get")
        .arg("f")
        .arg("-o")
        .arg(&fifo));
    run.expect_code(0);
    assert!(reader.join().expect("reader") == file);
    let kind = fs::symlink_metadata(&fifo).expect("fifo").file_type();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind));
    assert_absent(dir.path(), "fifo.part");
}

#[test]
fn a_character_device_output_is_written_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let null = dir.path().join("null");
    let made = rustix::fs::mknodat(
        rustix::fs::CWD,
        &null,
        rustix::fs::FileType::CharacterDevice,
        rustix::fs::Mode::from(0o666),
        rustix::fs::makedev(1, 3),
    );
    if made.is_err() {
        eprintln!("skipped: cannot create a device node here ({made:?})");
        return;
    }
    let served = Served::new(&[("f", &data(5000))]);
    for force in [false, true] {
        let mut command = hftp(&served.addr());
        command.arg("get").arg("f").arg("-o").arg(&null);
        if force {
            command.arg("-f");
        }
        ran(&mut command).expect_code(0);
        let kind = fs::symlink_metadata(&null).expect("node").file_type();
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(&kind));
    }
}

#[test]
fn a_huge_listing_streams_in_bounded_memory() {
    // 1 048 576 names of 60 bytes: 64 MiB on the wire.
    const NAMES: usize = 1 << 20;
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut line = [0u8; 64];
        let _ = stream.read(&mut line);
        let mut reply = b"0 OK\r\n".to_vec();
        for index in 0..NAMES {
            reply.extend_from_slice(format!("{index:0>60}\r\n").as_bytes());
            if reply.len() > 1 << 20 {
                if stream.write_all(&reply).is_err() {
                    return;
                }
                reply.clear();
            }
        }
        reply.extend_from_slice(b"\r\n");
        let _ = stream.write_all(&reply);
        let _ = stream.read(&mut line);
    });
    let mut child = clean_command(HFTP_BIN)
        .args(["-s", &addr.to_string(), "ls"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("hftp runs");
    let pid = child.id();
    let stdout = child.stdout.take().expect("stdout");
    let counter =
        thread::spawn(move || std::io::BufRead::lines(std::io::BufReader::new(stdout)).count());
    let mut peak_kib = 0;
    while child.try_wait().expect("wait").is_none() {
        peak_kib = peak_kib.max(rss_kib(pid).unwrap_or(0));
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(counter.join().expect("counter"), NAMES);
    assert!(child.wait().expect("exit").success());
    assert!(
        peak_kib < 32 << 10,
        "peak RSS {peak_kib} KiB for a 64 MiB listing"
    );
}

/// The resident memory of `pid`, KiB.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// A course server for `files` that reads one request per `recv` and
/// drops whatever else that `recv` held, as some student servers do.
fn one_line_per_read_server(files: Vec<(&'static str, Vec<u8>)>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let files = files.clone();
            thread::spawn(move || {
                let borrowed: Vec<(&str, &[u8])> =
                    files.iter().map(|(n, d)| (*n, d.as_slice())).collect();
                let mut buffer = [0; 65536];
                while let Ok(read) = stream.read(&mut buffer) {
                    let Some(end) = buffer[..read].windows(2).position(|w| w == b"\r\n") else {
                        return;
                    };
                    let line = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    let (Act::Reply(bytes) | Act::Close(bytes)) = course_reply(&borrowed, &line)
                    else {
                        return;
                    };
                    if stream.write_all(&bytes).is_err() || line == "quit" {
                        return;
                    }
                }
            });
        }
    });
    addr
}

#[test]
fn a_server_that_drops_pipelined_requests_is_asked_one_at_a_time() {
    let files = vec![("a", data(10)), ("b", data(2000)), ("c", data(300))];
    let addr = one_line_per_read_server(files).to_string();
    let stat = ran(hftp(&addr)
        .args(["stat", "a", "b", "c"])
        .timeout(Duration::from_secs(15)));
    stat.expect_code(0);
    assert_eq!(stat.text(), "  10 a\n2000 b\n 300 c\n");
    let long = ran(hftp(&addr)
        .args(["ls", "-l"])
        .timeout(Duration::from_secs(15)));
    long.expect_code(0);
    assert_eq!(long.text(), "  10 a\n2000 b\n 300 c\n");
    let dir = tempfile::tempdir().expect("tempdir");
    ran(hftp(&addr)
        .current_dir(dir.path())
        .args(["get", "b"])
        .timeout(Duration::from_secs(15)))
    .expect_code(0);
    assert!(fs::read(dir.path().join("b")).expect("b") == data(2000));
}

#[test]
fn a_graceful_stop_mid_download_then_a_restart_is_survived() {
    let dir = tempfile::tempdir().expect("tempdir");
    let served_dir = tempfile::tempdir().expect("served");
    // Sparse: 96 MiB (three slices of 32 MiB) of zeros, each MiB marked.
    let file = fs::File::create(served_dir.path().join("f")).expect("f");
    for mib in 0..96u64 {
        std::os::unix::fs::FileExt::write_all_at(&file, &mib.to_le_bytes(), mib << 20)
            .expect("mark");
    }
    file.set_len(96 << 20).expect("size");
    let serve = |port: u16| {
        let config = hftp_server::Config::new(served_dir.path())
            .address("127.0.0.1".parse().expect("address"))
            .port(port)
            .grace(Duration::from_secs(30));
        hftp_server::Server::bind(&config)
            .expect("bind")
            .spawn()
            .expect("spawn")
    };
    let first = serve(0);
    let addr = first.local_addr();
    let mut child = clean_command(HFTP_BIN)
        .args(["-s", &addr.to_string(), "get", "f", "--base64"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("hftp runs");
    let part = dir.path().join("f.part");
    while !fs::metadata(&part).is_ok_and(|m| m.len() > 0) {
        thread::sleep(Duration::from_millis(5));
    }
    // A graceful stop: the slice in flight is finished, the connection
    // closed with the next one unanswered.
    first.stop().expect("stop");
    let stopped_at = fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    let again = serve(addr.port());
    let status = child.wait().expect("hftp ends");
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr).expect("stderr");
    }
    drop(again);
    assert!(status.success(), "{stderr}");
    assert!(stopped_at < 96 << 20, "the stop came mid-download");
    assert!(
        stderr.contains("the server closed the connection after"),
        "{stderr}"
    );
    let got = fs::read(dir.path().join("f")).expect("f");
    assert_eq!(got.len(), 96 << 20);
    for mib in 0..96usize {
        assert_eq!(got[mib << 20..(mib << 20) + 8], (mib as u64).to_le_bytes());
    }
}

#[test]
fn the_first_size_is_asked_twice_in_one_write_and_never_a_third_time() {
    let files: &[(&str, &[u8])] = &[("hola.txt", b"hola\n"), ("big.bin", b"0123456789")];
    let server = Scripted::start(move |line| course_reply(files, line));
    let addr = server.addr.to_string();
    let dir = tempfile::tempdir().expect("dir");
    let commands: [&[&str]; 3] = [
        &["stat", "hola.txt", "big.bin"],
        &["ls", "-l"],
        &["get", "hola.txt", "-o", "out.txt"],
    ];
    for args in commands {
        ran(hftp(&addr).current_dir(dir.path()).args(args)).expect_code(0);
        let seen: Vec<String> = server.requests.try_iter().collect();
        let hola = seen
            .iter()
            .filter(|line| *line == "get_metadata hola.txt")
            .count();
        // The pipelining check asks it twice in one write; the command
        // uses the answer it got.
        assert_eq!(hola, 2, "hftp {args:?} asked {seen:?}");
    }
}

#[test]
fn a_missing_output_folder_is_made_for_o_as_for_capital_o() {
    let served = Served::new(&[("hola.txt", b"hola\n")]);
    let addr = served.addr();
    let dir = tempfile::tempdir().expect("dir");
    ran(hftp(&addr).current_dir(dir.path()).args([
        "get",
        "hola.txt",
        "-o",
        "sub dir/deeper/x.txt",
    ]))
    .expect_code(0);
    let got = fs::read(dir.path().join("sub dir/deeper/x.txt")).expect("the output");
    assert_eq!(got, b"hola\n");
    ran(hftp(&addr)
        .current_dir(dir.path())
        .args(["get", "hola.txt", "-O", "other dir/"]))
    .expect_code(0);
    assert!(dir.path().join("other dir/hola.txt").is_file());
}

#[test]
fn a_file_error_names_the_output_the_user_gave() {
    let served = Served::new(&[("hola.txt", b"hola\n")]);
    let dir = tempfile::tempdir().expect("dir");
    fs::create_dir(dir.path().join("out.txt.part")).expect("a folder in the way");
    let run = ran(hftp(&served.addr())
        .current_dir(dir.path())
        .args(["get", "hola.txt", "-o", "out.txt"]));
    assert_eq!(
        run.expect_code(6).stderr,
        "hftp: cannot write out.txt: out.txt.part: Is a directory (os error 21)\n"
    );
}
