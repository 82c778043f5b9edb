//! Which proxy the connections take, as curl chooses: `--tor`, else
//! `--proxy`, else `HFTP_PROXY`, else `ALL_PROXY` (`all_proxy` first);
//! the hosts that bypass it from `--noproxy`, else `NO_PROXY`.

use std::env::{self, VarError};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

use hftp_client::{NoProxy, Proxy, ServerAddr};

use crate::exit::Failure;
use crate::text;

/// The proxy options of the command line.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ProxyArgs {
    // Not a doc comment: rustdoc would read the brackets as links.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        conflicts_with = "tor",
        help = "Connect through this SOCKS5 proxy: socks5h://HOST[:PORT] (the proxy resolves names, as a .onion needs) or socks5://HOST[:PORT], with an optional USER:PASSWORD@ before the host; \"\" for none [default: $HFTP_PROXY, else $ALL_PROXY]"
    )]
    proxy: Option<String>,

    /// Hosts reached without the proxy: names (with their subdomains),
    /// addresses and CIDR ranges, separated by commas; * for all
    /// [default: $NO_PROXY]
    #[arg(long, global = true, value_name = "LIST")]
    noproxy: Option<String>,

    /// Through Tor: --proxy socks5h://127.0.0.1:9050, or Tor Browser's
    /// port 9150 when 9050 does not answer.
    #[arg(long, global = true)]
    tor: bool,
}

/// The variables read, in order, when no option names a proxy.
const PROXY_VARIABLES: [&str; 3] = ["HFTP_PROXY", "all_proxy", "ALL_PROXY"];
/// The variables read, in order, when `--noproxy` is not given.
const NO_PROXY_VARIABLES: [&str; 2] = ["no_proxy", "NO_PROXY"];

/// The proxy settings chosen, and a notice for the user, if any.
#[derive(Debug)]
pub(crate) struct Choice {
    pub(crate) proxy: Option<Proxy>,
    pub(crate) no_proxy: NoProxy,
    /// Said once, unless `--quiet` (the Tor Browser fallback).
    pub(crate) notice: Option<String>,
    /// True under torsocks, which carries `.onion` names itself.
    pub(crate) torsocks: bool,
}

impl ProxyArgs {
    /// Reads the options and the environment.
    pub(crate) fn choose(&self) -> Result<Choice, Failure> {
        let mut notice = None;
        let proxy = if self.tor {
            let (proxy, said) = find_tor();
            notice = said;
            Some(proxy)
        } else if let Some(url) = &self.proxy {
            parse(url, "--proxy")?
        } else {
            match first_set(&PROXY_VARIABLES)? {
                Some((name, url)) => parse(&url, name)?,
                None => None,
            }
        };
        let no_proxy = match &self.noproxy {
            Some(list) => list.parse(),
            None => first_set(&NO_PROXY_VARIABLES)?
                .map_or_else(|| Ok(NoProxy::default()), |(_, list)| list.parse()),
        }
        .unwrap_or_default();
        Ok(Choice {
            proxy,
            no_proxy,
            notice,
            torsocks: under_torsocks(),
        })
    }
}

/// A proxy URL from `origin` (an option or a variable); empty is none.
fn parse(url: &str, origin: &str) -> Result<Option<Proxy>, Failure> {
    if url.is_empty() {
        return Ok(None);
    }
    url.parse()
        .map(Some)
        .map_err(|error| Failure::usage(format!("{origin}: {error}")))
}

/// The first of `names` set to a non-empty value.
fn first_set(names: &[&'static str]) -> Result<Option<(&'static str, String)>, Failure> {
    for &name in names {
        match env::var(name) {
            Ok(value) if !value.is_empty() => return Ok(Some((name, value))),
            Ok(_) | Err(VarError::NotPresent) => {}
            Err(VarError::NotUnicode(_)) => {
                return Err(Failure::usage(text::get().not_utf8(name)));
            }
        }
    }
    Ok(None)
}

/// Tor's SOCKS port, or Tor Browser's when only it answers (saying so).
fn find_tor() -> (Proxy, Option<String>) {
    find_tor_on(Proxy::TOR_PORT, Proxy::TOR_BROWSER_PORT)
}

/// A local Tor's SOCKS port: `tor` if it answers or `browser` does not
/// either (the error will then name the usual port), else `browser`,
/// with a notice.
fn find_tor_on(tor: u16, browser: u16) -> (Proxy, Option<String>) {
    let answers = |port| {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok()
    };
    let on = |port| Proxy::new(ServerAddr::new("127.0.0.1", port), true);
    if answers(tor) || !answers(browser) {
        return (on(tor), None);
    }
    let notice = text::get().tor_browser_port(tor, &on(browser).to_string());
    (on(browser), Some(notice))
}

/// True when torsocks is preloaded: it resolves `.onion` names and
/// carries every connection through Tor itself.
fn under_torsocks() -> bool {
    env::var_os("LD_PRELOAD")
        .is_some_and(|preload| preload.to_string_lossy().contains("libtorsocks"))
}

#[cfg(test)]
mod tests {
    use std::net::TcpListener;

    use super::*;

    /// A port that answers, and one that was just freed.
    fn ports() -> (TcpListener, u16) {
        let open = TcpListener::bind("127.0.0.1:0").expect("bind");
        let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
        let closed_port = closed.local_addr().expect("address").port();
        drop(closed);
        (open, closed_port)
    }

    #[test]
    fn tor_falls_back_to_tor_browser_saying_so() {
        let (browser, tor) = ports();
        let browser = browser.local_addr().expect("address").port();
        let (proxy, notice) = find_tor_on(tor, browser);
        assert_eq!(proxy.addr().port(), browser);
        assert!(proxy.resolves_names());
        let notice = notice.expect("a notice");
        assert!(notice.contains(&format!("port {tor}")), "{notice}");
        assert!(notice.contains("Tor Browser's"), "{notice}");
    }

    #[test]
    fn tor_keeps_its_port_when_it_answers_or_nothing_does() {
        let (tor, closed) = ports();
        let tor = tor.local_addr().expect("address").port();
        let (open_browser, _) = ports();
        let browser = open_browser.local_addr().expect("address").port();
        assert_eq!(find_tor_on(tor, browser).0.addr().port(), tor);
        let (proxy, notice) = find_tor_on(closed, closed);
        assert_eq!((proxy.addr().port(), notice), (closed, None));
    }
}
