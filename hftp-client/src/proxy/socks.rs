//! The client's side of SOCKS5 (RFC 1928) with username/password
//! authentication (RFC 1929), without I/O: the caller writes the
//! messages it is given and feeds in what the proxy answers.
//!
//! The proxy's replies are read to their exact end and no further, so
//! the bytes that follow them (the server's) stay in the socket. Every
//! reply is bounded: the longest, a bound domain name, is 262 bytes.

use std::net::IpAddr;

use super::ReplyCode;

/// The SOCKS version this speaks.
const VERSION: u8 = 5;
/// The version of the username/password sub-negotiation (RFC 1929).
const AUTH_VERSION: u8 = 1;
/// Method: no authentication.
const NO_AUTH: u8 = 0;
/// Method: username and password.
const PASSWORD: u8 = 2;
/// Method: none of those offered is acceptable.
const NO_ACCEPTABLE: u8 = 0xFF;
/// Command: open a TCP connection.
const CONNECT: u8 = 1;

/// Address types of a request and a reply.
const ATYP_IPV4: u8 = 1;
const ATYP_NAME: u8 = 3;
const ATYP_IPV6: u8 = 4;

/// Where the proxy is asked to connect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Destination<'a> {
    /// A host name, resolved by the proxy (`socks5h`): the only way to
    /// reach a `.onion` name.
    Name(&'a str, u16),
    /// An address resolved here, or an IP literal.
    Ip(IpAddr, u16),
}

/// A user name and password, at most 255 bytes each (RFC 1929).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Login<'a> {
    pub(crate) user: &'a str,
    pub(crate) password: &'a str,
}

/// How the handshake went wrong on the proxy's side: what it answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SocksError {
    /// The first byte was not SOCKS version 5: not a SOCKS5 proxy.
    #[error("{}", not_socks(*version))]
    NotSocks {
        /// The byte where the version should be.
        version: u8,
    },
    /// The proxy accepts none of the authentication methods offered.
    #[error("{}", if *offered_password {
        "it accepts neither no authentication nor this user name and password"
    } else {
        "it requires authentication: give user:password@ in the proxy URL"
    })]
    NoAcceptableMethod {
        /// Whether a user name and password were offered.
        offered_password: bool,
    },
    /// The proxy chose a method that was not offered.
    #[error("it chose authentication method {method:#04x}, which was not offered")]
    UnexpectedMethod {
        /// The method it chose.
        method: u8,
    },
    /// The proxy refused the user name and password.
    #[error("it refused the user name and password (status {status:#04x})")]
    BadCredentials {
        /// The status it answered, never 0.
        status: u8,
    },
    /// The proxy could not (or would not) connect to the server.
    #[error("it answered: {0}")]
    Reply(ReplyCode),
    /// A reply that breaks RFC 1928 or RFC 1929.
    #[error("its reply is malformed: {0}")]
    Malformed(&'static str),
    /// A destination or login that a SOCKS5 request cannot carry.
    #[error("{0}")]
    Unsendable(&'static str),
}

/// What a version byte that is not 5 says about the proxy.
fn not_socks(version: u8) -> String {
    match version {
        b'H' => "it speaks HTTP, not SOCKS5 (an HTTP proxy?)".to_owned(),
        4 => "it answered as SOCKS version 4, not 5".to_owned(),
        other => format!("it does not speak SOCKS5 (its first byte is {other:#04x})"),
    }
}

/// What [`Handshake::feed`] leaves the caller to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// Write these bytes to the proxy, then go on reading.
    Send(Vec<u8>),
    /// The proxy has connected: the stream now reaches the server.
    Connected,
}

/// The phase of the handshake: which reply is awaited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// The method selection: version, method.
    Method,
    /// The login's status: version, status.
    Login,
    /// The connect reply's first four bytes: version, reply, reserved,
    /// address type.
    Reply,
    /// The length byte of a bound domain name.
    NameLength,
    /// The bound address and port, skipped.
    Bound,
    /// Connected; nothing more is read.
    Done,
}

/// The handshake of one connection through a SOCKS5 proxy.
///
/// Send [`Handshake::greeting`], then read at most [`Handshake::wanted`]
/// bytes at a time and [`feed`](Handshake::feed) them until it says
/// [`Event::Connected`]. An error is sticky: every later call returns it.
#[derive(Clone, Debug)]
pub(crate) struct Handshake {
    phase: Phase,
    /// The bytes of the current phase's fixed part seen so far.
    have: usize,
    /// The bytes of the bound address still to skip.
    skip: usize,
    /// The connect request, sent once a method is agreed.
    request: Vec<u8>,
    /// The login message, if one is offered.
    login: Option<Vec<u8>>,
    failed: Option<SocksError>,
}

impl Handshake {
    /// A handshake asking the proxy to connect to `to`, offering `login`
    /// if given (and no authentication otherwise).
    pub(crate) fn new(to: Destination<'_>, login: Option<Login<'_>>) -> Result<Self, SocksError> {
        Ok(Self {
            phase: Phase::Method,
            have: 0,
            skip: 0,
            request: request(to)?,
            login: login.map(login_message).transpose()?,
            failed: None,
        })
    }

    /// The first message: the methods offered.
    pub(crate) fn greeting(&self) -> Vec<u8> {
        if self.login.is_some() {
            vec![VERSION, 1, PASSWORD]
        } else {
            vec![VERSION, 1, NO_AUTH]
        }
    }

    /// How many bytes to read next at most: reading no more than this
    /// never takes a byte past the proxy's last reply.
    pub(crate) const fn wanted(&self) -> usize {
        match self.phase {
            Phase::Method | Phase::Login => 2 - self.have,
            Phase::Reply => 4 - self.have,
            Phase::NameLength => 1,
            Phase::Bound => self.skip,
            Phase::Done => 0,
        }
    }

