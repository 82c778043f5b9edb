//! The catalogue: every case, in the order they run, grouped by rule.
//!
//! A case is data (an id, the rule, a title) and a test: most are one
//! line sent and one status expected ([`Test::Status`]); the others are a
//! small function. Cases that need fixtures are marked `with_dir`.

mod bodies;
mod course;
mod info;
mod lines;
mod names;
mod robust;

use hftp_proto::Code;

use super::case::{Case, Test};
use super::context::Ctx;
use super::group::Group;
use super::miss::Tested;

/// Every case: the course's tests first (they run first, in a
/// directory holding only their own files), then the rules, robustness
/// and information.
pub(crate) fn all() -> Vec<Case> {
    [
        &course::cases()[..],
        lines::CASES,
        names::CASES,
        bodies::CASES,
        robust::CASES,
        info::CASES,
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
    test: fn(&mut Ctx) -> Tested,
) -> Case {
    Case::new(id, Group::Rule(rule), title, Test::Run(test))
}
