//! The errors, sorted by whose fault they are:
//!
//! - the peer's: a client's request after which the server closes
//!   ([`Fatal`]), a server's reply that the client refuses
//!   ([`ProtocolError`]);
//! - the server's own side: a body it cannot complete ([`BodyError`]);
//! - the caller's code: a call the API does not allow ([`Misuse`]).

use crate::code::Code;

/// A reply the client side refuses: the server broke the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A line ended otherwise than by `\r\n`.
    #[error("expected a line ending in \\r\\n")]
    BadLineEnd,
    /// A line grew past the client's limit.
    #[error("expected a line of at most {limit} bytes")]
    LineTooLong {
        /// The limit in force, in bytes.
        limit: usize,
    },
    /// A status line that is not a decimal code, a space and a text.
    #[error("expected a status line: a decimal code, a space and a text")]
    BadStatusLine,
    /// A status code HFTP does not define.
    #[error("expected a status code of HFTP, got {0}")]
    UnknownCode(u64),
    /// A `get_metadata` reply that is not a decimal size.
    #[error("expected a file size in decimal")]
    BadSize,
    /// A raw slice reply without `Content-Length: SIZE` and an empty line.
    #[error("expected `Content-Length: SIZE` and an empty line")]
    BadHeader,
    /// A raw slice reply announcing another size than the one asked.
    #[error("expected Content-Length {asked}, got {announced}")]
    LengthMismatch {
        /// The `SIZE` of the request.
        asked: u64,
        /// The size the server announced.
        announced: u64,
    },
    /// A slice body that is not base64 with padding, line by line.
    #[error("expected a slice body in base64")]
    BadBase64,
    /// A slice body with more empty lines than a body may hold.
    #[error("expected at most {limit} empty lines in a slice body")]
    EmptyBodyLines {
        /// The limit in force.
        limit: u8,
    },
    /// A slice body with more bytes than asked.
    #[error("expected no more slice bytes than asked")]
    BodyTooLong,
    /// A fragment body (rule 12) whose terminator came before all the
    /// bytes asked.
    #[error("expected {missing} more slice bytes before the last fragment")]
    BodyTooShort {
        /// How many of the bytes asked never came.
        missing: u64,
    },
    /// A fragment (rule 12) that does not start with its length: 1 to 20
    /// decimal digits and a space.
    #[error("expected a fragment length: decimal digits and a space")]
    BadFragmentLength,
    /// A listed name that no request could carry (rule 5).
    #[error("expected a valid file name in the listing")]
    BadName,
    /// Bytes arrived when no reply was due.
    #[error("expected no data: no reply is due")]
    UnexpectedData,
    /// The connection ended in the middle of a reply or with replies due.
    #[error("expected {pending} more replies, but the connection ended")]
    Truncated {
        /// Replies due, the cut one included.
        pending: usize,
    },
}

/// Why a body encoder refused to complete a body: a fault of the server's
/// side, not of its caller's code. The body must not be completed, and the
/// connection must close (rule 8).
///
/// A caller's mistake in feeding an encoder is a [`Misuse`] instead: the
/// two are never returned by the same call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// `finish` came before all announced bytes: the file shrank or its
    /// read failed. Close the connection.
    #[error("slice body truncated: {missing} of the announced bytes never came")]
    Truncated {
        /// How many announced bytes were never fed.
        missing: u64,
    },
}

/// A call that the API does not allow in the state it was made in: a bug
/// in the caller's code, never the peer's doing, and never a status code
/// to send. The refused call changed nothing, so a caller may log it and
/// close, or fix its arguments and call again (as with
/// [`BufferTooSmall`](Self::BufferTooSmall)).
///
/// This is rustls's `ApiMisuse` and h11's `LocalProtocolError`: faults of
/// the peer are [`ProtocolError`] and [`Fatal`], faults of
/// the server's own side are [`BodyError`], and no call returns two of
/// these types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Misuse {
    /// More bytes were fed than the body or fragment announced.
    #[error("body overfed: {extra} bytes more than announced")]
    Overfed {
        /// How many bytes too many.
        extra: u64,
    },
    /// A fragment was started before all bytes of the previous one were
    /// sent.
    #[error("fragment started with {left} bytes of the previous one unsent")]
    FragmentOpen {
        /// The previous fragment's bytes not yet sent.
        left: u64,
    },
    /// The output slice cannot hold the encoded bytes; nothing was written.
    #[error("output buffer too small: {required} bytes required")]
    BufferTooSmall {
        /// The output length that would be enough.
        required: usize,
    },
}

/// A fault after which the server answers its code and closes (rule 10).
///
/// Its code is `Code::from(fatal)`: write that status line with
/// [`reply::write_status`](crate::reply::write_status), send it, close.
///
/// ```
/// use hftp_proto::{Code, Fatal, ServerConfig, ServerConnection};
/// let mut server = ServerConnection::new(&ServerConfig::default());
/// let fatal = server.decode(b"help\n").expect_err("a bare \\n");
/// assert_eq!(Code::from(fatal), Code::BadEol);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Fatal {
    /// A `\n` not preceded by `\r`, or a `\r` followed by another byte
    /// (rule 1): `100`.
    #[error("bad line end")]
    BadEol,
    /// The line grew past the configured hard limit (rule 9): `101`.
    #[error("request line longer than {limit} bytes")]
    LineTooLong {
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// An empty line or one of spaces only (rule 2): `101`.
    #[error("request line without a command")]
    NoCommand,
}

impl From<Fatal> for Code {
    fn from(fatal: Fatal) -> Self {
        match fatal {
            Fatal::BadEol => Self::BadEol,
            Fatal::LineTooLong { .. } | Fatal::NoCommand => Self::BadRequest,
        }
    }
}
