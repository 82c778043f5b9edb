//! Downloads done right: into `OUT.part`, renamed into place only when
//! exactly the announced bytes arrived; resumable; optionally over several
//! connections at once.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use hftp_proto::check_name;

use crate::{CancelToken, Client, Error};

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
    /// The length of a `.part` file that was discarded because it was
    /// longer than the server's data.
    pub discarded_part: Option<u64>,
}

/// One file (or a range of it) to download to a path.
///
/// The bytes go to `PATH.part`; only when exactly the expected number
/// arrived is it renamed to `PATH`. An existing `PATH` is kept unless
/// [`force`](Self::force) is set. With [`resume`](Self::resume), an
/// existing `PATH.part` is continued from its length.
///
/// ```no_run
/// use std::path::Path;
/// use hftp_client::{Client, Download, local_path};
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
    parallel: usize,
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
            .field("parallel", &self.parallel)
            .finish_non_exhaustive()
    }
}

/// The checked local path for a served file: `dir` joined with `name`,
/// refused unless `name` is one valid file name (HFTP rule 5), so nothing
/// is ever written outside `dir`.
///
/// ```
/// use std::path::Path;
/// use hftp_client::local_path;
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
    check_name(name.as_bytes()).map_err(|_| bad("not a valid HFTP file name (rule 5)"))?;
    let path = Path::new(name);
    if path.components().count() != 1 || path.file_name().is_none() {
        return Err(bad("not a single file name"));
    }
    Ok(dir.join(path))
}

impl<'a> Download<'a> {
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
            parallel: 1,
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

    /// Continue an existing `.part` file from its length, if the server
    /// still has at least that many bytes (else start over).
    #[must_use]
    pub const fn resume(mut self, resume: bool) -> Self {
        self.resume = resume;
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
        with_suffix(self.path, ".part")
    }

    /// The file of a parallel download in flight, whose length says
    /// nothing: `PATH.sparse.part`. A stopped parallel download cuts it
    /// to its complete prefix and renames it to `PATH.part`.
    #[must_use]
    pub fn sparse_path(&self) -> PathBuf {
        with_suffix(self.path, ".sparse.part")
    }

    /// Runs the download over `client`, opening more connections to the
    /// same server for [`parallel`](Self::parallel) ranges.
    pub fn run(&self, client: &mut Client<TcpStream>) -> Result<Outcome, Error> {
        let _active = self.cancel.map(CancelToken::enter).transpose()?;
        let _watch = self.cancel.map(|token| token.watch(client.get_ref()));
        let plan = self.plan(client)?;
        if self.parallel > 1 && plan.remaining() >= 2 * MIN_PARALLEL_RANGE {
            client.slice_form()?;
            self.fetch_parallel(client, &plan)?;
        } else {
            self.fetch(client, &plan)?;
        }
        self.finish(&plan)
    }

    /// Runs the download over any stream, on this one connection.
    pub fn run_on<S: Read + Write>(&self, client: &mut Client<S>) -> Result<Outcome, Error> {
        let _active = self.cancel.map(CancelToken::enter).transpose()?;
        let plan = self.plan(client)?;
        self.fetch(client, &plan)?;
        self.finish(&plan)
    }

    /// Checks the output, asks the size, and finds where to start.
    fn plan<S: Read + Write>(&self, client: &mut Client<S>) -> Result<Plan, Error> {
        self.check_output()?;
        let file_size = client.metadata(self.name)?;
        let size = self
            .size
            .unwrap_or_else(|| file_size.saturating_sub(self.offset));
        if hftp_proto::check_range(self.offset, size, file_size).is_err() {
            return Err(Error::BadRange {
                offset: self.offset,
                size,
                file_size,
            });
        }
        let mut plan = Plan {
            size,
            start: 0,
            discarded: None,
        };
        if self.resume {
            let have = part_len(&self.part_path())?;
            if have > size {
                plan.discarded = Some(have);
            } else {
                plan.start = have;
            }
        }
        Ok(plan)
    }

    /// Refuses an output that exists (unless forced) or is a directory.
    fn check_output(&self) -> Result<(), Error> {
        match fs::symlink_metadata(self.path) {
            Ok(meta) if meta.is_dir() => Err(Error::file(
                self.path,
                io::Error::new(io::ErrorKind::IsADirectory, "is a directory"),
            )),
            Ok(_) if !self.force => Err(Error::Exists {
                path: self.path.to_owned(),
            }),
            Ok(_) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(Error::file(self.path, error)),
        }
    }

