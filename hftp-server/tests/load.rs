//! Many clients at once, the connection cap, and graceful shutdown.

use std::net::TcpStream;
use std::thread;
use std::time::Duration;

use crate::common::{
    Client, Reply, course_bytes, metadata, raw_slice, serve, serve_with, slice, sparse,
};
use hftp_proto::{Code, Request};

/// How many clients the concurrency tests run at once.
const CLIENTS: usize = 300;

#[test]
fn hundreds_of_clients_at_once() {
    let fixture = serve();
    let data = course_bytes(100_000);
    fixture.write("data", &data);
    fixture.write("other", "x");
    let addr = fixture.addr();
    // Every client connects and sends first, so all are live together.
    let clients: Vec<Client> = (0..CLIENTS)
        .map(|_| {
            let mut client = Client::connect(addr);
            client.send(&Request::Help);
            client
        })
        .collect();
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, mut client)| {
            let data = data.clone();
            thread::spawn(move || {
                assert_eq!(
                    client.reply(),
                    Ok(Reply::Names(
                        hftp_proto::Command::ALL
                            .map(|command| command.name().to_owned())
                            .to_vec()
                    ))
                );
                let listing = Reply::Names(vec!["data".into(), "other".into()]);
                assert_eq!(client.ask(&Request::FileListing), listing);
                assert_eq!(client.ask(&metadata("data")), Reply::Size(100_000));
                let (offset, size) = (i as u64 * 97 % 50_000, 50_000);
                let expected = data[offset as usize..][..size as usize].to_vec();
                assert_eq!(
                    client.ask(&slice("data", offset, size)),
                    Reply::Body(expected.clone())
                );
                assert_eq!(
                    client.ask(&raw_slice("data", offset, size)),
                    Reply::Body(expected)
                );
                client.send(&Request::Quit);
                assert_eq!(client.reply(), Ok(Reply::Status(Code::Ok)));
                client.expect_eof();
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("a client succeeded");
    }
    fixture.wait_connections(0);
}

#[test]
fn the_client_over_the_cap_gets_199_and_the_server_goes_on() {
    // One address may hold the whole server, and no one is quiet long
    // enough to be closed for a newcomer.
    let fixture = serve_with(|config| {
        config
            .max_connections(2)
            .max_per_address(Some(2))
            .evict_idle_after(Duration::from_secs(3600))
    });
    let mut first = fixture.client();
    let mut second = fixture.client();
    assert_eq!(first.ask(&metadata("x")), Reply::Status(Code::FileNotFound));
    assert_eq!(
        second.ask(&metadata("x")),
        Reply::Status(Code::FileNotFound)
    );
    let mut third = fixture.client();
    third.send_raw(b"help\r\n");
    third.expect_bytes(b"199 INTERNAL SERVER ERROR\r\n");
    third.expect_eof();
    drop(first);
    fixture.wait_connections(1);
    let mut fourth = fixture.client();
    assert_eq!(
        fourth.ask(&metadata("x")),
        Reply::Status(Code::FileNotFound)
    );
    assert_eq!(
        second.ask(&metadata("x")),
        Reply::Status(Code::FileNotFound)
    );
}

#[test]
fn a_burst_over_the_cap_is_refused_cleanly() {
    let fixture = serve_with(|config| config.max_connections(20));
    fixture.write("a", "abc");
    let addr = fixture.addr();
    let workers: Vec<_> = (0..CLIENTS)
        .map(|_| {
            thread::spawn(move || {
                let mut client = Client::connect(addr);
                client.send(&metadata("a"));
                match client.reply() {
                    Ok(Reply::Size(3)) => true,
                    Ok(Reply::Status(Code::InternalError)) => {
                        client.expect_eof();
                        false
                    }
                    other => panic!("unexpected {other:?}"),
                }
            })
        })
        .collect();
    let served = workers
        .into_iter()
        .map(|w| w.join().expect("a client"))
        .filter(|&ok| ok)
        .count();
    assert!(served >= 1, "no client was served");
    fixture.wait_connections(0);
    assert_eq!(fixture.client().ask(&metadata("a")), Reply::Size(3));
}

#[test]
fn shutdown_lets_a_transfer_in_flight_finish() {
    let fixture = serve_with(|config| config.grace(crate::common::HANG));
    let data = course_bytes(32 << 20);
    fixture.write("big", &data);
    let mut idle = fixture.client();
    assert_eq!(idle.ask(&metadata("big")), Reply::Size(32 << 20));
    let mut busy = fixture.client();
    busy.send(&slice("big", 0, 32 << 20));
    busy.expect_bytes(b"0 OK\r\n");
    fixture.server.shutdown_handle().shutdown();
    // The idle client is let go at once; new clients are refused.
    idle.expect_eof();
    crate::common::wait_for(
        || TcpStream::connect(fixture.addr()).is_err(),
        "the listener to close",
    );
    // The transfer completes: the rest of its body, then the end.
    let rest = busy.read_to_end();
    let mut expected = Vec::new();
    let mut body = hftp_proto::SliceEncoder::begin(data.len() as u64, &mut expected);
    body.encode(&data, &mut expected).expect("the data encodes");
    body.finish(&mut expected).expect("the body ends");
    assert!(
        rest == expected[b"0 OK\r\n".len()..],
        "the body was cut or differs: {} bytes",
        rest.len()
    );
    let crate::common::Fixture {
        root: _root,
        server,
    } = fixture;
    server.stop().expect("the server stops cleanly");
}

#[test]
fn after_the_grace_the_remaining_transfers_are_cut() {
    let fixture = serve_with(|config| config.grace(Duration::from_millis(100)));
    sparse(&fixture.dir().join("big"), 256 << 20);
    let mut stalled = fixture.client();
    stalled.send(&raw_slice("big", 0, 256 << 20));
    stalled.expect_bytes(b"0 OK\r\n");
    let crate::common::Fixture {
        root: _root,
        server,
    } = fixture;
    server.stop().expect("the server stops after its grace");
    let body = stalled.read_to_end();
    assert!(body.len() < 256 << 20, "the whole body arrived");
}

#[test]
fn the_default_address_is_dual_stack() {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(dir.path().join("a"), "abc").expect("a file");
    let config = hftp_server::Config::new(dir.path()).port(0);
    let server = hftp_server::Server::bind(&config)
        .expect("it binds")
        .spawn()
        .expect("it runs");
    let port = server.local_addr().port();
    for host in ["127.0.0.1", "::1"] {
        let addr = std::net::SocketAddr::new(host.parse().expect("an address"), port);
        assert_eq!(
            Client::connect(addr).ask(&metadata("a")),
            Reply::Size(3),
            "{host}"
        );
    }
    server.stop().expect("it stops");
}
