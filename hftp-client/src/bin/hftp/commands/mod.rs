//! The subcommands, one module each.
//!
//! To add one: write `commands/NAME.rs` with an `Args` struct
//! (`clap::Args`) and `run(&Args, &mut Session) -> Result<(), Failure>`,
//! then add a variant to [`Command`] and an arm to [`Command::run`],
//! with a few examples for its `--help` (see `examples.rs`).

pub(crate) mod bench;
pub(crate) mod check;
pub(crate) mod docs;
mod examples;
pub(crate) mod get;
pub(crate) mod ls;
pub(crate) mod shell;
pub(crate) mod stat;

use crate::exit::Failure;
use crate::session::Session;

/// What to do.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// List the served files, one name per line (-l: with sizes).
    #[command(after_help = examples::LS)]
    Ls(ls::Args),
    /// Show the size of files, one line each.
    #[command(after_help = examples::STAT)]
    Stat(stat::Args),
    /// Download files, or a range of one.
    Get(get::Args),
    /// Browse and fetch interactively, or run commands read from stdin.
    Shell(shell::Args),
    /// Check a server against every rule of the protocol (exit 0 all
    /// passed, 1 some failed, 2 usage or cannot connect).
    #[command(after_help = examples::CHECK)]
    Check(check::Args),
    /// Load a server: slice, meta, idle, soak; or measure the machine's
    /// ceilings (exit 1 if any answer was wrong).
    #[command(after_help = examples::BENCH)]
    Bench(bench::Args),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    #[command(after_help = examples::COMPLETIONS)]
    Completions(docs::Args),
    /// Print a manual page (roff): hftp(1), or a subcommand's, e.g.
    /// `hftp man get` for hftp-get(1); or write them all with --dir.
    #[command(after_help = examples::MAN)]
    Man(docs::ManArgs),
}

impl Command {
    /// Runs the subcommand.
    pub(crate) fn run(&self, session: &mut Session) -> Result<(), Failure> {
        match self {
            Self::Ls(args) => ls::run(args, session),
            Self::Stat(args) => stat::run(args, session),
            Self::Get(args) => get::run(args, session),
            Self::Shell(args) => shell::run(args, session),
            Self::Check(args) => check::run(args, session),
            Self::Bench(args) => bench::run(args, session),
            // Run before a session opens, by `Cli::run_offline`.
            Self::Completions(_) | Self::Man(_) => Ok(()),
        }
    }
}
