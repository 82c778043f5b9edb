//! `hftp completions SHELL` and `hftp man`: shell completions and the
//! manual page, generated from the command line's own definition, so they
//! never disagree with `--help`.

use std::io::{self, Write as _};

use crate::exit::Failure;

/// Options of `hftp completions`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// The shell to write completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Writes the completion script of `command` (the whole command line)
/// for the shell to stdout.
pub(crate) fn completions(args: &Args, mut command: clap::Command) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "hftp", &mut out);
    out.flush().map_err(Failure::stdout)
}

/// Writes the manual page of `command` (the whole command line), in
/// roff, to stdout.
pub(crate) fn man(command: clap::Command) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(command)
        .render(&mut out)
        .and_then(|()| out.flush())
        .map_err(Failure::stdout)
}
