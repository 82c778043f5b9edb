//! clap's texts in Spanish: `--help` (each command's and argument's
//! words, the headings, the usage line, the exit status table) and the
//! one-line usage errors.
//!
//! The English words stay in the derive's doc comments; the Spanish ones
//! are in `clap_es.rs`, keyed by command path and argument id. A test
//! walks the whole command tree against that table.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command};
use hftp_client::Lang;

use super::clap_es::{self, ABOUT, ARGS};

/// `command` (built) with its words in `lang`; English is left as it is.
/// `root` is the key of its path in the table (`hftp`, or `shell` for the
/// shell's lines).
pub(crate) fn localize(command: Command, lang: Lang, root: &str) -> Command {
    if lang != Lang::Es {
        return command;
    }
    let mut command = command;
    command.build();
    spanish(command, root)
}

/// One command and its subcommands, in Spanish.
fn spanish(mut command: Command, path: &str) -> Command {
    if let Some(about) = about_of(path) {
        command = command.about(about.about).long_about(about.long);
        if command.get_after_help().is_some() || about.after.is_some() {
            command = command
                .after_help(about.after)
                .after_long_help(None::<&str>);
        }
    } else if command.get_name() == "help" {
        command = command.about(clap_es::builtin(
            "Print this message or the help of the given subcommand(s)",
        ));
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |arg| spanish_arg(arg, path));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        command = command.mut_subcommand(&name, |sub| spanish(sub, &sub_path));
    }
    let usage = command
        .clone()
        .render_usage()
        .to_string()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[OPCIONES]")
        .replace("<COMMAND>", "<COMANDO>");
    command
        .override_usage(usage)
        .help_template(clap_es::TEMPLATE)
        .subcommand_help_heading("Comandos")
        .subcommand_value_name("COMANDO")
}

/// The last word of a path: the key of a command's own arguments.
#[cfg(test)]
fn leaf_of(path: &str) -> &str {
    path.rsplit(' ').next().unwrap_or(path)
}

/// The Spanish words of the command at `path`.
fn about_of(path: &str) -> Option<&'static clap_es::About> {
    ABOUT.iter().find(|about| about.path == path)
}

/// The Spanish help of `arg` of the command at `path`: under the
/// command's name, else (a global option) under the nearest command
/// above it that has it (the global options of `hftp` under `hftp`).
fn arg_of(path: &str, arg: &Arg) -> Option<&'static clap_es::ArgText> {
    let id = arg.get_id().as_str();
    path.split(' ').rev().find_map(|name| {
        ARGS.iter()
            .find(|text| text.command == name && text.id == id)
    })
}

/// One argument in Spanish: its help, its heading, and clap's
/// `[default: ]` and `[possible values: ]` in Spanish words.
fn spanish_arg(mut arg: Arg, path: &str) -> Arg {
    let (help, long) = match arg_of(path, &arg) {
        Some(text) => (Some(text.help.to_owned()), text.long.map(str::to_owned)),
        None => (
            arg.get_help()
                .map(|help| clap_es::builtin(&help.to_string()).to_owned()),
            arg.get_long_help()
                .map(|help| clap_es::builtin(&help.to_string()).to_owned()),
        ),
    };
    let mut extra = String::new();
    if !arg.is_hide_possible_values_set() && arg.get_action().takes_values() {
        let values: Vec<String> = arg
            .get_possible_values()
            .iter()
            .filter(|value| !value.is_hide_set())
            .map(|value| value.get_name().to_owned())
            .collect();
        if !values.is_empty() {
            extra.push_str(&format!(" [valores posibles: {}]", values.join(", ")));
            arg = arg.hide_possible_values(true);
        }
    }
    if !arg.is_hide_default_value_set()
        && arg.get_action().takes_values()
        && !arg.get_default_values().is_empty()
    {
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|value| value.to_string_lossy().into_owned())
            .collect();
        extra.push_str(&format!(" [por defecto: {}]", defaults.join(", ")));
        arg = arg.hide_default_value(true);
    }
    if let Some(help) = help {
        arg = arg.help(format!("{help}{extra}"));
    }
    if let Some(long) = long {
        arg = arg.long_help(format!("{long}{extra}"));
    }
    let heading = match arg.get_help_heading() {
        Some(heading) => clap_es::heading(heading),
        None if arg.is_positional() => "Argumentos",
        None => "Opciones",
    };
    arg.help_heading(heading)
}

