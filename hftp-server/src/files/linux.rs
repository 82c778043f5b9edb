//! Linux: the pinned path opened with `RESOLVE_NO_SYMLINKS`, `statat`
//! for the common case, `openat2(RESOLVE_BENEATH)` for links and for
//! reading, `fstat` on the handle for the size.
//!
//! System calls per request (`BENCHMARKS.md` counts them with strace):
//! the first `get_metadata` of a batch goes by path, `openat2` of the
//! pinned path and the name with `O_PATH`: a missing name is that one
//! call, a regular file adds `fstat` and `close`. Every other look-up
//! goes through the directory, opened once for the batch (`openat2`,
//! then `close` when the batch ends): `get_metadata` is one `statat`,
//! `get_slice` adds `openat2`, `fstat` and `close` of the file. Only
//! links take the `openat2` path for metadata.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use hftp_proto::Code;
use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, OFlags, ResolveFlags, Stat};
use rustix::io::Errno;
use rustix::path::Arg;

use super::{Kind, Names, Opened, Refused, internal, unavailable};
use crate::text::Text;

/// The flags every open for reading adds: never a controlling terminal,
/// never blocking on a FIFO. (`openat2` refuses them with `O_PATH`.)
const READ_FLAGS: OFlags = OFlags::NOCTTY.union(OFlags::NONBLOCK);

/// Resolution beneath the directory only: `..`, absolute paths and links
/// that leave fail with `EXDEV`; `/proc` magic links fail too.
const BENEATH: ResolveFlags = ResolveFlags::BENEATH.union(ResolveFlags::NO_MAGICLINKS);

/// Resolution of the pinned path: a symbolic link anywhere in it fails
/// with `ELOOP` (rule 6).
const NO_LINKS: ResolveFlags = ResolveFlags::NO_SYMLINKS.union(ResolveFlags::NO_MAGICLINKS);

/// One look-up of the served directory, for a batch of requests.
#[derive(Debug)]
pub(crate) struct Batch<'a> {
    path: &'a Path,
    /// The log's words.
    text: &'a dyn Text,
    /// The directory, once opened for the batch.
    dir: Option<DirFd<'a>>,
    /// Whether a name was already looked up by path: the next look-up
    /// opens the directory, which serves the rest of the batch.
    looked_by_path: bool,
}

impl<'a> Batch<'a> {
    /// A batch of the directory at the pinned real `path`.
    pub(crate) const fn new(path: &'a Path, text: &'a dyn Text) -> Self {
        Self {
            path,
            text,
            dir: None,
            looked_by_path: false,
        }
    }

    /// The size of the regular file `name` reaches (rule 6: metadata
    /// needs no read permission).
    pub(crate) fn metadata(&mut self, name: &str) -> Result<u64, Refused> {
        if self.dir.is_none() && !self.looked_by_path {
            self.looked_by_path = true;
            if let Kind::Regular(size) = self.kind_by_path(name)? {
                return Ok(size);
            }
        }
        self.dir()?.metadata(name)
    }

    /// Opens the regular file `name` reaches, for reading. A regular file
    /// without read permission is `199` (rule 6).
    pub(crate) fn open_file(&mut self, name: &str) -> Result<Opened, Refused> {
        self.dir()?.open_file(name)
    }

    /// Replaces `names` with those of the directory's entries that reach
    /// regular files, sorted bytewise. Whether they can travel is the
    /// listing's call. Without the directory there is no listing to give:
    /// `199`.
    pub(crate) fn regular_names(&mut self, names: &mut Names) -> Result<(), Refused> {
        let (path, text) = (self.path, self.text);
        let dir = self.dir().map_err(|_| Code::InternalError)?;
        dir.regular_names(names).map_err(|error| {
            log::warn!("{}", text.cannot_list(path, &error));
            Code::InternalError
        })
    }

