//! Where a download's bytes go, and the files around it: the output
//! path, what is already there, and the `.part` file.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, FileTypeExt};
use std::path::{Path, PathBuf};

use crate::Error;

/// What the output path holds before a download.
#[derive(Debug)]
pub(super) enum Existing {
    /// Nothing: the download goes through `.part`.
    Nothing,
    /// A regular file (or a link, never followed) of this length.
    File(u64),
    /// A device, FIFO or socket (directly or through a link): written in
    /// place, never replaced.
    Special,
}

/// Looks at the output path: refuses a directory; tells a special file
/// (followed through links, as `/dev/stdout` is one) from a regular one.
pub(super) fn existing(path: &Path) -> Result<Existing, Error> {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Existing::Nothing),
        Err(error) => return Err(Error::file(path, error)),
    };
    if meta.is_dir() {
        return Err(Error::file(
            path,
            io::Error::new(io::ErrorKind::IsADirectory, "is a directory"),
        ));
    }
    let target = if meta.file_type().is_symlink() {
        fs::metadata(path).ok()
    } else {
        Some(meta.clone())
    };
    let special = target.is_some_and(|target| {
        let kind = target.file_type();
        kind.is_char_device() || kind.is_block_device() || kind.is_fifo() || kind.is_socket()
    });
    Ok(if special {
        Existing::Special
    } else {
        Existing::File(meta.len())
    })
}

/// A special output opened for writing in place: no create, no truncate.
pub(super) fn open_special(path: &Path) -> Result<File, Error> {
    OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|error| Error::file(path, error))
}

/// `path` with `suffix` appended to its file name.
pub(super) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The length of an existing part file; 0 if there is none.
pub(super) fn part_len(part: &Path) -> Result<u64, Error> {
    match fs::symlink_metadata(part) {
        Ok(meta) if meta.is_file() => Ok(meta.len()),
        Ok(_) => Err(Error::file(part, io::Error::other("not a regular file"))),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(error) => Err(Error::file(part, error)),
    }
}

/// The `len` bytes of the file at `path` that end at byte `end`.
pub(super) fn tail(path: &Path, end: u64, len: u64) -> Result<Vec<u8>, Error> {
    let file = File::open(path).map_err(|error| Error::file(path, error))?;
    let mut bytes = vec![0; usize::try_from(len).unwrap_or(0)];
    file.read_exact_at(&mut bytes, end - len)
        .map_err(|error| Error::file(path, error))?;
    Ok(bytes)
}

/// Removes a file that may not exist.
pub(super) fn remove(path: &Path) -> Result<(), Error> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(Error::file(path, error)),
        _ => Ok(()),
    }
}

/// A new, empty file in place of whatever was at `path`: an old file is
/// removed first and a symbolic link is never followed.
pub(super) fn create_fresh(path: &Path) -> Result<File, Error> {
    remove(path)?;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|error| Error::file(path, error))
}

/// An existing part file, opened to append.
pub(super) fn open_existing(path: &Path) -> Result<File, Error> {
    OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|error| Error::file(path, error))
}
