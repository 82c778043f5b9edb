//! The files the checker writes into the served directory (`--dir`), the
//! hostile ones included, and removes again when it is done.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

/// The course's example file.
pub(crate) const HOLA: &str = "hola.txt";
/// Its 33 bytes.
pub(crate) const HOLA_DATA: &[u8] = b"Que calor que hace hoy, pinocho!\n";
/// An empty file.
pub(crate) const EMPTY: &str = "empty.txt";
/// The course's 123459-byte file.
pub(crate) const MEDIUM: &str = "medium-123459.bin";
/// The course's 32 MiB file of the byte values 1 to 254.
pub(crate) const BIG: &str = "big-1-254.bin";
/// The size of [`BIG`].
pub(crate) const BIG_LEN: usize = 32 << 20;
/// A name of exactly 255 bytes is still a name.
pub(crate) fn name255() -> String {
    format!("{}.txt", "n".repeat(251))
}
/// A UTF-8 name.
pub(crate) const UTF8: &str = "ñandú.txt";
/// A symbolic link to `hola.txt`, inside the directory: served.
pub(crate) const LINK_IN: &str = "link-inside";
/// A symbolic link to an absolute path outside the directory.
pub(crate) const LINK_ABS: &str = "link-out-absolute";
/// A symbolic link climbing out of the directory with `..`.
pub(crate) const LINK_UP: &str = "link-out-dotdot";
/// A symbolic link to nothing.
pub(crate) const LINK_DANGLING: &str = "link-dangling";
/// A subdirectory, holding [`INNER`].
pub(crate) const SUBDIR: &str = "subdir";
/// A file inside [`SUBDIR`]: not directly in the directory, not served.
pub(crate) const INNER: &str = "inner.txt";
/// A FIFO: opening it must not block the server.
pub(crate) const FIFO: &str = "fifo";
/// A Unix socket.
pub(crate) const SOCKET: &str = "socket";
/// A name with a space: it cannot travel, so it is not listed.
pub(crate) const SPACED: &str = "has space.txt";
/// A name with a control character: not listed, `201` when asked.
pub(crate) const CONTROL: &str = "ctl-\u{1}.txt";
/// A name that is not UTF-8: not listed, `201` when asked.
pub(crate) const NOT_UTF8: &[u8] = b"bad-\xff.bin";
/// A file without read permission: it has a size, its slice is `199`.
pub(crate) const NOREAD: &str = "noread.txt";
/// The bytes of [`NOREAD`].
pub(crate) const NOREAD_DATA: &[u8] = b"secret!!!\n";
/// How many small files the course's listing test writes.
pub(crate) const MANY: usize = 1000;

/// The small files of the listing test: `f0000.txt` to `f0999.txt`.
pub(crate) fn many_name(index: usize) -> String {
    format!("f{index:04}.txt")
}

/// The 123459 bytes of [`MEDIUM`]: every byte value, not all alike.
pub(crate) fn medium_data() -> Vec<u8> {
    let mut state = 0x9e37_79b9_u32;
    (0..123_459)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[1]
        })
        .collect()
}

/// The 32 MiB of [`BIG`]: 1, 2, ..., 254, 1, 2, ...
pub(crate) fn big_data() -> Vec<u8> {
    counting(BIG_LEN, 254)
}

/// `len` bytes counting 1, 2, ..., `top`, 1, 2, ...: a byte out of
/// place shows. Made by doubling a copy, not byte by byte: tens of MiB
/// are made per run.
pub(crate) fn counting(len: usize, top: u8) -> Vec<u8> {
    let mut data: Vec<u8> = (1..=top).collect();
    data.reserve(len.saturating_sub(data.len()));
    while data.len() < len {
        let more = data.len().min(len - data.len());
        data.extend_from_within(..more);
    }
    data.truncate(len);
    data
}

/// The served directory, empty when the checker starts; dropping it
/// removes the directory if the checker made it.
#[derive(Debug)]
pub(crate) struct FixtureDir {
    /// Its path.
    pub(crate) path: PathBuf,
    /// True when the checker made it: it removes it again.
    made: bool,
}

impl FixtureDir {
    /// Takes `dir`, which must be empty or absent (then it is made).
    pub(crate) fn take(dir: &Path) -> io::Result<Self> {
        let made = !dir.exists();
        if made {
            fs::create_dir_all(dir)?;
        } else if fs::read_dir(dir)?.next().is_some() {
            let message = "must be empty or absent: the checker writes its fixtures there";
            return Err(io::Error::other(message));
        }
        Ok(Self {
            path: dir.to_path_buf(),
            made,
        })
    }
}

