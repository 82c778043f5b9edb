//! A proxy as users write it: `socks5h://[USER:PASSWORD@]HOST[:PORT]`.

use std::fmt;
use std::str::FromStr;

use crate::ServerAddr;

use super::Login;

/// A SOCKS5 proxy: where it listens, who resolves names, and the login
/// it takes.
///
/// Written as curl writes it: `socks5h://HOST[:PORT]` has the proxy
/// resolve host names (the only way to reach a `.onion` name, and what
/// Tor wants), `socks5://HOST[:PORT]` resolves them here and sends the
/// proxy an address. `USER:PASSWORD@` before the host logs in (RFC 1929;
/// Tor keeps the streams of different logins on different circuits),
/// with `%XX` escapes for special characters. The port defaults to 1080.
///
/// ```
/// use hftp_client::Proxy;
/// let tor: Proxy = "socks5h://127.0.0.1:9050".parse()?;
/// assert_eq!(tor, Proxy::tor());
/// assert!(tor.resolves_names());
/// let proxy: Proxy = "socks5://alice:s%40fe@[::1]".parse()?;
/// assert_eq!(proxy.to_string(), "socks5://alice:***@[::1]:1080");
/// # Ok::<(), hftp_client::ParseProxyError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Proxy {
    /// Where the proxy listens.
    addr: ServerAddr,
    /// True for `socks5h`: the proxy resolves host names.
    remote_names: bool,
    /// The user name and password, if any.
    login: Option<(String, String)>,
}

/// Why a proxy URL could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid proxy {input:?}: {reason}")]
pub struct ParseProxyError {
    input: String,
    reason: &'static str,
}

impl Proxy {
    /// The port of a proxy URL that names none: 1080, SOCKS's own.
    pub const DEFAULT_PORT: u16 = 1080;
    /// Tor's SOCKS port.
    pub const TOR_PORT: u16 = 9050;
    /// Tor Browser's SOCKS port.
    pub const TOR_BROWSER_PORT: u16 = 9150;

    /// A proxy at `addr`; `remote_names` as `socks5h` (the proxy resolves
    /// host names) rather than `socks5`.
    #[must_use]
    pub const fn new(addr: ServerAddr, remote_names: bool) -> Self {
        Self {
            addr,
            remote_names,
            login: None,
        }
    }

    /// A local Tor's SOCKS port: `socks5h://127.0.0.1:9050`.
    #[must_use]
    pub fn tor() -> Self {
        Self::new(ServerAddr::new("127.0.0.1", Self::TOR_PORT), true)
    }

    /// The same proxy, logging in as `user` with `password` (each 1 to
    /// 255 bytes, as RFC 1929 allows).
    #[must_use]
    pub fn login(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        self.login = Some((user.into(), password.into()));
        self
    }

    /// Where the proxy listens.
    #[must_use]
    pub const fn addr(&self) -> &ServerAddr {
        &self.addr
    }

    /// True when the proxy resolves host names (`socks5h`).
    #[must_use]
    pub const fn resolves_names(&self) -> bool {
        self.remote_names
    }

    /// The login for the handshake, if any.
    pub(crate) fn credentials(&self) -> Option<Login<'_>> {
        self.login
            .as_ref()
            .map(|(user, password)| Login { user, password })
    }

    const fn scheme(&self) -> &'static str {
        if self.remote_names {
            "socks5h"
        } else {
            "socks5"
        }
    }
}

impl fmt::Display for Proxy {
    /// The URL, with the password hidden: `socks5h://user:***@host:port`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme())?;
        if let Some((user, _)) = &self.login {
            write!(f, "{user}:***@")?;
        }
        write!(f, "{}", self.addr)
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({self})")
    }
}

impl FromStr for Proxy {
    type Err = ParseProxyError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason| ParseProxyError {
            input: redact(input),
            reason,
        };
        let (scheme, rest) = input
            .split_once("://")
            .ok_or_else(|| fail("expected socks5h://HOST[:PORT] or socks5://HOST[:PORT]"))?;
        let remote_names = match scheme.to_ascii_lowercase().as_str() {
            "socks5h" => true,
            "socks5" => false,
            "socks4" | "socks4a" | "socks" => {
                return Err(fail(
                    "only SOCKS5 is supported: use socks5h:// or socks5://",
                ));
            }
            "http" | "https" => {
                return Err(fail(
                    "an HTTP proxy cannot carry HFTP: use a SOCKS5 proxy, socks5h:// or socks5://",
                ));
            }
            _ => return Err(fail("the scheme must be socks5h:// or socks5://")),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let (login, host) = match rest.rsplit_once('@') {
            Some((login, host)) => (Some(login), host),
            None => (None, rest),
        };
        if host.is_empty() {
            return Err(fail("no host"));
        }
        if host.contains('/') {
            return Err(fail("a proxy URL has no path"));
        }
        let addr = parse_host(host).ok_or_else(|| fail("expected HOST[:PORT] or [IPV6][:PORT]"))?;
        let mut proxy = Self::new(addr, remote_names);
        if let Some(login) = login {
            let (user, password) = login
                .split_once(':')
                .ok_or_else(|| fail("a login is USER:PASSWORD@"))?;
            let user = unescape(user).ok_or_else(|| fail("a bad %XX escape in the user"))?;
            let password =
                unescape(password).ok_or_else(|| fail("a bad %XX escape in the password"))?;
            if !(1..=255).contains(&user.len()) || !(1..=255).contains(&password.len()) {
                return Err(fail("the user and the password hold 1 to 255 bytes each"));
            }
            proxy = proxy.login(user, password);
        }
        Ok(proxy)
    }
}

