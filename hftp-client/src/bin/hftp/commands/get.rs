//! `hftp get NAME...`: downloads through `.part` files, or to stdout.

use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal as _, Write};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hftp_client::download::local_path;
use hftp_client::{Download, Error, Outcome, Progress, Retrying};

use crate::exit::{Exit, Failure, Tally};
use crate::parse::{one_to_64, seconds, whole};
use crate::pattern::{self, Expanded};
use crate::session::Session;
use crate::text;

/// Options of `hftp get`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "\
Each file goes to OUT.part first and is renamed to OUT only once exactly the
announced number of bytes arrived. Names from the server never leave the
chosen directory.

A NAME holding `*`, `?` or `[...]` is a pattern: it stands for every name the
server lists that matches it (quote it, so that your shell leaves it alone);
a listed name is always taken as it is. A pattern matching nothing is an
error (exit 4); the other names are still fetched.

Examples:
  hftp get hola.txt                   to ./hola.txt
  hftp get a.txt b.txt -O downloads/
  hftp get '*.txt'                    every listed name ending in .txt
  hftp get big.iso -c                 resume big.iso.part after Ctrl-C
  hftp get big.iso --parallel 4
  hftp get big.iso --offset 1048576 --size 4096 -o piece.bin
  hftp get hola.txt -o - | wc -c      \"-\" is stdout")]
pub(crate) struct Args {
    /// The files to download; `*`, `?` and `[...]` match listed names.
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,

    /// Write to OUT instead of ./NAME (one NAME only; its folder is created
    /// if missing); `-` writes to stdout.
    #[arg(short, long, value_name = "OUT", conflicts_with = "output_dir")]
    output: Option<PathBuf>,

    /// Write each file into DIR (created if missing) under its own name.
    #[arg(short = 'O', long, value_name = "DIR")]
    output_dir: Option<PathBuf>,

    /// Fetch from byte N on (with -o).
    #[arg(long, value_name = "N", requires = "output", value_parser = whole::<u64>)]
    offset: Option<u64>,

    /// Fetch N bytes (with -o); default: up to the end.
    #[arg(long, value_name = "N", requires = "output", value_parser = whole::<u64>)]
    size: Option<u64>,

    /// Overwrite an existing output file; with `-o -`, write binary data
    /// to a terminal too.
    #[arg(short, long)]
    force: bool,

    /// Resume from OUT.part, once its last 64 KiB matched the server's;
    /// an OUT that already holds the whole file is success.
    #[arg(short = 'c', long = "continue")]
    resume: bool,

    /// When OUT.part does not match the file on the server, start over
    /// instead of failing (exit 9).
    #[arg(long)]
    restart_if_changed: bool,

    /// Fetch each file over N connections at once, in ranges (1 to 64).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = one_to_64)]
    parallel: u16,

    /// Try again this many times when the connection ends or fails on the
    /// way, resuming from the bytes on disk (0: never).
    #[arg(long, value_name = "N", default_value_t = Download::DEFAULT_RETRIES, value_parser = whole::<u32>)]
    retry: u32,

    /// Start no retry later than this many seconds after the download
    /// began (0: no limit but --retry).
    #[arg(long, value_name = "SECS", default_value = "0", value_parser = seconds)]
    retry_max_time: Duration,
}

impl Args {
    /// True for `-o -`.
    fn to_stdout(&self) -> bool {
        self.output.as_deref() == Some(Path::new("-"))
    }

    /// The checks clap cannot express, for `count` names to fetch.
    fn check(&self, count: usize) -> Result<(), Failure> {
        let ranged = self.offset.is_some() || self.size.is_some();
        if count > 1 && ranged {
            return Err(Failure::usage(text::get().range_takes_one_name()));
        }
        if count > 1 && self.output.is_some() && !self.to_stdout() {
            return Err(Failure::usage(text::get().output_takes_one_name()));
        }
        if self.to_stdout() && (self.parallel > 1 || self.resume) {
            return Err(Failure::usage(text::get().stdout_cannot_resume()));
        }
        Ok(())
    }

    /// Where `name` goes: `-o OUT`, or DIR (default `.`) and the name,
    /// checked so that it cannot leave DIR.
    fn path_for(&self, name: &str) -> Result<PathBuf, Error> {
        match &self.output {
            Some(output) => Ok(output.clone()),
            None => local_path(self.output_dir.as_deref().unwrap_or(Path::new("")), name),
        }
    }
}

