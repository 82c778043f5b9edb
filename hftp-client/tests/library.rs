//! The library against the real server, and over in-memory streams.

use std::io::{self, Cursor, Read, Write};
use std::time::Duration;

use crate::common::{Act, Scripted, Served, course_reply, data};
use hftp_client::{BodyForm, Builder, Client, Code, Download, Error, Form, ProtocolError};

const HOLA: &[u8] = b"Que calor que hace hoy, pinocho!\n";

#[test]
fn list_metadata_and_slices_against_the_server() {
    let big = data(3 << 20);
    let served = Served::new(&[("hola.txt", HOLA), ("big.bin", &big), ("empty", b"")]);
    let mut client = Client::connect(served.addr()).expect("connect");
    assert_eq!(
        client.list().expect("list"),
        ["big.bin", "empty", "hola.txt"]
    );
    assert_eq!(client.metadata("hola.txt").expect("metadata"), 33);
    let refused = client.metadata("nope").expect_err("missing file");
    assert_eq!(refused.code(), Some(Code::FileNotFound));
    assert!(client.is_usable(), "a refusal leaves the connection usable");
    let mut slice = Vec::new();
    client
        .slice_to("hola.txt", 4, 14, &mut slice)
        .expect("slice");
    assert_eq!(slice, b"calor que hace");
    assert_eq!(
        client.slice_form().expect("form"),
        Form::Raw,
        "our server speaks 2026"
    );
    let mut whole = Vec::new();
    client
        .slice_to("big.bin", 0, big.len() as u64, &mut whole)
        .expect("big slice");
    assert!(whole == big, "the big slice arrived intact");
    let mut nothing = Vec::new();
    client
        .slice_to("empty", 0, 0, &mut nothing)
        .expect("empty slice");
    assert!(nothing.is_empty());
    client.quit().expect("quit");
}

#[test]
fn ranges_longer_than_one_request_are_pipelined_in_pieces() {
    let big = data(100_000);
    let served = Served::new(&[("big.bin", &big)]);
    for form in [BodyForm::Base64, BodyForm::Raw] {
        let builder = Builder::new()
            .max_slice(7_001)
            .buffer_size(4096)
            .body_form(form);
        let mut client = builder.connect(served.addr()).expect("connect");
        let mut out = Vec::new();
        client
            .slice_to("big.bin", 3, 90_000, &mut out)
            .expect("slice");
        assert!(out == big[3..90_003], "{form:?}");
        let error = client
            .slice_to("big.bin", 99_999, 2, &mut out)
            .expect_err("past the end");
        assert_eq!(error.code(), Some(Code::BadOffset));
        assert_eq!(client.metadata("big.bin").expect("still in step"), 100_000);
    }
}

#[test]
fn metadata_of_many_names_goes_out_in_one_write() {
    let replies = b"0 OK\r\n33\r\n202 FILE NOT FOUND\r\n0 OK\r\n0\r\n".to_vec();
    let mut client = Client::new(Recorder::new(replies));
    let sizes = client
        .metadata_many(&["hola.txt", "nope", "empty", "a b"])
        .expect("sizes");
    assert_eq!(sizes[0].as_ref().ok(), Some(&33));
    assert_eq!(
        sizes[1].as_ref().err().and_then(Error::code),
        Some(Code::FileNotFound)
    );
    assert_eq!(sizes[2].as_ref().ok(), Some(&0));
    assert!(
        matches!(sizes[3], Err(Error::BadName { .. })),
        "a name with a space cannot travel"
    );
    let writes = &client.get_ref().writes;
    assert_eq!(writes.len(), 1, "one write for the batch");
    assert_eq!(
        writes[0],
        b"get_metadata hola.txt\r\nget_metadata nope\r\nget_metadata empty\r\n"
    );
}

#[test]
fn metadata_of_many_names_against_the_server() {
    let served = Served::new(&[("a", b"1"), ("b", b"22")]);
    let mut client = Client::connect(served.addr()).expect("connect");
    let names: Vec<String> = (0..3000)
        .map(|i| ["a", "b", "c"][i % 3].to_owned())
        .collect();
    let sizes = client.metadata_many(&names).expect("sizes");
    for (name, size) in names.iter().zip(&sizes) {
        match name.as_str() {
            "a" => assert_eq!(size.as_ref().ok(), Some(&1)),
            "b" => assert_eq!(size.as_ref().ok(), Some(&2)),
            _ => assert_eq!(
                size.as_ref().err().and_then(Error::code),
                Some(Code::FileNotFound)
            ),
        }
    }
}

