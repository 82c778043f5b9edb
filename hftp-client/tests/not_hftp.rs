//! Servers of other protocols (HTTP, SSH, TLS), and ones that send noise
//! or nothing: every command says in one line that the server is not an
//! HFTP server and what it looks like, and `check` gives that one verdict.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;

use hftp_client::{Client, Error, Foreign};

use crate::common::{hftp, json_objects, ran};

/// How a server of another kind behaves on each connection.
#[derive(Clone, Copy, Debug)]
enum Other {
    /// Answers the first line with an HTTP `400 Bad Request`, then closes.
    Http,
    /// Greets first, as SSH servers do, then answers nothing.
    Ssh,
    /// Answers the first line with a TLS alert record, then closes.
    Tls,
    /// Closes as soon as the connection is made, without a byte.
    Silent,
    /// Answers the first line with binary bytes, then closes.
    Noise,
}

impl Other {
    /// What each test expects to read, in English and in Spanish.
    const fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Http => (
                "it answered like an HTTP server (\"HTTP/1.1 400 Bad Request\")",
                "respondió como un servidor HTTP (\"HTTP/1.1 400 Bad Request\")",
            ),
            Self::Ssh => (
                "it greeted like an SSH server (\"SSH-2.0-OpenSSH_9.6\")",
                "saludó como un servidor SSH (\"SSH-2.0-OpenSSH_9.6\")",
            ),
            Self::Tls => (
                "it answered like a TLS server (bytes 15 03 03 00 02 02 32)",
                "respondió como un servidor TLS (bytes 15 03 03 00 02 02 32)",
            ),
            Self::Silent => (
                "it closed the connection without sending a byte",
                "cerró la conexión sin mandar ni un byte",
            ),
            Self::Noise => (
                "it sent bytes that are not text (00 01 02 03 fe ff 80 81)",
                "mandó bytes que no son texto (00 01 02 03 fe ff 80 81)",
            ),
        }
    }

    /// The word of the JSON Lines.
    const fn word(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Ssh => "ssh",
            Self::Tls => "tls",
            Self::Silent => "silent",
            Self::Noise => "noise",
        }
    }

    /// Serves one connection.
    fn serve(self, mut stream: TcpStream) {
        if let Self::Silent = self {
            return;
        }
        if let Self::Ssh = self {
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
        }
        let mut line = String::new();
        let reader = stream.try_clone().expect("clone");
        if BufReader::new(reader).read_line(&mut line).is_err() {
            return;
        }
        let reply: &[u8] = match self {
            Self::Http => {
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            }
            Self::Tls => &[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32],
            Self::Noise => &[0, 1, 2, 3, 0xfe, 0xff, 0x80, 0x81, 0x82, 0x83],
            Self::Ssh | Self::Silent => b"",
        };
        let _ = stream.write_all(reply);
        let _ = stream.shutdown(Shutdown::Write);
        // Read what else comes, so that the close is clean (no reset).
        let _ = std::io::copy(&mut stream, &mut std::io::sink());
    }

    /// Starts a server of this kind on 127.0.0.1, for the life of the
    /// test process: its address.
    fn start(self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("local address").to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                thread::spawn(move || self.serve(stream));
            }
        });
        addr
    }
}

const ALL: [Other; 5] = [
    Other::Http,
    Other::Ssh,
    Other::Tls,
    Other::Silent,
    Other::Noise,
];

#[test]
fn the_library_tells_another_protocol_from_a_broken_hftp_server() {
    for other in ALL {
        let addr = other.start();
        let error = Client::connect(addr.as_str())
            .and_then(|mut client| client.list())
            .expect_err("not HFTP");
        let Error::NotHftp { server, looks } = &error else {
            panic!("{other:?}: {error:?}");
        };
        assert_eq!(server.as_deref(), Some(addr.as_str()));
        let expected = match other {
            Other::Http => Foreign::Http("HTTP/1.1 400 Bad Request".to_owned()),
            Other::Ssh => Foreign::Ssh("SSH-2.0-OpenSSH_9.6".to_owned()),
            Other::Tls => Foreign::Tls(vec![0x15, 3, 3, 0, 2, 2, 0x32]),
            Other::Silent => Foreign::Silent,
            Other::Noise => Foreign::Noise(vec![0, 1, 2, 3, 0xfe, 0xff, 0x80, 0x81]),
        };
        assert_eq!(looks, &expected, "{other:?}");
        assert_eq!(
            error.to_string(),
            format!("{addr} is not an HFTP server: {}", other.words().0)
        );
    }
}

#[test]
fn every_command_says_in_one_line_that_the_server_is_not_hftp() {
    let commands: [&[&str]; 3] = [&["ls"], &["stat", "a.txt"], &["get", "-o", "-", "a.txt"]];
    for other in ALL {
        let addr = other.start();
        let (english, spanish) = other.words();
        for args in commands {
            ran(hftp(&addr).args(args))
                .expect_code(5)
                .one_error_line(&format!("hftp: {addr} is not an HFTP server: {english}"));
            ran(hftp(&addr).args(["--lang", "es"]).args(args))
                .expect_code(5)
                .one_error_line(&format!("hftp: {addr} no es un servidor HFTP: {spanish}"));
        }
    }
}

#[test]
fn check_gives_one_verdict_on_a_server_that_is_not_hftp() {
    for other in ALL {
        let addr = other.start();
        let (english, spanish) = other.words();
        let out = ran(hftp(&addr).arg("check"));
        out.expect_code(1);
        let text = out.text();
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("NOT HFTP: {addr} is not an HFTP server: {english}"),
            "{text}"
        );
        assert!(
            text.contains("cases, the server not being an HFTP server"),
            "{text}"
        );
        for word in ["SECURITY", "DEAD", "FAIL"] {
            assert!(!text.contains(word), "{word} in {text}");
        }
        let out = ran(hftp(&addr).args(["--lang", "es", "check"]));
        out.expect_code(1);
        let text = out.text();
        assert!(
            text.starts_with(&format!(
                "NO ES HFTP: {addr} no es un servidor HFTP: {spanish}\n"
            )),
            "{text}"
        );
        assert!(text.contains("porque el servidor no es HFTP"), "{text}");

        let out = ran(hftp(&addr).args(["check", "--json"]));
        out.expect_code(1);
        let objects = json_objects(&out.text());
        let totals = objects.last().expect("the totals");
        assert_eq!(totals["not_hftp"]["looks_like"], other.word(), "{totals}");
        assert_eq!(totals["passed"], 0);
        assert!(
            objects[..objects.len() - 1]
                .iter()
                .all(|case| case["status"] == "skip"),
            "every case not run"
        );
    }
}

#[test]
fn the_check_report_does_not_begin_with_an_empty_line() {
    let server = crate::common::Served::new(&[]);
    for lang in ["en", "es"] {
        let out = ran(hftp(&server.addr()).args(["--lang", lang, "check", "--only", "1.*"]));
        out.expect_code(0);
        let text = out.text();
        assert!(!text.starts_with('\n'), "{text:?}");
        assert!(
            text.starts_with("rule 1") || text.starts_with("regla 1"),
            "{text:?}"
        );
    }
}
