//! The PROXY protocol over real sockets: the client a header names is the
//! one the per-address cap and the logs see; connections from addresses
//! not named, without a header, or with half of one are closed.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::process::Stdio;
use std::time::Duration;

use crate::common::{Client, Reply, metadata, serve_with};
use hftp_proto::{Code, Request};

use hftp_server::Network;

/// A v1 header for a TCP connection from `source` to 127.0.0.1:19500.
fn v1(source: SocketAddr) -> Vec<u8> {
    let family = if source.is_ipv4() { "TCP4" } else { "TCP6" };
    let destination = if source.is_ipv4() { "127.0.0.1" } else { "::1" };
    format!(
        "PROXY {family} {} {destination} {} 19500\r\n",
        source.ip(),
        source.port()
    )
    .into_bytes()
}

/// A v2 `PROXY` header for a TCP connection from an IPv4 `source` to
/// 127.0.0.1:19500, with a TLV after the addresses.
fn v2(source: SocketAddr) -> Vec<u8> {
    let IpAddr::V4(ip) = source.ip() else {
        panic!("an IPv4 source")
    };
    let mut header = b"\r\n\r\n\0\r\nQUIT\n\x21\x11\x00\x12".to_vec();
    header.extend_from_slice(&ip.octets());
    header.extend_from_slice(&[127, 0, 0, 1]);
    header.extend_from_slice(&source.port().to_be_bytes());
    header.extend_from_slice(&19500_u16.to_be_bytes());
    header.extend_from_slice(&[0x04, 0x00, 0x03, b'x', b'y', b'z']);
    header
}

/// A v2 `LOCAL` header, as HAProxy's health checks send it.
fn v2_local() -> Vec<u8> {
    b"\r\n\r\n\0\r\nQUIT\n\x20\x00\x00\x00".to_vec()
}

fn addr(text: &str) -> SocketAddr {
    text.parse().expect("an address")
}

/// A connection from `local` (an address on loopback) to `server`.
fn connect_from(local: &str, server: SocketAddr) -> TcpStream {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a socket");
    socket
        .bind(&addr(&format!("{local}:0")).into())
        .expect("bound to the local address");
    socket.connect(&server.into()).expect("connected");
    socket.into()
}

/// Sends `header` then `request` in one write.
fn send_after(client: &mut Client, header: &[u8], request: &Request<'_>) {
    let mut bytes = header.to_vec();
    client.queue(request, &mut bytes);
    client.send_raw(&bytes);
}

/// A client that sent `header` first, then asks `help` in the same write.
fn helped_through(header: &[u8], server: SocketAddr) -> Client {
    let mut client = Client::connect(server);
    send_after(&mut client, header, &Request::Help);
    client
}

#[test]
fn v1_v2_and_local_headers_let_requests_through() {
    let fixture = serve_with(|config| config.proxy_protocol(true));
    fixture.write("hola.txt", "Que calor que hace hoy, pinocho!\n");
    for header in [
        v1(addr("192.0.2.7:51000")),
        v1(addr("[2001:db8::7]:443")),
        v2(addr("192.0.2.8:51000")),
        v2_local(),
        b"PROXY UNKNOWN\r\n".to_vec(),
    ] {
        // The header and the first request in one write: the bytes after
        // the header are not lost.
        let mut client = helped_through(&header, fixture.addr());
        assert!(matches!(client.reply(), Ok(Reply::Names(_))));
        assert_eq!(client.ask(&metadata("hola.txt")), Reply::Size(33));
    }
}

#[test]
fn the_per_address_cap_counts_the_named_client_not_the_proxy() {
    let fixture = serve_with(|config| config.proxy_protocol(true).max_per_address(Some(1)));
    let mut first = helped_through(&v2(addr("192.0.2.7:1000")), fixture.addr());
    assert!(matches!(first.reply(), Ok(Reply::Names(_))));
    // Another client through the same proxy address is let in…
    let mut other = helped_through(&v2(addr("192.0.2.8:1000")), fixture.addr());
    assert!(matches!(other.reply(), Ok(Reply::Names(_))));
    // … but a second connection of the first client is over its share.
    let mut second = helped_through(&v2(addr("192.0.2.7:1001")), fixture.addr());
    assert_eq!(second.reply(), Ok(Reply::Status(Code::InternalError)));
    second.expect_eof();
    // Its share is free again once it leaves.
    first.send(&Request::Quit);
    first.expect_bytes(b"0 OK\r\n");
    first.expect_eof();
    fixture.wait_connections(1);
    let mut third = helped_through(&v2(addr("192.0.2.7:1002")), fixture.addr());
    assert!(matches!(third.reply(), Ok(Reply::Names(_))));
}

