//! Property tests: round trips at any split point, the streaming decoder
//! against a naive one that buffers the line, slice bodies over any
//! chunking, and fragment bodies (rule 12) of any fragment sizes and
//! against a naive decoder.

use base64::Engine as _;
use hftp_proto::{
    BodyDecoder, Code, Command, Fatal, Form, FragmentDecoder, FragmentEncoder, Item, ProtocolError,
    RAW, Request, ServerConfig, ServerConnection, SliceEncoder, check_name,
};
use proptest::prelude::*;

use crate::common::feed;

const LIMIT: u64 = 300;

/// The streaming decoder's transcript of `input` fed in `pieces` (sizes
/// taken in turn; none: whole).
fn streaming(input: &[u8], pieces: &[usize]) -> Vec<String> {
    let mut server = ServerConnection::new(&ServerConfig::default().max_line_len(LIMIT));
    let mut at = 0;
    let mut sizes = pieces.iter().copied().cycle();
    let chunks = std::iter::from_fn(|| {
        let rest = input.get(at..).filter(|rest| !rest.is_empty())?;
        let size = sizes.next().unwrap_or(rest.len()).max(1);
        let piece = &rest[..size.min(rest.len())];
        at += piece.len();
        Some(piece)
    });
    let mut seen = Vec::new();
    let (_, fatal) = feed(&mut server, chunks, |offset, item| {
        seen.push(format!("{offset}: {item:?}"));
        true
    });
    seen.extend(fatal.map(|fatal| format!("{fatal:?}")));
    seen
}

/// The oracle: find each whole line, then judge it with `split`.
fn naive(input: &[u8]) -> Vec<String> {
    let mut seen = Vec::new();
    let mut start = 0;
    loop {
        let rest = &input[start..];
        let end = rest.iter().position(|&b| b == b'\r' || b == b'\n');
        if end.unwrap_or(rest.len()) as u64 > LIMIT {
            seen.push(format!("{:?}", Fatal::LineTooLong { limit: LIMIT }));
            return seen;
        }
        let Some(end) = end else { return seen };
        match (rest[end], rest.get(end + 1)) {
            (b'\r', None) => return seen,
            (b'\r', Some(b'\n')) => {}
            _ => {
                seen.push(format!("{:?}", Fatal::BadEol));
                return seen;
            }
        }
        start += end + 2;
        match judge(&rest[..end]) {
            Err(fatal) => {
                seen.push(format!("{fatal:?}"));
                return seen;
            }
            Ok(item) => {
                seen.push(format!("{start}: {item:?}"));
                if item == Item::Request(Request::Quit) {
                    return seen;
                }
            }
        }
    }
}

/// Rules 2 to 5 on a whole line, written as plainly as possible.
fn judge(line: &[u8]) -> Result<Item<'_>, Fatal> {
    if line.iter().all(|&b| b == b' ') {
        return Err(Fatal::NoCommand);
    }
    let parts: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    let Some(command) = Command::ALL
        .iter()
        .position(|c| c.name().as_bytes() == parts[0])
    else {
        return Ok(Item::Rejected(Code::InvalidCommand));
    };
    let args = &parts[1..];
    let count_ok = match command {
        1 => args.len() == 1,
        2 => args.len() == 3 || args.len() == 4,
        _ => args.is_empty(),
    };
    let number = |arg: &[u8]| {
        let digits = arg.iter().all(u8::is_ascii_digit);
        std::str::from_utf8(arg)
            .ok()
            .filter(|_| digits)
            .and_then(|s| s.parse::<u64>().ok())
    };
    if !count_ok || args.iter().any(|arg| arg.is_empty()) {
        return Ok(Item::Rejected(Code::InvalidArguments));
    }
    let request = match command {
        0 => Request::FileListing,
        1 => match check_name(args[0]) {
            Ok(name) => Request::Metadata { name },
            Err(code) => return Ok(Item::Rejected(code)),
        },
        2 => {
            let (Some(offset), Some(size)) = (number(args[1]), number(args[2])) else {
                return Ok(Item::Rejected(Code::InvalidArguments));
            };
            if args.len() == 4 && args[3] != RAW.as_bytes() {
                return Ok(Item::Rejected(Code::InvalidArguments));
            }
            let form = if args.len() == 4 {
                Form::Raw
            } else {
                Form::Base64
            };
            match check_name(args[0]) {
                Ok(name) => Request::Slice {
                    name,
                    offset,
                    size,
                    form,
                },
                Err(code) => return Ok(Item::Rejected(code)),
            }
        }
        3 => Request::Help,
        _ => Request::Quit,
    };
    Ok(Item::Request(request))
}

