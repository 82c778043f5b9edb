//! The 32 tests of the course's 2026 suite: the 2019 tests read by the
//! 2026 client, and the new ones (help, raw slices, the empty line, the
//! unreadable file, two clients at once).

use hftp_proto::Command;

use super::client::{
    TIMEOUT, code_within, connect, expect_code, expect_metadata, expect_raw, expect_slice, lines,
    lines_are, read_listing, tear_down,
};
use super::y2019::{
    bad_argument_count, bad_argument_count_2, bad_argument_type, bad_command, bad_eol, big_file,
    big_filename, command_in_pieces, connect_and_quit, data_with_nulls, file_not_found,
    get_full_slice, get_metadata, get_metadata_empty, listing_test, long_file_listing, lookup,
    multiple_commands, partial_slices, quit_answers_ok, status_test,
};
use super::{TestData, y2026};
use crate::check::case::Case;
use crate::check::conn::Conn;
use crate::check::context::Ctx;
use crate::check::group::Revision;
use crate::check::miss::{Tested, said};

/// The 2026 suite, in the order unittest runs it.
pub(super) const CASES: &[Case] = &[
    y2026(
        "2026.bad-argument-count",
        "TestHFTPErrors.test_bad_argument_count: quit with arguments is 201 within 3 s",
        bad_argument_count,
    ),
    y2026(
        "2026.bad-argument-count-2",
        "TestHFTPErrors.test_bad_argument_count_2: get_metadata alone is 201 within 3 s",
        bad_argument_count_2,
    ),
    y2026(
        "2026.bad-argument-type",
        "TestHFTPErrors.test_bad_argument_type: get_slice bar x x is 201 within 3 s",
        bad_argument_type,
    )
    .with_dir(),
    y2026(
        "2026.bad-command",
        "TestHFTPErrors.test_bad_command: verdura is 200 within 3 s",
        bad_command,
    ),
    y2026(
        "2026.bad-eol",
        "TestHFTPErrors.test_bad_eol: qui\\nt\\n\\r\\n is 100 within 3 s",
        bad_eol,
    ),
    y2026(
        "2026.bad-offset",
        "TestHFTPErrors.test_bad_offset: 10 bytes of a 3-byte file is 203 within 3 s",
        bad_offset,
    )
    .with_dir(),
    y2026(
        "2026.empty-command-line-bad-request",
        "TestHFTPErrors.test_empty_command_line_bad_request: an empty line is 101 within 3 s",
        empty_command_line_bad_request,
    ),
    y2026(
        "2026.file-not-found",
        "TestHFTPErrors.test_file_not_found: get_metadata of a missing file is 202 within 3 s",
        file_not_found,
    ),
    y2026(
        "2026.file-not-found-get-slice",
        "TestHFTPErrors.test_file_not_found_get_slice: get_slice of a missing file is 202 within 3 s",
        file_not_found_get_slice,
    ),
    y2026(
        "2026.internal-error-unreadable-file",
        "TestHFTPErrors.test_internal_error_unreadable_file: a slice of a mode-000 file is 199 within 3 s",
        internal_error_unreadable_file,
    )
    .with_dir(),
    y2026(
        "2026.big-file",
        "TestHFTPHard.test_big_file: the size and exact base64 body of 16 blocks of 128 KiB",
        big_file,
    )
    .with_dir(),
    y2026(
        "2026.big-filename",
        "TestHFTPHard.test_big_filename: an 8 KiB name is 202 within 3 s",
        big_filename,
    ),
    y2026(
        "2026.command-in-pieces",
        "TestHFTPHard.test_command_in_pieces: quit one byte per 30 ms is 0 within 3 s",
        command_in_pieces,
    ),
    y2026(
        "2026.data-with-nulls",
        "TestHFTPHard.test_data_with_nulls: a slice of x, NUL and y bytes, exactly",
        data_with_nulls,
    )
    .with_dir(),
    y2026(
        "2026.long-file-listing",
        "TestHFTPHard.test_long_file_listing: a listing of 200 files, in any order",
        long_file_listing,
    )
    .with_dir(),
    y2026(
        "2026.multiple-commands",
        "TestHFTPHard.test_multiple_commands: two listings in one packet, 0 within 3 s, the client leaves",
        multiple_commands,
    ),
    y2026(
        "2026.two-concurrent-file-listing",
        "TestHFTPMultiClient.test_two_concurrent_file_listing: two clients each list c1 and c2",
        two_concurrent_file_listing,
    )
    .with_dir(),
    y2026(
        "2026.two-concurrent-help",
        "TestHFTPMultiClient.test_two_concurrent_help: two clients each get help",
        two_concurrent_help,
    )
    .of_2026(),
    y2026(
        "2026.connect-and-quit",
        "TestHFTPServer.test_connect_and_quit: a reply to quit, then the close within 0.5 s",
        connect_and_quit,
    ),
    y2026(
        "2026.context-manager",
        "TestHFTPServer.test_context_manager: the listing holds one, then quit",
        context_manager,
    )
    .with_dir(),
    y2026(
        "2026.empty-file-listing",
        "TestHFTPServer.test_empty_file_listing: an empty directory lists nothing",
        empty_file_listing,
    )
    .with_dir(),
    y2026(
        "2026.get-full-slice",
        "TestHFTPServer.test_get_full_slice: a whole 44-byte file, base64, exactly",
        get_full_slice,
    )
    .with_dir(),
    y2026(
        "2026.get-metadata",
        "TestHFTPServer.test_get_metadata: the size of a 123459-byte file",
        get_metadata,
    )
    .with_dir(),
    y2026(
        "2026.get-metadata-empty",
        "TestHFTPServer.test_get_metadata_empty: the size of an empty file is 0",
        get_metadata_empty,
    )
    .with_dir(),
    y2026(
        "2026.get-slice-raw",
        "TestHFTPServer.test_get_slice_raw: the 256 byte values, raw",
        get_slice_raw,
    )
    .with_dir()
    .of_2026(),
    y2026(
        "2026.get-slice-raw-partial",
        "TestHFTPServer.test_get_slice_raw_partial: defg of abcdefghij, raw",
        get_slice_raw_partial,
    )
    .with_dir()
    .of_2026(),
    y2026(
        "2026.get-slice-rejects-bad-raw-token",
        "TestHFTPServer.test_get_slice_rejects_bad_raw_token: rawx is 201 before the range, within 3 s",
        get_slice_rejects_bad_raw_token,
    )
    .with_dir(),
    y2026(
        "2026.help",
        "TestHFTPServer.test_help: 0 and the five commands in any order, within 3 s",
        help,
    )
    .of_2026(),
    y2026(
        "2026.lookup",
        "TestHFTPServer.test_lookup: a listing of bar, foo and x, in any order",
        lookup,
    )
    .with_dir(),
    y2026(
        "2026.partial-slices",
        "TestHFTPServer.test_partial_slices: four exact slices of one file on one connection",
        partial_slices,
    )
    .with_dir(),
    y2026(
        "2026.quit-answers-ok",
        "TestHFTPServer.test_quit_answers_ok: quit is 0",
        quit_answers_ok,
    ),
    y2026(
        "2026.retrieve-full-file",
        "TestHFTPServer.test_retrieve_full_file: the size, then the whole of quijote.txt",
        retrieve_full_file,
    )
    .with_dir(),
];

