//! The server side against byte transcripts: every numbered rule of
//! the specification (`PROTOCOL.md`) and every course scenario it lists. Each transcript runs three
//! ways: whole, one byte at a time, and followed by pipelined bytes that
//! must stay unconsumed.

use hftp_proto::{Code, Form, Item, Phase, Request, ServerConfig, ServerConnection};

use crate::common::feed;

/// What the server side made of a transcript: one entry per item.
fn show(item: &Item<'_>) -> String {
    match item {
        Item::Rejected(code) => code.number().to_string(),
        Item::Request(Request::FileListing) => "listing".into(),
        Item::Request(Request::Metadata { name }) => format!("metadata {name}"),
        Item::Request(Request::Slice {
            name,
            offset,
            size,
            form,
        }) => {
            let form = if *form == Form::Raw { " raw" } else { "" };
            format!("slice {name} {offset} {size}{form}")
        }
        Item::Request(Request::Help) => "help".into(),
        Item::Request(Request::Quit) => "quit".into(),
    }
}

/// Feeds `input` in pieces of `piece` bytes, answering every item with its
/// own code, until the input is used, the connection closes, or `items`
/// items came. Returns what was seen and how many bytes were consumed.
fn run_with(
    config: &ServerConfig,
    input: &[u8],
    piece: usize,
    items: usize,
) -> (Vec<String>, usize) {
    let mut server = ServerConnection::new(config);
    let mut seen = Vec::new();
    if items == 0 {
        return (seen, 0);
    }
    let (consumed, fatal) = feed(&mut server, input.chunks(piece.max(1)), |_, item| {
        seen.push(show(item));
        seen.len() < items
    });
    if let Some(fatal) = fatal {
        seen.push(format!("fatal {}", Code::from(fatal).number()));
        assert_eq!(
            server.decode(b"quit\r\n"),
            Err(fatal),
            "fatal errors are sticky"
        );
    }
    (seen, consumed)
}

fn run(input: &[u8], piece: usize, items: usize) -> (Vec<String>, usize) {
    run_with(&ServerConfig::default(), input, piece, items)
}

/// Bytes pipelined after a transcript; they must stay unconsumed.
const TRAILING: &[u8] = b"get_metadata trailing.txt\r\nquit\r\n";

/// Runs one transcript three ways and checks they agree with `expected`.
fn check(input: &[u8], expected: &[&str]) {
    let (whole, used) = run(input, input.len(), usize::MAX);
    assert_eq!(
        whole,
        expected,
        "whole: {:?}",
        String::from_utf8_lossy(input)
    );
    let (bytewise, _) = run(input, 1, usize::MAX);
    assert_eq!(bytewise, expected, "one byte at a time");
    if expected
        .last()
        .is_some_and(|last| !last.starts_with("fatal"))
    {
        assert_eq!(
            used,
            input.len(),
            "a transcript of complete lines is used whole"
        );
        let mut longer = input.to_vec();
        longer.extend_from_slice(TRAILING);
        let (seen, used) = run(&longer, longer.len(), expected.len());
        assert_eq!(seen, expected, "with trailing bytes");
        assert_eq!(used, input.len(), "the trailing bytes stay unconsumed");
    }
}

/// `transcript!(name, b"bytes sent", ["what the server makes of them", ...])`
macro_rules! transcript {
    ($name:ident, $input:expr, [$($seen:expr),* $(,)?]) => {
        #[test]
        fn $name() {
            check($input, &[$($seen),*]);
        }
    };
}

// Rule 1: line ends.
transcript!(
    rule_01_crlf_ends_a_request,
    b"get_file_listing\r\n",
    ["listing"]
);
transcript!(rule_01_bare_lf_is_100, b"get_file_listing\n", ["fatal 100"]);
transcript!(
    rule_01_cr_then_other_byte_is_100,
    b"help\rquit\r\n",
    ["fatal 100"]
);
transcript!(rule_01_cr_cr_lf_is_100, b"help\r\r\n", ["fatal 100"]);
transcript!(
    rule_01_lf_inside_a_command_is_100,
    b"get_meta\ndata hola.txt\r\n",
    ["fatal 100"]
);
transcript!(
    rule_01_requests_before_the_bad_byte_are_answered_first,
    b"help\r\nget_metadata a\r\nquit\n",
    ["help", "metadata a", "fatal 100"]
);
transcript!(rule_01_lf_alone_is_100, b"\n", ["fatal 100"]);

