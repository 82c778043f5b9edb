//! How the course's clients read replies, so that a course case judges
//! a server exactly as the course's test does: the status code alone,
//! lines decoded as ASCII, slice bodies as that year's client decodes
//! them, listings as sets.

use std::time::Duration;

use hftp_proto::{BodyDecoder, Framing};

use crate::check::conn::{Awaited, Conn, escape_cut};
use crate::check::context::Ctx;
use crate::check::differ;
use crate::check::group::{Group, Revision};
use crate::check::miss::{Miss, Said, Tested, said};

/// The course's `TIMEOUT`: each `recv` of a test that passes it waits
/// this long at most.
pub(super) const TIMEOUT: Duration = Duration::from_secs(3);
/// No timeout: the course's client blocks, so only the case's own time
/// limit ends the wait.
pub(super) const NO_TIMEOUT: Duration = Duration::MAX;
/// The longest line read: a 32 MiB base64 body is one line of 44 MB.
const MAX_LINE: usize = 64 << 20;

/// Whose client reads the replies: the year of a course case's group
/// (the 2019 kit decodes base64 lines until at least `SIZE` bytes; the
/// 2026 kit reads exactly `SIZE` bytes, and raw bodies).
pub(super) const fn year(group: Group) -> Revision {
    match group {
        Group::Course(year) => year,
        _ => Revision::R2026,
    }
}

/// A connection of the course's client: it reads with no timeout
/// unless the test gives one.
pub(super) fn connect(cx: &Ctx) -> Result<Conn, Miss> {
    let mut conn = cx.connect()?;
    conn.set_reply_wait(NO_TIMEOUT);
    Ok(conn)
}

/// One line without its `\r\n`, which the course's clients decode as
/// ASCII (any other byte raises in them).
pub(super) fn line(conn: &mut Conn) -> Result<Vec<u8>, Miss> {
    let awaited = Awaited::Words(|| said!("a line ended by CR LF", "una línea terminada en CR LF"));
    match conn.read_line_upto(MAX_LINE, awaited)? {
        Some(line) if line.is_ascii() => Ok(line),
        Some(line) => Err(conn.failure(said!(
            "ASCII: the course's client cannot decode \"{line}\"",
            "ASCII: el cliente de la materia no puede decodificar \"{line}\"";
            line = escape_cut(&line)
        ))),
        None => Err(conn.failure(said!(
            "a line of at most 64 MiB",
            "una línea de 64 MiB como mucho"
        ))),
    }
}

/// The code of the next status line, as the course's client reads it:
/// the integer before the first space, whatever the text; a line with
/// no space is an invalid reply.
pub(super) fn code(conn: &mut Conn) -> Result<i64, Miss> {
    let line = line(conn)?;
    let text = String::from_utf8_lossy(&line);
    let number = text.split_once(' ').map(|(number, _)| number.trim());
    match number.map(str::parse) {
        Some(Ok(code)) => Ok(code),
        Some(Err(_)) => Err(conn.failure(said!(
            "a status line starting with its integer code",
            "una línea de estado que empiece con su código entero"
        ))),
        None => Err(conn.failure(said!(
            "a status line: the code, a space, a text (no space: an invalid reply)",
            "una línea de estado: el código, un espacio, un texto (sin espacio: una respuesta inválida)"
        ))),
    }
}

/// Expects a status line of `code`, any text.
pub(super) fn expect_code(conn: &mut Conn, code: u16) -> Tested {
    match self::code(conn)? {
        got if got == i64::from(code) => Ok(()),
        got => Err(conn.failure(said!(
            "the code {code}, not {got}",
            "el código {code}, no {got}";
            code = code,
            got = got
        ))),
    }
}

/// Sends `line` in one send and expects `code` within [`TIMEOUT`].
pub(super) fn code_within(conn: &mut Conn, line: &[u8], code: u16) -> Tested {
    conn.set_reply_wait(TIMEOUT);
    conn.send(line)?;
    expect_code(conn, code)
}