    /// Fetches the rest of the range on one connection, appending to the
    /// part file.
    fn fetch<S: Read + Write>(&self, client: &mut Client<S>, plan: &Plan) -> Result<(), Error> {
        let part = self.part_path();
        let file = if plan.start > 0 {
            open_existing(&part)?
        } else {
            create_fresh(&part)?
        };
        self.progress.begin(self.name, plan.size, plan.start);
        let mut sink = Sink {
            file: BufWriter::with_capacity(256 << 10, file),
            progress: self.progress,
            cancel: self.cancel,
        };
        let offset = self.offset + plan.start;
        let result = match plan.remaining() {
            0 => Ok(()),
            remaining => client.slice_to(self.name, offset, remaining, &mut sink),
        };
        let flushed = sink.file.flush();
        self.progress.end();
        result.map_err(|error| self.local_error(error, &part))?;
        flushed.map_err(|error| Error::file(&part, error))
    }

    /// Fetches the rest of the range over several connections, each
    /// writing its own range at its offset.
    fn fetch_parallel(&self, client: &mut Client<TcpStream>, plan: &Plan) -> Result<(), Error> {
        let sparse = self.sparse_path();
        let file = if plan.start > 0 {
            fs::rename(self.part_path(), &sparse).map_err(|error| Error::file(&sparse, error))?;
            // Not in append mode: Linux's pwrite ignores the offset then.
            OpenOptions::new()
                .write(true)
                .open(&sparse)
                .map_err(|error| Error::file(&sparse, error))?
        } else {
            create_fresh(&sparse)?
        };
        let mut clients = vec![];
        for _ in 1..self
            .parallel
            .min(usize::try_from(plan.remaining() / MIN_PARALLEL_RANGE).unwrap_or(usize::MAX))
        {
            match client.reconnect() {
                Ok(extra) => clients.push(extra),
                Err(error) => log::warn!("fetching over fewer connections: {error}"),
            }
        }
        let ranges = split(plan.start, plan.remaining(), clients.len() + 1);
        self.progress.begin(self.name, plan.size, plan.start);
        let result = Parallel {
            download: self,
            file: &file,
            ranges: &ranges,
            stop: CancelToken::new(),
        }
        .run(client, &mut clients);
        self.progress.end();
        match result {
            Ok(()) => {
                fs::rename(&sparse, self.part_path()).map_err(|error| Error::file(&sparse, error))
            }
            Err((error, prefix)) => {
                let kept = file
                    .set_len(prefix)
                    .and_then(|()| fs::rename(&sparse, self.part_path()));
                if let Err(cleanup) = kept {
                    log::warn!("{}: {cleanup}", sparse.display());
                }
                Err(error)
            }
        }
    }

    /// Checks the part file's length and renames it into place.
    fn finish(&self, plan: &Plan) -> Result<Outcome, Error> {
        let part = self.part_path();
        let len = fs::metadata(&part)
            .map_err(|error| Error::file(&part, error))?
            .len();
        if len != plan.size {
            let message = format!("holds {len} bytes where {} were expected", plan.size);
            return Err(Error::file(&part, io::Error::other(message)));
        }
        self.check_output()?;
        fs::rename(&part, self.path).map_err(|error| Error::file(self.path, error))?;
        Ok(Outcome {
            size: plan.size,
            fetched: plan.remaining(),
            resumed_from: plan.start,
            discarded_part: plan.discarded,
        })
    }

    /// A sink error is the part file's, or a cancel.
    fn local_error(&self, error: Error, part: &Path) -> Error {
        match error {
            _ if self.cancel.is_some_and(CancelToken::is_cancelled) => Error::Interrupted,
            Error::Sink(source) => Error::file(part, source),
            other => other,
        }
    }
}

/// Where a download starts and ends, relative to its range.
#[derive(Debug)]
struct Plan {
    size: u64,
    start: u64,
    discarded: Option<u64>,
}

impl Plan {
    const fn remaining(&self) -> u64 {
        self.size - self.start
    }
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The length of an existing part file; 0 if there is none.
fn part_len(part: &Path) -> Result<u64, Error> {
    match fs::symlink_metadata(part) {
        Ok(meta) if meta.is_file() => Ok(meta.len()),
        Ok(_) => Err(Error::file(part, io::Error::other("not a regular file"))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(error) => Err(Error::file(part, error)),
    }
}

/// A new, empty file in place of whatever was at `path`: an old file is
/// removed first and a symbolic link is never followed.
fn create_fresh(path: &Path) -> Result<File, Error> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => {
            return Err(Error::file(path, error));
        }
        _ => {}
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|error| Error::file(path, error))
}

