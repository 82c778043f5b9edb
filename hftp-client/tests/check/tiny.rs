//! A tiny HFTP server on hftp_proto and std::net, correct except for at
//! most one deliberate flaw, so that the checker can be seen to fail
//! exactly the cases of the broken rule.

use std::fs::{self, File};
use std::io::{self, Read, Seek, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::thread;

use hftp_proto::{
    Code, Form, Item, Listing, Request, ServerConfig, ServerConnection, SliceEncoder,
    check_listable, check_range, reply,
};

/// The one rule a tiny server breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flaw {
    /// None: a conforming server.
    None,
    /// Rule 1: a line ended by a bare LF is answered 200 and the
    /// connection goes on.
    BareLfOk,
    /// Rule 8: a body whose file shrank is padded with zeros.
    PadsShortBody,
    /// Rule 7: names with a space are listed.
    ListsSpacedName,
    /// Rule 6: symbolic links out of the directory are served.
    FollowsLinksOut,
    /// Rule 10: after `quit`, the server reads and answers on.
    AnswersAfterQuit,
    /// Not a flaw: a server of the 2019 revision, without `help` (200)
    /// or raw bodies (201).
    Only2019,
    /// Rule 6: a name with `/` is joined to the directory and served,
    /// `../../etc/passwd` included.
    LeaksTraversal,
    /// Pipelining: only the first request of each read is answered, the
    /// rest of the read is dropped.
    IgnoresPipelined,
    /// Rules 1 and 2: a bad line (100, 101) is never answered, and the
    /// connection stays open.
    SilentOnBadLine,
    /// Rule 11: a base64 body carries 3 bytes more than asked.
    SurplusBase64,
    /// Rule 8: byte 70000 of every body (a slice at offset 0) is wrong.
    FlipsAByte,
    /// Rule 11: a raw body is followed by `\r\n`, which the 2026 client
    /// never reads.
    RawTrailingCrlf,
    /// Rules 1 and 2: a bad line is answered its fatal code (100, 101),
    /// but the connection stays open; the course's tests never check
    /// the close.
    OpenAfterFatal,
    /// Rule 6: anything that is not a directory is a file: a FIFO or a
    /// socket has a size (0).
    ServesSpecialFiles,
}

/// The body byte the [`Flaw::FlipsAByte`] server gets wrong.
pub(crate) const FLIPPED: u64 = 70_000;

/// Starts a tiny server on 127.0.0.1 serving `dir`, for the life of the
/// test process; returns its address.
pub(crate) fn start(dir: &Path, flaw: Flaw) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    let dir = dir.to_path_buf();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            thread::spawn(move || serve(stream, &dir, flaw));
        }
    });
    addr
}

/// What to do after a reply.
enum Next {
    Go,
    Close,
    /// Say nothing more, and read until the client leaves.
    Hang,
}

/// Serves one connection until it ends.
fn serve(mut stream: TcpStream, dir: &Path, flaw: Flaw) -> io::Result<()> {
    let mut conn = ServerConnection::new(&ServerConfig::default());
    let mut input = Vec::new();
    let mut buffer = [0; 8192];
    loop {
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            return Ok(());
        }
        input.extend_from_slice(&buffer[..read]);
        if flaw == Flaw::LeaksTraversal {
            leak_paths(&mut stream, &mut input, dir)?;
        }
        match answer_all(&mut stream, &mut conn, &mut input, dir, flaw)? {
            Next::Go => {}
            Next::Close => {
                let _ = stream.shutdown(Shutdown::Write);
                // Drain what the client still sends, so the close is not a reset.
                while matches!(stream.read(&mut buffer), Ok(1..)) {}
                return Ok(());
            }
            Next::Hang => {
                while matches!(stream.read(&mut buffer), Ok(1..)) {}
                return Ok(());
            }
        }
    }
}

