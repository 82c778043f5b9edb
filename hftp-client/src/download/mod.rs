//! Downloads done right: into `OUT.part`, renamed into place only when
//! exactly the announced bytes arrived; resumable after checking what is
//! on disk; retried after an interrupted connection; optionally over
//! several connections at once.

mod output;
mod parallel;
mod retry;

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hftp_proto::{Code, check_name};

use crate::name::{NameProblem, why_not_a_name};
use crate::{CancelToken, Client, Error};
use output::Existing;
use parallel::Parallel;
pub use retry::{Bytes, Retrying};

/// The most bytes before a resume point that are fetched again and
/// compared with the partial data on disk.
const CHECKED: u64 = 64 << 10;

/// The smallest range worth its own connection in a parallel download.
const MIN_PARALLEL_RANGE: u64 = 1 << 20;

/// Receives a download's progress; every method does nothing by default.
///
/// Parallel downloads call [`advance`](Self::advance) from several
/// threads at once.
pub trait Progress: Sync {
    /// The download of `name` starts: `total` bytes, of which `done` are
    /// already on disk (a resume).
    fn begin(&self, name: &str, total: u64, done: u64) {
        let _ = (name, total, done);
    }

    /// `bytes` more arrived and were written.
    fn advance(&self, bytes: u64) {
        let _ = bytes;
    }

    /// The transfer ended, well or not.
    fn end(&self) {}

    /// Before the transfer: the download of `name` resumes after the
    /// `at` bytes of its `.part` file, whose last bytes matched the
    /// server's (asked with [`Download::resume`]).
    fn resuming(&self, name: &str, at: u64) {
        let _ = (name, at);
    }

    /// The connection of `name`'s download was interrupted; it is tried
    /// again after a pause, resuming from what is on disk.
    fn retrying(&self, name: &str, retry: &Retrying<'_>) {
        let _ = (name, retry);
    }

    /// Before the transfer: a file the download owns was removed, for
    /// the reason given (a `.sparse.part` that a parallel download stopped
    /// abruptly left behind).
    fn removed(&self, path: &Path, why: &str) {
        let _ = (path, why);
    }
}

/// No progress report.
impl Progress for () {}

/// What a finished download did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// The bytes of the output file.
    pub size: u64,
    /// The bytes fetched over the network this time.
    pub fetched: u64,
    /// The length of the `.part` file the download resumed from.
    pub resumed_from: u64,
    /// The length of a `.part` file that was discarded because it did
    /// not match the file on the server (with
    /// [`Download::restart_if_changed`]).
    pub discarded_part: Option<u64>,
    /// True when the output already held the whole file, as the server
    /// has it: nothing was fetched ([`Download::resume`] only).
    pub already_complete: bool,
    /// How many times an interrupted connection was retried.
    pub retries: u32,
}

/// One file (or a range of it) to download to a path.
///
/// The bytes go to `PATH.part`; only when exactly the expected number
/// arrived is it renamed to `PATH`. An existing `PATH` is kept unless
/// [`force`](Self::force) is set. With [`resume`](Self::resume), an
/// existing `PATH.part` is continued from its length, once its last
/// bytes (up to 64 KiB) proved equal to the server's. A device, FIFO or
/// socket at `PATH` is written in place, never replaced.
///
/// A connection that ends or fails on the way (the server restarted or
/// stopped, a reset, a timeout, `199` at its connection limit) is
/// retried [`retries`](Self::retries) times with growing pauses, each
/// attempt resuming from the bytes on disk after checking them again.
///
/// ```no_run
/// use std::path::Path;
/// use hftp_client::download::local_path;
/// use hftp_client::{Client, Download};
///
/// let mut client = Client::connect("localhost:19500")?;
/// // A name from the server, kept inside `downloads/`.
/// let path = local_path(Path::new("downloads"), "big.iso")?;
/// let outcome = Download::new("big.iso", &path)
///     .resume(true)
///     .parallel(4)
///     .run(&mut client)?;
/// println!("{} bytes", outcome.size);
/// # Ok::<(), hftp_client::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Download<'a> {
    name: &'a str,
    path: &'a Path,
    offset: u64,
    size: Option<u64>,
    force: bool,
    resume: bool,
    restart_if_changed: bool,
    parallel: usize,
    retries: u32,
    retry_deadline: Option<Duration>,
    progress: &'a dyn Progress,
    cancel: Option<&'a CancelToken>,
}

