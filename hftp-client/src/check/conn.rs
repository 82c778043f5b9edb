//! A connection that remembers what went over it, for the report, and
//! compares what it receives with what a conforming server sends.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use hftp_proto::{Code, Framing};

use super::differ;
use super::expect;
use super::miss::{Miss, Said, Tested, fail, said};
pub(crate) use super::transcript::{Transcript, escape, escape_cut};

mod body;

/// The longest status line accepted, whatever its text.
const MAX_STATUS_LINE: usize = 1024;

/// The code of `line` if it is a status line as this checker writes it
/// (`202 FILE NOT FOUND\r\n`): file names, sizes and base64 never hold a
/// space, so no other line of a reply can look like one.
fn status_code(line: &[u8]) -> Option<Code> {
    let code = Code::from_number(status_number(line.strip_suffix(b"\r\n")?)?)?;
    (line == expect::status(code).as_slice()).then_some(code)
}

/// The code a status line starts with: the decimal number, written as
/// the table writes it (no sign, no leading zero), before its first space.
fn status_number(line: &[u8]) -> Option<u16> {
    let space = line.iter().position(|&b| b == b' ')?;
    let number: u16 = std::str::from_utf8(&line[..space]).ok()?.parse().ok()?;
    (number.to_string().as_bytes() == &line[..space]).then_some(number)
}

/// A reply longer than this is shown with the place where it first
/// differs, not only its start and end.
const LONG_REPLY: usize = 64;

/// True for the error of a read that timed out.
fn is_timeout(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

/// A duration as a report says it: `5 s`, `0.5 s`.
pub(crate) fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs_f64())
}

/// How a read ended that should have gone on.
pub(crate) fn closed() -> Said {
    said!("the server closed", "el servidor cerró")
}

/// A line every server answers `200` and goes on: it shows the
/// connection is still open.
pub(crate) const PROBE: &[u8] = b"no_such_command\r\n";

/// Time left before `deadline`, or a failure when it is past.
pub(crate) fn remaining(deadline: Instant) -> Result<Duration, Miss> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(fail(said!(
            "the case finished before its time limit",
            "que el caso terminara antes de su tiempo límite"
        )));
    }
    Ok(left)
}

/// What a read waits for, as a failure shows it.
#[derive(Clone, Copy)]
pub(crate) enum Awaited<'a> {
    /// These bytes, escaped and cut.
    Bytes(&'a [u8]),
    /// Something told in words.
    Words(fn() -> Said),
}

impl Awaited<'_> {
    /// What was awaited, for a failure.
    fn shown(self) -> Said {
        match self {
            Self::Bytes(bytes) => Said::same(escape_cut(bytes)),
            Self::Words(words) => words(),
        }
    }
}

/// One connection to the server under test.
pub(crate) struct Conn {
    stream: TcpStream,
    deadline: Instant,
    close_wait: Duration,
    reply_wait: Duration,
    waited: Arc<AtomicU64>,
    framing: Option<Framing>,
    pending: Vec<u8>,
    sent: Transcript,
    received: Transcript,
}

impl Conn {
    /// A connection on `stream`, bounded by the case's `deadline`, with
    /// its close and reply waits; silences are counted into `waited`;
    /// plain slices held to `framing`.
    pub(crate) fn new(
        stream: TcpStream,
        deadline: Instant,
        (close_wait, reply_wait): (Duration, Duration),
        waited: Arc<AtomicU64>,
        framing: Option<Framing>,
    ) -> Self {
        Self {
            stream,
            deadline,
            close_wait,
            reply_wait,
            waited,
            framing,
            pending: Vec::new(),
            sent: Transcript::default(),
            received: Transcript::default(),
        }
    }

    /// A failure on this connection, with its bytes.
    pub(crate) fn failure(&self, expected: Said) -> Miss {
        Miss::failure(self.sent.show(), self.received.show(), expected)
    }

    /// Sends bytes in one write.
    pub(crate) fn send(&mut self, bytes: &[u8]) -> Tested {
        self.sent.record(bytes);
        let left = remaining(self.deadline)?;
        let written = self
            .stream
            .set_write_timeout(Some(left))
            .and_then(|()| self.stream.write_all(bytes));
        written.map_err(|error| {
            self.failure(said!(
                "the server to read what was sent ({error})",
                "que el servidor leyera lo enviado ({error})";
                error = error
            ))
        })
    }

    /// Sends bytes one write per byte, pausing between them so that they
    /// travel in separate packets.
    pub(crate) fn send_bytewise(&mut self, bytes: &[u8], pause: Duration) -> Tested {
        for byte in bytes {
            self.send(std::slice::from_ref(byte))?;
            thread::sleep(pause);
        }
        Ok(())
    }

