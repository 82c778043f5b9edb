//! `hftp-server`: serves a directory over HFTP.

mod cli;
mod logging;
mod signals;

use std::io::{self, Write as _};
use std::process::ExitCode;

use clap::Parser as _;
use hftp_server::Server;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hftp-server: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the command line, binds, announces, serves until a signal.
fn run() -> io::Result<ExitCode> {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return Ok(usage_error(&error)),
    };
    logging::init(cli.log_level());
    let server = Server::bind(&cli.config())?;
    signals::stop_on_signals(server.shutdown_handle())?;
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "hftp-server {} serving {} on {}",
        env!("CARGO_PKG_VERSION"),
        server.directory().display(),
        server.local_addr()
    )?;
    stdout.flush()?;
    drop(stdout);
    server.run()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints `--help` or `--version` as clap writes them; any other command
/// line error as one line.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let rendered = error.to_string();
    let first = rendered
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("bad command line");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!("hftp-server: {first} (see --help)");
    ExitCode::from(2)
}
