//! Server addresses as users type them: `HOST[:PORT]`, with IPv6 literals
//! in brackets (`[::1]:19500`) or bare (`::1`), or as a URL,
//! `hftp://HOST[:PORT][/]`.

use std::fmt;
use std::io;
use std::net::{Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::str::FromStr;

use hftp_proto::DEFAULT_PORT;

/// A server's host and port, parsed from `HOST[:PORT]` or
/// `hftp://HOST[:PORT][/]`.
///
/// The port defaults to [`DEFAULT_PORT`] (19500). An IPv6 literal takes
/// brackets when a port follows, and may go bare without one. The URL
/// form names a server only: no path, user or query may follow.
///
/// ```
/// use hftp_client::ServerAddr;
/// let addr: ServerAddr = "[::1]:8000".parse()?;
/// assert_eq!((addr.host(), addr.port()), ("::1", 8000));
/// let addr: ServerAddr = "::1".parse()?;
/// assert_eq!(addr.to_string(), "[::1]:19500");
/// let addr: ServerAddr = "example.org".parse()?;
/// assert_eq!(addr.to_string(), "example.org:19500");
/// let addr: ServerAddr = "hftp://example.org:8000/".parse()?;
/// assert_eq!(addr.to_string(), "example.org:8000");
/// # Ok::<(), hftp_client::ParseAddrError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ServerAddr {
    host: String,
    port: u16,
}

/// Why a server address could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid server address {input:?}: {reason} (expected HOST[:PORT], [IPV6]:PORT, IPV6 or hftp://HOST[:PORT])"
)]
pub struct ParseAddrError {
    input: String,
    reason: &'static str,
}

impl ServerAddr {
    /// An address from its parts.
    #[must_use]
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
        }
    }

    /// The host name or IP literal, without brackets.
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The TCP port.
    #[must_use]
    pub const fn port(&self) -> u16 {
        self.port
    }
}

impl Default for ServerAddr {
    /// `localhost:19500`.
    fn default() -> Self {
        Self::new("localhost", DEFAULT_PORT)
    }
}

impl FromStr for ServerAddr {
    type Err = ParseAddrError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason| ParseAddrError {
            input: input.to_owned(),
            reason,
        };
        let (host, port) = split_host_port(strip_url(input).map_err(fail)?).map_err(fail)?;
        let port = match port {
            None => DEFAULT_PORT,
            Some(port) => port
                .parse()
                .map_err(|_| fail("the port is not a number from 0 to 65535"))?,
        };
        if host.is_empty() {
            return Err(fail("the host is empty"));
        }
        Ok(Self::new(host, port))
    }
}

/// `HOST[:PORT]` out of `hftp://HOST[:PORT][/]` (the scheme in any case);
/// anything without `://` as it is.
fn strip_url(input: &str) -> Result<&str, &'static str> {
    let Some((scheme, rest)) = input.split_once("://") else {
        return Ok(input);
    };
    if !scheme.eq_ignore_ascii_case("hftp") {
        return Err("only hftp:// URLs name an HFTP server");
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.contains(['/', '?', '#']) {
        return Err("a path after the port (an hftp:// URL names a server, not a file)");
    }
    if authority.contains('@') {
        return Err("HFTP has no user names");
    }
    Ok(authority)
}

/// Splits `HOST[:PORT]`, `[IPV6][:PORT]` or a bare `IPV6`.
fn split_host_port(input: &str) -> Result<(&str, Option<&str>), &'static str> {
    if let Some(rest) = input.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or("a `[` without its `]`")?;
        host.parse::<Ipv6Addr>()
            .map_err(|_| "brackets hold no IPv6 address")?;
        return match after {
            "" => Ok((host, None)),
            _ => after
                .strip_prefix(':')
                .map(|port| (host, Some(port)))
                .ok_or("expected `:PORT` after `]`"),
        };
    }
    match input.matches(':').count() {
        0 => Ok((input, None)),
        1 => Ok(input
            .split_once(':')
            .map_or((input, None), |(host, port)| (host, Some(port)))),
        _ => match input.parse::<Ipv6Addr>() {
            Ok(_) => Ok((input, None)),
            Err(_) => Err("an IPv6 address with a port needs brackets, as in [::1]:19500"),
        },
    }
}

impl fmt::Display for ServerAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

impl ToSocketAddrs for ServerAddr {
    type Iter = std::vec::IntoIter<SocketAddr>;

    fn to_socket_addrs(&self) -> io::Result<Self::Iter> {
        (self.host.as_str(), self.port).to_socket_addrs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Option<(String, u16)> {
        input.parse::<ServerAddr>().ok().map(|a| (a.host, a.port))
    }

    #[test]
    fn hosts_ports_and_ipv6_literals() {
        let own = |host: &str, port| Some((host.to_owned(), port));
        assert_eq!(parsed("localhost"), own("localhost", 19500));
        assert_eq!(parsed("localhost:80"), own("localhost", 80));
        assert_eq!(parsed("127.0.0.1:19501"), own("127.0.0.1", 19501));
        assert_eq!(parsed("[::1]:19500"), own("::1", 19500));
        assert_eq!(parsed("[::1]"), own("::1", 19500));
        assert_eq!(parsed("::1"), own("::1", 19500));
        assert_eq!(parsed("fe80::1"), own("fe80::1", 19500));
        assert_eq!(parsed("hftp://localhost"), own("localhost", 19500));
        assert_eq!(parsed("hftp://localhost:80/"), own("localhost", 80));
        assert_eq!(parsed("HFTP://[::1]:5"), own("::1", 5));
        for bad in [
            "",
            ":80",
            "host:",
            "host:port",
            "host:70000",
            "[::1",
            "[nope]:1",
            "[::1]x",
            "::1:80:x",
            "hftp://",
            "hftp:///",
            "http://localhost",
            "hftp://localhost/hola.txt",
            "hftp://user@localhost",
            "hftp://localhost:80//",
        ] {
            assert_eq!(parsed(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_url_of_another_scheme_or_with_a_path_says_so() {
        let reason = |input: &str| input.parse::<ServerAddr>().map_err(|e| e.reason);
        assert_eq!(
            reason("http://host"),
            Err("only hftp:// URLs name an HFTP server")
        );
        assert!(reason("hftp://host:1/file").is_err_and(|r| r.starts_with("a path")));
        assert_eq!(reason("hftp://"), Err("the host is empty"));
    }

    #[test]
    fn display_brackets_ipv6() {
        assert_eq!(ServerAddr::new("::1", 5).to_string(), "[::1]:5");
        assert_eq!(ServerAddr::default().to_string(), "localhost:19500");
    }
}
