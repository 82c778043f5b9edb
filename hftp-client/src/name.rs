//! Why a string is not a file name a server can serve, in words a person
//! reads without knowing the protocol's rules by number.

use core::fmt;

use hftp_proto::MAX_NAME_LEN;

// The words below say 255.
const _: () = assert!(MAX_NAME_LEN == 255);

/// Why a string cannot name a file an HFTP server serves. Its
/// `Display` says it in plain English words; a program that speaks
/// another language matches on the variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameProblem {
    /// The name is empty.
    Empty,
    /// It holds a space, which separates a request's words.
    Space,
    /// It holds a line end or another control character.
    Control,
    /// It holds `/`: a server serves one folder, not its subfolders.
    Slash,
    /// It is `.` or `..`.
    Dots,
    /// It is longer than 255 bytes.
    TooLong,
    /// No request can carry it for another reason.
    Other,
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "a file name cannot be empty",
            Self::Space => {
                "HFTP file names cannot hold spaces (a request's words are separated by \
                 spaces), so no HFTP server can serve this file"
            }
            Self::Control => "a file name cannot hold line ends or other control characters",
            Self::Slash => {
                "a file name cannot hold '/': a server serves the files of one folder, not of \
                 its subfolders"
            }
            Self::Dots => "'.' and '..' are folders, not files",
            Self::TooLong => "a file name has at most 255 bytes",
            Self::Other => "no request can carry it",
        })
    }
}

/// Why `name` cannot name a served file; `None` when it can. The
/// protocol's own check (`hftp_proto::check_name`, plus the spaces no
/// request can carry) is the authority; this says why.
pub(crate) fn why_not_a_name(name: &str) -> Option<NameProblem> {
    if name.is_empty() {
        Some(NameProblem::Empty)
    } else if name.contains(' ') {
        Some(NameProblem::Space)
    } else if name.chars().any(char::is_control) {
        Some(NameProblem::Control)
    } else if name.contains('/') {
        Some(NameProblem::Slash)
    } else if name == "." || name == ".." {
        Some(NameProblem::Dots)
    } else if name.len() > MAX_NAME_LEN {
        Some(NameProblem::TooLong)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::why_not_a_name;

    #[test]
    fn every_name_the_protocol_refuses_has_a_reason() {
        let long = "x".repeat(256);
        for name in [
            "", "a b", "a\r\nb", "a\tb", "a/b", ".", "..", &long, "\u{7f}",
        ] {
            assert!(why_not_a_name(name).is_some(), "{name:?}");
            let carried = hftp_proto::check_name(name.as_bytes()).is_ok() && !name.contains(' ');
            assert!(!carried, "{name:?} is a name after all");
        }
        for name in ["hola.txt", "ñandú", ".hidden", "a..b", &"x".repeat(255)] {
            assert_eq!(why_not_a_name(name), None, "{name:?}");
            assert!(hftp_proto::check_name(name.as_bytes()).is_ok(), "{name:?}");
        }
    }
}
