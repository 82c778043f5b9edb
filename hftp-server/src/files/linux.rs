//! Linux: `statat` for the common case, `openat2(RESOLVE_BENEATH)` for
//! links and for reading, `fstat` on the handle for the size.
//!
//! System calls per request, with the directory already open for the
//! batch: `get_metadata` of a regular file is one `statat` (a name is one
//! path component, so a regular file found by `statat` without following
//! links is inside the directory); `get_slice` adds `openat2`, `fstat` and
//! `close`. Only links take the `openat2` path for metadata.

use std::ffi::{CStr, OsStr};
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use hftp_proto::Code;
use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags, ResolveFlags, Stat};
use rustix::io::Errno;
use rustix::path::Arg;

use super::{Kind, Opened, Refused, internal};

/// The flags every open for reading adds: never a controlling terminal,
/// never blocking on a FIFO. (`openat2` refuses them with `O_PATH`.)
const READ_FLAGS: OFlags = OFlags::NOCTTY.union(OFlags::NONBLOCK);

/// Resolution beneath the directory only: `..`, absolute paths and links
/// that leave fail with `EXDEV`; `/proc` magic links fail too.
const BENEATH: ResolveFlags = ResolveFlags::BENEATH.union(ResolveFlags::NO_MAGICLINKS);

/// One look-up of the served directory, held open for a batch.
#[derive(Debug)]
pub(crate) struct ServedDir {
    fd: OwnedFd,
}

impl ServedDir {
    /// Looks the directory up by its path.
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path, flags, Mode::empty())?;
        Ok(Self { fd })
    }

    /// The size of the regular file `name` reaches (rule 6: metadata
    /// needs no read permission).
    pub(crate) fn metadata(&self, name: &str) -> Result<u64, Refused> {
        match self.kind(name)? {
            Kind::Regular(size) => Ok(size),
            Kind::Link => self
                .resolve(name, OFlags::PATH)
                .map(|(_, stat)| size_of(&stat)),
        }
    }

    /// Opens the regular file `name` reaches, for reading. A regular file
    /// without read permission is `199` (rule 6).
    pub(crate) fn open_file(&self, name: &str) -> Result<Opened, Refused> {
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
    fn reaches_regular_file(&self, name: &CStr, kind: FileType) -> bool {
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

    /// The names of the directory's entries that reach regular files,
    /// sorted bytewise. Whether they can travel is the listing's call.
    pub(crate) fn regular_names(&self) -> io::Result<Vec<Vec<u8>>> {
        let mut names = Vec::new();
        for entry in Dir::read_from(&self.fd)? {
            let entry = entry?;
            let name = entry.file_name();
            if self.reaches_regular_file(name, entry.file_type()) {
                names.push(name.to_bytes().to_vec());
            }
        }
        names.sort_unstable();
        Ok(names)
    }

    /// Looks at `name` itself, not following a link.
    fn kind<P: Arg + Copy + std::fmt::Debug>(&self, name: P) -> Result<Kind, Refused> {
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => match FileType::from_raw_mode(stat.st_mode) {
                FileType::RegularFile => Ok(Kind::Regular(size_of(&stat))),
                FileType::Symlink => Ok(Kind::Link),
                _ => Err(Code::FileNotFound),
            },
            Err(Errno::NOENT | Errno::NOTDIR | Errno::NAMETOOLONG) => Err(Code::FileNotFound),
            Err(errno) => Err(internal(&name, &errno.into())),
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
            opened => opened.map_err(|errno| open_refusal(&name, errno))?,
        };
        let stat = rustix::fs::fstat(&fd).map_err(|errno| internal(&name, &errno.into()))?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
            return Err(Code::FileNotFound);
        }
        Ok((fd, stat))
    }
}

impl ServedDir {
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
    /// directory's, is opened beneath the directory again, so the kernel
    /// still refuses any way out, races included.
    fn open_absolute_link<P: Arg + Copy + std::fmt::Debug>(
        &self,
        name: P,
        flags: OFlags,
    ) -> Result<OwnedFd, Refused> {
        let name = name.as_cow_c_str().map_err(|_| Code::FileNotFound)?;
        let dir = self.real_path().map_err(|_| Code::FileNotFound)?;
        let target = std::fs::canonicalize(dir.join(OsStr::from_bytes(name.to_bytes())))
            .map_err(|_| Code::FileNotFound)?;
        let inside = target.strip_prefix(&dir).map_err(|_| Code::FileNotFound)?;
        if inside.as_os_str().is_empty() {
            return Err(Code::FileNotFound);
        }
        self.open_beneath(inside, flags)
            .map_err(|errno| open_refusal(&name, errno))
    }

    /// The directory's real path, as the kernel knows the open handle.
    fn real_path(&self) -> io::Result<PathBuf> {
        std::fs::read_link(format!("/proc/self/fd/{}", self.fd.as_raw_fd()))
    }
}

/// The code for a failed `openat2`.
fn open_refusal(name: &dyn std::fmt::Debug, errno: Errno) -> Refused {
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
            log::info!("no permission to read {name:?}");
            Code::InternalError
        }
        other => internal(name, &other.into()),
    }
}

/// The size in a `Stat`, which the kernel never reports negative.
fn size_of(stat: &Stat) -> u64 {
    u64::try_from(stat.st_size).unwrap_or(0)
}
