//! Cancelling downloads from another thread, such as a signal handler's.

use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::Error;

/// A handle that stops downloads from another thread.
///
/// [`cancel`](Self::cancel) sets a flag that downloads check between
/// chunks, and shuts down the sockets they registered, so a download
/// blocked on a silent server returns at once. The download then leaves
/// its `.part` file ready for a resume and returns [`Error::Interrupted`].
///
/// ```
/// use hftp_client::CancelToken;
/// let token = CancelToken::new();
/// let for_handler = token.clone();
/// // In a signal handler's thread: if nothing is running, exit at once.
/// let running = for_handler.cancel();
/// assert!(!running && token.is_cancelled());
/// ```
#[derive(Clone, Debug, Default)]
pub struct CancelToken {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    cancelled: bool,
    active: usize,
    next_id: u64,
    streams: Vec<(u64, TcpStream)>,
}

impl CancelToken {
    /// A token not cancelled yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Cancels every download using this token, now and later. Returns
    /// true if one was running: it will clean up and return
    /// [`Error::Interrupted`]; false if none was, so the caller may exit.
    pub fn cancel(&self) -> bool {
        let mut state = self.lock();
        state.cancelled = true;
        for (_, stream) in &state.streams {
            let _ = stream.shutdown(Shutdown::Both);
        }
        state.active > 0
    }

    /// True once [`cancel`](Self::cancel) was called.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.lock().cancelled
    }

    /// Marks an operation as running until the guard drops; refuses if the
    /// token is already cancelled.
    pub(crate) fn enter(&self) -> Result<Active<'_>, Error> {
        let mut state = self.lock();
        if state.cancelled {
            return Err(Error::Interrupted);
        }
        state.active += 1;
        Ok(Active { token: self })
    }

    /// Shuts `stream` down when this token is cancelled (at once if it
    /// already is), for as long as the token lives: a read or write
    /// blocked on it returns. For a connection used outside the
    /// downloads, such as a command of an interactive shell.
    pub fn shut_on_cancel(&self, stream: &TcpStream) {
        self.register(stream);
    }

    /// Shuts `stream` down on cancel, until the guard drops.
    pub(crate) fn watch(&self, stream: &TcpStream) -> Watch<'_> {
        Watch {
            token: self,
            id: self.register(stream),
        }
    }

    /// Adds `stream` to those shut down on cancel (or shuts it down now);
    /// returns its id.
    fn register(&self, stream: &TcpStream) -> u64 {
        let mut state = self.lock();
        let id = state.next_id;
        state.next_id += 1;
        match stream.try_clone() {
            Ok(clone) if state.cancelled => {
                let _ = clone.shutdown(Shutdown::Both);
            }
            Ok(clone) => state.streams.push((id, clone)),
            Err(error) => log::debug!("cannot watch a socket for cancel: {error}"),
        }
        id
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running operation; see [`CancelToken::enter`].
#[derive(Debug)]
pub(crate) struct Active<'a> {
    token: &'a CancelToken,
}

impl Drop for Active<'_> {
    fn drop(&mut self) {
        self.token.lock().active -= 1;
    }
}

/// A watched socket; see [`CancelToken::watch`].
#[derive(Debug)]
pub(crate) struct Watch<'a> {
    token: &'a CancelToken,
    id: u64,
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.token.lock().streams.retain(|(id, _)| *id != self.id);
    }
}
