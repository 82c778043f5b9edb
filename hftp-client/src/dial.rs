//! How to reach one server: directly, at the addresses its name resolved
//! to, or through a SOCKS5 proxy that is told the name.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::Error;
use crate::proxy::{self, Destination, NoProxy, Proxy};

/// The way to one server, decided once and used for every connection to
/// it (the checker's, a parallel download's, a retry's).
///
/// Made by [`Builder::dialer`](crate::Builder::dialer), which applies
/// the proxy settings: a direct way holds the addresses the name
/// resolved to; a way through a proxy holds the name itself, which a
/// `socks5h` proxy resolves, so that a `.onion` name never reaches the
/// system resolver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dialer {
    /// The server as the user named it.
    target: String,
    route: Route,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Route {
    /// Straight to these addresses, the first that answers.
    Direct(Vec<SocketAddr>),
    /// Through a proxy, to a host and port.
    Proxied {
        proxy: Proxy,
        host: String,
        port: u16,
    },
}

/// The proxy settings of a [`Builder`](crate::Builder).
#[derive(Clone, Debug, Default)]
pub(crate) struct ProxySettings {
    pub(crate) proxy: Option<Proxy>,
    pub(crate) no_proxy: NoProxy,
    /// A wrapper such as torsocks resolves `.onion` names and carries
    /// the connections: the system resolver may be asked.
    pub(crate) system_reaches_onion: bool,
}

impl ProxySettings {
    /// The proxy connections to `host` go through, if any: none when
    /// `no_proxy` lists it.
    pub(crate) fn proxy_for(&self, host: &str) -> Option<&Proxy> {
        self.proxy.as_ref().filter(|_| !self.no_proxy.matches(host))
    }

    /// The way to `addr` (shown as `target` in errors): the proxy unless
    /// the host bypasses it.
    pub(crate) fn dialer<A: ToSocketAddrs + ?Sized>(
        &self,
        addr: &A,
        target: String,
        host_port: Option<(&str, u16)>,
    ) -> Result<Dialer, Error> {
        let proxy = host_port.and_then(|(host, _)| self.proxy_for(host));
        if let Some((host, _)) = host_port
            && proxy::is_onion(host)
            && !self.system_reaches_onion
            && !proxy.is_some_and(Proxy::resolves_names)
        {
            return Err(Error::Onion {
                host: host.to_owned(),
                proxy: proxy.cloned().map(Box::new),
            });
        }
        let route = match (proxy, host_port) {
            (Some(proxy), Some((host, port))) => Route::Proxied {
                proxy: proxy.clone(),
                host: host.to_owned(),
                port,
            },
            _ => {
                let addrs = addr.to_socket_addrs().map_err(|source| Error::Connect {
                    addr: target.clone(),
                    source,
                })?;
                Route::Direct(addrs.collect())
            }
        };
        Ok(Dialer { target, route })
    }
}

impl Dialer {
    /// A direct way to one address.
    #[must_use]
    pub fn direct(addr: SocketAddr) -> Self {
        Self {
            target: addr.to_string(),
            route: Route::Direct(vec![addr]),
        }
    }

    /// The proxy this way goes through, if any.
    #[must_use]
    pub const fn proxy(&self) -> Option<&Proxy> {
        match &self.route {
            Route::Direct(_) => None,
            Route::Proxied { proxy, .. } => Some(proxy),
        }
    }

    /// The server as it was named: `host:port`.
    #[must_use]
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Opens a connection, bounded by `timeout` (`None`: as long as the
    /// system waits). Gives the stream and the way that answered: for a
    /// direct way, the one address connected to, so that later
    /// connections go to the same server.
    ///
    /// # Errors
    ///
    /// [`Error::Connect`] when no address answers; [`Error::Proxy`] when
    /// the proxy fails or cannot reach the server.
    pub fn connect(&self, timeout: Option<Duration>) -> Result<(TcpStream, Self), Error> {
        match &self.route {
            Route::Direct(addrs) => {
                let mut last =
                    io::Error::new(io::ErrorKind::NotFound, "the name resolved to no address");
                for &addr in addrs {
                    let attempt = match timeout {
                        Some(timeout) => TcpStream::connect_timeout(&addr, timeout),
                        None => TcpStream::connect(addr),
                    };
                    match attempt {
                        Ok(stream) => {
                            let pinned = Self {
                                target: self.target.clone(),
                                route: Route::Direct(vec![addr]),
                            };
                            return Ok((stream, pinned));
                        }
                        Err(error) => {
                            log::debug!("connect to {addr}: {error}");
                            last = error;
                        }
                    }
                }
                Err(Error::Connect {
                    addr: self.target.clone(),
                    source: last,
                })
            }
            Route::Proxied { proxy, host, port } => {
                let stream = self.through(proxy, host, *port, timeout)?;
                log::debug!("connected to {} through {proxy}", self.target);
                Ok((stream, self.clone()))
            }
        }
    }

    /// A connection through `proxy`: the name goes to a `socks5h` proxy
    /// as it is; a `socks5` proxy gets the address it resolves to here.
    fn through(
        &self,
        proxy: &Proxy,
        host: &str,
        port: u16,
        timeout: Option<Duration>,
    ) -> Result<TcpStream, Error> {
        let fail = |source| Error::Proxy {
            proxy: Box::new(proxy.clone()),
            target: self.target.clone(),
            source,
        };
        let literal = host.parse::<IpAddr>().ok();
        let destination = match literal {
            Some(ip) => Destination::Ip(ip, port),
            None if proxy.resolves_names() => Destination::Name(host, port),
            None => {
                let addr = (host, port)
                    .to_socket_addrs()
                    .and_then(|mut addrs| {
                        addrs.next().ok_or_else(|| {
                            io::Error::new(
                                io::ErrorKind::NotFound,
                                "the name resolved to no address",
                            )
                        })
                    })
                    .map_err(|source| Error::Connect {
                        addr: self.target.clone(),
                        source,
                    })?;
                Destination::Ip(addr.ip(), port)
            }
        };
        proxy::through(proxy, destination, timeout).map_err(fail)
    }
}

impl From<SocketAddr> for Dialer {
    fn from(addr: SocketAddr) -> Self {
        Self::direct(addr)
    }
}

impl fmt::Display for Dialer {
    /// `host:port`, with ` through socks5h://…` when proxied.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.target)?;
        if let Some(proxy) = self.proxy() {
            write!(f, " through {proxy}")?;
        }
        Ok(())
    }
}
