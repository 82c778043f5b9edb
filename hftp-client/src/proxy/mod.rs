//! Connections through a SOCKS5 proxy, as Tor offers one: the proxy's URL
//! ([`Proxy`]), the hosts that bypass it ([`NoProxy`]), the handshake and
//! what can go wrong in it ([`ProxyError`]).

use std::fmt;
use std::io;
use std::time::Duration;

mod connect;
mod no_proxy;
mod socks;
mod url;

pub(crate) use connect::through;
pub use no_proxy::NoProxy;
pub use socks::SocksError;
pub(crate) use socks::{Destination, Event, Handshake, Login};
pub use url::{ParseProxyError, Proxy};

/// True for a host name under `.onion`, reachable only through Tor: it
/// must never reach the system resolver.
#[must_use]
pub fn is_onion(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    host.len() > ".onion".len()
        && host.as_bytes()[host.len() - ".onion".len()..].eq_ignore_ascii_case(b".onion")
}

/// Defines [`ReplyCode`] from one table: the reply byte, its text, and
/// whether a later attempt may succeed.
macro_rules! reply_codes {
    ($( $(#[$doc:meta])* $name:ident = $byte:literal, $text:literal, $retry:literal; )*) => {
        /// A SOCKS5 proxy's reply to a connect request, when it failed
        /// (RFC 1928 §6, and Tor's extended errors for onion services).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ReplyCode {
            $( $(#[$doc])* $name, )*
            /// A reply byte no table names.
            Other(u8),
        }

        impl ReplyCode {
            /// The code of a reply byte (never 0, which is success).
            #[must_use]
            pub const fn from_byte(byte: u8) -> Self {
                match byte {
                    $( $byte => Self::$name, )*
                    other => Self::Other(other),
                }
            }

            /// The reply byte.
            #[must_use]
            pub const fn byte(self) -> u8 {
                match self {
                    $( Self::$name => $byte, )*
                    Self::Other(byte) => byte,
                }
            }

            /// What the reply means.
            #[must_use]
            pub const fn text(self) -> &'static str {
                match self {
                    $( Self::$name => $text, )*
                    Self::Other(_) => "an unknown reply",
                }
            }

            /// True when trying again later may succeed (the server or
            /// the route may come up); false when the request itself is
            /// wrong.
            #[must_use]
            pub const fn is_transient(self) -> bool {
                match self {
                    $( Self::$name => $retry, )*
                    Self::Other(_) => false,
                }
            }
        }
    };
}

reply_codes! {
    /// `0x01`.
    GeneralFailure = 0x01, "general failure", true;
    /// `0x02`.
    NotAllowed = 0x02, "connection not allowed by its rules", false;
    /// `0x03`.
    NetworkUnreachable = 0x03, "network unreachable", true;
    /// `0x04`.
    HostUnreachable = 0x04, "host unreachable", true;
    /// `0x05`: nothing listens on the server's port.
    ConnectionRefused = 0x05, "connection refused by the server", true;
    /// `0x06`: Tor also answers this when a circuit times out.
    TtlExpired = 0x06, "TTL expired (the server did not answer in time)", true;
    /// `0x07`.
    CommandNotSupported = 0x07, "command not supported", false;
    /// `0x08`.
    AddressTypeNotSupported = 0x08, "address type not supported", false;
    /// `0xF0`: a well-formed onion address that nobody publishes, or
    /// not yet: retry later.
    OnionNotFound = 0xF0, "onion service not found: nobody publishes this address (yet)", true;
    /// `0xF1`.
    OnionDescriptorInvalid = 0xF1, "onion service descriptor is invalid", false;
    /// `0xF2`.
    OnionIntroFailed = 0xF2, "onion service introduction failed", true;
    /// `0xF3`.
    OnionRendezvousFailed = 0xF3, "onion service rendezvous failed", true;
    /// `0xF4`.
    OnionMissingAuth = 0xF4, "onion service requires client authorization", false;
    /// `0xF5`.
    OnionWrongAuth = 0xF5, "onion service client authorization is wrong", false;
    /// `0xF6`: not a valid onion address (a typo).
    OnionBadAddress = 0xF6, "invalid onion address", false;
    /// `0xF7`.
    OnionIntroTimedOut = 0xF7, "onion service introduction timed out", true;
}

impl fmt::Display for ReplyCode {
    /// `connection refused by the server (SOCKS reply 0x05)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (SOCKS reply {:#04x})", self.text(), self.byte())
    }
}

/// Why a connection through a proxy failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyError {
    /// No connection could be made to the proxy itself.
    #[error("the proxy does not answer ({0})")]
    Unreachable(#[source] io::Error),
    /// The handshake did not end within the connect timeout.
    #[error("the proxy did not complete the handshake within {:.1} s", .0.as_secs_f64())]
    Timeout(Duration),
    /// The proxy closed the connection during the handshake.
    #[error("the proxy closed the connection during the handshake")]
    Closed,
    /// The connection to the proxy failed during the handshake.
    #[error("the connection to the proxy failed ({0})")]
    Io(#[source] io::Error),
    /// The proxy answered something other than success.
    #[error("{0}")]
    Socks(#[from] SocksError),
}

impl ProxyError {
    /// True when the proxy itself is at fault (down, not SOCKS5, refusing
    /// the login), rather than the way from it to the server.
    #[must_use]
    pub const fn is_proxy_fault(&self) -> bool {
        !matches!(self, Self::Socks(SocksError::Reply(_)) | Self::Timeout(_))
    }

    /// True when trying again later may succeed: the proxy or the server
    /// may come (back) up, an onion service may get published.
    #[must_use]
    pub const fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable(_) | Self::Timeout(_) | Self::Closed | Self::Io(_) => true,
            Self::Socks(SocksError::Reply(code)) => code.is_transient(),
            Self::Socks(_) => false,
        }
    }
}

/// The SOCKS reply parser, for the fuzz targets: the proxy's `replies`
/// fed whole, then one byte at a time, must end the same way.
#[cfg(fuzzing)]
pub(crate) fn fuzz_replies(replies: &[u8], with_login: bool) {
    let login = with_login.then_some(Login {
        user: "user",
        password: "password",
    });
    let run = |chunk: usize| {
        let mut handshake = Handshake::new(Destination::Name("example.onion", 19500), login)
            .expect("a valid request");
        let mut input = replies;
        let mut sent = Vec::new();
        let mut fed = 0;
        let end = loop {
            let take = input.len().min(chunk);
            if take == 0 || handshake.is_connected() {
                break Ok(());
            }
            match handshake.feed(&input[..take]) {
                Ok((used, event)) => {
                    assert!(used > 0 && used <= take, "used {used} of {take} bytes");
                    fed += used;
                    input = &input[used..];
                    if let Some(Event::Send(bytes)) = event {
                        sent.push(bytes);
                    }
                }
                Err(error) => break Err(error),
            }
        };
        // The bytes taken count once the handshake is over; an error
        // ends it wherever it comes.
        let taken = end.is_ok().then_some(fed);
        (end, taken, sent, handshake.is_connected())
    };
    assert_eq!(run(usize::MAX), run(1), "whole and byte by byte differ");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onion_names_are_told_apart_whatever_their_case() {
        assert!(is_onion("abc.onion") && is_onion("ABC.ONION.") && is_onion("a.b.Onion"));
        assert!(!is_onion(".onion") && !is_onion("onion") && !is_onion("example.org"));
        assert!(!is_onion("onion.example") && !is_onion("127.0.0.1"));
    }

    #[test]
    fn every_reply_byte_round_trips() {
        for byte in 1..=u8::MAX {
            assert_eq!(ReplyCode::from_byte(byte).byte(), byte);
        }
        assert!(ReplyCode::from_byte(0xF0).is_transient());
        assert!(!ReplyCode::from_byte(0xF6).is_transient());
        assert_eq!(
            ReplyCode::from_byte(5).to_string(),
            "connection refused by the server (SOCKS reply 0x05)"
        );
    }
}
