//! The progress bar: on stderr, only when it is a terminal.

use std::collections::VecDeque;
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use hftp_client::download::Bytes;
use hftp_client::{Progress, Retrying};
use indicatif::style::ProgressTracker;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::text;

/// The bar's layout: name, bar, bytes, then the rate and ETA (or how long
/// nothing came, see [`Speed`]).
const TEMPLATE: &str = "{msg:.bold} [{bar:30}] {binary_bytes}/{binary_total_bytes} {speed}";

/// How often the bar is drawn again when no byte comes, so the rate falls
/// and a stall shows.
const REDRAW: Duration = Duration::from_millis(250);

/// The rate is that of the bytes of the last this long.
const WINDOW: Duration = Duration::from_secs(3);

/// After this long without a byte the bar says `stalled`, as curl and
/// wget do.
const STALLED: Duration = Duration::from_secs(3);

/// The rate over the last [`WINDOW`] and the ETA it gives; or, after
/// [`STALLED`] without a byte, how long nothing came.
#[derive(Clone, Debug, Default)]
struct Speed {
    /// `(when, position)` samples of the last [`WINDOW`].
    samples: VecDeque<(Instant, u64)>,
    /// When the position last changed, and to what.
    moved: Option<(Instant, u64)>,
}

impl ProgressTracker for Speed {
    fn clone_box(&self) -> Box<dyn ProgressTracker> {
        Box::new(self.clone())
    }

    fn tick(&mut self, state: &ProgressState, now: Instant) {
        let pos = state.pos();
        if self.moved.is_none_or(|(_, at)| at != pos) {
            self.moved = Some((now, pos));
        }
        self.samples.push_back((now, pos));
        while self
            .samples
            .front()
            .is_some_and(|(when, _)| now.saturating_duration_since(*when) > WINDOW)
        {
            self.samples.pop_front();
        }
    }

    fn reset(&mut self, _: &ProgressState, _: Instant) {
        *self = Self::default();
    }

    fn write(&self, state: &ProgressState, w: &mut dyn fmt::Write) {
        let (Some(&(first, from)), Some(&(last, _)), Some((moved, _))) =
            (self.samples.front(), self.samples.back(), self.moved)
        else {
            return;
        };
        let silent = last.saturating_duration_since(moved);
        if silent >= STALLED {
            let _ = w.write_str(&text::get().stalled(silent.as_secs()));
            return;
        }
        let took = last.saturating_duration_since(first).as_secs_f64();
        let rate = if took > 0.0 {
            (state.pos() - from) as f64 / took
        } else {
            0.0
        };
        let left = state.len().unwrap_or(0).saturating_sub(state.pos());
        let eta = if rate >= 1.0 {
            format!("{}s", (left as f64 / rate).ceil() as u64)
        } else {
            "?".to_owned()
        };
        let rate = Bytes(rate as u64).to_string();
        let _ = w.write_str(&text::get().rate_and_eta(&rate, &eta));
    }
}

/// A progress bar per download, or nothing at all; and the notices a
/// download gives on its way (a resume, a retry), unless quiet.
#[derive(Debug)]
pub(crate) struct Bar {
    enabled: bool,
    notices: bool,
    current: Mutex<Option<(ProgressBar, Instant)>>,
}

impl Bar {
    /// A bar that draws only if `wanted` and stderr is a terminal;
    /// notices printed if `notices`.
    pub(crate) fn new(wanted: bool, notices: bool) -> Self {
        Self {
            enabled: wanted && io::stderr().is_terminal(),
            notices,
            current: Mutex::new(None),
        }
    }

    /// Prints a notice on its own line (above a bar, if one is drawn).
    fn notice(&self, message: &str) {
        if !self.notices {
            return;
        }
        self.with(|current| match current {
            Some((bar, _)) => bar.suspend(|| eprintln!("hftp: {message}")),
            None => eprintln!("hftp: {message}"),
        });
    }

    fn with<T>(&self, f: impl FnOnce(&mut Option<(ProgressBar, Instant)>) -> T) -> T {
        f(&mut self.current.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Prints a summary line after a bar: `f: 41 B in 1.2 ms (33.4
    /// KiB/s)`.
    pub(crate) fn summary(&self, name: &str, bytes: u64, started: Instant) {
        if self.enabled {
            let _ = writeln!(
                io::stderr(),
                "hftp: {name}: {}",
                transfer(bytes, started.elapsed())
            );
        }
    }
}

impl Progress for Bar {
    fn begin(&self, name: &str, total: u64, done: u64) {
        if !self.enabled {
            return;
        }
        let style = ProgressStyle::with_template(TEMPLATE)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("speed", Speed::default());
        let message = match done {
            0 => name.to_owned(),
            done => text::get().resumed_from(name, &Bytes(done).to_string()),
        };
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
            .with_style(style.progress_chars("=> "))
            .with_message(message)
            .with_position(done);
        // The bytes already on disk are not part of this transfer's rate.
        bar.reset_eta();
        bar.enable_steady_tick(REDRAW);
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

    fn resuming(&self, name: &str, at: u64) {
        self.notice(&text::get().resuming(name, at));
    }

    fn retrying(&self, name: &str, retry: &Retrying<'_>) {
        self.notice(&text::get().named(name, &text::get().retrying(retry)));
    }

    fn removed(&self, path: &std::path::Path, why: &str) {
        self.notice(&text::get().removed(path, why));
    }
}

/// `41 B in 1.2 ms (33.4 KiB/s)`, `312.0 MiB in 2.41 s (129.5 MiB/s)`.
fn transfer(bytes: u64, took: Duration) -> String {
    let secs = took.as_secs_f64();
    let time = if secs < 1.0 {
        format!("{:.1} ms", secs * 1e3)
    } else {
        format!("{secs:.2} s")
    };
    let rate = (bytes as f64 / secs.max(1e-6)) as u64;
    text::get().transfer(&Bytes(bytes).to_string(), &time, &Bytes(rate).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_reads_well_at_any_size() {
        assert_eq!(
            transfer(41, Duration::from_micros(1200)),
            "41 B in 1.2 ms (33.4 KiB/s)"
        );
        assert_eq!(
            transfer(327_155_712, Duration::from_millis(2410)),
            "312.0 MiB in 2.41 s (129.5 MiB/s)"
        );
    }
}