#[test]
fn download_writes_a_part_file_then_renames_it() {
    let big = data(2 << 20);
    let served = Served::new(&[("big.bin", &big)]);
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("big.bin");
    let mut client = Client::connect(served.addr()).expect("connect");
    assert_eq!(
        client.download("big.bin", &path).expect("download"),
        big.len() as u64
    );
    assert!(std::fs::read(&path).expect("read") == big);
    assert!(!out.path().join("big.bin.part").exists());
    let again = client.download("big.bin", &path).expect_err("exists");
    assert!(matches!(again, Error::Exists { .. }), "{again}");
}

#[test]
fn download_resumes_and_runs_in_parallel() {
    let big = data(5 << 20);
    let served = Served::new(&[("big.bin", &big)]);
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("copy");
    std::fs::write(out.path().join("copy.part"), &big[..1_234_567]).expect("part");
    let mut client = Client::connect(served.addr()).expect("connect");
    let outcome = Download::new("big.bin", &path)
        .resume(true)
        .parallel(3)
        .run(&mut client)
        .expect("download");
    assert_eq!(
        (outcome.size, outcome.resumed_from),
        (big.len() as u64, 1_234_567)
    );
    assert_eq!(outcome.fetched, big.len() as u64 - 1_234_567);
    assert!(std::fs::read(&path).expect("read") == big);
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, ["copy"]);
}

#[test]
fn a_part_longer_than_the_file_is_refused_or_discarded() {
    let served = Served::new(&[("hola.txt", HOLA)]);
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("hola.txt");
    let part = out.path().join("hola.txt.part");
    std::fs::write(&part, [b'x'; 100]).expect("part");
    let mut client = Client::connect(served.addr()).expect("connect");
    let refused = Download::new("hola.txt", &path)
        .resume(true)
        .run(&mut client);
    // The user's bytes are never deleted: set aside, and the error says
    // where.
    let aside = out.path().join("hola.txt.part.mismatch");
    assert!(
        matches!(&refused, Err(Error::Changed { path, kept, .. }) if *path == part && *kept == aside),
        "{refused:?}"
    );
    let message = refused.expect_err("refused").to_string();
    assert!(
        message.ends_with("kept it as hola.txt.part.mismatch"),
        "{message}"
    );
    assert!(!part.exists(), "the untrusted part is not resumed");
    assert_eq!(std::fs::read(&aside).expect("set aside"), [b'x'; 100]);
    std::fs::write(&part, [b'y'; 100]).expect("part");
    let outcome = Download::new("hola.txt", &path)
        .resume(true)
        .restart_if_changed(true)
        .run(&mut client)
        .expect("download");
    assert_eq!(outcome.discarded_part, Some(100));
    assert_eq!(std::fs::read(&path).expect("read"), HOLA);
    assert_eq!(
        std::fs::read(&aside).expect("the newer one set aside"),
        [b'y'; 100]
    );
}

#[test]
fn a_2019_server_gets_base64_and_odd_texts_are_accepted() {
    let files: &[(&str, &[u8])] = &[("hola.txt", HOLA)];
    let server = Scripted::start(move |line| match line {
        "get_metadata nada" => Act::Reply(b"202 No existe el archivo\r\n".to_vec()),
        "get_metadata hola.txt" => Act::Reply(b"0 Todo bien\r\n33\r\n".to_vec()),
        _ => course_reply(files, line),
    });
    let mut client = Client::connect(server.addr()).expect("connect");
    assert_eq!(client.metadata("hola.txt").expect("odd OK text"), 33);
    assert_eq!(
        client.metadata("nada").expect_err("refused").code(),
        Some(Code::FileNotFound)
    );
    let mut out = Vec::new();
    client.slice_to("hola.txt", 0, 33, &mut out).expect("slice");
    assert_eq!(out, HOLA);
    assert_eq!(client.slice_form().expect("form"), Form::Base64);
    let seen: Vec<String> = server.requests.try_iter().collect();
    assert!(
        seen.contains(&"help".to_owned()) && seen.contains(&"get_slice hola.txt 0 33".to_owned()),
        "{seen:?}"
    );
}

