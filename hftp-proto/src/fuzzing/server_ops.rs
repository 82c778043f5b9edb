//! A [`ServerConnection`] driven by an arbitrary sequence of operations
//! (bytes from a client, valid requests, decodes of any prefix, replies
//! finished with any code, the end of the stream) against a model of its
//! phases, as quinn-proto's `streams` fuzz target drives its streams.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use super::choices::Choices;
use super::request_of;
use crate::code::Code;
use crate::config::ServerConfig;
use crate::decoder::Decoded;
use crate::error::Fatal;
use crate::line::Item;
use crate::name::MAX_NAME_LEN;
use crate::request::Request;
use crate::server::{Phase, ServerConnection};

/// Names the requests carry: short, non-ASCII, and the longest allowed.
const NAMES: [&str; 3] = ["a", "ñandú.txt", LONGEST];

/// A name of [`MAX_NAME_LEN`] bytes.
const LONGEST: &str = match core::str::from_utf8(&[b'n'; MAX_NAME_LEN]) {
    Ok(name) => name,
    Err(_) => panic!("ASCII is UTF-8"),
};

/// The connection and what the model expects of it.
struct Model {
    server: ServerConnection,
    /// Bytes the client sent that the server has not consumed.
    queue: Vec<u8>,
    /// Stream offset of `queue[0]`: the bytes consumed so far.
    consumed: u64,
    /// Stream offset where the current line began.
    line_start: u64,
    /// The phase the connection must be in.
    phase: Phase,
    /// The fatal fault every later `decode` must return.
    fatal: Option<Fatal>,
    /// Valid requests known to start a line, with their stream offsets.
    expected: VecDeque<(u64, Request<'static>)>,
    /// True while the queue ends at a line boundary.
    clean_end: bool,
}

impl Model {
    fn new() -> Self {
        Self {
            server: ServerConnection::new(&ServerConfig::default().max_line_len(300)),
            queue: Vec::new(),
            consumed: 0,
            line_start: 0,
            phase: Phase::Reading,
            fatal: None,
            expected: VecDeque::new(),
            clean_end: true,
        }
    }

    /// True while a line has begun and not ended.
    fn mid_line(&self) -> bool {
        self.phase == Phase::Reading && self.fatal.is_none() && self.consumed > self.line_start
    }

    /// Checks what every operation leaves true.
    fn check(&self) {
        assert_eq!(self.server.phase(), self.phase, "phase");
        assert_eq!(self.server.is_mid_request(), self.mid_line(), "mid request");
    }

    /// The client sends a valid request.
    fn send_request(&mut self, choices: &mut Choices<'_>) {
        let name = NAMES[choices.below(NAMES.len())];
        let request = request_of(choices.byte(), name, choices.u64(), choices.u64());
        if self.clean_end {
            let offset = self.consumed + self.queue.len() as u64;
            self.expected.push_back((offset, request));
        }
        request.encode(&mut self.queue).expect("a valid name");
    }

    /// The client sends arbitrary bytes.
    fn send_bytes(&mut self, choices: &mut Choices<'_>) {
        let len = choices.below(16);
        let bytes = choices.bytes(len);
        self.clean_end &= bytes.is_empty();
        self.queue.extend_from_slice(bytes);
    }

    /// The server decodes a prefix of what it has received.
    fn decode(&mut self, choices: &mut Choices<'_>) {
        let choice = choices.byte();
        let len = match choice & 1 {
            0 => self.queue.len(),
            _ => usize::from(choice >> 1) % (self.queue.len() + 1),
        };
        let result = self.server.decode(&self.queue[..len]);
        if let Some(fatal) = self.fatal {
            assert_eq!(result, Err(fatal), "a fatal error is sticky");
            return;
        }
        let decoded = match result {
            Err(fatal) => {
                assert_eq!(self.phase, Phase::Reading, "only reading fails");
                assert!(Code::from(fatal).is_fatal());
                self.fatal = Some(fatal);
                self.phase = Phase::Closed;
                return;
            }
            Ok(decoded) => decoded,
        };
        assert!(decoded.consumed <= len, "consumed at most the input");
        if self.phase != Phase::Reading {
            let nothing = Decoded {
                consumed: 0,
                item: None,
            };
            assert_eq!(decoded, nothing, "nothing is read outside Reading");
            return;
        }
        let (consumed, item) = (decoded.consumed, decoded.item);
        self.phase = match item {
            None => {
                assert_eq!(consumed, len, "with no item, all input is taken");
                Phase::Reading
            }
            Some(item) => {
                assert!(consumed > 0, "a line takes bytes");
                let end = self.consumed + consumed as u64;
                check_item(&mut self.expected, self.line_start, end, item);
                self.line_start = end;
                match item {
                    Item::Request(Request::Quit) => Phase::Closed,
                    Item::Request(_) | Item::Rejected(_) => Phase::Replying,
                }
            }
        };
        self.queue.drain(..consumed);
        self.consumed += consumed as u64;
        if self.queue.is_empty() && !self.mid_line() {
            self.clean_end = true;
        }
    }

    /// The server finishes the reply with any code.
    fn finish_reply(&mut self, choices: &mut Choices<'_>) {
        let code = Code::ALL[choices.below(Code::ALL.len())];
        self.server.finish_reply(code);
        if self.phase == Phase::Replying {
            self.phase = if code.is_fatal() {
                Phase::Closed
            } else {
                Phase::Reading
            };
        }
    }

    /// The client closes its side.
    fn receive_eof(&mut self) {
        let cut = self.mid_line();
        assert_eq!(self.server.receive_eof(), cut, "cut a request");
        self.phase = Phase::Closed;
    }
}

/// Checks an item that ended at stream offset `end`, its line having begun
/// at `start`, against the request known to start there, if any.
fn check_item(
    expected: &mut VecDeque<(u64, Request<'static>)>,
    start: u64,
    end: u64,
    item: Item<'_>,
) {
    let Some(&(offset, request)) = expected.front() else {
        return;
    };
    assert!(
        offset >= start,
        "a request at {offset} went into another line"
    );
    if offset < end {
        assert_eq!(offset, start, "a request begins its line");
        assert_eq!(item, Item::Request(request), "a sent request comes back");
        expected.pop_front();
    }
}

/// Runs the operations `data` spells out, checking the model after each.
pub fn server_ops(data: &[u8]) {
    let mut choices = Choices::new(data);
    let mut model = Model::new();
    while !choices.is_empty() {
        match choices.byte() % 8 {
            0 | 1 => model.send_request(&mut choices),
            2 => model.send_bytes(&mut choices),
            3..=5 => model.decode(&mut choices),
            6 => model.finish_reply(&mut choices),
            _ => model.receive_eof(),
        }
        model.check();
    }
}
