//! Exit codes: what failed, for scripts; and the one-line error report.

use std::io;
use std::process::ExitCode;

use hftp_client::Error;

use crate::{colour, text};

/// The exit codes, as `--help` shows them.
pub(crate) const EXIT_CODES: &str = "\
Exit status:
  0    success (also when the reader of stdout goes away, as with `| head`)
  1    any other failure
  2    usage: bad arguments or options, or a name that cannot be a file name
  3    cannot connect to the server (directly, or the proxy could not reach it)
  4    the server refused (its code and text are printed), a range past the end,
       or a NAME pattern that matches no listed file
  5    protocol violation: a malformed reply, a bad body, or the server is
       not an HFTP server (an HTTP, SSH or TLS server, noise, or silence)
  6    local I/O: cannot write the output, or it exists (see --force)
  7    timeout: the server went silent (see --timeout)
  8    connection lost: the server closed or reset it, and --retry did not help
  9    the file changed on the server since OUT.part was written: it was
       set aside as OUT.part.mismatch (see --restart-if-changed)
  10   the proxy failed: it does not answer, refused the login, or is not SOCKS5
  130  interrupted (Ctrl-C); a download leaves OUT.part for --continue";

/// What failed, as a process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Exit {
    Other = 1,
    Usage = 2,
    Connect = 3,
    Refused = 4,
    Protocol = 5,
    Local = 6,
    Timeout = 7,
    Lost = 8,
    Changed = 9,
    Proxy = 10,
    Interrupted = 130,
}

impl Exit {
    /// The exit code for an error of the client library.
    pub(crate) const fn of(error: &Error) -> Self {
        match error {
            Error::Connect { .. } => Self::Connect,
            Error::Proxy { source, .. } if source.is_proxy_fault() => Self::Proxy,
            Error::Proxy { .. } => Self::Connect,
            Error::Onion { .. } => Self::Usage,
            Error::Refused { .. } | Error::BadRange { .. } => Self::Refused,
            Error::Protocol(_) | Error::NotHftp { .. } => Self::Protocol,
            Error::Disconnected | Error::ShortBody { .. } | Error::Network(_) | Error::Closed => {
                Self::Lost
            }
            Error::Changed { .. } => Self::Changed,
            Error::Timeout(_) => Self::Timeout,
            Error::Sink(_) | Error::File { .. } | Error::Output { .. } | Error::Exists { .. } => {
                Self::Local
            }
            Error::BadName { .. } => Self::Usage,
            Error::Interrupted => Self::Interrupted,
            _ => Self::Other,
        }
    }
}

/// Why the command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// An error to print on one line, then exit with its code.
    Error { exit: Exit, message: String },
    /// The errors were printed as they came; exit with this code.
    Reported(Exit),
    /// The reader of stdout went away: stop quietly, successfully.
    BrokenPipe,
}

impl Failure {
    /// A usage error found after parsing.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::Error {
            exit: Exit::Usage,
            message: message.into(),
        }
    }

    /// Writing to stdout failed.
    pub(crate) fn stdout(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Self::BrokenPipe
        } else {
            Self::Error {
                exit: Exit::Local,
                message: text::get().cannot_write_stdout(&error),
            }
        }
    }

    /// Prints the error, if any is left to print, and gives the exit code.
    pub(crate) fn report(self) -> ExitCode {
        match self {
            Self::Error { exit, message } => {
                eprintln!("{} {message}", colour::error_prefix());
                ExitCode::from(exit as u8)
            }
            Self::Reported(exit) => ExitCode::from(exit as u8),
            Self::BrokenPipe => ExitCode::SUCCESS,
        }
    }

    /// The exit code this failure ends with.
    pub(crate) const fn exit(&self) -> Option<Exit> {
        match self {
            Self::Error { exit, .. } | Self::Reported(exit) => Some(*exit),
            Self::BrokenPipe => None,
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match &error {
            Error::Sink(source) if source.kind() == io::ErrorKind::BrokenPipe => Self::BrokenPipe,
            Error::Exists { path } => Self::Error {
                exit: Exit::Local,
                message: text::get().exists(path),
            },
            // `--offset` past the end without `--size` asks 0 bytes there:
            // the range is not the point, the offset is.
            Error::BadRange {
                offset,
                size: 0,
                file_size,
            } if offset > file_size => Self::Error {
                exit: Exit::Refused,
                message: text::get().offset_past_end(*offset, *file_size),
            },
            Error::Onion { host, proxy } => Self::usage(match proxy {
                Some(proxy) => text::get().onion_through(host, &proxy.to_string()),
                None => text::get().onion_needs_tor(host),
            }),
            _ => Self::Error {
                exit: Exit::of(&error),
                message: text::get().error(&error),
            },
        }
    }
}

/// Collects the outcome of several independent items (files of one
/// command, lines of a script): prints each error at once and keeps the
/// first exit code.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    first: Option<Exit>,
}

impl Tally {
    /// Records a failure: prints it now. A broken stdout is passed on.
    pub(crate) fn record(&mut self, failure: Failure) -> Result<(), Failure> {
        let exit = match failure {
            Failure::BrokenPipe => return Err(Failure::BrokenPipe),
            Failure::Error { exit, message } => {
                eprintln!("{} {message}", colour::error_prefix());
                exit
            }
            Failure::Reported(exit) => exit,
        };
        self.first.get_or_insert(exit);
        Ok(())
    }

    /// Success if nothing failed, else the first failure's code.
    pub(crate) fn finish(self) -> Result<(), Failure> {
        self.first
            .map_or(Ok(()), |exit| Err(Failure::Reported(exit)))
    }
}
