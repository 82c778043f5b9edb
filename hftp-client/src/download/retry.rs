//! Trying again after an interrupted connection: when, how long to wait,
//! and how to say what happened.

use std::fmt;
use std::thread;
use std::time::{Duration, Instant};

use crate::{CancelToken, Error};

/// The first pause before a retry; each further one doubles, up to
/// [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_millis(250);
/// The longest pause between two attempts.
const MAX_DELAY: Duration = Duration::from_secs(8);

/// An interrupted attempt that is about to be retried.
#[derive(Debug)]
#[non_exhaustive]
pub struct Retrying<'a> {
    /// This retry's number, from 1.
    pub attempt: u32,
    /// The most retries allowed.
    pub retries: u32,
    /// What interrupted the last attempt.
    pub error: &'a Error,
    /// The bytes of the download already on disk, kept and checked again
    /// before the next attempt appends to them.
    pub have: u64,
    /// The pause before the next attempt.
    pub delay: Duration,
}

impl<'a> Retrying<'a> {
    /// Retry number `attempt` (from 1) of at most `retries`, after
    /// `error`, with `have` bytes kept, before a pause of `delay`.
    #[must_use]
    pub const fn new(
        attempt: u32,
        retries: u32,
        error: &'a Error,
        have: u64,
        delay: Duration,
    ) -> Self {
        Self {
            attempt,
            retries,
            error,
            have,
            delay,
        }
    }
}

impl fmt::Display for Retrying<'_> {
    /// `the server closed the connection after 312.0 MiB; retrying in
    /// 0.5 s (1/5)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cause = match self.error {
            Error::Disconnected | Error::ShortBody { .. } => {
                "the server closed the connection".to_owned()
            }
            Error::Network(source) => format!("the connection was lost ({source})"),
            Error::Timeout(_) => "the server went silent".to_owned(),
            Error::Connect { source, .. } => format!("cannot connect again ({source})"),
            Error::Refused { code, .. } => {
                format!("the server turned the connection away ({code})")
            }
            other => other.to_string(),
        };
        f.write_str(&cause)?;
        if self.have > 0 && !matches!(self.error, Error::Connect { .. }) {
            write!(f, " after {}", Bytes(self.have))?;
        }
        write!(
            f,
            "; retrying in {:.2} s ({}/{})",
            self.delay.as_secs_f64(),
            self.attempt,
            self.retries
        )
    }
}

/// The pause before retry number `attempt` (from 1): 0.25 s, doubling,
/// at most 8 s.
pub(super) fn delay(attempt: u32) -> Duration {
    FIRST_DELAY
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(MAX_DELAY)
}

/// True if there is time for a pause of `delay` and another attempt
/// before `deadline`.
pub(super) fn in_time(deadline: Option<Instant>, delay: Duration) -> bool {
    deadline.is_none_or(|deadline| Instant::now() + delay < deadline)
}

/// Sleeps `delay`, waking early with [`Error::Interrupted`] on cancel.
pub(super) fn pause(delay: Duration, cancel: Option<&CancelToken>) -> Result<(), Error> {
    let until = Instant::now() + delay;
    loop {
        if cancel.is_some_and(CancelToken::is_cancelled) {
            return Err(Error::Interrupted);
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        thread::sleep(left.min(Duration::from_millis(50)));
    }
}

/// A byte count for people: `41 B`, `29.3 KiB`, `312.0 MiB`, `1.50 GiB`.
#[derive(Clone, Copy, Debug)]
pub struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KIB: f64 = 1024.0;
        let n = self.0 as f64;
        match self.0 {
            0..1024 => write!(f, "{} B", self.0),
            1024..0x10_0000 => write!(f, "{:.1} KiB", n / KIB),
            0x10_0000..0x4000_0000 => write!(f, "{:.1} MiB", n / KIB / KIB),
            _ => write!(f, "{:.2} GiB", n / KIB / KIB / KIB),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_a_limit() {
        let delays: Vec<u128> = (1..=7).map(|n| delay(n).as_millis()).collect();
        assert_eq!(delays, [250, 500, 1000, 2000, 4000, 8000, 8000]);
        assert_eq!(delay(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn bytes_read_as_people_say_them() {
        let shown: Vec<String> = [41, 30_000, 327_155_712, 3 << 29]
            .map(|n| Bytes(n).to_string())
            .into();
        assert_eq!(shown, ["41 B", "29.3 KiB", "312.0 MiB", "1.50 GiB"]);
    }

    #[test]
    fn a_retry_says_what_happened_in_plain_words() {
        let error = Error::ShortBody {
            received: 5,
            expected: 9,
        };
        let retry = Retrying {
            attempt: 1,
            retries: 5,
            error: &error,
            have: 327_155_712,
            delay: Duration::from_millis(250),
        };
        assert_eq!(
            retry.to_string(),
            "the server closed the connection after 312.0 MiB; retrying in 0.25 s (1/5)"
        );
    }
}
