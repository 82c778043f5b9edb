//! Rules 5 to 7: file names, safety, the listing.

use std::fs;

use hftp_proto::Code::{self, FileNotFound, InvalidArguments};

use super::lines::{exchange, slice_exchange};
use super::{run, status};
use crate::check::case::Case;
use crate::check::context::Ctx;
use crate::check::expect;
use crate::check::fixtures::{
    self, CONTROL, FIFO, Fixtures, HOLA, HOLA_DATA, INNER, LINK_ABS, LINK_DANGLING, LINK_IN,
    LINK_UP, NOREAD, NOREAD_DATA, NOT_UTF8, SOCKET, SUBDIR, UTF8,
};
use crate::check::miss::{Tested, fail, said, skip};

/// The cases of rules 5 to 7.
pub(super) const CASES: &[Case] = &[
    status(
        "5.missing",
        5,
        "a name that is not served is 202",
        b"get_metadata absent-file\r\n",
        FileNotFound,
    )
    .course(),
    run("5.name-256", 5, "a name of 256 bytes is 202", name_256),
    run(
        "5.long-before-form",
        5,
        "a 256-byte name with slashes is 202: length first",
        long_with_slashes,
    ),
    status(
        "5.slash",
        5,
        "a name with / is 201",
        b"get_metadata a/b\r\n",
        InvalidArguments,
    ),
    status(
        "5.traversal",
        5,
        "../etc/passwd is 201",
        b"get_metadata ../etc/passwd\r\n",
        InvalidArguments,
    ),
    status(
        "5.absolute",
        5,
        "/etc/passwd is 201",
        b"get_metadata /etc/passwd\r\n",
        InvalidArguments,
    ),
    status(
        "5.dot",
        5,
        "the name . is 201",
        b"get_metadata .\r\n",
        InvalidArguments,
    ),
    status(
        "5.dotdot",
        5,
        "the name .. is 201",
        b"get_metadata ..\r\n",
        InvalidArguments,
    ),
    status(
        "5.control",
        5,
        "a control character in a name is 201",
        b"get_metadata a\x01b\r\n",
        InvalidArguments,
    ),
    status(
        "5.nul",
        5,
        "a NUL in a name is 201",
        b"get_metadata a\x00b\r\n",
        InvalidArguments,
    ),
    status(
        "5.tab",
        5,
        "a tab in a name is 201",
        b"get_metadata a\tb\r\n",
        InvalidArguments,
    ),
    status(
        "5.del",
        5,
        "a DEL in a name is 201",
        b"get_metadata a\x7fb\r\n",
        InvalidArguments,
    ),
    status(
        "5.not-utf8",
        5,
        "a name that is not UTF-8 is 201",
        b"get_metadata a\xffb\r\n",
        InvalidArguments,
    ),
    run("5.name-255", 5, "a name of 255 bytes is served", name_255).with_dir(),
    run("5.utf8", 5, "a UTF-8 name is served", utf8).with_dir(),
    run(
        "5.control-exists",
        5,
        "a control character is 201 even if such a file exists",
        control_exists,
    )
    .with_dir(),
    run(
        "5.not-utf8-exists",
        5,
        "a non-UTF-8 name is 201 even if such a file exists",
        not_utf8_exists,
    )
    .with_dir(),
    run(
        "6.link-inside",
        6,
        "a symbolic link to a file inside is served",
        link_inside,
    )
    .with_dir(),
    run(
        "6.link-out-absolute",
        6,
        "a symbolic link to /etc/passwd is 202",
        link_abs,
    )
    .with_dir()
    .security(),
    run(
        "6.link-out-dotdot",
        6,
        "a symbolic link climbing out with .. is 202",
        link_up,
    )
    .with_dir()
    .security(),
    run(
        "6.traversal-leak",
        6,
        "paths out of the directory, as deep as attackers send them, serve nothing",
        traversal_leak,
    )
    .security(),
    run(
        "6.link-dangling",
        6,
        "a symbolic link to nothing is 202",
        link_dangling,
    )
    .with_dir(),
    run("6.directory", 6, "a subdirectory is 202", directory).with_dir(),
    run(
        "6.inner-file",
        6,
        "a file inside a subdirectory is 202",
        inner_file,
    )
    .with_dir(),
    run(
        "6.fifo",
        6,
        "a FIFO is 202 and never blocks the server",
        fifo,
    )
    .with_dir()
    .security(),
    run("6.socket", 6, "a Unix socket is 202", socket).with_dir(),
    run(
        "6.noread-metadata",
        6,
        "a file without read permission has a size",
        noread_metadata,
    )
    .with_dir(),
    run(
        "6.noread-slice",
        6,
        "a slice of a file without read permission is 199",
        noread_slice,
    )
    .course()
    .with_dir(),
    run(
        "6.dir-replaced",
        6,
        "the directory is looked up again: replaced, it serves the new files",
        dir_replaced,
    )
    .course()
    .with_dir(),
    run(
        "7.listing",
        7,
        "the listing holds exactly the valid regular files, sorted bytewise",
        listing,
    )
    .with_dir(),
];

