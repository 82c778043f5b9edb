//! The scenarios of the course's 2019 and 2026 suites not already
//! covered by a rule's case.

use std::time::{Duration, Instant};

use hftp_proto::Code::{self, BadEol, FileNotFound};
use hftp_proto::{Form, Request};

use super::bodies::body_is;
use super::lines::exchange;
use crate::check::case::{Case, Group, Outcome, Test};
use crate::check::conn::Ctx;
use crate::check::expect;
use crate::check::fixtures::{
    BIG, EMPTY, Fixtures, HOLA, HOLA_DATA, MEDIUM, NULS, big_data, medium_data, nuls_data,
};

/// A 2019 scenario.
const fn y2019(id: &'static str, title: &'static str, test: fn(&mut Ctx) -> Outcome) -> Case {
    Case::new(id, Group::Course2019, title, Test::Run(test))
}

/// A 2026 scenario.
const fn y2026(id: &'static str, title: &'static str, test: fn(&mut Ctx) -> Outcome) -> Case {
    Case::new(id, Group::Course2026, title, Test::Run(test))
}

/// The course scenarios.
pub(super) const CASES: &[Case] = &[
    y2019(
        "2019.connect-quit",
        "quit: 0 OK, and the server closes within 0.5 s",
        connect_quit,
    ),
    y2019("2019.listing-1000", "a listing of 1000 files", listing_1000).with_dir(),
    y2019(
        "2019.metadata-empty",
        "the size of an empty file is 0",
        metadata_empty,
    )
    .with_dir(),
    y2019(
        "2019.metadata-123459",
        "the size of a 123459-byte file",
        metadata_medium,
    )
    .with_dir(),
    y2019(
        "2019.slices-one-connection",
        "full and partial slices on one connection",
        slices_one_connection,
    )
    .with_dir(),
    Case::new(
        "2019.lf-in-command",
        Group::Course2019,
        "a LF inside a command is 100",
        Test::Status(b"get_file\nlisting\r\n", BadEol),
    ),
    y2019(
        "2019.one-byte-at-a-time",
        "a command sent one byte at a time",
        slow_command,
    )
    .with_dir(),
    y2019(
        "2019.two-in-one-packet",
        "two commands in one packet, the client leaving after one reply",
        two_in_one,
    )
    .with_dir(),
    y2019(
        "2019.big-binary",
        "a 32 MiB file of the bytes 1 to 254, base64",
        big_binary,
    )
    .with_dir(),
    y2019("2019.nul-bytes", "a file with NUL bytes", nul_bytes).with_dir(),
    y2026("2026.raw-whole", "a whole file, raw", raw_whole)
        .of_2026()
        .with_dir(),
    y2026("2026.raw-partial", "part of a file, raw", raw_partial)
        .of_2026()
        .with_dir(),
    y2026(
        "2026.missing-slice",
        "get_slice of a missing file is 202",
        missing_slice,
    ),
    y2026(
        "2026.two-clients",
        "two clients at once, interleaved",
        two_clients,
    )
    .with_dir()
    .of_2026(),
];

/// `quit`, then the close within half a second of the reply.
fn connect_quit(cx: &mut Ctx) -> Outcome {
    let mut conn = cx.connect()?;
    conn.send(b"quit\r\n")?;
    conn.expect(&expect::status(Code::Ok))?;
    let replied = Instant::now();
    conn.expect_close()?;
    let took = replied.elapsed();
    if took > Duration::from_millis(500) {
        return Err(conn.failure(format!(
            "the close within 0.5 s of the reply (took {took:?})"
        )));
    }
    Ok(())
}

/// The fixtures hold 1000 small files; the listing must hold them all.
fn listing_1000(cx: &mut Ctx) -> Outcome {
    cx.fixtures()?;
    let names = Fixtures::listed();
    exchange(
        cx,
        b"get_file_listing\r\n",
        &expect::listing(names.iter().map(Vec::as_slice)),
    )
}

/// Size 0.
fn metadata_empty(cx: &mut Ctx) -> Outcome {
    exchange(
        cx,
        format!("get_metadata {EMPTY}\r\n").as_bytes(),
        &expect::metadata(0),
    )
}

/// Size 123459.
fn metadata_medium(cx: &mut Ctx) -> Outcome {
    exchange(
        cx,
        format!("get_metadata {MEDIUM}\r\n").as_bytes(),
        &expect::metadata(123_459),
    )
}

/// The whole file and two parts of it, one connection.
fn slices_one_connection(cx: &mut Ctx) -> Outcome {
    let data = medium_data();
    let mut conn = cx.connect()?;
    for (offset, size) in [(0, data.len()), (0, 1000), (12_345, 54_321)] {
        let request = Request::Slice {
            name: MEDIUM,
            offset: offset as u64,
            size: size as u64,
            form: Form::Base64,
        };
        conn.expect_body(&request, &data[offset..offset + size])?;
    }
    conn.expect_open()
}

/// One byte per write, a little apart.
fn slow_command(cx: &mut Ctx) -> Outcome {
    let mut conn = cx.connect()?;
    conn.send_bytewise(
        format!("get_metadata {HOLA}\r\n").as_bytes(),
        Duration::from_millis(40),
    )?;
    conn.expect(&expect::metadata(HOLA_DATA.len() as u64))?;
    conn.expect_open()
}

/// Two requests in one packet; the client reads one reply and leaves;
/// the server serves the next client.
fn two_in_one(cx: &mut Ctx) -> Outcome {
    let mut conn = cx.connect()?;
    let line = format!("get_metadata {HOLA}\r\nget_metadata {HOLA}\r\n");
    conn.send(line.as_bytes())?;
    conn.expect(&expect::metadata(33))?;
    drop(conn);
    exchange(
        cx,
        format!("get_metadata {HOLA}\r\n").as_bytes(),
        &expect::metadata(33),
    )
}

/// The course's 32 MiB file.
fn big_binary(cx: &mut Ctx) -> Outcome {
    body_is(cx, BIG, Form::Base64, &big_data())
}

/// NUL bytes travel.
fn nul_bytes(cx: &mut Ctx) -> Outcome {
    body_is(cx, NULS, Form::Base64, &nuls_data())
}

/// The 32 MiB file, raw.
fn raw_whole(cx: &mut Ctx) -> Outcome {
    body_is(cx, BIG, Form::Raw, &big_data())
}

/// A part, raw.
fn raw_partial(cx: &mut Ctx) -> Outcome {
    let data = medium_data();
    let mut conn = cx.connect()?;
    let request = Request::Slice {
        name: MEDIUM,
        offset: 100,
        size: 5000,
        form: Form::Raw,
    };
    conn.expect_body(&request, &data[100..5100])?;
    conn.expect_open()
}

/// The missing file of a slice.
fn missing_slice(cx: &mut Ctx) -> Outcome {
    exchange(
        cx,
        b"get_slice absent-file 0 1\r\n",
        &expect::status(FileNotFound),
    )
}

/// Two clients, requests interleaved between them.
fn two_clients(cx: &mut Ctx) -> Outcome {
    let names = Fixtures::listed();
    let listing = expect::listing(names.iter().map(Vec::as_slice));
    let (mut a, mut b) = (cx.connect()?, cx.connect()?);
    a.send(b"help\r\n")?;
    b.send(b"get_file_listing\r\n")?;
    b.expect(&listing)?;
    a.expect(&expect::help())?;
    a.send(b"get_file_listing\r\n")?;
    b.send(b"help\r\n")?;
    b.expect(&expect::help())?;
    a.expect(&listing)
}
