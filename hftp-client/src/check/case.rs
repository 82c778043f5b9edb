//! What a case is: an id, the rule it checks, a title and a test.

use hftp_proto::Code;

use super::context::Ctx;
use super::group::{Basis, Group, Revision};
use super::miss::Tested;

/// How a case runs.
#[derive(Clone, Copy)]
pub(crate) enum Test {
    /// On a fresh connection, send these bytes and expect this status
    /// line; then, for a fatal code, the server closes; for another code
    /// the connection goes on and answers one more request.
    Status(&'static [u8], Code),
    /// Any other check.
    Run(fn(&mut Ctx) -> Tested),
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
        Self {
            id,
            group,
            title,
            needs_dir: false,
            basis: group.basis(),
            revision: Revision::R2019,
            security: false,
            test,
        }
    }

    /// True for a scenario of the course's suites: it runs first, in a
    /// directory holding only its own files.
    pub(crate) const fn is_course(&self) -> bool {
        matches!(self.group, Group::Course(_))
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