/// One element of a request-shaped line.
fn element() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => "[a-z.ñ/]{1,8}".prop_map(String::into_bytes),
        3 => "[0-9]{1,21}".prop_map(String::into_bytes),
        2 => Just(Vec::new()),
        1 => Just(b"raw".to_vec()),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ]
}

/// Lines shaped like requests: a command, elements, a terminator.
fn request_lines() -> impl Strategy<Value = Vec<u8>> {
    let command = prop_oneof![
        8 => prop::sample::select(Command::ALL.map(Command::name).to_vec())
            .prop_map(|c| c.as_bytes().to_vec()),
        1 => Just(Vec::new()),
        1 => "[a-zA-Z_]{1,20}".prop_map(String::into_bytes),
    ];
    let end = prop_oneof![8 => Just(&b"\r\n"[..]), 1 => Just(&b"\n"[..]), 1 => Just(&b"\r"[..])];
    let line = (command, prop::collection::vec(element(), 0..6), end).prop_map(
        |(command, elements, end)| {
            let mut line = command;
            for element in elements {
                line.push(b' ');
                line.extend_from_slice(&element);
            }
            line.extend_from_slice(end);
            line
        },
    );
    prop::collection::vec(line, 1..6).prop_map(|lines| lines.concat())
}

/// Bytes that look like requests often enough to reach every branch.
fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![request_lines(), request_soup()]
}

/// Tokens of requests in any order.
fn request_soup() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        4 => prop::sample::select(Command::ALL.map(Command::name).to_vec()).prop_map(|c| c.as_bytes().to_vec()),
        4 => Just(b" ".to_vec()),
        4 => Just(b"\r\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\n".to_vec()),
        2 => Just(b"raw".to_vec()),
        3 => "[0-9]{1,21}".prop_map(String::into_bytes),
        3 => "[a-z.ñ/]{1,8}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 1..4),
        1 => prop::collection::vec(Just(b'n'), 250..260),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

fn valid_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._ñ-]{1,40}".prop_filter("not . or ..", |n| n != "." && n != "..")
}

fn request() -> impl Strategy<Value = (u8, String, u64, u64, bool)> {
    (
        0u8..5,
        valid_name(),
        any::<u64>(),
        any::<u64>(),
        any::<bool>(),
    )
}

