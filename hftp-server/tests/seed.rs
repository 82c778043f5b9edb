//! The seed's modes, over real sockets: plain slices in fragments
//! (rule 12) and a sequential server.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::common::{Reply, course_bytes, metadata, raw_slice, serve_with, slice};
use hftp_proto::Request;

/// Reads one fragment body the way the course's client of the seed's era
/// did: read up to a space, take the digits before it as a length, read
/// that many bytes, expect `\r\n`; stop at the empty fragment. Returns the
/// bytes, or what went wrong.
fn read_like_the_old_client(stream: &mut TcpStream) -> Result<Vec<u8>, String> {
    let mut data = Vec::new();
    loop {
        let mut length = Vec::new();
        loop {
            let mut byte = [0];
            stream.read_exact(&mut byte).map_err(|e| e.to_string())?;
            if byte[0] == b' ' {
                break;
            }
            length.push(byte[0]);
        }
        let length: usize = String::from_utf8_lossy(&length)
            .parse()
            .map_err(|_| format!("a bad length {length:?}"))?;
        let mut fragment = vec![0; length + 2];
        stream
            .read_exact(&mut fragment)
            .map_err(|e| e.to_string())?;
        if !fragment.ends_with(b"\r\n") {
            return Err("a fragment without its \\r\\n".into());
        }
        if length == 0 {
            return Ok(data);
        }
        data.extend_from_slice(&fragment[..length]);
    }
}

#[test]
fn plain_slices_go_in_fragments_of_the_size_asked() {
    let fixture = serve_with(|config| config.fragments(Some(10)));
    fixture.write("hola.txt", "Que calor que hace hoy, pinocho!\n");
    let mut client = fixture.client();
    client.send_raw(b"get_slice hola.txt 4 14\r\n");
    client.expect_bytes(b"0 OK\r\n10 calor que \r\n4 hace\r\n0 \r\n");
    // Size 0 is the terminator alone; raw and help keep their forms.
    client.send_raw(b"get_slice hola.txt 4 0\r\n");
    client.expect_bytes(b"0 OK\r\n0 \r\n");
    assert_eq!(
        client.ask(&raw_slice("hola.txt", 4, 14)),
        Reply::Body(b"calor que hace".to_vec())
    );
    assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
    assert_eq!(client.ask(&metadata("hola.txt")), Reply::Size(33));
}

#[test]
fn any_bytes_in_fragments_of_any_size_reach_our_client_and_an_old_one() {
    let mut data = course_bytes(3 << 20);
    data[1000..1004].copy_from_slice(b"\r\n\0\0");
    data[5000..5004].copy_from_slice(b"0 \r\n");
    for fragment in [1, 256, 1 << 20] {
        let fixture = serve_with(|config| config.fragments(Some(fragment)));
        fixture.write("data", &data);
        // Small fragments make a large body: the 1-byte case takes 64 KiB.
        let size = if fragment == 1 { 64 << 10 } else { data.len() };
        let mut client = fixture.client();
        assert_eq!(
            client.ask(&slice("data", 0, size as u64)),
            Reply::Body(data[..size].to_vec()),
            "fragments of {fragment}"
        );
        let mut old = TcpStream::connect(fixture.addr()).expect("connects");
        old.set_read_timeout(Some(crate::common::HANG))
            .expect("a timeout");
        old.write_all(format!("get_slice data 0 {size}\r\n").as_bytes())
            .expect("sent");
        let mut status = [0; 6];
        old.read_exact(&mut status).expect("a status line");
        assert_eq!(&status, b"0 OK\r\n");
        assert_eq!(
            read_like_the_old_client(&mut old).as_deref(),
            Ok(&data[..size]),
            "fragments of {fragment}"
        );
    }
}

#[test]
fn a_fragment_body_cut_by_a_truncate_is_a_prefix_and_never_ends() {
    let fixture = serve_with(|config| config.fragments(Some(4096)));
    let original = course_bytes(32 << 20);
    let path = fixture.write("big", &original);
    let mut stream = TcpStream::connect(fixture.addr()).expect("connects");
    stream
        .set_read_timeout(Some(crate::common::HANG))
        .expect("a timeout");
    stream
        .write_all(format!("get_slice big 0 {}\r\n", original.len()).as_bytes())
        .expect("sent");
    let mut start = vec![0; 64 << 10];
    stream.read_exact(&mut start).expect("the body starts");
    OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|file| file.set_len(1 << 20))
        .expect("truncated");
    let mut all = start;
    stream.read_to_end(&mut all).expect("read to the close");
    // Parse what came as fragments: every byte is the file's, and the
    // terminator never comes.
    let mut at = 6;
    let mut data = Vec::new();
    while let Some(space) = all[at..].iter().position(|b| *b == b' ') {
        let length: usize = String::from_utf8_lossy(&all[at..at + space])
            .parse()
            .expect("a length");
        assert_ne!(length, 0, "the body was finished");
        let bytes = &all[at + space + 1..];
        let taken = bytes.len().min(length);
        data.extend_from_slice(&bytes[..taken]);
        at += space + 1 + taken + 2;
        if taken < length || at > all.len() {
            break;
        }
    }
    assert!(data.len() < original.len(), "the body was completed");
    assert!(
        data == original[..data.len()],
        "other bytes than the file's"
    );
    drop(fs::remove_file(path));
}

#[test]
fn a_sequential_server_makes_the_next_client_wait_and_never_refuses_it() {
    let fixture = serve_with(|config| config.sequential(true).max_connections(1));
    let mut first = fixture.client();
    assert!(matches!(first.ask(&Request::Help), Reply::Names(_)));
    let mut second = fixture.client();
    second.send(&Request::Help);
    // The first is still served; the second is not let in meanwhile.
    assert!(matches!(first.ask(&Request::Help), Reply::Names(_)));
    assert_eq!(fixture.server.connections(), 1);
    first.send(&Request::Quit);
    first.expect_bytes(b"0 OK\r\n");
    // Once the first left, the second is answered, not refused.
    assert!(matches!(second.reply(), Ok(Reply::Names(_))));
    let mut third = fixture.client();
    third.send(&Request::Help);
    drop(second);
    assert!(matches!(third.reply(), Ok(Reply::Names(_))));
}

#[test]
fn a_sequential_server_serves_the_next_client_while_the_last_one_is_closing() {
    // A linger longer than any run of the tests: the queue must not wait
    // for it.
    let linger = Duration::from_secs(3600);
    let fixture = serve_with(|config| config.sequential(true).linger(linger));
    let mut first = fixture.client();
    assert!(matches!(first.ask(&Request::Help), Reply::Names(_)));
    let mut second = fixture.client();
    second.send(&Request::Help);
    first.send(&Request::Quit);
    first.expect_bytes(b"0 OK\r\n");
    // The first client keeps its socket open, as one that has read its
    // reply and not yet closed does; the second is answered meanwhile.
    assert!(matches!(second.reply(), Ok(Reply::Names(_))));
    drop(first);
}
