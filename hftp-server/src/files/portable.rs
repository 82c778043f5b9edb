//! Other Unix systems: a check with the standard library, without
//! `openat2`.
//!
//! For every batch the pinned path is canonicalized again and must come
//! out unchanged (no link anywhere in it, rule 6); a name is taken as it
//! is if `symlink_metadata` reports a regular file, and a link is followed
//! only if its canonical target lies beneath the directory. The file is
//! then opened with `O_NONBLOCK` (and `O_NOFOLLOW` when it was not a link)
//! and `fstat` on the handle must report a regular file. Unlike `openat2`,
//! this leaves a window between the check and the open in which a local
//! user who can write to the directory, or rename a directory above it,
//! could swap a link's target or the directory; the Linux path has no
//! such window.

use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use hftp_proto::Code;
use rustix::fs::OFlags;

use super::{Kind, Names, Opened, Refused, internal, unavailable};
use crate::text::Text;

/// One look-up of the served directory, for a batch of requests.
#[derive(Debug)]
pub(crate) struct Batch<'a> {
    path: &'a Path,
    /// The log's words.
    text: &'a dyn Text,
    /// Whether the pinned path still leads to a directory without a link,
    /// once checked for the batch.
    checked: Option<Result<(), Refused>>,
}

impl<'a> Batch<'a> {
    /// A batch of the directory at the pinned real `path`.
    pub(crate) const fn new(path: &'a Path, text: &'a dyn Text) -> Self {
        Self {
            path,
            text,
            checked: None,
        }
    }

    /// Checks, once per batch, that the pinned path is still a directory
    /// reached without a link.
    fn check(&mut self) -> Result<(), Refused> {
        let (path, text) = (self.path, self.text);
        *self.checked.get_or_insert_with(|| {
            let pinned = match fs::canonicalize(path) {
                Ok(real) if real == path => fs::metadata(&real),
                Ok(_) => Err(io::Error::from_raw_os_error(
                    rustix::io::Errno::LOOP.raw_os_error(),
                )),
                Err(error) => Err(error),
            };
            match pinned {
                Ok(meta) if meta.is_dir() => Ok(()),
                Ok(_) => Err(Code::FileNotFound),
                Err(error) => Err(unavailable(path, &error, text)),
            }
        })
    }

    /// The size of the regular file `name` reaches.
    pub(crate) fn metadata(&mut self, name: &str) -> Result<u64, Refused> {
        self.check()?;
        match self.kind(name)? {
            Kind::Regular(size) => Ok(size),
            Kind::Link => self.follow(name).map(|(_, size)| size),
        }
    }

    /// Opens the regular file `name` reaches, for reading.
    pub(crate) fn open_file(&mut self, name: &str) -> Result<Opened, Refused> {
        self.check()?;
        let (path, nofollow) = match self.kind(name)? {
            Kind::Regular(_) => (self.path.join(name), OFlags::NOFOLLOW),
            Kind::Link => (self.follow(name)?.0, OFlags::empty()),
        };
        let flags = OFlags::NONBLOCK | OFlags::NOCTTY | nofollow;
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(flags.bits() as i32)
            .open(&path)
            .map_err(|error| open_refusal(name, &error, self.text))?;
        let meta = file
            .metadata()
            .map_err(|error| internal(&name, &error, self.text))?;
        if !meta.is_file() {
            return Err(Code::FileNotFound);
        }
        Ok(Opened {
            file,
            size: meta.len(),
        })
    }

    /// Replaces `names` with the entries that reach regular files, sorted
    /// bytewise.
    pub(crate) fn regular_names(&mut self, names: &mut Names) -> Result<(), Refused> {
        self.check().map_err(|_| Code::InternalError)?;
        self.read_names(names).map_err(|error| {
            log::warn!("{}", self.text.cannot_list(self.path, &error));
            Code::InternalError
        })
    }

    fn read_names(&mut self, names: &mut Names) -> io::Result<()> {
        names.clear();
        for entry in fs::read_dir(self.path)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(text) = name.to_str() else {
                // Not UTF-8: it cannot travel, and the listing says so.
                if entry.file_type().is_ok_and(|kind| kind.is_file()) {
                    names.push(name.as_bytes());
                }
                continue;
            };
            if self.metadata(text).is_ok() {
                names.push(name.as_bytes());
            }
        }
        names.sort();
        Ok(())
    }

    /// Looks at `name` itself, not following a link.
    fn kind(&self, name: &str) -> Result<Kind, Refused> {
        match fs::symlink_metadata(self.path.join(name)) {
            Ok(meta) if meta.is_file() => Ok(Kind::Regular(meta.len())),
            Ok(meta) if meta.file_type().is_symlink() => Ok(Kind::Link),
            Ok(_) => Err(Code::FileNotFound),
            Err(error) if is_missing(&error) => Err(Code::FileNotFound),
            Err(error) => Err(internal(&name, &error, self.text)),
        }
    }

    /// Resolves the link `name` and checks that it ends at a regular file
    /// beneath the directory; returns the target and its size.
    fn follow(&self, name: &str) -> Result<(PathBuf, u64), Refused> {
        let target = fs::canonicalize(self.path.join(name)).map_err(|_| Code::FileNotFound)?;
        if !target.starts_with(self.path) {
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
fn open_refusal(name: &str, error: &io::Error, text: &dyn Text) -> Refused {
    if is_missing(error) {
        Code::FileNotFound
    } else if error.kind() == io::ErrorKind::PermissionDenied {
        log::info!("{}", text.no_permission(&name));
        Code::InternalError
    } else if error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
        Code::FileNotFound
    } else {
        internal(&name, error, text)
    }
}
