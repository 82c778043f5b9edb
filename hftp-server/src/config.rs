//! Everything a server can be told, with the command line's defaults.

use std::net::{IpAddr, Ipv6Addr};
use std::path::PathBuf;
use std::time::Duration;

use crate::{Lang, Network};

/// A server's settings: the directory, where to listen, and the limits
/// that keep hostile clients from hurting the others.
///
/// Build one with [`Config::new`] and the chainable setters; every field
/// documents its default.
///
/// ```
/// use std::time::Duration;
/// let config = hftp_server::Config::new("/srv/files")
///     .port(0)
///     .idle_timeout(Some(Duration::from_secs(30)));
/// assert_eq!(config.port, 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// The served directory. Its regular files, and nothing else, are
    /// served. It is looked up by this path again for every batch of
    /// requests, so it may be deleted and recreated while the server runs.
    /// Default: the current directory.
    pub directory: PathBuf,
    /// The address to listen on. Default `::`, dual-stack; where IPv6 is
    /// unavailable the server falls back to `0.0.0.0` and logs it.
    pub address: IpAddr,
    /// The TCP port; `0` picks a free one (see
    /// [`Server::local_addr`](crate::Server::local_addr)). Default 19500.
    pub port: u16,
    /// The most clients served at once; the next one is answered
    /// `199 INTERNAL SERVER ERROR` and closed. Each client costs a thread
    /// and a file descriptor. Default 1024, at most
    /// [`Config::MAX_CONNECTIONS`].
    pub max_connections: usize,
    /// The most clients served at once from one address (an IPv6 address
    /// counts whole); the next one from that address is answered `199`
    /// and closed, so one machine cannot take the whole server. `None`:
    /// half of [`max_connections`](Self::max_connections), rounded up.
    /// Default `None`.
    pub max_per_address: Option<usize>,
    /// When the server is full, a newcomer is let in by closing the
    /// connection that has waited the longest for its client without a
    /// request completing (an idle client, or one trickling a line), if it
    /// has waited at least this long; otherwise the newcomer is refused.
    /// Holding sockets open is then not enough to deny service. Default
    /// 1 s.
    pub evict_idle_after: Duration,
    /// List only ASCII names (rule 7): the course clients crash on other
    /// bytes. `get_metadata` and `get_slice` still accept every valid
    /// name. Default false.
    pub ascii_names: bool,
    /// How long a client may stay silent while no reply is in flight
    /// before it is closed; `None` waits forever. Default 300 s.
    pub idle_timeout: Option<Duration>,
    /// How long a request line may take to arrive once its first byte
    /// has: a client that trickles an endless line (slowloris) is closed
    /// then, however steadily its bytes come. `None` waits forever.
    /// Default 30 s.
    pub request_timeout: Option<Duration>,
    /// How long one write may block on a client that stopped reading
    /// before it is cut; a client that keeps reading is never cut.
    /// `None` waits forever. Default 60 s.
    pub send_timeout: Option<Duration>,
    /// After a last reply (to `quit`, or a fatal code), how long the
    /// connection keeps reading and dropping what its client still
    /// sends: closing with unread input would reset the connection, and
    /// the reset could destroy the reply before the client read it.
    /// Default 1 s.
    pub linger: Duration,
    /// On shutdown, how long replies in flight may take to finish before
    /// every connection is closed. Default 10 s.
    pub grace: Duration,
    /// The longest request line, in bytes (rule 9); a longer one is
    /// answered `101`. Default 16 MiB.
    pub max_line_len: u64,
    /// Answer plain `get_slice` (not `raw`) with the seed's fragments of
    /// at most this many bytes (rule 12) instead of base64, for clients of
    /// the course before 2019. `None`: base64. Default `None`.
    pub fragments: Option<u64>,
    /// Serve one client at a time, as the seed's first server did: the
    /// next one waits in the listen queue until the current one leaves,
    /// and is never refused. Default false (concurrent).
    pub sequential: bool,
    /// Expect a PROXY protocol header (version 1 or 2, as HAProxy's
    /// `send-proxy` and `send-proxy-v2` send) at the start of every
    /// connection, and take the client's address from it: for the logs
    /// and for [`max_per_address`](Self::max_per_address). A connection
    /// from an address outside [`proxy_from`](Self::proxy_from), or
    /// without a valid header within the request timeout (or the idle
    /// timeout if there is none), is closed and logged. A `LOCAL` header
    /// (a health check) or an `UNKNOWN` one keeps the proxy's own address.
    /// Default false.
    pub proxy_protocol: bool,
    /// With [`proxy_protocol`](Self::proxy_protocol), the addresses that
    /// may send the header: the load balancers. Default `127.0.0.0/8` and
    /// `::1` (a proxy on the same machine).
    pub proxy_from: Vec<Network>,
    /// The language of the log's messages an operator reads. The request
    /// log's fields are the same in every language, and so is every byte
    /// a client receives. Default English.
    pub lang: Lang,
}

