//! Slice bodies on both sides (rules 8 and 11) and the client side
//! against replies of well-behaved, odd and hostile servers.

use hftp_proto::{
    BodyDecoder, BodyError, ClientConfig, ClientConnection, Code, Event, Form, Misuse,
    ProtocolError, RawSlice, Request, SliceEncoder,
};

#[test]
fn rule_08_a_short_body_is_never_completed() {
    let mut out = Vec::new();
    let mut body = SliceEncoder::begin(14, &mut out);
    body.encode(b"calor que", &mut out)
        .expect("within the size");
    let before = out.clone();
    assert_eq!(
        body.finish(&mut out),
        Err(BodyError::Truncated { missing: 5 })
    );
    assert_eq!(out, before, "no padding, no line end");

    let mut body = SliceEncoder::begin(2, &mut out);
    assert_eq!(
        body.encode(b"abc", &mut out),
        Err(Misuse::Overfed { extra: 1 })
    );
    assert_eq!(body.remaining(), 2, "a refused call changes nothing");

    let mut raw = RawSlice::begin(10, &mut out);
    raw.sent(4).expect("within the size");
    assert_eq!(raw.remaining(), 6);
    assert_eq!(raw.sent(7), Err(Misuse::Overfed { extra: 1 }));
    assert_eq!(raw.finish(), Err(BodyError::Truncated { missing: 6 }));
}

#[test]
fn rule_08_fixed_buffer_encoding_refuses_a_small_buffer_untouched() {
    let mut out = Vec::new();
    let mut body = SliceEncoder::begin(6, &mut out);
    let mut small = [0u8; 7];
    assert_eq!(
        body.encode_to_slice(b"abcdef", &mut small),
        Err(Misuse::BufferTooSmall { required: 8 })
    );
    assert_eq!(small, [0; 7]);
    let mut enough = [0u8; 8];
    assert_eq!(body.encode_to_slice(b"abcdef", &mut enough), Ok(8));
    assert_eq!(&enough, b"YWJjZGVm");
}

/// Feeds `input` to a fresh client that sent `requests`, in pieces of
/// `piece` bytes; returns the events and body bytes, or the first error.
fn receive(
    requests: &[Request<'_>],
    input: &[u8],
    piece: usize,
) -> Result<(Vec<String>, Vec<u8>), ProtocolError> {
    let mut client = ClientConnection::new(&ClientConfig::default().max_line_len(64));
    let mut sent = Vec::new();
    for request in requests {
        client.send(request, &mut sent).expect("a valid request");
    }
    let (mut events, mut body, mut buffer) = (Vec::new(), Vec::new(), [0; 16]);
    for chunk in input.chunks(piece) {
        let mut rest = chunk;
        while !rest.is_empty() {
            let received = client.decode(rest, &mut buffer)?;
            rest = &rest[received.consumed..];
            body.extend_from_slice(&buffer[..received.produced]);
            events.extend(received.event.map(|event| format!("{event:?}")));
        }
    }
    client.receive_eof()?;
    Ok((events, body))
}

/// Runs `receive` whole and one byte at a time; both must agree.
fn receive_both_ways(
    requests: &[Request<'_>],
    input: &[u8],
) -> Result<(Vec<String>, Vec<u8>), ProtocolError> {
    let whole = receive(requests, input, input.len().max(1));
    assert_eq!(
        whole,
        receive(requests, input, 1),
        "one byte at a time agrees"
    );
    whole
}

const SLICE: Request<'static> = Request::Slice {
    name: "hola.txt",
    offset: 4,
    size: 14,
    form: Form::Base64,
};
const RAW: Request<'static> = Request::Slice {
    name: "hola.txt",
    offset: 4,
    size: 14,
    form: Form::Raw,
};