/// `HOST[:PORT]` or `[IPV6][:PORT]`, the port defaulting to 1080.
fn parse_host(text: &str) -> Option<ServerAddr> {
    let (host, port) = match text.strip_prefix('[') {
        Some(rest) => {
            let (host, after) = rest.split_once(']')?;
            host.parse::<std::net::Ipv6Addr>().ok()?;
            (host, after.strip_prefix(':'))
        }
        None => match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        },
    };
    if host.is_empty() || host.contains(['[', ']', '@']) {
        return None;
    }
    let port = match port {
        Some(port) => port.parse().ok().filter(|&p| p != 0)?,
        None => Proxy::DEFAULT_PORT,
    };
    Some(ServerAddr::new(host, port))
}

/// Decodes `%XX` escapes; `None` for a bad one or bytes that are not
/// UTF-8.
fn unescape(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let hex = [bytes.next()?, bytes.next()?];
            out.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
        } else {
            out.push(byte);
        }
    }
    String::from_utf8(out).ok()
}

/// The URL with its password hidden, for error messages.
fn redact(input: &str) -> String {
    match (input.find("://"), input.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let login = &input[scheme + 3..at];
            let user = login.split_once(':').map_or(login, |(user, _)| user);
            format!("{}{user}:***{}", &input[..scheme + 3], &input[at..])
        }
        _ => input.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Proxy, ParseProxyError> {
        text.parse()
    }

    #[test]
    fn urls_as_curl_writes_them() {
        let proxy = parse("socks5h://127.0.0.1:9050").unwrap();
        assert_eq!(
            (proxy.addr().host(), proxy.addr().port()),
            ("127.0.0.1", 9050)
        );
        assert!(proxy.resolves_names() && proxy.credentials().is_none());
        let proxy = parse("SOCKS5://proxy.lan/").unwrap();
        assert_eq!(proxy.to_string(), "socks5://proxy.lan:1080");
        assert!(!proxy.resolves_names());
        let proxy = parse("socks5h://[::1]:1081").unwrap();
        assert_eq!(proxy.addr().host(), "::1");
        assert_eq!(proxy.to_string(), "socks5h://[::1]:1081");
    }

    #[test]
    fn a_login_is_unescaped_and_never_shown() {
        let proxy = parse("socks5h://al%20ice:p%40ss:w@localhost:1080").unwrap();
        let login = proxy.credentials().unwrap();
        assert_eq!((login.user, login.password), ("al ice", "p@ss:w"));
        assert_eq!(proxy.to_string(), "socks5h://al ice:***@localhost:1080");
        assert!(!format!("{proxy:?}").contains("p@ss"));
        let error = parse("socks5h://alice:secret@").unwrap_err().to_string();
        assert!(!error.contains("secret"), "{error}");
    }

    #[test]
    fn other_schemes_and_bad_urls_are_refused_with_a_reason() {
        for (url, reason) in [
            ("http://proxy:3128", "an HTTP proxy cannot carry HFTP"),
            ("socks4://proxy", "only SOCKS5"),
            ("127.0.0.1:9050", "expected socks5h://"),
            ("socks5h://", "no host"),
            ("socks5h://host:0", "expected HOST[:PORT]"),
            ("socks5h://host:99999", "expected HOST[:PORT]"),
            ("socks5h://[::1", "expected HOST[:PORT]"),
            ("socks5h://host/path", "no path"),
            ("socks5h://user@host", "USER:PASSWORD@"),
            ("socks5h://user:@host", "1 to 255 bytes"),
            ("socks5h://u:%zz@host", "bad %XX escape"),
        ] {
            let error = parse(url).unwrap_err().to_string();
            assert!(error.contains(reason), "{url}: {error}");
        }
    }
}
