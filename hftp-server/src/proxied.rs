//! Connections through a load balancer: who may send a PROXY protocol
//! header, and reading it from a new connection within a deadline.

use std::io::{self, Read as _};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::Network;
use crate::proxy::{Decoder, Header, ProxyError};
use crate::text::Text;

/// The PROXY protocol settings in force.
#[derive(Clone, Debug)]
pub(crate) struct Proxies {
    /// The addresses that may send a header.
    pub(crate) from: Vec<Network>,
    /// How long the header may take to arrive; `None`: forever.
    pub(crate) timeout: Option<Duration>,
}

impl Proxies {
    /// True if `peer` may send a header.
    pub(crate) fn allows(&self, peer: IpAddr) -> bool {
        self.from.iter().any(|network| network.contains(peer))
    }
}

/// A header read: the client it names, and what came after it.
#[derive(Debug)]
pub(crate) struct Preamble {
    /// The client: the header's source, or the connection's peer for a
    /// `LOCAL` or `UNKNOWN` header.
    pub(crate) client: SocketAddr,
    /// The last read, whose bytes from `start` to `end` are the client's
    /// first HFTP bytes.
    pub(crate) input: Vec<u8>,
    /// Where the HFTP bytes begin in `input`.
    pub(crate) start: usize,
    /// Where they end.
    pub(crate) end: usize,
}

/// Why no header was had; the connection is closed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The bytes are not a valid header.
    Invalid(ProxyError),
    /// The header did not arrive in time.
    Timeout,
    /// The connection ended first.
    Closed,
    /// The socket failed.
    Failed(io::Error),
}

impl Failure {
    /// Why, in `text`'s words.
    pub(crate) fn words(&self, text: &dyn Text) -> String {
        match self {
            Self::Invalid(error) => text.proxy_invalid(error),
            Self::Timeout => text.proxy_timeout(),
            Self::Closed => text.proxy_closed(),
            Self::Failed(error) => text.proxy_failed(error),
        }
    }
}

/// Reads a PROXY header from `stream`, whose peer is `peer`, into a
/// buffer of `buffer_len` bytes, within `timeout`. The socket's read
/// timeout is left changed: the caller sets it again.
pub(crate) fn read_header(
    stream: &TcpStream,
    peer: SocketAddr,
    timeout: Option<Duration>,
    buffer_len: usize,
) -> Result<Preamble, Failure> {
    let deadline = timeout.map(|timeout| Instant::now() + timeout);
    let mut decoder = Decoder::default();
    let mut input = vec![0; buffer_len];
    let mut reader = stream;
    loop {
        let left = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        if left.is_some_and(|left| left.is_zero()) {
            return Err(Failure::Timeout);
        }
        stream.set_read_timeout(left).map_err(Failure::Failed)?;
        let read = match reader.read(&mut input) {
            Ok(0) => return Err(Failure::Closed),
            Ok(read) => read,
            Err(error) => match error.kind() {
                io::ErrorKind::WouldBlock
                | io::ErrorKind::TimedOut
                | io::ErrorKind::Interrupted => continue,
                io::ErrorKind::ConnectionReset => return Err(Failure::Closed),
                _ => return Err(Failure::Failed(error)),
            },
        };
        let decoded = decoder.decode(&input[..read]).map_err(Failure::Invalid)?;
        if let Some(header) = decoded.header {
            return Ok(Preamble {
                client: client_of(header, peer),
                input,
                start: decoded.consumed,
                end: read,
            });
        }
    }
}

/// The client a header names: its source, or else the connection's peer.
fn client_of(header: Header, peer: SocketAddr) -> SocketAddr {
    match header {
        Header::Proxied { source, .. } => {
            SocketAddr::new(source.ip().to_canonical(), source.port())
        }
        Header::Local | Header::Unknown => peer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;
    use std::net::TcpListener;

    /// A connected pair on loopback: (client side, server side).
    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a listener");
        let client =
            TcpStream::connect(listener.local_addr().expect("its address")).expect("a connection");
        let (server, _) = listener.accept().expect("accepted");
        (client, server)
    }

    #[test]
    fn the_bytes_after_the_header_are_kept() {
        let (mut client, server) = pair();
        let peer = server.peer_addr().expect("a peer");
        client
            .write_all(b"PROXY TCP4 192.0.2.7 127.0.0.1 51000 19500\r\nhelp\r\n")
            .expect("sent");
        let preamble = read_header(&server, peer, None, 4096).expect("a header");
        assert_eq!(
            preamble.client,
            "192.0.2.7:51000".parse().expect("an address")
        );
        assert_eq!(&preamble.input[preamble.start..preamble.end], b"help\r\n");
    }

    #[test]
    fn a_header_split_across_writes_is_read_whole() {
        let (mut client, server) = pair();
        let peer = server.peer_addr().expect("a peer");
        let writer = std::thread::spawn(move || {
            for piece in [&b"PRO"[..], b"XY UNKNOWN", b"\r", b"\n"] {
                client.write_all(piece).expect("sent");
                std::thread::sleep(Duration::from_millis(20));
            }
            client
        });
        let preamble = read_header(&server, peer, None, 4096).expect("a header");
        assert_eq!(preamble.client, peer, "UNKNOWN keeps the peer");
        assert_eq!(preamble.start, preamble.end);
        drop(writer.join());
    }

    #[test]
    fn half_a_header_times_out_and_a_close_ends_it() {
        let (mut client, server) = pair();
        let peer = server.peer_addr().expect("a peer");
        client.write_all(b"PROXY TCP4 192.0").expect("sent");
        let timeout = Some(Duration::from_millis(200));
        let failure = read_header(&server, peer, timeout, 4096).expect_err("no header");
        assert!(matches!(failure, Failure::Timeout), "{failure:?}");
        drop(client);
        let failure = read_header(&server, peer, timeout, 4096).expect_err("no header");
        assert!(matches!(failure, Failure::Closed), "{failure:?}");
    }

    #[test]
    fn only_named_senders_are_allowed() {
        let proxies = Proxies {
            from: vec![Network::LOOPBACK_V4, "10.0.0.5".parse().expect("a network")],
            timeout: None,
        };
        assert!(proxies.allows("127.0.0.9".parse().expect("an address")));
        assert!(proxies.allows("10.0.0.5".parse().expect("an address")));
        assert!(!proxies.allows("10.0.0.6".parse().expect("an address")));
        assert!(!proxies.allows("::1".parse().expect("an address")));
    }
}
