//! What every case works with: the way to the server, the served
//! directory and its fixtures, the case's deadline and waits, and what
//! the checker learned of the server.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hftp_proto::Framing;

use super::conn::{Conn, remaining};
use super::fixtures::Fixtures;
use super::group::{Group, Revision};
use super::miss::{Miss, Tested, fail, needs_dir, said, skip};
use crate::Dialer;

/// What every case works with.
pub(crate) struct Ctx {
    /// The way to the server under test.
    pub(crate) dialer: Dialer,
    /// The directory the server serves, when `--dir` was given.
    pub(crate) dir: Option<PathBuf>,
    /// The hostile fixtures, once written (after the course's cases,
    /// which run in a directory holding only their own files).
    pub(crate) fixtures: Option<Fixtures>,
    /// When the running case must be over.
    pub(crate) deadline: Instant,
    /// How long a server may take to close after a fatal status or `quit`.
    pub(crate) close_wait: Duration,
    /// How long a connection may take to open.
    pub(crate) connect_wait: Duration,
    /// How the server frames plain slice bodies, once known (rule 12):
    /// every plain slice is held to it.
    pub(crate) framing: Option<Framing>,
    /// The revision the server is held to.
    pub(crate) revision: Revision,
    /// The group of the running case: the course's cases read replies
    /// as that year's client does.
    pub(crate) group: Group,
    /// The longest silence a reply may start or go on with, unless a
    /// case says otherwise.
    pub(crate) reply_wait: Duration,
    /// The longest pause between the pieces of a request sent in pieces.
    pub(crate) piece_pause: Duration,
    /// Milliseconds spent waiting for replies that never came, shared
    /// by every connection of the running case.
    pub(crate) waited: Arc<AtomicU64>,
    /// True when the server runs as a user file permissions bind (the
    /// checker started it so): a file without read permission is
    /// unreadable to it even when the checker, as root, can read it.
    pub(crate) server_unprivileged: bool,
}

impl Ctx {
    /// A fresh connection to the server, bounded by the case's deadline.
    pub(crate) fn connect(&self) -> Result<Conn, Miss> {
        let timeout = self.remaining()?.min(self.connect_wait);
        let (stream, _) = self.dialer.connect(Some(timeout)).map_err(|error| {
            fail(said!(
                "a connection failed ({error})",
                "falló una conexión ({error})";
                error = error
            ))
        })?;
        // Requests written one by one leave one by one.
        stream.set_nodelay(true).map_err(|error| {
            fail(said!("TCP_NODELAY ({error})", "TCP_NODELAY ({error})"; error = error))
        })?;
        Ok(Conn::new(
            stream,
            self.deadline,
            (self.close_wait, self.reply_wait),
            Arc::clone(&self.waited),
            self.framing,
        ))
    }

    /// The fixtures, or a skip for a run without `--dir`.
    pub(crate) fn fixtures(&self) -> Result<&Fixtures, Miss> {
        self.fixtures.as_ref().ok_or_else(needs_dir)
    }

    /// Time left for the case, or a failure when it is up.
    pub(crate) fn remaining(&self) -> Result<Duration, Miss> {
        remaining(self.deadline)
    }

    /// The served directory, or a skip for a run without `--dir`.
    pub(crate) fn dir(&self) -> Result<&Path, Miss> {
        self.dir.as_deref().ok_or_else(needs_dir)
    }

    /// Ok when the server cannot read the file at `path` (mode 000): the
    /// checker cannot either (it is not root), or the server runs
    /// unprivileged; else a skip, as the `199` cases cannot run.
    pub(crate) fn unreadable_to_server(&self, path: &Path) -> Tested {
        if self.server_unprivileged || std::fs::File::open(path).is_err() {
            return Ok(());
        }
        Err(skip(said!(
            "the checker can read a file without read permission (root?): so could the server",
            "el verificador puede leer un archivo sin permiso de lectura (¿sos root?): el servidor también podría"
        )))
    }

    /// The time spent waiting for replies that never came so far, and
    /// back to zero.
    pub(crate) fn take_waited(&self) -> Duration {
        Duration::from_millis(self.waited.swap(0, Ordering::Relaxed))
    }
}
