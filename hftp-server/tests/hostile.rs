//! Hostile clients and hostile directories: traversal, links, special
//! files, names that cannot travel, files that shrink, clients that
//! vanish, stall or idle.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::time::Duration;

use crate::common::{
    Reply, assert_names_not_found, metadata, raw_slice, serve, serve_with, slice, sparse,
};
use hftp_proto::{Code, Request};

/// A file outside the served directory, which nothing may reach.
fn secret(fixture: &crate::common::Fixture) -> std::path::PathBuf {
    let path = fixture.root.path().join("secret");
    fs::write(&path, "outside").expect("a file outside");
    path
}

#[test]
fn traversal_and_absolute_names_are_201() {
    let fixture = serve();
    secret(&fixture);
    let mut client = fixture.client();
    for name in [
        "../secret",
        "/etc/passwd",
        "..",
        ".",
        "a/../../secret",
        "./x",
    ] {
        client.send_raw(format!("get_metadata {name}\r\nget_slice {name} 0 1\r\n").as_bytes());
        client.expect_bytes(
            b"201 INVALID ARGUMENTS FOR COMMAND\r\n"
                .repeat(2)
                .as_slice(),
        );
    }
}

#[test]
fn links_that_leave_are_202_and_links_inside_are_served() {
    let fixture = serve();
    let outside = secret(&fixture);
    let dir = fixture.dir();
    fixture.write("real", "inside");
    symlink("real", dir.join("relative-in")).expect("link");
    symlink(dir.join("real"), dir.join("absolute-in")).expect("link");
    symlink("../secret", dir.join("relative-out")).expect("link");
    symlink(&outside, dir.join("absolute-out")).expect("link");
    symlink("/etc", dir.join("etc")).expect("link");
    symlink("relative-out", dir.join("chain-out")).expect("link");
    symlink("relative-in", dir.join("chain-in")).expect("link");
    let mut client = fixture.client();
    for name in ["relative-in", "chain-in", "absolute-in"] {
        assert_eq!(client.ask(&metadata(name)), Reply::Size(6), "{name}");
        assert_eq!(
            client.ask(&slice(name, 0, 6)),
            Reply::Body(b"inside".to_vec()),
            "{name}"
        );
        assert_eq!(
            client.ask(&raw_slice(name, 0, 6)),
            Reply::Body(b"inside".to_vec()),
            "{name}"
        );
    }
    for name in ["relative-out", "absolute-out", "chain-out", "etc"] {
        assert_names_not_found(&mut client, name);
    }
    let listed = vec![
        "absolute-in".to_owned(),
        "chain-in".into(),
        "real".into(),
        "relative-in".into(),
    ];
    assert_eq!(client.ask(&Request::FileListing), Reply::Names(listed));
}

#[test]
fn a_link_in_the_middle_of_a_path_is_never_followed() {
    let fixture = serve();
    secret(&fixture);
    symlink(fixture.root.path(), fixture.dir().join("up")).expect("a link to the parent");
    fs::create_dir(fixture.dir().join("sub")).expect("a subdirectory");
    fixture.write("sub/inner", "inner");
    let mut client = fixture.client();
    for name in ["up/secret", "sub/inner"] {
        client.send_raw(format!("get_slice {name} 0 1\r\n").as_bytes());
        client.expect_bytes(b"201 INVALID ARGUMENTS FOR COMMAND\r\n");
    }
    for name in ["up", "sub"] {
        assert_eq!(
            client.ask(&metadata(name)),
            Reply::Status(Code::FileNotFound),
            "{name}"
        );
    }
}

