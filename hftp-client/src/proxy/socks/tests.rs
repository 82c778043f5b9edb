//! The handshake against every answer a proxy can give, fed whole and
//! one byte at a time.

use super::*;

const ONION: &str = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz2345.onion";

/// Runs a handshake over the proxy's `replies`, `chunk` bytes at a time:
/// what it sent, how it ended, and the bytes it left unread (none
/// counted after an error).
fn drive(
    login: Option<Login<'_>>,
    replies: &[u8],
    chunk: usize,
) -> (Vec<Vec<u8>>, Result<(), SocksError>, usize) {
    let mut handshake = Handshake::new(Destination::Name(ONION, 19500), login).unwrap();
    let mut sent = vec![handshake.greeting()];
    let mut input = replies;
    while !input.is_empty() {
        let take = input.len().min(chunk);
        match handshake.feed(&input[..take]) {
            Ok((used, event)) => {
                input = &input[used..];
                match event {
                    Some(Event::Send(bytes)) => sent.push(bytes),
                    Some(Event::Connected) => return (sent, Ok(()), input.len()),
                    None => {}
                }
            }
            Err(error) => return (sent, Err(error), 0),
        }
    }
    (sent, Err(SocksError::Malformed("the replies ended")), 0)
}

/// The same handshake whole and byte by byte: they must agree.
fn both(login: Option<Login<'_>>, replies: &[u8]) -> (Vec<Vec<u8>>, Result<(), SocksError>, usize) {
    let whole = drive(login, replies, usize::MAX);
    assert_eq!(whole, drive(login, replies, 1), "byte by byte differs");
    whole
}

fn connect_request() -> Vec<u8> {
    let mut request = vec![5, 1, 0, 3, ONION.len() as u8];
    request.extend_from_slice(ONION.as_bytes());
    request.extend(19500_u16.to_be_bytes());
    request
}

const LOGIN: Login<'static> = Login {
    user: "alice",
    password: "secret",
};

#[test]
fn no_authentication_then_an_ipv4_reply() {
    let (sent, end, left) = both(
        None,
        b"\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x1f\x90HFTP",
    );
    assert_eq!(end, Ok(()));
    assert_eq!(sent, vec![vec![5, 1, 0], connect_request()]);
    assert_eq!(left, 4, "the server's bytes after the reply stay unread");
}

#[test]
fn a_login_then_a_255_byte_domain_reply() {
    let mut replies = b"\x05\x02\x01\x00\x05\x00\x00\x03\xff".to_vec();
    replies.extend([b'x'; 255]);
    replies.extend([0x4c, 0x2c]);
    let (sent, end, left) = both(Some(LOGIN), &replies);
    assert_eq!(end, Ok(()));
    assert_eq!(left, 0);
    assert_eq!(sent[0], [5, 1, 2]);
    assert_eq!(sent[1], b"\x01\x05alice\x06secret");
    assert_eq!(sent[2], connect_request());
}

#[test]
fn an_ipv6_reply() {
    let mut replies = b"\x05\x00\x05\x00\x00\x04".to_vec();
    replies.extend([0; 18]);
    assert_eq!(both(None, &replies).1, Ok(()));
}

#[test]
fn every_failure_reply_is_named() {
    for byte in 1..=u8::MAX {
        let replies = [5, 0, 5, byte, 0, 1, 0, 0, 0, 0, 0, 0];
        let (_, end, _) = both(None, &replies);
        assert_eq!(end, Err(SocksError::Reply(ReplyCode::from_byte(byte))));
    }
    // A proxy that gives up after the reply code is still understood.
    assert_eq!(
        both(None, &[5, 0, 5, 0xF0]).1,
        Err(SocksError::Reply(ReplyCode::OnionNotFound))
    );
}

#[test]
fn an_http_proxy_or_another_version_is_not_socks5() {
    let (_, end, _) = both(None, b"HTTP/1.1 400 Bad Request\r\n\r\n");
    let error = end.unwrap_err();
    assert_eq!(error, SocksError::NotSocks { version: b'H' });
    assert!(error.to_string().contains("HTTP"), "{error}");
    assert_eq!(
        both(None, &[4, 0x5a]).1,
        Err(SocksError::NotSocks { version: 4 })
    );
    assert_eq!(
        both(None, &[0, 0]).1,
        Err(SocksError::NotSocks { version: 0 })
    );
}

