//! The PROXY protocol's header (HAProxy's `proxy-protocol.txt`, versions
//! 1 and 2): what a load balancer sends before anything else, naming the
//! client it accepted the connection from.
//!
//! A resumable decoder of fixed size, in the shape of the HFTP request
//! decoder: feed what arrived, it says how much it took, and it stops at
//! the header's last byte, so the bytes after it (the client's first
//! request) stay with the caller. A v1 line is kept whole (at most 107
//! bytes); of a v2 header only the 16-byte fixed part and the addresses
//! are kept, and the TLVs after them are counted off unread, so a header
//! of any length the format allows costs the same memory.
//!
//! A connection that does not begin with a signature fails at its first
//! wrong byte: a client speaking HFTP straight to a server that expects
//! the header is refused at once, not after a timeout.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// What a v1 header begins with.
const V1_SIGNATURE: &[u8] = b"PROXY ";

/// What a v2 header begins with.
const V2_SIGNATURE: &[u8] = b"\r\n\r\n\0\r\nQUIT\n";

/// The longest v1 header, its `\r\n` included.
pub(crate) const V1_MAX_LEN: usize = 107;

/// A v2 header's fixed part: signature, version and command, family,
/// length of the rest.
const V2_FIXED_LEN: usize = 16;

/// v2 families (high nibble: address family; low: transport).
const V2_UNSPEC: u8 = 0x00;
const V2_TCP4: u8 = 0x11;
const V2_TCP6: u8 = 0x21;
const V2_UNIX_STREAM: u8 = 0x31;

/// The address block of each family v2 accepts on a stream: its length.
const V2_TCP4_LEN: usize = 12;
const V2_TCP6_LEN: usize = 36;
const V2_UNIX_LEN: usize = 216;

/// What a complete header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Header {
    /// The proxy accepted a TCP connection from `source` (the client) to
    /// `destination` (its own address).
    Proxied {
        /// The client's address and port.
        source: SocketAddr,
        /// The address and port the client connected to.
        destination: SocketAddr,
    },
    /// v2 `LOCAL`: the proxy speaks for itself (a health check); the
    /// connection's own addresses stand.
    Local,
    /// v1 `UNKNOWN`, or a v2 family that is not TCP over IPv4 or IPv6
    /// (unspecified, a Unix socket): the connection's own addresses stand.
    Unknown,
}

/// Why a header was refused; the connection is then closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ProxyError {
    /// A byte where a signature was expected is not the signature's.
    #[error("no PROXY protocol header: byte {at} is {byte:#04x}")]
    Signature {
        /// The byte's offset from the connection's start.
        at: usize,
        /// The byte.
        byte: u8,
    },
    /// A v1 line did not end within 107 bytes.
    #[error("a PROXY v1 line longer than {V1_MAX_LEN} bytes")]
    V1TooLong,
    /// A v1 line that does not parse.
    #[error("a malformed PROXY v1 line: {0}")]
    V1Malformed(&'static str),
    /// A v2 header of another version than 2.
    #[error("a PROXY v2 header of version {0}")]
    V2Version(u8),
    /// A v2 command other than `LOCAL` (0) and `PROXY` (1).
    #[error("a PROXY v2 header with the unknown command {0}")]
    V2Command(u8),
    /// A v2 family that is not a stream protocol, or not a family.
    #[error("a PROXY v2 header for family and protocol {0:#04x}, not a stream")]
    V2Family(u8),
    /// A v2 address block shorter than its family's addresses.
    #[error("a PROXY v2 address block of {len} bytes, too short for its family ({needed})")]
    V2Short {
        /// The length the header gave.
        len: u16,
        /// The length the family needs.
        needed: usize,
    },
}

/// What one call to [`Decoder::decode`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub(crate) struct Decoded {
    /// How many bytes of the input belong to the header; with no header
    /// yet, all of them.
    pub(crate) consumed: usize,
    /// The header, once its last byte came.
    pub(crate) header: Option<Header>,
}