impl Config {
    /// The command line's default port, 19500.
    pub const DEFAULT_PORT: u16 = hftp_proto::DEFAULT_PORT;
    /// The default connection cap.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
    /// The highest connection cap accepted: a thread per client, and a
    /// process cannot hold many more threads than this (about 16 000 on
    /// Linux, where going over aborts the process).
    pub const MAX_CONNECTIONS: usize = 12_000;
    /// The default wait before a quiet connection may be closed for a
    /// newcomer when the server is full: 1 s.
    pub const DEFAULT_EVICT_IDLE_AFTER: Duration = Duration::from_secs(1);
    /// The default request timeout: 30 s.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    /// The default idle timeout: 300 s.
    pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);
    /// The default send timeout: 60 s.
    pub const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(60);
    /// The fragment size old servers used most: 4096 bytes.
    pub const DEFAULT_FRAGMENT_SIZE: u64 = 4096;
    /// The default linger after a last reply: 1 s.
    pub const DEFAULT_LINGER: Duration = Duration::from_secs(1);
    /// The default shutdown grace: 10 s.
    pub const DEFAULT_GRACE: Duration = Duration::from_secs(10);

    /// The defaults, serving `directory`.
    #[must_use]
    pub fn new(directory: impl Into<PathBuf>) -> Self {
        Self {
            directory: directory.into(),
            address: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            port: Self::DEFAULT_PORT,
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            max_per_address: None,
            evict_idle_after: Self::DEFAULT_EVICT_IDLE_AFTER,
            ascii_names: false,
            idle_timeout: Some(Self::DEFAULT_IDLE_TIMEOUT),
            request_timeout: Some(Self::DEFAULT_REQUEST_TIMEOUT),
            send_timeout: Some(Self::DEFAULT_SEND_TIMEOUT),
            linger: Self::DEFAULT_LINGER,
            grace: Self::DEFAULT_GRACE,
            max_line_len: hftp_proto::ServerConfig::DEFAULT_MAX_LINE_LEN,
            fragments: None,
            sequential: false,
            proxy_protocol: false,
            proxy_from: vec![Network::LOOPBACK_V4, Network::LOOPBACK_V6],
            lang: Lang::En,
        }
    }

    /// Sets [`address`](Self::address).
    #[must_use]
    pub fn address(mut self, address: IpAddr) -> Self {
        self.address = address;
        self
    }

    /// Sets [`port`](Self::port).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets [`max_connections`](Self::max_connections).
    #[must_use]
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = max;
        self
    }

    /// Sets [`max_per_address`](Self::max_per_address).
    #[must_use]
    pub fn max_per_address(mut self, max: Option<usize>) -> Self {
        self.max_per_address = max;
        self
    }

    /// The cap per address in force: the one set, or half of the
    /// connection cap.
    #[must_use]
    pub fn per_address_cap(&self) -> usize {
        self.max_per_address
            .unwrap_or_else(|| self.max_connections.div_ceil(2))
    }

    /// Sets [`evict_idle_after`](Self::evict_idle_after).
    #[must_use]
    pub fn evict_idle_after(mut self, quiet: Duration) -> Self {
        self.evict_idle_after = quiet;
        self
    }

    /// Sets [`request_timeout`](Self::request_timeout).
    #[must_use]
    pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets [`ascii_names`](Self::ascii_names).
    #[must_use]
    pub fn ascii_names(mut self, ascii_only: bool) -> Self {
        self.ascii_names = ascii_only;
        self
    }

    /// Sets [`idle_timeout`](Self::idle_timeout).
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets [`send_timeout`](Self::send_timeout).
    #[must_use]
    pub fn send_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.send_timeout = timeout;
        self
    }

    /// Sets [`grace`](Self::grace).
    #[must_use]
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// Sets [`fragments`](Self::fragments).
    #[must_use]
    pub fn fragments(mut self, max_fragment: Option<u64>) -> Self {
        self.fragments = max_fragment;
        self
    }

    /// Sets [`linger`](Self::linger).
    #[must_use]
    pub fn linger(mut self, linger: Duration) -> Self {
        self.linger = linger;
        self
    }

    /// Sets [`sequential`](Self::sequential).
    #[must_use]
    pub fn sequential(mut self, one_at_a_time: bool) -> Self {
        self.sequential = one_at_a_time;
        self
    }

    /// Sets [`proxy_protocol`](Self::proxy_protocol).
    #[must_use]
    pub fn proxy_protocol(mut self, expected: bool) -> Self {
        self.proxy_protocol = expected;
        self
    }

    /// Sets [`proxy_from`](Self::proxy_from).
    #[must_use]
    pub fn proxy_from(mut self, senders: Vec<Network>) -> Self {
        self.proxy_from = senders;
        self
    }

    /// Sets [`lang`](Self::lang).
    #[must_use]
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }

    /// Sets [`max_line_len`](Self::max_line_len).
    #[must_use]
    pub fn max_line_len(mut self, bytes: u64) -> Self {
        self.max_line_len = bytes;
        self
    }
}

impl Default for Config {
    /// The defaults, serving the current directory.
    fn default() -> Self {
        Self::new(".")
    }
}
