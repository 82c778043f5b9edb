//! What a mode measured (printed as `key=value ...` or JSON), and
//! latency percentiles.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crate::Error;
use crate::json::quote;
use crate::pipeline::Step;

/// One figure of a [`Measurement`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// A count.
    Int(u64),
    /// A measure, printed with a fixed number of decimals.
    Float(f64),
    /// A word.
    Text(String),
}

/// A figure under its key; `decimals` for a [`Value::Float`].
#[derive(Clone, Debug)]
struct Field {
    key: &'static str,
    value: Value,
    decimals: usize,
}

/// What one mode measured: its figures in order, and the first wrong
/// answers it saw, described.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Measurement {
    mode: &'static str,
    fields: Vec<Field>,
    problems: Vec<String>,
}

impl Measurement {
    /// At most this many wrong answers are described.
    pub const MAX_PROBLEMS: usize = 50;

    /// A measurement of `mode`, with no figure yet.
    pub(crate) const fn new(mode: &'static str) -> Self {
        Self {
            mode,
            fields: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The mode: `slice`, `meta`, `idle`, `soak`, `stall` or `ceiling`.
    #[must_use]
    pub const fn mode(&self) -> &'static str {
        self.mode
    }

    /// The figure under `key`, e.g. `MB/s`, `wrong`, `p99_us`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|field| field.key == key)
            .map(|field| &field.value)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|field| field.key)
    }

    /// How many answers were wrong (a wrong size, status or body, a lost
    /// connection); 0 for a mode that checks none.
    #[must_use]
    pub fn wrong(&self) -> u64 {
        match self.get("wrong") {
            Some(Value::Int(wrong)) => *wrong,
            _ => 0,
        }
    }

    /// The first wrong answers (at most [`MAX_PROBLEMS`](Self::MAX_PROBLEMS)),
    /// each described on one line.
    #[must_use]
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Adds a count.
    pub(crate) fn int(self, key: &'static str, value: u64) -> Self {
        self.with(key, Value::Int(value), 0)
    }

    /// Adds a measure with `decimals` digits after the point.
    pub(crate) fn float(self, key: &'static str, value: f64, decimals: usize) -> Self {
        self.with(key, Value::Float(value), decimals)
    }

    /// Adds a word.
    pub(crate) fn text(self, key: &'static str, value: impl Into<String>) -> Self {
        self.with(key, Value::Text(value.into()), 0)
    }

    /// Adds a duration in microseconds.
    pub(crate) fn micros(self, key: &'static str, value: Duration) -> Self {
        self.float(key, value.as_secs_f64() * 1e6, 1)
    }

    /// Adds descriptions of wrong answers, up to the limit.
    pub(crate) fn problems_from(mut self, problems: impl IntoIterator<Item = String>) -> Self {
        let room = Self::MAX_PROBLEMS.saturating_sub(self.problems.len());
        self.problems.extend(problems.into_iter().take(room));
        self
    }

    fn with(mut self, key: &'static str, value: Value, decimals: usize) -> Self {
        self.fields.push(Field {
            key,
            value,
            decimals,
        });
        self
    }

    /// The line for people: `mode key=value ...`.
    #[must_use]
    pub fn text_line(&self) -> String {
        self.render(self.mode.to_owned(), |out, key, value, d| match value {
            Value::Int(v) => write!(out, " {key}={v}"),
            Value::Float(v) => write!(out, " {key}={v:.d$}"),
            Value::Text(v) => write!(out, " {key}={v}"),
        })
    }

    /// The line for machines: one JSON object, `{"mode":...,KEY:VALUE...}`.
    #[must_use]
    pub fn json_line(&self) -> String {
        let start = format!("{{\"mode\":\"{}\"", self.mode);
        let mut out = self.render(start, |out, key, value, d| match value {
            Value::Int(v) => write!(out, ",\"{key}\":{v}"),
            Value::Float(v) if v.is_finite() => write!(out, ",\"{key}\":{v:.d$}"),
            Value::Float(_) => write!(out, ",\"{key}\":null"),
            Value::Text(v) => write!(out, ",\"{key}\":{}", quote(v)),
        });
        out.push('}');
        out
    }

    /// `start`, then every field as `field` writes it.
    fn render(
        &self,
        mut out: String,
        field: impl Fn(&mut String, &str, &Value, usize) -> std::fmt::Result,
    ) -> String {
        for Field {
            key,
            value,
            decimals,
        } in &self.fields
        {
            // Writing into a String cannot fail.
            let _ = field(&mut out, key, value, *decimals);
        }
        out
    }
}