/// A v2 header's fixed part, as far as the server cares.
#[derive(Clone, Copy, Debug)]
struct V2Fixed {
    /// `LOCAL` (false) or `PROXY` (true).
    proxied: bool,
    family: u8,
    /// The length of everything after the fixed part.
    len: usize,
    /// How many of those bytes are addresses the server keeps.
    keep: usize,
}

/// Decodes one PROXY header, v1 or v2, from bytes as they arrive.
///
/// Feed it until it yields a header or an error; after either it must
/// not be fed again.
#[derive(Clone, Debug)]
pub(crate) struct Decoder {
    /// The v1 line, or the v2 fixed part followed by its addresses.
    held: [u8; V1_MAX_LEN],
    /// How many bytes of `held` are in use.
    len: usize,
    /// v2: how many bytes after the addresses (TLVs) were counted off.
    skipped: usize,
}

impl Default for Decoder {
    fn default() -> Self {
        Self {
            held: [0; V1_MAX_LEN],
            len: 0,
            skipped: 0,
        }
    }
}

impl Decoder {
    /// Takes what it can of `input`: all of it while the header is
    /// incomplete, up to the header's last byte once it is.
    pub(crate) fn decode(&mut self, input: &[u8]) -> Result<Decoded, ProxyError> {
        let first = if self.len > 0 {
            self.held[0]
        } else if let Some(&first) = input.first() {
            first
        } else {
            return Ok(Decoded {
                consumed: 0,
                header: None,
            });
        };
        let (consumed, header) = match first {
            b'P' => self.feed_v1(input)?,
            b'\r' => self.feed_v2(input)?,
            byte => return Err(ProxyError::Signature { at: 0, byte }),
        };
        Ok(Decoded { consumed, header })
    }

    /// v1: keeps bytes up to the `\n` that ends the line, then parses it.
    fn feed_v1(&mut self, input: &[u8]) -> Result<(usize, Option<Header>), ProxyError> {
        let window = &input[..input.len().min(V1_MAX_LEN - self.len)];
        let (taken, ended) = match window.iter().position(|&byte| byte == b'\n') {
            Some(at) => (at + 1, true),
            None => (window.len(), false),
        };
        let start = self.len;
        self.keep(&window[..taken]);
        self.check_signature(start, V1_SIGNATURE)?;
        if ended {
            return Ok((taken, Some(parse_v1(&self.held[..self.len])?)));
        }
        if self.len == V1_MAX_LEN {
            return Err(ProxyError::V1TooLong);
        }
        Ok((taken, None))
    }

    /// v2: keeps the fixed part and the addresses, counts the rest off.
    fn feed_v2(&mut self, input: &[u8]) -> Result<(usize, Option<Header>), ProxyError> {
        let mut used = 0;
        if self.len < V2_FIXED_LEN {
            let start = self.len;
            used = self.keep_up_to(input, V2_FIXED_LEN);
            self.check_signature(start, V2_SIGNATURE)?;
            if self.len < V2_FIXED_LEN {
                return Ok((used, None));
            }
        }
        let fixed = V2Fixed::parse(&self.held[..V2_FIXED_LEN])?;
        let addresses_end = V2_FIXED_LEN + fixed.keep;
        used += self.keep_up_to(&input[used..], addresses_end);
        if self.len < addresses_end {
            return Ok((used, None));
        }
        let to_skip = fixed.len - fixed.keep - self.skipped;
        let skipped = to_skip.min(input.len() - used);
        self.skipped += skipped;
        used += skipped;
        if skipped < to_skip {
            return Ok((used, None));
        }
        Ok((
            used,
            Some(fixed.header(&self.held[V2_FIXED_LEN..addresses_end])),
        ))
    }