impl std::fmt::Debug for Download<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("offset", &self.offset)
            .field("size", &self.size)
            .field("force", &self.force)
            .field("resume", &self.resume)
            .field("restart_if_changed", &self.restart_if_changed)
            .field("parallel", &self.parallel)
            .field("retries", &self.retries)
            .field("retry_deadline", &self.retry_deadline)
            .finish_non_exhaustive()
    }
}

/// The checked local path for a served file: `dir` joined with `name`,
/// refused unless `name` is one valid file name (HFTP rule 5), so nothing
/// is ever written outside `dir`.
///
/// ```
/// use std::path::Path;
/// use hftp_client::download::local_path;
/// assert_eq!(local_path(Path::new("out"), "a.txt")?, Path::new("out/a.txt"));
/// assert!(local_path(Path::new("out"), "../a.txt").is_err());
/// assert!(local_path(Path::new("out"), "..").is_err());
/// # Ok::<(), hftp_client::Error>(())
/// ```
pub fn local_path(dir: &Path, name: &str) -> Result<PathBuf, Error> {
    let bad = |reason| Error::BadName {
        name: name.to_owned(),
        reason,
    };
    if let Some(reason) = why_not_a_name(name) {
        return Err(bad(reason));
    }
    check_name(name.as_bytes()).map_err(|_| bad(NameProblem::Other))?;
    let path = Path::new(name);
    if path.components().count() != 1 || path.file_name().is_none() {
        return Err(bad(NameProblem::Slash));
    }
    Ok(dir.join(path))
}

impl<'a> Download<'a> {
    /// Retries after an interrupted connection, by default.
    pub const DEFAULT_RETRIES: u32 = 5;

    /// Downloads the whole of `name` to `path`.
    #[must_use]
    pub fn new(name: &'a str, path: &'a Path) -> Self {
        Self {
            name,
            path,
            offset: 0,
            size: None,
            force: false,
            resume: false,
            restart_if_changed: false,
            parallel: 1,
            retries: Self::DEFAULT_RETRIES,
            retry_deadline: None,
            progress: &(),
            cancel: None,
        }
    }

    /// Only `size` bytes from `offset`; `None` means up to the end.
    #[must_use]
    pub const fn range(mut self, offset: u64, size: Option<u64>) -> Self {
        self.offset = offset;
        self.size = size;
        self
    }