/// Downloads every NAME; a failed one is reported and the next is tried.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    args.check(args.names.len())?;
    let expanded = expand(args, session)?;
    let names: Vec<&str> = expanded
        .iter()
        .filter_map(|name| match name {
            Expanded::Name(name) => Some(name.as_str()),
            Expanded::NoMatch(_) => None,
        })
        .collect();
    args.check(names.len())?;
    if args.to_stdout() {
        if let Some(Expanded::NoMatch(pattern)) = expanded
            .iter()
            .find(|name| matches!(name, Expanded::NoMatch(_)))
        {
            return Err(no_match(pattern));
        }
        return to_stdout(args, &names, session);
    }
    // One rule for `-O DIR` and `-o DIR/FILE`: a missing folder is made.
    let folder = args.output_dir.as_deref().or_else(|| {
        let parent = args.output.as_deref().and_then(Path::parent)?;
        Some(parent).filter(|parent| !parent.as_os_str().is_empty())
    });
    if let Some(dir) = folder {
        fs::create_dir_all(dir).map_err(|error| {
            Failure::from(Error::File {
                path: dir.to_path_buf(),
                source: error,
            })
        })?;
    }
    let mut tally = Tally::default();
    for name in &expanded {
        let name = match name {
            Expanded::Name(name) => name,
            Expanded::NoMatch(pattern) => {
                tally.record(no_match(pattern))?;
                continue;
            }
        };
        if let Err(error) = fetch(args, name, session) {
            let stop = matches!(error, Error::Interrupted | Error::Connect { .. });
            let failure = match error {
                Error::Interrupted => interrupted(args, name),
                error if error.is_interruption() => kept(args, name, error),
                error => Failure::from(error),
            };
            tally.record(failure)?;
            if stop {
                break;
            }
        }
    }
    tally.finish()
}

/// The NAMEs, each pattern replaced by the listed names it matches; the
/// listing is asked only when a NAME holds a glob character.
fn expand(args: &Args, session: &mut Session) -> Result<Vec<Expanded>, Failure> {
    if !pattern::has_glob(&args.names) {
        return Ok(args.names.iter().cloned().map(Expanded::Name).collect());
    }
    let listing = session.conn.client()?.list()?;
    Ok(pattern::expand(&args.names, &listing))
}

/// A pattern no listed name matches: exit 4, as for a missing file.
fn no_match(pattern: &str) -> Failure {
    Failure::Error {
        exit: Exit::Refused,
        message: text::get().no_match(pattern),
    }
}

/// Downloads one file to its path.
fn fetch(args: &Args, name: &str, session: &mut Session) -> Result<(), Error> {
    let path = args.path_for(name)?;
    let started = Instant::now();
    connect(args, session, name, true)?;
    let client = session.conn.pipelined(name)?;
    let outcome = Download::new(name, &path)
        .range(args.offset.unwrap_or(0), args.size)
        .force(args.force)
        .resume(args.resume)
        .restart_if_changed(args.restart_if_changed)
        .parallel(usize::from(args.parallel))
        .retries(args.retry)
        .retry_deadline(Some(args.retry_max_time).filter(|limit| !limit.is_zero()))
        .progress(&session.bar)
        .cancel(&session.cancel)
        .run(client)?;
    report(session, name, &path, &outcome, started);
    Ok(())
}

/// Notices about a finished download.
fn report(session: &Session, name: &str, path: &Path, outcome: &Outcome, started: Instant) {
    if let Some(len) = outcome.discarded_part {
        session.notice(&text::get().started_over(name, len, path));
    }
    if outcome.already_complete {
        session.notice(&text::get().already_complete(path));
        return;
    }
    session
        .bar
        .summary(&path.display().to_string(), outcome.fetched, started);
}

/// Ctrl-C during a download: the `.part` file stays for `--continue`.
fn interrupted(args: &Args, name: &str) -> Failure {
    let message = match part_of(args, name) {
        Some(part) => text::get().interrupted_kept(&part),
        None => text::get().interrupted(),
    };
    Failure::Error {
        exit: Exit::Interrupted,
        message,
    }
}

/// A connection lost for good: the error, and the `.part` file that
/// stays for `--continue`.
fn kept(args: &Args, name: &str, error: Error) -> Failure {
    let exit = Exit::of(&error);
    let words = text::get();
    let message = match part_of(args, name) {
        Some(part) => words.lost_kept(name, &words.error(&error), &part),
        None => words.named(name, &words.error(&error)),
    };
    Failure::Error { exit, message }
}

/// The `.part` file of `name`'s download, if there is one.
fn part_of(args: &Args, name: &str) -> Option<PathBuf> {
    let path = args.path_for(name).ok()?;
    let part = Download::new(name, &path).part_path();
    part.exists().then_some(part)
}

