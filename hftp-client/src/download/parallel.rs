//! A range fetched over several connections at once, each writing its
//! own part of the range at its offset in one shared file.

use std::fs::File;
use std::io::{self, Write};
use std::net::TcpStream;
use std::os::unix::fs::FileExt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use super::Download;
use crate::{CancelToken, Client, Error};

/// How long an extra connection may take to answer its first request
/// before the download goes on without it: a server that serves one
/// client at a time leaves it in its listen queue forever.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// Up to `count` more connections to the server of `main`, each of
/// which answered the size of `name` in time; the others (refused, at
/// the server's connection limit, never served) are left out.
pub(super) fn extra_connections(
    main: &Client<TcpStream>,
    name: &str,
    count: usize,
) -> Vec<Client<TcpStream>> {
    let opened: Vec<Client<TcpStream>> = (0..count)
        .filter_map(|_| {
            main.reconnect()
                .map_err(|e| log::debug!("an extra connection: {e}"))
                .ok()
        })
        .collect();
    let served: Vec<Client<TcpStream>> = thread::scope(|scope| {
        let probes: Vec<_> = opened
            .into_iter()
            .map(|client| scope.spawn(move || probe(client, name)))
            .collect();
        probes
            .into_iter()
            .filter_map(|probe| probe.join().ok().flatten())
            .collect()
    });
    let missing = count - served.len();
    if missing > 0 {
        log::warn!(
            "{name}: {missing} more connection{} not served within {} s (a server of one client at a time?); going on with {}",
            if missing == 1 { " was" } else { "s were" },
            PROBE_TIMEOUT.as_secs(),
            served.len() + 1
        );
    }
    served
}

/// The connection, if it answers `get_metadata name` within
/// [`PROBE_TIMEOUT`].
fn probe(mut client: Client<TcpStream>, name: &str) -> Option<Client<TcpStream>> {
    match client.with_read_timeout(PROBE_TIMEOUT, |client| client.metadata(name)) {
        Ok(_) => Some(client),
        Err(error) => {
            log::debug!("an extra connection is not served: {error}");
            None
        }
    }
}

/// `len` bytes from `start` cut into `count` ranges of nearly equal size.
pub(super) fn split(start: u64, len: u64, count: usize) -> Vec<(u64, u64)> {
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

/// A parallel fetch in progress.
pub(super) struct Parallel<'a> {
    /// The download.
    pub(super) download: &'a Download<'a>,
    /// The shared file.
    pub(super) file: &'a File,
    /// Each connection's range, relative to the download's.
    pub(super) ranges: &'a [(u64, u64)],
    /// Cancelled when one range fails, to stop the others.
    pub(super) stop: CancelToken,
}

impl Parallel<'_> {
    /// Runs one thread per range (the first on `main`); on failure returns
    /// the first error and the length of the file's complete prefix.
    pub(super) fn run(
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
    use super::split;

    #[test]
    fn split_covers_the_range_in_order() {
        assert_eq!(split(10, 10, 3), [(10, 4), (14, 3), (17, 3)]);
        assert_eq!(split(0, 2, 1), [(0, 2)]);
    }
}
