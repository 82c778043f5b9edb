//! Slice bodies (rule 8): streamed from the file in fixed chunks, never
//! padded, never completed if the file came up short.
//!
//! The memory a transfer uses is the same for 1 KiB and 4 GiB: one read
//! chunk and its base64 (at most 448 KiB), freed when the body ends. The bytes already
//! queued for the client (earlier replies of a pipelined batch, then the
//! status line) go out in the same write as the first chunk.

use std::fs::File;
use std::io::{self, Write as _};
use std::net::TcpStream;

use hftp_proto::{BodyError, SliceEncoder, max_encoded_len};

/// How many file bytes one read takes: a multiple of 3, so a chunk makes
/// exactly 256 KiB of base64 with nothing carried. A body in flight holds
/// one chunk and its base64 (448 KiB); reads of 192 KiB instead of 48 KiB
/// took a 256 MiB base64 slice from 1119 to 1590 MB/s (median of 8 runs,
/// BENCHMARKS.md).
const CHUNK: usize = 192 * 1024;

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
    /// Sends `bytes` after what is queued: in one write with it when
    /// something is queued (a status line and the first chunk share a
    /// write), else straight from `bytes`, without a copy.
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.out.is_empty() {
            self.out.extend_from_slice(bytes);
            return self.flush();
        }
        let mut stream = self.stream;
        stream.write_all(bytes)?;
        *self.written += bytes.len() as u64;
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

/// The reason a body came up short.
fn short(error: BodyError) -> Ended {
    Ended::Cut(error.to_string())
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
/// and its `\r\n`. The last chunk and the end are left queued in
/// `sink.out` so they can share a write with the replies that follow.
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
        if encoder.remaining() > 0 {
            sink.send(&encoded[..len])
        } else {
            // The last chunk stays queued with the body's end, to share a
            // write with the replies that follow.
            sink.out.extend_from_slice(&encoded[..len]);
            Ok(())
        }
    })?;
    if let Some(cut) = cut {
        return Ok(cut);
    }
    match encoder.finish(sink.out) {
        Ok(()) => Ok(Ended::Complete),
        Err(error) => {
            sink.flush()?;
            Ok(short(error))
        }
    }
}

#[cfg(target_os = "linux")]
pub(crate) use linux::send_raw;
#[cfg(not(target_os = "linux"))]
pub(crate) use portable::send_raw;

/// Raw bodies on Linux: the header with `MSG_MORE`, then `sendfile`, so
/// the bytes go from the page cache to the socket without a copy.
#[cfg(target_os = "linux")]
mod linux {
    use std::fs::File;
    use std::io;

    use hftp_proto::RawSlice;
    use rustix::io::Errno;
    use rustix::net::SendFlags;

    use super::{Ended, Sink, short};

    /// The most `sendfile` moves in one call on Linux.
    const MAX_SENDFILE: u64 = 0x7fff_f000;

    /// Writes what is queued, telling the kernel more follows at once, so
    /// the header and the first body bytes share a packet.
    fn flush_more(sink: &mut Sink<'_>) -> io::Result<()> {
        let mut at = 0;
        while at < sink.out.len() {
            match rustix::net::send(
                sink.stream,
                &sink.out[at..],
                SendFlags::MORE | SendFlags::NOSIGNAL,
            ) {
                Ok(sent) => at += sent,
                Err(Errno::INTR) => {}
                Err(errno) => return Err(errno.into()),
            }
        }
        *sink.written += at as u64;
        sink.out.clear();
        Ok(())
    }

    /// Sends `size` bytes of `file` from `offset` raw: `0 OK`,
    /// `Content-Length`, the empty line, the bytes.
    pub(crate) fn send_raw(
        sink: &mut Sink<'_>,
        file: &File,
        offset: u64,
        size: u64,
    ) -> io::Result<Ended> {
        let mut body = RawSlice::begin(size, sink.out);
        if size == 0 {
            return Ok(body.finish().map_or_else(short, |()| Ended::Complete));
        }
        flush_more(sink)?;
        let mut at = offset;
        while body.remaining() > 0 {
            let count = body.remaining().min(MAX_SENDFILE) as usize;
            match rustix::fs::sendfile(sink.stream, file, Some(&mut at), count) {
                Ok(0) => break,
                Ok(sent) => {
                    *sink.written += sent as u64;
                    body.sent(sent as u64).map_err(io::Error::other)?;
                }
                Err(Errno::INTR) => {}
                Err(errno) => return Err(errno.into()),
            }
        }
        Ok(body.finish().map_or_else(short, |()| Ended::Complete))
    }
}

/// Raw bodies elsewhere: read and write in chunks.
#[cfg(not(target_os = "linux"))]
mod portable {
    use std::fs::File;
    use std::io;

    use hftp_proto::RawSlice;

    use super::{Ended, Sink, short, stream_chunks};

    /// Sends `size` bytes of `file` from `offset` raw.
    pub(crate) fn send_raw(
        sink: &mut Sink<'_>,
        file: &File,
        offset: u64,
        size: u64,
    ) -> io::Result<Ended> {
        let mut body = RawSlice::begin(size, sink.out);
        let cut = stream_chunks(sink, file, offset, size, |sink, data| {
            sink.out.extend_from_slice(data);
            body.sent(data.len() as u64).map_err(io::Error::other)?;
            sink.flush()
        })?;
        if let Some(cut) = cut {
            return Ok(cut);
        }
        sink.flush()?;
        Ok(body.finish().map_or_else(short, |()| Ended::Complete))
    }
}
