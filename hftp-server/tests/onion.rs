//! `hftp-server --onion` with a real tor: one it starts itself, and one
//! the test starts and names with `--tor-control`. Every tor runs with
//! `DisableNetwork 1`: it opens its control port and adds services, and
//! never reaches the network.
//!
//! Without `tor` on PATH these tests pass with a loud message, unless
//! `HFTP_REQUIRE_TOR` is set (as CI sets it): then they fail.

use std::fs;
use std::io::{BufRead as _, BufReader};
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{Client, HANG, Reply};
use hftp_proto::Request;
use hftp_server::onion::{
    AuthMethod, ControlAddr, ControlError, ControlPort, KeyRequest, OnionKey, is_service_id,
};
use rustix::process::{Pid, Signal};

/// Whether `tor` can be run; without it, a loud skip, or a failure when
/// `HFTP_REQUIRE_TOR` is set.
fn tor_installed() -> bool {
    let found = Command::new("tor")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        assert!(
            std::env::var_os("HFTP_REQUIRE_TOR").is_none(),
            "HFTP_REQUIRE_TOR is set, and there is no `tor` on PATH"
        );
        eprintln!(
            "SKIPPED: no `tor` on PATH (apt-get install tor); set HFTP_REQUIRE_TOR=1 to fail instead"
        );
    }
    found
}

/// A directory with a torrc that keeps tor off the network, and a served
/// directory with one file.
struct Scene {
    root: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let root = tempfile::tempdir().expect("a temporary directory");
        fs::write(root.path().join("torrc"), "DisableNetwork 1\n").expect("a torrc");
        fs::create_dir(root.path().join("served")).expect("the served directory");
        fs::write(root.path().join("served/hola.txt"), "hola\n").expect("a served file");
        Self { root }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).to_str().expect("a UTF-8 path").to_owned()
    }

    /// `hftp-server --onion` with its own tor, plus `extra` flags.
    fn own_tor_args(&self, extra: &[&str]) -> Vec<String> {
        let mut args = self.base_args();
        args.extend(["--tor-config".into(), self.arg("torrc")]);
        args.extend(extra.iter().map(|&arg| arg.to_owned()));
        args
    }

    fn base_args(&self) -> Vec<String> {
        ["--onion", "-p", "0", "-d"]
            .map(String::from)
            .into_iter()
            .chain([self.arg("served")])
            .collect()
    }
}

/// A running `hftp-server --onion`, its startup line parsed, its
/// stderr's lines coming through a channel.
struct OnionServer {
    child: Child,
    announced: String,
    local: std::net::SocketAddr,
    onion: String,
    stderr: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl OnionServer {
    fn start(args: &[String]) -> Self {
        Self::start_in(&[], args, ", published as ")
    }

    /// [`start`](Self::start) with `vars` set; `published` is how the
    /// startup line introduces the onion's address in their language.
    fn start_in(vars: &[(&str, &str)], args: &[String], published: &str) -> Self {
        let mut child = crate::common::server()
            .envs(vars.iter().copied())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stderr = lines_of(child.stderr.take().expect("its stderr"));
        let mut announced = String::new();
        BufReader::new(child.stdout.take().expect("its stdout"))
            .read_line(&mut announced)
            .expect("the startup line");
        let mut server = Self {
            child,
            announced: announced.trim_end().to_owned(),
            local: "0.0.0.0:0".parse().expect("an address"),
            onion: String::new(),
            stderr,
            seen: Vec::new(),
        };
        let Some((head, published)) = server.announced.split_once(published) else {
            let said = server.rest_of_stderr();
            panic!("no onion in {:?}; stderr: {said:?}", server.announced);
        };
        server.local = head
            .rsplit(' ')
            .next()
            .and_then(|addr| addr.parse().ok())
            .unwrap_or_else(|| panic!("no address in {head:?}"));
        server.onion = published.to_owned();
        server
    }

    /// The onion's name, without `.onion:PORT`.
    fn service_id(&self) -> &str {
        let (name, port) = self.onion.split_once(".onion:").expect("NAME.onion:PORT");
        assert!(port.parse::<u16>().is_ok(), "{}", self.onion);
        name
    }

    /// Waits for a line of stderr holding `needle`; returns it.
    fn wait_for_log(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + HANG;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => panic!("no log line with {needle:?}; seen: {:#?}", self.seen),
            }
        }
    }

    fn signal(&self, signal: Signal) {
        let pid = Pid::from_child(&self.child);
        rustix::process::kill_process(pid, signal).expect("the signal is sent");
    }

    /// Waits for the exit; its code.
    fn wait(&mut self) -> Option<i32> {
        wait_bounded(&mut self.child)
    }

    /// Everything the server printed on stderr from now to its exit.
    fn rest_of_stderr(&mut self) -> Vec<String> {
        let rest: Vec<String> = self.stderr.iter().collect();
        self.seen.extend(rest.iter().cloned());
        rest
    }
}