/// A usage error on one line, in Spanish, from its kind and context.
pub(crate) fn usage_error(error: &clap::Error) -> String {
    let get = |kind| match error.get(kind) {
        Some(ContextValue::String(value)) => value.clone(),
        Some(ContextValue::Strings(values)) => values.join(", "),
        Some(ContextValue::StyledStr(value)) => value.to_string(),
        Some(ContextValue::StyledStrs(values)) => values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(value)) => value.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let message = match error.kind() {
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            if value.is_empty() {
                format!("falta un valor para '{arg}'")
            } else if valid.is_empty() {
                format!("valor inválido '{value}' para '{arg}'")
            } else {
                format!("valor inválido '{value}' para '{arg}' (valores posibles: {valid})")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(error)
                .map(|source| format!(": {source}"))
                .unwrap_or_default();
            format!("valor inválido '{value}' para '{arg}'{why}")
        }
        ErrorKind::UnknownArgument => format!("argumento inesperado '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "subcomando desconocido '{}'",
                get(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::NoEquals => format!("'{arg}' necesita un valor con '='"),
        ErrorKind::TooManyValues => format!("valor de más '{value}' para '{arg}'"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("'{arg}' no recibió la cantidad de valores que necesita")
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            if prior.is_empty() || prior == arg {
                format!("'{arg}' no se puede usar más de una vez")
            } else {
                format!("'{arg}' no se puede usar junto con '{prior}'")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            format!("faltan argumentos obligatorios: {arg}")
        }
        ErrorKind::MissingSubcommand => {
            format!(
                "falta un subcomando: {}",
                get(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidUtf8 => "un argumento no es UTF-8 válido".to_owned(),
        _ => return crate::usage::english(error),
    };
    match crate::usage::suggestion(error) {
        Some(suggested) => format!("{message}: ¿quisiste decir `{suggested}`?"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use clap::CommandFactory as _;

    use super::*;

    /// What the table must hold for `command` at `path` and below:
    /// `(path, what)` for each command's words, `(command, id)` for each
    /// argument with help; global options once, under `hftp`.
    fn needed(command: &Command, path: &str, out: &mut BTreeSet<(String, String)>) {
        if command.get_about().is_some() {
            out.insert((path.to_owned(), "about".to_owned()));
        }
        if command.get_long_about().is_some() {
            out.insert((path.to_owned(), "long".to_owned()));
        }
        if command.get_after_help().is_some() {
            out.insert((path.to_owned(), "after".to_owned()));
        }
        for arg in command.get_arguments() {
            let builtin = ["help", "version"].contains(&arg.get_id().as_str());
            if arg.get_help().is_some() && !builtin {
                out.insert((leaf_of(path).to_owned(), format!("--{}", arg.get_id())));
            }
            if arg.get_long_help().is_some() && !builtin {
                out.insert((leaf_of(path).to_owned(), format!("--{} long", arg.get_id())));
            }
        }
        for sub in command.get_subcommands() {
            needed(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    /// What the table holds, in the same shape.
    fn held() -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for about in ABOUT {
            out.insert((about.path.to_owned(), "about".to_owned()));
            if about.long.is_some() {
                out.insert((about.path.to_owned(), "long".to_owned()));
            }
            if about.after.is_some() {
                out.insert((about.path.to_owned(), "after".to_owned()));
            }
        }
        for arg in ARGS {
            out.insert((arg.command.to_owned(), format!("--{}", arg.id)));
            if arg.long.is_some() {
                out.insert((arg.command.to_owned(), format!("--{} long", arg.id)));
            }
        }
        out
    }

    #[test]
    fn every_command_and_argument_has_spanish_words_and_every_entry_is_used() {
        let mut needed_set = BTreeSet::new();
        needed(&crate::cli::Cli::command(), "hftp", &mut needed_set);
        needed(
            &crate::commands::shell::line_command(),
            "shell",
            &mut needed_set,
        );
        let held = held();
        let missing: Vec<_> = needed_set.difference(&held).collect();
        let unused: Vec<_> = held.difference(&needed_set).collect();
        assert!(
            missing.is_empty() && unused.is_empty(),
            "without Spanish words: {missing:#?}\nin the table but nowhere: {unused:#?}"
        );
    }
}
