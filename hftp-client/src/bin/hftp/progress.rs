//! The progress bar: on stderr, only when it is a terminal.

use std::io::{self, IsTerminal, Write};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use hftp_client::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar's layout: name, bar, bytes, rate, ETA.
const TEMPLATE: &str =
    "{msg:.bold} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta}";

/// A progress bar per download, or nothing at all.
#[derive(Debug)]
pub(crate) struct Bar {
    enabled: bool,
    current: Mutex<Option<(ProgressBar, Instant)>>,
}

impl Bar {
    /// A bar that draws only if `wanted` and stderr is a terminal.
    pub(crate) fn new(wanted: bool) -> Self {
        Self {
            enabled: wanted && io::stderr().is_terminal(),
            current: Mutex::new(None),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Option<(ProgressBar, Instant)>) -> T) -> T {
        f(&mut self.current.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Prints a summary line after a bar.
    pub(crate) fn summary(&self, name: &str, bytes: u64, started: Instant) {
        if self.enabled {
            let secs = started.elapsed().as_secs_f64();
            let rate = bytes as f64 / secs.max(1e-6) / f64::from(1 << 20);
            let _ = writeln!(
                io::stderr(),
                "hftp: {name}: {bytes} bytes in {secs:.2} s ({rate:.1} MiB/s)"
            );
        }
    }
}

impl Progress for Bar {
    fn begin(&self, name: &str, total: u64, done: u64) {
        if !self.enabled {
            return;
        }
        let style =
            ProgressStyle::with_template(TEMPLATE).unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style.progress_chars("=> "))
            .with_message(name.to_owned())
            .with_position(done);
        self.with(|current| *current = Some((bar, Instant::now())));
    }

    fn advance(&self, bytes: u64) {
        self.with(|current| {
            if let Some((bar, _)) = current {
                bar.inc(bytes);
            }
        });
    }

    fn end(&self) {
        self.with(|current| {
            if let Some((bar, _)) = current.take() {
                bar.finish_and_clear();
            }
        });
    }
}
