//! Replies of tor's control port, decoded as their bytes arrive.
//!
//! A reply is one or more lines that share a three-digit status: mid
//! lines (`250-Key=Value`), data lines (`250+Key=` followed by a block of
//! lines that ends with a line holding a single `.`), and an end line
//! (`250 OK`). Asynchronous events have the same shape with a `6xx`
//! status (`650 HS_DESC UPLOADED ...`).
//!
//! [`ReplyDecoder`] is resumable and does no I/O: feed it what arrived,
//! it says how much it took and stops after one whole reply, so the
//! bytes of the next reply stay with the caller. The same bytes give the
//! same replies however they are split. Memory is bounded by
//! [`ReplyLimits`]: an endless line or an endless reply is an error once
//! it passes the limit, never a growing buffer.

use std::fmt;

/// The limits that bound a [`ReplyDecoder`]'s memory.
///
/// ```
/// use hftp_server::onion::reply::ReplyLimits;
/// let limits = ReplyLimits::default().max_line_len(4096);
/// assert_eq!(limits.max_line_len, 4096);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReplyLimits {
    /// The longest line, in bytes, its line ending included. Default
    /// 16 KiB: tor's longest line to the commands hftp-server sends
    /// (`ADD_ONION`'s key) is under 200 bytes. Stops a peer that never
    /// ends a line.
    pub max_line_len: usize,
    /// The most bytes in one reply, every line's ending included.
    /// Default 1 MiB. Stops a peer that never ends a reply.
    pub max_reply_len: usize,
    /// The most status lines in one reply (the lines of a data block do
    /// not count). Default 1024. Stops a reply of many tiny lines from
    /// costing much more memory than its bytes.
    pub max_lines: usize,
}

impl ReplyLimits {
    /// The default longest line: 16 KiB.
    pub const DEFAULT_MAX_LINE_LEN: usize = 16 * 1024;
    /// The default longest reply: 1 MiB.
    pub const DEFAULT_MAX_REPLY_LEN: usize = 1024 * 1024;
    /// The default most status lines in a reply: 1024.
    pub const DEFAULT_MAX_LINES: usize = 1024;

    /// Sets [`max_line_len`](Self::max_line_len).
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets [`max_reply_len`](Self::max_reply_len).
    #[must_use]
    pub const fn max_reply_len(mut self, bytes: usize) -> Self {
        self.max_reply_len = bytes;
        self
    }

    /// Sets [`max_lines`](Self::max_lines).
    #[must_use]
    pub const fn max_lines(mut self, lines: usize) -> Self {
        self.max_lines = lines;
        self
    }
}

impl Default for ReplyLimits {
    fn default() -> Self {
        Self {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
            max_reply_len: Self::DEFAULT_MAX_REPLY_LEN,
            max_lines: Self::DEFAULT_MAX_LINES,
        }
    }
}

/// Why the bytes are not a control-port reply. Every error is final: the
/// decoder returns it again for any later input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplyError {
    /// A line longer than [`ReplyLimits::max_line_len`].
    #[error("a reply line longer than {limit} bytes")]
    LineTooLong {
        /// The limit passed.
        limit: usize,
    },
    /// A reply longer than [`ReplyLimits::max_reply_len`].
    #[error("a reply longer than {limit} bytes")]
    ReplyTooLong {
        /// The limit passed.
        limit: usize,
    },
    /// A reply of more status lines than [`ReplyLimits::max_lines`].
    #[error("a reply of more than {limit} lines")]
    TooManyLines {
        /// The limit passed.
        limit: usize,
    },
    /// A line that does not begin with three digits and one of ` `, `-`
    /// or `+`.
    #[error("a line that is not a reply line: {start:?}")]
    NotAReplyLine {
        /// The line's first bytes (at most 32), lossily as text.
        start: String,
    },
    /// A line whose status differs from the first line's of its reply.
    #[error("a reply whose status changes from {first} to {then}")]
    StatusChanged {
        /// The status of the reply's first line.
        first: u16,
        /// The status of the line that differs.
        then: u16,
    },
}

/// One complete reply: its status and its lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    status: u16,
    lines: Vec<ReplyLine>,
}