/// What tearDown sends through the suite's client; its reply is never
/// judged.
pub(super) fn tear_down(conn: &mut Conn) {
    let _ = conn.send(b"quit\r\n");
}

/// Lines up to the first empty one, as the course's clients read a
/// listing or `help`.
pub(super) fn lines(conn: &mut Conn) -> Result<Vec<Vec<u8>>, Miss> {
    let mut lines = Vec::new();
    loop {
        let line = line(conn)?;
        if line.is_empty() {
            return Ok(lines);
        }
        lines.push(line);
    }
}

/// Sends `line`, expects `0` and a listing holding `names` in any order
/// (sorted, compared as the course's test does).
pub(super) fn expect_listing(conn: &mut Conn, line: &[u8], names: &[impl AsRef<str>]) -> Tested {
    conn.send(line)?;
    read_listing(conn, names)
}

/// Expects `0` and a listing holding `names` in any order.
pub(super) fn read_listing(conn: &mut Conn, names: &[impl AsRef<str>]) -> Tested {
    expect_code(conn, 0)?;
    lines_are(conn, names, &said!("names", "nombres"))
}

/// Reads lines up to an empty one and expects exactly `want` (`what`
/// they are), in any order: the course's tests sort both, or compare
/// sets.
pub(super) fn lines_are(conn: &mut Conn, want: &[impl AsRef<str>], what: &Said) -> Tested {
    let mut got = lines(conn)?;
    got.sort();
    let mut want: Vec<&[u8]> = want.iter().map(|line| line.as_ref().as_bytes()).collect();
    want.sort_unstable();
    if got.iter().map(Vec::as_slice).eq(want.iter().copied()) {
        return Ok(());
    }
    let (count, all) = (want.len(), escape_cut(&want.join(&b' ')));
    Err(conn.failure(Said {
        en: format!("exactly these {count} {}, in any order: {all}", what.en),
        es: format!(
            "exactamente estos {count} {}, en cualquier orden: {all}",
            what.es
        ),
    }))
}

/// Sends `get_metadata NAME` and expects `0` and `size`.
pub(super) fn expect_metadata(conn: &mut Conn, name: &str, size: u64) -> Tested {
    conn.send(format!("get_metadata {name}\r\n").as_bytes())?;
    expect_code(conn, 0)?;
    let line = line(conn)?;
    if String::from_utf8_lossy(&line).trim().parse() == Ok(size) {
        return Ok(());
    }
    Err(conn.failure(said!("0 and the size {size}", "0 y el tamaño {size}"; size = size)))
}

/// Asks the plain slice `OFFSET SIZE` of `name`, expects `0` and a body
/// holding `data` as that year's client reads it; from a server that
/// frames plain slices in fragments (rule 12), fragments holding `data`.
pub(super) fn expect_slice(
    conn: &mut Conn,
    year: Revision,
    (name, offset): (&str, usize),
    data: &[u8],
) -> Tested {
    let line = format!("get_slice {name} {offset} {}\r\n", data.len());
    if conn.framing() == Some(Framing::Fragments) {
        return conn.expect_plain_slice(line.as_bytes(), data);
    }
    conn.send(line.as_bytes())?;
    expect_code(conn, 0)?;
    let got = body(conn, year, data.len())?;
    // The 2019 client never looks past SIZE bytes.
    let got = if year == Revision::R2019 {
        &got[..data.len()]
    } else {
        &got[..]
    };
    same(conn, got, data)
}

/// A failure showing where `got` first differs from `data`, if it does.
pub(super) fn same(conn: &Conn, got: &[u8], data: &[u8]) -> Tested {
    if got == data {
        return Ok(());
    }
    let (size, came) = (data.len(), got.len());
    let differs = differ::described(differ::Part::Body, got, data, 0);
    Err(conn.failure(Said {
        en: format!(
            "a body of the file's {size} bytes ({came} came; {})",
            differs.en
        ),
        es: format!(
            "un cuerpo con los {size} bytes del archivo (llegaron {came}; {})",
            differs.es
        ),
    }))
}