    /// Replace an existing output file (default: refuse with
    /// [`Error::Exists`]).
    #[must_use]
    pub const fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }

    /// Continue an existing `.part` file from its length, once its last
    /// bytes (up to 64 KiB) matched the server's; if they do not, or the
    /// server's file is now shorter, the `.part` is removed and the
    /// download fails with [`Error::Changed`] (see
    /// [`restart_if_changed`](Self::restart_if_changed)). An output that
    /// already holds the whole file, checked the same way, is success
    /// with nothing fetched.
    #[must_use]
    pub const fn resume(mut self, resume: bool) -> Self {
        self.resume = resume;
        self
    }

    /// When a `.part` does not match the file on the server, start over
    /// from byte 0 instead of failing.
    #[must_use]
    pub const fn restart_if_changed(mut self, restart: bool) -> Self {
        self.restart_if_changed = restart;
        self
    }

    /// How many times to try again after an interrupted connection
    /// (default [`DEFAULT_RETRIES`](Self::DEFAULT_RETRIES); 0 never), with
    /// pauses of 0.25 s, doubling up to 8 s ([`run`](Self::run) only).
    #[must_use]
    pub const fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// No retry starts later than this after the download began
    /// (default: none, the count alone bounds them).
    #[must_use]
    pub const fn retry_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.retry_deadline = deadline;
        self
    }

    /// Fetch over up to `connections` connections at once, each a range
    /// written at its offset ([`run`](Self::run) only). Default 1.
    #[must_use]
    pub fn parallel(mut self, connections: usize) -> Self {
        self.parallel = connections.max(1);
        self
    }

    /// Report progress here.
    #[must_use]
    pub fn progress(mut self, progress: &'a dyn Progress) -> Self {
        self.progress = progress;
        self
    }

    /// Stop when this token is cancelled, leaving the `.part` file.
    #[must_use]
    pub const fn cancel(mut self, token: &'a CancelToken) -> Self {
        self.cancel = Some(token);
        self
    }

    /// The output path.
    #[must_use]
    pub const fn path(&self) -> &Path {
        self.path
    }

    /// The file the bytes go to until they are all there: `PATH.part`.
    #[must_use]
    pub fn part_path(&self) -> PathBuf {
        output::with_suffix(self.path, ".part")
    }

    /// The file of a parallel download in flight, whose length says
    /// nothing: `PATH.sparse.part`. A stopped parallel download cuts it
    /// to its complete prefix and renames it to `PATH.part`.
    #[must_use]
    pub fn sparse_path(&self) -> PathBuf {
        output::with_suffix(self.path, ".sparse.part")
    }

    /// The pause before retry number `attempt` (from 1): 0.25 s,
    /// doubling, at most 8 s. The same schedule serves any caller that
    /// retries as a download does.
    #[must_use]
    pub fn retry_delay(attempt: u32) -> Duration {
        retry::delay(attempt)
    }

    /// Runs the download over `client`, opening more connections to the
    /// same server for [`parallel`](Self::parallel) ranges, and new ones
    /// in its place after an interruption (see [`retries`](Self::retries)).
    pub fn run(&self, client: &mut Client<TcpStream>) -> Result<Outcome, Error> {
        let _active = self.cancel.map(CancelToken::enter).transpose()?;
        let mut run = Run::new(self);
        loop {
            let error = match run.attempt(client) {
                Ok(outcome) => return Ok(outcome),
                Err(error) => error,
            };
            let Some(delay) = run.retry_after(&error) else {
                return Err(self.named_as_given(error));
            };
            self.progress.retrying(
                self.name,
                &Retrying {
                    attempt: run.retries,
                    retries: self.retries,
                    error: &error,
                    have: run.have(),
                    delay,
                },
            );
            retry::pause(delay, self.cancel)?;
            if let Ok(fresh) = client.reconnect() {
                *client = fresh;
            }
        }
    }

    /// Runs the download over any stream, on this one connection, with no
    /// retry.
    pub fn run_on<S: Read + Write>(&self, client: &mut Client<S>) -> Result<Outcome, Error> {
        let _active = self.cancel.map(CancelToken::enter).transpose()?;
        let mut run = Run::new(self);
        run.plan(client)
            .and_then(|plan| run.fetch(client, &plan))
            .map_err(|error| self.named_as_given(error))
    }

    /// `error`, naming the output as the caller gave it when it is about
    /// a file the download writes first.
    fn named_as_given(&self, error: Error) -> Error {
        match error {
            Error::File { path, source }
                if path == self.part_path() || path == self.sparse_path() =>
            {
                Error::Output {
                    path: self.path.to_path_buf(),
                    through: path,
                    source,
                }
            }
            other => other,
        }
    }
}

/// One run of a download: its attempts and what they left.
struct Run<'d> {
    download: &'d Download<'d>,
    started: Instant,
    /// The retries so far.
    retries: u32,
    /// Resume from the `.part` (the user's wish, or a retry).
    resume: bool,
    /// The last attempt was turned away at its first request (`199`).
    turned_away: bool,
    /// Bytes written in place to a special output (they cannot be
    /// checked or taken back, so such a download is not retried).
    written_in_place: u64,
}

/// Where a download starts and ends, relative to its range.
#[derive(Debug)]
struct Plan {
    size: u64,
    start: u64,
    discarded: Option<u64>,
    target: Target,
}

