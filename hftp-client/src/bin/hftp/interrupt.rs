//! Ctrl-C: a download in flight stops cleanly and keeps its `.part` file
//! for `--continue`; anything else exits at once. A second Ctrl-C always
//! exits at once.
//!
//! In the shell, a command runs inside [`Interrupt::command`]: Ctrl-C
//! then cancels that command only (its token, and the connection it
//! uses), and the shell returns to its prompt. Each command gets a fresh
//! token, since a [`CancelToken`] stays cancelled once it is.

use std::net::TcpStream;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hftp_client::CancelToken;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::exit::Exit;
use crate::text;

/// Where Ctrl-C goes: the token of what runs now.
#[derive(Clone, Debug, Default)]
pub(crate) struct Interrupt {
    current: Arc<Mutex<Current>>,
}

/// What the signal handler acts on.
#[derive(Debug, Default)]
struct Current {
    /// Cancelled by the first Ctrl-C.
    token: CancelToken,
    /// True while a shell command runs: the first Ctrl-C stops the
    /// command, never the process.
    in_command: bool,
    /// How many signals the handler acted on.
    seen: u64,
}

/// Watches SIGINT and SIGTERM on a thread of its own; Ctrl-C cancels
/// [`Interrupt::token`], the token of everything run until
/// [`Interrupt::command`] gives a shell command its own.
pub(crate) fn install() -> Interrupt {
    let interrupt = Interrupt::default();
    let mut signals = match Signals::new([SIGINT, SIGTERM]) {
        Ok(signals) => signals,
        Err(error) => {
            log::warn!("{}", text::get().cannot_watch_signals(&error));
            return interrupt;
        }
    };
    let handler = interrupt.clone();
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                log::debug!("signal {signal}");
                if !handler.stop() {
                    std::process::exit(Exit::Interrupted as i32);
                }
            }
        });
    if let Err(error) = spawned {
        log::warn!("{}", text::get().cannot_watch_signals(&error));
    }
    interrupt
}

impl Interrupt {
    /// The token that Ctrl-C cancels now.
    pub(crate) fn token(&self) -> CancelToken {
        self.lock().token.clone()
    }

    /// Runs one shell command: a fresh token for it (returned with the
    /// guard), and Ctrl-C stops it, shutting `socket` down, instead of
    /// exiting. Dropping the guard ends the command.
    pub(crate) fn command(&self, socket: Option<&TcpStream>) -> (CancelToken, CommandGuard<'_>) {
        let mut current = self.lock();
        current.token = CancelToken::new();
        if let Some(socket) = socket {
            current.token.shut_on_cancel(socket);
        }
        current.in_command = true;
        (current.token.clone(), CommandGuard { interrupt: self })
    }

    /// Acts on one Ctrl-C; false when the process should exit: nothing
    /// could be stopped, or this is the second Ctrl-C.
    fn stop(&self) -> bool {
        let mut current = self.lock();
        current.seen += 1;
        let again = current.token.is_cancelled();
        let running = current.token.cancel();
        !again && (running || current.in_command)
    }

    /// How many signals the handler acted on so far.
    pub(crate) fn seen(&self) -> u64 {
        self.lock().seen
    }

    /// Waits, a second at most, until the handler acted on a signal
    /// after the first `seen`. A local command that Ctrl-C killed can end
    /// before this process's own copy of the signal is handled; the
    /// command must still count as running when it is.
    pub(crate) fn wait_handled_after(&self, seen: u64) {
        for _ in 0..100 {
            if self.seen() > seen {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    fn lock(&self) -> MutexGuard<'_, Current> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A shell command in flight; see [`Interrupt::command`].
#[derive(Debug)]
pub(crate) struct CommandGuard<'a> {
    interrupt: &'a Interrupt,
}

impl Drop for CommandGuard<'_> {
    fn drop(&mut self) {
        // A fresh token lets go of the command's connection.
        let mut current = self.interrupt.lock();
        current.token = CancelToken::new();
        current.in_command = false;
    }
}
