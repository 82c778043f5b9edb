//! Rules 8 to 11: slices in flight, long lines, after the end, bodies.

use std::fs;
use std::time::Instant;

use hftp_proto::Code::{BadEol, BadRequest, FileNotFound, Ok as Fine};
use hftp_proto::{ClientConfig, ClientConnection, Event, Form, Request};

use super::lines::{exchange, slice_exchange};
use super::run;
use crate::check::case::Case;
use crate::check::conn::Conn;
use crate::check::context::Ctx;
use crate::check::expect;
use crate::check::fixtures::{EMPTY, HOLA, HOLA_DATA, MEDIUM, counting, medium_data};
use crate::check::miss::{Said, Tested, fail, said, skip};

/// The file the rule 8 cases write and shrink.
const SHRINK: &str = "shrinking.bin";
/// Its size: more than loopback socket buffers hold.
const SHRINK_LEN: usize = 48 << 20;
/// The 5 MiB name of the course.
const NAME_5MIB: usize = 5 << 20;
/// Past the default 16 MiB line limit.
const LINE_17MIB: usize = 17 << 20;

/// The cases of rules 8 to 11.
pub(super) const CASES: &[Case] = &[
    run(
        "8.shrink-base64",
        8,
        "a file shrinking mid-body: the server closes, never pads",
        shrink_base64,
    )
    .with_dir(),
    run(
        "8.shrink-raw",
        8,
        "the same for a raw body: fewer bytes, then the close",
        shrink_raw,
    )
    .with_dir()
    .of_2026(),
    run(
        "9.name-5mib",
        9,
        "a 5 MiB name is 202 (within 18 s) and the connection goes on",
        name_5mib,
    )
    .course(),
    run(
        "9.line-past-limit",
        9,
        "a line past 16 MiB is 101 and the server closes",
        line_past_limit,
    ),
    run(
        "10.quit-then-more",
        10,
        "nothing is answered after quit",
        quit_then_more,
    ),
    run(
        "10.fatal-then-more",
        10,
        "nothing is answered after 101",
        fatal_then_more,
    ),
    run(
        "10.bad-eol-then-more",
        10,
        "nothing is answered after 100",
        bad_eol_then_more,
    ),
    run(
        "10.cut-request",
        10,
        "a request cut off by the client's close is not answered",
        cut_request,
    ),
    run(
        "11.base64-one-line",
        11,
        "a base64 body is the exact bytes on one line",
        base64_one_line,
    )
    .with_dir(),
    run(
        "11.padding",
        11,
        "bodies of 1, 2 and 3 bytes carry the right padding",
        padding,
    )
    .with_dir(),
    run(
        "11.base64-exact-size",
        11,
        "a 123459-byte base64 body decodes to exactly the file",
        base64_medium,
    )
    .course()
    .with_dir(),
    run(
        "11.base64-empty-file",
        11,
        "an empty slice of an empty file is 0 OK and an empty line",
        base64_empty,
    )
    .with_dir(),
    run(
        "11.raw-exact",
        11,
        "a raw body is exactly Content-Length bytes, nothing after",
        raw_exact,
    )
    .with_dir()
    .of_2026(),
    run(
        "11.raw-empty",
        11,
        "a raw body of 0 bytes is the header alone",
        raw_empty,
    )
    .with_dir()
    .of_2026(),
    run(
        "11.raw-exact-size",
        11,
        "a 123459-byte raw body is exactly the file",
        raw_medium,
    )
    .with_dir()
    .of_2026(),
];

/// Writes the shrinking file, asks for all of it, truncates it once the
/// body has started, and checks that what came is a true prefix that
/// never completes.
fn shrink(cx: &Ctx, form: Form) -> Tested {
    let path = cx.fixtures()?.path(SHRINK);
    let data = counting(SHRINK_LEN, 251);
    fs::write(&path, &data).map_err(|e| {
        fail(said!("the fixture {SHRINK} ({e})", "el archivo de prueba {SHRINK} ({e})"; e = e))
    })?;
    let result = shrink_on(cx, form, &path, &data);
    let _ = fs::remove_file(&path);
    result
}

/// The rule 8 exchange on a written file.
fn shrink_on(cx: &Ctx, form: Form, path: &std::path::Path, data: &[u8]) -> Tested {
    let mut conn = cx.connect()?;
    let request = Request::Slice {
        name: SHRINK,
        offset: 0,
        size: data.len() as u64,
        form,
    };
    let mut client = ClientConnection::new(&ClientConfig::default().framing(cx.framing));
    let mut line = Vec::new();
    client
        .send(&request, &mut line)
        .map_err(|e| fail(Said::same(e.to_string())))?;
    conn.send(&line)?;
    conn.read_some(64 * 1024)?;
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|file| file.set_len(0))
        .map_err(|e| fail(said!("{SHRINK} truncated ({e})", "{SHRINK} truncado ({e})"; e = e)))?;
    let mut body = Vec::new();
    while let Some(bytes) = conn.take_bytes()? {
        let ended = decode_more(&mut client, &bytes, &mut body).map_err(|why| conn.failure(why))?;
        if ended {
            return judge_shrink(&conn, &body, true, data);
        }
    }
    judge_shrink(&conn, &body, false, data)
}