#[test]
fn rule_11_a_body_split_over_several_lines_is_accepted() {
    for body in [
        &b"Y2Fsb3IgcXVlIGhhY2U=\r\n"[..],
        b"Y2Fs\r\nb3Ig\r\ncXVlIGhhY2U=\r\n",
        b"Y2E=\r\nbG9y\r\nIHF1ZSBoYWNl\r\n",
        b"\r\nY2Fsb3IgcXVlIGhhY2U=\r\n",
    ] {
        let input = [b"0 OK\r\n", body].concat();
        let (events, data) = receive_both_ways(&[SLICE], &input).expect("accepted");
        assert_eq!(events, ["Status(Ok)", "BodyEnd"]);
        assert_eq!(data, b"calor que hace");
    }
}

#[test]
fn endless_empty_lines_in_a_body_are_refused() {
    let limit = BodyDecoder::MAX_EMPTY_LINES;
    let some = [
        &b"0 OK\r\n"[..],
        &b"\r\n".repeat(usize::from(limit)),
        b"Y2Fsb3IgcXVlIGhhY2U=\r\n",
    ]
    .concat();
    assert!(
        receive_both_ways(&[SLICE], &some).is_ok(),
        "up to the limit, as the course client does"
    );
    let endless = [&b"0 OK\r\n"[..], &b"\r\n".repeat(usize::from(limit) + 1)].concat();
    assert_eq!(
        receive_both_ways(&[SLICE], &endless),
        Err(ProtocolError::EmptyBodyLines { limit })
    );
}

#[test]
fn rule_11_the_body_must_hold_exactly_size_bytes() {
    let short = b"0 OK\r\nY2Fsb3I=\r\n";
    assert_eq!(
        receive_both_ways(&[SLICE], short),
        Err(ProtocolError::Truncated { pending: 1 })
    );
    let long = b"0 OK\r\nY2Fsb3IgcXVlIGhhY2UgaG95\r\n";
    assert_eq!(
        receive_both_ways(&[SLICE], long),
        Err(ProtocolError::BodyTooLong)
    );
    // Too long, then not base64: the first fault wins, however it is split.
    let long_then_bad = b"0 OK\r\nY2Fsb3IgcXVlIGhhY2UgaG95 no\r\n";
    assert_eq!(
        receive_both_ways(&[SLICE], long_then_bad),
        Err(ProtocolError::BodyTooLong)
    );
    let cut = b"0 OK\r\nY2Fsb3IgcXVlIGhhY2U=";
    assert_eq!(
        receive_both_ways(&[SLICE], cut),
        Err(ProtocolError::Truncated { pending: 1 })
    );
}

#[test]
fn rule_11_bad_base64_is_refused() {
    for body in [
        &b"Y2Fsb3IgcXVlIGhhY2U\r\n"[..],
        b"Y2Fsb3Ig*XVlIGhhY2U=\r\n",
        b"Y2E=bG9yIHF1ZSBoYWNl\r\n",
        b"Y2Fsb3IgcXVlIGhhY2U=\n",
    ] {
        let input = [b"0 OK\r\n", body].concat();
        let error = receive_both_ways(&[SLICE], &input).expect_err("refused");
        assert!(
            matches!(error, ProtocolError::BadBase64 | ProtocolError::BadLineEnd),
            "{error:?}"
        );
    }
}

#[test]
fn rule_11_raw_bodies_are_framed_by_their_announced_length() {
    let input = b"0 OK\r\nContent-Length: 14\r\n\r\ncalor que hace";
    let (events, data) = receive_both_ways(&[RAW], input).expect("accepted");
    assert_eq!(
        (events, data),
        (
            vec!["Status(Ok)".into(), "BodyEnd".into()],
            b"calor que hace".to_vec()
        )
    );
    let lower = b"0 OK\r\ncontent-length:14\r\n\r\ncalor que hace";
    assert!(
        receive_both_ways(&[RAW], lower).is_ok(),
        "header names are case-insensitive"
    );
    let other = b"0 OK\r\nContent-Length: 15\r\n\r\ncalor que hace!";
    let mismatch = ProtocolError::LengthMismatch {
        asked: 14,
        announced: 15,
    };
    assert_eq!(receive_both_ways(&[RAW], other), Err(mismatch));
    let short = b"0 OK\r\nContent-Length: 14\r\n\r\ncalor";
    assert_eq!(
        receive_both_ways(&[RAW], short),
        Err(ProtocolError::Truncated { pending: 1 })
    );
    let no_header = b"0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\r\n";
    assert_eq!(
        receive_both_ways(&[RAW], no_header),
        Err(ProtocolError::BadHeader)
    );
}

