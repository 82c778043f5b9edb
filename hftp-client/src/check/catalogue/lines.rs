//! Rules 0 to 4: the command table, line ends, elements, commands and
//! the order of checks, numbers.

use std::thread;
use std::time::Duration;

use hftp_proto::Code::{
    self, BadEol, BadOffset, BadRequest, FileNotFound, InvalidArguments, InvalidCommand,
};

use super::{run, status};
use crate::check::case::Case;
use crate::check::conn::PROBE;
use crate::check::context::Ctx;
use crate::check::expect;
use crate::check::fixtures::{HOLA, HOLA_DATA};
use crate::check::group::Revision;
use crate::check::miss::Tested;

/// The cases of rules 0 to 4.
pub(super) const CASES: &[Case] = &[
    run(
        "0.help",
        0,
        "help lists the five commands, then the connection goes on",
        help,
    )
    .course()
    .of_2026(),
    run(
        "0.quit",
        0,
        "quit is answered 0 OK and the server closes",
        quit,
    )
    .course(),
    run(
        "0.metadata",
        0,
        "get_metadata hola.txt is 0 OK and 33",
        metadata,
    )
    .course()
    .with_dir(),
    status(
        "1.bare-lf",
        1,
        "a LF without CR is 100 and the server closes",
        b"help\n",
        BadEol,
    ),
    status("1.lone-lf", 1, "a line of one LF is 100", b"\n", BadEol),
    status(
        "1.cr-then-byte",
        1,
        "a CR followed by a byte but LF is 100",
        b"help\rx\r\n",
        BadEol,
    ),
    status(
        "1.cr-cr-lf",
        1,
        "a CR followed by CR LF is 100",
        b"help\r\r\n",
        BadEol,
    ),
    run(
        "1.split-crlf",
        1,
        "a CR ending one packet waits for the LF of the next",
        split_crlf,
    )
    .course(),
    run(
        "1.before-bad-byte",
        1,
        "requests before a bad byte are answered first",
        before_bad_byte,
    ),
    // The course's part (101 within 3 s) is 2026.empty-command-line-bad-request;
    // the close is the contract's.
    status(
        "2.empty-line",
        2,
        "an empty line is 101 and the server closes",
        b"\r\n",
        BadRequest,
    ),
    status(
        "2.spaces-only",
        2,
        "a line of spaces is 101",
        b"   \r\n",
        BadRequest,
    ),
    status(
        "2.leading-space",
        2,
        "a leading space makes an empty command: 200",
        b" help\r\n",
        InvalidCommand,
    ),
    status(
        "2.trailing-space",
        2,
        "a trailing space makes an empty argument: 201",
        b"get_file_listing \r\n",
        InvalidArguments,
    ),
    status(
        "2.double-space",
        2,
        "a double space makes an empty argument: 201",
        b"get_metadata  x\r\n",
        InvalidArguments,
    ),
    status(
        "2.slice-double-space",
        2,
        "an empty number is 201",
        b"get_slice x 0  1\r\n",
        InvalidArguments,
    ),
    status(
        "3.case-sensitive",
        3,
        "QUIT is not quit: 200",
        b"QUIT\r\n",
        InvalidCommand,
    ),
    status(
        "3.unknown-command",
        3,
        "an unknown command is 200",
        b"bogus\r\n",
        InvalidCommand,
    )
    .course(),
    status(
        "3.command-first",
        3,
        "an unknown command with arguments is 200",
        b"bogus a b c d\r\n",
        InvalidCommand,
    ),
    status(
        "3.quit-now",
        3,
        "quit with an argument is 201",
        b"quit now\r\n",
        InvalidArguments,
    )
    .course(),
    status(
        "3.help-me",
        3,
        "help with an argument is 201",
        b"help me\r\n",
        InvalidArguments,
    )
    .course()
    .of_2026(),
    status(
        "3.metadata-alone",
        3,
        "get_metadata without a name is 201",
        b"get_metadata\r\n",
        InvalidArguments,
    )
    .course(),
    status(
        "3.metadata-two",
        3,
        "get_metadata with two names is 201",
        b"get_metadata a b\r\n",
        InvalidArguments,
    )
    .course(),
    status(
        "3.listing-argument",
        3,
        "get_file_listing with an argument is 201",
        b"get_file_listing now\r\n",
        InvalidArguments,
    )
    .course(),
    status(
        "3.slice-too-few",
        3,
        "get_slice with two arguments is 201",
        b"get_slice x 0\r\n",
        InvalidArguments,
    )
    .course(),
    status(
        "3.slice-too-many",
        3,
        "get_slice with five arguments is 201",
        b"get_slice x 0 1 raw now\r\n",
        InvalidArguments,
    )
    .course(),
    status(
        "3.mode-rawx",
        3,
        "a mode word rawx is 201, before the name",
        b"get_slice absent-file 0 1 rawx\r\n",
        InvalidArguments,
    ),
    status(
        "3.mode-upper",
        3,
        "a mode word RAW is 201",
        b"get_slice absent-file 0 1 RAW\r\n",
        InvalidArguments,
    ),
    status(
        "3.mode-base64",
        3,
        "a mode word base64 is 201",
        b"get_slice absent-file 0 1 base64\r\n",
        InvalidArguments,
    ),
    status(
        "3.number-before-name",
        3,
        "a bad number is 201, before the name",
        b"get_slice absent-file 0 x\r\n",
        InvalidArguments,
    ),
    status(
        "3.name-before-range",
        3,
        "a missing file is 202, before the range",
        b"get_slice absent-file 9999 9999\r\n",
        FileNotFound,
    ),
    run(
        "3.mode-before-range",
        3,
        "a bad mode word is 201 even past the end",
        mode_before_range,
    )
    .course()
    .with_dir(),
    status(
        "4.minus",
        4,
        "a negative number is 201",
        b"get_slice absent-file -1 1\r\n",
        InvalidArguments,
    ),
    status(
        "4.plus",
        4,
        "a signed number is 201",
        b"get_slice absent-file +1 1\r\n",
        InvalidArguments,
    ),
    status(
        "4.hex",
        4,
        "a hex number is 201",
        b"get_slice absent-file 0x10 1\r\n",
        InvalidArguments,
    ),
    status(
        "4.overflow",
        4,
        "2^64 is 201",
        b"get_slice absent-file 18446744073709551616 1\r\n",
        InvalidArguments,
    ),
    status(
        "4.max",
        4,
        "2^64-1 is a number: the missing file is 202",
        b"get_slice absent-file 18446744073709551615 18446744073709551615\r\n",
        FileNotFound,
    ),
    run(
        "4.sum-overflow",
        4,
        "OFFSET + SIZE past 2^64 is 203, not a wrap",
        sum_overflow,
    )
    .with_dir(),
    run(
        "4.leading-zeros",
        4,
        "leading zeros are allowed",
        leading_zeros,
    )
    .with_dir(),
    run(
        "4.size-zero",
        4,
        "SIZE 0 is 0 OK and an empty line, even at the end",
        size_zero,
    )
    .with_dir(),
    run(
        "4.past-end",
        4,
        "OFFSET + SIZE past the size is 203",
        past_end,
    )
    .course()
    .with_dir(),
];

