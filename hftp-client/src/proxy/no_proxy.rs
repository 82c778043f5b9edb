//! The hosts reached directly even when a proxy is set, as curl reads
//! `NO_PROXY` and `--noproxy`.

use std::net::IpAddr;
use std::str::FromStr;

/// A list of hosts that bypass the proxy: `*` for all, host names (each
/// also covering its subdomains; a leading dot is the same), IP
/// addresses, and CIDR ranges, separated by commas.
///
/// ```
/// use hftp_client::NoProxy;
/// let list: NoProxy = "localhost, .lan,10.0.0.0/8,::1".parse().unwrap();
/// assert!(list.matches("localhost") && list.matches("files.lan"));
/// assert!(list.matches("10.1.2.3") && list.matches("[::1]"));
/// assert!(!list.matches("example.onion") && !list.matches("11.0.0.1"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoProxy {
    /// `*`: every host.
    all: bool,
    entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    /// A name, lowercase, without leading or trailing dots.
    Name(String),
    /// An address range: the network and its prefix length.
    Net(IpAddr, u8),
}

impl NoProxy {
    /// True when `host` (a name, or an IP literal, bracketed or not)
    /// should be reached without the proxy.
    #[must_use]
    pub fn matches(&self, host: &str) -> bool {
        if self.all {
            return true;
        }
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return self.entries.iter().any(|entry| match entry {
                Entry::Net(net, bits) => in_net(ip, *net, *bits),
                Entry::Name(_) => false,
            });
        }
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.entries.iter().any(|entry| match entry {
            Entry::Name(name) => {
                host == *name
                    || host
                        .strip_suffix(name.as_str())
                        .is_some_and(|rest| rest.ends_with('.'))
            }
            Entry::Net(..) => false,
        })
    }

    /// True when no host bypasses the proxy.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        !self.all && self.entries.is_empty()
    }
}

impl FromStr for NoProxy {
    type Err = std::convert::Infallible;

    /// Reads the list leniently, as curl does: what is not an address or
    /// a range is a name.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        let mut no_proxy = Self::default();
        for item in list
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            if item == "*" {
                no_proxy.all = true;
                continue;
            }
            let bare = item.trim_start_matches('[').trim_end_matches(']');
            let (addr, bits) = match bare.split_once('/') {
                Some((addr, bits)) => (addr, bits.parse::<u8>().ok()),
                None => (bare, None),
            };
            let entry = match addr.parse::<IpAddr>() {
                Ok(ip) => {
                    let max = if ip.is_ipv4() { 32 } else { 128 };
                    Entry::Net(ip, bits.unwrap_or(max).min(max))
                }
                Err(_) => Entry::Name(item.trim_matches('.').to_ascii_lowercase()),
            };
            no_proxy.entries.push(entry);
        }
        Ok(no_proxy)
    }
}

/// True when `ip` is in `net/bits` (an IPv4 network never holds an IPv6
/// address, nor the reverse).
fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    let (ip, net, width) = match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            (u128::from(ip.to_bits()), u128::from(net.to_bits()), 32)
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => (ip.to_bits(), net.to_bits(), 128),
        _ => return false,
    };
    let shift = width - u32::from(bits);
    shift >= width || ip >> shift == net >> shift
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str) -> NoProxy {
        text.parse().unwrap()
    }

    #[test]
    fn names_cover_their_subdomains_only() {
        let names = list("example.org, .LAN");
        assert!(names.matches("example.org") && names.matches("a.b.example.org"));
        assert!(names.matches("Example.Org.") && names.matches("box.lan"));
        assert!(!names.matches("badexample.org") && !names.matches("org"));
    }

    #[test]
    fn addresses_and_ranges() {
        let ranges = list("192.168.0.0/16, 127.0.0.1, fd00::/8");
        assert!(ranges.matches("192.168.7.1") && ranges.matches("127.0.0.1"));
        assert!(!ranges.matches("127.0.0.2") && !ranges.matches("192.169.0.1"));
        assert!(ranges.matches("fd12::1") && ranges.matches("[fd00::2]"));
        assert!(!ranges.matches("fe80::1") && !ranges.matches("::ffff:192.168.0.1"));
        assert!(list("0.0.0.0/0").matches("8.8.8.8"));
    }

    #[test]
    fn a_star_covers_everything_and_blanks_nothing() {
        assert!(list("*").matches("anything.onion"));
        assert!(list(" , ,").is_empty() && !list("").matches("localhost"));
    }
}
