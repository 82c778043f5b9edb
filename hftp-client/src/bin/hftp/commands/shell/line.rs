//! What a shell line means: a command (parsed like a command line), a
//! served file's name to download, or a word the shell does not know.

use clap::{CommandFactory as _, FromArgMatches as _, Parser};

use crate::commands::{get, ls, stat};
use crate::text;

/// One shell line, parsed like a command line.
#[derive(Debug, Parser)]
#[command(multicall = true, disable_help_subcommand = true)]
pub(super) enum Line {
    /// List the served files.
    Ls(ls::Args),
    /// Show the size of files.
    Stat(stat::Args),
    /// Download files.
    #[command(alias = "mget")]
    Get(get::Args),
    /// Change the local folder, where downloads go.
    Lcd {
        /// The folder to go to (default: your home; ~ is expanded).
        dir: Option<String>,
    },
    /// Show the local folder.
    Lpwd,
    /// Show the commands.
    Help,
    /// Clear the screen.
    Clear,
    /// Leave the shell.
    #[command(alias = "exit")]
    Quit,
}

impl Line {
    /// The words that start a command, aliases included, from the
    /// parser's own definition.
    pub(super) fn words() -> Vec<String> {
        Self::command()
            .get_subcommands()
            .flat_map(|command| {
                std::iter::once(command.get_name()).chain(command.get_all_aliases())
            })
            .map(str::to_owned)
            .collect()
    }

    /// Parses words whose first is a command word.
    pub(super) fn parse(words: &[&str]) -> Result<Self, clap::Error> {
        Self::parse_from_words(words.iter().copied())
    }

    /// Parses `NAME [OPTIONS]` as `get NAME [OPTIONS]`.
    pub(super) fn download(words: &[&str]) -> Result<Self, clap::Error> {
        Self::parse_from_words(std::iter::once("get").chain(words.iter().copied()))
    }

    /// Parses words with the help and errors in the run's language.
    fn parse_from_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Result<Self, clap::Error> {
        text::localize(Self::command(), text::lang(), "shell")
            .try_get_matches_from(words)
            .and_then(|matches| Self::from_arg_matches(&matches))
    }
}

/// The words of a line, split as a POSIX shell splits them (quotes,
/// backslashes, `#` comments; no expansion); none for a blank line. An
/// error if a quote is not closed or the line ends in a backslash.
pub(super) fn words(line: &str) -> Result<Vec<String>, ()> {
    shell_words::split(line).map_err(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_words_come_from_the_parser() {
        let mut words = Line::words();
        words.sort();
        assert_eq!(
            words,
            [
                "clear", "exit", "get", "help", "lcd", "lpwd", "ls", "mget", "quit", "stat"
            ]
        );
    }

    #[test]
    fn blank_lines_and_comments_have_no_words() {
        assert_eq!(words("  \t"), Ok(vec![]));
        assert_eq!(words("# ls"), Ok(vec![]));
        assert_eq!(
            words(" get  a b # c"),
            Ok(vec!["get".into(), "a".into(), "b".into()])
        );
    }

    #[test]
    fn quotes_and_backslashes_join_words_as_in_a_shell() {
        let words = words(r#"get "mi archivo" 'a b' c\ d"#).expect("closed quotes");
        assert_eq!(words, ["get", "mi archivo", "a b", "c d"]);
        assert!(super::words("get \"open").is_err());
    }

    #[test]
    fn a_name_parses_as_a_download() {
        assert!(matches!(Line::download(&["hola.txt"]), Ok(Line::Get(_))));
        assert!(Line::download(&["hola.txt", "--bogus"]).is_err());
    }
}