/// A plain slice body of `size` bytes, decoded as that year's client
/// reads it: base64 lines until at least `size` bytes (2019); lines
/// until exactly `size` bytes, no empty line before, and for `size` 0
/// one empty line (2026).
fn body(conn: &mut Conn, year: Revision, size: usize) -> Result<Vec<u8>, Miss> {
    let mut got = Vec::with_capacity(size);
    if year == Revision::R2026 && size == 0 {
        if line(conn)?.is_empty() {
            return Ok(got);
        }
        return Err(conn.failure(said!(
            "an empty line: the body of 0 bytes",
            "una línea vacía: el cuerpo de 0 bytes"
        )));
    }
    while got.len() < size {
        let line = line(conn)?;
        if year == Revision::R2026 && line.is_empty() {
            let came = got.len();
            return Err(conn.failure(said!(
                "base64 lines up to {size} bytes, not an empty line after {came}",
                "líneas en base64 hasta {size} bytes, no una línea vacía después de {came}";
                size = size,
                came = came
            )));
        }
        decode_line(&line, &mut got).map_err(|why| conn.failure(why))?;
    }
    if year == Revision::R2026 && got.len() != size {
        let came = got.len();
        return Err(conn.failure(said!(
            "a body decoding to exactly {size} bytes, not {came}",
            "un cuerpo que decodifique a exactamente {size} bytes, no {came}";
            size = size,
            came = came
        )));
    }
    Ok(got)
}

/// Decodes one base64 line onto the end of `out`.
fn decode_line(line: &[u8], out: &mut Vec<u8>) -> Result<(), Said> {
    let input = [line, b"\r\n"].concat();
    let mut decoder = BodyDecoder::new(u64::MAX);
    let mut buffer = vec![0; line.len() / 4 * 3 + 3];
    let mut at = 0;
    while at < input.len() {
        let progress = decoder.decode(&input[at..], &mut buffer).map_err(|error| {
            said!(
                "a base64 line ({error})",
                "una línea en base64 ({error})";
                error = error
            )
        })?;
        out.extend_from_slice(&buffer[..progress.produced]);
        at += progress.consumed;
        if progress.consumed == 0 && progress.produced == 0 {
            return Err(said!("a base64 line", "una línea en base64"));
        }
    }
    Ok(())
}

/// Sends `line`, a raw slice, and expects what the 2026 client accepts
/// (§4.1 of the scenarios): `0`, a line starting `Content-Length:` with
/// the length N, an empty line, then N bytes equal to `data`. What comes
/// after them is never looked at.
pub(super) fn expect_raw(conn: &mut Conn, line: &[u8], data: &[u8]) -> Tested {
    conn.send(line)?;
    expect_code(conn, 0)?;
    let header = self::line(conn)?;
    let header = String::from_utf8_lossy(&header);
    let length = header.trim().strip_prefix("Content-Length:").map(str::trim);
    let Some(Ok(length)) = length.map(str::parse::<usize>) else {
        return Err(conn.failure(said!(
            "a line Content-Length: N",
            "una línea Content-Length: N"
        )));
    };
    if length != data.len() {
        let size = data.len();
        return Err(conn.failure(said!(
            "Content-Length: {size}, not {length}",
            "Content-Length: {size}, no {length}";
            size = size,
            length = length
        )));
    }
    if !String::from_utf8_lossy(&self::line(conn)?)
        .trim()
        .is_empty()
    {
        return Err(conn.failure(said!(
            "an empty line after Content-Length",
            "una línea vacía después de Content-Length"
        )));
    }
    let awaited = Awaited::Words(|| {
        said!(
            "the raw body of Content-Length bytes",
            "el cuerpo crudo de Content-Length bytes"
        )
    });
    let got = conn.read_exact(length, awaited)?;
    same(conn, &got, data)
}
