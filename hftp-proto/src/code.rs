//! The status codes of HFTP: one table from which everything else comes.

use core::fmt;

use alloc::vec::Vec;

use crate::wire::{EOL, write_decimal};

/// Generates [`Code`] and its accessors from one table of
/// `Variant = number, "TEXT", fatal, "doc"` rows.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $num:literal, $text:literal, $fatal:literal;)+) => {
        /// A reply status code, with the course kit's text.
        ///
        /// `Display` gives the status line without its terminator:
        /// `101 BAD REQUEST`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* $name,)+
        }

        impl Code {
            /// Every code, in ascending order.
            pub const ALL: &'static [Self] = &[$(Self::$name,)+];

            /// The decimal number sent on the wire.
            #[must_use]
            pub const fn number(self) -> u16 {
                match self { $(Self::$name => $num,)+ }
            }

            /// The course kit's text for this code.
            #[must_use]
            pub const fn text(self) -> &'static str {
                match self { $(Self::$name => $text,)+ }
            }

            /// True for the 1xx codes, after which the server closes.
            #[must_use]
            pub const fn is_fatal(self) -> bool {
                match self { $(Self::$name => $fatal,)+ }
            }

            /// The code with this number, if HFTP defines one.
            #[must_use]
            pub const fn from_number(number: u16) -> Option<Self> {
                match number {
                    $($num => Some(Self::$name),)+
                    _ => None,
                }
            }
        }
    };
}

codes! {
    /// Success; the command's body follows.
    Ok = 0, "OK", false;
    /// A `\n` not preceded by `\r`, or a `\r` followed by anything but `\n`.
    BadEol = 100, "BAD EOL", true;
    /// A line the server refuses to process at all (too long, or no command).
    BadRequest = 101, "BAD REQUEST", true;
    /// The server failed: an I/O error, a file that vanished, no capacity.
    InternalError = 199, "INTERNAL SERVER ERROR", true;
    /// The first element is not a command.
    InvalidCommand = 200, "NO SUCH COMMAND", false;
    /// Wrong number of arguments, or an argument of the wrong form.
    InvalidArguments = 201, "INVALID ARGUMENTS FOR COMMAND", false;
    /// No file of that name is served.
    FileNotFound = 202, "FILE NOT FOUND", false;
    /// `OFFSET + SIZE` is past the end of the file.
    BadOffset = 203, "OFFSET EXCEEDS FILE SIZE", false;
}

impl Code {
    /// The status line as sent on the wire, terminator included:
    /// `b"202 FILE NOT FOUND\r\n"`.
    pub(crate) fn write_line(self, out: &mut Vec<u8>) {
        write_decimal(u64::from(self.number()), out);
        out.push(b' ');
        out.extend_from_slice(self.text().as_bytes());
        out.extend_from_slice(EOL);
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.number(), self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    #[test]
    fn table_round_trips_and_matches_the_course_texts() {
        let numbers: Vec<u16> = Code::ALL.iter().map(|c| c.number()).collect();
        assert_eq!(numbers, [0, 100, 101, 199, 200, 201, 202, 203]);
        for &code in Code::ALL {
            assert_eq!(Code::from_number(code.number()), Some(code));
            assert_eq!(code.is_fatal(), (100..200).contains(&code.number()));
        }
        assert_eq!(Code::from_number(1), None);
        assert_eq!(Code::BadRequest.to_string(), "101 BAD REQUEST");
        let mut line = Vec::new();
        Code::FileNotFound.write_line(&mut line);
        assert_eq!(line, b"202 FILE NOT FOUND\r\n");
    }
}
