//! The kinds of verdict, from one table: the word each is counted and
//! coloured by, and what it means.

use std::fmt;

/// Declares [`Kind`], its words and meanings, from one table.
macro_rules! kinds {
    ($($(#[doc = $doc:literal])* $kind:ident => $word:literal, $meaning:literal;)*) => {
        /// The kinds of verdict, the loudest first: what the reports
        /// count and colour.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Kind {
            $($(#[doc = $doc])* $kind,)*
        }

        impl Kind {
            /// Every kind, the loudest first: the order of the reports'
            /// counts and legend.
            pub const ALL: &[Self] = &[$(Self::$kind),*];

            /// The word the reports print: `security`, `fail`, ...
            /// The JSON Lines, the JUnit XML's `type` and the HTML
            /// report's classes and `data-verdict` always carry it.
            #[must_use]
            pub const fn word(self) -> &'static str {
                match self {
                    $(Self::$kind => $word,)*
                }
            }

            /// What the verdict means, in a few words (the HTML
            /// report's legend).
            #[must_use]
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Self::$kind => $meaning,)*
                }
            }
        }
    };
}

kinds! {
    /// A security finding (or a death).
    Security => "security", "a file served from outside the directory, or a server blocked or crashed";
    /// A course requirement broken.
    Fail => "fail", "a requirement of the course broken";
    /// Only the contract's stricter choice differs.
    NonStrict => "non-strict", "only the project's stricter contract differs, where the course is silent";
    /// Not a requirement.
    Info => "info", "not a requirement: what the server does";
    /// A feature of a later revision.
    Missing => "missing", "a feature of a later revision the server lacks";
    /// Not run here (or not run at all, the server being dead).
    Skip => "skip", "the case could not run here";
    /// A pass.
    Pass => "pass", "the server did what the case checks";
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}
