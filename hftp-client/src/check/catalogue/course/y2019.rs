//! The 19 tests of the course's 2019 suite; the 2026 suite runs most of
//! them again, read by its own client.

use std::time::Duration;

use super::client::{
    TIMEOUT, code_within, connect, expect_code, expect_listing, expect_metadata, expect_slice,
    tear_down, year,
};
use super::{TestData, blocks, test_files, y2019};
use crate::check::case::Case;
use crate::check::context::Ctx;
use crate::check::group::Revision;
use crate::check::miss::{Tested, said};

/// The 2019 suite, in the order unittest runs it.
pub(super) const CASES: &[Case] = &[
    y2019(
        "2019.bad-argument-count",
        "TestHFTPErrors.test_bad_argument_count: quit with arguments is 201 within 3 s",
        bad_argument_count,
    ),
    y2019(
        "2019.bad-argument-count-2",
        "TestHFTPErrors.test_bad_argument_count_2: get_metadata alone is 201 within 3 s",
        bad_argument_count_2,
    ),
    y2019(
        "2019.bad-argument-type",
        "TestHFTPErrors.test_bad_argument_type: get_slice bar x x is 201 within 3 s",
        bad_argument_type,
    )
    .with_dir(),
    y2019(
        "2019.bad-command",
        "TestHFTPErrors.test_bad_command: verdura is 200 within 3 s",
        bad_command,
    ),
    y2019(
        "2019.bad-eol",
        "TestHFTPErrors.test_bad_eol: qui\\nt\\n\\r\\n is 100 within 3 s",
        bad_eol,
    ),
    y2019(
        "2019.file-not-found",
        "TestHFTPErrors.test_file_not_found: get_metadata of a missing file is 202 within 3 s",
        file_not_found,
    ),
    y2019(
        "2019.big-file",
        "TestHFTPHard.test_big_file: the size and base64 body of 254 blocks of 128 KiB",
        big_file,
    )
    .with_dir(),
    y2019(
        "2019.big-filename",
        "TestHFTPHard.test_big_filename: a 5 MiB name is 202 within 18 s",
        big_filename,
    ),
    y2019(
        "2019.command-in-pieces",
        "TestHFTPHard.test_command_in_pieces: quit one byte per second is 0 within 3 s",
        command_in_pieces,
    ),
    y2019(
        "2019.data-with-nulls",
        "TestHFTPHard.test_data_with_nulls: a slice of x, NUL and y bytes",
        data_with_nulls,
    )
    .with_dir(),
    y2019(
        "2019.long-file-listing",
        "TestHFTPHard.test_long_file_listing: a listing of 1000 files, in any order",
        long_file_listing,
    )
    .with_dir(),
    y2019(
        "2019.multiple-commands",
        "TestHFTPHard.test_multiple_commands: two listings in one packet, 0 within 3 s, the client leaves",
        multiple_commands,
    ),
    y2019(
        "2019.connect-and-quit",
        "TestHFTPServer.test_connect_and_quit: a reply to quit, then the close within 0.5 s",
        connect_and_quit,
    ),
    y2019(
        "2019.get-full-slice",
        "TestHFTPServer.test_get_full_slice: a whole 44-byte file, base64",
        get_full_slice,
    )
    .with_dir(),
    y2019(
        "2019.get-metadata",
        "TestHFTPServer.test_get_metadata: the size of a 123459-byte file",
        get_metadata,
    )
    .with_dir(),
    y2019(
        "2019.get-metadata-empty",
        "TestHFTPServer.test_get_metadata_empty: the size of an empty file is 0",
        get_metadata_empty,
    )
    .with_dir(),
    y2019(
        "2019.lookup",
        "TestHFTPServer.test_lookup: a listing of bar, foo and x, in any order",
        lookup,
    )
    .with_dir(),
    y2019(
        "2019.partial-slices",
        "TestHFTPServer.test_partial_slices: four slices of one file on one connection",
        partial_slices,
    )
    .with_dir(),
    y2019(
        "2019.quit-answers-ok",
        "TestHFTPServer.test_quit_answers_ok: quit is 0",
        quit_answers_ok,
    ),
];

