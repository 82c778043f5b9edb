//! Fair service: holding sockets open, or trickling an endless request
//! line, does not lock other clients out.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::common::{Client, Fixture, Reply, serve_with};
use hftp_proto::Request;
use socket2::{Domain, Socket, Type};

/// A connection to `fixture` from the loopback address `from`, as if from
/// another machine.
fn connect_from(fixture: &Fixture, from: &str) -> TcpStream {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a socket");
    let local: SocketAddr = format!("{from}:0").parse().expect("an address");
    socket.bind(&local.into()).expect("bound to the address");
    socket.connect(&fixture.addr().into()).expect("connects");
    socket.into()
}

/// `count` connections from 127.0.0.1 that send `first` and then nothing;
/// each is left open.
fn flood(fixture: &Fixture, count: usize, first: &[u8]) -> Vec<TcpStream> {
    (0..count)
        .map(|_| {
            let mut stream = connect_from(fixture, "127.0.0.1");
            stream.write_all(first).expect("sent");
            stream
        })
        .collect()
}

/// A well-behaved client from another address is answered.
fn assert_newcomer_served(fixture: &Fixture) {
    let mut client = Client::from_stream(connect_from(fixture, "127.0.0.2"));
    assert!(
        matches!(client.ask(&Request::Help), Reply::Names(_)),
        "the newcomer was not served"
    );
}

/// How many streams of a flood were refused: each refused one has a
/// `199` waiting. Call once the accept loop is past the flood.
fn refused_among(flood: &mut [TcpStream]) -> usize {
    let mut refused = 0;
    for stream in flood.iter_mut() {
        stream.set_nonblocking(true).expect("non-blocking");
        let mut reply = [0; 64];
        if let Ok(read) = stream.read(&mut reply) {
            assert!(reply[..read].starts_with(b"199 "), "{:?}", &reply[..read]);
            refused += 1;
        }
    }
    refused
}

#[test]
fn an_idle_flood_from_one_address_leaves_room_for_another() {
    let fixture = serve_with(|config| config.max_connections(64));
    // One address may hold half of the server by default.
    let mut idle = flood(&fixture, 64, b"");
    assert_newcomer_served(&fixture);
    assert_eq!(refused_among(&mut idle), 32);
}

#[test]
fn a_slowloris_from_one_address_leaves_room_for_another() {
    let fixture = serve_with(|config| config.max_connections(64));
    let _slow = flood(&fixture, 64, b"get_metadata aaaa");
    fixture.wait_connections(32);
    assert_newcomer_served(&fixture);
}

#[test]
fn a_line_trickled_a_byte_at_a_time_is_cut_at_the_request_timeout() {
    let fixture = serve_with(|config| config.request_timeout(Some(Duration::from_millis(300))));
    let mut stream = connect_from(&fixture, "127.0.0.1");
    stream
        .set_read_timeout(Some(Duration::from_millis(10)))
        .expect("a read timeout");
    // Every byte would reset an idle timer; the line's deadline holds.
    let deadline = std::time::Instant::now() + crate::common::HANG;
    let mut scrap = [0; 16];
    loop {
        assert!(std::time::Instant::now() < deadline, "never cut");
        if stream.write_all(b"x").is_err() {
            break;
        }
        match stream.read(&mut scrap) {
            Ok(0) => break,
            Ok(read) => panic!("an answer to half a line: {:?}", &scrap[..read]),
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(_) => {}
        }
    }
    // The server goes on.
    assert!(matches!(
        fixture.client().ask(&Request::Help),
        Reply::Names(_)
    ));
}

#[test]
fn when_full_a_newcomer_closes_the_connection_quiet_the_longest() {
    let fixture = serve_with(|config| {
        config
            .max_connections(4)
            .max_per_address(Some(4))
            .evict_idle_after(Duration::ZERO)
    });
    let mut quiet = flood(&fixture, 4, b"");
    fixture.wait_connections(4);
    assert_newcomer_served(&fixture);
    // The oldest silent connection made room; the others are served.
    quiet[0]
        .set_read_timeout(Some(crate::common::HANG))
        .expect("a timeout");
    let mut scrap = [0; 8];
    assert_eq!(quiet[0].read(&mut scrap).expect("the end"), 0);
    for stream in quiet.drain(1..) {
        let mut client = Client::from_stream(stream);
        assert!(matches!(client.ask(&Request::Help), Reply::Names(_)));
    }
}

#[test]
fn when_full_of_busy_or_fresh_connections_a_newcomer_is_refused() {
    let fixture = serve_with(|config| {
        config
            .max_connections(2)
            .max_per_address(Some(2))
            .evict_idle_after(Duration::from_secs(3600))
    });
    // Not yet quiet for an hour: no one may be closed for the newcomer.
    let _held = flood(&fixture, 2, b"");
    fixture.wait_connections(2);
    let mut newcomer = connect_from(&fixture, "127.0.0.2");
    newcomer
        .set_read_timeout(Some(crate::common::HANG))
        .expect("a timeout");
    let mut reply = Vec::new();
    let _ = newcomer.read_to_end(&mut reply);
    assert!(reply.starts_with(b"199 "), "{reply:?}");
}
