//! Address ranges in CIDR notation, for naming who may send a PROXY
//! protocol header.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// A range of addresses: an address and a prefix length, as
/// `10.0.0.0/8` or `2001:db8::/32`; a bare address is the range of that
/// address alone. An IPv4 range also holds the IPv4-mapped IPv6 forms of
/// its addresses (`::ffff:10.0.0.1`), as a dual-stack listener sees them.
///
/// ```
/// let proxies: hftp_server::Network = "10.1.0.0/16".parse()?;
/// assert!(proxies.contains("10.1.2.3".parse()?));
/// assert!(!proxies.contains("10.2.0.1".parse()?));
/// assert!("127.0.0.1".parse::<hftp_server::Network>()?.contains("::ffff:127.0.0.1".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

/// Why a text is not a [`Network`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an address or an address/prefix")]
pub struct NetworkParseError(String);

impl Network {
    /// `127.0.0.0/8`, IPv4's loopback addresses.
    pub const LOOPBACK_V4: Self = Self {
        address: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)),
        prefix: 8,
    };

    /// `::1`, IPv6's loopback address.
    pub const LOOPBACK_V6: Self = Self::host(IpAddr::V6(Ipv6Addr::LOCALHOST));

    /// The range of `prefix` leading bits of `address`; `None` if the
    /// prefix is longer than the address (32 bits for IPv4, 128 for IPv6).
    #[must_use]
    pub fn new(address: IpAddr, prefix: u8) -> Option<Self> {
        let bits = if address.is_ipv4() { 32 } else { 128 };
        (prefix <= bits).then_some(Self { address, prefix })
    }

    /// The range of `address` alone.
    #[must_use]
    pub const fn host(address: IpAddr) -> Self {
        let prefix = match address {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        Self { address, prefix }
    }

    /// True if `address` lies in the range.
    #[must_use]
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.address, address.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(address)) => same_prefix(
                net.to_bits().into(),
                address.to_bits().into(),
                32,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(address)) => {
                same_prefix(net.to_bits(), address.to_bits(), 128, self.prefix)
            }
            _ => false,
        }
    }
}

/// True if the first `prefix` of the `bits` low bits of `a` and `b` agree.
fn same_prefix(a: u128, b: u128, bits: u32, prefix: u8) -> bool {
    let shift = bits - u32::from(prefix);
    a.checked_shr(shift).unwrap_or(0) == b.checked_shr(shift).unwrap_or(0)
}

impl FromStr for Network {
    type Err = NetworkParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || NetworkParseError(text.to_owned());
        let Some((address, prefix)) = text.split_once('/') else {
            return text.parse().map(Self::host).map_err(|_| error());
        };
        let address: IpAddr = address.parse().map_err(|_| error())?;
        let digits = !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_digit());
        let prefix = digits.then(|| prefix.parse().ok()).flatten();
        prefix
            .and_then(|prefix| Self::new(address, prefix))
            .ok_or_else(error)
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> Network {
        text.parse().expect("a network")
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn ranges_hold_their_addresses_only() {
        assert!(net("127.0.0.0/8").contains(ip("127.0.0.2")));
        assert!(!net("127.0.0.0/8").contains(ip("128.0.0.1")));
        assert!(net("127.0.0.1").contains(ip("127.0.0.1")));
        assert!(!net("127.0.0.1").contains(ip("127.0.0.2")));
        assert!(net("0.0.0.0/0").contains(ip("203.0.113.9")));
        assert!(!net("0.0.0.0/0").contains(ip("2001:db8::1")));
        assert!(net("2001:db8::/32").contains(ip("2001:db8:ffff::1")));
        assert!(!net("2001:db8::/32").contains(ip("2001:db9::1")));
        assert!(net("::/0").contains(ip("::1")));
        assert!(net("::1").contains(ip("::1")));
        assert!(net("10.0.0.0/8").contains(ip("::ffff:10.9.8.7")));
    }

    #[test]
    fn bad_texts_are_refused() {
        for text in [
            "",
            "localhost",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
            "10.0.0/8",
        ] {
            assert!(text.parse::<Network>().is_err(), "{text}");
        }
    }

    #[test]
    fn display_is_cidr() {
        assert_eq!(net("10.1.0.0/16").to_string(), "10.1.0.0/16");
        assert_eq!(net("::1").to_string(), "::1/128");
    }
}
