//! The server side's connection: the decoder plus the order of replies.

use crate::code::Code;
use crate::config::ServerConfig;
use crate::decoder::{Decoded, RequestDecoder};
use crate::error::Fatal;
use crate::line::Item;
use crate::request::Request;

/// Where a server connection is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the next request; [`ServerConnection::decode`] reads.
    Reading,
    /// A request was handed out and its reply is not finished;
    /// [`ServerConnection::decode`] reads nothing (backpressure).
    Replying,
    /// After `quit`, a fatal code or the end of the stream: nothing more
    /// is read or answered (rule 10). Close the socket.
    Closed,
}

/// One server-side HFTP connection, without I/O.
///
/// Methods come in three kinds:
///
/// - getters take `&self` and change nothing: [`phase`](Self::phase),
///   [`is_mid_request`](Self::is_mid_request);
/// - inputs feed bytes or events in: [`decode`](Self::decode),
///   [`receive_eof`](Self::receive_eof);
/// - [`finish_reply`](Self::finish_reply) says that the reply to the last
///   item is written, with the encoders of [`reply`](crate::reply) and
///   [`SliceEncoder`](crate::SliceEncoder).
///
/// The loop: feed what arrived to `decode` until it yields an item; answer
/// it; call `finish_reply`; feed the rest. A fatal error is sticky: answer
/// its code once, then close.
#[derive(Clone, Debug)]
pub struct ServerConnection {
    decoder: RequestDecoder,
    /// The phase, or the fatal fault that closed the connection.
    state: Result<Phase, Fatal>,
}

impl ServerConnection {
    /// A connection that waits for its first request.
    #[must_use]
    pub fn new(config: &ServerConfig) -> Self {
        Self {
            decoder: RequestDecoder::new(config),
            state: Ok(Phase::Reading),
        }
    }

    /// Where the connection is.
    #[must_use]
    pub const fn phase(&self) -> Phase {
        match self.state {
            Ok(phase) => phase,
            Err(_) => Phase::Closed,
        }
    }

    /// True while a request line has begun and not yet ended: the bytes
    /// fed so far stop mid-line. A server bounds how long a line may take
    /// to arrive with it (a client trickling an endless line).
    #[must_use]
    pub const fn is_mid_request(&self) -> bool {
        matches!(self.state, Ok(Phase::Reading)) && !self.decoder.is_between_lines()
    }

    /// Feeds bytes that arrived; yields at most one item.
    ///
    /// While a reply is in flight or after the end this takes nothing
    /// (`consumed == 0`): keep the bytes for later. The first fatal error
    /// is returned again by every later call.
    pub fn decode(&mut self, input: &[u8]) -> Result<Decoded<'_>, Fatal> {
        if self.state? != Phase::Reading {
            return Ok(Decoded {
                consumed: 0,
                item: None,
            });
        }
        match self.decoder.decode(input) {
            Ok(decoded) => {
                self.state = Ok(match decoded.item {
                    None => Phase::Reading,
                    Some(Item::Request(Request::Quit)) => Phase::Closed,
                    Some(_) => Phase::Replying,
                });
                Ok(decoded)
            }
            Err(fatal) => {
                self.state = Err(fatal);
                Err(fatal)
            }
        }
    }

    /// Marks the reply to the last item as written with status `code`.
    /// After a fatal code (such as `199` for a file that cannot be read)
    /// the connection is closed.
    ///
    /// Outside [`Phase::Replying`] this does nothing.
    pub fn finish_reply(&mut self, code: Code) {
        if self.state == Ok(Phase::Replying) {
            self.state = Ok(if code.is_fatal() {
                Phase::Closed
            } else {
                Phase::Reading
            });
        }
    }

    /// The client closed its side. Returns true if that cut a request
    /// short; such a request is not answered (rule 10).
    pub fn receive_eof(&mut self) -> bool {
        let cut = self.is_mid_request();
        if self.state.is_ok() {
            self.state = Ok(Phase::Closed);
        }
        cut
    }
}
