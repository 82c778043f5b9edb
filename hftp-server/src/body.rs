//! Slice bodies (rule 8): streamed from the file in fixed chunks, never
//! padded, never completed if the file came up short.
//!
//! The memory a transfer uses is the same for 1 KiB and 4 GiB: one read
//! chunk (192 KiB) and, for base64, its encoding (256 KiB), freed when the
//! body ends; nothing else grows with the body. The bytes already queued
//! for the client (earlier replies of a pipelined batch, then the status
//! line) go out in the same write as the first chunk, and a small body
//! stays queued to share a write with the replies that follow.

use std::fs::File;
use std::io::{self, IoSlice, Write as _};
use std::net::TcpStream;

use hftp_proto::{BodyError, FragmentEncoder, RawSlice, SliceEncoder, max_encoded_len};

/// How many file bytes one read takes: a multiple of 3, so a chunk makes
/// exactly 256 KiB of base64 with nothing carried. A base64 body in flight
/// holds one chunk and its base64 (448 KiB), a raw body the chunk. Reads
/// of 192 KiB instead of 48 KiB took a 256 MiB base64 slice from 1119 to
/// 1590 MB/s; 256 KiB to 1 MiB saved some CPU on raw bodies but no time
/// (BENCHMARKS.md).
const CHUNK: usize = 192 * 1024;

/// A chunk this small, with what is queued, is queued rather than
/// written at once: small pipelined replies share a write.
const QUEUE_UP_TO: usize = 16 * 1024;

/// How a body that started ended, when the socket did not fail.
#[derive(Debug)]
pub(crate) enum Ended {
    /// Every announced byte was sent (for base64, its end is queued).
    Complete,
    /// The file gave fewer bytes than announced, or could not be read:
    /// the connection must close without completing the body.
    Cut(String),
}

/// The output side of a connection while a body is in flight: the socket,
/// the bytes queued for it, and a count of what was written.
#[derive(Debug)]
pub(crate) struct Sink<'a> {
    /// The client's socket.
    pub(crate) stream: &'a TcpStream,
    /// Bytes queued and not yet written.
    pub(crate) out: &'a mut Vec<u8>,
    /// Bytes written to the socket so far, on this connection.
    pub(crate) written: &'a mut u64,
}

impl Sink<'_> {
    /// Sends `bytes` after what is queued. Small, they join the queue;
    /// otherwise the queue (a status line, say) and `bytes` leave in one
    /// vectored write, without copying `bytes`.
    pub(crate) fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.out.len() + bytes.len() <= QUEUE_UP_TO {
            self.out.extend_from_slice(bytes);
            return Ok(());
        }
        let mut stream = self.stream;
        let (queued, total) = (self.out.len(), self.out.len() + bytes.len());
        let mut done = 0;
        while done < total {
            let wrote = if done < queued {
                stream.write_vectored(&[IoSlice::new(&self.out[done..]), IoSlice::new(bytes)])
            } else {
                stream.write(&bytes[done - queued..])
            };
            match wrote {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(wrote) => done += wrote,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        *self.written += total as u64;
        self.out.clear();
        Ok(())
    }

    /// Writes everything queued.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if !self.out.is_empty() {
            let mut stream = self.stream;
            stream.write_all(self.out)?;
            *self.written += self.out.len() as u64;
            self.out.clear();
        }
        Ok(())
    }
}

/// The read buffer for a body of `size` bytes: a chunk, or less.
fn chunk_len(size: u64) -> usize {
    usize::try_from(size).map_or(CHUNK, |size| size.min(CHUNK))
}

