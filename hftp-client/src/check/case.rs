//! What a case is: an id, the rule it checks, a title and a test; and what
//! running it gives.

use std::fmt;

use hftp_proto::Code;

use super::conn::Ctx;

/// The part of the contract a case checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Group {
    /// One numbered rule of the specification (`hftp_proto::spec`, 1 to
    /// 12); 0 is the command table.
    Rule(u8),
    /// A scenario of the course's 2019 suite.
    Course2019,
    /// A scenario of the course's 2026 suite.
    Course2026,
    /// Hostile or unusual clients a server must survive.
    Robust,
    /// What a server does where nothing is required: never a failure.
    Info,
}

impl Group {
    /// A short heading for the report.
    pub const fn title(self) -> &'static str {
        match self {
            Self::Rule(0) => "commands and replies",
            Self::Rule(1) => "line ends",
            Self::Rule(2) => "elements",
            Self::Rule(3) => "commands and the order of checks",
            Self::Rule(4) => "numbers",
            Self::Rule(5) => "file names",
            Self::Rule(6) => "safety",
            Self::Rule(7) => "listing",
            Self::Rule(8) => "slices in flight",
            Self::Rule(9) => "long lines",
            Self::Rule(10) => "after the end",
            Self::Rule(11) => "bodies the client accepts",
            Self::Rule(_) => "other",
            Self::Course2019 => "course suite 2019",
            Self::Course2026 => "course suite 2026",
            Self::Robust => "robustness",
            Self::Info => "for information",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rule(0) => f.write_str("table"),
            Self::Rule(n) => write!(f, "rule {n}"),
            Self::Course2019 => f.write_str("course-2019"),
            Self::Course2026 => f.write_str("course-2026"),
            Self::Robust => f.write_str("robust"),
            Self::Info => f.write_str("info"),
        }
    }
}

/// How a case runs.
#[derive(Clone, Copy)]
pub(crate) enum Test {
    /// On a fresh connection, send these bytes and expect this status
    /// line; then, for a fatal code, the server closes; for another code
    /// the connection goes on and answers one more request.
    Status(&'static [u8], Code),
    /// Any other check.
    Run(fn(&mut Ctx) -> Outcome),
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

/// The revisions of the course's protocol a server may speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

/// One check of the catalogue.
#[derive(Clone, Copy)]
pub(crate) struct Case {
    /// A stable name: `RULE.what`, e.g. `1.bare-lf`.
    pub(crate) id: &'static str,
    /// The rule or scenario it checks.
    pub(crate) group: Group,
    /// What a conforming server does, in a few words.
    pub(crate) title: &'static str,
    /// True when the case needs the fixtures of `--dir`.
    pub(crate) needs_dir: bool,
    /// What its judgement rests on.
    pub(crate) basis: Basis,
    /// The revision whose features it tests (`help`, raw bodies).
    pub(crate) revision: Revision,
    /// A failure is a security finding: a file served from outside the
    /// directory, a server blocked.
    pub(crate) security: bool,
    /// The check itself.
    pub(crate) test: Test,
}

impl Case {
    /// A case that needs no fixtures.
    pub(crate) const fn new(
        id: &'static str,
        group: Group,
        title: &'static str,
        test: Test,
    ) -> Self {
        let basis = match group {
            Group::Course2019 | Group::Course2026 => Basis::Course,
            Group::Rule(_) | Group::Robust | Group::Info => Basis::Contract,
        };
        Self {
            id,
            group,
            title,
            needs_dir: false,
            basis,
            revision: Revision::R2019,
            security: false,
            test,
        }
    }

    /// True for a scenario of the course's suites: it runs first, in a
    /// directory holding only its own files.
    pub(crate) const fn is_course(&self) -> bool {
        matches!(self.group, Group::Course2019 | Group::Course2026)
    }

    /// The same case, needing the fixtures of `--dir`.
    pub(crate) const fn with_dir(mut self) -> Self {
        self.needs_dir = true;
        self
    }

    /// The same case, testing a feature of the 2026 revision: against a
    /// server of the 2019 revision it is reported missing, not run.
    pub(crate) const fn of_2026(mut self) -> Self {
        self.revision = Revision::R2026;
        self
    }

    /// The same case, restating a requirement of the course's suites or
    /// text: a failure is a fail, not non-strict.
    pub(crate) const fn course(mut self) -> Self {
        self.basis = Basis::Course;
        self
    }

    /// The same case, whose failure is a security finding.
    pub(crate) const fn security(mut self) -> Self {
        self.security = true;
        self
    }
}

/// What went wrong, with the bytes to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// The bytes sent on the failing connection, escaped and cut.
    pub sent: String,
    /// The bytes received on it, escaped and cut.
    pub received: String,
    /// What a conforming server would have sent or done.
    pub expected: String,
}

/// Why a case did not pass.
#[derive(Clone, Debug)]
pub(crate) enum Miss {
    /// The server broke the rule.
    Fail(Box<Failure>),
    /// The case could not run here (no `--dir`, running as root...).
    Skip(String),
    /// Not a judgement: what the server does, where nothing is required.
    Info(String),
}

/// The result of one case: `Ok` is a pass.
pub(crate) type Outcome = Result<(), Miss>;

/// A failure that is not about bytes (a count, a time, a file).
pub(crate) fn fail(expected: impl Into<String>) -> Miss {
    Miss::Fail(Box::new(Failure {
        expected: expected.into(),
        ..Failure::default()
    }))
}

/// What the server does, for information: never a failure.
pub(crate) fn info(what: impl Into<String>) -> Miss {
    Miss::Info(what.into())
}

/// The case cannot run here.
pub(crate) fn skip(why: impl Into<String>) -> Miss {
    Miss::Skip(why.into())
}