#[test]
fn methods_and_logins_refused() {
    assert_eq!(
        both(None, &[5, 0xFF]).1,
        Err(SocksError::NoAcceptableMethod {
            offered_password: false
        })
    );
    assert_eq!(
        both(Some(LOGIN), &[5, 0xFF]).1,
        Err(SocksError::NoAcceptableMethod {
            offered_password: true
        })
    );
    assert_eq!(
        both(None, &[5, 2]).1,
        Err(SocksError::UnexpectedMethod { method: 2 })
    );
    assert_eq!(
        both(None, &[5, 1]).1,
        Err(SocksError::UnexpectedMethod { method: 1 })
    );
    assert_eq!(
        both(Some(LOGIN), &[5, 2, 1, 1]).1,
        Err(SocksError::BadCredentials { status: 1 })
    );
    // A proxy may accept no authentication even when a login is offered.
    assert_eq!(
        both(Some(LOGIN), &[5, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0]).1,
        Ok(())
    );
}

#[test]
fn malformed_replies() {
    for (replies, why) in [
        (&[5, 2, 5, 0][..], "login reply's version"),
        (&[5, 0, 4, 0, 0, 1], "connect reply's version"),
        (&[5, 0, 5, 0, 1, 1], "reserved byte"),
        (&[5, 0, 5, 0, 0, 9], "unknown type"),
    ] {
        let login = (replies[1] == 2).then_some(LOGIN);
        let error = both(login, replies).1.unwrap_err();
        assert!(error.to_string().contains(why), "{replies:?}: {error}");
    }
}

#[test]
fn an_endless_reply_is_read_only_to_its_end() {
    // A proxy that goes on sending after its reply: the handshake takes
    // exactly the reply and leaves the rest, whatever its size.
    let mut replies = vec![5, 0, 5, 0, 0, 1, 127, 0, 0, 1, 0, 1];
    replies.extend(std::iter::repeat_n(0xAA, 1 << 20));
    let (_, end, left) = both(None, &replies);
    assert_eq!((end, left), (Ok(()), 1 << 20));
}

#[test]
fn errors_are_sticky() {
    let mut handshake = Handshake::new(Destination::Name("a.onion", 1), None).unwrap();
    let error = handshake.feed(b"H").unwrap_err();
    assert_eq!(handshake.feed(&[5, 0]).unwrap_err(), error);
}

#[test]
fn wanted_never_reaches_past_a_reply() {
    let mut handshake = Handshake::new(Destination::Ip([127, 0, 0, 1].into(), 1), None).unwrap();
    let reply = [5, 0, 5, 0, 0, 3, 2, b'h', b'i', 0, 1];
    let mut at = 0;
    while !handshake.is_connected() {
        let wanted = handshake.wanted();
        assert!(
            wanted > 0 && at + wanted <= reply.len(),
            "wanted {wanted} at {at}"
        );
        let (used, _) = handshake.feed(&reply[at..at + wanted]).unwrap();
        at += used;
    }
    assert_eq!((at, handshake.wanted()), (reply.len(), 0));
}

#[test]
fn requests_carry_names_and_addresses_or_refuse() {
    let request = |to| Handshake::new(to, None).map(|h| h.request);
    assert_eq!(
        request(Destination::Ip([10, 0, 0, 1].into(), 80)).unwrap(),
        [5, 1, 0, 1, 10, 0, 0, 1, 0, 80]
    );
    let v6 = request(Destination::Ip(std::net::Ipv6Addr::LOCALHOST.into(), 1)).unwrap();
    assert_eq!((v6[3], v6.len()), (4, 4 + 16 + 2));
    let long = "a".repeat(256);
    assert!(matches!(
        request(Destination::Name(&long, 1)),
        Err(SocksError::Unsendable(_))
    ));
    assert!(request(Destination::Name("", 1)).is_err());
    let bad_login = Login {
        user: "",
        password: "x",
    };
    assert!(Handshake::new(Destination::Name("a", 1), Some(bad_login)).is_err());
}
