//! What a shell line means: a command (parsed like a command line), a
//! served file's name to download, or a word the shell does not know.

use clap::{CommandFactory as _, Parser};

use crate::commands::{get, ls, stat};

/// One shell line, parsed like a command line.
#[derive(Debug, Parser)]
#[command(multicall = true, disable_help_subcommand = true)]
pub(super) enum Line {
    /// List the served files.
    Ls(ls::Args),
    /// Show the size of files.
    Stat(stat::Args),
    /// Download files.
    Get(get::Args),
    /// Show the commands.
    Help,
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
        Self::try_parse_from(words)
    }

    /// Parses `NAME [OPTIONS]` as `get NAME [OPTIONS]`.
    pub(super) fn download(words: &[&str]) -> Result<Self, clap::Error> {
        Self::try_parse_from(std::iter::once(&"get").chain(words))
    }
}

/// The words of a line; none for a blank line or a `#` comment.
pub(super) fn words(line: &str) -> Vec<&str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.first() {
        Some(first) if first.starts_with('#') => Vec::new(),
        _ => words,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_words_come_from_the_parser() {
        let mut words = Line::words();
        words.sort();
        assert_eq!(words, ["exit", "get", "help", "ls", "quit", "stat"]);
    }

    #[test]
    fn blank_lines_and_comments_have_no_words() {
        assert!(words("  \t").is_empty() && words("# ls").is_empty());
        assert_eq!(words(" get  a b "), ["get", "a", "b"]);
    }

    #[test]
    fn a_name_parses_as_a_download() {
        assert!(matches!(Line::download(&["hola.txt"]), Ok(Line::Get(_))));
        assert!(Line::download(&["hola.txt", "--bogus"]).is_err());
    }
}
