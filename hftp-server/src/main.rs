//! `hftp-server`: serves a directory over HFTP.

mod activation;
mod cli;
mod logging;
mod signals;

use std::io::{self, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use clap::FromArgMatches as _;
use hftp_server::onion::{ControlError, OnionError, OnionService};
use hftp_server::{Lang, Server};

use cli::text::{Text, text};

fn main() -> ExitCode {
    let (lang, args) = match language() {
        Ok(chosen) => chosen,
        Err(message) => {
            // Before a language is known: in English.
            eprintln!("hftp-server: {message} (see --help)");
            return ExitCode::from(2);
        }
    };
    let text = text(lang);
    match run(lang, args) {
        Ok(code) => code,
        Err(Failure::Io(error)) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("hftp-server: {}", failure.line(text));
            ExitCode::from(failure.exit_code())
        }
    }
}

/// The language (`--lang`, else `HFTP_LANG`, else the locale) and the
/// command line without `--lang`; a bad language's message.
fn language() -> Result<(Lang, Vec<std::ffi::OsString>), String> {
    let (flag, args) = cli::take_lang(std::env::args_os()).map_err(|error| error.to_string())?;
    let lang = cli::choose_lang(flag, |name| std::env::var(name).ok())
        .map_err(|error| format!("{}: {error}", hftp_server::LANG_VARIABLE))?;
    Ok((lang, args))
}

/// Why the command stops early, to be said in the person's language.
enum Failure {
    /// The command line is wrong, clap could not tell (exit 2): `--onion`
    /// with an address beyond loopback.
    OnionNotOn(IpAddr),
    /// The server could not start.
    Bind(hftp_server::Error),
    /// The sockets passed in could not be taken.
    Activation(io::Error),
    /// `--onion` with a socket passed in that listens beyond loopback.
    OnionSocketPassed(SocketAddr),
    /// The onion service could not be published, or failed.
    Onion(OnionError),
    /// Anything else: writing to stdout, the signal thread.
    Io(io::Error),
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

impl Failure {
    /// The one line printed, after `hftp-server: `.
    fn line(&self, text: &dyn Text) -> String {
        match self {
            Self::OnionNotOn(address) => text.onion_not_on(*address),
            Self::Bind(error) => bind_failure(error, text),
            Self::Activation(error) => text.activation_failed(error),
            Self::OnionSocketPassed(listening) => text.onion_socket_passed(*listening),
            Self::Onion(error) => {
                let hint = match error {
                    OnionError::NoTor { .. } => text.hint_no_tor(),
                    OnionError::Control(ControlError::NoCookieFile) => text.hint_cookie(),
                    _ => String::new(),
                };
                format!("{}{hint}", text.onion_failed(error))
            }
            Self::Io(error) => text.failed(error),
        }
    }

    /// The exit status: 2 for a misuse of the command line, else 1.
    const fn exit_code(&self) -> u8 {
        match self {
            Self::OnionNotOn(_) => 2,
            _ => 1,
        }
    }
}

/// Why the server could not start, in `text`'s words.
fn bind_failure(error: &hftp_server::Error, text: &dyn Text) -> String {
    use hftp_server::Error;
    match error {
        Error::Directory { path, source } => text.cannot_serve(path, source),
        Error::Listen { address, source } => text.cannot_listen(*address, source),
        Error::Inherited { source } => text.cannot_use_passed(source),
        Error::Limit { name, value, max } => text.bad_limit(name, *value, *max),
        other => other.to_string(),
    }
}

/// Parses the command line, binds (or takes the socket systemd passed),
/// announces, serves until a signal.
fn run(lang: Lang, args: Vec<std::ffi::OsString>) -> Result<ExitCode, Failure> {
    let text = text(lang);
    let command = cli::help::command(lang);
    let matches = command
        .clone()
        .try_get_matches_from(args)
        .and_then(|matches| cli::Cli::from_arg_matches(&matches));
    let cli = match matches {
        Ok(cli) => cli,
        Err(error) => return Ok(usage_error(&error, lang, &command)),
    };
    if cli.write_docs(lang, &mut io::stdout().lock())? {
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(address) = cli.misuse() {
        return Err(Failure::OnionNotOn(address));
    }
    logging::init(cli.log_level(), cli.log_time);
    // Before any thread starts: it changes the environment.
    let inherited = activation::inherited_listener(text).map_err(Failure::Activation)?;
    let config = cli.config().lang(lang);
    let server = match inherited {
        Some(listener) => {
            log::info!("{}", text.serving_passed());
            Server::from_listener(&config, listener)
        }
        None => Server::bind(&config),
    }
    .map_err(Failure::Bind)?;
    signals::stop_on_signals(server.shutdown_handle(), text)?;
    let onion = match cli.onion() {
        Some(options) => {
            if !server.local_addr().ip().is_loopback() {
                return Err(Failure::OnionSocketPassed(server.local_addr()));
            }
            let handle = server.shutdown_handle();
            let service =
                OnionService::publish(&options.lang(lang), server.local_addr(), move || {
                    handle.shutdown();
                })
                .map_err(Failure::Onion)?;
            log::info!(
                "{}",
                text.onion_published(
                    &service.onion_address(),
                    service.virtual_port(),
                    service.tor()
                )
            );
            if cli.lifts_per_address_cap() {
                log::info!("{}", text.onion_no_cap());
            }
            Some(service)
        }
        None => None,
    };
    let published = onion.as_ref().map_or_else(String::new, |service| {
        text.published(&service.onion_address(), service.virtual_port())
    });
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "{}",
        text.serving(
            env!("CARGO_PKG_VERSION"),
            server.directory(),
            server.local_addr(),
            &published
        )
    )?;
    stdout.flush()?;
    drop(stdout);
    server.run()?;
    if let Some(service) = onion {
        service.remove().map_err(Failure::Onion)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints `--help` or `--version` as clap writes them; any other command
/// line error as one line, in `lang`.
fn usage_error(error: &clap::Error, lang: Lang, command: &clap::Command) -> ExitCode {
    if cli::usage::is_display(error) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "hftp-server: {}",
        cli::usage::one_line(error, lang, command)
    );
    ExitCode::from(2)
}
