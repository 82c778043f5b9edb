//! Rule 8, attacked: whatever happens to a file while its body is on the
//! wire, every byte a client receives is a byte the file held at that
//! offset. A file that shrinks mid-body gives a prefix of its old bytes,
//! then a close; a file that grows gives exactly the bytes asked for.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use crate::common::{Client, Fixture, course_bytes, raw_slice, serve, slice};
use base64::Engine as _;
use hftp_proto::{Form, Request};

/// The file's size: big enough that the socket buffers between server
/// and client hold only a part of it.
const SIZE: usize = 64 << 20;

/// How long the file is cut to, mid-body.
const CUT_TO: u64 = 1 << 20;

/// How many times each attack is repeated: the original defect showed in
/// 9 tries out of 12.
const ROUNDS: usize = 6;

/// How much of the body the slow reader takes before the file changes.
const READ_FIRST: usize = 256 << 10;

/// Sends `request` for the whole file and reads the status line (and, for
/// raw, the header): the body is on its way.
fn start_body(fixture: &Fixture, request: &Request<'_>) -> Client {
    let mut client = fixture.client();
    client.send(request);
    let header = match request {
        Request::Slice {
            form: Form::Raw,
            size,
            ..
        } => format!("0 OK\r\nContent-Length: {size}\r\n\r\n"),
        _ => "0 OK\r\n".to_owned(),
    };
    client.expect_bytes(header.as_bytes());
    client
}

/// Reads `len` bytes, slowly: the server fills the socket buffers first.
fn read_some(client: &mut Client, len: usize) -> Vec<u8> {
    let mut start = vec![0; len];
    client
        .stream
        .read_exact(&mut start)
        .expect("the body starts");
    start
}

/// The file bytes a base64 body carried: the whole groups received, and
/// nothing after a line end (a finished body) is expected.
fn decode_prefix(text: &[u8]) -> Vec<u8> {
    let text: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| *b != b'\r' && *b != b'\n')
        .collect();
    let whole = text.len() / 4 * 4;
    base64::engine::general_purpose::STANDARD
        .decode(&text[..whole])
        .expect("the body received is base64")
}

/// Asserts `got` is a strict prefix of `original` (the body was cut).
fn assert_strict_prefix(got: &[u8], original: &[u8], round: usize) {
    assert!(
        got.len() < original.len(),
        "round {round}: the body was completed"
    );
    if let Some(at) = got.iter().zip(original).position(|(a, b)| a != b) {
        panic!(
            "round {round}: byte {at} is {:#04x}, the file held {:#04x} there ({} bytes received)",
            got[at],
            original[at],
            got.len()
        );
    }
}

/// Truncates `path` to `len` bytes, as another process would.
fn truncate(path: &Path, len: u64) {
    OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.set_len(len))
        .expect("truncated");
}

/// A slow reader asks for the whole file; the file is cut to 1 MiB while
/// the body is in flight. What arrives must be a prefix of the file.
fn shrinking(request: &Request<'_>, decode: fn(&[u8]) -> Vec<u8>) {
    let fixture = serve();
    let original = course_bytes(SIZE);
    let path = fixture.dir().join("big");
    for round in 0..ROUNDS {
        fs::write(&path, &original).expect("the file");
        let mut client = start_body(&fixture, request);
        let mut body = read_some(&mut client, READ_FIRST);
        truncate(&path, CUT_TO);
        body.extend(client.read_to_end());
        assert_strict_prefix(&decode(&body), &original, round);
    }
}

#[test]
fn a_raw_body_cut_by_a_truncate_is_a_prefix_of_the_file() {
    shrinking(&raw_slice("big", 0, SIZE as u64), <[u8]>::to_vec);
}

#[test]
fn a_base64_body_cut_by_a_truncate_is_a_prefix_of_the_file() {
    shrinking(&slice("big", 0, SIZE as u64), decode_prefix);
}

/// The file grows while its body is in flight: the body is complete,
/// holds exactly the bytes that were there, and nothing follows it.
fn growing(form: Form) {
    let fixture = serve();
    let original = course_bytes(SIZE / 4);
    let path = fixture.dir().join("growing");
    let expected = match form {
        Form::Raw => original.clone(),
        _ => {
            let mut text = base64::engine::general_purpose::STANDARD
                .encode(&original)
                .into_bytes();
            text.extend_from_slice(b"\r\n");
            text
        }
    };
    for round in 0..ROUNDS {
        fs::write(&path, &original).expect("the file");
        let request = Request::Slice {
            name: "growing",
            offset: 0,
            size: original.len() as u64,
            form,
        };
        let mut client = start_body(&fixture, &request);
        let mut body = read_some(&mut client, READ_FIRST);
        let mut file = OpenOptions::new().append(true).open(&path).expect("opened");
        file.write_all(&vec![0xee; SIZE / 4]).expect("appended");
        drop(file);
        body.extend(read_some(&mut client, expected.len() - READ_FIRST));
        assert!(
            body == expected,
            "round {round}: other bytes than the file's"
        );
        client.send(&Request::Quit);
        client.expect_bytes(b"0 OK\r\n");
        client.expect_eof();
    }
}

#[test]
fn a_raw_body_of_a_growing_file_is_exactly_the_range_asked() {
    growing(Form::Raw);
}

#[test]
fn a_base64_body_of_a_growing_file_is_exactly_the_range_asked() {
    growing(Form::Base64);
}
