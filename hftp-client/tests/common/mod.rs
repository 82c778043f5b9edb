//! Test helpers: a real server on an ephemeral port, scripted servers that
//! send exactly the bytes a case needs, and the `hftp` binary.
#![allow(dead_code, unreachable_pub)]

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use hftp_proto::SliceEncoder;
use hftp_server::{Config, RunningServer, Server};
use tempfile::TempDir;

/// The checker's options for a test: the defaults, with the waits that
/// only make a run longer shortened. A reply that never comes is given up
/// after 1 s of silence (not 5), a close after 1 s (not 3), and the
/// course's request in pieces pauses 30 ms between bytes (not 1 s). The
/// cases and what they require are the same.
pub fn quick() -> hftp_client::check::Options {
    hftp_client::check::Options::new()
        .reply_wait(QUICK_WAIT)
        .close_wait(QUICK_WAIT)
        .piece_pause(Duration::from_millis(30))
}

/// The reply and close waits of [`quick`].
pub const QUICK_WAIT: Duration = Duration::from_secs(1);

/// A fresh temporary directory, in memory where the system has room
/// there (`/dev/shm` with 2 GiB free), else in the usual place. The
/// checker writes about 1000 files and 110 MiB of fixtures per run: on a
/// disk file system creating and deleting them is most of a run's time.
pub fn tempdir() -> TempDir {
    const MEMORY: &str = "/dev/shm";
    const ROOM: u64 = 2 << 30;
    let roomy =
        rustix::fs::statvfs(MEMORY).is_ok_and(|fs| fs.f_bavail.saturating_mul(fs.f_frsize) >= ROOM);
    let made = if roomy {
        tempfile::tempdir_in(MEMORY).or_else(|_| tempfile::tempdir())
    } else {
        tempfile::tempdir()
    };
    made.expect("a temporary directory")
}

/// A real `hftp-server` serving a temporary directory on 127.0.0.1.
pub struct Served {
    pub dir: TempDir,
    pub server: RunningServer,
}

impl Served {
    /// Serves `files` from a fresh temporary directory.
    pub fn new(files: &[(&str, &[u8])]) -> Self {
        Self::on("127.0.0.1", files)
    }

    /// Serves `files` on the given address (`::1` for IPv6).
    pub fn on(address: &str, files: &[(&str, &[u8])]) -> Self {
        Self::configured(address, files, |config| config)
    }

    /// Serves `files` on 127.0.0.1 with `tune` applied to the config.
    pub fn with(files: &[(&str, &[u8])], tune: impl FnOnce(Config) -> Config) -> Self {
        Self::configured("127.0.0.1", files, tune)
    }

    fn configured(
        address: &str,
        files: &[(&str, &[u8])],
        tune: impl FnOnce(Config) -> Config,
    ) -> Self {
        let dir = tempdir();
        for (name, data) in files {
            std::fs::write(dir.path().join(name), data).expect("a served file");
        }
        let config = Config::new(dir.path())
            .address(address.parse().expect("an IP address"))
            .port(0)
            .grace(Duration::from_secs(1));
        let server = Server::bind(&tune(config))
            .expect("bind")
            .spawn()
            .expect("spawn");
        Self { dir, server }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.server.local_addr().to_string()
    }
}

/// `len` bytes that are not all alike, with every byte value.
pub fn data(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// The `hftp` binary. Tests run it through [`clean_command`] or [`hftp`]
/// only (a test of `cli.rs` holds them to it).
pub const HFTP_BIN: &str = env!("CARGO_BIN_EXE_hftp");

/// What the person running the tests may have set for their own use of
/// hftp: its default server, a proxy, a preloaded torsocks, the log
/// level, the language (`HFTP_LANG` and the locale). Tests clear it, so
/// that each reaches only the servers and proxies it started itself (the
/// README's server on 19500 included) and reads the words it expects: a
/// test of another language sets it. `NO_COLOR` too: a test of colour
/// sets it.
pub const PERSONAL_ENV: [&str; 13] = [
    "HFTP_SERVER",
    "RUST_LOG",
    "HFTP_PROXY",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "LD_PRELOAD",
    "HFTP_LANG",
    "LC_ALL",
    "LC_MESSAGES",
    "LANG",
    "NO_COLOR",
];

/// `program` (the `hftp` binary, or a wrapper that runs it) without
/// [`PERSONAL_ENV`].
pub fn clean_command(program: &str) -> std::process::Command {
    let mut command = std::process::Command::new(program);
    for variable in PERSONAL_ENV {
        command.env_remove(variable);
    }
    command
}

/// The `hftp` binary without [`PERSONAL_ENV`] nor a server: a test that
/// runs it so sets `-s` or `HFTP_SERVER` to a server of its own, or runs
/// a command that reaches no server.
pub fn hftp_bare() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::from_std(clean_command(HFTP_BIN));
    command.timeout(Duration::from_secs(60));
    command
}