/// Past the end of `abc`.
fn bad_offset(cx: &mut Ctx) -> Tested {
    let _data = TestData::write(cx, [("bar", "abc")])?;
    status_test(cx, b"get_slice bar 0 10\r\n", 203)
}

/// A raw socket sends an empty line.
fn empty_command_line_bad_request(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    code_within(&mut conn, b"\r\n", 101)
}

/// A slice of a missing file.
fn file_not_found_get_slice(cx: &mut Ctx) -> Tested {
    status_test(cx, b"get_slice does_not_exist 0 10\r\n", 202)
}

/// A slice of a file with mode 000: the server cannot read it, unless it
/// runs as root (skipped when the checker can read it too, unless the
/// checker started the server as another user).
fn internal_error_unreadable_file(cx: &mut Ctx) -> Tested {
    let data = TestData::write(cx, [("unreadable", "x")])?;
    cx.unreadable_to_server(&data.unreadable()?)?;
    status_test(cx, b"get_slice unreadable 0 1\r\n", 199)
}

/// Sends `line` on two connections, then reads each reply with `read`
/// and quits, one client after the other: the course runs each client
/// in its thread and joins it within 18 s, so a server serving clients
/// one at a time passes as it does there.
fn two_clients(cx: &Ctx, line: &[u8], read: fn(&mut Conn) -> Tested) -> Tested {
    let (mut first, mut second) = (connect(cx)?, connect(cx)?);
    first.send(line)?;
    second.send(line)?;
    for conn in [&mut first, &mut second] {
        conn.set_reply_wait(TIMEOUT * 6);
        read(conn)?;
        tear_down(conn);
    }
    Ok(())
}