// Rule 2: elements.
transcript!(rule_02_empty_line_is_101, b"\r\n", ["fatal 101"]);
transcript!(rule_02_spaces_only_is_101, b"   \r\n", ["fatal 101"]);
transcript!(rule_02_leading_space_is_200, b" quit\r\n", ["200"]);
transcript!(
    rule_02_trailing_space_is_201,
    b"get_metadata a \r\n",
    ["201"]
);
transcript!(rule_02_double_space_is_201, b"get_metadata  a\r\n", ["201"]);
transcript!(
    rule_02_trailing_space_after_bare_command_is_201,
    b"quit \r\n",
    ["201"]
);
transcript!(
    rule_02_empty_line_after_requests,
    b"help\r\n\r\n",
    ["help", "fatal 101"]
);

// Rule 3: commands and the order of checks.
transcript!(
    rule_03_commands_are_case_sensitive,
    b"QUIT\r\nGet_file_listing\r\n",
    ["200", "200"]
);
transcript!(rule_03_unknown_command_is_200, b"get_files\r\n", ["200"]);
transcript!(
    rule_03_long_unknown_command_is_200,
    &[b'x'; 100_000]
        .iter()
        .chain(b"\r\n")
        .copied()
        .collect::<Vec<_>>(),
    ["200"]
);
transcript!(
    rule_03_wrong_argument_counts_are_201,
    b"quit now\r\nget_metadata\r\nhelp me\r\nget_slice a 1\r\nget_slice a 1 2 raw x\r\nget_file_listing x\r\n",
    ["201", "201", "201", "201", "201", "201"]
);
transcript!(
    rule_03_fourth_slice_argument_must_be_raw,
    b"get_slice a 0 1 rawx\r\nget_slice a 0 1 RAW\r\nget_slice a 0 1 base64\r\nget_slice a 0 1 ra\r\nget_slice a 0 1 raw\r\n",
    ["201", "201", "201", "201", "slice a 0 1 raw"]
);
transcript!(
    rule_03_command_checked_before_arguments,
    b"nope  a b c d e\r\n",
    ["200"]
);
transcript!(
    rule_03_argument_forms_checked_before_the_name,
    b"get_slice a/b x 1\r\nget_slice ../x 0 1 rawx\r\n",
    ["201", "201"]
);

// Rule 4: numbers.
transcript!(
    rule_04_numbers_are_decimal_u64,
    b"get_slice a 007 18446744073709551615\r\nget_slice a 0 0\r\n",
    ["slice a 7 18446744073709551615", "slice a 0 0"]
);
transcript!(
    rule_04_signs_hex_and_overflow_are_201,
    b"get_slice a -1 2\r\nget_slice a +1 2\r\nget_slice a 0x10 2\r\nget_slice a 1 18446744073709551616\r\nget_slice a 1 2.0\r\n",
    ["201", "201", "201", "201", "201"]
);

// Rule 5: names, too long first, then form.
transcript!(
    rule_05_traversal_is_201,
    b"get_metadata ..\r\nget_metadata .\r\nget_metadata ../etc/passwd\r\n",
    ["201", "201", "201"]
);
transcript!(
    rule_05_absolute_name_is_201,
    b"get_metadata /etc/passwd\r\n",
    ["201"]
);
transcript!(
    rule_05_control_characters_are_201,
    b"get_metadata a\x01b\r\nget_metadata a\x7f\r\nget_metadata a\x00\r\n",
    ["201", "201", "201"]
);
transcript!(
    rule_05_invalid_utf8_is_201,
    b"get_metadata \xff\xfe\r\n",
    ["201"]
);
transcript!(
    rule_05_utf8_names_are_valid,
    "get_metadata ñandú.txt\r\n".as_bytes(),
    ["metadata ñandú.txt"]
);
transcript!(
    rule_05_name_of_255_bytes_is_valid,
    &name_line(255, b'n'),
    [&format!("metadata {}", "n".repeat(255))]
);
transcript!(
    rule_05_name_of_256_bytes_is_202,
    &name_line(256, b'n'),
    ["202"]
);
transcript!(
    rule_05_long_name_is_202_whatever_it_holds,
    &name_line(300, b'/'),
    ["202"]
);