/// Answers every request complete in `input`; keeps the rest.
fn answer_all(
    stream: &mut TcpStream,
    conn: &mut ServerConnection,
    input: &mut Vec<u8>,
    dir: &Path,
    flaw: Flaw,
) -> io::Result<Next> {
    while !input.is_empty() {
        let decoded = conn.decode(input);
        let (consumed, request) = match decoded {
            Ok(d) => (d.consumed, d.item.map(|item| own(&item))),
            Err(fatal) => return fatal_reply(stream, conn, input, (Code::from(fatal), dir), flaw),
        };
        input.drain(..consumed);
        let Some(request) = request else {
            return Ok(Next::Go);
        };
        let (code, next) = reply_to(stream, &request, dir, flaw)?;
        conn.finish_reply(code);
        if let Next::Close = next {
            return Ok(Next::Close);
        }
        if flaw == Flaw::IgnoresPipelined {
            // The flaw: the rest of this read is lost.
            input.clear();
        }
        if matches!(request, Owned::Quit) {
            // The flaw: a new connection state, as if nothing happened.
            *conn = ServerConnection::new(&ServerConfig::default());
        }
    }
    Ok(Next::Go)
}

/// A fatal code: the status and the close, or, with the bare-LF flaw, a
/// 200 and a fresh start after the LF.
fn fatal_reply(
    stream: &mut TcpStream,
    conn: &mut ServerConnection,
    input: &mut Vec<u8>,
    (code, dir): (Code, &Path),
    flaw: Flaw,
) -> io::Result<Next> {
    let bare_lf = input
        .iter()
        .enumerate()
        .find(|&(at, &b)| b == b'\n' && (at == 0 || input[at - 1] != b'\r'))
        .map(|(at, _)| at);
    if let (Flaw::BareLfOk, Code::BadEol, Some(at)) = (flaw, code, bare_lf) {
        send_status(stream, Code::InvalidCommand)?;
        input.drain(..=at);
        *conn = ServerConnection::new(&ServerConfig::default());
        return answer_all(stream, conn, input, dir, flaw);
    }
    if flaw == Flaw::SilentOnBadLine {
        return Ok(Next::Hang);
    }
    send_status(stream, code)?;
    if flaw == Flaw::OpenAfterFatal {
        return Ok(Next::Hang);
    }
    Ok(Next::Close)
}

/// The traversal flaw: answers the whole lines at the front of `input`
/// that name a path with `/`, joined to `dir` without a check.
fn leak_paths(stream: &mut TcpStream, input: &mut Vec<u8>, dir: &Path) -> io::Result<()> {
    while let Some(end) = input.windows(2).position(|w| w == b"\r\n") {
        let line = String::from_utf8_lossy(&input[..end]).into_owned();
        let words: Vec<&str> = line.split(' ').collect();
        let (name, range) = match words.as_slice() {
            ["get_metadata", name] if name.contains('/') => (*name, None),
            ["get_slice", name, offset, size] if name.contains('/') => (
                *name,
                Some((offset.parse().unwrap_or(0), size.parse().unwrap_or(0))),
            ),
            _ => return Ok(()),
        };
        input.drain(..end + 2);
        let mut out = Vec::new();
        match (fs::read(dir.join(name)), range) {
            (Ok(data), None) => reply::write_metadata(data.len() as u64, &mut out),
            (Ok(data), Some((offset, size))) => {
                let body = data.get(offset..offset + size).unwrap_or_default();
                let mut encoder = SliceEncoder::begin(body.len() as u64, &mut out);
                let _ = encoder.encode(body, &mut out);
                let _ = encoder.finish(&mut out);
            }
            (Err(_), _) => reply::write_status(Code::FileNotFound, &mut out),
        }
        stream.write_all(&out)?;
    }
    Ok(())
}

/// A request with its name owned, so the decoder can be fed again.
enum Owned {
    Listing,
    Metadata(String),
    Slice(String, u64, u64, Form),
    Help,
    Quit,
    Rejected(Code),
}

