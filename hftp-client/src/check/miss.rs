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

/// Words for people, in English (what the JSON Lines carry, in every
/// language) and in Spanish (what the Spanish reports show).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Said {
    /// In English.
    pub(crate) en: String,
    /// In Spanish.
    pub(crate) es: String,
}

impl Said {
    /// Words that read the same in every language: escaped bytes, a
    /// status line, a name.
    pub(crate) fn same(words: impl Into<String>) -> Self {
        let en = words.into();
        Self { es: en.clone(), en }
    }

    /// These words, then `why` in brackets, in each language:
    /// `more bytes (no reply within 5 s)`.
    pub(crate) fn with(&self, why: &Self) -> Self {
        Self {
            en: format!("{} ({})", self.en, why.en),
            es: format!("{} ({})", self.es, why.es),
        }
    }

    /// These words followed by `more`, in each language.
    pub(crate) fn then(&self, more: &Self) -> Self {
        Self {
            en: format!("{}{}", self.en, more.en),
            es: format!("{}{}", self.es, more.es),
        }
    }
}

/// [`Said`] words in English and Spanish, each language's text a
/// `format!` string taking the same named values: a value one language
/// leaves out is an unused named argument, and a name neither passes
/// is an unknown one; neither compiles.
///
/// ```text
/// said!("the server closes within {within}", "que el servidor cierre en {within}"; within = limit)
/// ```
macro_rules! said {
    ($en:literal, $es:literal $(; $($name:ident = $value:expr),+ $(,)?)?) => {
        $crate::check::miss::Said {
            en: format!($en $(, $($name = $value),+)?),
            es: format!($es $(, $($name = $value),+)?),
        }
    };
}
pub(crate) use said;

/// Why a case did not pass.
#[derive(Clone, Debug)]
pub(crate) enum Miss {
    /// The server broke the rule; what a conforming server does, in
    /// Spanish (the failure holds the English).
    Fail(Box<Failure>, String),
    /// The case could not run here (no `--dir`, running as root...).
    Skip(Said),
    /// Not a judgement: what the server does, where nothing is required.
    Info(Said),
}

impl Miss {
    /// A failure showing these bytes, expecting `expected`.
    pub(crate) fn failure(sent: String, received: String, expected: Said) -> Self {
        Self::Fail(
            Box::new(Failure {
                sent,
                received,
                expected: expected.en,
            }),
            expected.es,
        )
    }
}

impl Miss {
    /// This failure, its expectation followed by `why` it matters, in
    /// each language; a skip or an info as it is.
    pub(crate) fn because(self, why: &Said) -> Self {
        match self {
            Self::Fail(mut failure, es) => {
                failure.expected = format!("{}; {}", failure.expected, why.en);
                Self::Fail(failure, format!("{es}; {}", why.es))
            }
            other => other,
        }
    }
}

/// How one case's test went: `Ok` is a pass.
pub(crate) type Tested = Result<(), Miss>;

/// A failure that is not about bytes (a count, a time, a file).
pub(crate) fn fail(expected: Said) -> Miss {
    Miss::failure(String::new(), String::new(), expected)
}

/// What the server does, for information: never a failure.
pub(crate) fn info(what: Said) -> Miss {
    Miss::Info(what)
}

/// The case cannot run here.
pub(crate) fn skip(why: Said) -> Miss {
    Miss::Skip(why)
}

/// The case needs the fixtures of `--dir`, not given.
pub(crate) fn needs_dir() -> Miss {
    skip(said!("needs --dir", "necesita --dir"))
}