/// Megabytes (10^6 bytes) per second.
pub(crate) fn mb_per_sec(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / took.as_secs_f64().max(1e-9) / 1e6
}

/// What a set of `get_metadata` requests got: latencies, wrong answers,
/// and the first few of those described.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// The latency of every answer.
    pub(crate) latencies: Latencies,
    /// Wrong answers, lost ones included.
    pub(crate) wrong: u64,
    /// The first wrong answers, described.
    pub(crate) problems: Vec<String>,
}

impl Tally {
    /// Records the answer `step` to a request sent at `sent_at`: right if
    /// it is the expected size.
    pub(crate) fn answer(&mut self, step: &Step, size: u64, sent_at: Option<Instant>) {
        if *step != Step::Size(size) {
            self.wrong += 1;
            self.problem(format!("expected the size {size}, got {step:?}"));
        }
        if let Some(at) = sent_at {
            self.latencies.push(at.elapsed());
        }
    }

    /// Records `count` requests lost with their connection.
    pub(crate) fn lost(&mut self, count: u64, error: &Error) {
        self.wrong += count;
        self.problem(format!("{count} requests lost: {error}"));
    }

    fn problem(&mut self, problem: String) {
        if self.problems.len() < Measurement::MAX_PROBLEMS {
            self.problems.push(problem);
        }
    }
}

/// Latencies in nanoseconds, sorted once, asked for percentiles.
#[derive(Debug, Default)]
pub(crate) struct Latencies {
    nanos: Vec<u64>,
    sorted: bool,
}

impl Latencies {
    /// Records one latency.
    pub(crate) fn push(&mut self, latency: Duration) {
        self.nanos
            .push(u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX));
        self.sorted = false;
    }

    /// How many were recorded.
    pub(crate) fn len(&self) -> usize {
        self.nanos.len()
    }

    /// The `p`-th percentile (0 to 100), nearest rank.
    pub(crate) fn percentile(&mut self, p: f64) -> Duration {
        if !self.sorted {
            self.nanos.sort_unstable();
            self.sorted = true;
        }
        let Some(last) = self.nanos.len().checked_sub(1) else {
            return Duration::ZERO;
        };
        let rank = ((p / 100.0) * last as f64).round() as usize;
        Duration::from_nanos(self.nanos[rank.min(last)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let mut l = Latencies::default();
        for n in 1..=100 {
            l.push(Duration::from_nanos(n));
        }
        assert_eq!(l.percentile(0.0), Duration::from_nanos(1));
        assert_eq!(l.percentile(50.0), Duration::from_nanos(51));
        assert_eq!(l.percentile(100.0), Duration::from_nanos(100));
        assert_eq!(Latencies::default().percentile(99.0), Duration::ZERO);
    }

    #[test]
    fn lines_render_as_text_and_json() {
        let line = Measurement::new("x")
            .int("n", 3)
            .float("r", 1.5, 2)
            .text("t", "a\"b");
        assert_eq!(line.text_line(), "x n=3 r=1.50 t=a\"b");
        assert_eq!(
            line.json_line(),
            "{\"mode\":\"x\",\"n\":3,\"r\":1.50,\"t\":\"a\\\"b\"}"
        );
    }
}