/// Reads up to `buf.len()` bytes at `offset`, retrying interruptions.
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    loop {
        match std::os::unix::fs::FileExt::read_at(file, buf, offset) {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// How a streamed body ends: cut when the file could not be read, else
/// as its encoder's `finish` says, which refuses a body that came up short
/// (rule 8): then what is queued still goes out, and the body is cut.
fn end_body(
    sink: &mut Sink<'_>,
    cut: Option<Ended>,
    finish: impl FnOnce(&mut Vec<u8>) -> Result<(), BodyError>,
) -> io::Result<Ended> {
    if let Some(cut) = cut {
        return Ok(cut);
    }
    match finish(sink.out) {
        Ok(()) => Ok(Ended::Complete),
        Err(error) => {
            sink.flush()?;
            Ok(Ended::Cut(error.to_string()))
        }
    }
}

/// Reads `size` bytes of `file` from `offset` a chunk at a time and hands
/// each chunk to `send`. Stops early if the file ends (it shrank: the
/// body's `finish` will refuse); a failed read flushes what is queued and
/// is returned as the reason to cut the body.
fn stream_chunks(
    sink: &mut Sink<'_>,
    file: &File,
    offset: u64,
    size: u64,
    mut send: impl FnMut(&mut Sink<'_>, &[u8]) -> io::Result<()>,
) -> io::Result<Option<Ended>> {
    let mut chunk = vec![0; chunk_len(size)];
    let mut done = 0;
    while done < size {
        let want = usize::try_from(size - done).map_or(chunk.len(), |left| left.min(chunk.len()));
        let read = match read_at(file, &mut chunk[..want], offset + done) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) => {
                sink.flush()?;
                return Ok(Some(Ended::Cut(format!("read failed: {error}"))));
            }
        };
        done += read as u64;
        send(sink, &chunk[..read])?;
    }
    Ok(None)
}

/// Sends `size` bytes of `file` from `offset` in base64: `0 OK`, the body
/// and its `\r\n`. The body's end is left queued in `sink.out` so it can
/// share a write with the replies that follow.
pub(crate) fn send_base64(
    sink: &mut Sink<'_>,
    file: &File,
    offset: u64,
    size: u64,
) -> io::Result<Ended> {
    let mut encoder = SliceEncoder::begin(size, sink.out);
    let mut encoded = vec![0; max_encoded_len(chunk_len(size))];
    let cut = stream_chunks(sink, file, offset, size, |sink, data| {
        let len = encoder
            .encode_to_slice(data, &mut encoded)
            .map_err(io::Error::other)?;
        sink.send(&encoded[..len])
    })?;
    end_body(sink, cut, |out| encoder.finish(out))
}

/// Sends `size` bytes of `file` from `offset` raw: `0 OK`,
/// `Content-Length`, the empty line, the bytes.
///
/// The bytes are read into a buffer the server owns and written from it,
/// never handed to the socket by reference (`sendfile`, `splice`): a
/// truncate zeroes page-cache pages still queued on a socket, and every
/// call would report success (rule 8). A copied byte is the file's byte
/// at the moment of the read, whatever happens to the file after.
pub(crate) fn send_raw(
    sink: &mut Sink<'_>,
    file: &File,
    offset: u64,
    size: u64,
) -> io::Result<Ended> {
    let mut body = RawSlice::begin(size, sink.out);
    let cut = stream_chunks(sink, file, offset, size, |sink, data| {
        body.sent(data.len() as u64).map_err(io::Error::other)?;
        sink.send(data)
    })?;
    end_body(sink, cut, |_| body.finish())
}

/// Sends `size` bytes of `file` from `offset` in the seed's fragments of at
/// most `max` bytes (rule 12): `0 OK`, each fragment's length line and its
/// bytes, the terminator. Fragments do not follow the reads: a fragment's
/// length is announced first and its bytes may come from several reads, so
/// a file that shrinks mid-fragment leaves it short, and the connection
/// closes (rule 8). The terminator is left queued, to share a write with
/// the replies that follow.
pub(crate) fn send_fragments(
    sink: &mut Sink<'_>,
    file: &File,
    offset: u64,
    size: u64,
    max: u64,
) -> io::Result<Ended> {
    let mut body = FragmentEncoder::begin(size, sink.out);
    let cut = stream_chunks(sink, file, offset, size, |sink, mut data| {
        while !data.is_empty() {
            if body.fragment_left() == 0 {
                let len = body.remaining().min(max);
                body.start_fragment(len, sink.out)
                    .map_err(io::Error::other)?;
            }
            let take = usize::try_from(body.fragment_left())
                .map_or(data.len(), |left| left.min(data.len()));
            sink.send(&data[..take])?;
            body.sent(take as u64).map_err(io::Error::other)?;
            data = &data[take..];
        }
        Ok(())
    })?;
    end_body(sink, cut, |out| body.finish(out))
}