/// On a connection of the course's client, sends `line` and expects
/// `code` within 3 s; then tearDown's quit.
pub(super) fn status_test(cx: &Ctx, line: &[u8], code: u16) -> Tested {
    let mut conn = connect(cx)?;
    code_within(&mut conn, line, code)?;
    tear_down(&mut conn);
    Ok(())
}

/// `quit` with arguments.
pub(super) fn bad_argument_count(cx: &mut Ctx) -> Tested {
    status_test(cx, b"quit passing extra arguments!\r\n", 201)
}

/// `get_metadata` without its name.
pub(super) fn bad_argument_count_2(cx: &mut Ctx) -> Tested {
    status_test(cx, b"get_metadata\r\n", 201)
}

/// Numbers that are not numbers.
pub(super) fn bad_argument_type(cx: &mut Ctx) -> Tested {
    let _data = TestData::write(cx, [("bar", "data")])?;
    status_test(cx, b"get_slice bar x x\r\n", 201)
}

/// An unknown command.
pub(super) fn bad_command(cx: &mut Ctx) -> Tested {
    status_test(cx, b"verdura\r\n", 200)
}

/// LF inside a command, in one send.
pub(super) fn bad_eol(cx: &mut Ctx) -> Tested {
    status_test(cx, b"qui\nt\n\r\n", 100)
}

/// A missing file.
pub(super) fn file_not_found(cx: &mut Ctx) -> Tested {
    status_test(cx, b"get_metadata does_not_exist\r\n", 202)
}

/// The big file: its size, then all of it (254 blocks in 2019, 16 in
/// 2026), with no timeout.
pub(super) fn big_file(cx: &mut Ctx) -> Tested {
    let year = year(cx.group);
    let data = blocks(if year == Revision::R2019 { 254 } else { 16 });
    let _data = TestData::write(cx, [("bar", &data)])?;
    let mut conn = connect(cx)?;
    expect_metadata(&mut conn, "bar", data.len() as u64)?;
    expect_slice(&mut conn, year, ("bar", 0), &data)?;
    tear_down(&mut conn);
    Ok(())
}

/// A name of 5 MiB answered 202 within 18 s (2019), or of 8 KiB within
/// 3 s (2026).
pub(super) fn big_filename(cx: &mut Ctx) -> Tested {
    let (len, wait) = match year(cx.group) {
        Revision::R2019 => (5 << 20, TIMEOUT * 6),
        Revision::R2026 => (8192, TIMEOUT),
    };
    let line = [&b"get_metadata "[..], &vec![b'x'; len], b"\r\n"].concat();
    let mut conn = connect(cx)?;
    conn.send(&line)?;
    conn.set_reply_wait(wait);
    expect_code(&mut conn, 202)?;
    tear_down(&mut conn);
    Ok(())
}

/// `quit` one byte per send, a second apart (2019) or 30 ms (2026), or
/// less when the options say so.
pub(super) fn command_in_pieces(cx: &mut Ctx) -> Tested {
    let pause = match year(cx.group) {
        Revision::R2019 => Duration::from_secs(1),
        Revision::R2026 => Duration::from_millis(30),
    }
    .min(cx.piece_pause);
    let mut conn = connect(cx)?;
    conn.send_bytewise(b"quit\r\n", pause)?;
    conn.set_reply_wait(TIMEOUT);
    expect_code(&mut conn, 0)
}

/// 100 × `x`, 100 × NUL, 100 × `y`.
pub(super) fn data_with_nulls(cx: &mut Ctx) -> Tested {
    let data = [[b'x'; 100], [0; 100], [b'y'; 100]].concat();
    let _data = TestData::write(cx, [("bar", &data)])?;
    let mut conn = connect(cx)?;
    expect_slice(&mut conn, year(cx.group), ("bar", 0), &data)?;
    tear_down(&mut conn);
    Ok(())
}

