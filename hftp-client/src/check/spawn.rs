//! Servers the checker starts itself (`hftp check --spawn`): on a free
//! port, serving a directory of the checker's, optionally as an
//! unprivileged user; stopped, and started again after a death.

use std::fs::{self, File};
use std::io::{Read as _, Seek as _, SeekFrom};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

use super::Error;
use super::miss::{Said, said};

/// How to start one server under test.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Spawn {
    /// A shell command (run by `sh -c`) in which `{port}` becomes the
    /// port to listen on and `{dir}` the directory to serve.
    pub(crate) command: String,
    /// The server's name in reports; the command when `None`.
    pub(crate) label: Option<String>,
    /// The user to run the server as.
    pub(crate) user: Option<String>,
    /// How long the server may take to accept connections once started.
    pub(crate) start_wait: Duration,
}

impl Spawn {
    /// A server started by `command`, a shell command (run by `sh -c`) in
    /// which `{port}` becomes the port to listen on and `{dir}` the
    /// directory to serve, e.g. `python3 server.py -p {port} -d {dir}`
    /// (both must appear); named after its command, run as the checker's
    /// user, given 10 s to start.
    #[must_use]
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            label: None,
            user: None,
            start_wait: Duration::from_secs(10),
        }
    }

    /// Names the server in reports (a student, a team).
    #[must_use]
    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Runs the server as `user` (a name from `/etc/passwd`): when the
    /// checker runs as root, this makes files without read permission
    /// unreadable to the server, as the course's `199` case needs.
    #[must_use]
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// How long the server may take to accept connections once started.
    #[must_use]
    pub const fn start_wait(mut self, wait: Duration) -> Self {
        self.start_wait = wait;
        self
    }

    /// The command, placeholders unfilled.
    #[must_use]
    pub fn command(&self) -> &str {
        &self.command
    }

    /// The name of the server in reports: its label, else its command.
    #[must_use]
    pub fn name(&self) -> String {
        self.label.clone().unwrap_or_else(|| self.command.clone())
    }

    /// Checks the command names both placeholders.
    ///
    /// # Errors
    ///
    /// [`Error::Spawn`] naming the placeholder missing.
    pub fn validate(&self) -> Result<(), Error> {
        for placeholder in ["{port}", "{dir}"] {
            if !self.command.contains(placeholder) {
                return Err(self.error(said!(
                    "the command must hold {placeholder}",
                    "el comando tiene que tener {placeholder}";
                    placeholder = placeholder
                )));
            }
        }
        Ok(())
    }

    /// An error starting this server.
    fn error(&self, why: Said) -> Error {
        Error::Spawn {
            command: self.command.clone(),
            why: why.en,
            why_es: why.es,
        }
    }
}

/// A temporary directory of the checker's, removed when dropped.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    /// A new, empty directory that any user can read.
    pub(crate) fn new() -> Result<Self, Error> {
        static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("hftp-check-{}-{n}", std::process::id()));
        fs::create_dir(&dir).map_err(|source| Error::dir(&dir, source))?;
        Ok(Self(dir))
    }

    /// A path inside it.
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Err(error) = fs::remove_dir_all(&self.0) {
            log::warn!("cannot remove {}: {error}", self.0.display());
        }
    }
}

/// A user to run a server as.
#[derive(Clone, Copy, Debug)]
struct User {
    uid: u32,
    gid: u32,
}

impl User {
    /// The user called `name` in `/etc/passwd`.
    fn lookup(name: &str) -> Option<Self> {
        let passwd = fs::read_to_string("/etc/passwd").ok()?;
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            match fields.as_slice() {
                [user, _, uid, gid, ..] if *user == name => Some(Self {
                    uid: uid.parse().ok()?,
                    gid: gid.parse().ok()?,
                }),
                _ => None,
            }
        })
    }
}

/// A server the checker started, and its output.
#[derive(Debug)]
pub(crate) struct Spawned {
    spawn: Spawn,
    dir: PathBuf,
    log: PathBuf,
    user: Option<User>,
    child: Option<Child>,
    addr: SocketAddr,
}

impl Spawned {
    /// Starts the server to serve `dir` (which it must be able to read),
    /// writing its output to `log`; returns once it accepts connections.
    pub(crate) fn start(spawn: &Spawn, dir: &Path, log: &Path) -> Result<Self, Error> {
        spawn.validate()?;
        let user = match &spawn.user {
            Some(name) => Some(unprivileged(spawn, name)?),
            None => None,
        };
        let mut server = Self {
            spawn: spawn.clone(),
            dir: dir.to_path_buf(),
            log: log.to_path_buf(),
            user,
            child: None,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        };
        server.launch()?;
        Ok(server)
    }

    /// Where the server listens now.
    pub(crate) const fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// True when the server runs as a user that file permissions bind.
    pub(crate) fn unprivileged(&self) -> bool {
        self.user.is_some_and(|user| user.uid != 0)
    }

    /// How the server ended, if it did: `exit status 1`, `killed by
    /// signal 11`, with its last words.
    pub(crate) fn ended(&mut self) -> Option<Said> {
        let status = self.child.as_mut()?.try_wait().ok()??;
        self.child = None;
        let how = match (status.code(), status.signal()) {
            (Some(code), _) => said!("exit status {code}", "código de salida {code}"; code = code),
            (None, Some(signal)) => said!(
                "killed by signal {signal}",
                "terminado por la señal {signal}";
                signal = signal
            ),
            _ => Said::same(status.to_string()),
        };
        Some(self.with_last_words(how))
    }

