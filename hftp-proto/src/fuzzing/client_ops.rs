//! A [`ClientConnection`] driven by an arbitrary sequence of operations
//! (requests sent, valid replies from a model server in any framing,
//! arbitrary bytes, decodes of any prefix into buffers of 0 to 8 bytes,
//! raw takes, the end of the stream) against a model of its replies, as
//! quinn-proto's `streams` fuzz target drives its streams.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use base64::Engine as _;

use super::choices::Choices;
use super::request_of;
use crate::body::{RawSlice, SliceEncoder};
use crate::client::{ClientConnection, Event};
use crate::code::Code;
use crate::config::ClientConfig;
use crate::error::ProtocolError;
use crate::fragment::FragmentEncoder;
use crate::reply::{Listing, write_metadata, write_status};
use crate::request::{Form, Request};

/// Names the model server lists.
const NAMES: [&[u8]; 3] = [b"a", "ñandú.txt".as_bytes(), b"hola.txt"];

/// One step the client must report, and whether it completes its reply.
type Step = (String, bool);

/// The connection, the bytes between the two sides, and what the model
/// expects of it.
struct Model {
    client: ClientConnection,
    /// Requests sent that the model server has not answered yet.
    unanswered: VecDeque<Request<'static>>,
    /// For each request whose reply the client has not completed, oldest
    /// first: whether it is `quit`.
    pending_quit: VecDeque<bool>,
    /// Bytes the server sent that the client has not consumed.
    wire: Vec<u8>,
    /// The steps the client must report, in order.
    steps: VecDeque<Step>,
    /// The body each `BodyEnd` must have delivered, in order.
    bodies: VecDeque<Vec<u8>>,
    /// Body bytes delivered since the last `BodyEnd`.
    body: Vec<u8>,
    /// True once bytes no model wrote went on the wire.
    tainted: bool,
    /// True once the server closed or answered a fatal code or `quit`.
    server_done: bool,
    /// True once the end of the stream was reported.
    eof: bool,
    /// The error every later call must return.
    error: Option<ProtocolError>,
}

impl Model {
    fn new() -> Self {
        Self {
            client: ClientConnection::new(&ClientConfig::default().max_line_len(300)),
            unanswered: VecDeque::new(),
            pending_quit: VecDeque::new(),
            wire: Vec::new(),
            steps: VecDeque::new(),
            bodies: VecDeque::new(),
            body: Vec::new(),
            tainted: false,
            server_done: false,
            eof: false,
            error: None,
        }
    }

    /// Checks what every operation leaves true.
    fn check(&self) {
        if self.error.is_none() {
            assert_eq!(
                self.client.pending(),
                self.pending_quit.len(),
                "pending is sent minus completed"
            );
        }
    }

    /// The client sends a request.
    fn send(&mut self, choices: &mut Choices<'_>) {
        let size = choices.below(40) as u64;
        let request = request_of(choices.byte(), "a", 0, size);
        self.client
            .send(&request, &mut Vec::new())
            .expect("a valid request");
        self.unanswered.push_back(request);
        self.pending_quit.push_back(request == Request::Quit);
    }

    /// The model server answers the oldest request it has not answered.
    fn answer(&mut self, choices: &mut Choices<'_>) {
        if self.server_done || self.eof {
            return;
        }
        let Some(request) = self.unanswered.pop_front() else {
            return;
        };
        let choice = choices.byte();
        if choice.is_multiple_of(4) {
            let code = Code::ALL[1 + choices.below(Code::ALL.len() - 1)];
            write_status(code, &mut self.wire);
            self.steps.push_back((format!("Status({code:?})"), true));
            self.server_done = code.is_fatal();
            return;
        }
        match request {
            Request::FileListing | Request::Help => self.list(choices),
            Request::Metadata { .. } => {
                let size = choices.u64();
                write_metadata(size, &mut self.wire);
                self.expect_status_then(format!("Size({size})"));
            }
            Request::Slice { size, form, .. } => self.slice(size, form, choices),
            Request::Quit => {
                self.server_done = true;
                if choice & 8 == 0 {
                    write_status(Code::Ok, &mut self.wire);
                    self.steps.push_back(("Status(Ok)".into(), true));
                }
            }
        }
    }

    /// `0 OK`, then `last`, which completes the reply.
    fn expect_status_then(&mut self, last: String) {
        self.steps.push_back(("Status(Ok)".into(), false));
        self.steps.push_back((last, true));
    }

    /// A listing of some names.
    fn list(&mut self, choices: &mut Choices<'_>) {
        let mut listing = Listing::begin(false, &mut self.wire);
        self.steps.push_back(("Status(Ok)".into(), false));
        for _ in 0..choices.below(4) {
            let name = NAMES[choices.below(NAMES.len())];
            let name = listing.push(name, &mut self.wire).expect("listable");
            self.steps.push_back((format!("Name({name:?})"), false));
        }
        listing.finish(&mut self.wire);
        self.steps.push_back(("ListEnd".into(), true));
    }

