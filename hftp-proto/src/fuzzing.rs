//! Oracles for the fuzz targets in `fuzz/`: each takes arbitrary bytes and
//! panics if two ways of doing the same thing disagree, or if a connection
//! driven by arbitrary operations leaves its model ([`server_ops`],
//! [`client_ops`]). Compiled only with `--cfg fuzzing`, as `cargo fuzz`
//! sets it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine as _;

mod choices;
mod client_ops;
mod server_ops;

pub use client_ops::client_ops;
pub use server_ops::server_ops;

use crate::body::{BodyDecoder, SliceEncoder};
use crate::client::{ClientConnection, Event};
use crate::code::Code;
use crate::config::{ClientConfig, ServerConfig};
use crate::fragment::FragmentEncoder;
use crate::line::Item;
use crate::name::check_name;
use crate::request::{Form, Request};
use crate::server::{Phase, ServerConnection};

/// Splits `data` into a parameter byte and the rest.
fn split_first(data: &[u8]) -> (u8, &[u8]) {
    data.split_first()
        .map_or((0, data), |(first, rest)| (*first, rest))
}

/// Piece sizes 1..=`max` taken cyclically from `seed` (all 1 if empty).
fn pieces<'a>(input: &'a [u8], seed: &'a [u8], max: usize) -> impl Iterator<Item = &'a [u8]> {
    let mut at = 0;
    let mut turn = 0;
    core::iter::from_fn(move || {
        let rest = input.get(at..).filter(|rest| !rest.is_empty())?;
        let size = seed
            .get(turn % seed.len().max(1))
            .map_or(1, |&b| usize::from(b) % max + 1);
        turn += 1;
        let piece = &rest[..size.min(rest.len())];
        at += piece.len();
        Some(piece)
    })
}

/// The server side's transcript of `input` fed in the given pieces: one
/// line per item or fatal error, with the byte offset where it ended.
fn server_transcript<'a>(pieces: impl Iterator<Item = &'a [u8]>) -> Vec<String> {
    let mut server = ServerConnection::new(&ServerConfig::default().max_line_len(300));
    let (mut seen, mut offset) = (Vec::new(), 0);
    for piece in pieces {
        let mut rest = piece;
        while !rest.is_empty() && server.phase() == Phase::Reading {
            match server.decode(rest) {
                Ok(decoded) => {
                    assert!(decoded.consumed > 0 || decoded.item.is_some(), "progress");
                    rest = &rest[decoded.consumed..];
                    offset += decoded.consumed;
                    if let Some(item) = decoded.item {
                        seen.push(format!("{offset}: {item:?}"));
                        let code = if let Item::Rejected(code) = item {
                            code
                        } else {
                            Code::Ok
                        };
                        server.finish_reply(code);
                    }
                }
                Err(fatal) => {
                    seen.push(format!("{fatal:?}"));
                    return seen;
                }
            }
        }
    }
    seen
}

/// The request of kind `kind % 5`, raw if bit 3 of `kind` is set.
fn request_of(kind: u8, name: &str, offset: u64, size: u64) -> Request<'_> {
    let form = if kind & 8 == 0 {
        Form::Base64
    } else {
        Form::Raw
    };
    match kind % 5 {
        0 => Request::FileListing,
        1 => Request::Metadata { name },
        2 => Request::Slice {
            name,
            offset,
            size,
            form,
        },
        3 => Request::Help,
        _ => Request::Quit,
    }
}

/// Request decoding: whole, one byte at a time and split at arbitrary
/// points must give the same items at the same offsets.
pub fn request_split(data: &[u8]) {
    let (seed_len, rest) = split_first(data);
    let (seed, input) = rest.split_at(usize::from(seed_len % 8).min(rest.len()));
    let whole = server_transcript(core::iter::once(input));
    assert_eq!(whole, server_transcript(input.chunks(1)), "byte at a time");
    assert_eq!(whole, server_transcript(pieces(input, seed, 64)), "split");
}

/// A request built from `data`, encoded, must decode to itself.
pub fn request_round_trip(data: &[u8]) {
    let (kind, rest) = split_first(data);
    let (numbers, name) = rest.split_at(rest.len().min(16));
    let mut words = [0u8; 16];
    words[..numbers.len()].copy_from_slice(numbers);
    let [offset, size] =
        [&words[..8], &words[8..]].map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()));
    let Ok(name) = check_name(name) else {
        return;
    };
    if name.contains(' ') {
        return;
    }
    let request = request_of(kind, name, offset, size);
    let mut line = Vec::new();
    request.encode(&mut line).expect("a valid name encodes");
    let mut server = ServerConnection::new(&ServerConfig::default());
    let decoded = server.decode(&line).expect("an encoded request is valid");
    assert_eq!(decoded.consumed, line.len());
    assert_eq!(decoded.item, Some(Item::Request(request)));
}

/// The client side's events for `input` after the requests in `kinds`.
fn client_transcript<'a>(kinds: &[u8], pieces: impl Iterator<Item = &'a [u8]>) -> Vec<String> {
    let mut client = ClientConnection::new(&ClientConfig::default().max_line_len(100));
    let mut sent = Vec::new();
    for &kind in kinds {
        let request = request_of(kind, "a", 0, u64::from(kind >> 4));
        client.send(&request, &mut sent).expect("a valid request");
    }
    let (mut seen, mut body, mut out) = (Vec::new(), Vec::new(), [0u8; 7]);
    for piece in pieces {
        let mut rest = piece;
        while !rest.is_empty() {
            match client.decode(rest, &mut out) {
                Ok(received) => {
                    rest = &rest[received.consumed..];
                    body.extend_from_slice(&out[..received.produced]);
                    if let Some(event) = received.event {
                        seen.push(format!("{event:?} {body:?}"));
                        body.clear();
                    }
                }
                Err(error) => {
                    seen.push(format!("{error:?}"));
                    return seen;
                }
            }
        }
    }
    seen.push(format!("{:?}", client.receive_eof()));
    seen
}

