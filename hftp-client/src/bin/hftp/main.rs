//! The `hftp` command: lists and downloads files from an HFTP server.
//!
//! `main` parses the command line and calls `run`; an error is printed
//! once, on one line, and its exit code (see `exit.rs`) tells a script
//! what failed.

mod bench;
mod check;
mod cli;
mod commands;
mod exit;
mod interrupt;
mod progress;
mod session;

use std::process::ExitCode;

use clap::Parser;
use hftp_client::CancelToken;

use crate::cli::Cli;
use crate::exit::Failure;
use crate::session::Session;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
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
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
    }
    // The message's lines up to the usage, joined: clap puts the missing
    // or bad argument on the line after its sentence.
    let rendered = error.to_string();
    let message: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty())
        .take_while(|line| !line.is_empty() && !line.starts_with("Usage:"))
        .collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    eprintln!("hftp: {message} (see --help)");
    ExitCode::from(2)
}

/// Runs the subcommand on a fresh session, then says `quit`.
fn run(cli: &Cli) -> Result<(), Failure> {
    let cancel = CancelToken::new();
    interrupt::install(cancel.clone());
    let mut session = Session::new(&cli.global, cancel);
    let result = cli.command.run(&mut session);
    session.conn.close();
    result
}

/// Warnings by default; `-v` debug, `-vv` trace; `RUST_LOG` overrides.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "debug",
        _ => "trace",
    };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(level))
        .format_timestamp(None)
        .format_target(verbose > 0)
        .init();
}
