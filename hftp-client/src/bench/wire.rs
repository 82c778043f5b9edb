//! The benchmarks' connections: the client's own pipeline over a
//! socket, and the few exchanges every mode shares.

use std::net::TcpStream;

use hftp_proto::{ClientConfig, Code, Form, Request};

use super::Target;
use crate::client::refused;
use crate::pipeline::{Pipeline, Step, Timeouts};
use crate::{Builder, Error};

/// A benchmark connection.
pub(crate) type Wire = Pipeline<TcpStream>;

/// A socket to the target, with its timeouts and `TCP_NODELAY`, as the
/// client's own [`Builder`] opens them.
pub(crate) fn socket(target: &Target) -> Result<TcpStream, Error> {
    let timeout = Some(target.timeout);
    Builder::new()
        .connect_timeout(timeout)
        .read_timeout(timeout)
        .write_timeout(timeout)
        .open(&target.dialer)
        .map(|(stream, _)| stream)
}

/// A connection to the target, with 256 KiB buffers.
pub(crate) fn connect(target: &Target) -> Result<Wire, Error> {
    let mut wire = Pipeline::new(socket(target)?, &ClientConfig::default(), 256 * 1024);
    wire.set_timeouts(Timeouts {
        read: Some(target.timeout),
        write: Some(target.timeout),
    });
    Ok(wire)
}

/// Sends one request and reads its whole reply: its steps, body bytes
/// counted into `body`.
pub(crate) fn ask(
    wire: &mut Wire,
    request: &Request<'_>,
    body: &mut dyn FnMut(&[u8]),
) -> Result<Vec<Step>, Error> {
    wire.queue(request)?;
    wire.flush()?;
    let mut steps = Vec::new();
    let due = wire.pending();
    while wire.pending() >= due && wire.pending() > 0 {
        let step = wire.next_step(&mut |bytes| {
            body(bytes);
            Ok(())
        })?;
        if step == Step::Closed {
            return Err(Error::Closed);
        }
        steps.push(step);
    }
    Ok(steps)
}

/// The size of `name`, by `get_metadata`.
pub(crate) fn size_of(wire: &mut Wire, name: &str) -> Result<u64, Error> {
    let request = Request::Metadata { name };
    match ask(wire, &request, &mut |_| {})?.as_slice() {
        [Step::Status(Code::Ok), Step::Size(size)] => Ok(*size),
        [Step::Status(code)] => Err(refused(*code, &request)),
        _ => Err(Error::Protocol(hftp_proto::ProtocolError::UnexpectedData)),
    }
}

/// The form of slice bodies a server speaks, from its answer to `help`.
pub(crate) fn form_of(wire: &mut Wire) -> Result<Form, Error> {
    match ask(wire, &Request::Help, &mut |_| {})?.first() {
        Some(Step::Status(code)) => {
            crate::client::form_from_help(*code).ok_or_else(|| refused(*code, &Request::Help))
        }
        _ => Err(Error::Protocol(hftp_proto::ProtocolError::UnexpectedData)),
    }
}
