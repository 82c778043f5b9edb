//! Confinement (rule 6): which names reach which files.
//!
//! A [`ServedDir`] is the served directory, pinned at startup to its real
//! path (symbolic links in it resolved once). A [`Batch`] is one look-up
//! of that path, made for a batch of requests that arrived together and
//! dropped before the connection waits for more: the directory may be
//! deleted and recreated while the server runs, but every look-up refuses
//! a symbolic link anywhere in the pinned path, so whoever can rename or
//! replace the directory (`mv D D.old; ln -s /etc D`) cannot point the
//! server elsewhere. A directory that cannot be found that way is
//! unavailable: a name is `202`, the listing `199`.
//!
//! Through a batch a name reaches a regular file directly inside the
//! directory, or a symbolic link that resolves to a regular file inside
//! it, and nothing else: no traversal (names never hold `/`, `.` or `..`,
//! rule 5), no link that leaves, no directory, FIFO, socket or device.
//! The batch decides how to look: on Linux, the first `get_metadata` of a
//! batch goes by path (a `202` costs one system call), and everything
//! else through a descriptor of the directory opened once for the batch;
//! links are followed by `openat2` with `RESOLVE_BENEATH`, so the kernel
//! refuses any way out, check/use races included; the size comes from
//! `fstat` on the opened handle. Elsewhere a portable check with the
//! standard library stands in (see `portable.rs`).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use hftp_proto::Code;

use crate::Lang;
use crate::text::{self, Text};

#[cfg(target_os = "linux")]
mod linux;
#[cfg(any(not(target_os = "linux"), test))]
mod portable;

#[cfg(target_os = "linux")]
pub(crate) use linux::Batch;
#[cfg(not(target_os = "linux"))]
pub(crate) use portable::Batch;

/// The served directory, pinned to its real path.
#[derive(Debug)]
pub(crate) struct ServedDir {
    real: PathBuf,
    /// The log's words, for what goes wrong looking into it.
    text: &'static dyn Text,
}

impl ServedDir {
    /// Pins `path` to its real path, after checking it is a directory the
    /// server can list.
    pub(crate) fn pin(path: &Path) -> io::Result<Self> {
        let real = std::fs::canonicalize(path)?;
        std::fs::read_dir(&real)?;
        Ok(Self {
            real,
            text: text::text(Lang::En),
        })
    }

    /// Logs what goes wrong looking into it in `text`'s words.
    pub(crate) fn speaking(self, text: &'static dyn Text) -> Self {
        Self { text, ..self }
    }

    /// The pinned real path.
    pub(crate) fn path(&self) -> &Path {
        &self.real
    }

    /// A new look-up of the directory, for one batch of requests.
    pub(crate) fn batch(&self) -> Batch<'_> {
        Batch::new(&self.real, self.text)
    }
}

/// A served file opened for reading, with its size from the open handle.
#[derive(Debug)]
pub(crate) struct Opened {
    /// The file, opened read-only.
    pub(crate) file: File,
    /// Its size in bytes when it was opened.
    pub(crate) size: u64,
}

/// Why a name does not reach a servable file, as the code to answer.
pub(crate) type Refused = Code;

/// What a name is, once looked at without following it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A regular file of this size.
    Regular(u64),
    /// A symbolic link: only resolving it beneath the directory tells.
    Link,
}

/// The names of a directory's entries, in one buffer: a directory of
/// 100 000 files is two allocations, not 100 000, and the buffers are
/// reused from one listing to the next.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Names {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Names {
    /// Forgets every name, keeping the buffers.
    fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
    }

    /// How many bytes the names take, all together.
    pub(crate) fn total_len(&self) -> usize {
        self.bytes.len()
    }

    /// How many names there are.
    pub(crate) fn len(&self) -> usize {
        self.spans.len()
    }

    /// Adds a name.
    fn push(&mut self, name: &[u8]) {
        self.spans.push((self.bytes.len(), name.len()));
        self.bytes.extend_from_slice(name);
    }

    /// Sorts the names bytewise.
    fn sort(&mut self) {
        let bytes = &self.bytes;
        self.spans
            .sort_unstable_by(|a, b| bytes[a.0..a.0 + a.1].cmp(&bytes[b.0..b.0 + b.1]));
    }

    /// The names, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans
            .iter()
            .map(|&(start, len)| &self.bytes[start..start + len])
    }
}

/// Why the directory itself could not be looked up, as the code a name
/// gets: missing, not a directory, or reached through a link, it serves
/// no file (`202`); the server failing to open it (out of descriptors,
/// say) is `199`.
fn unavailable(path: &Path, error: &io::Error, text: &dyn Text) -> Refused {
    log::info!("{}", text.directory_unavailable(path, error));
    match error
        .raw_os_error()
        .map(rustix::io::Errno::from_raw_os_error)
    {
        Some(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR | rustix::io::Errno::LOOP) => {
            Code::FileNotFound
        }
        _ => Code::InternalError,
    }
}

/// The code for a file the server could not reach for a reason of its
/// own (no descriptors left, an I/O error): `199`, logged.
fn internal(name: &dyn std::fmt::Debug, error: &io::Error, text: &dyn Text) -> Refused {
    log::warn!("{}", text.cannot_open(name, error));
    Code::InternalError
}

#[cfg(test)]
mod tests;
