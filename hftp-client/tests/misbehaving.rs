//! The `hftp` command against scripted servers that send exactly the
//! bytes each case needs: what the contract allows must work, what it
//! forbids must fail with the right error and exit code, and a partial
//! file must never be renamed into place.

use std::fs;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::common::{
    Act, HFTP_BIN, Scripted, assert_absent, base64_line, clean_command, course_reply, data, hftp,
    ran,
};

/// A scripted course server for one file, with `get_slice` answered by
/// `slice` (given the offset and size asked).
fn slice_server(
    name: &'static str,
    file: Vec<u8>,
    slice: fn(&[u8], usize, usize) -> Act,
) -> Scripted {
    Scripted::start(move |line| {
        let words: Vec<&str> = line.split(' ').collect();
        match words.as_slice() {
            ["get_slice", _, offset, size] => slice(
                &file,
                offset.parse().unwrap_or(0),
                size.parse().unwrap_or(0),
            ),
            _ => course_reply(&[(name, &file)], line),
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
fn a_body_split_over_many_lines_downloads() {
    let file = data(10_001);
    let server = slice_server("f", file.clone(), |file, offset, size| {
        let mut reply = b"0 OK\r\n".to_vec();
        for chunk in file[offset..offset + size].chunks(1000) {
            reply.extend_from_slice(&base64_line(chunk));
        }
        Act::Reply(reply)
    });
    let dir = tempfile::tempdir().expect("tempdir");
    ran(hftp(&server.addr())
        .current_dir(dir.path())
        .args(["get", "f"]))
    .expect_code(0);
    assert!(fs::read(dir.path().join("f")).expect("read") == file);
}

#[test]
fn odd_status_texts_are_accepted() {
    let file = b"hello".to_vec();
    let server = Scripted::start(move |line| match line {
        "get_metadata f" => Act::Reply(b"0 Dale nomas\r\n5\r\n".to_vec()),
        "get_slice f 0 5" => Act::Reply([&b"0 \r\n"[..], &base64_line(&file)].concat()),
        "get_metadata g" => Act::Reply(b"202 No hay tal cosa\r\n".to_vec()),
        _ => course_reply(&[], line),
    });
    let out = ran(hftp(&server.addr()).args(["get", "f", "-o", "-"]));
    assert_eq!(out.expect_code(0).stdout, b"hello");
    ran(hftp(&server.addr()).args(["stat", "g"]))
        .expect_code(4)
        .one_error_line("202 FILE NOT FOUND");
}

#[test]
fn a_short_body_then_close_keeps_the_part_for_continue() {
    let file = data(30_000);
    let server = slice_server("f", file.clone(), |file, offset, _| {
        Act::Close(cut_body(&file[offset..offset + 3000]))
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp(&server.addr())
        .current_dir(dir.path())
        .args(["get", "f", "--retry", "0"]));
    out.expect_code(8)
        .one_error_line("short body")
        .one_error_line("f.part is kept for --continue");
    assert_absent(dir.path(), "f");
    assert!(fs::read(dir.path().join("f.part")).expect("part") == file[..3000]);
    let whole = slice_server("f", file.clone(), |file, offset, size| {
        Act::Reply([&b"0 OK\r\n"[..], &base64_line(&file[offset..offset + size])].concat())
    });
    let out = ran(hftp(&whole.addr())
        .current_dir(dir.path())
        .args(["get", "-c", "f"]));
    out.expect_code(0).one_error_line("resuming at byte 3000");
    assert!(fs::read(dir.path().join("f")).expect("read") == file);
    assert_eq!(
        whole
            .requests
            .try_iter()
            .filter(|r| r.starts_with("get_slice f 3000 27000"))
            .count(),
        1
    );
}

#[test]
fn bad_base64_is_a_protocol_violation() {
    let server = slice_server("f", data(30), |_, _, _| {
        Act::Reply(b"0 OK\r\nQUJD!!!!\r\n".to_vec())
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp(&server.addr())
        .current_dir(dir.path())
        .args(["get", "f"]));
    out.expect_code(5).one_error_line("base64");
    assert_absent(dir.path(), "f");
}

#[test]
fn a_body_longer_than_asked_is_refused() {
    let server = slice_server("f", data(30), |file, _, _| {
        Act::Reply([&b"0 OK\r\n"[..], &base64_line(file)].concat())
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp(&server.addr())
        .current_dir(dir.path())
        .args(["get", "f", "--offset", "0", "--size", "9", "-o", "g"]));
    out.expect_code(5)
        .one_error_line("no more slice bytes than asked");
    assert_absent(dir.path(), "g");
}

#[test]
fn an_endless_line_is_refused() {
    let server = Scripted::start(|line| match line {
        "get_file_listing" => Act::Endless(b"0 OK\r\n".to_vec(), b'a'),
        _ => Act::Endless(Vec::new(), b'7'),
    });
    ran(hftp(&server.addr()).arg("ls"))
        .expect_code(5)
        .one_error_line("at most 4096 bytes");
    ran(hftp(&server.addr()).args(["stat", "x"]))
        .expect_code(5)
        .one_error_line("at most 4096 bytes");
}

#[test]
fn an_unknown_status_code_is_refused() {
    let server = Scripted::start(|_| Act::Reply(b"300 MULTIPLE CHOICES\r\n".to_vec()));
    ran(hftp(&server.addr()).args(["stat", "x"]))
        .expect_code(5)
        .one_error_line("status code of HFTP, got 300");
}

#[test]
fn a_fatal_code_mid_session_fails_that_file_only() {
    let (a, b) = (data(100), data(200));
    let server = Scripted::start(move |line| match line {
        "get_metadata b" => Act::Close(b"199 INTERNAL SERVER ERROR\r\n".to_vec()),
        "get_slice c 0 300" => Act::Close(b"199 INTERNAL SERVER ERROR\r\n".to_vec()),
        _ => course_reply(&[("a", &a), ("b", &b), ("c", &data(300))], line),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp(&server.addr())
        .current_dir(dir.path())
        .args(["get", "b", "c", "a", "--retry", "0"]));
    out.expect_code(4);
    assert_eq!(out.stderr.lines().count(), 2, "{}", out.stderr);
    assert!(
        out.stderr
            .lines()
            .all(|line| line.contains("199 INTERNAL SERVER ERROR")),
        "{}",
        out.stderr
    );
    assert_absent(dir.path(), "b");
    assert_absent(dir.path(), "c");
    assert_eq!(
        fs::read(dir.path().join("a"))
            .expect("a, on a new connection")
            .len(),
        100
    );
}

#[test]
fn a_silent_server_times_out() {
    let server = slice_server("f", data(3000), |file, _, _| {
        Act::Stall(cut_body(&file[..300]))
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp(&server.addr()).current_dir(dir.path()).args([
        "--timeout",
        "0.1",
        "get",
        "f",
        "--retry",
        "0",
    ]));
    out.expect_code(7)
        .one_error_line("timed out")
        .one_error_line("f.part is kept for --continue");
    assert_absent(dir.path(), "f");
}

#[test]
fn a_raw_body_of_another_length_is_refused() {
    let server = Scripted::start(|line| match line {
        "help" => Act::Reply(
            b"0 OK\r\nget_file_listing\r\nget_metadata\r\nget_slice\r\nhelp\r\nquit\r\n\r\n"
                .to_vec(),
        ),
        "get_metadata f" => Act::Reply(b"0 OK\r\n5\r\n".to_vec()),
        "get_slice f 0 5 raw" => Act::Reply(b"0 OK\r\nContent-Length: 4\r\n\r\nabcd".to_vec()),
        _ => course_reply(&[], line),
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ran(hftp(&server.addr())
        .current_dir(dir.path())
        .args(["get", "f"]));
    out.expect_code(5).one_error_line("Content-Length 5, got 4");
    assert_absent(dir.path(), "f");
}

/// Starts `hftp get` against `server`, waits until the server saw
/// `slices` slice requests (it then stalls), sends SIGINT, and checks that
/// the download stopped with 130 and left a `.part` that is a prefix.
fn interrupt_download(server: &Scripted, file: &[u8], dir: &Path, extra: &[&str]) {
    let child = clean_command(HFTP_BIN)
        .current_dir(dir)
        .args(["-s", &server.addr(), "get", "f"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let slices = if extra.contains(&"--parallel") { 2 } else { 1 };
    let mut seen = 0;
    while seen < slices {
        let request = server
            .requests
            .recv_timeout(Duration::from_secs(60))
            .expect("a request");
        seen += usize::from(request.starts_with("get_slice"));
    }
    let pid = rustix::process::Pid::from_child(&child);
    rustix::process::kill_process(pid, rustix::process::Signal::INT).expect("SIGINT");
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("f.part is kept for --continue"), "{stderr}");
    assert_absent(dir, "f");
    assert_absent(dir, "f.sparse.part");
    let part = fs::read(dir.join("f.part")).expect("the part survives");
    assert!(file.starts_with(&part), "the part is a prefix of the file");
}

#[test]
fn ctrl_c_keeps_a_part_that_continue_completes() {
    for extra in [&[][..], &["--parallel", "2"]] {
        let file = data(3 << 20);
        let stalling = slice_server("f", file.clone(), |file, offset, _| {
            Act::Stall(cut_body(&file[offset..offset + 300_000]))
        });
        let dir = tempfile::tempdir().expect("tempdir");
        interrupt_download(&stalling, &file, dir.path(), extra);
        let whole = slice_server("f", file.clone(), |file, offset, size| {
            Act::Reply([&b"0 OK\r\n"[..], &base64_line(&file[offset..offset + size])].concat())
        });
        let out = ran(hftp(&whole.addr())
            .current_dir(dir.path())
            .args(["get", "-c", "f"])
            .args(extra));
        out.expect_code(0);
        assert!(
            fs::read(dir.path().join("f")).expect("read") == file,
            "{extra:?}"
        );
    }
}
