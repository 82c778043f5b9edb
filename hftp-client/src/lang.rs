//! The language of the words a person reads: English or Spanish.
//!
//! Only human text changes with it: the protocol's bytes, exit codes and
//! machine-read output (JSON Lines, JUnit's structure) never do.

use core::fmt;
use core::str::FromStr;

/// A language hftp speaks to people in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Spanish, as spoken in Córdoba (voseo).
    Es,
}

/// The variable that overrides the locale's language: `es` or `en`.
pub const LANG_VARIABLE: &str = "HFTP_LANG";

/// The locale variables, in the order POSIX consults them for messages.
const LOCALE_VARIABLES: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

impl Lang {
    /// Every language, English first.
    pub const ALL: [Self; 2] = [Self::En, Self::Es];

    /// The language's code, as `--lang` takes it and HTML's `lang`
    /// attribute writes it: `en`, `es`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
        }
    }

    /// The language of a locale name such as `es_AR.UTF-8`: Spanish for
    /// any `es` locale, English for anything else (`C`, `POSIX`,
    /// `en_US.UTF-8`, `fr_FR`).
    #[must_use]
    pub fn of_locale(locale: &str) -> Self {
        let language = locale.split(['_', '.', '@', '-']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("es") {
            Self::Es
        } else {
            Self::En
        }
    }

    /// The language the environment asks for, read through `var`
    /// (`std::env::var` in a program): [`LANG_VARIABLE`] if it is set and
    /// not empty, else the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that
    /// is set and not empty, as POSIX picks the locale of messages.
    ///
    /// # Errors
    ///
    /// [`ParseLangError`] if `HFTP_LANG` names neither language.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ParseLangError> {
        let set = |name: &str| var(name).filter(|value| !value.is_empty());
        if let Some(chosen) = set(LANG_VARIABLE) {
            return chosen.parse();
        }
        Ok(LOCALE_VARIABLES
            .into_iter()
            .find_map(set)
            .map_or(Self::En, |locale| Self::of_locale(&locale)))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = ParseLangError;

    /// `en` or `es`, in any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(text))
            .ok_or_else(|| ParseLangError(text.to_owned()))
    }
}

/// A language name that is neither `en` nor `es`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`: the languages are en and es")]
pub struct ParseLangError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Lang, ParseLangError> {
        Lang::from_vars(|name| {
            vars.iter()
                .find(|(set, _)| *set == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn any_spanish_locale_gives_spanish_and_anything_else_english() {
        for locale in ["es", "es_AR.UTF-8", "es_ES@euro", "ES_mx", "es-419"] {
            assert_eq!(Lang::of_locale(locale), Lang::Es, "{locale}");
        }
        for locale in [
            "",
            "C",
            "POSIX",
            "C.UTF-8",
            "en_US.UTF-8",
            "fr_FR",
            "est_EE",
        ] {
            assert_eq!(Lang::of_locale(locale), Lang::En, "{locale}");
        }
    }

    #[test]
    fn lc_all_then_lc_messages_then_lang_and_empty_counts_as_unset() {
        assert_eq!(from(&[]), Ok(Lang::En));
        assert_eq!(from(&[("LANG", "es_AR.UTF-8")]), Ok(Lang::Es));
        let messages = [("LANG", "es_AR.UTF-8"), ("LC_MESSAGES", "C")];
        assert_eq!(from(&messages), Ok(Lang::En));
        let all = [
            ("LC_ALL", "es_AR.UTF-8"),
            ("LC_MESSAGES", "C"),
            ("LANG", "C"),
        ];
        assert_eq!(from(&all), Ok(Lang::Es));
        let empty = [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "es_AR.UTF-8")];
        assert_eq!(from(&empty), Ok(Lang::Es));
    }

    #[test]
    fn hftp_lang_overrides_the_locale_and_must_name_a_language() {
        assert_eq!(from(&[("LC_ALL", "C"), ("HFTP_LANG", "es")]), Ok(Lang::Es));
        assert_eq!(
            from(&[("LANG", "es_AR"), ("HFTP_LANG", "EN")]),
            Ok(Lang::En)
        );
        assert_eq!(from(&[("LANG", "es_AR"), ("HFTP_LANG", "")]), Ok(Lang::Es));
        let error = from(&[("HFTP_LANG", "fr")]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown language `fr`: the languages are en and es"
        );
    }
}