/// The `hftp` binary, pointed at `addr`, with no environment surprises.
pub fn hftp(addr: &str) -> assert_cmd::Command {
    let mut command = hftp_bare();
    command.args(["-s", addr]);
    command
}

/// `data` as one base64 line with its `\r\n`, as the course servers send.
pub fn base64_line(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = SliceEncoder::begin(data.len() as u64, &mut out);
    encoder.encode(data, &mut out).expect("encode");
    encoder.finish(&mut out).expect("finish");
    out.split_off(b"0 OK\r\n".len())
}

/// What a scripted server does with one request line.
pub enum Act {
    /// Sends these bytes, in odd fragments, and reads on.
    Reply(Vec<u8>),
    /// Sends these bytes, then closes the connection.
    Close(Vec<u8>),
    /// Sends these bytes, then sends nothing more until the client leaves.
    Stall(Vec<u8>),
    /// Sends these bytes, then the same byte forever (until the client
    /// leaves).
    Endless(Vec<u8>, u8),
}

/// A server on 127.0.0.1 that answers each request line by a script.
pub struct Scripted {
    pub addr: SocketAddr,
    /// Each request line the server received, as it arrives.
    pub requests: mpsc::Receiver<String>,
}

impl Scripted {
    /// Starts serving, each connection on a thread of its own, for the
    /// life of the test process.
    pub fn start(script: impl Fn(&str) -> Act + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("local address");
        let (seen, requests) = mpsc::channel();
        let script = std::sync::Arc::new(script);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (script, seen) = (script.clone(), seen.clone());
                thread::spawn(move || serve_connection(stream, &*script, &seen));
            }
        });
        Self { addr, requests }
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }
}

/// Serves one connection by `script`, reporting each request line to
/// `seen`.
pub fn serve_connection(
    mut stream: TcpStream,
    script: &dyn Fn(&str) -> Act,
    seen: &mpsc::Sender<String>,
) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut pending = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        while let Some(end) = pending.windows(2).position(|w| w == b"\r\n") {
            let line = String::from_utf8_lossy(&pending[..end]).into_owned();
            pending.drain(..end + 2);
            let _ = seen.send(line.clone());
            match script(&line) {
                Act::Reply(bytes) => send_fragmented(&mut stream, &bytes)?,
                Act::Close(bytes) => {
                    send_fragmented(&mut stream, &bytes)?;
                    return stream.shutdown(Shutdown::Both);
                }
                Act::Stall(bytes) => {
                    send_fragmented(&mut stream, &bytes)?;
                    // Wait for the client to leave; never answer again.
                    while stream.read(&mut buffer)? > 0 {}
                    return Ok(());
                }
                Act::Endless(bytes, fill) => {
                    send_fragmented(&mut stream, &bytes)?;
                    let chunk = [fill; 8192];
                    loop {
                        stream.write_all(&chunk)?;
                    }
                }
            }
        }
        let read = stream.read(&mut buffer)?;
        if read == 0 {
            return Ok(());
        }
        pending.extend_from_slice(&buffer[..read]);
    }
}

/// Writes in fragments of odd sizes, as servers in the wild do.
fn send_fragmented(stream: &mut TcpStream, mut bytes: &[u8]) -> io::Result<()> {
    for size in [1, 2, 3, 5, 7, 11, 13].into_iter().cycle() {
        if bytes.is_empty() {
            return Ok(());
        }
        let size = if bytes.len() > 4096 {
            bytes.len()
        } else {
            size.min(bytes.len())
        };
        stream.write_all(&bytes[..size])?;
        stream.flush()?;
        bytes = &bytes[size..];
    }
    Ok(())
}

