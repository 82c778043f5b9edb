//! What the server's log says to an operator, in each language: one
//! method per message, each saying where it is shown.
//!
//! The request log's fields (peer, command, name, code, bytes, time) are
//! not here: tools parse them, so they never change with the language.
//! A message missing in one language does not compile, nor does one that
//! drops a value the other shows (`#![deny(unused_variables)]`).

mod en;
mod es;

use std::fmt::{Debug, Display};
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use hftp_proto::{Code, Fatal, Unlisted};

use crate::Lang;

/// The log's words in one language.
pub(crate) trait Text: Debug + Send + Sync {
    /// Warn, at start-up: how many entries of the served directory no
    /// client will see (the reasons follow, from [`Text::unserved`]).
    fn not_served(&self, total: usize, dir: &Path) -> String;
    /// The start-up warning's words for `count` entries left out for
    /// `why`.
    fn unserved(&self, why: Unserved, count: usize) -> &'static str;
    /// Info, at start-up with `--fragments`.
    fn fragments_on(&self, max: u64) -> String;
    /// Info, at start-up with `--sequential`.
    fn sequential_on(&self) -> String;
    /// Info, at start-up with `--proxy-protocol`: `from` lists the
    /// addresses allowed to send the header.
    fn proxy_protocol_on(&self, from: &str) -> String;
    /// Info, when `::` cannot be had and the server falls back to IPv4.
    fn ipv6_unavailable(&self, error: &io::Error, fallback: SocketAddr) -> String;

    /// Info, on stopping with connections still open.
    fn stopping(&self, grace: Duration, busy: usize) -> String;
    /// Warn, when the grace is over and connections are still busy.
    fn grace_over(&self, busy: usize) -> String;
    /// Warn, when connection threads outlive the grace.
    fn threads_left(&self, left: usize) -> String;
    /// Info, the last line of a run.
    fn stopped(&self) -> String;

    /// Warn, when accepting fails for lack of descriptors or memory.
    fn accept_backoff(&self, error: &io::Error) -> String;
    /// Debug (or warn for an unexpected error), when accepting fails.
    fn accept_failed(&self, error: &io::Error) -> String;
    /// Warn, when an address not allowed to send a PROXY header connects.
    fn proxy_not_allowed(&self, peer: SocketAddr) -> String;
    /// Warn, when a client is turned away with `code` (199); `why` comes
    /// from [`Text::address_full`], [`Text::server_full`] or
    /// [`Text::no_thread`].
    fn refused(&self, peer: SocketAddr, code: u16, why: &str) -> String;
    /// Why a client is refused: its address holds its share already.
    fn address_full(&self, cap: usize) -> String;
    /// Why a client is refused: the server is full and nobody is quiet.
    fn server_full(&self, cap: usize) -> String;
    /// Why a client is refused: no thread could be started for it.
    fn no_thread(&self, error: &io::Error) -> String;
    /// Info, when a quiet connection is closed to let a newcomer in.
    fn evicted(&self, victim: SocketAddr, quiet: Duration, newcomer: SocketAddr) -> String;

    /// Debug (`-v`), when a client connects.
    fn connected(&self, peer: SocketAddr) -> String;
    /// Debug (`-v`), when a client connects through a load balancer.
    fn connected_through(&self, client: SocketAddr, proxy: SocketAddr) -> String;
    /// Debug (`-v`), when a client's socket cannot be set up.
    fn setup_failed(&self, peer: SocketAddr, error: &io::Error) -> String;
    /// Info, when a client broke the request stream: `code` is the
    /// status it is answered (protocol text, the same in every language).
    fn fatal(&self, peer: SocketAddr, fatal: Fatal, code: Code) -> String;
    /// Info (timeouts), warn (a body cut short) or debug (the rest), when
    /// a connection ends; `why` comes from the `end_*` messages.
    fn closed(&self, peer: SocketAddr, why: &dyn Display) -> String;
    /// Why a connection ended: the client said `quit`.
    fn end_quit(&self) -> String;
    /// Why a connection ended: the client closed it, `mid_request` or not.
    fn end_eof(&self, mid_request: bool) -> String;
    /// Why a connection ended: a fatal fault of the request stream
    /// answered with `code`, or (`None`) the server failed.
    fn end_fatal(&self, code: Code, fatal: Option<Fatal>) -> String;
    /// Why a connection ended: a body could not be completed (`why` is
    /// the system's words).
    fn end_cut(&self, why: &str) -> String;
    /// Why a connection ended: the idle timeout.
    fn end_idle(&self) -> String;
    /// Why a connection ended: the request timeout.
    fn end_request_timeout(&self) -> String;
    /// Why a connection ended: evicted for a newcomer.
    fn end_evicted(&self) -> String;
    /// Why a connection ended: the send timeout.
    fn end_send_timeout(&self) -> String;
    /// Why a connection ended: the server is stopping.
    fn end_stopping(&self) -> String;
    /// Why a connection ended: its socket failed.
    fn end_failed(&self, error: &io::Error) -> String;
    /// Why a connection behind a load balancer ended before its header
    /// did: the header is not valid (`error` is the decoder's words).
    fn proxy_invalid(&self, error: &dyn Display) -> String;
    /// Why no PROXY header was had: it did not arrive in time.
    fn proxy_timeout(&self) -> String;
    /// Why no PROXY header was had: the connection ended first.
    fn proxy_closed(&self) -> String;
    /// Why no PROXY header was had: the socket failed.
    fn proxy_failed(&self, error: &io::Error) -> String;

