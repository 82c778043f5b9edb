//! The live connections: counted for the cap, reachable for shutdown.
//!
//! Each connection's socket is shared (`Arc`, the same descriptor, no
//! `dup`) between its thread and this registry, so a graceful stop can
//! wake idle readers (`shutdown(Read)`) and, after the grace, cut the
//! rest (`shutdown(Both)`).

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The live connections and the stop flag.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    live: Mutex<Live>,
    emptied: Condvar,
    stopping: AtomicBool,
}

#[derive(Debug, Default)]
struct Live {
    next_id: u64,
    streams: HashMap<u64, Arc<TcpStream>>,
}

/// A connection's place in the registry; dropping it leaves.
#[derive(Debug)]
pub(crate) struct Ticket {
    registry: Arc<Registry>,
    id: u64,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut live = self.registry.lock();
        live.streams.remove(&self.id);
        if live.streams.is_empty() {
            self.registry.emptied.notify_all();
        }
    }
}

impl Registry {
    /// The set of live connections; a poisoned lock is still usable, as
    /// the map is never left half-changed.
    fn lock(&self) -> MutexGuard<'_, Live> {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds a connection if fewer than `max` are live.
    pub(crate) fn admit(self: &Arc<Self>, stream: &Arc<TcpStream>, max: usize) -> Option<Ticket> {
        let mut live = self.lock();
        if live.streams.len() >= max {
            return None;
        }
        let id = live.next_id;
        live.next_id += 1;
        live.streams.insert(id, Arc::clone(stream));
        Some(Ticket {
            registry: Arc::clone(self),
            id,
        })
    }

    /// How many connections are live.
    pub(crate) fn len(&self) -> usize {
        self.lock().streams.len()
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
        for stream in self.lock().streams.values() {
            // A socket the peer already closed may refuse: it is ending.
            let _ = stream.shutdown(how);
        }
    }

    /// Waits until no connection is live, or `timeout` passed; true if
    /// none is left.
    pub(crate) fn wait_empty(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut live = self.lock();
        while !live.streams.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            live = match self.emptied.wait_timeout(live, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        true
    }
}