#[test]
fn replies_are_framed_by_the_command_asked_when_pipelined() {
    let requests = [
        Request::FileListing,
        Request::Metadata { name: "a" },
        SLICE,
        Request::Quit,
    ];
    let input =
        b"0 OK\r\na\r\nb\r\n\r\n202 FILE NOT FOUND\r\n0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\r\n0 OK\r\n";
    let (events, data) = receive_both_ways(&requests, input).expect("accepted");
    assert_eq!(
        events,
        [
            "Status(Ok)",
            "Name(\"a\")",
            "Name(\"b\")",
            "ListEnd",
            "Status(FileNotFound)",
            "Status(Ok)",
            "BodyEnd",
            "Status(Ok)"
        ]
    );
    assert_eq!(data, b"calor que hace");
}

#[test]
fn other_status_texts_and_a_silent_quit_are_accepted() {
    let input = b"0 Okey dokey\r\n33\r\n";
    let (events, _) =
        receive_both_ways(&[Request::Metadata { name: "a" }], input).expect("accepted");
    assert_eq!(events, ["Status(Ok)", "Size(33)"]);
    assert_eq!(
        receive_both_ways(&[Request::Quit], b""),
        Ok((vec![], vec![]))
    );
}

#[test]
fn hostile_replies_are_refused_with_what_was_expected() {
    let stat = [Request::Metadata { name: "a" }];
    let cases: &[(&[u8], ProtocolError)] = &[
        (b"0 OK\r\n33", ProtocolError::Truncated { pending: 1 }),
        (b"0 OK\r\n3x\r\n", ProtocolError::BadSize),
        (b"0 OK\r\n99999999999999999999\r\n", ProtocolError::BadSize),
        (b"204 NEW CODE\r\n", ProtocolError::UnknownCode(204)),
        (b"OK 0\r\n", ProtocolError::BadStatusLine),
        (b"0 OK\n", ProtocolError::BadLineEnd),
        (b"0 O\rK\r\n", ProtocolError::BadLineEnd),
        (&[b'0'; 100], ProtocolError::LineTooLong { limit: 64 }),
        (b"0 OK\r\n33\r\n0 OK\r\n", ProtocolError::UnexpectedData),
    ];
    for (input, error) in cases {
        assert_eq!(
            receive_both_ways(&stat, input),
            Err(*error),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    let listing = [Request::FileListing];
    assert_eq!(
        receive_both_ways(&listing, b"0 OK\r\n../etc/passwd\r\n\r\n"),
        Err(ProtocolError::BadName)
    );
    assert_eq!(
        receive_both_ways(&listing, b"0 OK\r\na\r\n"),
        Err(ProtocolError::Truncated { pending: 1 })
    );
}

#[test]
fn a_fatal_code_ends_the_session() {
    let requests = [Request::Help, Request::Metadata { name: "a" }];
    let mut client = ClientConnection::new(&ClientConfig::default());
    let mut sent = Vec::new();
    for request in &requests {
        client.send(request, &mut sent).expect("a valid request");
    }
    let received = client
        .decode(b"199 INTERNAL SERVER ERROR\r\n", &mut [0; 4])
        .expect("a status line");
    assert_eq!(received.event, Some(Event::Status(Code::InternalError)));
    assert!(client.is_ended());
    assert_eq!(
        client.decode(b"0", &mut [0; 4]).map(|r| r.consumed),
        Err(ProtocolError::UnexpectedData)
    );
    assert_eq!(
        client.decode(b"", &mut [0; 4]),
        Err(ProtocolError::UnexpectedData),
        "errors are sticky"
    );
}

#[test]
fn body_decoder_waits_for_output_room() {
    let mut decoder = BodyDecoder::new(6);
    let mut out = [0u8; 3];
    let first = decoder.decode(b"YWJjZGVm\r\n", &mut out).expect("valid");
    assert_eq!((first.consumed, first.produced, first.done), (4, 3, false));
    let second = decoder.decode(b"ZGVm\r\n", &mut out).expect("valid");
    assert_eq!(
        (second.consumed, second.produced, second.done),
        (6, 3, true)
    );
    assert_eq!(&out, b"def");
}

#[test]
fn raw_bodies_can_be_taken_from_the_input_without_a_copy() {
    let mut client = ClientConnection::new(&ClientConfig::default());
    client.send(&RAW, &mut Vec::new()).expect("a valid request");
    assert_eq!(client.raw_remaining(), None);
    let input = b"0 OK\r\nContent-Length: 14\r\n\r\ncalor que hace";
    let status = client
        .decode(input, &mut [])
        .expect("a status line")
        .consumed;
    let header = client
        .decode(&input[status..], &mut [])
        .expect("a header")
        .consumed;
    let at = status + header;
    assert_eq!(client.raw_remaining(), Some(14));
    assert_eq!(client.take_raw(4), (4, None), "part of the body");
    assert_eq!(client.raw_remaining(), Some(10));
    assert_eq!(
        client.take_raw(100),
        (10, Some(Event::BodyEnd)),
        "no more than the body"
    );
    assert_eq!(&input[at..at + 14], b"calor que hace");
    assert_eq!(client.take_raw(5), (0, None), "no raw body is due");
    assert_eq!(client.pending(), 0);
}

#[test]
fn body_lines_end_only_with_crlf_and_nothing_follows_padding() {
    let cr_then_other = b"0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\rX\n";
    assert_eq!(
        receive_both_ways(&[SLICE], cr_then_other),
        Err(ProtocolError::BadLineEnd)
    );
    // Padding in one read, more groups of the same line in the next.
    let mut decoder = BodyDecoder::new(6);
    let mut out = [0u8; 8];
    let first = decoder.decode(b"YQ==", &mut out).expect("one padded group");
    assert_eq!((first.consumed, first.produced), (4, 1));
    assert_eq!(decoder.remaining(), 5);
    assert_eq!(
        decoder.decode(b"YWJj\r\n", &mut out),
        Err(ProtocolError::BadBase64)
    );
}

#[test]
fn lines_of_the_limit_plus_one_byte_are_refused() {
    // The limit is 64: 65 bytes and `\r\n` arriving together.
    let line = [&b"0 "[..], &[b'x'; 63], b"\r\n"].concat();
    let stat = [Request::Metadata { name: "a" }];
    assert_eq!(
        receive_both_ways(&stat, &line),
        Err(ProtocolError::LineTooLong { limit: 64 })
    );
    assert_eq!(
        receive_both_ways(&stat, b"\r\n"),
        Err(ProtocolError::BadStatusLine)
    );
    assert_eq!(
        receive_both_ways(&stat, b"0 OK\r\n\r\n"),
        Err(ProtocolError::BadSize)
    );
}

#[test]
fn each_event_says_whether_it_completed_its_reply() {
    let mut client = ClientConnection::new(&ClientConfig::default());
    for request in [
        Request::FileListing,
        Request::Metadata { name: "x" },
        Request::Metadata { name: "y" },
        SLICE,
        Request::Quit,
    ] {
        client
            .send(&request, &mut Vec::new())
            .expect("a valid request");
    }
    let input: &[u8] =
        b"0 OK\r\na\r\n\r\n0 OK\r\n7\r\n202 FILE NOT FOUND\r\n0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\r\n0 OK\r\n";
    let (mut rest, mut out, mut seen) = (input, [0; 64], Vec::new());
    while !rest.is_empty() {
        let received = client.decode(rest, &mut out).expect("valid replies");
        rest = &rest[received.consumed..];
        if let Some(event) = received.event {
            seen.push(format!("{event:?} {}", received.complete));
        }
    }
    assert_eq!(
        seen,
        [
            "Status(Ok) false",
            "Name(\"a\") false",
            "ListEnd true",
            "Status(Ok) false",
            "Size(7) true",
            "Status(FileNotFound) true",
            "Status(Ok) false",
            "BodyEnd true",
            "Status(Ok) true",
        ]
    );
    assert_eq!(client.pending(), 0);
}

/// Feeds `input` to a client that sent `requests`, with an output buffer
/// of `room` bytes; the events and body bytes, or `None` if some call
/// made no progress at all (nothing consumed, produced or completed):
/// the caller would loop forever.
fn receive_through(
    requests: &[Request<'_>],
    input: &[u8],
    room: usize,
) -> Option<(Vec<String>, Vec<u8>)> {
    let mut client = ClientConnection::new(&ClientConfig::default());
    for request in requests {
        client
            .send(request, &mut Vec::new())
            .expect("a valid request");
    }
    let (mut events, mut body, mut out) = (Vec::new(), Vec::new(), vec![0; room]);
    let mut rest = input;
    while !rest.is_empty() {
        let received = client.decode(rest, &mut out).expect("a valid reply");
        if received.consumed == 0 && received.produced == 0 && received.event.is_none() {
            return None;
        }
        rest = &rest[received.consumed..];
        body.extend_from_slice(&out[..received.produced]);
        events.extend(received.event.map(|event| format!("{event:?}")));
    }
    Some((events, body))
}

#[test]
fn a_body_decodes_through_an_output_buffer_of_any_nonzero_size() {
    let next = Request::Metadata { name: "x" };
    let bodies = [
        (SLICE, &b"0 OK\r\nY2Fs\r\nb3IgcXVlIGhhY2U=\r\n"[..]),
        (SLICE, b"0 OK\r\n10 calor que \r\n4 hace\r\n0 \r\n"),
        (RAW, b"0 OK\r\nContent-Length: 14\r\n\r\ncalor que hace"),
    ];
    for (slice, reply) in bodies {
        let input = [reply, b"0 OK\r\n7\r\n"].concat();
        for room in 1..=4 {
            let (events, body) = receive_through(&[slice, next], &input, room)
                .unwrap_or_else(|| panic!("no progress with {room} bytes of room"));
            assert_eq!(events, ["Status(Ok)", "BodyEnd", "Status(Ok)", "Size(7)"]);
            assert_eq!(body, b"calor que hace", "{room} bytes of room");
        }
    }
}

#[test]
fn a_body_decoder_fills_an_output_buffer_of_one_byte() {
    let mut decoder = BodyDecoder::new(14);
    let input = b"Y2Fsb3IgcXVlIGhhY2U=\r\n";
    let (mut at, mut body, mut out) = (0, Vec::new(), [0u8; 1]);
    for _ in 0..2 * input.len() {
        let progress = decoder.decode(&input[at..], &mut out).expect("valid");
        at += progress.consumed;
        body.extend_from_slice(&out[..progress.produced]);
        if progress.done {
            break;
        }
    }
    assert_eq!(body, b"calor que hace");
    assert_eq!(at, input.len());
}

#[test]
fn after_an_error_every_call_returns_it() {
    let mut client = ClientConnection::new(&ClientConfig::default());
    client.send(&RAW, &mut Vec::new()).expect("a valid request");
    let input = b"0 OK\r\nContent-Length: 15\r\n\r\n";
    let status = client
        .decode(input, &mut [])
        .expect("a status line")
        .consumed;
    let error = ProtocolError::LengthMismatch {
        asked: 14,
        announced: 15,
    };
    assert_eq!(
        client.decode(&input[status..], &mut []).map(|r| r.consumed),
        Err(error)
    );
    assert_eq!(
        client.decode(b"\r\n", &mut []).map(|r| r.consumed),
        Err(error)
    );
    assert_eq!(client.receive_eof(), Err(error), "not a truncation");
    assert_eq!(client.raw_remaining(), None);
    assert_eq!(client.take_raw(5), (0, None));
}
