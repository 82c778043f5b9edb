//! What every connection shares: the served directory, the limits, the
//! listings and the registry, built once from the [`Config`].
//!
//! A leaf below the server: the listener and the connections use it, and
//! it uses none of them.

use std::io;
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use hftp_proto::ServerConfig;

use crate::Config;
use crate::files::ServedDir;
use crate::listing::Listings;
use crate::proxied::Proxies;
use crate::registry::{Caps, Registry};
use crate::text::{self, Text};

/// How long a connection waits for its client with its input buffer; a
/// connection quiet longer lets the buffer go until input comes.
pub(crate) const KEEP_INPUT: Duration = Duration::from_secs(1);

/// What every connection thread shares.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The served directory, pinned to its real path; looked up again
    /// for every batch.
    pub(crate) directory: ServedDir,
    /// The protocol core's limits.
    pub(crate) proto: ServerConfig,
    /// Answer plain slices in fragments of at most this many bytes
    /// (rule 12), not base64.
    pub(crate) fragments: Option<u64>,
    /// Serve one client at a time.
    pub(crate) sequential: bool,
    /// How long a connection drains its client's input after a last reply.
    pub(crate) linger: Duration,
    /// The listings, shared between connections.
    pub(crate) listings: Listings,
    /// How long a client may stay silent while no reply is in flight.
    pub(crate) idle_timeout: Option<Duration>,
    /// How long a request line may take once its first byte arrived.
    pub(crate) request_timeout: Option<Duration>,
    /// The write timeout.
    pub(crate) send_timeout: Option<Duration>,
    /// The connection caps and the eviction rule.
    pub(crate) caps: Caps,
    /// The live connections and the stop flag.
    pub(crate) registry: Arc<Registry>,
    /// With the PROXY protocol on: who may send the header, and how long
    /// it may take.
    pub(crate) proxies: Option<Proxies>,
    /// The log's words, in the language of [`Config::lang`].
    pub(crate) text: &'static dyn Text,
}

impl Shared {
    /// The state every connection shares, from `config`, with each
    /// setting normalized once: a zero timeout or fragment size means
    /// none.
    pub(crate) fn new(config: &Config, directory: ServedDir) -> Self {
        let nonzero = |timeout: Option<Duration>| timeout.filter(|timeout| !timeout.is_zero());
        let text = text::text(config.lang);
        Self {
            directory,
            proto: ServerConfig::default().max_line_len(config.max_line_len),
            fragments: config.fragments.filter(|max| *max > 0),
            sequential: config.sequential,
            linger: config.linger,
            listings: Listings::new(config.ascii_names, text),
            idle_timeout: nonzero(config.idle_timeout),
            request_timeout: nonzero(config.request_timeout),
            send_timeout: nonzero(config.send_timeout),
            caps: Caps {
                total: config.max_connections,
                per_address: config.per_address_cap(),
                evict_after: config.evict_idle_after,
            },
            registry: Arc::new(Registry::new(text)),
            proxies: config.proxy_protocol.then(|| Proxies {
                from: config.proxy_from.clone(),
                timeout: nonzero(config.request_timeout).or(nonzero(config.idle_timeout)),
            }),
            text,
        }
    }

    /// Sets a new client's socket up: no Nagle delay, the send timeout,
    /// and a read timeout after which a quiet connection lets its input
    /// buffer go (the idle and request timeouts are the connection's).
    pub(crate) fn configure(&self, stream: &TcpStream) -> io::Result<()> {
        stream.set_nodelay(true)?;
        let keep = self
            .idle_timeout
            .map_or(KEEP_INPUT, |idle| idle.min(KEEP_INPUT));
        stream.set_read_timeout(Some(keep))?;
        stream.set_write_timeout(self.send_timeout)
    }
}