/// Two clients list `c1` and `c2`.
fn two_concurrent_file_listing(cx: &mut Ctx) -> Tested {
    let _data = TestData::write(cx, [("c1", ""), ("c2", "")])?;
    two_clients(cx, b"get_file_listing\r\n", |conn| {
        read_listing(conn, &["c1", "c2"])
    })
}

/// Two clients ask `help`: `0`, then lines up to an empty one.
fn two_concurrent_help(cx: &mut Ctx) -> Tested {
    two_clients(cx, b"help\r\n", |conn| {
        conn.set_reply_wait(TIMEOUT);
        expect_code(conn, 0)?;
        lines(conn).map(drop)
    })
}

/// The listing holds `one`, among whatever else.
fn context_manager(cx: &mut Ctx) -> Tested {
    let _data = TestData::write(cx, [("one", "")])?;
    let mut conn = connect(cx)?;
    conn.send(b"get_file_listing\r\n")?;
    expect_code(&mut conn, 0)?;
    if !lines(&mut conn)?.iter().any(|name| name == b"one") {
        return Err(conn.failure(said!(
            "0 and a listing holding one",
            "0 y un listado que tenga one"
        )));
    }
    tear_down(&mut conn);
    Ok(())
}

/// Nothing to list.
fn empty_file_listing(cx: &mut Ctx) -> Tested {
    listing_test(cx, &[])
}

/// Writes `name` holding `data`, sends `line` and expects the raw body
/// `part`.
fn raw_test(cx: &Ctx, (name, data): (&str, &[u8]), line: &[u8], part: &[u8]) -> Tested {
    let _data = TestData::write(cx, [(name, data)])?;
    let mut conn = connect(cx)?;
    expect_raw(&mut conn, line, part)?;
    tear_down(&mut conn);
    Ok(())
}

/// Every byte value, raw.
fn get_slice_raw(cx: &mut Ctx) -> Tested {
    let data: Vec<u8> = (0..=255).collect();
    raw_test(
        cx,
        ("rawbin", &data),
        b"get_slice rawbin 0 256 raw\r\n",
        &data,
    )
}

/// Four bytes from the middle, raw.
fn get_slice_raw_partial(cx: &mut Ctx) -> Tested {
    raw_test(
        cx,
        ("seg", b"abcdefghij"),
        b"get_slice seg 3 4 raw\r\n",
        b"defg",
    )
}

/// `rawx` on an empty file: the fifth word is checked before the range.
fn get_slice_rejects_bad_raw_token(cx: &mut Ctx) -> Tested {
    let _data = TestData::write(cx, [("bar", "")])?;
    status_test(cx, b"get_slice bar 0 1 rawx\r\n", 201)
}

/// `help`: the five commands, in any order.
fn help(cx: &mut Ctx) -> Tested {
    let mut conn = connect(cx)?;
    code_within(&mut conn, b"help\r\n", 0)?;
    let what = said!("command names", "nombres de comando");
    lines_are(&mut conn, &Command::ALL.map(Command::name), &what)?;
    tear_down(&mut conn);
    Ok(())
}

/// The size of `quijote.txt`, then all of it.
fn retrieve_full_file(cx: &mut Ctx) -> Tested {
    let data = b"En un lugar de la Mancha...";
    let _data = TestData::write(cx, [("quijote.txt", data)])?;
    let mut conn = connect(cx)?;
    expect_metadata(&mut conn, "quijote.txt", data.len() as u64)?;
    expect_slice(&mut conn, Revision::R2026, ("quijote.txt", 0), data)?;
    tear_down(&mut conn);
    Ok(())
}
