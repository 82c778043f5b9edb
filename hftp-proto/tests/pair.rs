//! Client side and server side of the crate talking through in-memory
//! buffers, with a map standing in for the served directory: list, stat
//! and get stories, pipelined and fragmented.

use std::collections::BTreeMap;

use hftp_proto::{
    ClientConfig, ClientConnection, Code, Event, Form, FragmentEncoder, Item, Listing, Phase,
    RawSlice, Request, ServerConfig, ServerConnection, SliceEncoder, check_range, reply,
};

/// The directory: names (as bytes, since some cannot travel) to contents.
type Files = BTreeMap<Vec<u8>, Vec<u8>>;

/// How the server frames plain slice bodies: base64, or fragments of at
/// most this many bytes (rule 12).
type Fragments = Option<usize>;

/// Answers one request as a server would, reading files in pieces of
/// `piece` bytes. Returns the status code sent.
fn answer(
    request: &Request<'_>,
    files: &Files,
    (piece, fragments): (usize, Fragments),
    out: &mut Vec<u8>,
) -> Code {
    let file = request.name().and_then(|name| files.get(name.as_bytes()));
    let code = match (*request, file) {
        (Request::FileListing, _) => {
            let mut listing = Listing::begin(false, out);
            for name in files.keys() {
                let _ = listing.push(name, out);
            }
            listing.finish(out);
            Code::Ok
        }
        (Request::Help, _) => {
            reply::write_help(out);
            Code::Ok
        }
        (Request::Quit, _) => Code::Ok,
        (Request::Metadata { .. }, Some(data)) => {
            reply::write_metadata(data.len() as u64, out);
            Code::Ok
        }
        (
            Request::Slice {
                offset, size, form, ..
            },
            Some(data),
        ) => match check_range(offset, size, data.len() as u64) {
            Ok(()) => {
                let data = &data[offset as usize..][..size as usize];
                send_slice(data, form, (piece, fragments), out)
            }
            Err(code) => code,
        },
        (_, None) => Code::FileNotFound,
    };
    if code != Code::Ok || *request == Request::Quit {
        reply::write_status(code, out);
    }
    code
}

fn send_slice(
    data: &[u8],
    form: Form,
    (piece, fragments): (usize, Fragments),
    out: &mut Vec<u8>,
) -> Code {
    let size = data.len() as u64;
    if let (Form::Base64, Some(fragment)) = (form, fragments) {
        // A fragment's bytes, read in pieces, follow its length line.
        let mut body = FragmentEncoder::begin(size, out);
        for fragment in data.chunks(fragment) {
            body.start_fragment(fragment.len() as u64, out)
                .expect("within the body");
            for chunk in fragment.chunks(piece) {
                out.extend_from_slice(chunk);
                body.sent(chunk.len() as u64).expect("never overfed");
            }
        }
        body.finish(out).expect("whole body");
    } else if form == Form::Raw {
        let mut body = RawSlice::begin(size, out);
        for chunk in data.chunks(piece) {
            out.extend_from_slice(chunk);
            body.sent(chunk.len() as u64).expect("never overfed");
        }
        body.finish().expect("whole body");
    } else {
        let mut body = SliceEncoder::begin(size, out);
        for chunk in data.chunks(piece) {
            body.encode(chunk, out).expect("never overfed");
        }
        body.finish(out).expect("whole body");
    }
    Code::Ok
}

/// Both sides, the directory, and what travels between them.
struct Pair {
    client: ClientConnection,
    server: ServerConnection,
    files: Files,
    to_server: Vec<u8>,
    piece: usize,
    fragments: Fragments,
}

impl Pair {
    fn new(files: &[(&[u8], &[u8])], piece: usize) -> Self {
        Self {
            client: ClientConnection::new(&ClientConfig::default()),
            server: ServerConnection::new(&ServerConfig::default()),
            files: files
                .iter()
                .map(|(n, d)| (n.to_vec(), d.to_vec()))
                .collect(),
            to_server: Vec::new(),
            piece,
            fragments: None,
        }
    }

    /// The same pair, its server framing plain slices in fragments of at
    /// most `size` bytes (rule 12).
    fn fragments(mut self, size: usize) -> Self {
        self.fragments = Some(size);
        self
    }

    fn send(&mut self, request: Request<'_>) -> &mut Self {
        self.client
            .send(&request, &mut self.to_server)
            .expect("a valid request");
        self
    }

    /// Delivers everything both ways in pieces; returns the client's
    /// events, with each slice body as text at its end.
    fn run(&mut self) -> Vec<String> {
        let to_client = self.serve();
        let mut events = Vec::new();
        let mut body = Vec::new();
        let mut buffer = [0; 5];
        for chunk in to_client.chunks(self.piece) {
            let mut rest = chunk;
            while !rest.is_empty() {
                let received = self.client.decode(rest, &mut buffer).unwrap_or_else(|e| {
                    panic!(
                        "{e:?} piece {} rest {:?} events {events:?}",
                        self.piece,
                        String::from_utf8_lossy(rest)
                    )
                });
                rest = &rest[received.consumed..];
                body.extend_from_slice(&buffer[..received.produced]);
                match received.event {
                    Some(Event::BodyEnd) => {
                        events.push(format!("body {}", String::from_utf8_lossy(&body)));
                        body.clear();
                    }
                    Some(event) => events.push(format!("{event:?}")),
                    None => {}
                }
            }
        }
        events
    }