impl Reply {
    /// The three-digit status every line of the reply carries.
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.status
    }

    /// True for a positive completion (`2xx`).
    #[must_use]
    pub const fn is_ok(&self) -> bool {
        self.status / 100 == 2
    }

    /// True for an asynchronous event (`6xx`), which answers no command.
    #[must_use]
    pub const fn is_event(&self) -> bool {
        self.status / 100 == 6
    }

    /// The lines, in order; the last is the end line.
    #[must_use]
    pub fn lines(&self) -> &[ReplyLine] {
        &self.lines
    }

    /// The end line's text: `OK`, or the reason of an error reply.
    #[must_use]
    pub fn text(&self) -> &str {
        self.lines.last().map_or("", |line| line.text.as_str())
    }

    /// The value of the first line whose text is `key=value`: the text
    /// after the `=` of a mid or end line, or the data block of a data
    /// line (its lines joined with `\n`).
    #[must_use]
    pub fn value(&self, key: &str) -> Option<&str> {
        self.lines.iter().find_map(|line| {
            let rest = line.text.strip_prefix(key)?.strip_prefix('=')?;
            Some(line.data.as_deref().unwrap_or(rest))
        })
    }

    /// The first line whose text begins with the word `keyword`, as
    /// `AUTH` in `250-AUTH METHODS=COOKIE`.
    #[must_use]
    pub fn line(&self, keyword: &str) -> Option<&ReplyLine> {
        self.lines.iter().find(|line| {
            line.text
                .strip_prefix(keyword)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
    }
}

impl fmt::Display for Reply {
    /// The status and the end line's text, as `550 Onion address
    /// collision`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.text())
    }
}

/// One status line of a reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyLine {
    text: String,
    data: Option<String>,
}

impl ReplyLine {
    /// The text after the status and its separator, without the line
    /// ending (bytes that are not UTF-8 replaced by U+FFFD).
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// For a data line (`250+`), its block: the lines up to the lone `.`,
    /// each without its ending and its escaping dot, joined with `\n`.
    #[must_use]
    pub fn data(&self) -> Option<&str> {
        self.data.as_deref()
    }

    /// The value of the argument `KEY=VALUE` in the line's text, as
    /// `COOKIEFILE` in `AUTH METHODS=COOKIE COOKIEFILE="/run/tor/c"`.
    /// A quoted value comes back unescaped (`\\`, `\"`, `\n`, `\r`,
    /// `\t` and three octal digits), as bytes: tor escapes every byte that
    /// is not printable ASCII.
    #[must_use]
    pub fn argument(&self, key: &str) -> Option<Vec<u8>> {
        let mut rest = self.text.as_bytes();
        while !rest.is_empty() {
            let (word, value, after) = next_argument(rest);
            if word == key.as_bytes() {
                return value;
            }
            rest = after;
        }
        None
    }
}

/// Splits the first space-separated word off `text`: its key (up to `=`
/// or the word's end), its value if it has one (unquoted and unescaped),
/// and the rest after the separating space.
fn next_argument(text: &[u8]) -> (&[u8], Option<Vec<u8>>, &[u8]) {
    let text = text.strip_prefix(b" ").unwrap_or(text);
    let end = memchr::memchr2(b' ', b'=', text).unwrap_or(text.len());
    let (key, rest) = text.split_at(end);
    let Some(rest) = rest.strip_prefix(b"=") else {
        return (key, None, rest);
    };
    if let Some(quoted) = rest.strip_prefix(b"\"") {
        let (value, after) = unquote(quoted);
        return (key, Some(value), after);
    }
    let end = memchr::memchr(b' ', rest).unwrap_or(rest.len());
    (key, Some(rest[..end].to_vec()), &rest[end..])
}

