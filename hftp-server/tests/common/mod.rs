//! Helpers for the real-socket tests: a server on port 0 serving a
//! temporary directory, and a client that decodes replies with
//! `hftp_proto::ClientConnection`.
//!
//! No helper sleeps to wait for something: each waits for an event (a
//! reply, the end of the stream, a count reaching a value), and timeouts
//! only guard against hangs.
#![allow(dead_code, unreachable_pub)]

use std::fs;
use std::io::{self, Read, Write};
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hftp_proto::{ClientConfig, ClientConnection, Code, Event, Request};
use hftp_server::{Config, RunningServer, Server};

/// The server binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_hftp-server");

/// The variables that choose the language people read. The tests never
/// inherit them from whoever runs the tests: a test that wants a language
/// sets one.
pub const LANGUAGE_VARIABLES: [&str; 4] = ["HFTP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"];

/// The server binary as a command, without the language variables of
/// whoever runs the tests: it speaks English unless the test sets one.
pub fn server() -> Command {
    let mut command = Command::new(BIN);
    for variable in LANGUAGE_VARIABLES {
        command.env_remove(variable);
    }
    command
}

/// How long any wait may take before the test fails as hung.
pub const HANG: Duration = Duration::from_secs(60);

/// A server serving `dir/served`, plus the temporary directory.
pub struct Fixture {
    pub root: tempfile::TempDir,
    pub server: RunningServer,
}

impl Fixture {
    /// The served directory's path.
    pub fn dir(&self) -> PathBuf {
        self.root.path().join("served")
    }

    /// Writes a file in the served directory.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir().join(name);
        fs::write(&path, contents).expect("a served file");
        path
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// A new client.
    pub fn client(&self) -> Client {
        Client::connect(self.addr())
    }

    /// Waits until the server counts `count` connections.
    pub fn wait_connections(&self, count: usize) {
        wait_for(
            || self.server.connections() == count,
            "the connection count",
        );
    }
}

/// A server on 127.0.0.1, port 0, with `tune` applied to its config.
pub fn serve_with(tune: impl FnOnce(Config) -> Config) -> Fixture {
    let root = tempfile::tempdir().expect("a temporary directory");
    let dir = root.path().join("served");
    fs::create_dir(&dir).expect("the served directory");
    let config = tune(
        Config::new(&dir)
            .address("127.0.0.1".parse().expect("an address"))
            .port(0),
    );
    let server = Server::bind(&config)
        .expect("the server binds")
        .spawn()
        .expect("the server starts");
    Fixture { root, server }
}

/// A server with the default limits.
pub fn serve() -> Fixture {
    serve_with(|config| config)
}

/// Polls `done` until it holds; fails the test after [`HANG`].
pub fn wait_for(mut done: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + HANG;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// What one reply turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A status alone (any code but 0, or `quit`'s 0).
    Status(Code),
    /// A listing or `help`: the names.
    Names(Vec<String>),
    /// A size.
    Size(u64),
    /// A slice body.
    Body(Vec<u8>),
}

/// A client over a real socket.
pub struct Client {
    pub stream: TcpStream,
    proto: ClientConnection,
    buffered: Vec<u8>,
    pace: Option<Duration>,
}

impl Client {
    /// Connects, with a read timeout that only guards against hangs.
    pub fn connect(addr: SocketAddr) -> Self {
        Self::from_stream(TcpStream::connect(addr).expect("the client connects"))
    }

    /// A client over a stream already connected.
    pub fn from_stream(stream: TcpStream) -> Self {
        stream.set_read_timeout(Some(HANG)).expect("a read timeout");
        let proto = ClientConnection::new(&ClientConfig::default());
        Self {
            stream,
            proto,
            buffered: Vec::new(),
            pace: None,
        }
    }

    /// Makes every read wait `pause` first: a slow reader.
    pub fn set_pace(&mut self, pause: Duration) {
        self.pace = Some(pause);
    }

