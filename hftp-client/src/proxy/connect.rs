//! A blocking connection through a proxy: reach it, then run the
//! handshake against a deadline.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use super::{Destination, Event, Handshake, Proxy, ProxyError};

/// The longest reply the handshake reads in one go.
const REPLY_BUFFER: usize = 262;

/// Opens a connection to `to` through `proxy`, the connect and the whole
/// handshake bounded by `timeout` (`None`: as long as the system waits).
pub(crate) fn through(
    proxy: &Proxy,
    to: Destination<'_>,
    timeout: Option<Duration>,
) -> Result<TcpStream, ProxyError> {
    let deadline = timeout.map(|timeout| (Instant::now() + timeout, timeout));
    let mut handshake = Handshake::new(to, proxy.credentials())?;
    let mut stream = reach(proxy, deadline)?;
    let greeting = handshake.greeting();
    let result = run(&mut stream, &mut handshake, &greeting, deadline);
    // A failed handshake leaves nothing worth keeping open.
    if result.is_err() {
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
    result.map(|()| stream)
}

/// A TCP connection to the proxy, trying each of its addresses.
fn reach(proxy: &Proxy, deadline: Option<(Instant, Duration)>) -> Result<TcpStream, ProxyError> {
    let addr = proxy.addr();
    let mut last = io::Error::new(io::ErrorKind::NotFound, "its name resolved to no address");
    let addrs = (addr.host(), addr.port())
        .to_socket_addrs()
        .map_err(ProxyError::Unreachable)?;
    for socket_addr in addrs {
        let attempt = match deadline {
            Some((at, whole)) => match left(at) {
                Some(left) => TcpStream::connect_timeout(&socket_addr, left),
                None => return Err(ProxyError::Timeout(whole)),
            },
            None => TcpStream::connect(socket_addr),
        };
        match attempt {
            Ok(stream) => {
                log::debug!("connected to the proxy at {socket_addr}");
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(error) => last = error,
        }
    }
    Err(ProxyError::Unreachable(last))
}

/// Sends the greeting and every message the handshake asks for, reading
/// no byte past the proxy's last reply.
fn run(
    stream: &mut TcpStream,
    handshake: &mut Handshake,
    greeting: &[u8],
    deadline: Option<(Instant, Duration)>,
) -> Result<(), ProxyError> {
    let timed_out = |error: io::Error| match (error.kind(), deadline) {
        (io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut, Some((_, whole))) => {
            ProxyError::Timeout(whole)
        }
        _ => ProxyError::Io(error),
    };
    let arm = |stream: &TcpStream| -> Result<(), ProxyError> {
        if let Some((at, whole)) = deadline {
            let left = left(at).ok_or(ProxyError::Timeout(whole))?;
            stream
                .set_read_timeout(Some(left))
                .map_err(ProxyError::Io)?;
            stream
                .set_write_timeout(Some(left))
                .map_err(ProxyError::Io)?;
        }
        Ok(())
    };
    arm(stream)?;
    stream.write_all(greeting).map_err(timed_out)?;
    let mut buffer = [0; REPLY_BUFFER];
    loop {
        let wanted = handshake.wanted().min(REPLY_BUFFER);
        arm(stream)?;
        let read = match stream.read(&mut buffer[..wanted]) {
            Ok(0) => return Err(ProxyError::Closed),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(timed_out(error)),
        };
        let mut input = &buffer[..read];
        while !input.is_empty() {
            let (used, event) = handshake.feed(input)?;
            input = &input[used..];
            match event {
                Some(Event::Send(message)) => {
                    arm(stream)?;
                    stream.write_all(&message).map_err(timed_out)?;
                }
                Some(Event::Connected) => return Ok(()),
                None => {}
            }
        }
    }
}

/// The time left until `deadline`, if any.
fn left(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
}
