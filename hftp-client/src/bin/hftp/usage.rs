//! Command line errors as one line: clap's message without its usage
//! block and help hint, for the command line and for shell lines alike.

use hftp_client::Lang;

use crate::text;

/// The message of a clap error on one line, in the run's language.
pub(crate) fn one_line(error: &clap::Error) -> String {
    match text::lang() {
        Lang::Es => text::usage_error(error),
        _ => english(error),
    }
}

/// The message of a clap error on one line, without `error: `: its
/// lines up to the usage, joined (clap puts the missing or bad argument
/// on the line after its sentence).
pub(crate) fn english(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let message: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty() && !line.starts_with("Usage:"))
        .collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    match suggestion(error) {
        Some(suggested) => format!("{message}: did you mean `{suggested}`?"),
        None => message.to_owned(),
    }
}

/// What clap suggests for a mistyped subcommand, option or value.
pub(crate) fn suggestion(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| match error.get(kind)? {
        ContextValue::String(suggested) => Some(suggested.clone()),
        ContextValue::Strings(suggested) => suggested.first().cloned(),
        _ => None,
    })
}

/// The word of `known` closest to `typed`, if one is close enough to be
/// a likely typo (the measure and threshold clap uses).
pub(crate) fn closest<'a>(
    typed: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|word| (strsim::jaro_winkler(typed, word), word))
        .filter(|(similarity, _)| *similarity > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, word)| word)
}

/// True for the errors that are `--help` or `--version` output, which
/// clap prints whole.
pub(crate) fn is_display(error: &clap::Error) -> bool {
    use clap::error::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    )
}
