//! `hftp` through SOCKS5 proxies: a real one (microsocks), torsocks
//! wrapping the command, scripted proxies that misbehave, and a system
//! resolver that fails loudly if a `.onion` name ever reaches it.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{HFTP_BIN, Served, clean_command, data, hftp, ran};

const HOLA: &[u8] = b"Que calor que hace hoy, pinocho!\n";
const ONION: &str = "hftpexampleaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad.onion";

/// True when `tool` is on PATH; without it the test is skipped, loudly,
/// unless `HFTP_REQUIRE_PROXY_TOOLS=1` (as CI sets) makes it a failure.
fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        let required = std::env::var_os("HFTP_REQUIRE_PROXY_TOOLS").is_some_and(|v| v == "1");
        assert!(
            !required,
            "HFTP_REQUIRE_PROXY_TOOLS=1, but no {tool} on PATH"
        );
        eprintln!("skipped: no {tool} on PATH (apt-get install {tool})");
    }
    found
}

/// A free port on 127.0.0.1 (for a program that cannot be told port 0).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local address").port()
}

/// True once something accepts connections on `port`, within 5 s.
fn listening(port: u16) -> bool {
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    false
}

/// A real SOCKS5 server, microsocks, on 127.0.0.1; killed when dropped.
struct Microsocks {
    child: Child,
    port: u16,
    login: Option<(&'static str, &'static str)>,
}

impl Microsocks {
    /// Starts one on a free port; `None` when microsocks is missing.
    fn start(login: Option<(&'static str, &'static str)>) -> Option<Self> {
        have("microsocks").then(|| Self::on(free_port(), login))
    }

    /// Starts one on `port`.
    fn on(port: u16, login: Option<(&'static str, &'static str)>) -> Self {
        let mut command = Command::new("microsocks");
        command.args(["-i", "127.0.0.1", "-p", &port.to_string()]);
        if let Some((user, password)) = login {
            command.args(["-u", user, "-P", password]);
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("microsocks starts");
        assert!(listening(port), "microsocks listens on {port}");
        Self { child, port, login }
    }

    /// `socks5h://[alice:secret@]127.0.0.1:PORT`.
    fn url(&self) -> String {
        self.url_as("socks5h")
    }

    fn url_as(&self, scheme: &str) -> String {
        let login = self
            .login
            .map(|(user, password)| format!("{user}:{password}@"))
            .unwrap_or_default();
        format!("{scheme}://{login}127.0.0.1:{}", self.port)
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Microsocks {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A SOCKS5 proxy scripted in the test: it takes no authentication,
/// records the host each CONNECT names, and carries every connection
/// to one upstream server, as Tor carries a `.onion` name to its service.
struct Relay {
    addr: SocketAddr,
    names: mpsc::Receiver<String>,
}

impl Relay {
    fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("local address");
        let (seen, names) = mpsc::channel();
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let seen = seen.clone();
                thread::spawn(move || relay(client, upstream, &seen));
            }
        });
        Self { addr, names }
    }

    /// The hosts asked for so far.
    fn names(&self) -> Vec<String> {
        self.names.try_iter().collect()
    }
}

/// One relayed connection: the handshake, then bytes both ways.
fn relay(mut client: TcpStream, upstream: SocketAddr, seen: &mpsc::Sender<String>) {
    let mut greeting = [0; 2];
    let Ok(()) = client.read_exact(&mut greeting) else {
        return;
    };
    let mut methods = vec![0; usize::from(greeting[1])];
    let Ok(()) = client.read_exact(&mut methods) else {
        return;
    };
    let _ = client.write_all(&[5, 0]);
    let mut head = [0; 4];
    let Ok(()) = client.read_exact(&mut head) else {
        return;
    };
    let host = match head[3] {
        3 => {
            let mut len = [0; 1];
            let Ok(()) = client.read_exact(&mut len) else {
                return;
            };
            let mut name = vec![0; usize::from(len[0])];
            let Ok(()) = client.read_exact(&mut name) else {
                return;
            };
            String::from_utf8_lossy(&name).into_owned()
        }
        1 => {
            let mut ip = [0; 4];
            let Ok(()) = client.read_exact(&mut ip) else {
                return;
            };
            std::net::Ipv4Addr::from(ip).to_string()
        }
        _ => return,
    };
    let mut port = [0; 2];
    let Ok(()) = client.read_exact(&mut port) else {
        return;
    };
    let _ = seen.send(host);
    let Ok(server) = TcpStream::connect(upstream) else {
        let _ = client.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]);
        return;
    };
    let _ = client.write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    let (mut up_read, mut client_write) = (
        server.try_clone().expect("clone"),
        client.try_clone().expect("clone"),
    );
    let (mut client_read, mut up_write) = (client, server);
    let back = thread::spawn(move || {
        let _ = std::io::copy(&mut up_read, &mut client_write);
        let _ = client_write.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut client_read, &mut up_write);
    let _ = up_write.shutdown(Shutdown::Write);
    let _ = back.join();
}

