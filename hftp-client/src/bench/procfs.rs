//! The server's resident memory and open descriptors, from /proc.

use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// A process's resident set and open descriptors at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Usage {
    /// Resident memory, KiB (`VmRSS`).
    pub(crate) rss_kib: u64,
    /// Open file descriptors.
    pub(crate) fds: u64,
}

/// Reads the usage of `pid`; `None` if /proc cannot tell.
pub(crate) fn usage(pid: u32) -> Option<Usage> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())?;
    let fds = fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count() as u64;
    Some(Usage { rss_kib, fds })
}

/// Samples a process every few milliseconds and keeps the peaks.
pub(crate) struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Usage>,
}

impl Sampler {
    /// Starts sampling `pid`.
    pub(crate) fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = thread::spawn(move || {
            let mut peak = Usage::default();
            while !flag.load(Ordering::Relaxed) {
                if let Some(now) = usage(pid) {
                    peak.rss_kib = peak.rss_kib.max(now.rss_kib);
                    peak.fds = peak.fds.max(now.fds);
                }
                thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        Self { stop, thread }
    }

    /// Stops and returns the peaks.
    pub(crate) fn finish(self) -> Usage {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}

/// Waits up to `limit` for the descriptors of `pid` to fall back to
/// `baseline`; returns the usage then.
pub(crate) fn settle(pid: u32, baseline: u64, limit: Duration) -> Option<Usage> {
    let until = Instant::now() + limit;
    loop {
        let now = usage(pid)?;
        if now.fds <= baseline || Instant::now() >= until {
            return Some(now);
        }
        thread::sleep(Duration::from_millis(50));
    }
}