#[test]
fn fifos_directories_and_links_to_them_are_202_and_never_block() {
    let fixture = serve();
    let dir = fixture.dir();
    rustix::fs::mknodat(
        rustix::fs::CWD,
        dir.join("fifo"),
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o666),
        0,
    )
    .expect("a FIFO");
    fs::create_dir(dir.join("directory")).expect("a directory");
    let socket = std::os::unix::net::UnixListener::bind(dir.join("socket")).expect("a socket");
    symlink("fifo", dir.join("to-fifo")).expect("link");
    symlink("directory", dir.join("to-directory")).expect("link");
    symlink("socket", dir.join("to-socket")).expect("link");
    symlink("missing", dir.join("dangling")).expect("link");
    symlink("self-loop", dir.join("self-loop")).expect("link");
    let mut client = fixture.client();
    for name in [
        "fifo",
        "directory",
        "socket",
        "to-fifo",
        "to-directory",
        "to-socket",
        "dangling",
        "self-loop",
    ] {
        assert_names_not_found(&mut client, name);
    }
    assert_eq!(client.ask(&Request::FileListing), Reply::Names(vec![]));
    drop(socket);
}

#[test]
fn names_that_cannot_travel_are_left_out_of_the_listing() {
    let fixture = serve();
    let dir = fixture.dir();
    for name in [&b"a b"[..], b"new\nline", b"tab\t", b"\xff\xfe", b"cr\r"] {
        fs::write(dir.join(OsStr::from_bytes(name)), "x").expect("an odd name");
    }
    fixture.write("ok", "x");
    fixture.write("ñandú", "xy");
    fixture.write(&"n".repeat(255), "");
    let mut client = fixture.client();
    let expected = vec!["n".repeat(255), "ok".into(), "ñandú".into()];
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Names(expected.clone())
    );
    // Twice: the names are logged once, listed the same way every time.
    assert_eq!(client.ask(&Request::FileListing), Reply::Names(expected));
    assert_eq!(client.ask(&metadata("ñandú")), Reply::Size(2));
}

#[test]
fn ascii_names_lists_only_ascii_but_serves_every_valid_name() {
    let fixture = serve_with(|config| config.ascii_names(true));
    fixture.write("ok", "x");
    fixture.write("ñandú", "xy");
    let mut client = fixture.client();
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Names(vec!["ok".into()])
    );
    assert_eq!(client.ask(&metadata("ñandú")), Reply::Size(2));
    assert_eq!(
        client.ask(&slice("ñandú", 0, 2)),
        Reply::Body(b"xy".to_vec())
    );
}

#[test]
fn a_line_over_the_hard_limit_is_101_and_closes() {
    let fixture = serve_with(|config| config.max_line_len(1000));
    let mut client = fixture.client();
    let mut line = b"get_metadata ".to_vec();
    line.extend(std::iter::repeat_n(b'x', 2000));
    client.send_raw(&line);
    client.expect_bytes(b"101 BAD REQUEST\r\n");
    client.expect_eof();
}

/// Starts a slice of a 256 MiB sparse file, reads its status, then
/// truncates the file: the body must stop short, never padded.
fn shrinking_file(request: &Request<'_>, header: &[u8]) {
    let fixture = serve();
    let path = fixture.dir().join("big");
    sparse(&path, 256 << 20);
    let mut client = fixture.client();
    client.send(request);
    client.expect_bytes(header);
    fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|file| file.set_len(0))
        .expect("truncated");
    let body = client.read_to_end();
    let full = if header.len() > 6 {
        256 << 20
    } else {
        (256usize << 20) / 3 * 4 + 4
    };
    assert!(
        body.len() < full,
        "the body was completed: {} bytes",
        body.len()
    );
    let expected = if header.len() > 6 { 0 } else { b'A' };
    assert!(
        body.iter().all(|&byte| byte == expected),
        "the body holds other bytes than the file's"
    );
    // The server goes on serving.
    assert_eq!(fixture.client().ask(&metadata("big")), Reply::Size(0));
}

#[test]
fn a_file_that_shrinks_mid_body_closes_without_completing_base64() {
    shrinking_file(&slice("big", 0, 256 << 20), b"0 OK\r\n");
}

#[test]
fn a_file_that_shrinks_mid_body_closes_without_completing_raw() {
    let header = format!("0 OK\r\nContent-Length: {}\r\n\r\n", 256 << 20);
    shrinking_file(&raw_slice("big", 0, 256 << 20), header.as_bytes());
}

