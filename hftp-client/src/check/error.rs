//! What stops a run of the checker. A server that breaks the protocol
//! does not: its cases fail in the report.

use std::io;
use std::path::PathBuf;

use crate::Lang;

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
        /// What went wrong, in Spanish (see [`Error::in_lang`]).
        why_es: String,
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
    /// The error's one line in `lang`: its `Display` in English; in
    /// Spanish, a server that did not start is told in Spanish (the
    /// other errors carry the system's words and stay as they are).
    #[must_use]
    pub fn in_lang(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                Self::Spawn {
                    command, why_es, ..
                },
                Lang::Es,
            ) => format!("no se puede arrancar `{command}`: {why_es}"),
            _ => self.to_string(),
        }
    }

    /// A directory error with its path.
    pub(crate) fn dir(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Dir {
            path: path.into(),
            source,
        }
    }
}