/// What the bytes go to.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// `OUT.part`, renamed to `OUT` when complete.
    Part,
    /// The output itself, a device or FIFO, written in place.
    InPlace,
    /// Nothing: the output already holds the whole file.
    Complete,
}

impl Plan {
    const fn remaining(&self) -> u64 {
        self.size - self.start
    }
}

impl<'d> Run<'d> {
    fn new(download: &'d Download<'d>) -> Self {
        Self {
            download,
            started: Instant::now(),
            retries: 0,
            resume: download.resume,
            turned_away: false,
            written_in_place: 0,
        }
    }

    /// One attempt: plan, fetch, finish; on a connection closed by an
    /// earlier attempt, a new connection first.
    fn attempt(&mut self, client: &mut Client<TcpStream>) -> Result<Outcome, Error> {
        let d = self.download;
        if !client.is_usable() {
            *client = client.reconnect()?;
        }
        let _watch = d.cancel.map(|token| token.watch(client.get_ref()));
        let plan = self.plan(client)?;
        if plan.target == Target::Part
            && d.parallel > 1
            && plan.remaining() >= 2 * MIN_PARALLEL_RANGE
        {
            client.slice_form()?;
            self.fetch_parallel(client, &plan)?;
            return self.finish(&plan);
        }
        self.fetch(client, &plan)
    }

    /// The pause before the next attempt after `error`; `None` when it is
    /// not worth retrying (a protocol violation, a refusal, a local
    /// error, no retries or time left, bytes written in place).
    fn retry_after(&mut self, error: &Error) -> Option<Duration> {
        let d = self.download;
        let interrupted = error.is_interruption() || self.turned_away;
        let cancelled = d.cancel.is_some_and(CancelToken::is_cancelled);
        self.retries += 1;
        let delay = retry::delay(self.retries);
        let deadline = d.retry_deadline.map(|limit| self.started + limit);
        if !interrupted
            || cancelled
            || self.retries > d.retries
            || self.written_in_place > 0
            || !retry::in_time(deadline, delay)
        {
            return None;
        }
        self.resume = true;
        Some(delay)
    }

    /// The bytes of the download on disk.
    fn have(&self) -> u64 {
        output::part_len(&self.download.part_path()).unwrap_or(0) + self.written_in_place
    }

    /// Looks at the output, asks the size, checks what is on disk and
    /// finds where to start.
    fn plan<S: Read + Write>(&mut self, client: &mut Client<S>) -> Result<Plan, Error> {
        let d = self.download;
        let existing = output::existing(d.path)?;
        self.turned_away = false;
        let file_size = client.metadata(d.name).inspect_err(|error| {
            self.turned_away = error.code() == Some(Code::InternalError);
        })?;
        let size = d.size.unwrap_or_else(|| file_size.saturating_sub(d.offset));
        if hftp_proto::check_range(d.offset, size, file_size).is_err() {
            return Err(Error::BadRange {
                offset: d.offset,
                size,
                file_size,
            });
        }
        let mut plan = Plan {
            size,
            start: 0,
            discarded: None,
            target: Target::Part,
        };
        let sparse = d.sparse_path();
        if fs::symlink_metadata(&sparse).is_ok() {
            output::remove(&sparse)?;
            d.progress.removed(
                &sparse,
                "a --parallel download that was stopped abruptly left it, and its ranges cannot be trusted",
            );
        }
        match existing {
            Existing::Special => plan.target = Target::InPlace,
            Existing::File(len)
                if d.resume && len == size && self.matches(client, d.path, len)? =>
            {
                plan.target = Target::Complete;
            }
            Existing::File(_) if !d.force => return Err(exists(d.path)),
            _ if self.resume => self.resume_point(client, &mut plan)?,
            _ => {}
        }
        Ok(plan)
    }

