//! The command line: global options, then one subcommand.

use clap::{CommandFactory as _, Parser};

use crate::commands::{Command, docs};
use crate::exit::{EXIT_CODES, Failure};
use crate::global::Global;
use crate::text;

/// Lists and downloads files from an HFTP server.
///
/// Data goes to stdout, messages, progress and errors to stderr.
#[derive(Debug, Parser)]
#[command(name = "hftp", version, after_help = EXIT_CODES, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,

    #[command(subcommand)]
    pub(crate) command: Command,
}

impl Cli {
    /// Runs a subcommand that needs no server (completions, the manual
    /// page), so that a bad `HFTP_SERVER` cannot stop it; `None` for the
    /// others.
    pub(crate) fn run_offline(&self) -> Option<Result<(), Failure>> {
        match &self.command {
            Command::Completions(args) => Some(docs::completions(args, Self::localized())),
            Command::Man(args) => Some(docs::man(args, Self::localized())),
            _ => None,
        }
    }

    /// The command line, its help in the run's language.
    pub(crate) fn localized() -> clap::Command {
        text::localize(Self::command(), text::lang(), "hftp")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
