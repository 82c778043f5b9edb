//! Result lines (`key=value ...` or JSON) and latency percentiles.

use std::fmt::Write as _;
use std::time::Duration;

/// One value of a result line.
enum Field {
    Int(u64),
    Float(f64, usize),
    Text(String),
}

/// One result line: a mode and its figures, in order.
pub(crate) struct Line {
    mode: &'static str,
    fields: Vec<(&'static str, Field)>,
}

impl Line {
    /// A line for `mode`.
    pub(crate) const fn new(mode: &'static str) -> Self {
        Self {
            mode,
            fields: Vec::new(),
        }
    }

    /// Adds a count.
    pub(crate) fn int(mut self, key: &'static str, value: u64) -> Self {
        self.fields.push((key, Field::Int(value)));
        self
    }

    /// Adds a measure with `decimals` digits after the point.
    pub(crate) fn float(mut self, key: &'static str, value: f64, decimals: usize) -> Self {
        self.fields.push((key, Field::Float(value, decimals)));
        self
    }

    /// Adds a word.
    pub(crate) fn text(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.fields.push((key, Field::Text(value.into())));
        self
    }

    /// Adds a duration in microseconds.
    pub(crate) fn micros(self, key: &'static str, value: Duration) -> Self {
        self.float(key, value.as_secs_f64() * 1e6, 1)
    }

    /// The line as `mode key=value ...`.
    pub(crate) fn render_text(&self) -> String {
        let mut out = String::from(self.mode);
        for (key, value) in &self.fields {
            let _ = match value {
                Field::Int(v) => write!(out, " {key}={v}"),
                Field::Float(v, d) => write!(out, " {key}={v:.d$}"),
                Field::Text(v) => write!(out, " {key}={v}"),
            };
        }
        out
    }

    /// The line as one JSON object.
    pub(crate) fn render_json(&self) -> String {
        let mut out = format!("{{\"mode\":\"{}\"", self.mode);
        for (key, value) in &self.fields {
            let _ = match value {
                Field::Int(v) => write!(out, ",\"{key}\":{v}"),
                Field::Float(v, d) if v.is_finite() => write!(out, ",\"{key}\":{v:.d$}"),
                Field::Float(..) => write!(out, ",\"{key}\":null"),
                Field::Text(v) => write!(out, ",\"{key}\":{}", crate::check::quote(v)),
            };
        }
        out.push('}');
        out
    }

    /// Prints the line on stdout.
    pub(crate) fn print(&self, json: bool) {
        if json {
            println!("{}", self.render_json());
        } else {
            println!("{}", self.render_text());
        }
    }
}

/// Megabytes (10^6 bytes) per second.
pub(crate) fn mb_per_sec(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / took.as_secs_f64().max(1e-9) / 1e6
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
        let line = Line::new("x")
            .int("n", 3)
            .float("r", 1.5, 2)
            .text("t", "a\"b");
        assert_eq!(line.render_text(), "x n=3 r=1.50 t=a\"b");
        assert_eq!(
            line.render_json(),
            "{\"mode\":\"x\",\"n\":3,\"r\":1.50,\"t\":\"a\\\"b\"}"
        );
    }
}
