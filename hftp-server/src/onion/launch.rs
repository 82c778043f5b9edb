//! A tor of the server's own: `tor` from `PATH`, with a private temporary
//! data directory, no SOCKS port, and a control port on a free loopback
//! port that only this process can authenticate to (its cookie is in the
//! private directory).

use std::collections::VecDeque;
use std::fs;
use std::io::{self, BufRead as _, BufReader, Read as _};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use super::ControlAddr;
use crate::Lang;
use crate::text::{self, Text};

/// The file, in the data directory, where tor writes its control port.
const CONTROL_PORT_FILE: &str = "control-port";

/// An empty torrc: what tor reads instead of the system's.
const EMPTY_TORRC: &str = "empty-torrc";

/// How often the control port file is looked for while tor starts.
const POLL: Duration = Duration::from_millis(10);

/// How long tor has to exit once asked to, before it is killed.
const STOP_WAIT: Duration = Duration::from_secs(10);

/// How many of tor's last output lines are kept, for an error.
const KEPT_LINES: usize = 16;

/// The longest line of tor's output read as one.
const MAX_OUTPUT_LINE: u64 = 4096;

/// Why a tor of our own could not be started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LaunchError {
    /// There is no `tor` on `PATH`.
    #[error("no `tor` on PATH")]
    NotFound,
    /// Starting `tor` failed otherwise.
    #[error("cannot start tor: {0}")]
    Spawn(#[source] io::Error),
    /// Its private data directory cannot be made.
    #[error("cannot make tor's data directory: {0}")]
    DataDirectory(#[source] io::Error),
    /// Tor exited before it opened its control port: a bad line in the
    /// extra torrc, a port in use.
    #[error("tor exited while starting ({status}): {last_words}")]
    Exited {
        /// How it exited.
        status: ExitStatus,
        /// Its last warning or error, else its last line of output.
        last_words: String,
    },
    /// Tor did not open its control port in time; it was killed.
    #[error("tor did not open its control port within {0:?}")]
    Timeout(Duration),
}

/// A running tor started by [`OwnTor::start`]. Dropping it kills tor and
/// removes its data directory.
#[derive(Debug)]
pub struct OwnTor {
    child: Child,
    control: ControlAddr,
    // Dropped after the child is reaped (see `Drop`).
    data_dir: tempfile::TempDir,
    /// The log's words.
    text: &'static dyn Text,
}

impl OwnTor {
    /// Starts `tor` from `PATH` with a new private data directory, and
    /// waits up to `timeout` for its control port. The torrc lines of
    /// `extra_torrc` are read too (the system's torrc is not); they
    /// cannot change the data directory or the control port, which the
    /// command line sets. Tor exits with this process
    /// (`__OwningControllerProcess`), and is in a process group of its
    /// own, so that a Ctrl-C reaches this process alone, which then stops
    /// it in order.
    ///
    /// # Errors
    ///
    /// See [`LaunchError`].
    pub fn start(extra_torrc: Option<&Path>, timeout: Duration) -> Result<Self, LaunchError> {
        Self::start_saying(extra_torrc, timeout, text::text(Lang::En))
    }

    /// [`start`](Self::start), logging in `text`'s words.
    pub(crate) fn start_saying(
        extra_torrc: Option<&Path>,
        timeout: Duration,
        text: &'static dyn Text,
    ) -> Result<Self, LaunchError> {
        // Tor wants its data directory private (0700), else it fixes it.
        let data_dir = tempfile::Builder::new()
            .prefix("hftp-tor-")
            .permissions(fs::Permissions::from_mode(0o700))
            .tempdir()
            .map_err(LaunchError::DataDirectory)?;
        let empty = data_dir.path().join(EMPTY_TORRC);
        fs::write(&empty, "").map_err(LaunchError::DataDirectory)?;
        let port_file = data_dir.path().join(CONTROL_PORT_FILE);
        let (output, output_writer) = io::pipe().map_err(LaunchError::Spawn)?;
        let output_writer2 = output_writer.try_clone().map_err(LaunchError::Spawn)?;
        let mut command = Command::new("tor");
        command
            .arg("-f")
            .arg(extra_torrc.unwrap_or(&empty))
            .arg("--defaults-torrc")
            .arg(&empty)
            .arg("--DataDirectory")
            .arg(data_dir.path())
            .args(["--SocksPort", "0", "--ControlPort", "auto"])
            .arg("--ControlPortWriteToFile")
            .arg(&port_file)
            .args(["--CookieAuthentication", "1"])
            .args(["__OwningControllerProcess", &std::process::id().to_string()])
            .stdin(Stdio::null())
            .stdout(output_writer)
            .stderr(output_writer2);
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => LaunchError::NotFound,
            _ => LaunchError::Spawn(error),
        })?;
        // Drops the command, and with it this process's copies of the
        // pipe's writing end: the reader sees the end when tor exits.
        drop(command);
        let lines = Arc::new(Mutex::new(VecDeque::with_capacity(KEPT_LINES)));
        let started = Arc::new(AtomicBool::new(false));
        let reader = relay_output(output, Arc::clone(&lines), Arc::clone(&started))
            .map_err(LaunchError::Spawn)?;
        let mut tor = Self {
            child,
            control: ControlAddr::Unix(PathBuf::new()),
            data_dir,
            text,
        };
        log::debug!("{}", text.tor_started(tor.child.id(), tor.data_dir.path()));
        tor.control = tor.wait_for_control_port(&port_file, timeout, reader, &lines)?;
        started.store(true, Ordering::Relaxed);
        Ok(tor)
    }

    /// Waits for tor to write its control port's address, or to exit.
    fn wait_for_control_port(
        &mut self,
        port_file: &Path,
        timeout: Duration,
        reader: thread::JoinHandle<()>,
        lines: &Mutex<VecDeque<String>>,
    ) -> Result<ControlAddr, LaunchError> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().map_err(LaunchError::Spawn)? {
                // Tor's output ends with it: everything it said is in.
                let _ = reader.join();
                let lines = lines.lock().unwrap_or_else(PoisonError::into_inner);
                return Err(LaunchError::Exited {
                    status,
                    last_words: last_words(&lines),
                });
            }
            // Tor writes the file whole, then renames it into place.
            if let Some(addr) = fs::read_to_string(port_file)
                .ok()
                .and_then(|text| control_port(&text))
            {
                return Ok(addr);
            }
            if Instant::now() >= deadline {
                return Err(LaunchError::Timeout(timeout));
            }
            thread::sleep(POLL);
        }
    }

    /// Its control port.
    #[must_use]
    pub const fn control_addr(&self) -> &ControlAddr {
        &self.control
    }

    /// Its process id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its private data directory.
    #[must_use]
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// Asks tor to exit (SIGTERM), waits up to 10 s, kills it if it has
    /// not, and removes its data directory.
    pub fn stop(mut self) {
        let pid = rustix::process::Pid::from_child(&self.child);
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
        let deadline = Instant::now() + STOP_WAIT;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    log::debug!("{}", self.text.tor_exited(&status));
                    return;
                }
                Ok(None) => thread::sleep(POLL),
                Err(_) => break,
            }
        }
        log::warn!("{}", self.text.tor_killed(STOP_WAIT));
        // `Drop` kills and reaps it.
    }
}