    /// Sends bytes from another thread while this one reads, so that
    /// neither side blocks on a full buffer. Write errors end the
    /// writer quietly: a server may close before it has read everything.
    pub(crate) fn send_in_background(&mut self, bytes: Vec<u8>) -> Result<JoinHandle<()>, Miss> {
        self.sent.record(&bytes);
        let mut stream = self.stream.try_clone().map_err(|error| {
            self.failure(said!(
                "a second handle on the socket ({error})",
                "un segundo descriptor del socket ({error})";
                error = error
            ))
        })?;
        let left = remaining(self.deadline)?;
        Ok(thread::spawn(move || {
            let _ = stream.set_write_timeout(Some(left));
            for chunk in bytes.chunks(64 * 1024) {
                if stream.write_all(chunk).is_err() {
                    return;
                }
            }
        }))
    }

    /// Closes the sending side: the server sees the end of its input.
    pub(crate) fn shutdown_write(&self) {
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// Reads more bytes into `pending`, waiting at most until `until`;
    /// returns how many came (0: the server closed).
    fn fill(&mut self, until: Instant) -> io::Result<usize> {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut buffer = [0; 64 * 1024];
        let read = loop {
            match self.stream.read(&mut buffer) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        self.received.record(&buffer[..read]);
        self.pending.extend_from_slice(&buffer[..read]);
        Ok(read)
    }

    /// Sets the longest silence a reply may start or go on with on this
    /// connection; `Duration::MAX` waits until the case's deadline.
    pub(crate) fn set_reply_wait(&mut self, wait: Duration) {
        self.reply_wait = wait;
    }

    /// How plain slice bodies are held, once known (rule 12).
    pub(crate) const fn framing(&self) -> Option<Framing> {
        self.framing
    }

    /// Reads more bytes, waiting at most the reply wait (and never past
    /// the case's deadline); returns how many came (0: the server
    /// closed), or why none did. A silence is counted as waited.
    fn fill_reply(&mut self) -> Result<usize, Said> {
        let started = Instant::now();
        let until = started
            .checked_add(self.reply_wait)
            .map_or(self.deadline, |until| until.min(self.deadline));
        match self.fill(until) {
            Ok(read) => Ok(read),
            // A reset ends the stream as a close does.
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => Ok(0),
            Err(error) if is_timeout(&error) => {
                self.count_wait(started);
                if until < self.deadline {
                    Err(said!(
                        "no reply within {wait}",
                        "no hubo respuesta en {wait}";
                        wait = seconds(self.reply_wait)
                    ))
                } else {
                    Err(said!(
                        "nothing before the case's time limit",
                        "nada antes del tiempo límite del caso"
                    ))
                }
            }
            Err(error) => Err(Said::same(error.to_string())),
        }
    }

    /// Adds the time since `started` to what the case waited for nothing.
    fn count_wait(&self, started: Instant) {
        let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.waited.fetch_add(millis, Ordering::Relaxed);
    }

    /// Reads until `expected` came: its bytes exactly, except that a
    /// status line (`202 FILE NOT FOUND`) matches any line with the same
    /// code and any text, as the course's clients read only the code. Any
    /// other byte, the end of the stream or the time limit fails.
    pub(crate) fn expect(&mut self, expected: &[u8]) -> Tested {
        let mut rest = expected;
        while !rest.is_empty() {
            let line = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .map_or(rest.len(), |at| at + 2);
            let start = expected.len() - rest.len();
            let (piece, after) = rest.split_at(line);
            match status_code(piece) {
                Some(code) => self.expect_code_line(code, expected, start)?,
                None => self.expect_exactly(expected, start..start + line)?,
            }
            rest = after;
        }
        Ok(())
    }

    /// Reads the bytes `range` of `whole` exactly; a failure shows
    /// `whole`, and for a long reply where it first differs.
    fn expect_exactly(&mut self, whole: &[u8], range: std::ops::Range<usize>) -> Tested {
        let piece = &whole[range.clone()];
        let mut matched = 0;
        while matched < piece.len() {
            self.need(1, Awaited::Bytes(whole))?;
            let take = self.pending.len().min(piece.len() - matched);
            if self.pending[..take] != piece[matched..matched + take] {
                let at = range.start + matched;
                return Err(self.failure(self.differs(whole, at)));
            }
            self.pending.drain(..take);
            matched += take;
        }
        Ok(())
    }

    /// What was expected, and, for a long reply, where the bytes pending
    /// (from byte `at` of `whole` on) first differ from it.
    fn differs(&self, whole: &[u8], at: usize) -> Said {
        let shown = Said::same(escape_cut(whole));
        if whole.len() <= LONG_REPLY {
            return shown;
        }
        let received = [&whole[..at], &self.pending].concat();
        let differs = differ::described(differ::Part::Reply, &received, whole, 0);
        shown.then(&Said::same("; ")).then(&differs)
    }

    /// Reads a status line of `code`, with any text, at byte `at` of
    /// `whole`.
    fn expect_code_line(&mut self, code: Code, whole: &[u8], at: usize) -> Tested {
        match self.read_line(Awaited::Bytes(whole))? {
            Some(line) if status_number(&line) == Some(code.number()) => Ok(()),
            // Another code, or a status line past its limit: its text is
            // free, but not endless.
            other => {
                if let Some(line) = other {
                    self.pending.splice(..0, [&line[..], b"\r\n"].concat());
                }
                Err(self.failure(self.differs(whole, at)))
            }
        }
    }

    /// Reads one status line, whatever its text; its code (`None` for a
    /// line that is no status line).
    pub(crate) fn status_line(&mut self) -> Result<Option<u16>, Miss> {
        Ok(self
            .read_line(Awaited::Words(|| {
                said!("a status line", "una línea de estado")
            }))?
            .and_then(|line| status_number(&line)))
    }

    /// Reads one line, without its `\r\n`; `None` past
    /// [`MAX_STATUS_LINE`] bytes.
    pub(crate) fn line(&mut self) -> Result<Option<Vec<u8>>, Miss> {
        self.read_line(Awaited::Words(|| said!("a line", "una línea")))
    }

    /// Reads one line, without its `\r\n`; `None` past
    /// [`MAX_STATUS_LINE`] bytes. The end of the stream or the time limit
    /// fails, showing `expected`.
    fn read_line(&mut self, expected: Awaited<'_>) -> Result<Option<Vec<u8>>, Miss> {
        self.read_line_upto(MAX_STATUS_LINE, expected)
    }

    /// Reads one line, without its `\r\n`; `None` past `limit` bytes.
    /// The end of the stream or the time limit fails, showing `expected`.
    pub(crate) fn read_line_upto(
        &mut self,
        limit: usize,
        expected: Awaited<'_>,
    ) -> Result<Option<Vec<u8>>, Miss> {
        let mut scanned: usize = 0;
        loop {
            let from = scanned.saturating_sub(1);
            if let Some(at) = self.pending[from..].windows(2).position(|w| w == b"\r\n") {
                let end = from + at;
                let line = self.pending.drain(..end + 2).take(end).collect();
                return Ok(Some(line));
            }
            if self.pending.len() > limit {
                return Ok(None);
            }
            scanned = self.pending.len();
            self.need(scanned + 1, expected)?;
        }
    }

    /// Reads exactly `len` bytes, whatever they are.
    pub(crate) fn read_exact(
        &mut self,
        len: usize,
        expected: Awaited<'_>,
    ) -> Result<Vec<u8>, Miss> {
        self.need(len, expected)?;
        Ok(self.pending.drain(..len).collect())
    }

    /// Reads until at least `len` bytes are pending; the end of the
    /// stream or the time limit fails, showing `whole`.
    fn need(&mut self, len: usize, whole: Awaited<'_>) -> Tested {
        while self.pending.len() < len {
            let read = self.fill_reply();
            if !matches!(read, Ok(1..)) {
                let how = read.map_or_else(|e| e, |_| closed());
                return Err(self.failure(whole.shown().with(&how)));
            }
        }
        Ok(())
    }

    /// Expects the status line of `code` and nothing else; after a fatal
    /// code, expects the server to close.
    pub(crate) fn expect_status(&mut self, code: Code) -> Tested {
        self.expect(&expect::status(code))?;
        if code.is_fatal() {
            self.expect_close()?;
        }
        Ok(())
    }

    /// Expects the server to close with nothing more sent, within the
    /// close wait. A reset counts as a close.
    pub(crate) fn expect_close(&mut self) -> Tested {
        let started = Instant::now();
        let until = (started + self.close_wait).min(self.deadline);
        loop {
            if !self.pending.is_empty() {
                return Err(self.failure(said!(
                    "nothing more: the server closes",
                    "nada más: el servidor cierra"
                )));
            }
            match self.fill(until) {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::ConnectionReset => return Ok(()),
                Err(error) => {
                    if is_timeout(&error) {
                        self.count_wait(started);
                    }
                    let what = said!(
                        "the server closes within {within} ({error})",
                        "que el servidor cierre en {within} como mucho ({error})";
                        within = seconds(self.close_wait),
                        error = error
                    );
                    return Err(self.failure(what));
                }
            }
        }
    }

    /// Expects the connection to go on: one more request is answered.
    pub(crate) fn expect_open(&mut self) -> Tested {
        self.send(PROBE)?;
        self.expect(&expect::status(Code::InvalidCommand))
    }

    /// Reads up to `at_least` bytes of whatever comes, or less if the
    /// server closes; returns how many came.
    pub(crate) fn read_some(&mut self, at_least: usize) -> Result<usize, Miss> {
        while self.pending.len() < at_least {
            match self.fill_reply() {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) => {
                    return Err(self.failure(said!("more bytes", "más bytes").with(&error)));
                }
            }
        }
        Ok(self.pending.len())
    }

    /// The bytes received and not yet taken, reading more if there are
    /// none; `None` once the server closed (or reset) the connection.
    pub(crate) fn take_bytes(&mut self) -> Result<Option<Vec<u8>>, Miss> {
        if self.pending.is_empty() {
            match self.fill_reply() {
                Ok(0) => return Ok(None),
                Ok(_) => {}
                Err(error) => {
                    let more = said!("more bytes or the close", "más bytes o el cierre");
                    return Err(self.failure(more.with(&error)));
                }
            }
        }
        Ok(Some(std::mem::take(&mut self.pending)))
    }
}