    /// The server's side: decode what arrived, answer each item.
    fn serve(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        for chunk in self.to_server.chunks(self.piece) {
            let mut rest = chunk;
            while !rest.is_empty() && self.server.phase() == Phase::Reading {
                let decoded = self.server.decode(rest).expect("no fatal error");
                rest = &rest[decoded.consumed..];
                let code = match decoded.item {
                    None => continue,
                    Some(Item::Rejected(code)) => {
                        reply::write_status(code, &mut out);
                        code
                    }
                    Some(Item::Request(request)) => answer(
                        &request,
                        &self.files,
                        (self.piece, self.fragments),
                        &mut out,
                    ),
                };
                self.server.finish_reply(code);
            }
        }
        self.to_server.clear();
        out
    }
}

const HOLA: &[u8] = b"Que calor que hace hoy, pinocho!\n";

fn directory() -> Vec<(&'static [u8], &'static [u8])> {
    vec![
        (b"hola.txt", HOLA),
        (b"vacio", b""),
        (b"con espacio", b"x"),
        (b"\xffbad", b"x"),
        ("ñandú".as_bytes(), b"ave"),
    ]
}

#[test]
fn list_stat_get_story_pipelined_and_fragmented() {
    let servers = [None, Some(1), Some(5), Some(256)];
    for (piece, fragments) in [1, 2, 3, 7, 4096]
        .into_iter()
        .flat_map(|piece| servers.map(|fragments| (piece, fragments)))
    {
        let pair = Pair::new(&directory(), piece);
        // A base64 server, or a server of the seed's era (rule 12): the
        // same client tells them apart with no configuration.
        let mut pair = match fragments {
            Some(size) => pair.fragments(size),
            None => pair,
        };
        pair.send(Request::FileListing)
            .send(Request::Metadata { name: "hola.txt" })
            .send(Request::Slice {
                name: "hola.txt",
                offset: 4,
                size: 14,
                form: Form::Base64,
            })
            .send(Request::Slice {
                name: "hola.txt",
                offset: 0,
                size: 33,
                form: Form::Raw,
            })
            .send(Request::Slice {
                name: "vacio",
                offset: 0,
                size: 0,
                form: Form::Base64,
            })
            .send(Request::Slice {
                name: "vacio",
                offset: 0,
                size: 0,
                form: Form::Raw,
            });
        assert_eq!(
            pair.run(),
            [
                "Status(Ok)",
                "Name(\"hola.txt\")",
                "Name(\"vacio\")",
                "Name(\"ñandú\")",
                "ListEnd",
                "Status(Ok)",
                "Size(33)",
                "Status(Ok)",
                "body calor que hace",
                "Status(Ok)",
                "body Que calor que hace hoy, pinocho!\n",
                "Status(Ok)",
                "body ",
                "Status(Ok)",
                "body ",
            ],
            "piece {piece}, fragments {fragments:?}"
        );
        assert_eq!(pair.client.pending(), 0);
    }
}

#[test]
fn refusals_reach_the_client_and_the_connection_goes_on() {
    let mut pair = Pair::new(&directory(), 3);
    pair.send(Request::Metadata { name: "nada.txt" })
        .send(Request::Slice {
            name: "hola.txt",
            offset: 30,
            size: 4,
            form: Form::Base64,
        })
        .send(Request::Metadata { name: "a/b" })
        .send(Request::Help)
        .send(Request::Quit);
    assert_eq!(
        pair.run(),
        [
            "Status(FileNotFound)",
            "Status(BadOffset)",
            "Status(InvalidArguments)",
            "Status(Ok)",
            "Name(\"get_file_listing\")",
            "Name(\"get_metadata\")",
            "Name(\"get_slice\")",
            "Name(\"help\")",
            "Name(\"quit\")",
            "ListEnd",
            "Status(Ok)",
        ]
    );
    assert!(
        pair.client.is_ended(),
        "after quit only the end of the stream may come"
    );
    assert_eq!(pair.client.receive_eof(), Ok(()));
    assert_eq!(pair.server.phase(), Phase::Closed);
}

#[test]
fn a_large_slice_survives_any_fragmentation() {
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 254 + 1) as u8).collect();
    for piece in [1000, 4095, 65536] {
        let mut pair = Pair::new(&[(b"big", &data)], piece);
        pair.send(Request::Slice {
            name: "big",
            offset: 1,
            size: 99_998,
            form: Form::Base64,
        });
        let events = pair.run();
        let expected = format!("body {}", String::from_utf8_lossy(&data[1..99_999]));
        assert_eq!(events, ["Status(Ok)".to_string(), expected]);
    }
}