/// Decodes more of a reply into `body`; true once the body completed.
fn decode_more(
    client: &mut ClientConnection,
    mut input: &[u8],
    body: &mut Vec<u8>,
) -> Result<bool, Said> {
    let mut out = vec![0; 64 * 1024];
    while !input.is_empty() {
        let received = client.decode(input, &mut out).map_err(|e| {
            said!(
                "a body that is valid so far ({e})",
                "un cuerpo válido hasta acá ({e})";
                e = e
            )
        })?;
        input = &input[received.consumed..];
        body.extend_from_slice(&out[..received.produced]);
        match received.event {
            Some(Event::BodyEnd) => return Ok(true),
            Some(Event::Status(code)) if code != Fine => {
                return Err(said!("0 OK, not {code}", "0 OK, no {code}"; code = code));
            }
            _ => {}
        }
    }
    Ok(false)
}

/// What came must be a true prefix, cut short, unless the server had
/// sent it all before the file shrank.
fn judge_shrink(conn: &Conn, decoded: &[u8], ended: bool, data: &[u8]) -> Tested {
    let prefix = data.get(..decoded.len()) == Some(decoded);
    match (prefix, ended) {
        (true, true) => Err(skip(said!(
            "the whole body left before the file shrank",
            "el cuerpo entero salió antes de que el archivo se achicara"
        ))),
        (true, false) => Ok(()),
        (false, _) => Err(conn.failure(said!(
            "the file's own bytes, then the close: byte {at} differs (padding?)",
            "los bytes del propio archivo, después el cierre: el byte {at} difiere (¿relleno?)";
            at = first_difference(decoded, data)
        ))),
    }
}

/// The index of the first byte that differs.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Rule 8, base64.
fn shrink_base64(cx: &mut Ctx) -> Tested {
    shrink(cx, Form::Base64)
}

/// Rule 8, raw.
fn shrink_raw(cx: &mut Ctx) -> Tested {
    shrink(cx, Form::Raw)
}

/// The course's 5 MiB name.
fn name_5mib(cx: &mut Ctx) -> Tested {
    let started = Instant::now();
    let line = [b"get_metadata ", &vec![b'a'; NAME_5MIB][..], b"\r\n"].concat();
    exchange(cx, &line, &expect::status(FileNotFound))?;
    let took = started.elapsed();
    if took.as_secs() >= 18 {
        return Err(fail(said!(
            "an answer within 18 s, as the course asks (took {took:?})",
            "una respuesta en 18 s como mucho, como pide la materia (tardó {took:?})";
            took = took
        )));
    }
    Ok(())
}

/// 17 MiB without a line end: 101 and the close, before it all went.
fn line_past_limit(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    let line = [b"get_metadata ", &vec![b'a'; LINE_17MIB][..]].concat();
    let writer = conn.send_in_background(line)?;
    let result = conn.expect_status(BadRequest);
    conn.shutdown_write();
    let _ = writer.join();
    result
}

/// Sends `bytes` in one packet and expects `reply`, then the close.
fn then_nothing(cx: &Ctx, bytes: &[u8], reply: &[u8]) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(bytes)?;
    conn.expect(reply)?;
    conn.expect_close()
}

/// `quit` and `help` in one packet.
fn quit_then_more(cx: &mut Ctx) -> Tested {
    then_nothing(cx, b"quit\r\nhelp\r\n", &expect::status(Fine))
}

/// A fatal line, then `help`.
fn fatal_then_more(cx: &mut Ctx) -> Tested {
    then_nothing(cx, b"\r\nhelp\r\n", &expect::status(BadRequest))
}

/// A bad line end, then `help`.
fn bad_eol_then_more(cx: &mut Ctx) -> Tested {
    then_nothing(cx, b"x\nhelp\r\n", &expect::status(BadEol))
}

/// Half a request, then the client's end of stream.
fn cut_request(cx: &mut Ctx) -> Tested {
    let mut conn = cx.connect()?;
    conn.send(b"get_metadata absent-file")?;
    conn.shutdown_write();
    conn.expect_close()
}

/// The contract's example.
fn base64_one_line(cx: &mut Ctx) -> Tested {
    slice_exchange(cx, b"get_slice hola.txt 4 14\r\n", &HOLA_DATA[4..18])
}

/// `==`, `=` and no padding.
fn padding(cx: &mut Ctx) -> Tested {
    for size in 1..=3 {
        let line = format!("get_slice {HOLA} 0 {size}\r\n");
        slice_exchange(cx, line.as_bytes(), &HOLA_DATA[..size])?;
    }
    Ok(())
}

/// A slice body checked by the client's own decoder, then one more request.
pub(super) fn body_is(cx: &Ctx, name: &str, form: Form, data: &[u8]) -> Tested {
    let mut conn = cx.connect()?;
    let request = Request::Slice {
        name,
        offset: 0,
        size: data.len() as u64,
        form,
    };
    conn.expect_body(&request, data)?;
    conn.expect_open()
}

/// The whole medium file, base64.
fn base64_medium(cx: &mut Ctx) -> Tested {
    body_is(cx, MEDIUM, Form::Base64, &medium_data())
}

/// An empty file.
fn base64_empty(cx: &mut Ctx) -> Tested {
    slice_exchange(cx, format!("get_slice {EMPTY} 0 0\r\n").as_bytes(), b"")
}

/// The contract's example, raw.
fn raw_exact(cx: &mut Ctx) -> Tested {
    exchange(
        cx,
        b"get_slice hola.txt 4 14 raw\r\n",
        &expect::raw_slice(&HOLA_DATA[4..18]),
    )
}

/// Zero raw bytes.
fn raw_empty(cx: &mut Ctx) -> Tested {
    exchange(
        cx,
        b"get_slice hola.txt 0 0 raw\r\n",
        &expect::raw_slice(b""),
    )
}

/// The whole medium file, raw.
fn raw_medium(cx: &mut Ctx) -> Tested {
    body_is(cx, MEDIUM, Form::Raw, &medium_data())
}