/// A proxy that answers every connection with `reply`, then holds it
/// until the client leaves (`hang`) or closes it: a broken or hostile
/// proxy.
fn scripted_proxy(reply: &'static [u8], hang: bool) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("local address");
    thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            thread::spawn(move || {
                let mut greeting = [0; 3];
                let _ = client.read(&mut greeting);
                let _ = client.write_all(reply);
                if !hang {
                    let _ = client.shutdown(Shutdown::Write);
                }
                // Reads what the client sends until it leaves, so that
                // nothing unread turns the close into a reset.
                let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
                while client.read(&mut [0; 512]).is_ok_and(|n| n > 0) {}
            });
        }
    });
    addr
}

fn served() -> (Served, Vec<u8>) {
    let big = data(5 << 20);
    (Served::new(&[("hola.txt", HOLA), ("big.bin", &big)]), big)
}

#[test]
fn every_command_goes_through_a_real_socks5_server_byte_exact() {
    let Some(proxy) = Microsocks::start(None) else {
        return;
    };
    let (served, big) = served();
    let port = served.server.local_addr().port();
    // A name the proxy resolves, and an address resolved here.
    for (url, server) in [
        (proxy.url(), format!("localhost:{port}")),
        (proxy.url_as("socks5"), format!("localhost:{port}")),
        (proxy.url(), served.addr()),
    ] {
        let via = |args: &[&str]| ran(hftp(&server).arg("--proxy").arg(&url).args(args));
        assert_eq!(via(&["ls"]).expect_code(0).text(), "big.bin\nhola.txt\n");
        assert_eq!(
            via(&["stat", "hola.txt"]).expect_code(0).text(),
            "33 hola.txt\n"
        );
        for extra in [&[][..], &["--base64"]] {
            let out = via(&[&["get", "big.bin", "-o", "-"], extra].concat());
            assert!(
                out.expect_code(0).stdout == big,
                "{url} {extra:?}: bytes differ"
            );
        }
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("big.bin");
        let path = path.to_str().expect("a UTF-8 path");
        via(&["get", "big.bin", "-o", path, "--parallel", "4"]).expect_code(0);
        assert!(
            std::fs::read(path).expect("the file") == big,
            "{url} --parallel: bytes differ"
        );
    }
}

