//! What `Server::bind` refuses, as an `Error` a caller can match on.

use std::net::TcpListener;

use hftp_server::{Config, Error, Server};

/// A config on 127.0.0.1, port 0, serving `dir`.
fn config(dir: &std::path::Path) -> Config {
    Config::new(dir)
        .address("127.0.0.1".parse().expect("an address"))
        .port(0)
}

#[test]
fn each_refusal_says_what_could_not_be_had() {
    let root = tempfile::tempdir().expect("a directory");
    let missing = root.path().join("missing");
    match Server::bind(&config(&missing)) {
        Err(Error::Directory { path, source }) => {
            assert_eq!(path, missing);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected a directory error, got {other:?}"),
    }
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("its address").port();
    match Server::bind(&config(root.path()).port(port)) {
        Err(error @ Error::Listen { .. }) => {
            assert!(error.to_string().starts_with("cannot listen on 127.0.0.1:"));
            let io = std::io::Error::from(error);
            assert_eq!(io.kind(), std::io::ErrorKind::AddrInUse);
        }
        other => panic!("expected a listen error, got {other:?}"),
    }
    let too_many = config(root.path()).max_per_address(Some(0));
    assert!(matches!(
        Server::bind(&too_many),
        Err(Error::Limit {
            name: "max_per_address",
            value: 0,
            ..
        })
    ));
}
