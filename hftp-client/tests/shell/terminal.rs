//! `hftp` in a pseudo-terminal, driven by `tests/fixtures/pty_relay.py`:
//! type bytes, wait for text, with a deadline on every wait.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{HFTP_BIN, clean_command};

/// How long any wait lasts before the test fails.
const DEADLINE: Duration = Duration::from_secs(20);

/// `hftp` running in a terminal of its own.
pub(crate) struct Terminal {
    child: Child,
    keys: Option<ChildStdin>,
    output: mpsc::Receiver<Vec<u8>>,
    /// Everything the terminal showed so far.
    screen: Vec<u8>,
    /// Where the next [`expect`](Self::expect) starts looking.
    mark: usize,
}

impl Terminal {
    /// Starts `hftp -s ADDR ARGS...` in `dir`, with its history under
    /// `state`, without colour (`NO_COLOR=1`); `None` (the test is
    /// skipped, and says so) without python3.
    pub(crate) fn start(addr: &str, args: &[&str], dir: &Path, state: &Path) -> Option<Self> {
        Self::start_with_env(addr, args, dir, state, &[])
    }

    /// As [`start`](Self::start), with `env` set too (`NO_COLOR` among
    /// them replaces the default).
    pub(crate) fn start_with_env(
        addr: &str,
        args: &[&str],
        dir: &Path,
        state: &Path,
        env: &[(&str, &str)],
    ) -> Option<Self> {
        let relay = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pty_relay.py");
        let spawned = clean_command("python3")
            .arg(relay)
            .arg(HFTP_BIN)
            .args(["-s", addr])
            .args(args)
            .current_dir(dir)
            .env("TERM", "xterm")
            .env("XDG_STATE_HOME", state)
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let Ok(mut child) = spawned else {
            eprintln!("skipped: python3 is not available");
            return None;
        };
        let keys = child.stdin.take();
        let mut screen = child.stdout.take().expect("the relay's stdout");
        let (sender, output) = mpsc::channel();
        thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(read @ 1..) = screen.read(&mut buffer) {
                if sender.send(buffer[..read].to_vec()).is_err() {
                    break;
                }
            }
        });
        Some(Self {
            child,
            keys,
            output,
            screen: Vec::new(),
            mark: 0,
        })
    }

    /// Types `keys` at the terminal.
    pub(crate) fn send(&mut self, keys: &str) {
        let stdin = self.keys.as_mut().expect("the terminal is open");
        stdin.write_all(keys.as_bytes()).expect("type");
        stdin.flush().expect("type");
    }

    /// Waits until the terminal shows `text` after the last match, and
    /// returns what it showed up to it.
    pub(crate) fn expect(&mut self, text: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(at) = find(&self.screen[self.mark..], text.as_bytes()) {
                let seen = &self.screen[self.mark..self.mark + at + text.len()];
                let seen = String::from_utf8_lossy(seen).into_owned();
                self.mark += at + text.len();
                return seen;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(bytes) => self.screen.extend_from_slice(&bytes),
                Err(_) => panic!(
                    "{text:?} never showed; the terminal showed:\n{}",
                    String::from_utf8_lossy(&self.screen)
                ),
            }
        }
    }

    /// Everything the terminal showed so far.
    pub(crate) fn screen(&self) -> String {
        String::from_utf8_lossy(&self.screen).into_owned()
    }

    /// Waits for `hftp` to exit (the terminal closes) and gives its exit
    /// code and what the terminal showed after the last match.
    pub(crate) fn wait(mut self) -> (i32, String) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                while let Ok(bytes) = self.output.recv_timeout(Duration::from_secs(1)) {
                    self.screen.extend_from_slice(&bytes);
                }
                let rest = String::from_utf8_lossy(&self.screen[self.mark..]).into_owned();
                return (status.code().unwrap_or(-1), rest);
            }
            assert!(
                Instant::now() < deadline,
                "hftp did not exit; the terminal showed:\n{}",
                self.screen()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        drop(self.keys.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
