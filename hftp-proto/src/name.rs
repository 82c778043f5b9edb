//! File names: which ones a request may carry (rule 5) and which ones a
//! listing may show (rule 7).

use crate::code::Code;

/// The longest file name, in bytes, that can name a served file (rule 5).
pub const MAX_NAME_LEN: usize = 255;

/// Checks a requested name by rule 5, in its order: longer than
/// [`MAX_NAME_LEN`] is [`Code::FileNotFound`] whatever it holds; then it
/// must be UTF-8 with no `/`, no control character and not `.` or `..`,
/// else [`Code::InvalidArguments`].
///
/// Whether a regular file of that name exists is the caller's question.
///
/// ```
/// use hftp_proto::{check_name, Code};
/// assert_eq!(check_name(b"hola.txt"), Ok("hola.txt"));
/// assert_eq!(check_name(b"../etc/passwd"), Err(Code::InvalidArguments));
/// assert_eq!(check_name(&[b'a'; 256]), Err(Code::FileNotFound));
/// ```
pub fn check_name(name: &[u8]) -> Result<&str, Code> {
    if name.len() > MAX_NAME_LEN {
        return Err(Code::FileNotFound);
    }
    let bad_byte = |b: &u8| *b == b'/' || b.is_ascii_control();
    if name.is_empty() || name == b"." || name == b".." || name.iter().any(bad_byte) {
        return Err(Code::InvalidArguments);
    }
    core::str::from_utf8(name).map_err(|_| Code::InvalidArguments)
}

/// Why a directory entry is left out of a listing (rule 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unlisted {
    /// `get_metadata` would refuse the name (rule 5): too long, not UTF-8,
    /// a control character, `/`, `.` or `..`.
    Invalid,
    /// The name holds a space, so no request can carry it.
    Space,
    /// The name is not ASCII and the listing is ASCII-only.
    NotAscii,
}

/// Checks that a directory entry's name can travel in a listing: exactly
/// the names that `get_metadata` accepts (rule 7), and with `ascii_only`
/// only the ASCII ones (for the course clients, which crash on others).
pub fn check_listable(name: &[u8], ascii_only: bool) -> Result<&str, Unlisted> {
    let name = check_name(name).map_err(|_| Unlisted::Invalid)?;
    if name.contains(' ') {
        Err(Unlisted::Space)
    } else if ascii_only && !name.is_ascii() {
        Err(Unlisted::NotAscii)
    } else {
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_5_order_length_first_then_form() {
        let long_and_bad = [b'/'; 300];
        assert_eq!(check_name(&long_and_bad), Err(Code::FileNotFound));
        assert_eq!(check_name(&[b'x'; 255]).map(str::len), Ok(255));
        for bad in [
            &b""[..],
            b".",
            b"..",
            b"a/b",
            b"a\x00",
            b"a\x7f",
            b"\xff",
            b"tab\t",
        ] {
            assert_eq!(check_name(bad), Err(Code::InvalidArguments), "{bad:?}");
        }
        assert_eq!(check_name("ñandú.txt".as_bytes()), Ok("ñandú.txt"));
        assert_eq!(check_name(b"..."), Ok("..."));
    }

    #[test]
    fn listing_leaves_out_what_cannot_travel() {
        assert_eq!(check_listable(b"a b", false), Err(Unlisted::Space));
        assert_eq!(check_listable(b"a\nb", false), Err(Unlisted::Invalid));
        assert_eq!(
            check_listable("año".as_bytes(), true),
            Err(Unlisted::NotAscii)
        );
        assert_eq!(check_listable("año".as_bytes(), false), Ok("año"));
    }
}
