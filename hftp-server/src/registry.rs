//! The live connections: counted for the caps, reachable for shutdown and
//! for eviction.
//!
//! Each connection's socket is shared (`Arc`, the same descriptor, no
//! `dup`) between its thread and this registry, so a graceful stop can
//! wake idle readers (`shutdown(Read)`) and, after the grace, cut the
//! rest (`shutdown(Both)`), and a newcomer to a full server can close the
//! connection that has waited the longest for its client.

use std::collections::HashMap;
use std::net::{IpAddr, Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use log::info;

use crate::text::Text;

/// How often a sequential server waiting for its client to leave looks
/// for a stop.
const STOP_CHECK: Duration = Duration::from_millis(100);

/// How long a newcomer waits for the connection it evicted to end.
const EVICTION_WAIT: Duration = Duration::from_secs(1);

/// The live connections and the stop flag.
#[derive(Debug)]
pub(crate) struct Registry {
    live: Mutex<Live>,
    /// Signalled whenever a connection leaves.
    left: Condvar,
    stopping: AtomicBool,
    /// The origin of the quiet-since times.
    epoch: Instant,
    /// The log's words, for evictions.
    text: &'static dyn Text,
}

impl Registry {
    /// No connection yet; evictions are logged in `text`'s words.
    pub(crate) fn new(text: &'static dyn Text) -> Self {
        Self {
            live: Mutex::default(),
            left: Condvar::new(),
            stopping: AtomicBool::new(false),
            epoch: Instant::now(),
            text,
        }
    }
}

#[derive(Debug, Default)]
struct Live {
    next_id: u64,
    conns: HashMap<u64, Entry>,
    per_address: HashMap<IpAddr, usize>,
}

/// A live connection, as the registry sees it.
#[derive(Debug)]
struct Entry {
    stream: Arc<TcpStream>,
    /// The client's address: the socket's peer, or the one its PROXY
    /// header named.
    peer: SocketAddr,
    /// Whether `peer` counts against its address's cap: not while a
    /// PROXY header that will name the client is awaited.
    counted: bool,
    activity: Arc<Activity>,
}

/// What a connection's thread tells the registry: whether it waits for
/// its client, since when, and whether it was evicted.
#[derive(Debug, Default)]
pub(crate) struct Activity {
    /// Nanoseconds after the registry's epoch, plus one, since when the
    /// connection has completed no request, while it waits for its
    /// client; 0 while it works on a reply.
    quiet_since: AtomicU64,
    /// Closed to make room for a newcomer.
    evicted: AtomicBool,
}

impl Activity {
    /// True if the connection was closed to make room for a newcomer.
    pub(crate) fn was_evicted(&self) -> bool {
        self.evicted.load(Ordering::Acquire)
    }
}

/// The caps a newcomer is admitted under.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caps {
    /// Connections in all.
    pub(crate) total: usize,
    /// Connections from one address.
    pub(crate) per_address: usize,
    /// How long a connection must have been quiet to be evicted.
    pub(crate) evict_after: Duration,
}

/// Why a newcomer was not admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Its address holds its share already.
    AddressFull(usize),
    /// The server is full of connections that are working, or not quiet
    /// for long enough.
    Full(usize),
}

impl Refusal {
    /// Why, in `text`'s words.
    pub(crate) fn words(self, text: &dyn Text) -> String {
        match self {
            Self::AddressFull(cap) => text.address_full(cap),
            Self::Full(cap) => text.server_full(cap),
        }
    }
}

/// A connection's place in the registry; dropping it leaves.
#[derive(Debug)]
pub(crate) struct Ticket {
    registry: Arc<Registry>,
    id: u64,
    activity: Arc<Activity>,
}

impl Ticket {
    /// The connection waits for its client; no request completed since
    /// `since`.
    pub(crate) fn quiet_since(&self, since: Instant) {
        let stamp = self.registry.stamp(since);
        self.activity.quiet_since.store(stamp, Ordering::Release);
    }

    /// The connection works on a request: it is not to be evicted.
    pub(crate) fn busy(&self) {
        self.activity.quiet_since.store(0, Ordering::Release);
    }

    /// What the registry knows of this connection.
    pub(crate) fn activity(&self) -> &Activity {
        &self.activity
    }

    /// Names the client of a connection admitted unidentified (its PROXY
    /// header came), and counts it against its address's cap; refused if
    /// that address holds its share already.
    pub(crate) fn identify(&self, client: SocketAddr, per_address: usize) -> Result<(), Refusal> {
        let mut live = self.registry.lock();
        let from_address = live.per_address.get(&client.ip()).copied().unwrap_or(0);
        if from_address >= per_address {
            return Err(Refusal::AddressFull(per_address));
        }
        let Some(entry) = live.conns.get_mut(&self.id) else {
            return Ok(());
        };
        entry.peer = client;
        if !std::mem::replace(&mut entry.counted, true) {
            *live.per_address.entry(client.ip()).or_default() += 1;
        }
        Ok(())
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut live = self.registry.lock();
        if let Some(entry) = live.conns.remove(&self.id)
            && entry.counted
        {
            let address = entry.peer.ip();
            if let Some(count) = live.per_address.get_mut(&address) {
                *count -= 1;
                if *count == 0 {
                    live.per_address.remove(&address);
                }
            }
        }
        self.registry.left.notify_all();
    }
}