/// The bytes of a quoted string whose opening quote is already taken, up
/// to its closing quote (or the end), escapes undone; and what follows
/// the closing quote.
fn unquote(quoted: &[u8]) -> (Vec<u8>, &[u8]) {
    let mut value = Vec::with_capacity(quoted.len());
    let mut index = 0;
    while let Some(&byte) = quoted.get(index) {
        index += 1;
        match byte {
            b'"' => return (value, &quoted[index..]),
            b'\\' => {
                let Some(&escaped) = quoted.get(index) else {
                    break;
                };
                index += 1;
                let octal = quoted.get(index - 1..index + 2).and_then(|digits| {
                    let text = std::str::from_utf8(digits).ok()?;
                    u8::from_str_radix(text, 8).ok()
                });
                match (escaped, octal) {
                    (b'0'..=b'7', Some(byte)) => {
                        value.push(byte);
                        index += 2;
                    }
                    (b'n', _) => value.push(b'\n'),
                    (b'r', _) => value.push(b'\r'),
                    (b't', _) => value.push(b'\t'),
                    (other, _) => value.push(other),
                }
            }
            other => value.push(other),
        }
    }
    (value, &[])
}

/// What one call to [`ReplyDecoder::decode`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Decoded {
    /// How many bytes of the input were taken: all of them when no reply
    /// ended, else up to the reply's last byte.
    pub consumed: usize,
    /// The reply that ended, if one did.
    pub reply: Option<Reply>,
}

/// Decodes control-port replies from bytes as they arrive.
///
/// ```
/// use hftp_server::onion::reply::ReplyDecoder;
/// let mut decoder = ReplyDecoder::default();
/// let input = b"250-ServiceID=abc\r\n250 OK\r\n650 HS_DESC";
/// let decoded = decoder.decode(input)?;
/// let reply = decoded.reply.expect("a whole reply");
/// assert_eq!((reply.status(), reply.value("ServiceID")), (250, Some("abc")));
/// // The event's bytes were left for the next call.
/// assert_eq!(decoded.consumed, 27);
/// # Ok::<(), hftp_server::onion::reply::ReplyError>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReplyDecoder {
    limits: ReplyLimits,
    state: Result<Partial, ReplyError>,
}

/// The reply being decoded.
#[derive(Clone, Debug, Default)]
struct Partial {
    /// The bytes of the line being received, its ending not yet seen.
    line: Vec<u8>,
    /// The status of the reply's first line.
    status: Option<u16>,
    /// The reply's complete status lines.
    lines: Vec<ReplyLine>,
    /// The bytes of the reply so far, complete lines only.
    len: usize,
    /// A data line whose block is being received, and how many lines
    /// its block has so far.
    data: Option<(ReplyLine, usize)>,
}

impl Default for ReplyDecoder {
    /// A decoder within the default limits.
    fn default() -> Self {
        Self::new(ReplyLimits::default())
    }
}

impl ReplyDecoder {
    /// A decoder within `limits`.
    #[must_use]
    pub fn new(limits: ReplyLimits) -> Self {
        Self {
            limits,
            state: Ok(Partial::default()),
        }
    }

    /// True when no part of a reply is waiting for more bytes: the input
    /// so far ended exactly after a reply (or there was none). False
    /// after an error.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.state.as_ref().is_ok_and(|partial| {
            partial.line.is_empty() && partial.status.is_none() && partial.data.is_none()
        })
    }

    /// Takes bytes from `input` up to the end of one reply. With no reply
    /// in `Decoded`, all of `input` was taken into the decoder's state.
    ///
    /// # Errors
    ///
    /// The bytes are not a reply, or pass a limit; the same error comes
    /// back from every later call.
    pub fn decode(&mut self, input: &[u8]) -> Result<Decoded, ReplyError> {
        let partial = self.state.as_mut().map_err(|error| error.clone())?;
        match partial.take(input, &self.limits) {
            Ok(decoded) => Ok(decoded),
            Err(error) => {
                self.state = Err(error.clone());
                Err(error)
            }
        }
    }
}

impl Partial {
    /// Takes lines from `input` until a reply ends or the input does.
    fn take(&mut self, input: &[u8], limits: &ReplyLimits) -> Result<Decoded, ReplyError> {
        let mut consumed = 0;
        loop {
            let rest = &input[consumed..];
            let Some(end) = memchr::memchr(b'\n', rest) else {
                if !rest.is_empty() {
                    self.check_len(self.line.len() + rest.len(), limits)?;
                }
                self.line.extend_from_slice(rest);
                return Ok(Decoded {
                    consumed: input.len(),
                    reply: None,
                });
            };
            self.check_len(self.line.len() + end, limits)?;
            let len = self.line.len() + end + 1;
            self.line.extend_from_slice(&rest[..end]);
            self.len += len;
            consumed += end + 1;
            let mut line = std::mem::take(&mut self.line);
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if let Some(reply) = self.line_ended(&line, limits)? {
                return Ok(Decoded {
                    consumed,
                    reply: Some(reply),
                });
            }
            // Keep the line's buffer for the next one.
            line.clear();
            self.line = line;
        }
    }