/// Copies the name out of the decoder's item.
fn own(item: &Item<'_>) -> Owned {
    match *item {
        Item::Rejected(code) => Owned::Rejected(code),
        Item::Request(Request::FileListing) => Owned::Listing,
        Item::Request(Request::Metadata { name }) => Owned::Metadata(name.to_owned()),
        Item::Request(Request::Slice {
            name,
            offset,
            size,
            form,
        }) => Owned::Slice(name.to_owned(), offset, size, form),
        Item::Request(Request::Help) => Owned::Help,
        Item::Request(_) => Owned::Quit,
    }
}

/// Answers one request; returns its code and whether to close.
fn reply_to(
    stream: &mut TcpStream,
    request: &Owned,
    dir: &Path,
    flaw: Flaw,
) -> io::Result<(Code, Next)> {
    let unknown = match request {
        Owned::Help => Some(Code::InvalidCommand),
        Owned::Slice(_, _, _, Form::Raw) => Some(Code::InvalidArguments),
        _ => None,
    };
    if let (Flaw::Only2019, Some(code)) = (flaw, unknown) {
        send_status(stream, code)?;
        return Ok((code, Next::Go));
    }
    let mut out = Vec::new();
    let code = match request {
        Owned::Rejected(code) => {
            reply::write_status(*code, &mut out);
            *code
        }
        Owned::Help => {
            reply::write_help(&mut out);
            Code::Ok
        }
        Owned::Quit => {
            reply::write_status(Code::Ok, &mut out);
            stream.write_all(&out)?;
            let next = if flaw == Flaw::AnswersAfterQuit {
                Next::Go
            } else {
                Next::Close
            };
            return Ok((Code::Ok, next));
        }
        Owned::Listing => {
            listing(dir, flaw, &mut out)?;
            Code::Ok
        }
        Owned::Metadata(name) => match lookup(dir, name, flaw) {
            Some(meta) => {
                reply::write_metadata(meta.len(), &mut out);
                Code::Ok
            }
            None => {
                reply::write_status(Code::FileNotFound, &mut out);
                Code::FileNotFound
            }
        },
        Owned::Slice(name, offset, size, form) => {
            return slice(stream, dir, name, (*offset, *size, *form), flaw);
        }
    };
    stream.write_all(&out)?;
    Ok((code, Next::Go))
}

/// Sends a status line alone.
fn send_status(stream: &mut TcpStream, code: Code) -> io::Result<()> {
    let mut out = Vec::new();
    reply::write_status(code, &mut out);
    stream.write_all(&out)
}

/// The metadata of a regular file directly in `dir`, links resolved and
/// kept inside (unless the flaw lets them out).
fn lookup(dir: &Path, name: &str, flaw: Flaw) -> Option<fs::Metadata> {
    let path = dir.join(name);
    let link = fs::symlink_metadata(&path).ok()?.file_type().is_symlink();
    if link && flaw != Flaw::FollowsLinksOut && !inside(dir, &path) {
        return None;
    }
    let file = |meta: &fs::Metadata| {
        meta.is_file() || (flaw == Flaw::ServesSpecialFiles && !meta.is_dir())
    };
    fs::metadata(&path).ok().filter(file)
}

/// True when `path` resolves inside `dir`.
fn inside(dir: &Path, path: &Path) -> bool {
    match (fs::canonicalize(dir), fs::canonicalize(path)) {
        (Ok(dir), Ok(path)) => path.starts_with(dir),
        _ => false,
    }
}

/// The listing: valid names of regular files, sorted bytewise.
fn listing(dir: &Path, flaw: Flaw, out: &mut Vec<u8>) -> io::Result<()> {
    let mut names: Vec<Vec<u8>> = fs::read_dir(dir)?
        .flatten()
        .map(|entry| entry.file_name().as_bytes().to_vec())
        .collect();
    names.sort();
    let mut listing = Listing::begin(false, out);
    for name in names {
        let Ok(text) = std::str::from_utf8(&name) else {
            continue;
        };
        if lookup(dir, text, Flaw::None).is_none() {
            continue;
        }
        if flaw == Flaw::ListsSpacedName
            && text.contains(' ')
            && check_listable(&name, false).is_err()
        {
            out.extend_from_slice(&name);
            out.extend_from_slice(b"\r\n");
            continue;
        }
        let _ = listing.push(&name, out);
    }
    listing.finish(out);
    Ok(())
}