    /// A slice body of `size` bytes in `form`, plain ones in a framing
    /// the choices pick: one base64 line, several, or fragments.
    fn slice(&mut self, size: u64, form: Form, choices: &mut Choices<'_>) {
        let mut data = choices.bytes(size as usize).to_vec();
        data.resize(size as usize, 0);
        let out = &mut self.wire;
        match (form, choices.byte() % 3) {
            (Form::Raw, _) => {
                let mut body = RawSlice::begin(size, out);
                out.extend_from_slice(&data);
                body.sent(size).expect("exactly the size");
                body.finish().expect("complete");
            }
            (Form::Base64, 0) => {
                let mut body = SliceEncoder::begin(size, out);
                for piece in data.chunks(1 + choices.below(8)) {
                    body.encode(piece, out).expect("within the size");
                }
                body.finish(out).expect("complete");
            }
            (Form::Base64, 1) if size > 0 => {
                write_status(Code::Ok, out);
                let engine = base64::engine::general_purpose::STANDARD;
                for line in data.chunks(1 + choices.below(8)) {
                    out.extend_from_slice(engine.encode(line).as_bytes());
                    out.extend_from_slice(b"\r\n");
                }
            }
            (Form::Base64, _) => {
                let mut body = FragmentEncoder::begin(size, out);
                for fragment in data.chunks(1 + choices.below(8)) {
                    body.encode(fragment, out).expect("within the size");
                }
                body.finish(out).expect("complete");
            }
        }
        self.bodies.push_back(data);
        self.expect_status_then("BodyEnd".into());
    }

    /// Arbitrary bytes go on the wire.
    fn garbage(&mut self, choices: &mut Choices<'_>) {
        let len = choices.below(8);
        let bytes = choices.bytes(len);
        self.tainted |= !bytes.is_empty();
        self.wire.extend_from_slice(bytes);
    }

    /// The client decodes a prefix of the wire into a buffer of 0 to 8
    /// bytes.
    fn decode(&mut self, choices: &mut Choices<'_>) {
        let mut out = vec![0; choices.below(9)];
        let choice = choices.byte();
        let len = match choice & 1 {
            0 => self.wire.len(),
            _ => usize::from(choice >> 1) % (self.wire.len() + 1),
        };
        let received = self.client.decode(&self.wire[..len], &mut out);
        if let Some(error) = self.error {
            assert_eq!(received.map(drop), Err(error), "an error is sticky");
            return;
        }
        let received = match received {
            Ok(received) => received,
            Err(error) => {
                assert!(self.tainted || self.eof, "a valid reply refused: {error:?}");
                self.error = Some(error);
                return;
            }
        };
        assert!(received.consumed <= len, "consumed at most the input");
        assert!(received.produced <= out.len(), "produced at most the room");
        let progress = received.consumed > 0 || received.produced > 0;
        if len > 0 && !out.is_empty() {
            assert!(progress || received.event.is_some(), "no progress");
        }
        let (consumed, complete) = (received.consumed, received.complete);
        let event = received.event.map(|event| format!("{event:?}"));
        self.body.extend_from_slice(&out[..received.produced]);
        self.wire.drain(..consumed);
        if let Some(event) = event {
            self.on_event(event, complete);
        } else {
            assert!(!complete, "only an event completes a reply");
        }
    }

    /// The client takes raw body bytes from the front of the wire.
    fn take_raw(&mut self, choices: &mut Choices<'_>) {
        let available = choices.below(self.wire.len() + 1);
        let due = self.client.raw_remaining();
        let (taken, event) = self.client.take_raw(available);
        assert!(taken <= available, "taken at most what is available");
        if due.is_none() || self.error.is_some() {
            assert_eq!((taken, event), (0, None), "nothing is due");
            return;
        }
        self.body.extend_from_slice(&self.wire[..taken]);
        self.wire.drain(..taken);
        if let Some(event) = event {
            assert_eq!(event, Event::BodyEnd);
            self.on_event(format!("{event:?}"), true);
        }
    }

    /// Checks an event against the model's next step.
    fn on_event(&mut self, event: String, complete: bool) {
        if complete {
            self.pending_quit.pop_front();
        }
        let body = core::mem::take(&mut self.body);
        if self.tainted {
            return;
        }
        let step = self.steps.pop_front();
        assert_eq!(step, Some((event.clone(), complete)), "the next step");
        if event == "BodyEnd" {
            assert_eq!(self.bodies.pop_front(), Some(body), "the body sent");
        } else {
            assert!(body.is_empty(), "body bytes only before BodyEnd");
        }
    }

    /// The server closes the connection.
    fn receive_eof(&mut self) {
        let ended = self.client.is_ended();
        let result = self.client.receive_eof();
        self.eof = true;
        self.server_done = true;
        if let Some(error) = self.error {
            assert_eq!(result, Err(error), "an error is sticky");
            return;
        }
        let only_quit = self.pending_quit.iter().all(|&quit| quit);
        match result {
            Ok(()) => {
                assert!(ended || only_quit, "an end with replies due");
                assert!(self.client.is_ended());
            }
            Err(error) => {
                let pending = self.client.pending();
                assert_eq!(error, ProtocolError::Truncated { pending });
                let between = !self.tainted && self.wire.is_empty();
                assert!(!(between && only_quit), "a clean end refused");
                self.error = Some(error);
            }
        }
    }
}

/// Runs the operations `data` spells out, checking the model after each.
pub fn client_ops(data: &[u8]) {
    let mut choices = Choices::new(data);
    let mut model = Model::new();
    while !choices.is_empty() {
        match choices.byte() % 8 {
            0 => model.send(&mut choices),
            1 | 2 => model.answer(&mut choices),
            3 => model.garbage(&mut choices),
            4 | 5 => model.decode(&mut choices),
            6 => model.take_raw(&mut choices),
            _ => model.receive_eof(),
        }
        model.check();
    }
}