impl Drop for OnionServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits, within [`HANG`], for `child` to exit; its code.
fn wait_bounded(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + HANG;
    loop {
        if let Some(status) = child.try_wait().expect("its status") {
            return status.code();
        }
        assert!(Instant::now() < deadline, "the process did not exit");
        thread::sleep(Duration::from_millis(5));
    }
}

/// The lines `source` gives, through a channel, read on a thread.
fn lines_of(source: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(source).lines() {
            let Ok(line) = line else { return };
            if sender.send(line).is_err() {
                return;
            }
        }
    });
    receiver
}

/// Runs the server to its end; its exit code and stderr's lines.
fn run_to_end(args: &[String], path: Option<&Path>) -> (Option<i32>, Vec<String>) {
    let mut command = crate::common::server();
    command.args(args).stdin(Stdio::null());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = assert_cmd::Command::from_std(command)
        .timeout(HANG)
        .output()
        .expect("the server runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    (
        output.status.code(),
        stderr.lines().map(str::to_owned).collect(),
    )
}

/// Asserts a failure, exit 1, of exactly one line on stderr that holds
/// `needle`.
fn assert_one_line_failure(args: &[String], path: Option<&Path>, needle: &str) {
    let (code, lines) = run_to_end(args, path);
    assert_eq!(code, Some(1), "{args:?}: {lines:#?}");
    assert_eq!(lines.len(), 1, "{args:?}: {lines:#?}");
    assert!(
        lines[0].starts_with("hftp-server: ") && lines[0].contains(needle),
        "{lines:#?}"
    );
}

/// A tor the test starts: control port on a free loopback port and on a
/// Unix socket, cookie authentication, no network. Killed on drop.
struct TestTor {
    child: Child,
    dir: tempfile::TempDir,
    control: String,
}

impl TestTor {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("a data directory");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).expect("0700");
        let empty = dir.path().join("empty-torrc");
        fs::write(&empty, "").expect("an empty torrc");
        let port_file = dir.path().join("control-port");
        let mut child = Command::new("tor")
            .arg("-f")
            .arg(&empty)
            .arg("--defaults-torrc")
            .arg(&empty)
            .arg("--DataDirectory")
            .arg(dir.path().join("data"))
            .args(["--SocksPort", "0", "--ControlPort", "127.0.0.1:auto"])
            .arg("+ControlPort")
            .arg(format!("unix:{}", dir.path().join("control").display()))
            .arg("--ControlPortWriteToFile")
            .arg(&port_file)
            .args(["--CookieAuthentication", "1", "--DisableNetwork", "1"])
            .args(["__OwningControllerProcess", &std::process::id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tor starts");
        let deadline = Instant::now() + HANG;
        let control = loop {
            let text = fs::read_to_string(&port_file).unwrap_or_default();
            if let Some(addr) = text.lines().find_map(|line| line.strip_prefix("PORT=")) {
                break addr.to_owned();
            }
            assert!(
                child.try_wait().expect("its status").is_none(),
                "tor exited while starting"
            );
            assert!(Instant::now() < deadline, "tor opened no control port");
            thread::sleep(Duration::from_millis(10));
        };
        Self {
            child,
            dir,
            control,
        }
    }

    fn addr(&self) -> ControlAddr {
        ControlAddr::Tcp(self.control.clone())
    }

    /// Its control port's Unix socket.
    fn unix_socket(&self) -> PathBuf {
        self.dir.path().join("control")
    }

    fn cookie(&self) -> PathBuf {
        self.dir.path().join("data/control_auth_cookie")
    }

    /// A control connection authenticated with SAFECOOKIE.
    fn control(&self) -> ControlPort {
        let mut control = ControlPort::connect(&self.addr(), HANG).expect("connected");
        let info = control.protocol_info().expect("PROTOCOLINFO");
        control
            .authenticate(AuthMethod::SafeCookie, info.cookie_file.as_deref())
            .expect("authenticated");
        control
    }
}

