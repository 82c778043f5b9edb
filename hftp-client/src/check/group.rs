//! The vocabulary of the catalogue: the part of the contract a case
//! checks, what its judgement rests on, and the course's revisions.

use std::fmt;

/// The revisions of the course's protocol a server may speak, and the
/// years of the course's suites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Revision {
    /// The 2019 kit: no `help`, no raw bodies.
    R2019,
    /// The 2026 kit: `help` and `get_slice ... raw`.
    R2026,
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::R2019 => "2019",
            Self::R2026 => "2026",
        })
    }
}

/// The part of the contract a case checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Group {
    /// One numbered rule of the specification (`hftp_proto::spec`, 1 to
    /// 12); 0 is the command table.
    Rule(u8),
    /// A scenario of the course's suite of that year.
    Course(Revision),
    /// Hostile or unusual clients a server must survive.
    Robust,
    /// What a server does where nothing is required: never a failure.
    Info,
}

/// The headings of the rules' groups, by rule number (0 is the command
/// table); a rule past the table is "other".
const RULE_TITLES: [&str; 12] = [
    "commands and replies",
    "line ends",
    "elements",
    "commands and the order of checks",
    "numbers",
    "file names",
    "safety",
    "listing",
    "slices in flight",
    "long lines",
    "after the end",
    "bodies the client accepts",
];

impl Group {
    /// A short heading for the report.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Rule(rule) => RULE_TITLES
                .get(usize::from(rule))
                .copied()
                .unwrap_or("other"),
            Self::Course(Revision::R2019) => "course suite 2019",
            Self::Course(Revision::R2026) => "course suite 2026",
            Self::Robust => "robustness",
            Self::Info => "for information",
        }
    }

    /// What a failure in this group rests on: the course's suites, or
    /// this project's stricter contract.
    pub(crate) const fn basis(self) -> Basis {
        match self {
            Self::Course(_) => Basis::Course,
            Self::Rule(_) | Self::Robust | Self::Info => Basis::Contract,
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rule(0) => f.write_str("table"),
            Self::Rule(n) => write!(f, "rule {n}"),
            Self::Course(year) => write!(f, "course-{year}"),
            Self::Robust => f.write_str("robust"),
            Self::Info => f.write_str("info"),
        }
    }
}

/// What a case's judgement rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Basis {
    /// What the course's suites or text require: a failure is a fail.
    Course,
    /// A stricter choice of this project's contract where the course is
    /// silent: a failure is non-strict.
    Contract,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_named_as_before() {
        let named = [
            (Group::Rule(0), "table", "commands and replies"),
            (Group::Rule(11), "rule 11", "bodies the client accepts"),
            (Group::Rule(12), "rule 12", "other"),
            (
                Group::Course(Revision::R2019),
                "course-2019",
                "course suite 2019",
            ),
            (
                Group::Course(Revision::R2026),
                "course-2026",
                "course suite 2026",
            ),
            (Group::Robust, "robust", "robustness"),
            (Group::Info, "info", "for information"),
        ];
        for (group, name, title) in named {
            assert_eq!((group.to_string().as_str(), group.title()), (name, title));
        }
    }
}