    /// [`ended`](Self::ended), waiting up to `wait` for it to end.
    pub(crate) fn ended_within(&mut self, wait: Duration) -> Option<Said> {
        let until = Instant::now() + wait;
        loop {
            let ended = self.ended();
            if ended.is_some() || Instant::now() >= until {
                return ended;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// `how`, followed by the last lines the server wrote, if any.
    pub(crate) fn with_last_words(&self, how: Said) -> Said {
        let words = last_words(&self.log);
        if words.is_empty() {
            how
        } else {
            how.then(&said!(
                "; its last words: {words}",
                "; sus últimas palabras: {words}";
                words = words
            ))
        }
    }

    /// Stops the server (if it runs) and starts it again, on a new port.
    pub(crate) fn restart(&mut self) -> Result<(), Error> {
        self.stop();
        self.launch()
    }

    /// Starts the command on a free port and waits until it accepts a
    /// connection, dies, or runs out of time.
    fn launch(&mut self) -> Result<(), Error> {
        let port = free_port().map_err(|e| {
            self.spawn.error(said!(
                "no free port: {e}",
                "no hay un puerto libre: {e}";
                e = e
            ))
        })?;
        self.addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let output = File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .and_then(|out| Ok((out.try_clone()?, out)))
            .map_err(|e| {
                self.spawn
                    .error(Said::same(format!("{}: {e}", self.log.display())))
            })?;
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(self.command_line(port))
            .stdin(Stdio::null())
            .stdout(output.0)
            .stderr(output.1)
            .process_group(0);
        if let Some(user) = self.user {
            command.uid(user.uid).gid(user.gid);
        }
        let child = command
            .spawn()
            .map_err(|e| self.spawn.error(Said::same(e.to_string())))?;
        self.child = Some(child);
        self.wait_listening()
    }

    /// The command with its placeholders filled in.
    fn command_line(&self, port: u16) -> String {
        let dir = shell_quote(&self.dir.to_string_lossy());
        self.spawn
            .command
            .replace("{port}", &port.to_string())
            .replace("{dir}", &dir)
    }

    /// Waits until the server accepts a connection.
    fn wait_listening(&mut self) -> Result<(), Error> {
        let until = Instant::now() + self.spawn.start_wait;
        while Instant::now() < until {
            if TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).is_ok() {
                return Ok(());
            }
            if let Some(how) = self.ended() {
                return Err(self.spawn.error(
                    said!("it ended before listening", "terminó antes de escuchar").with(&how),
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
        self.stop();
        let waited = self.spawn.start_wait.as_secs_f64();
        let how = self.with_last_words(said!(
            "nothing listened on {addr} after {waited} s",
            "nada escuchaba en {addr} después de {waited} s";
            addr = self.addr,
            waited = waited
        ));
        Err(self.spawn.error(how))
    }

    /// Stops the server and everything it started: a TERM to its process
    /// group, a KILL a second later if it is still there.
    pub(crate) fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let group = i32::try_from(child.id()).ok().and_then(Pid::from_raw);
        if let Some(group) = group {
            let _ = rustix::process::kill_process_group(group, Signal::TERM);
        }
        let until = Instant::now() + Duration::from_secs(1);
        while Instant::now() < until && matches!(child.try_wait(), Ok(None)) {
            thread::sleep(Duration::from_millis(20));
        }
        if let Some(group) = group {
            let _ = rustix::process::kill_process_group(group, Signal::KILL);
        }
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The user called `name`, if the checker may become it: only root can.
fn unprivileged(spawn: &Spawn, name: &str) -> Result<User, Error> {
    if !rustix::process::getuid().is_root() {
        return Err(spawn.error(said!(
            "running it as {name} needs the checker to run as root",
            "para correrlo como {name}, el verificador tiene que correr como root";
            name = name
        )));
    }
    User::lookup(name).ok_or_else(|| {
        spawn.error(said!(
            "no user {name} in /etc/passwd",
            "no hay un usuario {name} en /etc/passwd";
            name = name
        ))
    })
}

/// A port nobody listens on now.
fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// `text` as one word for `sh`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The last lines of the server's output, on one line, cut to 300
/// bytes: what it said as it died.
fn last_words(log: &Path) -> String {
    const KEEP: u64 = 300;
    let mut tail = Vec::new();
    let read = File::open(log).and_then(|mut file| {
        let len = file.metadata()?.len();
        file.seek(SeekFrom::Start(len.saturating_sub(KEEP)))?;
        file.read_to_end(&mut tail)
    });
    if read.is_err() {
        return String::new();
    }
    let text = String::from_utf8_lossy(&tail);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

#[cfg(test)]
mod tests {
    use super::{Spawn, shell_quote};

    #[test]
    fn quotes_survive_the_shell() {
        assert_eq!(shell_quote("/tmp/a b"), "'/tmp/a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn a_command_without_its_placeholders_is_refused() {
        let error = Spawn::new("python3 server.py -p {port}")
            .validate()
            .expect_err("no {dir}");
        assert!(error.to_string().contains("{dir}"), "{error}");
    }
}
