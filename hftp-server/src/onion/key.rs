//! An onion service's private key, as tor hands it out and takes it back
//! (`ED25519-V3:<base64>`), and the file that keeps it across restarts.

use std::fmt;
use std::fs;
use std::io::{self, Read as _, Write as _};
use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::Path;

use base64::Engine as _;

use crate::Lang;
use crate::text::{self, Text};

/// What a key's text begins with: tor's name for its type.
const KEY_TYPE: &str = "ED25519-V3:";

/// The bytes of an expanded ed25519 secret key, as tor encodes it.
const KEY_LEN: usize = 64;

/// The longest key file read: a key, a line ending, room for spaces.
const MAX_FILE_LEN: u64 = 256;

/// An onion service's private key: whoever holds it can publish the same
/// `.onion` address. Its `Debug` does not show it.
///
/// ```
/// use hftp_server::onion::OnionKey;
/// let text = format!("ED25519-V3:{}", "A".repeat(86) + "==");
/// let key = OnionKey::parse(&text)?;
/// assert_eq!(key.as_str(), text);
/// assert!(OnionKey::parse("RSA1024:AAAA").is_err());
/// # Ok::<(), hftp_server::onion::KeyError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct OnionKey(String);

/// Why a text is not an onion key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not of the form `ED25519-V3:<base64 of 64 bytes>`.
    #[error("not an onion key (expected one line `ED25519-V3:` and 88 base64 characters)")]
    Malformed,
}

impl OnionKey {
    /// Parses tor's text form, `ED25519-V3:` then the base64 of the 64
    /// bytes of an expanded ed25519 key; spaces around it are ignored.
    ///
    /// # Errors
    ///
    /// [`KeyError::Malformed`] for anything else.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let encoded = text.strip_prefix(KEY_TYPE).ok_or(KeyError::Malformed)?;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .map_err(|_| KeyError::Malformed)?;
        if decoded.len() != KEY_LEN {
            return Err(KeyError::Malformed);
        }
        Ok(Self(text.to_owned()))
    }

    /// Tor's text form, as `ADD_ONION` takes it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads the key kept in `path`; `None` if there is no such file.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or does not hold a key (a file longer
    /// than a key is not read past 256 bytes).
    pub fn load(path: &Path) -> Result<Option<Self>, KeyFileError> {
        Self::load_saying(path, text::text(Lang::En))
    }

    /// [`load`](Self::load), warning in `text`'s words of a file others
    /// may read.
    pub(crate) fn load_saying(path: &Path, text: &dyn Text) -> Result<Option<Self>, KeyFileError> {
        let file = match fs::File::open(path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(KeyFileError::io(path, source)),
        };
        let private = file
            .metadata()
            .is_ok_and(|metadata| metadata.permissions().mode() & 0o077 == 0);
        let mut read = String::new();
        file.take(MAX_FILE_LEN)
            .read_to_string(&mut read)
            .map_err(|source| KeyFileError::io(path, source))?;
        let key = Self::parse(&read).map_err(|source| KeyFileError::Malformed {
            path: path.display().to_string(),
            source,
        })?;
        if !private {
            log::warn!("{}", text.onion_key_readable(path));
        }
        Ok(Some(key))
    }

    /// Writes the key to a new file at `path`, readable and writable by
    /// its owner only (mode 0600), as one line.
    ///
    /// # Errors
    ///
    /// The file exists already, or cannot be written.
    pub fn save_new(&self, path: &Path) -> Result<(), KeyFileError> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|source| KeyFileError::io(path, source))?;
        // The mode given is masked by the umask; 0600 whatever it is.
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .and_then(|()| writeln!(file, "{}", self.0))
            .and_then(|()| file.sync_all())
            .map_err(|source| KeyFileError::io(path, source))
    }
}

impl fmt::Debug for OnionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnionKey(ED25519-V3:…)")
    }
}

/// Why an onion key file cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// The file cannot be read or written.
    #[error("onion key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// The file does not hold a key.
    #[error("onion key file {path}: {source}")]
    Malformed {
        /// The file.
        path: String,
        /// What is wrong with its text.
        #[source]
        source: KeyError,
    },
}

impl KeyFileError {
    fn io(path: &Path, source: io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> String {
        format!("ED25519-V3:{}AQ==", "Ab".repeat(42))
    }

    #[test]
    fn keys_parse_only_in_tors_form() {
        let key = OnionKey::parse(&format!("  {}\n", text())).expect("a key");
        assert_eq!(key.as_str(), text());
        assert_eq!(format!("{key:?}"), "OnionKey(ED25519-V3:…)");
        for bad in [
            String::new(),
            "ED25519-V3:".into(),
            "ED25519-V3:AAAA".into(),
            text().replace("ED25519-V3", "RSA1024"),
            text().replace('A', "*"),
            format!("{}AAAA", text().trim_end_matches('=')),
        ] {
            assert_eq!(OnionKey::parse(&bad), Err(KeyError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn a_saved_key_is_0600_loads_back_and_is_never_overwritten() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("onion.key");
        assert!(OnionKey::load(&path).expect("no file is fine").is_none());
        let key = OnionKey::parse(&text()).expect("a key");
        key.save_new(&path).expect("saved");
        let mode = fs::metadata(&path)
            .expect("its metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(OnionKey::load(&path).expect("loads"), Some(key.clone()));
        assert!(matches!(
            key.save_new(&path),
            Err(KeyFileError::Io { source, .. }) if source.kind() == io::ErrorKind::AlreadyExists
        ));
        fs::write(&path, "garbage").expect("written");
        let error = OnionKey::load(&path).expect_err("not a key");
        assert!(error.to_string().contains("not an onion key"), "{error}");
        fs::write(&path, vec![b'A'; 10_000]).expect("written");
        assert!(matches!(
            OnionKey::load(&path),
            Err(KeyFileError::Malformed { .. })
        ));
    }
}