// Rules 6 and 7 are the directory's (see `pair.rs` and the name tests);
// rule 8 and 11 are bodies (`bodies.rs`).

// Rule 9: long lines.
#[test]
fn rule_09_a_line_over_the_limit_is_101_before_it_ends() {
    let config = ServerConfig::default().max_line_len(64);
    let line: Vec<u8> = [b'a'; 65].into_iter().chain(*b"\r\n").collect();
    for piece in [1, 7, line.len()] {
        assert_eq!(
            run_with(&config, &line[..65], piece, usize::MAX).0,
            ["fatal 101"]
        );
    }
    let fits: Vec<u8> = [b'a'; 64].into_iter().chain(*b"\r\n").collect();
    assert_eq!(run_with(&config, &fits, 1, usize::MAX).0, ["200"]);
}

#[test]
fn rule_09_course_five_mib_name_is_202_in_fixed_memory() {
    let line = name_line(5 * 1024 * 1024, b'x');
    check(&line, &["202"]);
    // The connection's whole state is a fixed size with no heap: the
    // name is remembered as "too long", not kept. (344 bytes on 64-bit
    // targets: the 255-byte name and a few words.)
    assert!(
        size_of::<ServerConnection>() <= 352,
        "{}",
        size_of::<ServerConnection>()
    );
}

#[test]
fn rule_09_endless_line_is_cut_at_the_default_limit() {
    let mut server = hftp_proto::RequestDecoder::new(&ServerConfig::default());
    let chunk = [b'a'; 64 * 1024];
    let mut fed = 0u64;
    let fatal = loop {
        match server.decode(&chunk) {
            Ok(decoded) => fed += decoded.consumed as u64,
            Err(fatal) => break fatal,
        }
        assert_eq!(server.line_len(), fed, "the line is counted, not kept");
        assert!(fed <= 40 << 20, "a 40 MiB line must not get through");
    };
    assert_eq!(Code::from(fatal), Code::BadRequest);
    assert_eq!(fed, ServerConfig::DEFAULT_MAX_LINE_LEN);
}

// Rule 10: after the end.
#[test]
fn rule_10_nothing_is_read_after_quit() {
    let (seen, used) = run(b"quit\r\nhelp\r\n", 64, usize::MAX);
    assert_eq!((seen, used), (vec!["quit".to_string()], 6));
}

#[test]
fn rule_10_a_request_cut_by_eof_is_not_answered() {
    let mut server = ServerConnection::new(&ServerConfig::default());
    assert_eq!(
        server
            .decode(b"get_metadata hola")
            .map(|d| d.item.is_none()),
        Ok(true)
    );
    assert!(server.receive_eof(), "the cut request is reported");
    assert_eq!(server.phase(), Phase::Closed);
    assert_eq!(server.decode(b".txt\r\n").map(|d| d.consumed), Ok(0));

    let mut server = ServerConnection::new(&ServerConfig::default());
    assert!(
        server.decode(b"help\r").is_ok(),
        "a pending \\r is part of a line"
    );
    assert!(server.receive_eof());
    let mut idle = ServerConnection::new(&ServerConfig::default());
    assert!(!idle.receive_eof(), "nothing was cut");
}

#[test]
fn a_request_is_mid_way_from_its_first_byte_to_its_line_end() {
    let mut server = ServerConnection::new(&ServerConfig::default());
    assert!(!server.is_mid_request(), "nothing received yet");
    assert!(server.decode(b"g").is_ok());
    assert!(server.is_mid_request());
    assert!(server.decode(b"et_file_listing\r").is_ok());
    assert!(server.is_mid_request(), "a pending \\r is part of the line");
    let decoded = server
        .decode(b"\nhe")
        .map(|d| (d.consumed, d.item.is_some()));
    assert_eq!(decoded, Ok((1, true)));
    assert!(!server.is_mid_request(), "a reply is due, not a line");
    server.finish_reply(Code::Ok);
    assert!(!server.is_mid_request(), "the next line has not begun");
    assert!(server.decode(b"he").is_ok());
    assert!(server.is_mid_request());
}