    /// Sends raw bytes.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("the request is sent");
    }

    /// Encodes a request into `out`, to be sent later, and expects its
    /// reply.
    pub fn queue(&mut self, request: &Request<'_>, out: &mut Vec<u8>) {
        self.proto.send(request, out).expect("the request encodes");
    }

    /// Sends a request without waiting for its reply.
    pub fn send(&mut self, request: &Request<'_>) {
        let mut out = Vec::new();
        self.proto
            .send(request, &mut out)
            .expect("the request encodes");
        self.send_raw(&out);
    }

    /// Sends a request and reads its reply.
    pub fn ask(&mut self, request: &Request<'_>) -> Reply {
        self.send(request);
        self.reply().expect("a complete reply")
    }

    /// Reads the next complete reply; `Err` if the connection ended
    /// first or the reply broke the protocol.
    pub fn reply(&mut self) -> Result<Reply, String> {
        let mut names = Vec::new();
        let mut body = Vec::new();
        let mut out = vec![0; 64 * 1024];
        loop {
            if self.buffered.is_empty() {
                if let Some(pause) = self.pace {
                    std::thread::sleep(pause);
                }
                let mut chunk = vec![0; 64 * 1024];
                // A child's exit interrupts a read with a timeout (the
                // SIGCHLD handler of assert_cmd's timeouts): read again.
                let read = loop {
                    match self.stream.read(&mut chunk) {
                        Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                        read => break read.map_err(|e| e.to_string())?,
                    }
                };
                if read == 0 {
                    return Err(self
                        .proto
                        .receive_eof()
                        .map_or_else(|e| e.to_string(), |()| "EOF".into()));
                }
                self.buffered.extend_from_slice(&chunk[..read]);
            }
            let received = self
                .proto
                .decode(&self.buffered, &mut out)
                .map_err(|e| e.to_string())?;
            body.extend_from_slice(&out[..received.produced]);
            let (consumed, complete) = (received.consumed, received.complete);
            let reply = match received.event {
                None => None,
                Some(Event::Name(name)) => {
                    names.push(name.to_owned());
                    None
                }
                Some(Event::ListEnd) => Some(Reply::Names(std::mem::take(&mut names))),
                Some(Event::Size(size)) => Some(Reply::Size(size)),
                Some(Event::BodyEnd) => Some(Reply::Body(std::mem::take(&mut body))),
                // `0` opens a body, unless it was the whole reply (`quit`).
                Some(Event::Status(code)) => complete.then_some(Reply::Status(code)),
            };
            self.buffered.drain(..consumed);
            if let Some(reply) = reply {
                return Ok(reply);
            }
        }
    }

    /// Reads everything until the server closes.
    pub fn read_to_end(&mut self) -> Vec<u8> {
        let mut all = std::mem::take(&mut self.buffered);
        match self.stream.read_to_end(&mut all) {
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::ConnectionReset => {}
            Err(error) => panic!("reading to the end: {error}"),
        }
        all
    }

    /// Reads exactly `expected.len()` bytes and compares them.
    pub fn expect_bytes(&mut self, expected: &[u8]) {
        let mut got = vec![0; expected.len()];
        self.stream
            .read_exact(&mut got)
            .expect("the expected bytes arrive");
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(expected)
        );
    }

    /// Asserts the server closes without sending anything more.
    pub fn expect_eof(&mut self) {
        let rest = self.read_to_end();
        assert!(
            rest.is_empty(),
            "expected the end, got {:?}",
            String::from_utf8_lossy(&rest)
        );
    }
}

/// `get_metadata NAME`.
pub fn metadata(name: &str) -> Request<'_> {
    Request::Metadata { name }
}

/// `get_slice NAME OFFSET SIZE` in base64.
pub fn slice(name: &str, offset: u64, size: u64) -> Request<'_> {
    Request::Slice {
        name,
        offset,
        size,
        form: hftp_proto::Form::Base64,
    }
}

/// `get_slice NAME OFFSET SIZE raw`.
pub fn raw_slice(name: &str, offset: u64, size: u64) -> Request<'_> {
    Request::Slice {
        name,
        offset,
        size,
        form: hftp_proto::Form::Raw,
    }
}

/// Bytes of the course's binary test: the values 1 to 254, repeated.
pub fn course_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 254) as u8 + 1).collect()
}

/// A sparse file of `len` zero bytes: big, instant, costs no disk.
pub fn sparse(path: &Path, len: u64) {
    fs::File::create(path)
        .and_then(|file| file.set_len(len))
        .expect("a sparse file");
}

/// A server process and the address it announced.
pub struct Process {
    pub child: Child,
    pub addr: SocketAddr,
    pub announced: String,
}

impl Process {
    /// Starts `program` with `args`, its log dropped, and reads the
    /// address it announces.
    pub fn start(program: &str, args: &[&str]) -> Self {
        Self::spawn(program, args, &[], Stdio::null())
    }

    /// [`start`](Self::start), keeping its log (at the default level) for
    /// [`log`](Self::log).
    pub fn start_logged(program: &str, args: &[&str]) -> Self {
        Self::start_logged_in(program, args, &[])
    }

    /// [`start_logged`](Self::start_logged), with these variables set in
    /// its environment.
    pub fn start_logged_in(program: &str, args: &[&str], vars: &[(&str, &str)]) -> Self {
        Self::spawn(program, args, vars, Stdio::piped())
    }

    /// Stops the server and returns all it logged (with
    /// [`start_logged`](Self::start_logged)).
    pub fn log(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut logged = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr.read_to_string(&mut logged).expect("its log");
        }
        logged
    }

    fn spawn(program: &str, args: &[&str], vars: &[(&str, &str)], stderr: Stdio) -> Self {
        let mut command = Command::new(program);
        for variable in LANGUAGE_VARIABLES {
            command.env_remove(variable);
        }
        let mut child = command
            .args(args)
            .env_remove("RUST_LOG")
            .envs(vars.iter().copied())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().expect("its stdout");
        let mut announced = String::new();
        BufReader::new(stdout)
            .read_line(&mut announced)
            .expect("the startup line");
        let addr = announced
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok());
        let addr = addr.unwrap_or_else(|| panic!("no address in {announced:?}"));
        Self {
            child,
            addr,
            announced,
        }
    }

    pub fn signal(&self, signal: rustix::process::Signal) {
        let pid = rustix::process::Pid::from_child(&self.child);
        rustix::process::kill_process(pid, signal).expect("the signal is sent");
    }

    pub fn wait(&mut self) -> Option<i32> {
        self.child.wait().expect("the server exits").code()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every request that names `name` is `202`.
pub fn assert_names_not_found(client: &mut Client, name: &str) {
    assert_eq!(
        client.ask(&metadata(name)),
        Reply::Status(Code::FileNotFound),
        "get_metadata {name}"
    );
    assert_eq!(
        client.ask(&slice(name, 0, 1)),
        Reply::Status(Code::FileNotFound),
        "get_slice {name}"
    );
    assert_eq!(
        client.ask(&raw_slice(name, 0, 1)),
        Reply::Status(Code::FileNotFound),
        "get_slice {name} raw"
    );
}