impl Drop for OwnTor {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Reads tor's output on a thread of its own until tor exits: logs each
/// line and keeps the last few. Once tor has `started`, its warnings and
/// errors are logged as warnings and its bootstrap progress as info;
/// everything else, and everything before (a failure to start is one
/// error that quotes tor), at debug level.
fn relay_output(
    output: io::PipeReader,
    lines: Arc<Mutex<VecDeque<String>>>,
    started: Arc<AtomicBool>,
) -> io::Result<thread::JoinHandle<()>> {
    thread::Builder::new()
        .name("hftp-tor-output".into())
        .spawn(move || {
            let mut output = BufReader::new(output);
            let mut line = Vec::new();
            loop {
                line.clear();
                match output
                    .by_ref()
                    .take(MAX_OUTPUT_LINE)
                    .read_until(b'\n', &mut line)
                {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let text = String::from_utf8_lossy(&line).trim_end().to_owned();
                let started = started.load(Ordering::Relaxed);
                if started && (text.contains("[warn]") || text.contains("[err]")) {
                    log::warn!("tor: {text}");
                } else if started && text.contains("Bootstrapped ") {
                    log::info!("tor: {text}");
                } else {
                    log::debug!("tor: {text}");
                }
                let mut lines = lines.lock().unwrap_or_else(PoisonError::into_inner);
                if lines.len() == KEPT_LINES {
                    lines.pop_front();
                }
                lines.push_back(text);
            }
        })
}

/// The control port in the text of tor's `ControlPortWriteToFile`:
/// `PORT=127.0.0.1:PORT`, or `UNIX_PORT=PATH`.
fn control_port(text: &str) -> Option<ControlAddr> {
    text.lines().find_map(|line| {
        if let Some(addr) = line.strip_prefix("PORT=") {
            return addr
                .parse()
                .ok()
                .map(|_: std::net::SocketAddr| ControlAddr::Tcp(addr.into()));
        }
        line.strip_prefix("UNIX_PORT=")
            .map(|path| ControlAddr::Unix(path.into()))
    })
}

/// What tor said last that explains why it exited: its last warning or
/// error (not the one that only points at the warnings above), without
/// the time stamp; else its last line.
fn last_words(lines: &VecDeque<String>) -> String {
    let from_level = |line: &String| line.find(" [").map(|at| line[at + 1..].to_owned());
    lines
        .iter()
        .rev()
        .filter(|line| !line.contains("see warnings above"))
        .find(|line| line.contains("[warn]") || line.contains("[err]"))
        .and_then(from_level)
        .or_else(|| lines.back().cloned())
        .unwrap_or_else(|| "it said nothing".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_port_file() {
        assert_eq!(
            control_port("PORT=127.0.0.1:40123\n"),
            Some(ControlAddr::Tcp("127.0.0.1:40123".into()))
        );
        assert_eq!(
            control_port("UNIX_PORT=/tmp/x/c\n"),
            Some(ControlAddr::Unix("/tmp/x/c".into()))
        );
        assert_eq!(control_port("PORT=nonsense\n"), None);
        assert_eq!(control_port(""), None);
    }

    #[test]
    fn tors_last_words_are_its_last_warning() {
        let lines: VecDeque<String> = [
            "Dec 06 21:59:06.736 [notice] Tor 0.4.9.11 running on Linux",
            "Dec 06 21:59:06.736 [warn] You are running Tor as root.",
            "Dec 06 21:59:06.736 [warn] Failed to parse/validate config: Unknown option 'Nope'.  Failing.",
            "Dec 06 21:59:06.736 [err] Reading config failed--see warnings above.",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            last_words(&lines),
            "[warn] Failed to parse/validate config: Unknown option 'Nope'.  Failing."
        );
        assert_eq!(last_words(&VecDeque::new()), "it said nothing");
        let plain: VecDeque<String> = ["usage: tor".to_owned()].into();
        assert_eq!(last_words(&plain), "usage: tor");
    }
}
