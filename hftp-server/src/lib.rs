//! A safe, concurrent HFTP file server on blocking sockets and threads.
//!
//! HFTP is the file-transfer protocol of the networking course "Redes y
//! Sistemas Distribuidos" (FaMAF, UNC). This crate is the shell around
//! the sans-IO core [`hftp_proto`]: it owns the sockets, the files, the
//! threads and the clock, and leaves every byte of protocol to the core.
//!
//! # Example
//!
//! Serve a directory on a free port, in-process, and stop:
//!
//! ```
//! use std::io::{Read, Write};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(dir.path().join("hola.txt"), "Que calor que hace hoy, pinocho!\n")?;
//! let config = hftp_server::Config::new(dir.path()).address("127.0.0.1".parse()?).port(0);
//! let server = hftp_server::Server::bind(&config)?.spawn()?;
//!
//! let mut client = std::net::TcpStream::connect(server.local_addr())?;
//! client.write_all(b"get_metadata hola.txt\r\nquit\r\n")?;
//! let mut reply = Vec::new();
//! client.read_to_end(&mut reply)?;
//! assert_eq!(reply, b"0 OK\r\n33\r\n0 OK\r\n");
//!
//! server.stop()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design
//!
//! - **A thread per connection**, with a small stack, up to
//!   [`Config::max_connections`]; the next client is answered `199` and
//!   closed. The accept loop never stops for load: it backs off when out
//!   of descriptors.
//! - **Bounded memory per connection**: an 8 KiB input buffer fed to the
//!   core as bytes arrive (a 5 MiB name costs nothing), a small output
//!   buffer, and body buffers only while a body is in flight.
//! - **Confinement** (rule 6): names reach only regular files beneath the
//!   served directory, through `openat2(RESOLVE_BENEATH)` on Linux; the
//!   directory is looked up again for every batch of requests.
//! - **Bodies stream** in fixed chunks; a raw body goes out with
//!   `sendfile`. A body that cannot be completed is never padded: the
//!   connection closes (rule 8).
//! - **Timeouts** close idle clients and cut clients that stop reading;
//!   a [`ShutdownHandle`] stops the server gracefully.
//!
//! The numbered rules are those of the project's protocol contract,
//! `HFTP.md`.

#[cfg(not(unix))]
compile_error!("hftp-server runs on Unix systems (Linux, the BSDs, macOS)");

mod body;
mod config;
mod connection;
mod files;
mod listener;
mod listing;
mod registry;
mod request_log;
mod server;

pub use config::Config;
pub use server::{RunningServer, Server, ShutdownHandle};
