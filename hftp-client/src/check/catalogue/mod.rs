//! The catalogue: every case, in the order they run, grouped by rule.
//!
//! A case is data (an id, the rule, a title) and a test: most are one
//! line sent and one status expected ([`Test::Status`]); the others are a
//! small function. Cases that need fixtures are marked `with_dir`.

mod bodies;
mod course;
mod lines;
mod names;
mod robust;

use hftp_proto::Code;

use super::case::{Case, Group, Outcome, Test};
use super::conn::Ctx;

/// Every case, rules first, then the course scenarios and robustness.
pub(crate) fn all() -> Vec<Case> {
    [
        lines::CASES,
        names::CASES,
        bodies::CASES,
        course::CASES,
        robust::CASES,
    ]
    .concat()
}

/// A case sending one line and expecting one status.
const fn status(
    id: &'static str,
    rule: u8,
    title: &'static str,
    send: &'static [u8],
    code: Code,
) -> Case {
    Case::new(id, Group::Rule(rule), title, Test::Status(send, code))
}

/// A case run by a function, for rule `rule`.
const fn run(
    id: &'static str,
    rule: u8,
    title: &'static str,
    test: fn(&mut Ctx) -> Outcome,
) -> Case {
    Case::new(id, Group::Rule(rule), title, Test::Run(test))
}