fn build(kind: u8, name: &str, offset: u64, size: u64, raw: bool) -> Request<'_> {
    let form = if raw { Form::Raw } else { Form::Base64 };
    match kind {
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

fn one_shot(data: &[u8]) -> Vec<u8> {
    [
        base64::engine::general_purpose::STANDARD
            .encode(data)
            .into_bytes(),
        b"\r\n".to_vec(),
    ]
    .concat()
}

proptest! {
    #[test]
    fn decode_of_encode_is_identity_at_any_split((kind, name, offset, size, raw) in request(), split in any::<prop::sample::Index>()) {
        let request = build(kind, &name, offset, size, raw);
        let mut line = Vec::new();
        request.encode(&mut line).expect("a valid name");
        let split = split.index(line.len());
        let mut server = ServerConnection::new(&ServerConfig::default());
        let first = server.decode(&line[..split]).expect("valid");
        prop_assert_eq!(first.consumed, split);
        prop_assert!(first.item.is_none());
        let second = server.decode(&line[split..]).expect("valid");
        prop_assert_eq!(second.consumed, line.len() - split);
        prop_assert_eq!(second.item, Some(Item::Request(request)));
    }

    #[test]
    fn streaming_decoder_agrees_with_the_naive_oracle(input in request_bytes(), pieces in prop::collection::vec(1usize..50, 0..8)) {
        let expected = naive(&input);
        prop_assert_eq!(&streaming(&input, &[]), &expected);
        prop_assert_eq!(&streaming(&input, &pieces), &expected);
    }

    #[test]
    fn slice_encoder_over_any_chunking_is_one_shot_base64(data in prop::collection::vec(any::<u8>(), 0..3000), pieces in prop::collection::vec(1usize..200, 1..10)) {
        let mut out = Vec::new();
        let mut encoder = SliceEncoder::begin(data.len() as u64, &mut out);
        let mut rest = &data[..];
        for size in pieces.iter().cycle() {
            if rest.is_empty() { break; }
            let (piece, tail) = rest.split_at((*size).min(rest.len()));
            encoder.encode(piece, &mut out).expect("never overfed");
            encoder.encode(&[], &mut out).expect("an empty read changes nothing");
            rest = tail;
        }
        encoder.finish(&mut out).expect("the whole body came");
        prop_assert_eq!(&out[..6], b"0 OK\r\n");
        prop_assert_eq!(&out[6..], &one_shot(&data)[..]);
    }

    #[test]
    fn body_decoder_after_encoder_is_identity(
        data in prop::collection::vec(any::<u8>(), 0..3000),
        lines in prop::collection::vec(1usize..500, 1..6),
        feed in 1usize..300,
        room in 1usize..100,
    ) {
        // The body as one line or as several lines, each base64 on its own.
        let mut body = Vec::new();
        let mut rest = &data[..];
        for size in lines.iter().cycle() {
            let (line, tail) = rest.split_at((*size).min(rest.len()));
            body.extend_from_slice(&one_shot(line));
            rest = tail;
            if rest.is_empty() { break; }
        }
        let mut decoder = BodyDecoder::new(data.len() as u64);
        let (mut decoded, mut out, mut done) = (Vec::new(), vec![0; room], false);
        for piece in body.chunks(feed) {
            let mut rest = piece;
            while !rest.is_empty() {
                let progress = decoder.decode(rest, &mut out).expect("a valid body");
                rest = &rest[progress.consumed..];
                decoded.extend_from_slice(&out[..progress.produced]);
                done = progress.done;
            }
        }
        prop_assert!(done);
        prop_assert_eq!(decoded, data);
    }
}

/// A fragment body (rule 12) of `data` in fragments of the given sizes.
fn fragments(data: &[u8], sizes: &[usize]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut body = FragmentEncoder::begin(data.len() as u64, &mut out);
    let mut rest = data;
    for size in sizes.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (fragment, tail) = rest.split_at((*size).min(rest.len()));
        body.encode(fragment, &mut out).expect("within the body");
        rest = tail;
    }
    body.finish(&mut out).expect("complete");
    out.split_off(6)
}