/// A slice: range check, then the body in chunks as the file is read.
fn slice(
    stream: &mut TcpStream,
    dir: &Path,
    name: &str,
    (offset, size, form): (u64, u64, Form),
    flaw: Flaw,
) -> io::Result<(Code, Next)> {
    if lookup(dir, name, flaw).is_none() {
        send_status(stream, Code::FileNotFound)?;
        return Ok((Code::FileNotFound, Next::Go));
    }
    let Ok(mut file) = File::open(dir.join(name)) else {
        send_status(stream, Code::InternalError)?;
        return Ok((Code::InternalError, Next::Close));
    };
    if let Err(code) = check_range(offset, size, file.metadata()?.len()) {
        send_status(stream, code)?;
        return Ok((code, Next::Go));
    }
    io::copy(&mut (&mut file).take(offset), &mut io::sink())?;
    let flaw = if offset == 0 || flaw == Flaw::RawTrailingCrlf {
        flaw
    } else {
        Flaw::None
    };
    let complete = match form {
        Form::Base64 if flaw == Flaw::SurplusBase64 => surplus_body(stream, &mut file, size)?,
        Form::Base64 => base64_body(stream, &mut file, size, flaw)?,
        Form::Raw => raw_body(stream, &mut file, size, flaw)?,
    };
    Ok((Code::Ok, if complete { Next::Go } else { Next::Close }))
}

/// Reads the next chunk of at most `left` bytes; pads with zeros after
/// the end of the file under the padding flaw, flips byte [`FLIPPED`]
/// under that flaw.
fn next_chunk(file: &mut File, chunk: &mut [u8], left: u64, flaw: Flaw) -> io::Result<usize> {
    let want = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
    let at = file.stream_position()?;
    let read = file.read(&mut chunk[..want])?;
    if read == 0 && flaw == Flaw::PadsShortBody {
        chunk[..want].fill(0);
        return Ok(want);
    }
    if flaw == Flaw::FlipsAByte && (at..at + read as u64).contains(&FLIPPED) {
        chunk[(FLIPPED - at) as usize] ^= 0x20;
    }
    Ok(read)
}

/// The surplus flaw: the whole slice and 3 bytes more, on one base64
/// line.
fn surplus_body(stream: &mut TcpStream, file: &mut File, size: u64) -> io::Result<bool> {
    let mut data = Vec::new();
    file.take(size).read_to_end(&mut data)?;
    data.extend_from_slice(b"+++");
    let mut out = Vec::new();
    let mut encoder = SliceEncoder::begin(data.len() as u64, &mut out);
    encoder.encode(&data, &mut out).map_err(io::Error::other)?;
    encoder.finish(&mut out).map_err(io::Error::other)?;
    stream.write_all(&out)?;
    Ok(true)
}

/// A base64 body; false when the file ended early (the close follows).
fn base64_body(stream: &mut TcpStream, file: &mut File, size: u64, flaw: Flaw) -> io::Result<bool> {
    let mut out = Vec::new();
    let mut encoder = SliceEncoder::begin(size, &mut out);
    let mut chunk = vec![0; 48 * 1024];
    while encoder.remaining() > 0 {
        let read = next_chunk(file, &mut chunk, encoder.remaining(), flaw)?;
        if read == 0 {
            stream.write_all(&out)?;
            return Ok(false);
        }
        encoder
            .encode(&chunk[..read], &mut out)
            .map_err(io::Error::other)?;
        stream.write_all(&out)?;
        out.clear();
    }
    encoder.finish(&mut out).map_err(io::Error::other)?;
    stream.write_all(&out)?;
    Ok(true)
}