/// Opens the connection (checked for pipelining if `pipelined`), trying
/// again as `--retry` allows when it fails on the way: a server
/// restarting, an onion service not yet published, a proxy coming back.
fn connect(args: &Args, session: &mut Session, name: &str, pipelined: bool) -> Result<(), Error> {
    let mut attempt = 0;
    loop {
        let result = if pipelined {
            session.conn.pipelined(name).map(drop)
        } else {
            session.conn.client().map(drop)
        };
        match result {
            Err(error) if error.is_interruption() && attempt < args.retry => {
                attempt += 1;
                pause_before_retry(args, session, name, (attempt, &error, 0));
            }
            other => return other,
        }
    }
}

/// Says why retry number `attempt` comes, after `error` with `have` bytes
/// kept, and waits as a download does before it.
fn pause_before_retry(
    args: &Args,
    session: &Session,
    name: &str,
    (attempt, error, have): (u32, &Error, u64),
) {
    let delay = Download::retry_delay(attempt);
    let retry = Retrying::new(attempt, args.retry, error, have, delay);
    session.bar.retrying(name, &retry);
    std::thread::sleep(delay);
}

/// `-o -`: every NAME (or the range) to stdout, in order; stops at the
/// first error, since what follows would be misplaced. A connection lost
/// on the way is opened again as `--retry` allows, and the range goes on
/// from the last byte written, once the file's size is seen unchanged.
fn to_stdout(args: &Args, names: &[&str], session: &mut Session) -> Result<(), Failure> {
    let mut out = BufWriter::with_capacity(256 << 10, raw_stdout()?);
    for &name in names {
        connect(args, session, name, false)?;
        let file_size = session.conn.client()?.metadata(name)?;
        let offset = args.offset.unwrap_or(0);
        let size = args
            .size
            .unwrap_or_else(|| file_size.saturating_sub(offset));
        if hftp_proto::check_range(offset, size, file_size).is_err() {
            return Err(Error::BadRange {
                offset,
                size,
                file_size,
            }
            .into());
        }
        session.bar.begin(name, size, 0);
        let result = stream_range(args, session, name, (offset, size, file_size), &mut out);
        session.bar.end();
        result?;
    }
    out.flush().map_err(Failure::stdout)
}

/// The range `(offset, size)` of `name` (`file_size` bytes) into `out`,
/// retried from the last byte written after an interruption.
fn stream_range(
    args: &Args,
    session: &mut Session,
    name: &str,
    (offset, size, file_size): (u64, u64, u64),
    out: &mut impl Write,
) -> Result<(), Failure> {
    let mut written = 0;
    let mut attempt = 0;
    // Binary bytes would garble a terminal, as curl knows.
    let refuse_binary = !args.force && io::stdout().is_terminal();
    loop {
        let (from, left) = (offset + written, size - written);
        let mut binary_refused = false;
        let mut sink = Counted {
            out: &mut *out,
            bar: &session.bar,
            written: &mut written,
            refuse_binary,
            binary_refused: &mut binary_refused,
        };
        let result = session
            .conn
            .client()
            .and_then(|client| client.slice_to(name, from, left, &mut sink));
        let error = match result {
            Ok(()) => return Ok(()),
            Err(_) if binary_refused => {
                return Err(Failure::usage(text::get().binary_on_terminal(name)));
            }
            Err(error) if error.is_interruption() && attempt < args.retry => error,
            Err(error) => return Err(error.into()),
        };
        attempt += 1;
        pause_before_retry(args, session, name, (attempt, &error, written));
        connect(args, session, name, false)?;
        let now = session.conn.client()?.metadata(name)?;
        if now != file_size {
            return Err(Failure::Error {
                exit: Exit::Changed,
                message: text::get().changed_on_stdout(name, file_size, now, written),
            });
        }
    }
}

/// Stdout as a plain file: std's `Stdout` is line-buffered and would cut
/// binary data at every newline.
fn raw_stdout() -> Result<File, Failure> {
    io::stdout().flush().map_err(Failure::stdout)?;
    let fd = io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map_err(Failure::stdout)?;
    Ok(File::from(fd))
}

/// Stdout, counting the bytes written and the progress; refusing bytes
/// with a NUL in them when `refuse_binary` is set.
struct Counted<'a, W> {
    out: &'a mut W,
    bar: &'a dyn Progress,
    written: &'a mut u64,
    refuse_binary: bool,
    /// Set when bytes were refused.
    binary_refused: &'a mut bool,
}

impl<W: Write> Write for Counted<'_, W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.refuse_binary && bytes.contains(&0) {
            *self.binary_refused = true;
            return Err(io::Error::new(io::ErrorKind::InvalidData, "binary data"));
        }
        let written = self.out.write(bytes)?;
        *self.written += written as u64;
        self.bar.advance(written as u64);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
