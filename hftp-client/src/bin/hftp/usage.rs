//! Command line errors as one line: clap's message without its usage
//! block and help hint, for the command line and for shell lines alike.

/// The message of a clap error on one line, without `error: `: its
/// lines up to the usage, joined (clap puts the missing or bad argument
/// on the line after its sentence).
pub(crate) fn one_line(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
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