/// The replies of a 2019-kit server with course texts, for `files`: base64
/// bodies on one line; `help` and `raw` are unknown to it.
pub fn course_reply(files: &[(&str, &[u8])], line: &str) -> Act {
    let words: Vec<&str> = line.split(' ').collect();
    let find = |name: &str| files.iter().find(|(n, _)| *n == name).map(|(_, d)| *d);
    match words.as_slice() {
        ["get_file_listing"] => {
            let mut out = b"0 OK\r\n".to_vec();
            for (name, _) in files {
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"\r\n");
            Act::Reply(out)
        }
        ["get_metadata", name] => match find(name) {
            Some(data) => Act::Reply(format!("0 OK\r\n{}\r\n", data.len()).into_bytes()),
            None => Act::Reply(b"202 FILE NOT FOUND\r\n".to_vec()),
        },
        ["get_slice", name, offset, size] => {
            let (Some(data), Ok(offset), Ok(size)) =
                (find(name), offset.parse::<usize>(), size.parse::<usize>())
            else {
                return Act::Reply(b"202 FILE NOT FOUND\r\n".to_vec());
            };
            match data.get(offset..offset + size) {
                Some(slice) => Act::Reply([&b"0 OK\r\n"[..], &base64_line(slice)].concat()),
                None => Act::Reply(b"203 OFFSET EXCEEDS FILE SIZE\r\n".to_vec()),
            }
        }
        ["quit"] => Act::Close(b"0 OK\r\n".to_vec()),
        [_, ..] => Act::Reply(b"200 NO SUCH COMMAND\r\n".to_vec()),
        [] => Act::Close(b"101 BAD REQUEST\r\n".to_vec()),
    }
}

/// Asserts that `dir` holds no file named `name` (a partial file must
/// never be renamed into place).
pub fn assert_absent(dir: &Path, name: &str) {
    assert!(
        !dir.join(name).exists(),
        "{name} must not exist in {}",
        dir.display()
    );
}

/// What a finished `hftp` run did.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs the command to its end and collects what it did.
pub fn ran(command: &mut assert_cmd::Command) -> Ran {
    let output = command.output().expect("hftp runs");
    Ran {
        code: output.status.code(),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Ran {
    /// The exit code, or a panic with stderr to explain.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "stderr: {}", self.stderr);
        self
    }

    /// Stdout as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Checks that stderr holds exactly one line, containing `needle`.
    pub fn one_error_line(&self, needle: &str) -> &Self {
        assert_eq!(
            self.stderr.lines().count(),
            1,
            "one line on stderr: {:?}",
            self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "{needle:?} in {:?}",
            self.stderr
        );
        self
    }
}

/// A server from `tests/fixtures/`, in Python, killed when dropped.
pub struct PythonServer {
    child: std::process::Child,
    pub addr: String,
}

impl PythonServer {
    /// Starts `tests/fixtures/SCRIPT` serving `dir`; `None` (the test is
    /// skipped, and says so) where `python3` is missing.
    pub fn start(script: &str, dir: &Path) -> Option<Self> {
        Self::start_with(script, dir, &[])
    }

    /// [`start`](Self::start), passing `args` after the directory.
    pub fn start_with(script: &str, dir: &Path, args: &[&str]) -> Option<Self> {
        use std::io::{BufRead as _, BufReader};
        use std::process::{Command, Stdio};
        let spawned = Command::new("python3")
            .arg(fixture(script))
            .arg(dir)
            .args(args)
            .stdout(Stdio::piped())
            .spawn();
        let Ok(mut child) = spawned else {
            eprintln!("skipped: python3 is not available");
            return None;
        };
        let mut port = String::new();
        let stdout = child.stdout.take().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut port)
            .expect("the port line");
        Some(Self {
            child,
            addr: format!("127.0.0.1:{}", port.trim()),
        })
    }
}

impl PythonServer {
    /// Waits until the server ends by itself.
    pub fn wait(&mut self) {
        let _ = self.child.wait();
    }
}

/// JSON Lines (`hftp check --json`) as values, one per line.
pub fn json_objects(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect()
}

/// The path of `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
