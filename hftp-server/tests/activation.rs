//! Socket activation: a listening socket passed as systemd passes it
//! (descriptor 3, `LISTEN_FDS=1`, `LISTEN_PID` the server's pid) is the
//! one served; one meant for another process is not taken.
//!
//! A small python3 wrapper stands in for systemd: it binds and listens,
//! prints the port, moves the socket to descriptor 3, sets the variables
//! and `exec`s the server, which keeps its pid.

use std::io::{BufRead, BufReader, Read as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};

use crate::common::{BIN, Client, Reply};
use hftp_proto::Request;
use hftp_server::{Config, Server};

/// The wrapper: `python3 -c WRAPPER WHAT PID_OFFSET SERVER ARGS...`.
/// WHAT is `socket` (a listening socket) or `file` (/dev/null) as
/// descriptor 3; LISTEN_PID is the pid plus PID_OFFSET.
const WRAPPER: &str = r#"
import os, socket, sys
what, offset, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
if what == "socket":
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    fd = listener.fileno()
else:
    print(0, flush=True)
    fd = os.open("/dev/null", os.O_RDONLY)
if fd != 3:
    os.dup2(fd, 3)
os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_PID"] = str(os.getpid() + offset)
os.execv(argv[0], argv)
"#;

/// The server under the wrapper, its stdout, and the port the wrapper
/// listened on.
struct Activated {
    child: Child,
    stdout: BufReader<ChildStdout>,
    passed_port: u16,
}

impl Activated {
    fn start(what: &str, pid_offset: i32, dir: &std::path::Path) -> Self {
        let dir = dir.to_str().expect("a UTF-8 path");
        let offset = pid_offset.to_string();
        let mut command = Command::new("python3");
        for variable in crate::common::LANGUAGE_VARIABLES {
            command.env_remove(variable);
        }
        let mut child = command
            .args(["-c", WRAPPER, what, &offset, BIN])
            .args(["-d", dir, "-p", "0", "-a", "127.0.0.1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut stdout = BufReader::new(child.stdout.take().expect("its stdout"));
        let passed_port = read_line(&mut stdout).trim().parse().expect("a port");
        Self {
            child,
            stdout,
            passed_port,
        }
    }

    /// The address in the server's startup line.
    fn announced(&mut self) -> SocketAddr {
        let line = read_line(&mut self.stdout);
        let addr = line
            .trim_end()
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok());
        addr.unwrap_or_else(|| panic!("no address in {line:?}"))
    }
}

impl Drop for Activated {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_line(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a line");
    line
}

#[test]
fn the_socket_passed_in_is_served() {
    let dir = tempfile::tempdir().expect("a directory");
    let mut server = Activated::start("socket", 0, dir.path());
    let announced = server.announced();
    assert_eq!(
        announced.port(),
        server.passed_port,
        "not the passed socket"
    );
    let mut client = Client::connect(announced);
    assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
}

#[test]
fn a_socket_for_another_pid_is_left_alone() {
    let dir = tempfile::tempdir().expect("a directory");
    let mut server = Activated::start("socket", 1, dir.path());
    let announced = server.announced();
    assert_ne!(
        announced.port(),
        server.passed_port,
        "took another's socket"
    );
    let mut client = Client::connect(announced);
    assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
}

#[test]
fn a_descriptor_that_is_not_a_socket_is_an_error() {
    let dir = tempfile::tempdir().expect("a directory");
    let mut server = Activated::start("file", 0, dir.path());
    let status = server.child.wait().expect("the server exits");
    assert!(!status.success());
    let mut stderr = String::new();
    let mut pipe = server.child.stderr.take().expect("its stderr");
    pipe.read_to_string(&mut stderr).expect("its stderr");
    assert!(stderr.contains("socket activation"), "{stderr}");
}

#[test]
fn the_library_serves_on_a_listener_it_is_given() {
    let dir = tempfile::tempdir().expect("a directory");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a listener");
    let given = listener.local_addr().expect("its address");
    // The address and port configured are not used.
    let config = Config::new(dir.path()).port(1);
    let server = Server::from_listener(&config, listener)
        .expect("the server takes the listener")
        .spawn()
        .expect("the server starts");
    assert_eq!(server.local_addr(), given);
    let mut client = Client::connect(given);
    assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
    server.stop().expect("a graceful stop");
}
