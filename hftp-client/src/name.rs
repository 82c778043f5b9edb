//! Why a string is not a file name a server can serve, in words a person
//! reads without knowing the protocol's rules by number.

use hftp_proto::MAX_NAME_LEN;

// The words below say 255.
const _: () = assert!(MAX_NAME_LEN == 255);

/// Why `name` cannot name a served file, in plain words; `None` when it
/// can. The protocol's own check (`hftp_proto::check_name`, plus the
/// spaces no request can carry) is the authority; this says why.
pub(crate) fn why_not_a_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("a file name cannot be empty")
    } else if name.contains(' ') {
        Some(
            "HFTP file names cannot hold spaces (a request's words are separated by spaces), \
             so no HFTP server can serve this file",
        )
    } else if name.chars().any(char::is_control) {
        Some("a file name cannot hold line ends or other control characters")
    } else if name.contains('/') {
        Some(
            "a file name cannot hold '/': a server serves the files of one folder, not of its subfolders",
        )
    } else if name == "." || name == ".." {
        Some("'.' and '..' are folders, not files")
    } else if name.len() > MAX_NAME_LEN {
        Some("a file name has at most 255 bytes")
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
