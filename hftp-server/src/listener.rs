//! The listening socket and the accept loop: admission, the connection
//! cap, and backing off when the process runs out of descriptors.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use log::{debug, info, warn};
use socket2::{Domain, Protocol, Socket, Type};

use crate::Error;
use crate::connection;
use crate::refusal::refuse;
use crate::shared::Shared;
use crate::text::Text;

/// The listen backlog: std's 128 drops SYNs under a burst of clients; the
/// kernel caps this at `somaxconn`.
const BACKLOG: i32 = 4096;

/// Each connection thread's stack: the connection keeps its buffers on
/// the heap, and untouched stack pages cost no memory.
const STACK_SIZE: usize = 128 * 1024;

/// How long to wait before accepting again when the process or system is
/// out of descriptors or memory.
const BACKOFF: Duration = Duration::from_millis(100);

/// Listens on `address:port`, and says on which address it does. The
/// default `::` falls back to `0.0.0.0` where IPv6 is unavailable.
pub(crate) fn bind(
    address: IpAddr,
    port: u16,
    text: &dyn Text,
) -> Result<(TcpListener, SocketAddr), Error> {
    let wanted = SocketAddr::new(address, port);
    match listen_on(wanted) {
        Err(error) if address == IpAddr::V6(Ipv6Addr::UNSPECIFIED) && !is_port_problem(&error) => {
            let fallback = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port);
            info!("{}", text.ipv6_unavailable(&error, fallback));
            listen_on(fallback)
        }
        result => result,
    }
    .and_then(|listener| {
        let local = listener.local_addr()?;
        Ok((listener, local))
    })
    .map_err(|source| Error::Listen {
        address: wanted,
        source,
    })
}

/// Errors that the IPv4 fallback would hit too.
fn is_port_problem(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::AddrInUse | io::ErrorKind::PermissionDenied
    )
}

/// A listening socket with a deep backlog; an IPv6 one is dual-stack.
fn listen_on(address: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    if address.is_ipv6() {
        socket.set_only_v6(false)?;
    }
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(BACKLOG)?;
    Ok(socket.into())
}

/// Accepts until a stop begins. Never returns early for load: errors are
/// logged and, for resource exhaustion, waited out.
pub(crate) fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    let mut exhausted = false;
    while !shared.registry.is_stopping() {
        if shared.sequential && !shared.registry.wait_alone() {
            break;
        }
        match listener.accept() {
            // A stop began while waiting: this client came too late.
            Ok(_) | Err(_) if shared.registry.is_stopping() => break,
            Ok((stream, peer)) => {
                exhausted = false;
                admit(stream, peer, shared);
            }
            Err(error) => exhausted = back_off(&error, exhausted, shared.text),
        }
    }
}

/// Handles a failed `accept`: waits when out of resources (logging once
/// per spell), skips connections that died in the backlog. Returns whether
/// the process is still out of resources.
fn back_off(error: &io::Error, exhausted: bool, text: &dyn Text) -> bool {
    use rustix::io::Errno;
    let errno = error.raw_os_error().map(Errno::from_raw_os_error);
    match errno {
        Some(Errno::MFILE | Errno::NFILE | Errno::NOBUFS | Errno::NOMEM) => {
            if !exhausted {
                warn!("{}", text.accept_backoff(error));
            }
            thread::sleep(BACKOFF);
            true
        }
        Some(Errno::CONNABORTED | Errno::INTR | Errno::PROTO | Errno::PERM) => {
            debug!("{}", text.accept_failed(error));
            exhausted
        }
        _ => {
            warn!("{}", text.accept_failed(error));
            thread::sleep(BACKOFF / 10);
            exhausted
        }
    }
}

/// Sets up a new client and gives it a thread, or refuses it with `199`.
fn admit(stream: TcpStream, peer: SocketAddr, shared: &Arc<Shared>) {
    let peer = SocketAddr::new(peer.ip().to_canonical(), peer.port());
    if let Some(proxies) = &shared.proxies
        && !proxies.allows(peer.ip())
    {
        warn!("{}", shared.text.proxy_not_allowed(peer));
        return;
    }
    let stream = Arc::new(stream);
    let admitted = if shared.proxies.is_some() {
        // Counted against its client's address once the header names it.
        shared
            .registry
            .admit_unidentified(&stream, peer, shared.caps)
    } else {
        shared.registry.admit(&stream, peer, shared.caps)
    };
    let ticket = match admitted {
        Ok(ticket) => ticket,
        Err(refusal) => return refuse(&stream, peer, shared.text, &refusal.words(shared.text)),
    };
    let for_thread = Arc::clone(&stream);
    let shared_for_thread = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name("hftp-conn".into())
        .stack_size(STACK_SIZE)
        .spawn(move || connection::serve(&for_thread, peer, &shared_for_thread, ticket));
    if let Err(error) = spawned {
        // The closure, and with it the ticket, is dropped: the slot is free.
        refuse(&stream, peer, shared.text, &shared.text.no_thread(&error));
    }
}
