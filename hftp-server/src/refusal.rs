//! Turning a client away: `199`, without blocking, then the close.

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpStream};

use hftp_proto::{Code, reply};
use log::warn;

use crate::text::Text;

/// Answers `199` without blocking and closes: the server is at capacity.
pub(crate) fn refuse(stream: &TcpStream, peer: SocketAddr, text: &dyn Text, why: &str) {
    warn!("{}", text.refused(peer, Code::InternalError.number(), why));
    let mut status = Vec::new();
    reply::write_status(Code::InternalError, &mut status);
    let _ = stream.set_nonblocking(true);
    let mut stream_ref = stream;
    let _ = stream_ref.write(&status);
    let _ = stream.shutdown(Shutdown::Write);
    // Read what already arrived, so closing with unread bytes does not
    // reset the connection before the client reads the status.
    let mut scrap = [0; 512];
    for _ in 0..16 {
        if !matches!(stream_ref.read(&mut scrap), Ok(1..)) {
            break;
        }
    }
}
