//! Slice bodies on a checker's connection: decoded by `hftp_proto`'s
//! client side and compared with the file's bytes as they stream.

use hftp_proto::{ClientConfig, ClientConnection, Code, Event, Form, Framing, Request};

use super::Conn;
use super::closed;
use crate::check::differ;
use crate::check::expect;
use crate::check::miss::{Miss, Said, Tested, said};

impl Conn {
    /// Sends a slice request and expects `0 OK` and a body that decodes
    /// to exactly `data` (split over any number of lines if base64, as
    /// rule 11 lets a client accept; in fragments if the server frames
    /// plain slices so, rule 12).
    pub(crate) fn expect_body(&mut self, request: &Request<'_>, data: &[u8]) -> Tested {
        self.ask_body(request, data).map(drop)
    }

    /// [`expect_body`](Self::expect_body), returning the framing a plain
    /// body came in.
    fn ask_body(&mut self, request: &Request<'_>, data: &[u8]) -> Result<Option<Framing>, Miss> {
        let mut client = self.body_client();
        let mut line = Vec::new();
        client.send(request, &mut line).map_err(|error| {
            self.failure(said!(
                "a request hftp_proto can encode ({error})",
                "un pedido que hftp_proto pueda codificar ({error})";
                error = error
            ))
        })?;
        self.send(&line)?;
        self.receive_body(client, data)
    }

    /// Sends `line`, a plain `get_slice` of `data.len()` bytes written by
    /// hand, and expects `0 OK` and a body of exactly `data`: byte for
    /// byte the one-line base64 our encoder writes, or, from a server that
    /// frames plain slices in fragments, fragments of any sizes holding
    /// `data`.
    pub(crate) fn expect_plain_slice(&mut self, line: &[u8], data: &[u8]) -> Tested {
        if self.framing != Some(Framing::Fragments) {
            self.send(line)?;
            return self.expect(&expect::base64_slice(data));
        }
        let mut client = self.body_client();
        let asked = Request::Slice {
            name: "x",
            offset: 0,
            size: data.len() as u64,
            form: Form::Base64,
        };
        // Only to tell the decoder what reply comes.
        let _ = client.send(&asked, &mut Vec::new());
        self.send(line)?;
        self.receive_body(client, data).map(drop)
    }

    /// A client side held to the framing known for plain slices, or that
    /// tells it from the first body.
    fn body_client(&self) -> ClientConnection {
        ClientConnection::new(&ClientConfig::default().framing(self.framing))
    }

    /// Reads a slice reply through `client` and compares its body with
    /// `data` as it streams; returns the framing a plain body came in.
    fn receive_body(
        &mut self,
        mut client: ClientConnection,
        data: &[u8],
    ) -> Result<Option<Framing>, Miss> {
        let mut body = BodyCheck { data, at: 0 };
        let mut out = vec![0; 64 * 1024];
        loop {
            if self.pending.is_empty() {
                let read = self.fill_reply();
                if !matches!(read, Ok(1..)) {
                    let how = read.map_or_else(|e| e, |_| closed());
                    let all = said!(
                        "and the server to send it all",
                        "y que el servidor lo mande entero"
                    );
                    return Err(self.failure(body.expected(&all.with(&how))));
                }
            }
            let received = client
                .decode(&self.pending, &mut out)
                .map_err(|error| error.to_string());
            let (consumed, produced, event) = match received {
                Ok(r) => (r.consumed, r.produced, r.event.map(own_event)),
                Err(error) => {
                    let got = said!("(got: {error})", "(llegó: {error})"; error = error);
                    return Err(self.failure(body.expected(&got)));
                }
            };
            self.pending.drain(..consumed);
            if let Err(differs) = body.take(&out[..produced]) {
                let differs = Said::same("(").then(&differs).then(&Said::same(")"));
                return Err(self.failure(body.expected(&differs)));
            }
            match event {
                Some(Ok(Code::Ok)) | None => {}
                Some(Ok(code)) => {
                    let got = said!("(got {code})", "(llegó {code})"; code = code);
                    return Err(self.failure(body.expected(&got)));
                }
                Some(Err(())) => {
                    body.finish().map_err(|why| self.failure(why))?;
                    return Ok(client.framing());
                }
            }
        }
    }

    /// Asks a plain slice of `data.len()` bytes of `name` and returns the
    /// framing its body came in (rule 12), once it decoded to `data`.
    pub(crate) fn probe_framing(
        &mut self,
        name: &str,
        data: &[u8],
    ) -> Result<Option<Framing>, Miss> {
        let request = Request::Slice {
            name,
            offset: 0,
            size: data.len() as u64,
            form: Form::Base64,
        };
        self.ask_body(&request, data)
    }
}

/// The status of an event, or `Err(())` for the end of a body.
fn own_event(event: Event<'_>) -> Result<Code, ()> {
    match event {
        Event::Status(code) => Ok(code),
        _ => Err(()),
    }
}

/// A body compared with the file's bytes as it streams.
struct BodyCheck<'a> {
    data: &'a [u8],
    at: usize,
}

impl BodyCheck<'_> {
    /// Compares the next body bytes; where they first differ when one
    /// does or there are too many.
    fn take(&mut self, bytes: &[u8]) -> Result<(), Said> {
        let end = self.at + bytes.len();
        let expected = self.data.get(self.at..end.min(self.data.len()));
        if expected == Some(bytes) {
            self.at = end;
            return Ok(());
        }
        let expected = expected.unwrap_or_default();
        let differs = differ::described(differ::Part::Body, bytes, expected, self.at);
        self.at = end;
        Err(differs)
    }

    /// What was expected, with what went wrong.
    fn expected(&self, how: &Said) -> Said {
        let (size, came) = (self.data.len(), self.at);
        let body = said!(
            "0 OK and a body of exactly {size} bytes, the file's ",
            "0 OK y un cuerpo de exactamente {size} bytes, los del archivo ";
            size = size
        );
        let came = said!("; {came} came", "; llegaron {came}"; came = came);
        body.then(how).then(&came)
    }

    /// The body ended: it must hold all the bytes.
    fn finish(&self) -> Result<(), Said> {
        if self.at == self.data.len() {
            Ok(())
        } else {
            Err(self.expected(&said!("(short)", "(corto)")))
        }
    }
}