    /// Appends `bytes` to what is held; the caller keeps within bounds.
    fn keep(&mut self, bytes: &[u8]) {
        self.held[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Keeps bytes of `input` until `target` are held; returns how many.
    fn keep_up_to(&mut self, input: &[u8], target: usize) -> usize {
        let taken = input.len().min(target.saturating_sub(self.len));
        self.keep(&input[..taken]);
        taken
    }

    /// Checks the held bytes from `start` that fall within `signature`.
    fn check_signature(&self, start: usize, signature: &[u8]) -> Result<(), ProxyError> {
        let end = self.len.min(signature.len());
        let held = self.held.get(start..end).unwrap_or_default();
        let expected = signature.get(start..end).unwrap_or_default();
        match held
            .iter()
            .zip(expected)
            .position(|(got, want)| got != want)
        {
            Some(at) => Err(ProxyError::Signature {
                at: start + at,
                byte: held[at],
            }),
            None => Ok(()),
        }
    }
}

impl V2Fixed {
    /// Parses and checks the 16-byte fixed part.
    fn parse(fixed: &[u8]) -> Result<Self, ProxyError> {
        let (version_command, family) = (fixed[12], fixed[13]);
        let len = u16::from_be_bytes([fixed[14], fixed[15]]);
        if version_command >> 4 != 2 {
            return Err(ProxyError::V2Version(version_command >> 4));
        }
        let proxied = match version_command & 0x0f {
            0 => false,
            1 => true,
            command => return Err(ProxyError::V2Command(command)),
        };
        // LOCAL ignores the family and the addresses; PROXY must carry a
        // stream's.
        let (needed, keep) = match (proxied, family) {
            (false, _) | (true, V2_UNSPEC) => (0, 0),
            (true, V2_TCP4) => (V2_TCP4_LEN, V2_TCP4_LEN),
            (true, V2_TCP6) => (V2_TCP6_LEN, V2_TCP6_LEN),
            (true, V2_UNIX_STREAM) => (V2_UNIX_LEN, 0),
            (true, family) => return Err(ProxyError::V2Family(family)),
        };
        if usize::from(len) < needed {
            return Err(ProxyError::V2Short { len, needed });
        }
        Ok(Self {
            proxied,
            family,
            len: usize::from(len),
            keep,
        })
    }

    /// The header, from the kept addresses.
    fn header(self, addresses: &[u8]) -> Header {
        if !self.proxied {
            return Header::Local;
        }
        let port = |at: usize| u16::from_be_bytes([addresses[at], addresses[at + 1]]);
        let (source, destination) = match self.family {
            V2_TCP4 => {
                let ip = |at: usize| {
                    let octets: [u8; 4] = addresses[at..at + 4].try_into().unwrap_or_default();
                    IpAddr::V4(Ipv4Addr::from(octets))
                };
                ((ip(0), port(8)), (ip(4), port(10)))
            }
            V2_TCP6 => {
                let ip = |at: usize| {
                    let octets: [u8; 16] = addresses[at..at + 16].try_into().unwrap_or_default();
                    IpAddr::V6(Ipv6Addr::from(octets))
                };
                ((ip(0), port(32)), (ip(16), port(34)))
            }
            _ => return Header::Unknown,
        };
        Header::Proxied {
            source: source.into(),
            destination: destination.into(),
        }
    }
}

/// Parses a whole v1 line, `PROXY ` to `\n`.
fn parse_v1(line: &[u8]) -> Result<Header, ProxyError> {
    let malformed = ProxyError::V1Malformed;
    let body = line
        .strip_prefix(V1_SIGNATURE)
        .and_then(|rest| rest.strip_suffix(b"\r\n"))
        .ok_or(malformed("no CR before its LF"))?;
    let text = std::str::from_utf8(body).map_err(|_| malformed("not ASCII"))?;
    let mut fields = text.split(' ');
    let parse_ip: fn(&str) -> Option<IpAddr> = match fields.next() {
        Some("UNKNOWN") => return Ok(Header::Unknown),
        Some("TCP4") => |text| text.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        Some("TCP6") => |text| text.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
        _ => return Err(malformed("the protocol is not TCP4, TCP6 or UNKNOWN")),
    };
    let fields: Vec<&str> = fields.collect();
    let [source, destination, source_port, destination_port] = fields[..] else {
        return Err(malformed("not four fields after the protocol"));
    };
    let address = |ip: &str, port: &str| {
        let ip = parse_ip(ip).ok_or(malformed("an address not of its protocol"))?;
        let port = parse_port(port).ok_or(malformed("a port that is not 0 to 65535"))?;
        Ok(SocketAddr::new(ip, port))
    };
    Ok(Header::Proxied {
        source: address(source, source_port)?,
        destination: address(destination, destination_port)?,
    })
}

/// A v1 port: decimal digits only, 0 to 65535.
fn parse_port(text: &str) -> Option<u16> {
    let digits = !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

/// What decoding a whole input in pieces gave: the header and the offset
/// of its end, nothing yet, or an error.
#[cfg(any(test, fuzzing))]
pub(crate) type InPieces = Result<Option<(usize, Header)>, ProxyError>;

/// Decodes the pieces in turn, as reads would deliver them, checking that
/// an incomplete header takes every byte offered.
#[cfg(any(test, fuzzing))]
pub(crate) fn decode_pieces<'a>(pieces: impl IntoIterator<Item = &'a [u8]>) -> InPieces {
    let mut decoder = Decoder::default();
    let mut offset = 0;
    for piece in pieces {
        let decoded = decoder.decode(piece)?;
        assert!(decoded.consumed <= piece.len(), "took more than offered");
        offset += decoded.consumed;
        if let Some(header) = decoded.header {
            return Ok(Some((offset, header)));
        }
        assert_eq!(
            decoded.consumed,
            piece.len(),
            "left bytes of a partial header"
        );
    }
    Ok(None)
}

/// The fuzz oracle: `data` decoded whole, one byte at a time and split at
/// a point its first byte picks gives the same outcome, and a header
/// never ends past the longest the format allows.
#[cfg(any(test, fuzzing))]
pub(crate) fn check_splits(data: &[u8]) {
    let whole = decode_pieces([data]);
    let bytewise = decode_pieces(data.chunks(1));
    assert_eq!(whole, bytewise, "whole and byte by byte disagree");
    let split = data
        .first()
        .map_or(0, |&b| usize::from(b) % (data.len() + 1));
    let (head, tail) = data.split_at(split);
    assert_eq!(whole, decode_pieces([head, tail]), "split at {split}");
    if let Ok(Some((end, _))) = whole {
        assert!(
            end <= V2_FIXED_LEN + usize::from(u16::MAX),
            "a header too long"
        );
        assert!(data[0] != b'P' || end <= V1_MAX_LEN, "a v1 line too long");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A v2 header: version 2, `command`, `family`, then `rest`.
    fn v2(command: u8, family: u8, rest: &[u8]) -> Vec<u8> {
        let mut header = V2_SIGNATURE.to_vec();
        header.push(0x20 | command);
        header.push(family);
        let len = u16::try_from(rest.len()).expect("a short block");
        header.extend_from_slice(&len.to_be_bytes());
        header.extend_from_slice(rest);
        header
    }

    /// TCP over IPv4 from 192.0.2.7:51000 to 127.0.0.1:19500, then `tlvs`.
    fn v2_tcp4(tlvs: &[u8]) -> Vec<u8> {
        let mut block = vec![192, 0, 2, 7, 127, 0, 0, 1];
        block.extend_from_slice(&51000_u16.to_be_bytes());
        block.extend_from_slice(&19500_u16.to_be_bytes());
        block.extend_from_slice(tlvs);
        v2(1, V2_TCP4, &block)
    }

    fn proxied(source: &str, destination: &str) -> Header {
        Header::Proxied {
            source: source.parse().expect("an address"),
            destination: destination.parse().expect("an address"),
        }
    }

    /// Decodes `input` whole, byte by byte and at every split, checks
    /// they agree, and returns the outcome.
    fn decode_all_ways(input: &[u8]) -> InPieces {
        let whole = decode_pieces([input]);
        assert_eq!(whole, decode_pieces(input.chunks(1)), "byte by byte");
        for split in 0..=input.len() {
            let (head, tail) = input.split_at(split);
            assert_eq!(whole, decode_pieces([head, tail]), "split at {split}");
        }
        whole
    }

    #[test]
    fn v1_tcp4_and_tcp6_and_the_bytes_after() {
        let line = b"PROXY TCP4 192.0.2.7 127.0.0.1 51000 19500\r\n";
        let mut input = line.to_vec();
        input.extend_from_slice(b"help\r\n");
        let expected = proxied("192.0.2.7:51000", "127.0.0.1:19500");
        assert_eq!(decode_all_ways(&input), Ok(Some((line.len(), expected))));
        let line = b"PROXY TCP6 2001:db8::7 ::1 443 19500\r\n";
        let expected = proxied("[2001:db8::7]:443", "[::1]:19500");
        assert_eq!(decode_all_ways(line), Ok(Some((line.len(), expected))));
    }

    #[test]
    fn v1_unknown_and_the_longest_line() {
        assert_eq!(
            decode_all_ways(b"PROXY UNKNOWN\r\nquit\r\n"),
            Ok(Some((15, Header::Unknown)))
        );
        // The longest the format allows: UNKNOWN with 107 bytes in all.
        let mut line = b"PROXY UNKNOWN ".to_vec();
        line.resize(V1_MAX_LEN - 2, b'x');
        line.extend_from_slice(b"\r\n");
        assert_eq!(decode_all_ways(&line), Ok(Some((107, Header::Unknown))));
        let longest = b"PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff \
              ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        assert_eq!(longest.len(), 104);
        assert!(matches!(decode_all_ways(longest), Ok(Some((104, _)))));
    }

    #[test]
    fn v1_over_107_bytes_is_refused_at_byte_107() {
        let mut line = b"PROXY UNKNOWN ".to_vec();
        line.resize(V1_MAX_LEN - 1, b'x');
        line.extend_from_slice(b"\r\n");
        assert_eq!(decode_all_ways(&line), Err(ProxyError::V1TooLong));
        assert_eq!(
            decode_all_ways(&[b'P'; 1000][..]),
            Err(ProxyError::Signature { at: 1, byte: b'P' })
        );
    }

    #[test]
    fn v1_malformed_lines() {
        for line in [
            &b"PROXY TCP4 192.0.2.7 127.0.0.1 51000 19500\n"[..],
            b"PROXY TCP4 192.0.2.7 127.0.0.1 51000\r\n",
            b"PROXY TCP4 192.0.2.7 127.0.0.1 51000 19500 7\r\n",
            b"PROXY TCP4 ::1 127.0.0.1 51000 19500\r\n",
            b"PROXY TCP6 192.0.2.7 ::1 51000 19500\r\n",
            b"PROXY TCP4 192.0.2.7 127.0.0.1 65536 19500\r\n",
            b"PROXY TCP4 192.0.2.7 127.0.0.1 +80 19500\r\n",
            b"PROXY TCP4 192.0.2.7  127.0.0.1 80 19500\r\n",
            b"PROXY UDP4 192.0.2.7 127.0.0.1 80 19500\r\n",
            b"PROXY tcp4 192.0.2.7 127.0.0.1 80 19500\r\n",
            b"PROXY \xff\r\n",
        ] {
            assert!(
                matches!(decode_all_ways(line), Err(ProxyError::V1Malformed(_))),
                "{}",
                line.escape_ascii()
            );
        }
    }

    #[test]
    fn hftp_without_a_header_is_refused_at_its_first_byte() {
        assert_eq!(
            decode_all_ways(b"help\r\n"),
            Err(ProxyError::Signature { at: 0, byte: b'h' })
        );
        assert_eq!(
            decode_all_ways(b"PROXZ TCP4"),
            Err(ProxyError::Signature { at: 4, byte: b'Z' })
        );
        assert_eq!(
            decode_all_ways(b"\r\n\r\n\0\r\nQUIT\r"),
            Err(ProxyError::Signature {
                at: 11,
                byte: b'\r'
            })
        );
        assert_eq!(decode_all_ways(b""), Ok(None));
    }

    #[test]
    fn v2_tcp4_with_tlvs_and_the_bytes_after() {
        let header = v2_tcp4(&[0x04, 0x00, 0x03, b'a', b'b', b'c']);
        let mut input = header.clone();
        input.extend_from_slice(b"get_file_listing\r\n");
        let expected = proxied("192.0.2.7:51000", "127.0.0.1:19500");
        assert_eq!(decode_all_ways(&input), Ok(Some((header.len(), expected))));
    }

    #[test]
    fn v2_tcp6() {
        let mut block = Vec::new();
        block.extend_from_slice(&"2001:db8::7".parse::<Ipv6Addr>().expect("v6").octets());
        block.extend_from_slice(&Ipv6Addr::LOCALHOST.octets());
        block.extend_from_slice(&443_u16.to_be_bytes());
        block.extend_from_slice(&19500_u16.to_be_bytes());
        let header = v2(1, V2_TCP6, &block);
        let expected = proxied("[2001:db8::7]:443", "[::1]:19500");
        assert_eq!(decode_all_ways(&header), Ok(Some((52, expected))));
    }

    #[test]
    fn v2_local_unspec_and_unix_keep_the_connections_addresses() {
        // HAProxy's health checks: LOCAL, any family, the block ignored.
        let local = v2(0, V2_TCP4, &[0; 12]);
        assert_eq!(decode_all_ways(&local), Ok(Some((28, Header::Local))));
        assert_eq!(
            decode_all_ways(&v2(0, 0x77, &[])),
            Ok(Some((16, Header::Local)))
        );
        assert_eq!(
            decode_all_ways(&v2(1, V2_UNSPEC, &[1, 2, 3])),
            Ok(Some((19, Header::Unknown)))
        );
        let unix = v2(1, V2_UNIX_STREAM, &[b'/'; V2_UNIX_LEN]);
        assert_eq!(
            decode_all_ways(&unix),
            Ok(Some((16 + V2_UNIX_LEN, Header::Unknown)))
        );
    }

    #[test]
    fn v2_refusals() {
        let mut wrong_version = v2_tcp4(&[]);
        wrong_version[12] = 0x11;
        assert_eq!(
            decode_all_ways(&wrong_version),
            Err(ProxyError::V2Version(1))
        );
        assert_eq!(
            decode_all_ways(&v2(2, V2_TCP4, &[0; 12])),
            Err(ProxyError::V2Command(2))
        );
        for datagram in [0x12, 0x22, 0x32, 0x41] {
            assert_eq!(
                decode_all_ways(&v2(1, datagram, &[0; 36])),
                Err(ProxyError::V2Family(datagram))
            );
        }
        assert_eq!(
            decode_all_ways(&v2(1, V2_TCP6, &[0; 12])),
            Err(ProxyError::V2Short {
                len: 12,
                needed: 36
            })
        );
    }

    #[test]
    fn v2_truncated_is_incomplete_and_the_longest_is_taken() {
        let header = v2_tcp4(&[0; 100]);
        for cut in 0..header.len() {
            assert_eq!(decode_all_ways(&header[..cut]), Ok(None), "cut at {cut}");
        }
        // The largest length field: 65 535 bytes after the fixed part,
        // counted off without being kept.
        let header = v2_tcp4(&vec![0; usize::from(u16::MAX) - V2_TCP4_LEN]);
        assert_eq!(header.len(), 16 + 65_535);
        let expected = proxied("192.0.2.7:51000", "127.0.0.1:19500");
        assert_eq!(
            decode_pieces(header.chunks(1000)),
            Ok(Some((header.len(), expected)))
        );
    }

    #[test]
    fn the_decoder_is_small() {
        assert!(size_of::<Decoder>() <= 128, "{}", size_of::<Decoder>());
    }

    #[test]
    fn the_fuzz_oracle_holds_on_the_examples() {
        check_splits(&v2_tcp4(b"tlv"));
        check_splits(b"PROXY TCP4 192.0.2.7 127.0.0.1 51000 19500\r\nhelp\r\n");
        check_splits(b"\xff");
        check_splits(b"");
    }
}
