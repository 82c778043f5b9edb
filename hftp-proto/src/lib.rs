//! A sans-IO implementation of HFTP, the file-transfer protocol of the
//! networking course "Redes y Sistemas Distribuidos" (FaMAF, UNC).
//!
//! Bytes go in, requests come out; replies go in, bytes come out. Both
//! sides of the protocol are here: the server's
//! [`ServerConnection`] and reply encoders, and the client's
//! [`ClientConnection`]. Sockets, files, threads and clocks are the
//! caller's.
//!
//! # Example
//!
//! A client and a server talking through in-memory buffers, with a map
//! standing in for the served directory:
//!
//! ```
//! use hftp_proto::*;
//!
//! let files = [("hola.txt", &b"Que calor que hace hoy, pinocho!\n"[..])];
//!
//! // The client queues two pipelined requests.
//! let mut client = ClientConnection::new(&ClientConfig::default());
//! let mut to_server = Vec::new();
//! client.send(&Request::Metadata { name: "hola.txt" }, &mut to_server)?;
//! let slice = Request::Slice { name: "hola.txt", offset: 4, size: 14, form: Form::Base64 };
//! client.send(&slice, &mut to_server)?;
//!
//! // The server answers them one at a time.
//! let mut server = ServerConnection::new(&ServerConfig::default());
//! let mut to_client = Vec::new();
//! let mut input = &to_server[..];
//! while !input.is_empty() {
//!     let decoded = server.decode(input)?;
//!     input = &input[decoded.consumed..];
//!     let code = match decoded.item {
//!         None => break,
//!         Some(Item::Rejected(code)) => {
//!             reply::write_status(code, &mut to_client);
//!             code
//!         }
//!         Some(Item::Request(request)) => {
//!             let file = files.iter().find(|(n, _)| Some(*n) == request.name()).map(|f| f.1);
//!             match (request, file) {
//!                 (Request::Metadata { .. }, Some(data)) => {
//!                     reply::write_metadata(data.len() as u64, &mut to_client);
//!                     Code::Ok
//!                 }
//!                 (Request::Slice { offset, size, .. }, Some(data)) => {
//!                     match check_range(offset, size, data.len() as u64) {
//!                         Ok(()) => {
//!                             let mut body = SliceEncoder::begin(size, &mut to_client);
//!                             body.encode(&data[offset as usize..][..size as usize], &mut to_client)?;
//!                             body.finish(&mut to_client)?;
//!                             Code::Ok
//!                         }
//!                         Err(code) => {
//!                             reply::write_status(code, &mut to_client);
//!                             code
//!                         }
//!                     }
//!                 }
//!                 _ => {
//!                     reply::write_status(Code::FileNotFound, &mut to_client);
//!                     Code::FileNotFound
//!                 }
//!             }
//!         }
//!     };
//!     server.finish_reply(code);
//! }
//! assert_eq!(to_client, b"0 OK\r\n33\r\n0 OK\r\nY2Fsb3IgcXVlIGhhY2U=\r\n");
//!
//! // The client reads the replies back, the body into its own buffer.
//! let mut events = Vec::new();
//! let mut body = Vec::new();
//! let mut buffer = [0; 64];
//! let mut input = &to_client[..];
//! while !input.is_empty() {
//!     let received = client.decode(input, &mut buffer)?;
//!     input = &input[received.consumed..];
//!     body.extend_from_slice(&buffer[..received.produced]);
//!     if let Some(event) = received.event {
//!         events.push(format!("{event:?}"));
//!     }
//! }
//! assert_eq!(events, ["Status(Ok)", "Size(33)", "Status(Ok)", "BodyEnd"]);
//! assert_eq!(body, b"calor que hace");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design
//!
//! - **No I/O.** Nothing here reads a socket or a file, spawns a thread
//!   or looks at a clock; timeouts and the directory are the caller's.
//! - **The caller owns the buffers.** Encoders append to a `Vec<u8>` the
//!   caller reuses, or write into a `&mut [u8]`; decoders borrow the
//!   input and say how much of it they used.
//! - **Fixed state per connection.** A [`ServerConnection`] is a few
//!   hundred bytes with no heap, whatever a client sends: a 5 MiB name or
//!   an endless line is parsed as it arrives and never buffered (rule 9).
//!   A [`ClientConnection`] buffers at most one line of
//!   [`ClientConfig::max_line_len`] bytes and one entry per pipelined
//!   request.
//! - **Errors say whose fault they are.** The peer's faults are errors
//!   that stick: [`Fatal`] on the server's side, [`ProtocolError`] on the
//!   client's. A body the server cannot complete is a [`BodyError`]; a
//!   call the API does not allow, a bug in the caller's code, is a
//!   [`Misuse`]. No call returns two of these types.
//! - **One code table.** [`Code`] gives every status code's number, text
//!   and fatality; the order of checks of rule 3 lives in the decoder, so
//!   every caller answers the same line with the same code.
//!
//! The numbered rules cited in the docs are those of the protocol
//! specification, [`spec`]: every rule, both course revisions and the
//! seed's fragment framing, with examples on the wire.
#![no_std]
#![warn(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod body;
mod client;
mod code;
mod config;
mod decoder;
mod error;
mod fragment;
mod line;
mod name;
pub mod reply;
mod request;
mod server;
pub mod spec;
mod wire;

#[cfg(fuzzing)]
pub mod fuzzing;

pub use body::{BodyDecoder, BodyProgress, RawSlice, SliceEncoder, max_encoded_len};
pub use client::{ClientConnection, Event, Received};
pub use code::Code;
pub use config::{ClientConfig, Framing, ServerConfig};
pub use decoder::{Decoded, RequestDecoder};
pub use error::{BodyError, Fatal, Misuse, ProtocolError};
pub use fragment::{FragmentDecoder, FragmentEncoder};
pub use line::Item;
pub use name::{MAX_NAME_LEN, Unlisted, check_listable, check_name};
pub use reply::{Listing, check_range};
pub use request::{Command, EncodeError, Form, RAW, Request};
pub use server::{Phase, ServerConnection};
pub use wire::{CONTENT_LENGTH, DEFAULT_PORT};