/// What a fragment body of `size` bytes in `input` gives, read whole and
/// naively: the bytes, then `done`, or how it fails; `None` for a body
/// that is still incomplete.
fn naive_fragments(input: &[u8], size: u64) -> (Vec<u8>, Result<Option<bool>, ProtocolError>) {
    let mut data = Vec::new();
    let mut at = 0;
    loop {
        let digits = input[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let Some(&after) = input.get(at + digits) else {
            return match digits {
                21.. => (data, Err(ProtocolError::BadFragmentLength)),
                _ => (data, Ok(None)),
            };
        };
        let value = std::str::from_utf8(&input[at..at + digits])
            .ok()
            .and_then(|text| text.parse::<u64>().ok());
        let value = match (after, value) {
            (b' ', Some(value)) if digits <= 20 => value,
            _ => return (data, Err(ProtocolError::BadFragmentLength)),
        };
        at += digits + 1;
        let remaining = size - data.len() as u64;
        if value > remaining {
            return (data, Err(ProtocolError::BodyTooLong));
        }
        let end = (at as u64 + value).min(input.len() as u64) as usize;
        data.extend_from_slice(&input[at..end]);
        at = end;
        if (data.len() as u64) < size - remaining + value {
            return (data, Ok(None));
        }
        match input.get(at..at + 2) {
            Some(b"\r\n") => at += 2,
            None if input.get(at) == Some(&b'\r') || at == input.len() => return (data, Ok(None)),
            _ => return (data, Err(ProtocolError::BadLineEnd)),
        }
        if value == 0 {
            let missing = size - data.len() as u64;
            return match missing {
                0 => (data, Ok(Some(true))),
                missing => (data, Err(ProtocolError::BodyTooShort { missing })),
            };
        }
    }
}

/// The streaming decoder's result for `input` fed in `pieces` into a
/// buffer of `room` bytes.
fn streaming_fragments(
    input: &[u8],
    size: u64,
    pieces: &[usize],
    room: usize,
) -> (Vec<u8>, Result<Option<bool>, ProtocolError>) {
    let mut body = FragmentDecoder::new(size);
    let (mut data, mut out) = (Vec::new(), vec![0; room]);
    let mut rest = input;
    for piece in pieces.iter().chain(std::iter::repeat(&usize::MAX)) {
        if rest.is_empty() || body.is_done() {
            break;
        }
        let mut chunk = &rest[..(*piece).min(rest.len())];
        rest = &rest[chunk.len()..];
        while !chunk.is_empty() && !body.is_done() {
            match body.decode(chunk, &mut out) {
                Ok(progress) => {
                    data.extend_from_slice(&out[..progress.produced]);
                    chunk = &chunk[progress.consumed..];
                }
                Err(error) => return (data, Err(error)),
            }
        }
    }
    let done = body.is_done().then_some(true);
    (data, Ok(done))
}

proptest! {
    #[test]
    fn fragment_bodies_of_any_fragment_sizes_decode_to_the_data(
        data in prop::collection::vec(any::<u8>(), 0..3000),
        sizes in prop::collection::vec(1usize..700, 1..6),
        pieces in prop::collection::vec(1usize..300, 0..8),
        room in 1usize..100,
    ) {
        let body = fragments(&data, &sizes);
        let (decoded, done) = streaming_fragments(&body, data.len() as u64, &pieces, room);
        prop_assert_eq!(done, Ok(Some(true)));
        prop_assert_eq!(decoded, data);
    }

    #[test]
    fn fragment_decoder_agrees_with_the_naive_oracle(
        input in prop::collection::vec(
            prop_oneof![Just(b'1'), Just(b'0'), Just(b' '), Just(b'\r'), Just(b'\n'), Just(b'x'), any::<u8>()],
            0..60,
        ),
        size in 0u64..20,
        pieces in prop::collection::vec(1usize..10, 0..8),
        room in 1usize..8,
    ) {
        // On an error, the bytes of the failing call are not reported:
        // only the error is compared.
        let outcome = |(data, result): (Vec<u8>, Result<Option<bool>, ProtocolError>)| match result {
            Ok(done) => Ok((data, done)),
            Err(error) => Err(error),
        };
        let expected = outcome(naive_fragments(&input, size));
        prop_assert_eq!(&outcome(streaming_fragments(&input, size, &[], 64)), &expected);
        prop_assert_eq!(&outcome(streaming_fragments(&input, size, &pieces, room)), &expected);
    }
}
