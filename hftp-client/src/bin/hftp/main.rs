//! The `hftp` command: lists and downloads files from an HFTP server.
//!
//! `main` parses the command line and calls `run`; an error is printed
//! once, on one line, and its exit code (see `exit.rs`) tells a script
//! what failed.

mod cli;
mod colour;
mod commands;
mod exit;
mod global;
mod interrupt;
mod parse;
mod pattern;
mod progress;
mod proxy;
mod session;
mod text;
mod usage;

use std::process::ExitCode;

use clap::FromArgMatches as _;

use crate::cli::Cli;
use crate::exit::Failure;
use crate::session::Session;

fn main() -> ExitCode {
    if let Err(error) = text::choose(std::env::args_os()) {
        // Before a language is chosen, in English.
        eprintln!("hftp: {error} (see --help)");
        return ExitCode::from(2);
    }
    let cli = match Cli::localized()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    init_logging(cli.global.verbose);
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

/// Prints `--help` or `--version` as clap writes them; any other command
/// line error as one line, `hftp: ... (see --help)`, exit 2, as
/// `hftp-server` does.
fn usage_error(error: &clap::Error) -> ExitCode {
    if usage::is_display(error) {
        let _ = error.print();
        return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
    }
    eprintln!(
        "{} {}",
        colour::error_prefix(),
        text::get().see_help(&usage::one_line(error))
    );
    ExitCode::from(2)
}

/// Runs the subcommand (on a fresh session, then says `quit`, if it
/// talks to a server).
fn run(cli: &Cli) -> Result<(), Failure> {
    if let Some(done) = cli.run_offline() {
        return done;
    }
    let interrupt = interrupt::install();
    let mut session = Session::new(&cli.global, interrupt)?;
    let result = cli.command.run(&mut session);
    session.conn.close();
    result
}

/// Warnings by default; `-v` debug, `-vv` trace; `RUST_LOG` overrides.
fn init_logging(verbose: u8) {
    // The line editor warns about terminals it cannot query; the shell
    // works on them all the same.
    let level = match verbose {
        0 => "warn,rustyline=error",
        1 => "debug",
        _ => "trace",
    };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(level))
        .format_timestamp(None)
        .format_target(verbose > 0)
        .init();
}