    /// The directory, opened by its pinned path on first use.
    fn dir(&mut self) -> Result<&DirFd<'a>, Refused> {
        let dir = match self.dir.take() {
            Some(dir) => dir,
            None => {
                let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let fd = rustix::fs::openat2(CWD, self.path, flags, Mode::empty(), NO_LINKS)
                    .map_err(|errno| unavailable(self.path, &errno.into(), self.text))?;
                DirFd {
                    fd,
                    path: self.path,
                    text: self.text,
                }
            }
        };
        Ok(self.dir.insert(dir))
    }

    /// Looks at `name` by its whole path, without following a link and
    /// refusing one anywhere in the directory's path: one `openat2` with
    /// `O_PATH`, then `fstat` and `close` if it exists.
    fn kind_by_path(&self, name: &str) -> Result<Kind, Refused> {
        let flags = OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        match rustix::fs::openat2(CWD, self.path.join(name), flags, Mode::empty(), NO_LINKS) {
            Ok(fd) => {
                let stat = rustix::fs::fstat(&fd)
                    .map_err(|errno| internal(&name, &errno.into(), self.text))?;
                kind_of(&stat)
            }
            // Missing, or a link in the directory's path (rule 6).
            Err(Errno::NOENT | Errno::NOTDIR | Errno::LOOP | Errno::NAMETOOLONG) => {
                Err(Code::FileNotFound)
            }
            Err(errno) => Err(internal(&name, &errno.into(), self.text)),
        }
    }
}

/// The served directory, open for a batch.
#[derive(Debug)]
struct DirFd<'a> {
    fd: OwnedFd,
    /// The pinned real path the descriptor was opened by.
    path: &'a Path,
    /// The log's words.
    text: &'a dyn Text,
}