/// A raw body; false when the file ended early.
fn raw_body(stream: &mut TcpStream, file: &mut File, size: u64, flaw: Flaw) -> io::Result<bool> {
    let mut out = Vec::new();
    reply::write_raw_header(size, &mut out);
    stream.write_all(&out)?;
    let mut left = size;
    let mut chunk = vec![0; 64 * 1024];
    while left > 0 {
        let read = next_chunk(file, &mut chunk, left, flaw)?;
        if read == 0 {
            return Ok(false);
        }
        stream.write_all(&chunk[..read])?;
        left -= read as u64;
    }
    if flaw == Flaw::RawTrailingCrlf {
        stream.write_all(b"\r\n")?;
    }
    Ok(true)
}

/// A status line in place of the table's line for a code.
type Rewrite = fn(Code) -> String;

/// Starts a conforming tiny server behind a relay that rewrites the text
/// of every status line (`202 FILE NOT FOUND` becomes `202 Texto
/// propio, 14`), as student servers with texts of their own send them.
pub(crate) fn start_with_other_texts(dir: &Path) -> SocketAddr {
    start_relay(dir, |code| {
        format!("{} Texto propio, {}\r\n", code.number(), code.text().len())
    })
}

/// Starts a conforming tiny server behind a relay that sends status
/// lines as a bare code (`202\r\n`), no space, no text.
pub(crate) fn start_with_bare_codes(dir: &Path) -> SocketAddr {
    start_relay(dir, |code| format!("{}\r\n", code.number()))
}

/// Starts a conforming tiny server behind a relay that rewrites every
/// status line with `rewrite`.
fn start_relay(dir: &Path, rewrite: Rewrite) -> SocketAddr {
    let inner = start(dir, Flaw::None);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(inner) else {
                continue;
            };
            let (Ok(mut upstream), Ok(client_reader)) = (server.try_clone(), client.try_clone())
            else {
                continue;
            };
            thread::spawn(move || {
                let mut client_reader = client_reader;
                let _ = io::copy(&mut client_reader, &mut upstream);
                let _ = upstream.shutdown(Shutdown::Write);
            });
            thread::spawn(move || relay_texts(server, client, rewrite));
        }
    });
    addr
}

/// Copies the server's bytes to the client, rewriting status lines.
fn relay_texts(mut server: TcpStream, mut client: TcpStream, rewrite: Rewrite) -> io::Result<()> {
    let (mut pending, mut buffer) = (Vec::new(), [0; 65536]);
    loop {
        let read = server.read(&mut buffer)?;
        if read == 0 {
            client.write_all(&pending)?;
            return client.shutdown(Shutdown::Write);
        }
        pending.extend_from_slice(&buffer[..read]);
        let mut out = Vec::new();
        while let Some(end) = pending.windows(2).position(|w| w == b"\r\n") {
            let line: Vec<u8> = pending.drain(..end + 2).collect();
            out.extend_from_slice(&other_text(&line, rewrite));
        }
        if !could_be_status(&pending) {
            out.append(&mut pending);
        }
        client.write_all(&out)?;
    }
}

/// `line` rewritten if it is one of the table's status lines.
fn other_text(line: &[u8], rewrite: Rewrite) -> Vec<u8> {
    for &code in Code::ALL {
        let mut status = Vec::new();
        reply::write_status(code, &mut status);
        if line == status.as_slice() {
            return rewrite(code).into_bytes();
        }
    }
    line.to_vec()
}

/// True while `bytes` may still become a status line: digits, a space,
/// upper-case letters, not too long.
fn could_be_status(bytes: &[u8]) -> bool {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    bytes.len() < 40
        && (1..=3).contains(&digits)
        && bytes[digits..].iter().enumerate().all(|(at, &b)| {
            (at == 0 && b == b' ') || (at > 0 && (b.is_ascii_uppercase() || b == b' '))
        })
}
