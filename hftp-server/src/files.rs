//! Confinement (rule 6): which names reach which files.
//!
//! A [`ServedDir`] is one look-up of the served directory by its path,
//! made for a batch of requests that arrived together and dropped before
//! the connection waits for more. Through it a name reaches a regular file
//! directly inside the directory, or a symbolic link that resolves to a
//! regular file inside it, and nothing else: no traversal (names never
//! hold `/`, `.` or `..`, rule 5), no link that leaves, no directory,
//! FIFO, socket or device.
//!
//! On Linux every link is followed by `openat2` with `RESOLVE_BENEATH`,
//! so the kernel refuses any way out, check/use races included; the size
//! comes from `fstat` on the opened handle. Elsewhere a portable check
//! with the standard library stands in (see `portable.rs`).

use std::fs::File;
use std::path::Path;

use hftp_proto::Code;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(any(not(target_os = "linux"), test))]
mod portable;

#[cfg(target_os = "linux")]
pub(crate) use linux::ServedDir;
#[cfg(not(target_os = "linux"))]
pub(crate) use portable::ServedDir;

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

/// The size of `name` if it is itself a regular file (not a link) in the
/// directory at `dir`, found with one look-up of the directory's path and
/// the name: a name is one path component (rule 5), so a regular file
/// found this way is directly inside the directory. `None` for anything
/// else, which a [`ServedDir`] then judges.
///
/// `get_metadata` of a plain file is the hot path: this is one system call
/// where a `ServedDir` takes three (open, `statat`, close).
pub(crate) fn regular_file_size(dir: &Path, name: &str) -> Option<u64> {
    let metadata = std::fs::symlink_metadata(dir.join(name)).ok()?;
    metadata.file_type().is_file().then_some(metadata.len())
}

/// The code for a file the server could not reach for a reason of its
/// own (no descriptors left, an I/O error): `199`, logged.
fn internal(name: &dyn std::fmt::Debug, error: &std::io::Error) -> Refused {
    log::warn!("cannot open {name:?}: {error}");
    Code::InternalError
}

#[cfg(test)]
mod tests;