/// Client response decoding: whole, byte at a time and split must agree,
/// and nothing panics whatever the server sends.
pub fn client_responses(data: &[u8]) {
    let (count, rest) = split_first(data);
    let (kinds, rest) = rest.split_at(usize::from(count % 6).min(rest.len()));
    let (seed, input) = rest.split_at(rest.len().min(4));
    let whole = client_transcript(kinds, core::iter::once(input));
    assert_eq!(
        whole,
        client_transcript(kinds, input.chunks(1)),
        "byte at a time"
    );
    assert_eq!(
        whole,
        client_transcript(kinds, pieces(input, seed, 200)),
        "split"
    );
}

/// Slice bodies: encoding over arbitrary chunks equals one-shot base64 and
/// `\r\n`; decoding that over arbitrary chunks gives the data back.
pub fn slice_body(data: &[u8]) {
    let (seed_len, rest) = split_first(data);
    let (seed, payload) = rest.split_at(usize::from(seed_len % 8).min(rest.len()));
    let size = payload.len() as u64;
    let mut encoded = Vec::new();
    let mut encoder = SliceEncoder::begin(size, &mut encoded);
    let status_len = encoded.len();
    for piece in pieces(payload, seed, 100) {
        encoder.encode(piece, &mut encoded).expect("never overfed");
    }
    encoder.finish(&mut encoded).expect("the whole body came");
    let expected = [
        base64::engine::general_purpose::STANDARD
            .encode(payload)
            .as_bytes(),
        b"\r\n",
    ]
    .concat();
    assert_eq!(encoded[status_len..], expected[..]);

    let mut decoder = BodyDecoder::new(size);
    let (mut decoded, mut out, mut done) = (Vec::new(), [0u8; 5], false);
    for piece in pieces(&expected, seed, 50) {
        let mut rest = piece;
        while !rest.is_empty() {
            let progress = decoder
                .decode(rest, &mut out)
                .expect("our own encoding decodes");
            rest = &rest[progress.consumed..];
            decoded.extend_from_slice(&out[..progress.produced]);
            done = progress.done;
        }
    }
    assert!(done, "the body ended");
    assert_eq!(decoded, payload);
}

/// Fragment bodies (rule 12): a body framed in arbitrary fragment sizes
/// decodes, through a client that detects the framing, to the data, fed
/// in arbitrary pieces and taken with or without copies; and arbitrary
/// bytes after a status line give the same outcome whole and one byte at
/// a time.
pub fn fragment_body(data: &[u8]) {
    let (seed_len, rest) = split_first(data);
    let (seed, payload) = rest.split_at(usize::from(seed_len % 8).min(rest.len()));
    let size = payload.len() as u64;
    let mut encoded = Vec::new();
    let mut encoder = FragmentEncoder::begin(size, &mut encoded);
    for fragment in pieces(payload, seed, 300) {
        encoder
            .encode(fragment, &mut encoded)
            .expect("never overfed");
    }
    encoder.finish(&mut encoded).expect("the whole body came");
    for zero_copy in [false, true] {
        let (decoded, end) = fragment_client(size, pieces(&encoded, seed, 50), zero_copy);
        assert_eq!(end, "BodyEnd", "our own encoding decodes");
        assert_eq!(decoded, payload);
    }
    // The payload itself as a reply, framing unknown.
    let input = [b"0 OK\r\n", payload].concat();
    let whole = fragment_client(size, core::iter::once(&input[..]), true);
    assert_eq!(
        whole,
        fragment_client(size, input.chunks(1), true),
        "byte at a time"
    );
    assert_eq!(
        whole,
        fragment_client(size, input.chunks(1), false),
        "copied"
    );
}

/// A client's plain slice of `size` bytes fed `pieces`: the body bytes and
/// how it ended (the event, an error, or still waiting).
fn fragment_client<'a>(
    size: u64,
    pieces: impl Iterator<Item = &'a [u8]>,
    zero_copy: bool,
) -> (Vec<u8>, String) {
    let mut client = ClientConnection::new(&ClientConfig::default());
    let slice = request_of(2, "a", 0, size);
    client
        .send(&slice, &mut Vec::new())
        .expect("a valid request");
    let (mut body, mut out) = (Vec::new(), [0u8; 5]);
    for piece in pieces {
        let mut rest = piece;
        while !rest.is_empty() {
            if zero_copy && client.raw_remaining().is_some() {
                let (taken, event) = client.take_raw(rest.len());
                body.extend_from_slice(&rest[..taken]);
                rest = &rest[taken..];
                if let Some(event) = event {
                    return (body, format!("{event:?}"));
                }
                continue;
            }
            match client.decode(rest, &mut out) {
                Ok(received) => {
                    rest = &rest[received.consumed..];
                    body.extend_from_slice(&out[..received.produced]);
                    if received.event == Some(Event::BodyEnd) {
                        return (body, "BodyEnd".into());
                    }
                }
                Err(error) => return (Vec::new(), format!("{error:?}")),
            }
        }
    }
    (body, "waiting".into())
}