#[test]
fn rule_10_one_reply_at_a_time_and_fatal_replies_close() {
    let mut server = ServerConnection::new(&ServerConfig::default());
    let input = b"get_slice locked 0 1\r\nhelp\r\n";
    let first = server.decode(input).map(|d| d.consumed);
    assert_eq!(first, Ok(22));
    assert_eq!(server.phase(), Phase::Replying);
    assert_eq!(
        server.decode(&input[22..]).map(|d| d.consumed),
        Ok(0),
        "paused while replying"
    );
    server.finish_reply(Code::InternalError);
    assert_eq!(server.phase(), Phase::Closed, "199 is fatal");
    assert_eq!(server.decode(&input[22..]).map(|d| d.consumed), Ok(0));
}

// The course suites' scenarios (`PROTOCOL.md`, "Course revisions").
transcript!(course_connect_and_quit, b"quit\r\n", ["quit"]);
transcript!(course_listing, b"get_file_listing\r\n", ["listing"]);
transcript!(
    course_metadata_and_slices_on_one_connection,
    b"get_metadata hola.txt\r\nget_slice hola.txt 0 33\r\nget_slice hola.txt 4 14\r\n",
    [
        "metadata hola.txt",
        "slice hola.txt 0 33",
        "slice hola.txt 4 14"
    ]
);
transcript!(
    course_newline_inside_a_command,
    b"get_file\nlisting\r\n",
    ["fatal 100"]
);
transcript!(course_unknown_command, b"verdura\r\n", ["200"]);
transcript!(
    course_wrong_argument_types,
    b"get_slice hola.txt x 3\r\nget_slice hola.txt 0 -3\r\n",
    ["201", "201"]
);
transcript!(
    course_two_commands_in_one_packet,
    b"get_file_listing\r\nget_metadata hola.txt\r\n",
    ["listing", "metadata hola.txt"]
);
transcript!(course_2026_help, b"help\r\n", ["help"]);
transcript!(
    course_2026_raw_slice,
    b"get_slice hola.txt 4 14 raw\r\n",
    ["slice hola.txt 4 14 raw"]
);
transcript!(
    course_2026_fifth_word_not_raw_before_range,
    b"get_slice hola.txt 0 99999 rawr\r\n",
    ["201"]
);
transcript!(course_2026_empty_line, b"\r\n", ["fatal 101"]);

/// `get_metadata` with a name of `len` copies of `byte`.
fn name_line(len: usize, byte: u8) -> Vec<u8> {
    let mut line = b"get_metadata ".to_vec();
    line.resize(line.len() + len, byte);
    line.extend_from_slice(b"\r\n");
    line
}

// Rule 7: the listing holds exactly the names `get_metadata` accepts.
#[test]
fn rule_07_listed_names_are_exactly_those_get_metadata_accepts() {
    let names: [&[u8]; 12] = [
        b"hola.txt",
        "ñandú".as_bytes(),
        b"...",
        b"a b",
        b"tab\tname",
        b"new\nline",
        b"\xff\xfe",
        b".",
        b"..",
        b"del\x7f",
        &[b'n'; 255],
        &[b'n'; 256],
    ];
    for name in names {
        let listed = hftp_proto::check_listable(name, false).is_ok();
        let mut line = b"get_metadata ".to_vec();
        line.extend_from_slice(name);
        line.extend_from_slice(b"\r\n");
        let mut server = ServerConnection::new(&ServerConfig::default());
        let accepted = match server.decode(&line) {
            Ok(decoded) => decoded.item.is_some_and(|item| match item {
                Item::Request(Request::Metadata { name: got }) => got.as_bytes() == name,
                _ => false,
            }),
            Err(_) => false,
        };
        assert_eq!(listed, accepted, "{:?}", String::from_utf8_lossy(name));
    }
    assert!(
        hftp_proto::check_listable("ñandú".as_bytes(), true).is_err(),
        "ASCII-only listings"
    );
}