    /// Fails if a line of `len` bytes before its `\n` passes a limit: a
    /// line holding as many bytes as the limits allow can no longer end
    /// within them. When both limits are passed, the one passed at the
    /// smaller length is reported, so the outcome does not depend on how
    /// the bytes were split.
    fn check_len(&self, len: usize, limits: &ReplyLimits) -> Result<(), ReplyError> {
        let line_limit = limits.max_line_len;
        let reply_room = limits.max_reply_len.saturating_sub(self.len);
        if len < line_limit.min(reply_room) {
            Ok(())
        } else if line_limit <= reply_room {
            Err(ReplyError::LineTooLong { limit: line_limit })
        } else {
            Err(ReplyError::ReplyTooLong {
                limit: limits.max_reply_len,
            })
        }
    }

    /// Adds one line, its ending removed; the reply if it ended.
    fn line_ended(
        &mut self,
        line: &[u8],
        limits: &ReplyLimits,
    ) -> Result<Option<Reply>, ReplyError> {
        if let Some((data_line, count)) = &mut self.data {
            if line == b"." {
                self.lines.extend(self.data.take().map(|(line, _)| line));
                return Ok(None);
            }
            let block = data_line.data.get_or_insert_with(String::new);
            if *count > 0 {
                block.push('\n');
            }
            // A line that begins with a dot has one more in front.
            let line = line.strip_prefix(b".").unwrap_or(line);
            block.push_str(&String::from_utf8_lossy(line));
            *count += 1;
            return Ok(None);
        }
        let (status, separator, text) = split_status(line)?;
        let first = *self.status.get_or_insert(status);
        if status != first {
            return Err(ReplyError::StatusChanged {
                first,
                then: status,
            });
        }
        if self.lines.len() >= limits.max_lines {
            return Err(ReplyError::TooManyLines {
                limit: limits.max_lines,
            });
        }
        let line = ReplyLine {
            text: String::from_utf8_lossy(text).into_owned(),
            data: None,
        };
        match separator {
            b'-' => self.lines.push(line),
            b'+' => {
                let line = ReplyLine {
                    data: Some(String::new()),
                    ..line
                };
                self.data = Some((line, 0));
            }
            _ => {
                self.lines.push(line);
                let done = std::mem::take(self);
                return Ok(Some(Reply {
                    status,
                    lines: done.lines,
                }));
            }
        }
        Ok(None)
    }
}

/// Splits a status line into its status, its separator (` `, `-` or
/// `+`) and its text.
fn split_status(line: &[u8]) -> Result<(u16, u8, &[u8]), ReplyError> {
    match line {
        [a, b, c, separator @ (b' ' | b'-' | b'+'), text @ ..]
            if [a, b, c].iter().all(|digit| digit.is_ascii_digit()) =>
        {
            let status = [a, b, c]
                .iter()
                .fold(0, |status, &&digit| status * 10 + u16::from(digit - b'0'));
            Ok((status, *separator, text))
        }
        _ => Err(ReplyError::NotAReplyLine {
            start: String::from_utf8_lossy(&line[..line.len().min(32)]).into_owned(),
        }),
    }
}

#[cfg(any(test, fuzzing))]
/// What decoding `pieces` one after the other gives: the replies, then
/// the error, or whether the decoder was left idle.
type InPieces = (Vec<Reply>, Result<bool, ReplyError>);