impl DirFd<'_> {
    /// The size of the regular file `name` reaches.
    fn metadata(&self, name: &str) -> Result<u64, Refused> {
        match self.kind(name)? {
            Kind::Regular(size) => Ok(size),
            Kind::Link => self
                .resolve(name, OFlags::PATH)
                .map(|(_, stat)| size_of(&stat)),
        }
    }

    /// Opens the regular file `name` reaches, for reading.
    fn open_file(&self, name: &str) -> Result<Opened, Refused> {
        let (fd, stat) = match self.kind(name)? {
            // `NOFOLLOW`: if the file was swapped for a link since, refuse.
            Kind::Regular(_) => self.resolve(name, OFlags::RDONLY | OFlags::NOFOLLOW)?,
            Kind::Link => {
                // Check the target without opening it for reading: opening a
                // device can have side effects.
                self.resolve(name, OFlags::PATH)?;
                self.resolve(name, OFlags::RDONLY)?
            }
        };
        Ok(Opened {
            file: File::from(fd),
            size: size_of(&stat),
        })
    }

    /// Whether a directory entry is a name `get_metadata` would answer
    /// with `0`, as far as the file system goes.
    fn reaches_regular_file(&self, name: &std::ffi::CStr, kind: FileType) -> bool {
        match kind {
            FileType::RegularFile => true,
            FileType::Symlink | FileType::Unknown => match self.kind(name) {
                Ok(Kind::Regular(_)) => true,
                Ok(Kind::Link) => self.resolve(name, OFlags::PATH).is_ok(),
                Err(_) => false,
            },
            _ => false,
        }
    }

    /// Replaces `names` with the entries that reach regular files, sorted.
    fn regular_names(&self, names: &mut Names) -> io::Result<()> {
        names.clear();
        for entry in Dir::read_from(&self.fd)? {
            let entry = entry?;
            let name = entry.file_name();
            if self.reaches_regular_file(name, entry.file_type()) {
                names.push(name.to_bytes());
            }
        }
        names.sort();
        Ok(())
    }

    /// Looks at `name` itself, not following a link.
    fn kind<P: Arg + Copy + std::fmt::Debug>(&self, name: P) -> Result<Kind, Refused> {
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => kind_of(&stat),
            Err(Errno::NOENT | Errno::NOTDIR | Errno::NAMETOOLONG) => Err(Code::FileNotFound),
            Err(errno) => Err(internal(&name, &errno.into(), self.text)),
        }
    }

    /// Opens `name` beneath the directory with `flags`, following links
    /// only inside it, and requires a regular file.
    fn resolve<P: Arg + Copy + std::fmt::Debug>(
        &self,
        name: P,
        flags: OFlags,
    ) -> Result<(OwnedFd, Stat), Refused> {
        let flags = if flags.contains(OFlags::PATH) {
            flags
        } else {
            flags | READ_FLAGS
        };
        let fd = match self.open_beneath(name, flags) {
            Err(Errno::XDEV) => self.open_absolute_link(name, flags)?,
            opened => opened.map_err(|errno| open_refusal(&name, errno, self.text))?,
        };
        let stat =
            rustix::fs::fstat(&fd).map_err(|errno| internal(&name, &errno.into(), self.text))?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return Err(Code::FileNotFound);
        }
        Ok((fd, stat))
    }

    fn open_beneath<P: Arg>(&self, path: P, flags: OFlags) -> Result<OwnedFd, Errno> {
        rustix::fs::openat2(
            &self.fd,
            path,
            flags | OFlags::CLOEXEC,
            Mode::empty(),
            BENEATH,
        )
    }

    /// `RESOLVE_BENEATH` refuses every absolute link, even one whose
    /// target lies inside the directory, which rule 6 serves. Such a name
    /// gets a second look: its target's real path, made relative to the
    /// directory's pinned real path, is opened beneath the directory
    /// again, so the kernel still refuses any way out, races included.
    fn open_absolute_link<P: Arg + Copy + std::fmt::Debug>(
        &self,
        name: P,
        flags: OFlags,
    ) -> Result<OwnedFd, Refused> {
        let name = name.as_cow_c_str().map_err(|_| Code::FileNotFound)?;
        let target = std::fs::canonicalize(self.path.join(OsStr::from_bytes(name.to_bytes())))
            .map_err(|_| Code::FileNotFound)?;
        let inside = target
            .strip_prefix(self.path)
            .map_err(|_| Code::FileNotFound)?;
        if inside.as_os_str().is_empty() {
            return Err(Code::FileNotFound);
        }
        self.open_beneath(inside, flags)
            .map_err(|errno| open_refusal(&name, errno, self.text))
    }
}

/// What a `Stat` taken without following links says a name is; anything
/// but a regular file or a link is no file served.
fn kind_of(stat: &Stat) -> Result<Kind, Refused> {
    match FileType::from_raw_mode(stat.st_mode) {
        FileType::RegularFile => Ok(Kind::Regular(size_of(stat))),
        FileType::Symlink => Ok(Kind::Link),
        _ => Err(Code::FileNotFound),
    }
}

/// The code for a failed `openat2`.
fn open_refusal(name: &dyn std::fmt::Debug, errno: Errno, text: &dyn Text) -> Refused {
    match errno {
        // Not there, not beneath the directory, a loop, a socket, a device
        // without a driver: no such file is served.
        Errno::NOENT
        | Errno::NOTDIR
        | Errno::XDEV
        | Errno::LOOP
        | Errno::NXIO
        | Errno::NODEV
        | Errno::NAMETOOLONG
        | Errno::OPNOTSUPP => Code::FileNotFound,
        // A regular file the server may not read (rule 6).
        Errno::ACCESS | Errno::PERM => {
            log::info!("{}", text.no_permission(name));
            Code::InternalError
        }
        other => internal(name, &other.into(), text),
    }
}

/// The size in a `Stat`, which the kernel never reports negative.
fn size_of(stat: &Stat) -> u64 {
    u64::try_from(stat.st_size).unwrap_or(0)
}