/// `help` and the connection goes on.
fn help(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(b"help\r\n")?;
    conn.expect(&expect::help())?;
    conn.expect_open()
}

/// `quit`: `0 OK` and a close.
fn quit(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(b"quit\r\n")?;
    conn.expect(&expect::status(Code::Ok))?;
    conn.expect_close()
}

/// The size of `hola.txt`.
fn metadata(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(format!("get_metadata {HOLA}\r\n").as_bytes())?;
    conn.expect(&expect::metadata(HOLA_DATA.len() as u64))?;
    conn.expect_open()
}

/// `\r` in one packet, `\n` in the next.
fn split_crlf(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(&PROBE[..PROBE.len() - 1])?;
    // Only to make two packets; the check waits for the reply itself.
    thread::sleep(Duration::from_millis(50));
    conn.send(b"\n")?;
    conn.expect(&expect::status(InvalidCommand))?;
    conn.expect_open()
}

/// A good request, then a bad line end in the same packet.
fn before_bad_byte(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(&[PROBE, b"help\n"].concat())?;
    conn.expect(&expect::status(InvalidCommand))?;
    conn.expect_status(BadEol)
}

/// Sends `line`, expects `reply`, then one more request is answered.
pub(super) fn exchange(cx: &Ctx, line: &[u8], reply: &[u8]) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(line)?;
    conn.expect(reply)?;
    conn.expect_open()
}

/// A plain `get_slice` line and its body of `data`, in the framing the
/// server uses (rule 12), then one more request answered.
pub(super) fn slice_exchange(cx: &Ctx, line: &[u8], data: &[u8]) -> Tested {
    let mut conn = cx.connect()?;
    conn.expect_plain_slice(line, data)?;
    conn.expect_open()
}

/// The fifth word is checked before the range.
fn mode_before_range(cx: &mut Ctx) -> Tested {
    exchange(
        cx,
        b"get_slice hola.txt 30 30 rawx\r\n",
        &expect::status(InvalidArguments),
    )
}

/// The range check does not overflow.
fn sum_overflow(cx: &mut Ctx) -> Tested {
    let code = expect::status(BadOffset);
    exchange(cx, b"get_slice hola.txt 18446744073709551615 2\r\n", &code)?;
    exchange(cx, b"get_slice hola.txt 1 18446744073709551615\r\n", &code)
}

/// `0004 0014` is `4 14`.
fn leading_zeros(cx: &mut Ctx) -> Tested {
    slice_exchange(cx, b"get_slice hola.txt 0004 0014\r\n", &HOLA_DATA[4..18])
}

/// Empty slices at the start and at the very end.
fn size_zero(cx: &mut Ctx) -> Tested {
    slice_exchange(cx, b"get_slice hola.txt 0 0\r\n", b"")?;
    slice_exchange(cx, b"get_slice hola.txt 33 0\r\n", b"")
}

/// One byte too far, three ways.
fn past_end(cx: &mut Ctx) -> Tested {
    let code = expect::status(BadOffset);
    exchange(cx, b"get_slice hola.txt 34 0\r\n", &code)?;
    exchange(cx, b"get_slice hola.txt 30 4\r\n", &code)?;
    if cx.revision < Revision::R2026 {
        return Ok(());
    }
    exchange(cx, b"get_slice hola.txt 0 34 raw\r\n", &code)
}