#[test]
fn no_header_or_a_bad_one_is_closed_unanswered() {
    let fixture = serve_with(|config| config.proxy_protocol(true));
    for bytes in [
        &b"help\r\n"[..],
        b"PROXY TCP4 192.0.2.7 127.0.0.1 51000\r\nhelp\r\n",
        b"\r\n\r\n\0\r\nQUIT\n\x21\x22\x00\x24",
    ] {
        let mut client = Client::connect(fixture.addr());
        client.send_raw(bytes);
        client.expect_eof();
    }
    let mut too_long = b"PROXY UNKNOWN ".to_vec();
    too_long.resize(200, b'x');
    let mut client = Client::connect(fixture.addr());
    client.send_raw(&too_long);
    client.expect_eof();
}

#[test]
fn half_a_header_is_closed_at_the_request_timeout() {
    let fixture = serve_with(|config| {
        config
            .proxy_protocol(true)
            .request_timeout(Some(Duration::from_millis(300)))
    });
    let mut client = Client::connect(fixture.addr());
    client.send_raw(&v2(addr("192.0.2.7:1000"))[..20]);
    client.expect_eof();
    fixture.wait_connections(0);
}

#[test]
fn only_the_named_senders_may_connect() {
    let only_second: Network = "127.0.0.2".parse().expect("a network");
    let fixture = serve_with(|config| config.proxy_protocol(true).proxy_from(vec![only_second]));
    let header = v2(addr("192.0.2.7:1000"));
    let mut stranger = Client::from_stream(connect_from("127.0.0.1", fixture.addr()));
    // The server may close before the bytes arrive: a reset is an end too.
    let _ = stranger
        .stream
        .write_all(&[&header[..], b"help\r\n"].concat());
    stranger.expect_eof();
    let mut proxy = Client::from_stream(connect_from("127.0.0.2", fixture.addr()));
    send_after(&mut proxy, &header, &Request::Help);
    assert!(matches!(proxy.reply(), Ok(Reply::Names(_))));
}

#[test]
fn the_off_switch_reads_no_header() {
    let fixture = serve_with(|config| config);
    let mut client = Client::connect(fixture.addr());
    client.send_raw(&v1(addr("192.0.2.7:51000")));
    // "PROXY" is not a command: the line is refused, the connection goes on.
    client.expect_bytes(b"200 NO SUCH COMMAND\r\n");
    assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
}

#[test]
fn the_logs_name_the_client_from_the_header() {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(dir.path().join("hola.txt"), "hola\n").expect("a file");
    let dir_arg = dir.path().to_str().expect("a UTF-8 path");
    let mut child = crate::common::server()
        .args([
            "-d",
            dir_arg,
            "-p",
            "0",
            "-a",
            "127.0.0.1",
            "--proxy-protocol",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut announced = String::new();
    let stdout = child.stdout.take().expect("its stdout");
    BufReader::new(stdout)
        .read_line(&mut announced)
        .expect("the startup line");
    let server = addr(announced.trim_end().rsplit(' ').next().expect("an address"));
    let mut client = Client::connect(server);
    send_after(
        &mut client,
        &v2(addr("192.0.2.7:51000")),
        &metadata("hola.txt"),
    );
    assert_eq!(client.reply(), Ok(Reply::Size(5)));
    let stderr = BufReader::new(child.stderr.take().expect("its stderr"));
    let logged = stderr
        .lines()
        .map_while(Result::ok)
        .find(|line| line.contains("get_metadata"));
    let _ = child.kill();
    let _ = child.wait();
    let logged = logged.expect("a request log line");
    assert!(
        logged.contains("192.0.2.7:51000 get_metadata \"hola.txt\" 0 9 B"),
        "{logged}"
    );
}
