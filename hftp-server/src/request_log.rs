//! The access log: one line per request at `info`.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use hftp_proto::{Code, Form, Request};

/// The longest part of a name the log shows, in characters.
const NAME_SHOWN: usize = 64;

/// A name for a log line: quoted, escaped, cut at [`NAME_SHOWN`]
/// characters with an ellipsis.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars().take(NAME_SHOWN) {
            write!(f, "{}", c.escape_debug())?;
        }
        if self.0.chars().nth(NAME_SHOWN).is_some() {
            f.write_str("…")?;
        }
        f.write_str("\"")
    }
}

/// A name that may not be UTF-8, for debug lines.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EscapedBytes<'a>(pub(crate) &'a [u8]);

impl fmt::Display for EscapedBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = &self.0[..self.0.len().min(NAME_SHOWN * 4)];
        write!(f, "\"{}\"", shown.escape_ascii())?;
        if shown.len() < self.0.len() {
            f.write_str("…")
        } else {
            Ok(())
        }
    }
}

/// What a log line says the request was.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Asked<'a> {
    command: &'static str,
    name: Option<&'a str>,
    /// A slice's offset, size and form.
    range: Option<(u64, u64, Form)>,
}

impl<'a> Asked<'a> {
    /// A valid request.
    pub(crate) fn request(request: &Request<'a>) -> Self {
        let (name, range) = match *request {
            Request::Metadata { name } => (Some(name), None),
            Request::Slice {
                name,
                offset,
                size,
                form,
            } => (Some(name), Some((offset, size, form))),
            Request::FileListing | Request::Help | Request::Quit => (None, None),
        };
        Self {
            command: request.command().name(),
            name,
            range,
        }
    }

    /// A line the core rejected: its command is not known here.
    pub(crate) const fn rejected() -> Self {
        Self {
            command: "-",
            name: None,
            range: None,
        }
    }
}

/// How a request ended, for its log line.
#[derive(Clone, Copy)]
pub(crate) enum Outcome<'a> {
    /// A reply with this status was written or queued.
    Answered(Code),
    /// The body was cut for this reason and the connection closes.
    Cut(&'a dyn fmt::Display),
}

/// A slice's range at the end of its log line, so a resume shows:
/// ` offset N size M`, and ` raw` for a raw body.
struct Range(Option<(u64, u64, Form)>);

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((offset, size, form)) = self.0 else {
            return Ok(());
        };
        write!(f, " offset {offset} size {size}")?;
        if form == Form::Raw {
            f.write_str(" raw")?;
        }
        Ok(())
    }
}

/// Logs one request: peer, command, name, status, bytes, duration, and a
/// slice's range.
pub(crate) fn request(
    peer: SocketAddr,
    asked: Asked<'_>,
    outcome: Outcome<'_>,
    bytes: u64,
    took: Duration,
) {
    if !log::log_enabled!(log::Level::Info) {
        return;
    }
    let millis = took.as_secs_f64() * 1000.0;
    let range = Range(asked.range);
    let name = asked.name.map(Escaped);
    let name: &dyn fmt::Display = match &name {
        Some(name) => name,
        None => &"-",
    };
    match outcome {
        Outcome::Answered(code) => {
            log::info!(
                "{peer} {} {name} {} {bytes} B {millis:.3} ms{range}",
                asked.command,
                code.number()
            );
        }
        Outcome::Cut(why) => {
            log::info!(
                "{peer} {} {name} 0 cut ({why}) {bytes} B {millis:.3} ms{range}",
                asked.command
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_cut() {
        assert_eq!(Escaped("hola.txt").to_string(), "\"hola.txt\"");
        assert_eq!(Escaped("a\"b").to_string(), "\"a\\\"b\"");
        let long = "x".repeat(100);
        assert_eq!(
            Escaped(&long).to_string(),
            format!("\"{}…\"", "x".repeat(64))
        );
        assert_eq!(EscapedBytes(b"a\nb\xff").to_string(), "\"a\\nb\\xff\"");
    }
}