    /// Warn (once per name), when a listing leaves a name out.
    fn not_listed(&self, name: &dyn Display, why: Unlisted) -> String;
    /// Warn, after a listing named ten names it left out for the first
    /// time: how many more it left out.
    fn not_listed_more(&self, more: usize) -> String;
    /// Info, when a file cannot be read for lack of permission (the
    /// client gets `199`).
    fn no_permission(&self, name: &dyn Debug) -> String;
    /// Warn, when the served directory cannot be listed.
    fn cannot_list(&self, path: &Path, error: &io::Error) -> String;
    /// Info, when the served directory cannot be looked up.
    fn directory_unavailable(&self, path: &Path, error: &io::Error) -> String;
    /// Warn, when a file cannot be opened for a reason of the server's.
    fn cannot_open(&self, name: &dyn Debug, error: &io::Error) -> String;

    /// Warn, when the onion key file may be read by others.
    fn onion_key_readable(&self, path: &Path) -> String;
    /// Info, when a new onion key is saved.
    fn onion_key_saved(&self, path: &Path) -> String;
    /// Info, when tor published the service's descriptor.
    fn onion_descriptor_uploaded(&self, service: &str) -> String;
    /// Warn, when tor's descriptor events cannot be followed.
    fn onion_no_events(&self, error: &dyn Display) -> String;
    /// Error, when the control connection is lost and the server stops.
    fn onion_lost(&self, error: &dyn Display) -> String;
    /// Info, when the onion service is removed at the end.
    fn onion_removed(&self, address: &str) -> String;
    /// Debug (`-v`), when no tor answers on the usual control port.
    fn tor_not_running(&self, usual: &dyn Display) -> String;
    /// Warn, when the usual control port answers but cannot be used.
    fn tor_unusable(&self, usual: &dyn Display, error: &dyn Display) -> String;
    /// Debug (`-v`), once authenticated to tor.
    fn tor_authenticated(&self, version: Option<&str>, addr: &dyn Display, method: &str) -> String;
    /// Debug (`-v`), when a tor of our own is started.
    fn tor_started(&self, pid: u32, data_dir: &Path) -> String;
    /// Debug (`-v`), when our tor exits.
    fn tor_exited(&self, status: &dyn Display) -> String;
    /// Warn, when our tor does not exit on SIGTERM.
    fn tor_killed(&self, waited: Duration) -> String;
    /// Info, when our tor stopped.
    fn tor_stopped(&self) -> String;
}

/// Why an entry of the served directory is not served, as the start-up
/// warning sorts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Unserved {
    /// A directory.
    Folder,
    /// A name with a space.
    Space,
    /// A name no request can carry.
    BadName,
    /// A name not in ASCII, with `--ascii-names`.
    NotAscii,
    /// A symbolic link out of the directory.
    LinkOut,
    /// A symbolic link to nothing.
    Dangling,
    /// Neither a file nor a directory.
    Special,
}

/// English.
#[derive(Debug)]
struct En;

/// Spanish.
#[derive(Debug)]
struct Es;

/// The log's words in `lang`.
pub(crate) fn text(lang: Lang) -> &'static dyn Text {
    match lang {
        Lang::En => &En,
        Lang::Es => &Es,
    }
}
