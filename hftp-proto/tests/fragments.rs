//! Rule 12, the seed's framing: a plain `get_slice` body as raw
//! length-prefixed fragments. Every transcript runs three ways: whole, one
//! byte at a time, and with a pipelined reply after it, which must be
//! left for the next reply.

use hftp_proto::{
    BodyError, ClientConfig, ClientConnection, Form, FragmentDecoder, FragmentEncoder, Framing,
    ProtocolError, Request,
};

/// What a client made of a reply: its events, the body bytes and the
/// framing it saw, or the first error.
type Decoded = Result<(Vec<String>, Vec<u8>, Option<Framing>), ProtocolError>;

/// `get_slice hola.txt 4 14`.
const SLICE: Request<'static> = Request::Slice {
    name: "hola.txt",
    offset: 4,
    size: 14,
    form: Form::Base64,
};

/// A pipelined `get_metadata` and its reply, after the slice's.
const NEXT: Request<'static> = Request::Metadata { name: "x" };
const NEXT_REPLY: &[u8] = b"0 OK\r\n7\r\n";

/// A plain slice of `size` bytes.
fn slice(size: u64) -> Request<'static> {
    Request::Slice {
        name: "f",
        offset: 0,
        size,
        form: Form::Base64,
    }
}

/// Feeds `input` in pieces of `piece` bytes to a client with `config`
/// that sent `requests`, taking fragment bytes without a copy when
/// `zero_copy`; returns the events, the body bytes and the framing seen,
/// or the first error.
fn receive(
    config: &ClientConfig,
    requests: &[Request<'_>],
    input: &[u8],
    (piece, zero_copy): (usize, bool),
) -> Decoded {
    let mut client = ClientConnection::new(config);
    for request in requests {
        client
            .send(request, &mut Vec::new())
            .expect("a valid request");
    }
    let (mut events, mut body, mut out) = (Vec::new(), Vec::new(), [0; 7]);
    for chunk in input.chunks(piece.max(1)) {
        let mut rest = chunk;
        while !rest.is_empty() {
            if zero_copy && client.raw_remaining().is_some() {
                let (taken, event) = client.take_raw(rest.len());
                body.extend_from_slice(&rest[..taken]);
                rest = &rest[taken..];
                events.extend(event.map(|event| format!("{event:?}")));
                continue;
            }
            let received = client.decode(rest, &mut out)?;
            rest = &rest[received.consumed..];
            body.extend_from_slice(&out[..received.produced]);
            events.extend(received.event.map(|event| format!("{event:?}")));
        }
    }
    client.receive_eof()?;
    Ok((events, body, client.framing()))
}

/// Runs `receive` whole, one byte at a time (copying, and taking fragment
/// bytes without a copy), and with a pipelined reply after the input; all
/// must agree. Returns the whole run's result.
fn three_ways(config: &ClientConfig, requests: &[Request<'_>], input: &[u8]) -> Decoded {
    let whole = receive(config, requests, input, (input.len(), false));
    for ways in [(1, false), (1, true), (3, true)] {
        assert_eq!(whole, receive(config, requests, input, ways), "{ways:?}");
    }
    let mut pipelined = requests.to_vec();
    pipelined.push(NEXT);
    let followed = receive(config, &pipelined, &[input, NEXT_REPLY].concat(), (5, true));
    match &whole {
        Ok((events, body, framing)) => {
            let mut events = events.clone();
            events.extend(["Status(Ok)".to_owned(), "Size(7)".to_owned()]);
            assert_eq!(followed, Ok((events, body.clone(), *framing)), "pipelined");
        }
        // A reply cut short by the close reads the next reply as its own
        // continuation: whatever that gives, it is an error.
        Err(ProtocolError::Truncated { .. }) => assert!(followed.is_err(), "pipelined"),
        Err(error) => assert_eq!(followed.as_ref().err(), Some(error), "pipelined"),
    }
    whole
}

/// Detects the framing, as every client does by default.
fn detect() -> ClientConfig {
    ClientConfig::default()
}

#[test]
fn rule_12_the_contracts_example_is_recognised_without_configuration() {
    let input = b"0 OK\r\n10 calor que \r\n4 hace\r\n0 \r\n";
    let (events, body, framing) = three_ways(&detect(), &[SLICE], input).expect("accepted");
    assert_eq!(events, ["Status(Ok)", "BodyEnd"]);
    assert_eq!(body, b"calor que hace");
    assert_eq!(framing, Some(Framing::Fragments));
}

#[test]
fn rule_12_a_server_of_the_seeds_era_with_its_own_status_text() {
    let input = b"0 The task was performed successfuly.\r\n14 calor que hace\r\n0 \r\n";
    let (events, body, _) = three_ways(&detect(), &[SLICE], input).expect("accepted");
    assert_eq!(events, ["Status(Ok)", "BodyEnd"]);
    assert_eq!(body, b"calor que hace");
}

#[test]
fn rule_12_fragment_bytes_may_be_anything_and_fragments_any_size() {
    let data: Vec<u8> = (0..=255).chain(b"\r\n0 \r\n\0\0".iter().copied()).collect();
    for fragment in [1, 2, 7, 256, data.len()] {
        let mut input = Vec::new();
        let mut body = FragmentEncoder::begin(data.len() as u64, &mut input);
        for piece in data.chunks(fragment) {
            body.encode(piece, &mut input).expect("within the body");
        }
        body.finish(&mut input).expect("complete");
        let (events, got, framing) =
            three_ways(&detect(), &[slice(data.len() as u64)], &input).expect("accepted");
        assert_eq!(events, ["Status(Ok)", "BodyEnd"], "fragments of {fragment}");
        assert_eq!(got, data, "fragments of {fragment}");
        assert_eq!(framing, Some(Framing::Fragments));
    }
}

#[test]
fn rule_12_size_0_is_the_terminator_alone() {
    let (events, body, framing) =
        three_ways(&detect(), &[slice(0)], b"0 OK\r\n0 \r\n").expect("accepted");
    assert_eq!((events.len(), body.len()), (2, 0));
    assert_eq!(framing, Some(Framing::Fragments));
    // And the empty base64 body is the bare line end.
    let (_, _, framing) = three_ways(&detect(), &[slice(0)], b"0 OK\r\n\r\n").expect("accepted");
    assert_eq!(framing, Some(Framing::Base64));
}

#[test]
fn rule_12_base64_that_starts_with_digits_is_still_base64() {
    // "1234" is base64 for three bytes; 24 digits for eighteen, longer
    // than any fragment length.
    for (text, size) in [(&b"1234"[..], 3), (b"012345678901234567890123", 18)] {
        let input = [b"0 OK\r\n", text, b"\r\n"].concat();
        let (events, body, framing) =
            three_ways(&detect(), &[slice(size)], &input).expect("base64");
        assert_eq!(events, ["Status(Ok)", "BodyEnd"]);
        assert_eq!(body.len() as u64, size);
        assert_eq!(framing, Some(Framing::Base64));
    }
}

#[test]
fn rule_12_malformed_fragments_are_each_a_clean_error() {
    let fragments = ClientConfig::default().framing(Some(Framing::Fragments));
    let cases: [(&[u8], ProtocolError); 7] = [
        (
            b"14calor que hace\r\n0 \r\n",
            ProtocolError::BadFragmentLength,
        ),
        (
            b" 14 calor que hace\r\n0 \r\n",
            ProtocolError::BadFragmentLength,
        ),
        (b"15 calor que hace!\r\n0 \r\n", ProtocolError::BodyTooLong),
        (b"14 calor que hace0 \r\n", ProtocolError::BadLineEnd),
        (b"14 calor que hace\n0 \r\n", ProtocolError::BadLineEnd),
        (
            b"4 calo\r\n0 \r\n",
            ProtocolError::BodyTooShort { missing: 10 },
        ),
        (b"123456789012345678901", ProtocolError::BadFragmentLength),
    ];
    for (body, error) in cases {
        let input = [b"0 OK\r\n", body].concat();
        assert_eq!(
            three_ways(&fragments, &[SLICE], &input),
            Err(error),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    // A missing terminator, or a length line that never ends, is a reply
    // cut short when the server closes.
    for body in [&b"14 calor que hace\r\n"[..], b"14 calor que hace", b"14"] {
        let input = [b"0 OK\r\n", body].concat();
        assert_eq!(
            three_ways(&fragments, &[SLICE], &input),
            Err(ProtocolError::Truncated { pending: 1 }),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn rule_12_without_configuration_a_body_without_a_space_is_judged_as_base64() {
    let input = b"0 OK\r\n14calor que hace\r\n0 \r\n";
    assert_eq!(
        three_ways(&detect(), &[SLICE], input),
        Err(ProtocolError::BadBase64)
    );
}

#[test]
fn rule_12_a_client_held_to_base64_refuses_fragments() {
    let base64 = ClientConfig::default().framing(Some(Framing::Base64));
    let input = b"0 OK\r\n14 calor que hace\r\n0 \r\n";
    assert_eq!(
        three_ways(&base64, &[SLICE], input),
        Err(ProtocolError::BadBase64)
    );
}

#[test]
fn rule_12_raw_slices_keep_their_own_framing() {
    let raw = Request::Slice {
        name: "hola.txt",
        offset: 4,
        size: 14,
        form: Form::Raw,
    };
    let input = b"0 OK\r\nContent-Length: 14\r\n\r\ncalor que hace";
    let (events, body, framing) = three_ways(&detect(), &[raw], input).expect("accepted");
    assert_eq!(events, ["Status(Ok)", "BodyEnd"]);
    assert_eq!(body, b"calor que hace");
    assert_eq!(framing, None, "no plain slice was seen");
}

#[test]
fn rule_08_a_short_fragment_body_is_never_finished() {
    let mut out = Vec::new();
    let mut body = FragmentEncoder::begin(14, &mut out);
    body.encode(b"calor que", &mut out).expect("fits");
    let before = out.clone();
    assert_eq!(
        body.finish(&mut out),
        Err(BodyError::Truncated { missing: 5 })
    );
    assert_eq!(out, before, "no line end, no terminator");
}

#[test]
fn a_fragment_decoder_waits_for_output_room() {
    let mut body = FragmentDecoder::new(6);
    let mut out = [0; 4];
    let input = b"6 abcdef\r\n0 \r\n";
    let first = body.decode(input, &mut out).expect("a part");
    assert_eq!((first.consumed, first.produced, first.done), (6, 4, false));
    assert_eq!(&out, b"abcd");
    let second = body.decode(&input[6..], &mut out).expect("the rest");
    assert_eq!((second.produced, second.done), (2, true));
    assert_eq!(second.consumed, input.len() - 6);
}