impl Drop for TestTor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn its_own_tor_publishes_a_v3_onion_and_goes_with_the_server() {
    if !tor_installed() {
        return;
    }
    let scene = Scene::new();
    let mut server = OnionServer::start(&scene.own_tor_args(&["-v"]));
    let served = fs::canonicalize(scene.path("served")).expect("its real path");
    let head = format!(
        "hftp-server {} serving {} on 127.0.0.1:",
        env!("CARGO_PKG_VERSION"),
        served.display()
    );
    assert!(server.announced.starts_with(&head), "{}", server.announced);
    assert!(server.onion.ends_with(".onion:19500"), "{}", server.onion);
    assert!(is_service_id(server.service_id()), "{}", server.onion);
    assert_eq!(server.service_id().len(), 56);
    // The directory is served on the loopback address announced.
    assert!(server.local.ip().is_loopback());
    let mut client = Client::connect(server.local);
    assert_eq!(
        client.ask(&Request::FileListing),
        Reply::Names(vec!["hola.txt".into()])
    );
    drop(client);
    // The log says which tor, and where its private directory is.
    let started = server.wait_for_log("started tor (pid ");
    let data_dir = started
        .rsplit(" with data directory ")
        .next()
        .expect("the directory");
    assert!(Path::new(data_dir).is_dir(), "{started}");
    let through = server.wait_for_log("published through a tor of its own (pid ");
    assert!(through.contains(server.service_id()), "{through}");
    server.wait_for_log("no cap per address");
    server.signal(Signal::TERM);
    assert_eq!(server.wait(), Some(0));
    let rest = server.rest_of_stderr().join("\n");
    assert!(
        rest.contains("removed") && rest.contains("tor stopped"),
        "{rest}"
    );
    assert!(!Path::new(data_dir).exists(), "{data_dir} is left behind");
}

