//! What a person sharing a folder needs to hear at start-up: which of its
//! entries no client will see, and why, in a line.
//!
//! Informational only: serving decides for itself, request by request
//! (`files`); this reads the folder once, with std, to say what to expect.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use hftp_proto::{Unlisted, check_listable};

use crate::request_log::EscapedBytes;
use crate::text::{Text, Unserved as Reason};

/// How many names of each reason the summary shows.
const SHOWN: usize = 3;

/// Why the entry `name` of the directory whose real path is `real` is
/// not served; `None` when it is. A link is served when it reaches a
/// regular file beneath the directory.
fn reason(real: &Path, name: &[u8], ascii_only: bool) -> Option<Reason> {
    use std::os::unix::ffi::OsStrExt as _;
    let path = real.join(std::ffi::OsStr::from_bytes(name));
    let own = fs::symlink_metadata(&path).ok()?;
    let target = if own.file_type().is_symlink() {
        let Ok(target) = fs::metadata(&path) else {
            return Some(Reason::Dangling);
        };
        let inside = fs::canonicalize(&path).is_ok_and(|resolved| resolved.starts_with(real));
        if !inside {
            return Some(Reason::LinkOut);
        }
        target
    } else {
        own
    };
    if target.is_dir() {
        return Some(Reason::Folder);
    }
    if !target.is_file() {
        return Some(Reason::Special);
    }
    match check_listable(name, ascii_only) {
        Ok(_) => None,
        Err(Unlisted::Space) => Some(Reason::Space),
        Err(Unlisted::NotAscii) => Some(Reason::NotAscii),
        Err(_) => Some(Reason::BadName),
    }
}

/// One line saying which entries of `dir` are not served and why, with
/// a few names of each reason; `None` when every entry is served (or the
/// folder cannot be read, which serving reports).
pub(crate) fn not_served(dir: &Path, ascii_only: bool, text: &dyn Text) -> Option<String> {
    use std::os::unix::ffi::OsStrExt as _;
    let real = fs::canonicalize(dir).ok()?;
    let mut found: BTreeMap<Reason, Vec<Vec<u8>>> = BTreeMap::new();
    for entry in fs::read_dir(&real).ok()?.flatten() {
        let name = entry.file_name().as_bytes().to_vec();
        if let Some(why) = reason(&real, &name, ascii_only) {
            found.entry(why).or_default().push(name);
        }
    }
    let total: usize = found.values().map(Vec::len).sum();
    if total == 0 {
        return None;
    }
    let mut line = text.not_served(total, dir);
    for (at, (why, names)) in found.iter_mut().enumerate() {
        names.sort();
        let _ = write!(
            line,
            "{}{} {} (",
            if at == 0 { "" } else { ", " },
            names.len(),
            text.unserved(*why, names.len())
        );
        for (at, name) in names.iter().take(SHOWN).enumerate() {
            let sep = if at == 0 { "" } else { ", " };
            let _ = match why {
                Reason::Folder => write!(line, "{sep}{}", String::from_utf8_lossy(name)),
                _ => write!(line, "{sep}{}", EscapedBytes(name)),
            };
        }
        if names.len() > SHOWN {
            let _ = write!(line, ", …");
        }
        line.push(')');
    }
    Some(line)
}