impl Registry {
    /// The set of live connections; a poisoned lock is still usable, as
    /// the maps are never left half-changed.
    fn lock(&self) -> MutexGuard<'_, Live> {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Admits a connection from `peer` under `caps`. When the server is
    /// full, the connection quiet the longest (at least
    /// `caps.evict_after`) is closed first, and the newcomer waits for it
    /// to end.
    pub(crate) fn admit(
        self: &Arc<Self>,
        stream: &Arc<TcpStream>,
        peer: SocketAddr,
        caps: Caps,
    ) -> Result<Ticket, Refusal> {
        self.admit_as(stream, peer, caps, true)
    }

    /// Admits a connection whose client a PROXY header will name, under
    /// the total cap only; [`Ticket::identify`] counts it against its
    /// client's address.
    pub(crate) fn admit_unidentified(
        self: &Arc<Self>,
        stream: &Arc<TcpStream>,
        peer: SocketAddr,
        caps: Caps,
    ) -> Result<Ticket, Refusal> {
        self.admit_as(stream, peer, caps, false)
    }

    /// Admits a connection; `counted`: against `peer`'s address's cap too.
    fn admit_as(
        self: &Arc<Self>,
        stream: &Arc<TcpStream>,
        peer: SocketAddr,
        caps: Caps,
        counted: bool,
    ) -> Result<Ticket, Refusal> {
        let mut live = self.lock();
        let from_address = live.per_address.get(&peer.ip()).copied().unwrap_or(0);
        if counted && from_address >= caps.per_address {
            return Err(Refusal::AddressFull(caps.per_address));
        }
        if live.conns.len() >= caps.total {
            live = self.evict_for(live, peer, caps)?;
        }
        let id = live.next_id;
        live.next_id += 1;
        let activity = Arc::new(Activity::default());
        live.conns.insert(
            id,
            Entry {
                stream: Arc::clone(stream),
                peer,
                counted,
                activity: Arc::clone(&activity),
            },
        );
        if counted {
            *live.per_address.entry(peer.ip()).or_default() += 1;
        }
        let ticket = Ticket {
            registry: Arc::clone(self),
            id,
            activity,
        };
        // Quiet from its first moment: a connection that never speaks is
        // the first to go.
        ticket.quiet_since(Instant::now());
        Ok(ticket)
    }

    /// Closes the connection quiet the longest, if one has been quiet
    /// long enough, and waits until it left.
    fn evict_for<'a>(
        &'a self,
        live: MutexGuard<'a, Live>,
        newcomer: SocketAddr,
        caps: Caps,
    ) -> Result<MutexGuard<'a, Live>, Refusal> {
        let now = self.stamp(Instant::now());
        let victim = live
            .conns
            .values()
            .filter(|entry| !entry.activity.was_evicted())
            .filter_map(|entry| {
                let since = entry.activity.quiet_since.load(Ordering::Acquire);
                let quiet = Duration::from_nanos(now.saturating_sub(since));
                (since != 0 && quiet >= caps.evict_after).then_some((quiet, entry))
            })
            .max_by_key(|(quiet, _)| *quiet);
        let Some((quiet, victim)) = victim else {
            return Err(Refusal::Full(caps.total));
        };
        info!("{}", self.text.evicted(victim.peer, quiet, newcomer));
        victim.activity.evicted.store(true, Ordering::Release);
        // Wakes its thread, which sees the end of its input. A socket the
        // peer already closed may refuse: it is ending.
        let _ = victim.stream.shutdown(Shutdown::Read);
        let (live, room) =
            self.wait_until(live, EVICTION_WAIT, |live| live.conns.len() < caps.total);
        if room {
            Ok(live)
        } else {
            Err(Refusal::Full(caps.total))
        }
    }

    /// `at` as a quiet-since stamp: nanoseconds after the epoch, plus one
    /// (0 means busy).
    fn stamp(&self, at: Instant) -> u64 {
        let nanos = at.saturating_duration_since(self.epoch).as_nanos();
        u64::try_from(nanos).unwrap_or(u64::MAX - 1) + 1
    }

    /// Waits until `done` holds of the live connections, re-checked each
    /// time one leaves, or `timeout` passed; returns whether it holds.
    fn wait_until<'a>(
        &'a self,
        mut live: MutexGuard<'a, Live>,
        timeout: Duration,
        done: impl Fn(&Live) -> bool,
    ) -> (MutexGuard<'a, Live>, bool) {
        let deadline = Instant::now() + timeout;
        while !done(&live) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return (live, false);
            }
            live = match self.left.wait_timeout(live, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        (live, true)
    }

    /// Waits, for a sequential server, until no connection is live; false
    /// if a stop began first.
    pub(crate) fn wait_alone(&self) -> bool {
        let mut live = self.lock();
        loop {
            let (guard, empty) = self.wait_until(live, STOP_CHECK, |live| live.conns.is_empty());
            if self.is_stopping() {
                return false;
            }
            if empty {
                return true;
            }
            live = guard;
        }
    }

    /// How many connections are live.
    pub(crate) fn len(&self) -> usize {
        self.lock().conns.len()
    }

    /// True once a stop began: connections end after the reply in flight.
    pub(crate) fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    /// Begins a stop; true the first time.
    pub(crate) fn stop(&self) -> bool {
        !self.stopping.swap(true, Ordering::AcqRel)
    }

    /// Shuts `how` on every live connection.
    pub(crate) fn shutdown_all(&self, how: Shutdown) {
        for entry in self.lock().conns.values() {
            // A socket the peer already closed may refuse: it is ending.
            let _ = entry.stream.shutdown(how);
        }
    }

    /// Waits until no connection is live, or `timeout` passed; true if
    /// none is left.
    pub(crate) fn wait_empty(&self, timeout: Duration) -> bool {
        self.wait_until(self.lock(), timeout, |live| live.conns.is_empty())
            .1
    }
}