impl Drop for FixtureDir {
    fn drop(&mut self) {
        if self.made
            && let Err(error) = fs::remove_dir(&self.path)
        {
            log::warn!("cannot remove {}: {error}", self.path.display());
        }
    }
}

/// The fixtures of the rule cases, hostile ones included, written into
/// the served directory after the course's cases ran; dropping them
/// removes what was written.
#[derive(Debug)]
pub(crate) struct Fixtures {
    /// The served directory.
    pub(crate) dir: PathBuf,
    /// What was written, to remove it again.
    written: Vec<PathBuf>,
}

impl Fixtures {
    /// Writes the fixtures into `dir`.
    pub(crate) fn write(dir: &Path) -> io::Result<Self> {
        let mut fixtures = Self {
            dir: dir.to_path_buf(),
            written: Vec::new(),
        };
        fixtures.write_all()?;
        Ok(fixtures)
    }

    /// The path of a name in the served directory.
    pub(crate) fn path(&self, name: impl AsRef<OsStr>) -> PathBuf {
        self.dir.join(name.as_ref())
    }

    /// Writes every fixture.
    fn write_all(&mut self) -> io::Result<()> {
        self.file(HOLA, HOLA_DATA)?;
        self.file(EMPTY, b"")?;
        self.file(MEDIUM, &medium_data())?;
        self.file(BIG, &big_data())?;
        self.file(name255(), b"255\n")?;
        self.file(UTF8, b"utf-8\n")?;
        for index in 0..MANY {
            self.file(many_name(index), format!("{index}\n").as_bytes())?;
        }
        self.file(SPACED, b"spaced\n")?;
        self.file(CONTROL, b"control\n")?;
        self.file(OsStr::from_bytes(NOT_UTF8), b"latin-1\n")?;
        self.hostile()
    }

    /// Links, a subdirectory, a FIFO, a socket, an unreadable file.
    fn hostile(&mut self) -> io::Result<()> {
        self.link(HOLA, LINK_IN)?;
        self.link("/etc/passwd", LINK_ABS)?;
        self.link("../../../../../../../../../../../../etc/passwd", LINK_UP)?;
        self.link("no-such-target", LINK_DANGLING)?;
        let subdir = self.path(SUBDIR);
        fs::create_dir(&subdir)?;
        self.written.push(subdir.clone());
        fs::write(subdir.join(INNER), b"inner\n")?;
        let fifo = self.path(FIFO);
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from(0o644))?;
        self.written.push(fifo);
        let socket = self.path(SOCKET);
        std::os::unix::net::UnixListener::bind(&socket)?;
        self.written.push(socket);
        let noread = self.file(NOREAD, NOREAD_DATA)?;
        fs::set_permissions(&noread, fs::Permissions::from_mode(0o000))?;
        Ok(())
    }

    /// Writes one regular file; returns its path.
    fn file(&mut self, name: impl AsRef<OsStr>, data: &[u8]) -> io::Result<PathBuf> {
        let path = self.path(name);
        fs::write(&path, data)?;
        self.written.push(path.clone());
        Ok(path)
    }

    /// Makes a symbolic link `name` to `target`.
    fn link(&mut self, target: &str, name: &str) -> io::Result<()> {
        let path = self.path(name);
        symlink(target, &path)?;
        self.written.push(path);
        Ok(())
    }

    /// The names a listing must hold, sorted bytewise (rule 7).
    pub(crate) fn listed() -> Vec<Vec<u8>> {
        let fixed = [HOLA, EMPTY, MEDIUM, BIG, UTF8, LINK_IN, NOREAD];
        let mut names: Vec<Vec<u8>> = fixed.iter().map(|n| n.as_bytes().to_vec()).collect();
        names.push(name255().into_bytes());
        names.extend((0..MANY).map(|i| many_name(i).into_bytes()));
        names.sort();
        names
    }
}

impl Drop for Fixtures {
    fn drop(&mut self) {
        for path in self.written.iter().rev() {
            let removed = if path.is_dir() && !path.is_symlink() {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
            if let Err(error) = removed {
                log::warn!("cannot remove {}: {error}", path.display());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::counting;

    #[test]
    fn counting_is_the_pattern_byte_by_byte() {
        for top in [251, 254] {
            for len in [0, 1, 250, 251, 252, 254, 255, 508, 1000, 65_537] {
                let expected: Vec<u8> =
                    (0..len).map(|i| (i % usize::from(top)) as u8 + 1).collect();
                assert_eq!(counting(len, top), expected, "len {len}, top {top}");
            }
        }
    }
}