#[cfg(any(test, fuzzing))]
/// Decodes `pieces` in order with one decoder, checking that it takes
/// every byte of a piece that ends no reply and makes progress.
fn decode_pieces<'a>(limits: ReplyLimits, pieces: impl IntoIterator<Item = &'a [u8]>) -> InPieces {
    let mut decoder = ReplyDecoder::new(limits);
    let mut replies = Vec::new();
    for piece in pieces {
        let mut offset = 0;
        while offset < piece.len() {
            let decoded = match decoder.decode(&piece[offset..]) {
                Ok(decoded) => decoded,
                Err(error) => {
                    assert_eq!(decoder.decode(b"250 OK\r\n"), Err(error.clone()), "sticky");
                    return (replies, Err(error));
                }
            };
            let rest = piece.len() - offset;
            match decoded.reply {
                Some(reply) => {
                    assert!(
                        (1..=rest).contains(&decoded.consumed),
                        "a reply from no byte"
                    );
                    assert!(!reply.lines().is_empty(), "a reply with no line");
                    replies.push(reply);
                }
                None => assert_eq!(decoded.consumed, rest, "bytes left with no reply"),
            }
            offset += decoded.consumed;
        }
    }
    (replies, Ok(decoder.is_idle()))
}

/// Panics unless `data` gives the same replies and the same error or
/// state whole, one byte at a time, and split at a point its first byte
/// picks, both with the default limits and with small ones.
#[cfg(any(test, fuzzing))]
pub(crate) fn check_splits(data: &[u8]) {
    let small = ReplyLimits::default()
        .max_line_len(64)
        .max_reply_len(256)
        .max_lines(8);
    for limits in [ReplyLimits::default(), small] {
        let whole = decode_pieces(limits, [data]);
        let bytewise = decode_pieces(limits, data.chunks(1));
        assert_eq!(whole, bytewise, "whole and byte by byte disagree");
        let split = data
            .first()
            .map_or(0, |&byte| usize::from(byte) % (data.len() + 1));
        let (head, tail) = data.split_at(split);
        assert_eq!(
            whole,
            decode_pieces(limits, [head, tail]),
            "split at {split}"
        );
        for reply in &whole.0 {
            assert!(reply.lines().len() <= limits.max_lines, "too many lines");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The replies in `input`, which must end idle, checked whole, byte
    /// by byte and split.
    fn replies(input: &[u8]) -> Vec<Reply> {
        check_splits(input);
        let (replies, state) = decode_pieces(ReplyLimits::default(), [input]);
        assert_eq!(state, Ok(true), "{input:?} left a partial reply");
        replies
    }

    /// The error `input` ends in with `limits`, the same whole and byte
    /// by byte.
    fn error(limits: ReplyLimits, input: &[u8]) -> ReplyError {
        let whole = decode_pieces(limits, [input]);
        assert_eq!(whole, decode_pieces(limits, input.chunks(1)));
        whole.1.expect_err("an error")
    }

    fn one(input: &[u8]) -> Reply {
        let mut all = replies(input);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    #[test]
    fn a_one_line_reply() {
        let reply = one(b"250 OK\r\n");
        assert_eq!((reply.status(), reply.text()), (250, "OK"));
        assert!(reply.is_ok() && !reply.is_event());
        assert_eq!(reply.to_string(), "250 OK");
    }

    #[test]
    fn mid_lines_carry_keys_and_values() {
        let reply = one(
            b"250-ServiceID=sykkhskjcul3nz4dlhmzcikaoilghz4epa5lvyvull3rmmtggebmmkid\r\n\
              250-PrivateKey=ED25519-V3:EA6m/Vi==\r\n250 OK\r\n",
        );
        assert_eq!(reply.lines().len(), 3);
        assert_eq!(
            reply.value("ServiceID"),
            Some("sykkhskjcul3nz4dlhmzcikaoilghz4epa5lvyvull3rmmtggebmmkid")
        );
        assert_eq!(reply.value("PrivateKey"), Some("ED25519-V3:EA6m/Vi=="));
        assert_eq!(reply.value("Service"), None);
    }

    #[test]
    fn protocolinfo_arguments_quoted_and_escaped() {
        let reply = one(b"250-PROTOCOLINFO 1\r\n\
              250-AUTH METHODS=COOKIE,SAFECOOKIE COOKIEFILE=\"/run/a \\\"b\\\"\\\\c\\303\\251\"\r\n\
              250-VERSION Tor=\"0.4.9.11\"\r\n250 OK\r\n");
        let auth = reply.line("AUTH").expect("the AUTH line");
        assert_eq!(
            auth.argument("METHODS").as_deref(),
            Some(&b"COOKIE,SAFECOOKIE"[..])
        );
        assert_eq!(
            auth.argument("COOKIEFILE").as_deref(),
            Some("/run/a \"b\"\\cé".as_bytes())
        );
        assert_eq!(auth.argument("NOPE"), None);
        let version = reply.line("VERSION").expect("the VERSION line");
        assert_eq!(version.argument("Tor").as_deref(), Some(&b"0.4.9.11"[..]));
        assert!(reply.line("AUT").is_none());
        let challenge = one(b"250 AUTHCHALLENGE SERVERHASH=AB01 SERVERNONCE=CD\r\n");
        let line = challenge.line("AUTHCHALLENGE").expect("its line");
        assert_eq!(line.argument("SERVERNONCE").as_deref(), Some(&b"CD"[..]));
        assert_eq!(line.argument("SERVERHASH").as_deref(), Some(&b"AB01"[..]));
    }

    #[test]
    fn data_lines_end_with_a_dot_and_lose_their_escaping_dot() {
        let reply =
            one(b"250+onions/current=\r\nabc\r\n\r\n..dotted\r\n.\r\n250-other=1\r\n250 OK\r\n");
        assert_eq!(reply.lines().len(), 3);
        assert_eq!(reply.value("onions/current"), Some("abc\n\n.dotted"));
        assert_eq!(reply.lines()[0].data(), Some("abc\n\n.dotted"));
        assert_eq!(reply.value("other"), Some("1"));
        // An empty block, and a block whose only line is empty.
        assert_eq!(one(b"250+k=\r\n.\r\n250 OK\r\n").value("k"), Some(""));
        assert_eq!(one(b"250+k=\r\n\r\n.\r\n250 OK\r\n").value("k"), Some(""));
        // Inside a block, a status line is data.
        assert_eq!(
            one(b"250+k=\r\n250 OK\r\n.\r\n250 OK\r\n").value("k"),
            Some("250 OK")
        );
    }

    #[test]
    fn errors_and_events_are_replies() {
        let all = replies(
            b"552 Unrecognized key \"x\"\r\n650 HS_DESC UPLOADED abc UNKNOWN $F 123\r\n\
              650-CIRC 1 BUILT\r\n650 OK\r\n515 Authentication failed: Wrong length\r\n",
        );
        let outline: Vec<_> = all
            .iter()
            .map(|reply| (reply.status(), reply.is_ok(), reply.is_event()))
            .collect();
        assert_eq!(
            outline,
            [
                (552, false, false),
                (650, false, true),
                (650, false, true),
                (515, false, false)
            ]
        );
        assert_eq!(all[0].text(), "Unrecognized key \"x\"");
        assert_eq!(all[1].text(), "HS_DESC UPLOADED abc UNKNOWN $F 123");
    }

    #[test]
    fn bare_newlines_are_line_ends_too() {
        assert_eq!(one(b"250-a=1\n250 OK\n"), one(b"250-a=1\r\n250 OK\r\n"));
    }

    #[test]
    fn a_reply_stops_the_decoder_and_leaves_the_next_bytes() {
        let mut decoder = ReplyDecoder::default();
        let input = b"250 OK\r\n650 HS_DESC";
        let decoded = decoder.decode(input).expect("a reply");
        assert_eq!(decoded.consumed, 8);
        assert!(decoder.is_idle());
        let decoded = decoder.decode(&input[8..]).expect("a partial event");
        assert_eq!((decoded.consumed, decoded.reply), (11, None));
        assert!(!decoder.is_idle());
    }

    #[test]
    fn lines_that_are_not_reply_lines_are_fatal_and_sticky() {
        for (input, start) in [
            (
                &b"HTTP/1.1 400 Bad Request\r\n"[..],
                "HTTP/1.1 400 Bad Request",
            ),
            (b"250\r\n", "250"),
            (b"25 OK\r\n", "25 OK"),
            (b"2x0 OK\r\n", "2x0 OK"),
            (b"250*OK\r\n", "250*OK"),
            (b"\r\n", ""),
        ] {
            assert_eq!(
                error(ReplyLimits::default(), input),
                ReplyError::NotAReplyLine {
                    start: start.into()
                },
                "{input:?}"
            );
        }
        let long = [b'x'; 100];
        let ReplyError::NotAReplyLine { start } =
            error(ReplyLimits::default(), &[&long[..], b"\n"].concat())
        else {
            panic!("not the right error");
        };
        assert_eq!(start.len(), 32);
    }

    #[test]
    fn a_status_that_changes_mid_reply_is_fatal() {
        assert_eq!(
            error(ReplyLimits::default(), b"250-a=1\r\n550 no\r\n"),
            ReplyError::StatusChanged {
                first: 250,
                then: 550
            }
        );
    }

    #[test]
    fn an_endless_line_is_refused_at_the_limit_without_its_end() {
        let limits = ReplyLimits::default().max_line_len(16);
        // 15 bytes and the ending fit; 16 bytes without an ending cannot.
        assert_eq!(
            decode_pieces(limits, [&b"250 OK 78901234\n"[..]]).1,
            Ok(true)
        );
        assert_eq!(
            error(limits, b"250 OK 789012345"),
            ReplyError::LineTooLong { limit: 16 }
        );
        assert_eq!(
            error(limits, b"250 OK 789012345\n"),
            ReplyError::LineTooLong { limit: 16 }
        );
        // A data line counts the same.
        assert_eq!(
            error(limits, b"250+k=\r\n0123456789abcdef"),
            ReplyError::LineTooLong { limit: 16 }
        );
        // A mebibyte without a line end costs no more than the limit.
        let mut decoder = ReplyDecoder::new(limits);
        let endless = vec![b'2'; 1 << 20];
        assert_eq!(
            decoder.decode(&endless),
            Err(ReplyError::LineTooLong { limit: 16 })
        );
        assert!(decoder.state.is_err(), "the partial line is let go");
    }

    #[test]
    fn an_endless_reply_is_refused_at_the_limit() {
        let limits = ReplyLimits::default().max_reply_len(32);
        let mut endless = Vec::new();
        for _ in 0..10 {
            endless.extend_from_slice(b"250-a=1\r\n");
        }
        assert_eq!(
            error(limits, &endless),
            ReplyError::ReplyTooLong { limit: 32 }
        );
        assert_eq!(
            error(limits, b"250+a=\r\nxxxxxxxxx\r\nxxxxxxxxx\r\nxxxxxxxxx\r\n"),
            ReplyError::ReplyTooLong { limit: 32 }
        );
        // Exactly the limit is fine: 3 lines of 9 bytes, then 5.
        let fits = b"250-a=1\r\n250-a=1\r\n250-a=1\r\n250 \n";
        assert_eq!(fits.len(), 32);
        assert_eq!(decode_pieces(limits, [&fits[..]]).0.len(), 1);
        // The limit is per reply: many replies of 9 bytes pass.
        assert_eq!(
            decode_pieces(limits, [&b"250 OK\r\n".repeat(100)[..]])
                .0
                .len(),
            100
        );
        let limits = ReplyLimits::default().max_lines(3);
        assert_eq!(
            error(limits, &endless),
            ReplyError::TooManyLines { limit: 3 }
        );
    }

    #[test]
    fn when_both_limits_pass_the_first_passed_is_reported() {
        let limits = ReplyLimits::default().max_line_len(20).max_reply_len(24);
        // The reply's room (24 - 9 = 15) runs out before the line's 20.
        let input = b"250-a=1\r\n250 xxxxxxxxxxxxxxxxxxxxxxxx\r\n";
        assert_eq!(error(limits, input), ReplyError::ReplyTooLong { limit: 24 });
        check_splits(input);
    }

    #[test]
    fn whole_byte_by_byte_and_split_agree_on_odd_inputs() {
        for input in [
            &b""[..],
            b"250",
            b"250 OK",
            b"250 OK\r",
            b"250+k=\r\n.",
            b"250+k=\r\n.\r\n",
            b"\xff\xfe 250 OK\r\n",
            b"250 \xff\r\n650 a\r\n",
            b"250-\r\n250 \r\n",
            &[b'\n'; 300],
            &b"250-a=1\r\n".repeat(2000),
        ] {
            check_splits(input);
        }
        assert_eq!(one(b"250 \xff\r\n").text(), "\u{fffd}");
    }
}