/// An existing part file, opened to append.
fn open_existing(path: &Path) -> Result<File, Error> {
    OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|error| Error::file(path, error))
}

/// `len` bytes from `start` cut into `count` ranges of nearly equal size.
fn split(start: u64, len: u64, count: usize) -> Vec<(u64, u64)> {
    let count = count.max(1) as u64;
    let (base, extra) = (len / count, len % count);
    let mut at = start;
    (0..count)
        .map(|index| {
            let size = base + u64::from(index < extra);
            let range = (at, size);
            at += size;
            range
        })
        .collect()
}

/// The part file as a sink: counts progress and stops on cancel.
struct Sink<'a> {
    file: BufWriter<File>,
    progress: &'a dyn Progress,
    cancel: Option<&'a CancelToken>,
}

impl Write for Sink<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(io::Error::other("cancelled"));
        }
        self.file.write_all(bytes)?;
        self.progress.advance(bytes.len() as u64);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// A parallel fetch in progress.
struct Parallel<'a> {
    download: &'a Download<'a>,
    file: &'a File,
    ranges: &'a [(u64, u64)],
    /// Cancelled when one range fails, to stop the others.
    stop: CancelToken,
}

impl Parallel<'_> {
    /// Runs one thread per range (the first on `main`); on failure returns
    /// the first error and the length of the file's complete prefix.
    fn run(
        &self,
        main: &mut Client<TcpStream>,
        extra: &mut [Client<TcpStream>],
    ) -> Result<(), (Error, u64)> {
        let written: Vec<AtomicU64> = self.ranges.iter().map(|_| AtomicU64::new(0)).collect();
        let first_error = Mutex::new(None);
        thread::scope(|scope| {
            let clients = std::iter::once(main).chain(extra.iter_mut());
            for ((client, &range), written) in clients.zip(self.ranges).zip(&written) {
                let first_error = &first_error;
                scope.spawn(move || {
                    if let Err(error) = self.fetch_range(client, range, written) {
                        let mut first = first_error
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        first.get_or_insert(error);
                        self.stop.cancel();
                    }
                });
            }
        });
        let error = first_error
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let cancelled = self.download.cancel.is_some_and(CancelToken::is_cancelled);
        match (error, cancelled) {
            (None, false) => Ok(()),
            (error, cancelled) => {
                let error = if cancelled {
                    Error::Interrupted
                } else {
                    error.unwrap_or(Error::Interrupted)
                };
                Err((error, self.prefix(&written)))
            }
        }
    }

    /// Fetches one range into the file at its offset.
    fn fetch_range(
        &self,
        client: &mut Client<TcpStream>,
        range: (u64, u64),
        written: &AtomicU64,
    ) -> Result<(), Error> {
        let _stop = self.stop.watch(client.get_ref());
        let _cancel = self
            .download
            .cancel
            .map(|token| token.watch(client.get_ref()));
        let mut sink = AtSink {
            parallel: self,
            at: range.0,
            written,
        };
        let result = client.slice_to(
            self.download.name,
            self.download.offset + range.0,
            range.1,
            &mut sink,
        );
        result.map_err(|error| match error {
            Error::Sink(source) => Error::file(self.download.sparse_path(), source),
            other => other,
        })
    }

    /// The length of the file's complete prefix.
    fn prefix(&self, written: &[AtomicU64]) -> u64 {
        let mut prefix = self.ranges.first().map_or(0, |range| range.0);
        for (&(start, len), written) in self.ranges.iter().zip(written) {
            let done = written.load(Ordering::Acquire);
            prefix = start + done;
            if done < len {
                break;
            }
        }
        prefix
    }
}

/// One range's sink: positioned writes into the shared file.
struct AtSink<'a> {
    parallel: &'a Parallel<'a>,
    at: u64,
    written: &'a AtomicU64,
}

impl Write for AtSink<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let cancelled = self
            .parallel
            .download
            .cancel
            .is_some_and(CancelToken::is_cancelled);
        if cancelled || self.parallel.stop.is_cancelled() {
            return Err(io::Error::other("cancelled"));
        }
        self.parallel.file.write_all_at(bytes, self.at)?;
        self.at += bytes.len() as u64;
        self.written
            .fetch_add(bytes.len() as u64, Ordering::Release);
        self.parallel.download.progress.advance(bytes.len() as u64);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_covers_the_range_in_order() {
        assert_eq!(split(10, 10, 3), [(10, 4), (14, 3), (17, 3)]);
        assert_eq!(split(0, 2, 1), [(0, 2)]);
    }

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
