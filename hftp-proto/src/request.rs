//! Requests: what a client asks, and how it is written on the wire.

use alloc::vec::Vec;

use crate::wire::{EOL, write_decimal};

/// Generates [`Command`] from one table of
/// `Variant = "name" (argument counts);` rows, in the order `help` lists
/// them.
macro_rules! commands {
    ($($(#[$doc:meta])* $name:ident = $word:literal ($arguments:pat);)+) => {
        /// A command of HFTP: its name on the wire and the number of
        /// arguments it takes, from one table.
        ///
        /// ```
        /// use hftp_proto::Command;
        /// assert_eq!(Command::from_name(b"get_slice"), Some(Command::Slice));
        /// assert!(Command::Slice.takes(4) && !Command::Slice.takes(2));
        /// assert_eq!(Command::Quit.to_string(), "quit");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Command {
            $($(#[$doc])* $name,)+
        }

        impl Command {
            /// Every command, in the order the `help` reply lists them.
            pub const ALL: [Self; COUNT] = [$(Self::$name,)+];

            /// The command's name, which starts its request line.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Self::$name => $word,)+ }
            }

            /// True if the command takes `count` arguments (rule 3).
            #[must_use]
            pub const fn takes(self, count: u32) -> bool {
                match self { $(Self::$name => matches!(count, $arguments),)+ }
            }

            /// The command with this name; names are case-sensitive
            /// (rule 3).
            #[must_use]
            pub fn from_name(name: &[u8]) -> Option<Self> {
                match name {
                    $(n if n == $word.as_bytes() => Some(Self::$name),)+
                    _ => None,
                }
            }
        }

        /// How many commands there are.
        const COUNT: usize = [$($word,)+].len();
    };
}

commands! {
    /// `get_file_listing`: the names of the served files.
    FileListing = "get_file_listing" (0);
    /// `get_metadata NAME`: the size of one file.
    Metadata = "get_metadata" (1);
    /// `get_slice NAME OFFSET SIZE [raw]`: bytes of one file.
    Slice = "get_slice" (3 | 4);
    /// `help`: the command names (2026 revision).
    Help = "help" (0);
    /// `quit`: the end of the session.
    Quit = "quit" (0);
}

impl core::fmt::Display for Command {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// The mode word that asks for a raw slice body (the 2026 revision).
pub const RAW: &str = "raw";

/// How a slice body travels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Form {
    /// Base64 on one line, then `\r\n` (both revisions).
    #[default]
    Base64,
    /// A `Content-Length` header, an empty line, then the raw bytes (2026).
    Raw,
}

/// A valid request, with its file name borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Request<'a> {
    /// `get_file_listing`: the names of the served files.
    FileListing,
    /// `get_metadata NAME`: the size of one file.
    Metadata {
        /// The file name.
        name: &'a str,
    },
    /// `get_slice NAME OFFSET SIZE [raw]`: `size` bytes from `offset`.
    Slice {
        /// The file name.
        name: &'a str,
        /// The first byte wanted.
        offset: u64,
        /// How many bytes are wanted.
        size: u64,
        /// How the body travels.
        form: Form,
    },
    /// `help`: the command names (2026 revision).
    Help,
    /// `quit`: the server closes without a body.
    Quit,
}

/// A request the client side refuses to encode, because the server would
/// read it as something else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The name is empty or holds a space, `\r` or `\n`, so it cannot be
    /// one element of one line.
    #[error("a file name must be one non-empty element without spaces or line ends")]
    NameNotOneElement,
}

impl<'a> Request<'a> {
    /// The command that starts this request's line.
    #[must_use]
    pub const fn command(&self) -> Command {
        match self {
            Self::FileListing => Command::FileListing,
            Self::Metadata { .. } => Command::Metadata,
            Self::Slice { .. } => Command::Slice,
            Self::Help => Command::Help,
            Self::Quit => Command::Quit,
        }
    }

    /// The file name this request carries, if any.
    #[must_use]
    pub const fn name(&self) -> Option<&'a str> {
        match self {
            Self::Metadata { name } | Self::Slice { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Appends the request line, `\r\n` included, to `out`.
    ///
    /// A name the server could not read as one element is refused and
    /// `out` is left as it was; other names travel as given, so a checker
    /// can see how a server answers them.
    ///
    /// ```
    /// use hftp_proto::Request;
    /// let mut out = Vec::new();
    /// Request::Metadata { name: "hola.txt" }.encode(&mut out)?;
    /// assert_eq!(out, b"get_metadata hola.txt\r\n");
    /// # Ok::<(), hftp_proto::EncodeError>(())
    /// ```
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if let Some(name) = self.name() {
            let breaks_line = |b: u8| matches!(b, b' ' | b'\r' | b'\n');
            if name.is_empty() || name.bytes().any(breaks_line) {
                return Err(EncodeError::NameNotOneElement);
            }
        }
        out.extend_from_slice(self.command().name().as_bytes());
        if let Some(name) = self.name() {
            out.push(b' ');
            out.extend_from_slice(name.as_bytes());
        }
        if let Self::Slice {
            offset, size, form, ..
        } = *self
        {
            out.push(b' ');
            write_decimal(offset, out);
            out.push(b' ');
            write_decimal(size, out);
            if form == Form::Raw {
                out.push(b' ');
                out.extend_from_slice(RAW.as_bytes());
            }
        }
        out.extend_from_slice(EOL);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(request: Request<'_>) -> Vec<u8> {
        let mut out = Vec::new();
        request.encode(&mut out).map(|()| out).unwrap_or_default()
    }

    #[test]
    fn every_request_encodes_as_the_contract_writes_it() {
        assert_eq!(encoded(Request::FileListing), b"get_file_listing\r\n");
        assert_eq!(encoded(Request::Help), b"help\r\n");
        assert_eq!(encoded(Request::Quit), b"quit\r\n");
        let slice = Request::Slice {
            name: "a",
            offset: 4,
            size: 14,
            form: Form::Base64,
        };
        assert_eq!(encoded(slice), b"get_slice a 4 14\r\n");
        let raw = Request::Slice {
            name: "a",
            offset: 0,
            size: u64::MAX,
            form: Form::Raw,
        };
        assert_eq!(encoded(raw), b"get_slice a 0 18446744073709551615 raw\r\n");
    }

    #[test]
    fn names_that_would_break_the_line_are_refused() {
        let mut out = Vec::new();
        for name in ["", "a b", "a\r\n", "quit\r\nhelp"] {
            let request = Request::Metadata { name };
            assert_eq!(
                request.encode(&mut out),
                Err(EncodeError::NameNotOneElement)
            );
        }
        assert!(out.is_empty());
    }
}