    /// True once the proxy has connected.
    #[cfg(any(test, fuzzing))]
    pub(crate) fn is_connected(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Takes bytes the proxy sent; says how many it used (it stops after
    /// an event) and what to do next, if anything.
    pub(crate) fn feed(&mut self, input: &[u8]) -> Result<(usize, Option<Event>), SocksError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let mut used = 0;
        while used < input.len() && self.phase != Phase::Done {
            let byte = input[used];
            used += 1;
            match self.step(byte) {
                Ok(None) => {}
                Ok(Some(event)) => return Ok((used, Some(event))),
                Err(error) => {
                    self.failed = Some(error.clone());
                    return Err(error);
                }
            }
        }
        Ok((used, None))
    }

    /// One byte of a reply.
    fn step(&mut self, byte: u8) -> Result<Option<Event>, SocksError> {
        let at = self.have;
        self.have += 1;
        match (self.phase, at) {
            (Phase::Method | Phase::Reply, 0) if byte != VERSION => {
                if self.phase == Phase::Method {
                    Err(SocksError::NotSocks { version: byte })
                } else {
                    Err(SocksError::Malformed(
                        "the connect reply's version is not 5",
                    ))
                }
            }
            (Phase::Method, 1) => self.method_chosen(byte).map(Some),
            (Phase::Login, 0) if byte != AUTH_VERSION => {
                Err(SocksError::Malformed("the login reply's version is not 1"))
            }
            (Phase::Login, 1) if byte != 0 => Err(SocksError::BadCredentials { status: byte }),
            (Phase::Login, 1) => Ok(Some(self.send_request())),
            (Phase::Reply, 1) if byte != 0 => Err(SocksError::Reply(ReplyCode::from_byte(byte))),
            (Phase::Reply, 2) if byte != 0 => Err(SocksError::Malformed(
                "the connect reply's reserved byte is not 0",
            )),
            (Phase::Reply, 3) => {
                self.have = 0;
                match byte {
                    ATYP_IPV4 => self.bound(4 + 2),
                    ATYP_IPV6 => self.bound(16 + 2),
                    ATYP_NAME => {
                        self.phase = Phase::NameLength;
                        Ok(None)
                    }
                    _ => Err(SocksError::Malformed(
                        "the bound address has an unknown type",
                    )),
                }
            }
            (Phase::NameLength, _) => self.bound(usize::from(byte) + 2),
            (Phase::Bound, _) => {
                self.skip -= 1;
                Ok(self.connected_if_done())
            }
            _ => Ok(None),
        }
    }

    /// The method the proxy chose, and the message that follows it.
    fn method_chosen(&mut self, method: u8) -> Result<Event, SocksError> {
        match method {
            NO_AUTH => Ok(self.send_request()),
            PASSWORD => match self.login.take() {
                Some(login) => {
                    self.phase = Phase::Login;
                    self.have = 0;
                    Ok(Event::Send(login))
                }
                None => Err(SocksError::UnexpectedMethod { method }),
            },
            NO_ACCEPTABLE => Err(SocksError::NoAcceptableMethod {
                offered_password: self.login.is_some(),
            }),
            _ => Err(SocksError::UnexpectedMethod { method }),
        }
    }

    /// Moves to the connect reply and gives the request to send.
    fn send_request(&mut self) -> Event {
        self.phase = Phase::Reply;
        self.have = 0;
        Event::Send(std::mem::take(&mut self.request))
    }

    /// Skips `bytes` of bound address and port.
    const fn bound(&mut self, bytes: usize) -> Result<Option<Event>, SocksError> {
        self.phase = Phase::Bound;
        self.skip = bytes;
        Ok(None)
    }

    /// [`Event::Connected`] once the bound address is skipped.
    fn connected_if_done(&mut self) -> Option<Event> {
        (self.skip == 0).then(|| {
            self.phase = Phase::Done;
            Event::Connected
        })
    }
}

/// The CONNECT request for `to`.
fn request(to: Destination<'_>) -> Result<Vec<u8>, SocksError> {
    let mut out = vec![VERSION, CONNECT, 0];
    let port = match to {
        Destination::Name(name, port) => {
            let len = u8::try_from(name.len()).ok().filter(|&len| len > 0).ok_or(
                SocksError::Unsendable("a SOCKS5 request carries a host name of 1 to 255 bytes"),
            )?;
            out.extend([ATYP_NAME, len]);
            out.extend_from_slice(name.as_bytes());
            port
        }
        Destination::Ip(IpAddr::V4(ip), port) => {
            out.push(ATYP_IPV4);
            out.extend(ip.octets());
            port
        }
        Destination::Ip(IpAddr::V6(ip), port) => {
            out.push(ATYP_IPV6);
            out.extend(ip.octets());
            port
        }
    };
    out.extend(port.to_be_bytes());
    Ok(out)
}

/// The username/password message (RFC 1929).
fn login_message(login: Login<'_>) -> Result<Vec<u8>, SocksError> {
    let too_long =
        SocksError::Unsendable("a SOCKS5 user name and password hold 1 to 255 bytes each");
    let user = u8::try_from(login.user.len()).ok().filter(|&n| n > 0);
    let password = u8::try_from(login.password.len()).ok().filter(|&n| n > 0);
    let (Some(user), Some(password)) = (user, password) else {
        return Err(too_long);
    };
    let mut out = vec![AUTH_VERSION, user];
    out.extend_from_slice(login.user.as_bytes());
    out.push(password);
    out.extend_from_slice(login.password.as_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests;
