//! The shell's commands on this machine, as in sftp and lftp: `lcd`,
//! `lpwd` and `!COMMAND`.

use std::env;
use std::io::{self, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::path::PathBuf;
use std::process::Command;

use signal_hook::consts::SIGINT;

use crate::exit::{Exit, Failure};
use crate::text;

/// `lcd [DIR]`: the process's working folder becomes DIR (`~` and
/// `~/...` from `HOME`), or the home folder without DIR.
pub(super) fn change_dir(dir: Option<&str>) -> Result<(), Failure> {
    let typed = dir.unwrap_or("~");
    let path = expand_home(typed, env::var_os("HOME").map(PathBuf::from));
    env::set_current_dir(&path).map_err(|error| Failure::Error {
        exit: Exit::Local,
        message: text::get().local_failed(&format!("lcd {typed}"), &error),
    })
}

/// `lpwd`: the working folder, on stdout.
pub(super) fn print_dir() -> Result<(), Failure> {
    let dir = env::current_dir().map_err(|error| Failure::Error {
        exit: Exit::Local,
        message: text::get().local_failed("lpwd", &error),
    })?;
    let mut out = io::stdout().lock();
    writeln!(out, "{}", dir.display())
        .and_then(|()| out.flush())
        .map_err(Failure::stdout)
}

/// `!COMMAND`: runs COMMAND with `sh -c` (a lone `!`: `sh` itself) on
/// the shell's terminal; a non-zero status is an error (exit 1). When
/// Ctrl-C ended it, `interrupted` runs before this returns.
pub(super) fn run_command(command: &str, interrupted: impl FnOnce()) -> Result<(), Failure> {
    io::stdout().flush().map_err(Failure::stdout)?;
    let mut sh = Command::new("sh");
    if !command.is_empty() {
        sh.arg("-c").arg(command);
    }
    let status = sh.status().map_err(|error| Failure::Error {
        exit: Exit::Local,
        message: text::get().local_failed("sh", &error),
    })?;
    // Killed by Ctrl-C, or ended by it as shells end (128 + SIGINT).
    if status.signal() == Some(SIGINT) || status.code() == Some(128 + SIGINT) {
        interrupted();
    }
    let message = match (status.code(), status.signal()) {
        (Some(0), _) => return Ok(()),
        (Some(code), _) => text::get().command_status(command, code),
        (None, Some(signal)) => text::get().command_signal(command, signal),
        (None, None) => return Ok(()),
    };
    Err(Failure::Error {
        exit: Exit::Other,
        message,
    })
}

/// `~` and `~/...` with the home folder; any other path as it is.
fn expand_home(path: &str, home: Option<PathBuf>) -> PathBuf {
    match (path.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home,
        (Some(rest), Some(home)) if rest.starts_with('/') => home.join(&rest[1..]),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_is_the_home_folder() {
        let home = || Some(PathBuf::from("/home/ana"));
        assert_eq!(expand_home("~", home()), PathBuf::from("/home/ana"));
        assert_eq!(expand_home("~/d/e", home()), PathBuf::from("/home/ana/d/e"));
        assert_eq!(expand_home("~bob", home()), PathBuf::from("~bob"));
        assert_eq!(expand_home("sub", home()), PathBuf::from("sub"));
        assert_eq!(expand_home("~", None), PathBuf::from("~"));
    }
}