#[test]
fn a_client_that_vanishes_mid_body_does_not_hurt_the_others() {
    let fixture = serve();
    sparse(&fixture.dir().join("big"), 256 << 20);
    fixture.write("small", "abc");
    let mut watcher = fixture.client();
    assert_eq!(watcher.ask(&metadata("small")), Reply::Size(3));
    for request in [slice("big", 0, 256 << 20), raw_slice("big", 0, 256 << 20)] {
        let mut client = fixture.client();
        client.send(&request);
        client.expect_bytes(b"0 OK\r\n");
        drop(client);
    }
    fixture.wait_connections(1);
    assert_eq!(
        watcher.ask(&slice("small", 0, 3)),
        Reply::Body(b"abc".to_vec())
    );
    assert_eq!(fixture.client().ask(&metadata("small")), Reply::Size(3));
}

#[test]
fn a_client_that_stops_reading_is_cut_after_the_send_timeout() {
    let fixture = serve_with(|config| config.send_timeout(Some(Duration::from_millis(200))));
    sparse(&fixture.dir().join("big"), 256 << 20);
    for request in [slice("big", 0, 256 << 20), raw_slice("big", 0, 256 << 20)] {
        let mut client = fixture.client();
        client.send(&request);
        client.expect_bytes(b"0 OK\r\n");
        fixture.wait_connections(0);
        let body = client.read_to_end();
        assert!(body.len() < 256 << 20, "the whole body arrived");
    }
}

#[test]
fn a_client_that_keeps_reading_slowly_is_never_cut() {
    // A transfer many times longer than the send timeout, paced by a slow
    // reader with a small receive buffer: each write makes progress, so
    // none times out.
    let timeout = Some(Duration::from_millis(500));
    let fixture = serve_with(|config| config.send_timeout(timeout).idle_timeout(timeout));
    let data = crate::common::course_bytes(12 << 20);
    fixture.write("big", &data);
    for request in [slice("big", 0, 12 << 20), raw_slice("big", 0, 12 << 20)] {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
            .expect("a socket");
        socket
            .set_recv_buffer_size(64 << 10)
            .expect("a small receive buffer");
        socket.connect(&fixture.addr().into()).expect("it connects");
        let mut client = crate::common::Client::from_stream(socket.into());
        client.send(&request);
        client.set_pace(Duration::from_millis(5));
        assert!(
            client.reply() == Ok(Reply::Body(data.clone())),
            "the slow transfer was cut"
        );
    }
}

#[test]
fn an_idle_client_is_closed_after_the_idle_timeout() {
    let fixture = serve_with(|config| config.idle_timeout(Some(Duration::from_millis(100))));
    let mut silent = fixture.client();
    silent.expect_eof();
    let mut half = fixture.client();
    half.send_raw(b"get_meta");
    half.expect_eof();
    let mut polite = fixture.client();
    assert_eq!(
        polite.ask(&Request::Help),
        Reply::Names(
            hftp_proto::Command::ALL
                .map(|command| command.name().to_owned())
                .to_vec()
        )
    );
    polite.expect_eof();
}

#[test]
fn a_pipelined_flood_is_answered_in_order() {
    let fixture = serve();
    fixture.write("a", "abc");
    let mut client = fixture.client();
    let mut batch = Vec::new();
    for _ in 0..2000 {
        client.queue(&metadata("a"), &mut batch);
        client.queue(&slice("a", 1, 2), &mut batch);
        client.queue(&metadata("nope"), &mut batch);
    }
    let writer = {
        let mut stream = client.stream.try_clone().expect("a writer handle");
        std::thread::spawn(move || std::io::Write::write_all(&mut stream, &batch))
    };
    for _ in 0..2000 {
        assert_eq!(client.reply(), Ok(Reply::Size(3)));
        assert_eq!(client.reply(), Ok(Reply::Body(b"bc".to_vec())));
        assert_eq!(client.reply(), Ok(Reply::Status(Code::FileNotFound)));
    }
    writer
        .join()
        .expect("the writer")
        .expect("the flood is sent");
}
