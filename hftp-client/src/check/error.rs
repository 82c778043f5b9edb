//! What stops a run of the checker. A server that breaks the protocol
//! does not: its cases fail in the report.

use std::io;
use std::path::PathBuf;

/// An error of the checker: the run could not take place.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server could not be reached at all (or the way to it is
    /// refused, as an onion address without Tor).
    #[error(transparent)]
    Connect(crate::Error),
    /// A directory of the checker's cannot be used: the served directory
    /// is not empty, cannot take the fixtures or is not the one the
    /// server serves; or a scratch directory cannot be made.
    #[error("{}: {source}", path.display())]
    Dir {
        /// The directory.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: io::Error,
    },
    /// The run was cancelled through [`Options::cancel`](super::Options::cancel).
    #[error("interrupted")]
    Interrupted,
    /// A server the checker was to start itself did not start, or did
    /// not listen in time.
    #[error("cannot start `{command}`: {why}")]
    Spawn {
        /// The command as given, placeholders unfilled.
        command: String,
        /// What went wrong.
        why: String,
    },
    /// A class file cannot be read, or a line of it is not `NAME:
    /// COMMAND`.
    #[error("{}: {why}", path.display())]
    Class {
        /// The class file.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
}

impl Error {
    /// A directory error with its path.
    pub(crate) fn dir(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Dir {
            path: path.into(),
            source,
        }
    }
}