    /// Sets the plan's start after the `.part`'s bytes, once their tail
    /// matched the server's; a `.part` that does not match is set aside
    /// as `.part.mismatch` (replacing an older one), never deleted.
    fn resume_point<S: Read + Write>(
        &self,
        client: &mut Client<S>,
        plan: &mut Plan,
    ) -> Result<(), Error> {
        let d = self.download;
        let part = d.part_path();
        let have = output::part_len(&part)?;
        if have == 0 {
            return Ok(());
        }
        let why = if have > plan.size {
            Some(format!(
                "{have} bytes, more than the {} on the server",
                plan.size
            ))
        } else if self.matches(client, &part, have)? {
            None
        } else {
            Some(format!(
                "its last {} differ from the server's",
                Bytes(have.min(CHECKED))
            ))
        };
        let Some(why) = why else {
            plan.start = have;
            if self.retries == 0 {
                d.progress.resuming(d.name, have);
            }
            return Ok(());
        };
        let kept = output::with_suffix(&part, ".mismatch");
        fs::rename(&part, &kept).map_err(|error| Error::file(&part, error))?;
        if !d.restart_if_changed {
            return Err(Error::Changed {
                path: part,
                kept,
                why,
            });
        }
        plan.discarded = Some(have);
        Ok(())
    }

    /// True if the last bytes (up to [`CHECKED`]) of the first `len`
    /// bytes of the download in `local` are the server's.
    fn matches<S: Read + Write>(
        &self,
        client: &mut Client<S>,
        local: &Path,
        len: u64,
    ) -> Result<bool, Error> {
        let d = self.download;
        let checked = len.min(CHECKED);
        let mut theirs = Vec::with_capacity(usize::try_from(checked).unwrap_or(0));
        client.slice_to(d.name, d.offset + len - checked, checked, &mut theirs)?;
        Ok(output::tail(local, len, checked)? == theirs)
    }

    /// Fetches the rest of the range on one connection, into the `.part`
    /// (appending) or in place, and finishes.
    fn fetch<S: Read + Write>(
        &mut self,
        client: &mut Client<S>,
        plan: &Plan,
    ) -> Result<Outcome, Error> {
        let d = self.download;
        let (file, path) = match plan.target {
            Target::Complete => return Ok(self.outcome(plan)),
            Target::InPlace => (output::open_special(d.path)?, d.path.to_owned()),
            Target::Part if plan.start > 0 => {
                let part = d.part_path();
                (output::open_existing(&part)?, part)
            }
            Target::Part => {
                let part = d.part_path();
                (output::create_fresh(&part)?, part)
            }
        };
        d.progress.begin(d.name, plan.size, plan.start);
        let mut sink = Sink {
            file: BufWriter::with_capacity(256 << 10, file),
            progress: d.progress,
            cancel: d.cancel,
            written: 0,
        };
        let result = match plan.remaining() {
            0 => Ok(()),
            remaining => client.slice_to(d.name, d.offset + plan.start, remaining, &mut sink),
        };
        let flushed = sink.file.flush();
        d.progress.end();
        if plan.target == Target::InPlace {
            self.written_in_place += sink.written;
        }
        result.map_err(|error| self.local_error(error, &path))?;
        flushed.map_err(|error| Error::file(&path, error))?;
        self.finish(plan)
    }

    /// Fetches the rest of the range over several connections, each
    /// writing its own range at its offset; extra connections the server
    /// turns away or never serves are left out.
    fn fetch_parallel(&self, client: &mut Client<TcpStream>, plan: &Plan) -> Result<(), Error> {
        let d = self.download;
        let sparse = d.sparse_path();
        let file = if plan.start > 0 {
            fs::rename(d.part_path(), &sparse).map_err(|error| Error::file(&sparse, error))?;
            // Not in append mode: Linux's pwrite ignores the offset then.
            fs::OpenOptions::new()
                .write(true)
                .open(&sparse)
                .map_err(|error| Error::file(&sparse, error))?
        } else {
            output::create_fresh(&sparse)?
        };
        let wanted = d
            .parallel
            .min(usize::try_from(plan.remaining() / MIN_PARALLEL_RANGE).unwrap_or(usize::MAX));
        let mut clients = parallel::extra_connections(client, d.name, wanted - 1);
        let ranges = parallel::split(plan.start, plan.remaining(), clients.len() + 1);
        d.progress.begin(d.name, plan.size, plan.start);
        let result = Parallel {
            download: d,
            file: &file,
            ranges: &ranges,
            stop: CancelToken::new(),
        }
        .run(client, &mut clients);
        d.progress.end();
        let prefix = match result {
            Ok(()) => None,
            Err((error, prefix)) => Some((error, prefix)),
        };
        keep_prefix(&file, &sparse, &d.part_path(), prefix)
    }

