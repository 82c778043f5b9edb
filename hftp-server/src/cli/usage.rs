//! Command-line errors as one line: clap's words in English; in Spanish,
//! built from the error's kind and context.

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use hftp_server::Lang;

use super::help;
use super::text::text;

/// The one line a command-line error prints, without `hftp-server: `.
pub(crate) fn one_line(error: &clap::Error, lang: Lang, command: &Command) -> String {
    let message = match lang {
        Lang::Es => spanish(error, command),
        _ => english(error),
    };
    text(lang).usage(&message)
}

/// clap's message, its lines up to the usage joined: clap puts the
/// missing or bad argument on the line after its sentence.
fn english(error: &clap::Error) -> String {
    let rendered = error.to_string();
    let message: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty() && !line.starts_with("Usage:"))
        .collect();
    let message = message.join(" ");
    message
        .strip_prefix("error: ")
        .unwrap_or(&message)
        .to_owned()
}

/// The message in Spanish, from the error's kind and context; clap's
/// English words, introduced in Spanish, for a kind this command cannot
/// meet.
fn spanish(error: &clap::Error, command: &Command) -> String {
    let text = text(Lang::Es);
    let string = |kind| match error.get(kind) {
        Some(ContextValue::String(value)) => Some(value.as_str()),
        _ => None,
    };
    let strings = |kind| match error.get(kind) {
        Some(ContextValue::Strings(values)) => Some(values.join(", ")),
        Some(ContextValue::String(value)) => Some(value.clone()),
        _ => None,
    };
    let arg = string(ContextKind::InvalidArg).unwrap_or_default();
    let value = string(ContextKind::InvalidValue).unwrap_or_default();
    match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => text.usage_no_value(arg),
        ErrorKind::InvalidValue => match strings(ContextKind::ValidValue) {
            Some(possible) => text.usage_not_possible(value, arg, &possible),
            None => text.usage_invalid_value(value, arg, help::expects(command, arg)),
        },
        ErrorKind::ValueValidation => {
            text.usage_invalid_value(value, arg, help::expects(command, arg))
        }
        ErrorKind::UnknownArgument => text.usage_unknown(arg, string(ContextKind::SuggestedArg)),
        ErrorKind::MissingRequiredArgument => {
            text.usage_missing(&strings(ContextKind::InvalidArg).unwrap_or_default())
        }
        ErrorKind::ArgumentConflict => match error.get(ContextKind::PriorArg) {
            Some(ContextValue::String(prior)) if prior == arg => text.usage_twice(arg),
            Some(_) => {
                text.usage_conflict(arg, &strings(ContextKind::PriorArg).unwrap_or_default())
            }
            None => text.usage_conflict(arg, ""),
        },
        _ => text.usage_other(&english(error)),
    }
}

/// True for the errors that are `--help` or `--version` output, which
/// clap prints whole.
pub(crate) fn is_display(error: &clap::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    )
}
