//! Other Unix systems: a check with the standard library, without
//! `openat2`.
//!
//! The directory is canonicalized for every batch; a name is taken as it
//! is if `symlink_metadata` reports a regular file, and a link is followed
//! only if its canonical target lies beneath the canonical directory. The
//! file is then opened with `O_NONBLOCK` (and `O_NOFOLLOW` when it was not
//! a link) and `fstat` on the handle must report a regular file. Unlike
//! `openat2`, this leaves a window between the check and the open in
//! which a local user who can write to the directory could swap a link's
//! target; the Linux path has no such window.

use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use hftp_proto::Code;
use rustix::fs::OFlags;

use super::{Kind, Opened, Refused, internal};

/// One look-up of the served directory, by its canonical path.
#[derive(Debug)]
pub(crate) struct ServedDir {
    canonical: PathBuf,
}

impl ServedDir {
    /// Looks the directory up by its path.
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        let canonical = fs::canonicalize(path)?;
        if !fs::metadata(&canonical)?.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "not a directory",
            ));
        }
        Ok(Self { canonical })
    }

    /// The size of the regular file `name` reaches.
    pub(crate) fn metadata(&self, name: &str) -> Result<u64, Refused> {
        match self.kind(name)? {
            Kind::Regular(size) => Ok(size),
            Kind::Link => self.follow(name).map(|(_, size)| size),
        }
    }

    /// Opens the regular file `name` reaches, for reading.
    pub(crate) fn open_file(&self, name: &str) -> Result<Opened, Refused> {
        let (path, nofollow) = match self.kind(name)? {
            Kind::Regular(_) => (self.canonical.join(name), OFlags::NOFOLLOW),
            Kind::Link => (self.follow(name)?.0, OFlags::empty()),
        };
        let flags = OFlags::NONBLOCK | OFlags::NOCTTY | nofollow;
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(flags.bits() as i32)
            .open(&path)
            .map_err(|error| open_refusal(name, &error))?;
        let meta = file.metadata().map_err(|error| internal(&name, &error))?;
        if !meta.is_file() {
            return Err(Code::FileNotFound);
        }
        Ok(Opened {
            file,
            size: meta.len(),
        })
    }

    /// The names of the entries that reach regular files, sorted bytewise.
    pub(crate) fn regular_names(&self) -> io::Result<Vec<Vec<u8>>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.canonical)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(text) = name.to_str() else {
                // Not UTF-8: it cannot travel, and the listing says so.
                if entry.file_type().is_ok_and(|kind| kind.is_file()) {
                    names.push(name.as_bytes().to_vec());
                }
                continue;
            };
            if self.metadata(text).is_ok() {
                names.push(name.as_bytes().to_vec());
            }
        }
        names.sort_unstable();
        Ok(names)
    }

    /// Looks at `name` itself, not following a link.
    fn kind(&self, name: &str) -> Result<Kind, Refused> {
        match fs::symlink_metadata(self.canonical.join(name)) {
            Ok(meta) if meta.is_file() => Ok(Kind::Regular(meta.len())),
            Ok(meta) if meta.file_type().is_symlink() => Ok(Kind::Link),
            Ok(_) => Err(Code::FileNotFound),
            Err(error) if is_missing(&error) => Err(Code::FileNotFound),
            Err(error) => Err(internal(&name, &error)),
        }
    }

    /// Resolves the link `name` and checks that it ends at a regular file
    /// beneath the directory; returns the target and its size.
    fn follow(&self, name: &str) -> Result<(PathBuf, u64), Refused> {
        let target = fs::canonicalize(self.canonical.join(name)).map_err(|_| Code::FileNotFound)?;
        if !target.starts_with(&self.canonical) {
            return Err(Code::FileNotFound);
        }
        match fs::metadata(&target) {
            Ok(meta) if meta.is_file() => Ok((target, meta.len())),
            _ => Err(Code::FileNotFound),
        }
    }
}

/// Errors that mean "no such file".
fn is_missing(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

/// The code for a failed open.
fn open_refusal(name: &str, error: &io::Error) -> Refused {
    if is_missing(error) {
        Code::FileNotFound
    } else if error.kind() == io::ErrorKind::PermissionDenied {
        log::info!("no permission to read {name:?}");
        Code::InternalError
    } else if error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
        Code::FileNotFound
    } else {
        internal(&name, error)
    }
}
