//! Telling a server of another protocol from an HFTP server that broke
//! the rules: what its first bytes look like, before any reply of HFTP.

use std::fmt;

/// What a server that is not an HFTP server looks like, from the first
/// bytes it sent (or did not send) before any HFTP reply.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Foreign {
    /// It answered like an HTTP server: its first line, e.g.
    /// `HTTP/1.1 400 Bad Request`.
    Http(String),
    /// It greeted like an SSH server: its first line, e.g.
    /// `SSH-2.0-OpenSSH_9.6`.
    Ssh(String),
    /// It answered like a TLS server (a record, often an alert): its
    /// first bytes.
    Tls(Vec<u8>),
    /// It closed the connection without sending a byte.
    Silent,
    /// It sent bytes that are not text: the first of them.
    Noise(Vec<u8>),
}

/// How many of the first bytes are kept to tell what a server is.
pub(crate) const GREETING: usize = 64;

/// How many bytes a [`Foreign`] shows.
const SHOWN: usize = 8;

impl Foreign {
    /// What the first `bytes` of a connection look like, if not like an
    /// HFTP reply, which starts with a decimal code: `None` for that, and
    /// for text that is merely a bad status line. No bytes at all is
    /// [`Foreign::Silent`].
    #[must_use]
    pub(crate) fn of(bytes: &[u8]) -> Option<Self> {
        let line = || {
            let end = bytes
                .iter()
                .position(|&b| b == b'\r' || b == b'\n')
                .unwrap_or(bytes.len());
            String::from_utf8_lossy(&bytes[..end]).into_owned()
        };
        let shown = || bytes[..bytes.len().min(SHOWN)].to_vec();
        match bytes {
            [] => Some(Self::Silent),
            [first, ..] if first.is_ascii_digit() => None,
            [0x14..=0x17, 0x03, ..] => Some(Self::Tls(shown())),
            _ if bytes.starts_with(b"HTTP/") => Some(Self::Http(line())),
            _ if bytes.starts_with(b"SSH-") => Some(Self::Ssh(line())),
            _ if is_noise(bytes) => Some(Self::Noise(shown())),
            _ => None,
        }
    }
}

/// True for bytes that are not text: a control byte other than a tab or
/// a line end, or bytes that cannot be UTF-8.
fn is_noise(bytes: &[u8]) -> bool {
    let control = bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f);
    let not_utf8 = std::str::from_utf8(bytes).is_err_and(|error| error.error_len().is_some());
    control || not_utf8
}

/// Bytes as hexadecimal pairs: `15 03 01 00 02`.
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Foreign {
    /// What it sent, as the messages quote it: the first line in quotes
    /// (HTTP, SSH), the first bytes in hexadecimal (TLS, noise); empty
    /// when it sent nothing.
    #[must_use]
    pub fn shown(&self) -> String {
        match self {
            Self::Http(line) | Self::Ssh(line) => format!("{line:?}"),
            Self::Tls(bytes) | Self::Noise(bytes) => hex(bytes),
            Self::Silent => String::new(),
        }
    }

    /// A short name of what it looks like, for machines: `http`, `ssh`,
    /// `tls`, `silent`, `noise`.
    #[must_use]
    pub const fn word(&self) -> &'static str {
        match self {
            Self::Http(_) => "http",
            Self::Ssh(_) => "ssh",
            Self::Tls(_) => "tls",
            Self::Silent => "silent",
            Self::Noise(_) => "noise",
        }
    }
}

impl fmt::Display for Foreign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.shown();
        match self {
            Self::Http(_) => write!(f, "it answered like an HTTP server ({shown})"),
            Self::Ssh(_) => write!(f, "it greeted like an SSH server ({shown})"),
            Self::Tls(_) => write!(f, "it answered like a TLS server (bytes {shown})"),
            Self::Silent => f.write_str("it closed the connection without sending a byte"),
            Self::Noise(_) => write!(f, "it sent bytes that are not text ({shown})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Foreign;

    #[test]
    fn first_bytes_tell_the_protocol() {
        let http = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(
            Foreign::of(http),
            Some(Foreign::Http("HTTP/1.1 400 Bad Request".to_owned()))
        );
        assert_eq!(
            Foreign::of(b"SSH-2.0-OpenSSH_9.6\r\n"),
            Some(Foreign::Ssh("SSH-2.0-OpenSSH_9.6".to_owned()))
        );
        assert_eq!(
            Foreign::of(&[0x15, 3, 1, 0, 2, 2, 0x32]),
            Some(Foreign::Tls(vec![0x15, 3, 1, 0, 2, 2, 0x32]))
        );
        assert_eq!(Foreign::of(b""), Some(Foreign::Silent));
        assert_eq!(
            Foreign::of(&[0, 1, 2, 0xff]),
            Some(Foreign::Noise(vec![0, 1, 2, 0xff]))
        );
        // An HFTP server that broke a rule is not another protocol's.
        for hftp in [
            &b"0 OK\r\n3"[..],
            b"OK 0\r\n",
            b"300 WHAT\r\n",
            b"0 OK\r\n\x00",
        ] {
            assert_eq!(Foreign::of(hftp), None, "{hftp:?}");
        }
    }
}