/// 1000 empty files (2019) or 200 (2026), listed in any order.
pub(super) fn long_file_listing(cx: &mut Ctx) -> Tested {
    let count = match year(cx.group) {
        Revision::R2019 => 1000,
        Revision::R2026 => 200,
    };
    let names = test_files(count);
    let _data = TestData::write(cx, names.iter().map(|name| (name, "")))?;
    let mut conn = connect(cx)?;
    expect_listing(&mut conn, b"get_file_listing\r\n", &names)?;
    tear_down(&mut conn);
    Ok(())
}

/// Two requests in one send; the client reads the first status and
/// leaves without `quit`.
pub(super) fn multiple_commands(cx: &mut Ctx) -> Tested {
    let mut conn = connect(cx)?;
    code_within(&mut conn, b"get_file_listing\r\nget_file_listing\r\n", 0)
}

/// A raw socket sends `quit`: something readable within 3 s, then the
/// close, no later than 0.5 s after the last byte.
pub(super) fn connect_and_quit(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(b"quit\r\n")?;
    conn.set_reply_wait(TIMEOUT);
    if conn.take_bytes()?.is_none() {
        return Ok(());
    }
    conn.set_reply_wait(Duration::from_millis(500));
    loop {
        match conn.take_bytes() {
            Ok(Some(_)) => {}
            Ok(None) => return Ok(()),
            Err(_) => {
                return Err(conn.failure(said!(
                    "the close within 0.5 s of the last byte",
                    "el cierre en 0,5 s como mucho después del último byte"
                )));
            }
        }
    }
}

/// The fox, whole.
pub(super) fn get_full_slice(cx: &mut Ctx) -> Tested {
    let data = b"The quick brown fox jumped over the lazy dog";
    let _data = TestData::write(cx, [("bar", data)])?;
    let mut conn = connect(cx)?;
    expect_slice(&mut conn, year(cx.group), ("bar", 0), data)?;
    tear_down(&mut conn);
    Ok(())
}

/// Writes `bar` of `size` bytes and expects that size.
pub(super) fn metadata_test(cx: &Ctx, size: usize) -> Tested {
    let _data = TestData::write(cx, [("bar", vec![b'x'; size])])?;
    let mut conn = connect(cx)?;
    expect_metadata(&mut conn, "bar", size as u64)?;
    tear_down(&mut conn);
    Ok(())
}

/// 123459 bytes.
pub(super) fn get_metadata(cx: &mut Ctx) -> Tested {
    metadata_test(cx, 123_459)
}

/// An empty file.
pub(super) fn get_metadata_empty(cx: &mut Ctx) -> Tested {
    metadata_test(cx, 0)
}

/// Writes empty files named `names` and expects exactly them listed.
pub(super) fn listing_test(cx: &Ctx, names: &[&str]) -> Tested {
    let _data = TestData::write(cx, names.iter().map(|name| (name, "")))?;
    let mut conn = connect(cx)?;
    expect_listing(&mut conn, b"get_file_listing\r\n", names)?;
    tear_down(&mut conn);
    Ok(())
}

/// Three empty files.
pub(super) fn lookup(cx: &mut Ctx) -> Tested {
    listing_test(cx, &["bar", "foo", "x"])
}

/// Four slices of a, b and c on one connection.
pub(super) fn partial_slices(cx: &mut Ctx) -> Tested {
    let data = [[b'a'; 100].as_slice(), &[b'b'; 200], &[b'c'; 300]].concat();
    let _data = TestData::write(cx, [("bar", &data)])?;
    let year = year(cx.group);
    let mut conn = connect(cx)?;
    for (offset, size) in [(0, 100), (100, 200), (200, 200), (500, 100)] {
        let part = &data[offset..offset + size];
        expect_slice(&mut conn, year, ("bar", offset), part)?;
    }
    tear_down(&mut conn);
    Ok(())
}

/// `quit`, read with no timeout.
pub(super) fn quit_answers_ok(cx: &mut Ctx) -> Tested {
    let mut conn = connect(cx)?;
    conn.send(b"quit\r\n")?;
    expect_code(&mut conn, 0)
}