/// `get_metadata NAME` answered with `reply`, then the connection goes on.
fn metadata_is(cx: &Ctx, name: &[u8], reply: &[u8]) -> Tested {
    exchange(cx, &[b"get_metadata ", name, b"\r\n"].concat(), reply)
}

/// Both `get_metadata` and `get_slice` of `name` are answered `code`.
fn refused(cx: &Ctx, name: &str, code: Code) -> Tested {
    let reply = expect::status(code);
    metadata_is(cx, name.as_bytes(), &reply)?;
    exchange(cx, format!("get_slice {name} 0 0\r\n").as_bytes(), &reply)
}

/// 256 bytes: no such file can exist.
fn name_256(cx: &mut Ctx) -> Tested {
    metadata_is(cx, &[b'a'; 256], &expect::status(FileNotFound))
}

/// The length is checked before the form.
fn long_with_slashes(cx: &mut Ctx) -> Tested {
    metadata_is(
        cx,
        "a/".repeat(128).as_bytes(),
        &expect::status(FileNotFound),
    )
}

/// The longest name a file can have.
fn name_255(cx: &mut Ctx) -> Tested {
    cx.fixtures()?;
    metadata_is(cx, fixtures::name255().as_bytes(), &expect::metadata(4))
}

/// `ñandú.txt`.
fn utf8(cx: &mut Ctx) -> Tested {
    metadata_is(cx, UTF8.as_bytes(), &expect::metadata(6))
}

/// The control-character file exists, the name is still refused.
fn control_exists(cx: &mut Ctx) -> Tested {
    metadata_is(cx, CONTROL.as_bytes(), &expect::status(InvalidArguments))
}

/// The Latin-1 file exists, the name is still refused.
fn not_utf8_exists(cx: &mut Ctx) -> Tested {
    metadata_is(cx, NOT_UTF8, &expect::status(InvalidArguments))
}

/// A link to `hola.txt` is `hola.txt`.
fn link_inside(cx: &mut Ctx) -> Tested {
    metadata_is(
        cx,
        LINK_IN.as_bytes(),
        &expect::metadata(HOLA_DATA.len() as u64),
    )?;
    let line = format!("get_slice {LINK_IN} 0 33\r\n");
    slice_exchange(cx, line.as_bytes(), HOLA_DATA)
}

/// Out by an absolute path.
fn link_abs(cx: &mut Ctx) -> Tested {
    refused(cx, LINK_ABS, FileNotFound)
}

/// Out by `..`.
fn link_up(cx: &mut Ctx) -> Tested {
    refused(cx, LINK_UP, FileNotFound)
}

/// A link to nothing.
fn link_dangling(cx: &mut Ctx) -> Tested {
    refused(cx, LINK_DANGLING, FileNotFound)
}

/// A directory is not a file.
fn directory(cx: &mut Ctx) -> Tested {
    refused(cx, SUBDIR, FileNotFound)
}

/// Only files directly in the directory.
fn inner_file(cx: &mut Ctx) -> Tested {
    refused(cx, INNER, FileNotFound)
}

