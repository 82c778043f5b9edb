//! `hftp-server`: serves a directory over HFTP.

mod activation;
mod cli;
mod logging;
mod signals;

use std::io::{self, Write as _};
use std::process::ExitCode;

use clap::Parser as _;
use hftp_server::Server;
use hftp_server::onion::{ControlError, OnionError, OnionService};

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

/// Parses the command line, binds (or takes the socket systemd passed),
/// announces, serves until a signal.
fn run() -> io::Result<ExitCode> {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return Ok(usage_error(&error)),
    };
    if cli.write_docs(&mut io::stdout().lock())? {
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(message) = cli.misuse() {
        eprintln!("hftp-server: {message}");
        return Ok(ExitCode::from(2));
    }
    logging::init(cli.log_level(), cli.log_time);
    // Before any thread starts: it changes the environment.
    let inherited = activation::inherited_listener()
        .map_err(|error| io::Error::new(error.kind(), format!("socket activation: {error}")))?;
    let config = cli.config();
    let server = match inherited {
        Some(listener) => {
            log::info!("serving on the listening socket passed in; --address and --port unused");
            Server::from_listener(&config, listener)?
        }
        None => Server::bind(&config)?,
    };
    signals::stop_on_signals(server.shutdown_handle())?;
    let onion = match cli.onion() {
        Some(options) => {
            if !server.local_addr().ip().is_loopback() {
                return Err(io::Error::other(format!(
                    "--onion listens on loopback only, and the socket passed in listens on {}",
                    server.local_addr()
                )));
            }
            let handle = server.shutdown_handle();
            let service = OnionService::publish(&options, server.local_addr(), move || {
                handle.shutdown();
            })
            .map_err(onion_failure)?;
            log::info!(
                "onion service {}:{} published through {}",
                service.onion_address(),
                service.virtual_port(),
                service.tor()
            );
            if cli.lifts_per_address_cap() {
                log::info!(
                    "every client comes from tor's address: no cap per address (--max-per-address sets one)"
                );
            }
            Some(service)
        }
        None => None,
    };
    let published = onion.as_ref().map_or_else(String::new, |service| {
        format!(
            ", published as {}:{}",
            service.onion_address(),
            service.virtual_port()
        )
    });
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "hftp-server {} serving {} on {}{published}",
        env!("CARGO_PKG_VERSION"),
        server.directory().display(),
        server.local_addr()
    )?;
    stdout.flush()?;
    drop(stdout);
    server.run()?;
    if let Some(service) = onion {
        service.remove().map_err(onion_failure)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// An onion service's failure as the one line printed, with a hint where
/// a flag helps.
fn onion_failure(error: OnionError) -> io::Error {
    let hint = match &error {
        OnionError::NoTor { .. } => {
            ": install tor, or name a running tor's control port with --tor-control"
        }
        OnionError::Control(ControlError::NoCookieFile) => ": name it with --tor-cookie",
        _ => "",
    };
    io::Error::other(format!("{error}{hint}"))
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
    eprintln!("hftp-server: {message} (see --help)");
    ExitCode::from(2)
}