#[test]
fn protocol_violations_are_typed_errors() {
    let cases: [(&[u8], Check); 5] = [
        (b"OK 0\r\n", |e| {
            matches!(e, Error::Protocol(ProtocolError::BadStatusLine))
        }),
        (b"300 WHAT\r\n", |e| {
            matches!(e, Error::Protocol(ProtocolError::UnknownCode(300)))
        }),
        (b"0 OK\r\nabc\r\n", |e| {
            matches!(e, Error::Protocol(ProtocolError::BadSize))
        }),
        (b"0 OK\r\n33\n", |e| {
            matches!(e, Error::Protocol(ProtocolError::BadLineEnd))
        }),
        (b"0 OK\r\n3", |e| matches!(e, Error::Disconnected)),
    ];
    for (reply, expected) in cases {
        let mut client = Client::new(Recorder::new(reply.to_vec()));
        let error = client.metadata("x").expect_err("a violation");
        assert!(expected(&error), "{reply:?}: {error}");
        assert!(
            matches!(client.metadata("x"), Err(Error::Closed)),
            "the connection is closed after it"
        );
    }
}

#[test]
fn slice_bodies_are_checked() {
    let body = |reply: &[u8], size| {
        let builder = Builder::new().body_form(BodyForm::Base64);
        let mut client = builder.build(Recorder::new(reply.to_vec()));
        client.slice_to("x", 0, size, &mut io::sink())
    };
    assert!(
        body(b"0 OK\r\nYWJj\r\nZGVm\r\n", 6).is_ok(),
        "several lines are fine"
    );
    assert!(matches!(
        body(b"0 OK\r\nYWJj\r\n", 6),
        Err(Error::ShortBody {
            received: 3,
            expected: 6
        })
    ));
    assert!(matches!(
        body(b"0 OK\r\nYW*j\r\n", 3),
        Err(Error::Protocol(ProtocolError::BadBase64))
    ));
    assert!(matches!(
        body(b"0 OK\r\nYWJjZA==\r\n", 3),
        Err(Error::Protocol(ProtocolError::BodyTooLong))
    ));
    let raw = |reply: &[u8]| {
        let mut client = Builder::new()
            .body_form(BodyForm::Raw)
            .build(Recorder::new(reply.to_vec()));
        client.slice_to("x", 0, 3, &mut io::sink())
    };
    assert!(raw(b"0 OK\r\nContent-Length: 3\r\n\r\nabc").is_ok());
    let mismatch = raw(b"0 OK\r\nContent-Length: 4\r\n\r\nabcd");
    assert!(matches!(
        mismatch,
        Err(Error::Protocol(ProtocolError::LengthMismatch {
            asked: 3,
            announced: 4
        }))
    ));
    assert!(matches!(
        raw(b"0 OK\r\nContent-Length: 3\r\n\r\nab"),
        Err(Error::ShortBody { received: 2, .. })
    ));
}

#[test]
fn a_silent_server_times_out() {
    let server = Scripted::start(|_| Act::Stall(b"0 OK\r\n".to_vec()));
    let builder = Builder::new().read_timeout(Some(Duration::from_millis(50)));
    let mut client = builder.connect(server.addr()).expect("connect");
    let error = client.metadata("x").expect_err("stalls");
    assert!(matches!(error, Error::Timeout(Some(_))), "{error}");
}

#[test]
fn an_endless_line_is_cut_at_the_limit() {
    let server = Scripted::start(|_| Act::Endless(b"0 OK\r\n".to_vec(), b'a'));
    let mut client = Builder::new()
        .max_line_len(1000)
        .connect(server.addr())
        .expect("connect");
    let error = client.list().expect_err("endless");
    assert!(
        matches!(
            error,
            Error::Protocol(ProtocolError::LineTooLong { limit: 1000 })
        ),
        "{error}"
    );
}

#[test]
fn a_fatal_code_closes_the_connection() {
    let mut client = Client::new(Recorder::new(b"199 INTERNAL SERVER ERROR\r\n".to_vec()));
    let error = client.metadata("x").expect_err("fatal");
    assert_eq!(error.code(), Some(Code::InternalError));
    assert!(!client.is_usable());
}

/// A check of an error's kind.
type Check = fn(&Error) -> bool;

/// A stream that replies with canned bytes and records each write.
struct Recorder {
    replies: Cursor<Vec<u8>>,
    writes: Vec<Vec<u8>>,
}

impl Recorder {
    fn new(replies: Vec<u8>) -> Self {
        Self {
            replies: Cursor::new(replies),
            writes: Vec::new(),
        }
    }
}

impl Read for Recorder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte at a time: the worst fragmentation there is.
        let len = buf.len().min(1);
        self.replies.read(&mut buf[..len])
    }
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writes.push(buf.to_vec());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