/// A FIFO is refused, and another client is still served after.
fn fifo(cx: &mut Ctx) -> Tested {
    refused(cx, FIFO, FileNotFound).map_err(|miss| {
        miss.because(&said!(
            "a security finding because a FIFO is no file: a server that takes it for one opens it to send a slice, that open waits for a writer forever, and the server is blocked",
            "es un problema de seguridad porque un FIFO no es un archivo: un servidor que lo toma por uno lo abre para mandar una rebanada, esa apertura espera para siempre a alguien que escriba, y el servidor queda bloqueado"
        ))
    })?;
    metadata_is(
        cx,
        HOLA.as_bytes(),
        &expect::metadata(HOLA_DATA.len() as u64),
    )
}

/// A socket is not a file.
fn socket(cx: &mut Ctx) -> Tested {
    refused(cx, SOCKET, FileNotFound)
}

/// Metadata needs no read permission.
fn noread_metadata(cx: &mut Ctx) -> Tested {
    metadata_is(
        cx,
        NOREAD.as_bytes(),
        &expect::metadata(NOREAD_DATA.len() as u64),
    )
}

/// The slice cannot be read: 199, and the server closes.
fn noread_slice(cx: &mut Ctx) -> Tested {
    cx.unreadable_to_server(&cx.fixtures()?.path(NOREAD))?;
    let mut conn = cx.connect()?;
    conn.send(format!("get_slice {NOREAD} 0 10\r\n").as_bytes())?;
    conn.expect_status(Code::InternalError)
}

/// Renames the directory away, makes a new one with one file, asks for
/// it, and puts everything back.
fn dir_replaced(cx: &mut Ctx) -> Tested {
    let dir = cx.fixtures()?.dir.clone();
    let aside = dir.with_extension("hftp-check-aside");
    fs::rename(&dir, &aside).map_err(|e| {
        skip(said!(
            "cannot rename the directory ({e})",
            "no se puede renombrar el directorio ({e})";
            e = e
        ))
    })?;
    let replaced =
        fs::create_dir(&dir).and_then(|()| fs::write(dir.join("replaced.txt"), b"new\n"));
    let result = replaced
        .map_err(|e| fail(said!("a new directory ({e})", "un directorio nuevo ({e})"; e = e)))
        .and_then(|()| metadata_is(cx, b"replaced.txt", &expect::metadata(4)))
        .and_then(|()| metadata_is(cx, HOLA.as_bytes(), &expect::status(FileNotFound)));
    let restored = fs::remove_dir_all(&dir).and_then(|()| fs::rename(&aside, &dir));
    restored.map_err(|e| {
        fail(said!(
            "the directory put back ({e})",
            "el directorio de vuelta en su lugar ({e})";
            e = e
        ))
    })?;
    result
}

/// The exact listing of the fixtures.
fn listing(cx: &mut Ctx) -> Tested {
    cx.fixtures()?;
    let names = Fixtures::listed();
    let reply = expect::listing(names.iter().map(Vec::as_slice));
    let mut conn = cx.connect()?;
    conn.send(b"get_file_listing\r\n")?;
    conn.expect(&reply)?;
    conn.expect_open()
}

/// What attackers send for `/etc/passwd`: climbing as deep as any
/// directory could be, absolute, and with doubled slashes.
const ATTACKS: [&str; 5] = [
    "../etc/passwd",
    "../../../../../../../../../../../../etc/passwd",
    "/etc/passwd",
    "./../../../../../../../../../../../etc/passwd",
    "..//..//..//..//..//..//..//..//etc//passwd",
];

/// No attack path is answered `0`: a size or the bytes of a file
/// outside the directory is a leak, shown with what came.
fn traversal_leak(cx: &mut Ctx) -> Tested {
    for path in ATTACKS {
        let mut conn = cx.connect()?;
        conn.send(format!("get_metadata {path}\r\n").as_bytes())?;
        if conn.status_line()? != Some(0) {
            continue;
        }
        // The size came: fetch the start of the file, to show the leak.
        let size: u64 = conn
            .line()?
            .and_then(|line| String::from_utf8(line).ok()?.parse().ok())
            .unwrap_or(0);
        conn.send(format!("get_slice {path} 0 {}\r\n", size.min(48)).as_bytes())?;
        let _ = conn.read_some(80);
        return Err(conn.failure(said!(
            "a refusal: {path} leaves the directory, yet the server answered 0 (its size, then its bytes)",
            "un rechazo: {path} sale del directorio, pero el servidor respondió 0 (su tamaño, y después sus bytes)";
            path = path
        )));
    }
    Ok(())
}
