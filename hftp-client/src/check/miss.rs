//! How a case's test went when it did not pass: the server broke the
//! rule (with the bytes to show), the case could not run here, or what
//! the server does, for information.

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

/// How one case's test went: `Ok` is a pass.
pub(crate) type Tested = Result<(), Miss>;

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