#[test]
fn the_checker_and_the_load_generator_go_through_the_proxy() {
    let Some(mut proxy) = Microsocks::start(None) else {
        return;
    };
    let (served, _) = served();
    let out = ran(hftp(&served.addr()).args([
        "--proxy",
        &proxy.url(),
        "check",
        "--only",
        "0.*,4.*",
        "--json",
    ]));
    out.expect_code(0);
    let json = crate::common::json_objects(&out.text());
    assert!(json.len() > 3, "{}", out.text());
    let out = ran(hftp(&served.addr()).args([
        "--proxy",
        &proxy.url(),
        "bench",
        "meta",
        "hola.txt",
        "--requests",
        "200",
    ]));
    out.expect_code(0);
    // With the proxy gone, neither reaches the server any more: they
    // really went through it.
    proxy.kill();
    ran(hftp(&served.addr()).args(["--proxy", &proxy.url(), "check", "--only", "0.*"]))
        .expect_code(2);
    let out =
        ran(hftp(&served.addr()).args(["--proxy", &proxy.url(), "bench", "meta", "hola.txt"]));
    assert_ne!(out.code, Some(0));
    assert!(
        out.stderr.contains("the proxy does not answer"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_login_is_given_and_a_wrong_one_is_said() {
    let Some(proxy) = Microsocks::start(Some(("alice", "s3cret"))) else {
        return;
    };
    let (served, _) = served();
    ran(hftp(&served.addr()).args(["--proxy", &proxy.url(), "ls"])).expect_code(0);
    let bare = format!("socks5h://127.0.0.1:{}", proxy.port);
    ran(hftp(&served.addr()).args(["--proxy", &bare, "ls"]))
        .expect_code(10)
        .one_error_line("it requires authentication: give user:password@ in the proxy URL");
    let wrong = format!("socks5h://alice:wrong@127.0.0.1:{}", proxy.port);
    let out = ran(hftp(&served.addr()).args(["--proxy", &wrong, "ls"]));
    out.expect_code(10);
    // microsocks answers a wrong login by closing, or with a status.
    assert!(
        out.stderr.contains("refused the user name and password")
            || out
                .stderr
                .contains("closed the connection during the handshake"),
        "{}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("wrong"),
        "the password is never shown: {}",
        out.stderr
    );
}

#[test]
fn a_refused_upstream_port_is_the_servers_not_the_proxys() {
    let Some(proxy) = Microsocks::start(None) else {
        return;
    };
    let closed = free_port();
    ran(hftp(&format!("127.0.0.1:{closed}")).args(["--proxy", &proxy.url(), "ls"]))
        .expect_code(3)
        .one_error_line("connection refused by the server (SOCKS reply 0x05)");
}

#[test]
fn a_proxy_killed_mid_download_is_gone_through_again_on_retry() {
    let Some(mut proxy) = Microsocks::start(None) else {
        return;
    };
    let big = data(64 << 20);
    let served = Served::new(&[("big.bin", &big)]);
    let mut child = clean_command(HFTP_BIN)
        .args([
            "-s",
            &served.addr(),
            "--proxy",
            &proxy.url(),
            "--no-progress",
        ])
        .args(["get", "big.bin", "-o", "-", "--retry", "20"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hftp starts");
    let mut stdout = child.stdout.take().expect("stdout");
    // The download has begun; hftp now waits on this pipe, the proxy's
    // buffers fill, and the proxy dies with the rest of the file in it.
    let mut got = vec![0; 1 << 20];
    stdout.read_exact(&mut got).expect("the first MiB");
    let port = proxy.port;
    proxy.kill();
    let _again = Microsocks::on(port, None);
    stdout.read_to_end(&mut got).expect("the rest");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    assert!(child.wait().expect("hftp ends").success(), "{stderr}");
    assert!(
        got == big,
        "the bytes differ ({} of {})",
        got.len(),
        big.len()
    );
    assert!(stderr.contains("retrying"), "it retried: {stderr}");
}

#[test]
fn torsocks_carries_hftp_and_its_onion_name() {
    if !have("torsocks") {
        return;
    }
    let (served, big) = served();
    let relay = Relay::start(served.server.local_addr());
    let conf = tempfile::NamedTempFile::new().expect("a torsocks.conf");
    std::fs::write(
        conf.path(),
        format!(
            "TorAddress 127.0.0.1\nTorPort {}\nOnionAddrRange 127.42.42.0/24\n",
            relay.addr.port()
        ),
    )
    .expect("write torsocks.conf");
    let torsocks = |args: &[&str]| {
        let mut command = assert_cmd::Command::from_std(clean_command("torsocks"));
        command
            .env("TORSOCKS_CONF_FILE", conf.path())
            .arg(HFTP_BIN)
            .args(["-s", &format!("{ONION}:19500")])
            .args(args)
            .timeout(Duration::from_secs(60));
        ran(&mut command)
    };
    assert_eq!(
        torsocks(&["ls"]).expect_code(0).text(),
        "big.bin\nhola.txt\n"
    );
    let out = torsocks(&["get", "big.bin", "-o", "-"]);
    assert!(out.expect_code(0).stdout == big, "the bytes differ");
    let names = relay.names();
    assert!(
        names.len() >= 2 && names.iter().all(|name| name == ONION),
        "torsocks sent the onion name to the proxy: {names:?}"
    );
}

/// The resolver trap, built once per test that needs it.
fn resolver_trap(dir: &Path) -> PathBuf {
    let library = dir.join("libresolvertrap.so");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/proxy/resolver_trap.c");
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&library)
        .arg(source)
        .arg("-ldl")
        .status()
        .expect("cc runs");
    assert!(status.success(), "the resolver trap builds");
    library
}

#[test]
fn an_onion_name_never_reaches_the_system_resolver() {
    let dir = tempfile::tempdir().expect("a directory");
    let trap = resolver_trap(dir.path());
    let log = dir.path().join("asked");
    let (served, _) = served();
    let relay = Relay::start(served.server.local_addr());
    let trapped = |server: &str, args: &[&str]| {
        ran(hftp(server)
            .env("LD_PRELOAD", &trap)
            .env("RESOLVER_TRAP_LOG", &log)
            .args(args))
    };
    // The trap works: a .trap name reaching the resolver aborts hftp.
    let out = trapped("canary.trap:19500", &["ls"]);
    assert_ne!(out.code, Some(0));
    assert_eq!(
        std::fs::read_to_string(&log).expect("the canary"),
        "canary.trap\n"
    );
    std::fs::remove_file(&log).expect("reset");
    let onion = format!("{ONION}:19500");
    // No proxy, or one that resolves names here: refused, unresolved.
    for args in [
        &["ls"][..],
        &["get", "big.bin", "-o", "-"],
        &["check", "--only", "0.*"],
        &["bench", "meta", "hola.txt"],
        &["--proxy", "socks5://127.0.0.1:1", "ls"],
    ] {
        trapped(&onion, args)
            .expect_code(2)
            .one_error_line("is an onion address");
    }
    // A name the proxy bypasses is refused too, never resolved.
    trapped(
        &onion,
        &[
            "--proxy",
            "socks5h://127.0.0.1:1",
            "--noproxy",
            ".onion",
            "ls",
        ],
    )
    .expect_code(2);
    // Through a socks5h proxy the name goes to the proxy, as it is.
    let proxy = format!("socks5h://{}", relay.addr);
    let out = trapped(&onion, &["--proxy", &proxy, "ls"]);
    assert_eq!(out.expect_code(0).text(), "big.bin\nhola.txt\n");
    assert_eq!(relay.names(), [ONION]);
    assert!(
        !log.exists(),
        "the resolver was asked for {:?}",
        std::fs::read_to_string(&log)
    );
}

#[test]
fn broken_and_hostile_proxies_get_one_clear_line_never_a_hang() {
    let (served, _) = served();
    for (reply, exit, says) in [
        (
            &b"HTTP/1.1 400 Bad Request\r\n\r\n"[..],
            10,
            "it speaks HTTP, not SOCKS5",
        ),
        (&[4, 0x5a], 10, "SOCKS version 4"),
        (&[5, 0xFF], 10, "it requires authentication"),
        (
            &[5, 0, 5, 1, 0, 1, 0, 0, 0, 0, 0, 0],
            3,
            "general failure (SOCKS reply 0x01)",
        ),
        (&[5, 0, 5, 2], 3, "not allowed by its rules"),
        (&[5, 0, 5, 3], 3, "network unreachable"),
        (&[5, 0, 5, 4], 3, "host unreachable"),
        (&[5, 0, 5, 6], 3, "TTL expired"),
        (&[5, 0, 5, 0xF0], 3, "nobody publishes this address (yet)"),
        (&[5, 0, 5, 0xF6], 3, "invalid onion address"),
        (&[5, 0, 5, 0, 0, 9], 10, "malformed"),
        (&[5], 10, "closed the connection during the handshake"),
    ] {
        let proxy = format!("socks5h://{}", scripted_proxy(reply, false));
        ran(hftp(&served.addr()).args(["--proxy", &proxy, "ls"]))
            .expect_code(exit)
            .one_error_line(says)
            .one_error_line(&proxy);
    }
    // A proxy that never finishes its reply is bounded by --connect-timeout.
    let proxy = format!(
        "socks5h://{}",
        scripted_proxy(&[5, 0, 5, 0, 0, 3, 255, b'x'], true)
    );
    ran(hftp(&served.addr()).args(["--proxy", &proxy, "--connect-timeout", "1", "ls"]))
        .expect_code(3)
        .one_error_line("did not complete the handshake within 1.0 s");
}

#[test]
fn an_onion_that_nobody_publishes_yet_is_retried_a_malformed_one_is_not() {
    let (served, _) = served();
    for (reply, retried) in [(&[5, 0, 5, 0xF0][..], true), (&[5, 0, 5, 0xF6], false)] {
        let proxy = format!("socks5h://{}", scripted_proxy(reply, false));
        let out = ran(hftp(&served.addr()).args([
            "--proxy", &proxy, "get", "big.bin", "-o", "-", "--retry", "2",
        ]));
        out.expect_code(3);
        assert_eq!(out.stderr.contains("retrying"), retried, "{}", out.stderr);
    }
}

#[test]
fn the_environment_names_the_proxy_as_curl_reads_it() {
    let Some(proxy) = Microsocks::start(None) else {
        return;
    };
    let (served, _) = served();
    let dead = "socks5h://127.0.0.1:1";
    let ls = |vars: &[(&str, &str)]| {
        let mut command = hftp(&served.addr());
        for (name, value) in vars {
            command.env(name, value);
        }
        ran(command.arg("ls"))
    };
    ls(&[("ALL_PROXY", &proxy.url())]).expect_code(0);
    ls(&[("all_proxy", &proxy.url()), ("ALL_PROXY", dead)]).expect_code(0);
    ls(&[("HFTP_PROXY", &proxy.url()), ("all_proxy", dead)]).expect_code(0);
    ls(&[("HFTP_PROXY", dead)])
        .expect_code(10)
        .one_error_line(dead);
    ls(&[("HFTP_PROXY", dead), ("NO_PROXY", "127.0.0.0/8")]).expect_code(0);
    ls(&[("HFTP_PROXY", dead), ("no_proxy", "*")]).expect_code(0);
    ls(&[("ALL_PROXY", "http://proxy:3128")])
        .expect_code(2)
        .one_error_line("ALL_PROXY: invalid proxy");
    // The options win over the environment.
    ran(hftp(&served.addr())
        .env("HFTP_PROXY", dead)
        .args(["--proxy", "", "ls"]))
    .expect_code(0);
    ran(hftp(&served.addr())
        .env("HFTP_PROXY", dead)
        .args(["--noproxy", "*", "ls"]))
    .expect_code(0);
}