    /// Checks the part file's length and renames it into place.
    fn finish(&self, plan: &Plan) -> Result<Outcome, Error> {
        let d = self.download;
        if plan.target == Target::Part {
            let part = d.part_path();
            let len = fs::metadata(&part)
                .map_err(|error| Error::file(&part, error))?
                .len();
            if len != plan.size {
                let message = format!("holds {len} bytes where {} were expected", plan.size);
                return Err(Error::file(&part, io::Error::other(message)));
            }
            if matches!(output::existing(d.path)?, Existing::File(_)) && !d.force {
                return Err(exists(d.path));
            }
            fs::rename(&part, d.path).map_err(|error| Error::file(d.path, error))?;
        }
        Ok(self.outcome(plan))
    }

    /// What the download did.
    fn outcome(&self, plan: &Plan) -> Outcome {
        let complete = plan.target == Target::Complete;
        Outcome {
            size: plan.size,
            fetched: if complete { 0 } else { plan.remaining() },
            resumed_from: plan.start,
            discarded_part: plan.discarded,
            already_complete: complete,
            retries: self.retries,
        }
    }

    /// A sink error is the output file's, or a cancel.
    fn local_error(&self, error: Error, path: &Path) -> Error {
        match error {
            _ if self.download.cancel.is_some_and(CancelToken::is_cancelled) => Error::Interrupted,
            Error::Sink(source) => Error::file(path, source),
            other => other,
        }
    }
}

/// After a parallel fetch: the sparse file becomes the `.part`, cut to
/// its complete prefix if the fetch failed; the error is passed on.
fn keep_prefix(
    file: &File,
    sparse: &Path,
    part: &Path,
    failed: Option<(Error, u64)>,
) -> Result<(), Error> {
    let Some((error, prefix)) = failed else {
        return fs::rename(sparse, part).map_err(|error| Error::file(sparse, error));
    };
    let kept = file.set_len(prefix).and_then(|()| fs::rename(sparse, part));
    if let Err(cleanup) = kept {
        log::warn!("{}: {cleanup}", sparse.display());
    }
    Err(error)
}

/// The error for an existing output that may not be replaced.
fn exists(path: &Path) -> Error {
    Error::Exists {
        path: path.to_owned(),
    }
}

/// The output file as a sink: counts progress and stops on cancel.
struct Sink<'a> {
    file: BufWriter<File>,
    progress: &'a dyn Progress,
    cancel: Option<&'a CancelToken>,
    written: u64,
}

impl Write for Sink<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(io::Error::other("cancelled"));
        }
        self.file.write_all(bytes)?;
        self.written += bytes.len() as u64;
        self.progress.advance(bytes.len() as u64);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl<S: Read + Write> Client<S> {
    /// Downloads the whole of `name` to `path` through `PATH.part`, in
    /// one attempt on this connection: a connection that fails on the
    /// way is an error, not retried (unlike `hftp get`). For retries on
    /// new connections, resuming, ranges and parallel connections, see
    /// [`Download::run`]. An existing `path` is not overwritten. Returns
    /// the file's size.
    pub fn download(&mut self, name: &str, path: &Path) -> Result<u64, Error> {
        Download::new(name, path)
            .run_on(self)
            .map(|outcome| outcome.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_stay_in_their_directory() {
        let dir = Path::new("d");
        assert_eq!(
            local_path(dir, "ñandú.txt").ok(),
            Some(dir.join("ñandú.txt"))
        );
        for bad in ["", ".", "..", "a/b", "/etc/passwd", "a\nb", "a\0"] {
            assert!(local_path(dir, bad).is_err(), "{bad:?}");
        }
    }
}