#[test]
fn an_onion_key_file_keeps_the_address_and_is_0600() {
    if !tor_installed() {
        return;
    }
    let scene = Scene::new();
    let key = scene.arg("onion.key");
    let args = scene.own_tor_args(&["--onion-key", &key, "--onion-port", "80"]);
    let mut first = OnionServer::start(&args);
    assert!(first.onion.ends_with(".onion:80"), "{}", first.onion);
    first.signal(Signal::INT);
    assert_eq!(first.wait(), Some(0));
    let mode = fs::metadata(&key)
        .expect("the key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let text = fs::read_to_string(&key).expect("the key");
    assert!(OnionKey::parse(&text).is_ok(), "{text:?}");
    let mut second = OnionServer::start(&args);
    assert_eq!(second.onion, first.onion);
    assert_ne!(second.local, first.local);
    second.signal(Signal::TERM);
    assert_eq!(second.wait(), Some(0));
    assert_eq!(fs::read_to_string(&key).expect("the key"), text);
}

#[test]
fn a_running_tor_holds_the_service_while_the_server_runs() {
    if !tor_installed() {
        return;
    }
    let tor = TestTor::start();
    let scene = Scene::new();
    let key = scene.arg("onion.key");
    let mut args = scene.base_args();
    args.extend(["--tor-control".into(), tor.control.clone()]);
    args.extend(["--onion-key".into(), key.clone()]);
    let mut server = OnionServer::start(&args);
    let through = server.wait_for_log("published through the running tor at ");
    assert!(through.contains(&tor.control), "{through}");
    let key = OnionKey::load(Path::new(&key))
        .expect("readable")
        .expect("the key was saved");
    // The service is in tor: the same key is refused as a collision.
    let mut control = tor.control();
    let target = "127.0.0.1:9".parse().expect("an address");
    match control.add_onion(KeyRequest::Saved(&key), 19500, target) {
        Err(ControlError::Refused { command, reply }) => {
            assert_eq!(command, "ADD_ONION");
            assert!(reply.starts_with("550 "), "{reply}");
        }
        other => panic!("the service is not in tor: {other:?}"),
    }
    server.signal(Signal::TERM);
    assert_eq!(server.wait(), Some(0));
    let rest = server.rest_of_stderr().join("\n");
    assert!(rest.contains("removed"), "{rest}");
    // Gone from tor: the key can be added again, with the same name.
    let added = control
        .add_onion(KeyRequest::Saved(&key), 19500, target)
        .expect("the key is free again");
    assert_eq!(added.service_id, server.service_id());
    assert!(added.private_key.is_none());
    // Only this connection's own service is listed as its own.
    assert_eq!(
        control.get_info("onions/current").expect("GETINFO"),
        server.service_id()
    );
    control.del_onion(&added.service_id).expect("DEL_ONION");
    assert_eq!(control.get_info("onions/current").expect("GETINFO"), "");
}

#[test]
fn the_onion_service_speaks_spanish_to_a_spanish_operator() {
    let scene = Scene::new();
    let spanish = [("LANG", "es_AR.UTF-8")];
    let empty = scene.path("empty-bin");
    fs::create_dir(&empty).expect("an empty directory");
    let fails_with = |args: &[String], path: Option<&Path>| {
        let mut command = crate::common::server();
        command.envs(spanish).args(args).stdin(Stdio::null());
        if let Some(path) = path {
            command.env("PATH", path);
        }
        let output = assert_cmd::Command::from_std(command)
            .timeout(HANG)
            .output()
            .expect("the server runs");
        assert_eq!(output.status.code(), Some(1));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert_eq!(
        fails_with(&scene.own_tor_args(&[]), Some(&empty)),
        "hftp-server: no hay `tor` en el PATH\n"
    );
    let key = scene.path("bad.key");
    fs::write(&key, "ED25519-V3:nonsense\n").expect("a bad key");
    fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).expect("0600");
    assert_eq!(
        fails_with(
            &scene.own_tor_args(&["--onion-key", &scene.arg("bad.key")]),
            None
        ),
        format!(
            "hftp-server: archivo de clave onion {}: no es una clave onion (se espera una línea \
             `ED25519-V3:` y 88 caracteres en base64)\n",
            key.display()
        )
    );
    if !tor_installed() {
        return;
    }
    let tor = TestTor::start();
    let mut args = scene.base_args();
    args.extend(["--tor-control".into(), tor.control.clone()]);
    let mut server = OnionServer::start_in(&spanish, &args, ", publicado como ");
    let served = fs::canonicalize(scene.path("served")).expect("its real path");
    let head = format!(
        "hftp-server {} sirviendo {} en 127.0.0.1:",
        env!("CARGO_PKG_VERSION"),
        served.display()
    );
    assert!(server.announced.starts_with(&head), "{}", server.announced);
    assert!(server.onion.ends_with(".onion:19500"), "{}", server.onion);
    let through = server.wait_for_log("publicado a través del tor que ya corre en ");
    assert!(through.contains(&tor.control), "{through}");
    server.wait_for_log("todos los clientes llegan desde la dirección de tor");
    server.signal(Signal::TERM);
    assert_eq!(server.wait(), Some(0));
    let rest = server.rest_of_stderr().join("\n");
    assert!(
        rest.contains(" eliminado") && rest.contains("detenido"),
        "{rest}"
    );
}

#[test]
fn a_running_tor_through_its_unix_socket() {
    if !tor_installed() {
        return;
    }
    let tor = TestTor::start();
    let scene = Scene::new();
    let socket = tor.unix_socket();
    let mut args = scene.base_args();
    args.extend(["--tor-control".into(), socket.display().to_string()]);
    let mut server = OnionServer::start(&args);
    let through = server.wait_for_log("published through the running tor at unix:");
    assert!(through.contains(&socket.display().to_string()), "{through}");
    assert!(is_service_id(server.service_id()), "{}", server.onion);
    server.signal(Signal::TERM);
    assert_eq!(server.wait(), Some(0));
    assert!(server.rest_of_stderr().join("\n").contains("removed"));
}

#[test]
fn the_server_stops_with_one_line_when_its_tor_dies() {
    if !tor_installed() {
        return;
    }
    let mut tor = TestTor::start();
    let scene = Scene::new();
    let mut args = scene.base_args();
    args.extend(["--tor-control".into(), tor.control.clone()]);
    let mut server = OnionServer::start(&args);
    server.wait_for_log("published through the running tor");
    tor.child.kill().expect("tor is killed");
    assert_eq!(server.wait(), Some(1));
    let rest = server.rest_of_stderr();
    let last = rest.last().expect("a last line");
    assert_eq!(
        last,
        "hftp-server: tor closed the control connection while the server ran: the onion service was gone"
    );
}

#[test]
fn safecookie_and_cookie_authenticate_to_a_real_tor() {
    if !tor_installed() {
        return;
    }
    let tor = TestTor::start();
    let mut control = ControlPort::connect(&tor.addr(), HANG).expect("connected");
    let info = control.protocol_info().expect("PROTOCOLINFO");
    assert!(
        info.methods.contains(&"SAFECOOKIE".to_owned()) && info.methods.contains(&"COOKIE".into()),
        "{info:?}"
    );
    assert_eq!(
        fs::canonicalize(info.cookie_file.as_deref().expect("a cookie file")).expect("it exists"),
        fs::canonicalize(tor.cookie()).expect("it exists")
    );
    assert!(
        info.version.as_deref().is_some_and(|v| v.starts_with("0.")),
        "{info:?}"
    );
    assert_eq!(
        info.best_method().expect("a method"),
        AuthMethod::SafeCookie
    );
    control
        .authenticate(AuthMethod::SafeCookie, Some(&tor.cookie()))
        .expect("SAFECOOKIE");
    assert!(!control.get_info("version").expect("GETINFO").is_empty());
    // Plain COOKIE too.
    let mut control = ControlPort::connect(&tor.addr(), HANG).expect("connected");
    control.protocol_info().expect("PROTOCOLINFO");
    control
        .authenticate(AuthMethod::Cookie, Some(&tor.cookie()))
        .expect("COOKIE");
    // A new key comes back when asked for; a second DEL_ONION is refused.
    let target = "127.0.0.1:9".parse().expect("an address");
    let added = control
        .add_onion(KeyRequest::NewKept, 80, target)
        .expect("ADD_ONION");
    assert!(is_service_id(&added.service_id));
    assert!(added.private_key.is_some());
    control.del_onion(&added.service_id).expect("DEL_ONION");
    assert!(matches!(
        control.del_onion(&added.service_id),
        Err(ControlError::Refused {
            command: "DEL_ONION",
            ..
        })
    ));
    // A cookie that is not tor's: SAFECOOKIE sees it before sending
    // anything; COOKIE is refused by tor.
    let scene = Scene::new();
    let wrong = scene.path("wrong-cookie");
    fs::write(&wrong, [7; 32]).expect("a wrong cookie");
    let mut control = ControlPort::connect(&tor.addr(), HANG).expect("connected");
    control.protocol_info().expect("PROTOCOLINFO");
    assert!(matches!(
        control.authenticate(AuthMethod::SafeCookie, Some(&wrong)),
        Err(ControlError::ServerHash { .. })
    ));
    let mut control = ControlPort::connect(&tor.addr(), HANG).expect("connected");
    control.protocol_info().expect("PROTOCOLINFO");
    assert!(matches!(
        control.authenticate(AuthMethod::Cookie, Some(&wrong)),
        Err(ControlError::Refused {
            command: "AUTHENTICATE",
            ..
        })
    ));
    fs::write(&wrong, [7; 31]).expect("a short cookie");
    let mut control = ControlPort::connect(&tor.addr(), HANG).expect("connected");
    control.protocol_info().expect("PROTOCOLINFO");
    assert!(matches!(
        control.authenticate(AuthMethod::SafeCookie, Some(&wrong)),
        Err(ControlError::CookieLength { .. })
    ));
}

#[test]
fn failures_are_one_line_and_exit_1() {
    let scene = Scene::new();
    // Not on loopback: a usage error.
    let mut args = scene.own_tor_args(&["-a", "0.0.0.0"]);
    let (code, lines) = run_to_end(&args, None);
    assert_eq!(code, Some(2), "{lines:#?}");
    assert_eq!(
        lines,
        [
            "hftp-server: --onion listens on loopback only, not on 0.0.0.0: drop -a, or give 127.0.0.1 or ::1"
        ]
    );
    // No tor to start.
    let empty = scene.path("empty-bin");
    fs::create_dir(&empty).expect("an empty directory");
    args = scene.own_tor_args(&[]);
    assert_one_line_failure(&args, Some(&empty), "hftp-server: no `tor` on PATH");
    // A key file that holds no key.
    let key = scene.path("bad.key");
    fs::write(&key, "ED25519-V3:nonsense\n").expect("a bad key");
    fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).expect("0600");
    args = scene.own_tor_args(&["--onion-key", &scene.arg("bad.key")]);
    assert_one_line_failure(&args, None, "bad.key: not an onion key");
    if !tor_installed() {
        return;
    }
    // Tor refuses the extra torrc.
    fs::write(scene.path("torrc"), "DisableNetwork 1\nNoSuchOption 1\n").expect("a torrc");
    args = scene.own_tor_args(&[]);
    assert_one_line_failure(
        &args,
        None,
        "tor exited while starting (exit status: 1): [warn] Failed to parse/validate config: Unknown option 'NoSuchOption'",
    );
    // A running tor refuses a cookie that is not its own.
    let tor = TestTor::start();
    fs::write(scene.path("wrong-cookie"), [7; 32]).expect("a wrong cookie");
    args = scene.base_args();
    args.extend(["--tor-control".into(), tor.control.clone()]);
    args.extend(["--tor-cookie".into(), scene.arg("wrong-cookie")]);
    assert_one_line_failure(
        &args,
        None,
        "SAFECOOKIE answer does not match the cookie in",
    );
    // Nothing listens at the control port named.
    drop(tor);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    args = scene.base_args();
    args.extend(["--tor-control".into(), port.to_string()]);
    assert_one_line_failure(
        &args,
        None,
        "cannot connect to tor's control port at 127.0.0.1:",
    );
}
