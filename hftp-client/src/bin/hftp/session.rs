//! What every subcommand works with: the options, one lazily opened
//! connection, the progress bar and the Ctrl-C token.

use std::io;
use std::net::TcpStream;

use hftp_client::{Builder, CancelToken, Client, Dialer, Error, ServerAddr};

use crate::exit::Failure;
use crate::global::Global;
use crate::interrupt::Interrupt;
use crate::progress::Bar;
use crate::text;

/// The state shared by the subcommands of one run (or one shell).
#[derive(Debug)]
pub(crate) struct Session {
    /// The connection, opened at first use.
    pub(crate) conn: Connection,
    /// The progress bar (drawn only on a terminal).
    pub(crate) bar: Bar,
    /// Cancelled by Ctrl-C.
    pub(crate) cancel: CancelToken,
    /// Where Ctrl-C goes (the shell gives each command a fresh token).
    pub(crate) interrupt: Interrupt,
    /// `--base64`: bodies in base64 even from a server offering raw ones.
    pub(crate) base64: bool,
    /// Notices are printed unless `--quiet`.
    quiet: bool,
}

impl Session {
    /// A session with nothing connected yet; fails on a bad
    /// `HFTP_SERVER`.
    pub(crate) fn new(global: &Global, interrupt: Interrupt) -> Result<Self, Failure> {
        let mut choice = global.proxy.choose()?;
        let notice = choice.notice.take();
        let session = Self {
            conn: Connection {
                server: global.server()?,
                builder: global.builder(choice),
                client: None,
                pipelining_checked: false,
            },
            bar: Bar::new(!global.quiet && !global.no_progress, !global.quiet),
            cancel: interrupt.token(),
            interrupt,
            base64: global.base64,
            quiet: global.quiet,
        };
        if let Some(notice) = notice {
            session.notice(&notice);
        }
        Ok(session)
    }

    /// Prints a notice on stderr, unless `--quiet`.
    pub(crate) fn notice(&self, message: &str) {
        if !self.quiet {
            eprintln!("hftp: {message}");
        }
    }
}

/// The connection to the server, opened again after an error closed it
/// or the server closed it while it was idle.
#[derive(Debug)]
pub(crate) struct Connection {
    /// Where to connect.
    pub(crate) server: ServerAddr,
    builder: Builder,
    client: Option<Client>,
    /// Whether the server was checked for pipelining.
    pipelining_checked: bool,
}

impl Connection {
    /// The open connection, connecting if there is none, the last one was
    /// closed by an error, or the server closed it since its last reply
    /// (as servers do to idle clients).
    pub(crate) fn client(&mut self) -> Result<&mut Client, Error> {
        let client = match self.client.take() {
            Some(client) if client.is_usable() && !closed_by_peer(client.get_ref()) => client,
            Some(_) => {
                log::debug!("the connection was closed; connecting again");
                self.builder.connect(&self.server)?
            }
            None => self.builder.connect(&self.server)?,
        };
        Ok(self.client.insert(client))
    }

    /// The open connection, as [`client`](Self::client), for a command
    /// that pipelines: the first time, it checks that the server answers
    /// requests that arrive together (asking the size of `name`), and
    /// if not, opens a connection that asks one request at a time.
    pub(crate) fn pipelined(&mut self, name: &str) -> Result<&mut Client, Error> {
        if !self.pipelining_checked {
            // A failed check (a refused or lost connection) is left to the
            // command, on a new connection.
            match self.client()?.check_pipelining(name) {
                Ok(works) => {
                    self.pipelining_checked = true;
                    if !works {
                        log::warn!("{}", text::get().one_request_at_a_time());
                        self.builder = self.builder.clone().pipelining(false);
                    }
                }
                Err(error) => log::debug!("checking pipelining: {error}"),
            }
        }
        self.client()
    }

    /// The way to the server, through the proxy if one applies.
    pub(crate) fn dialer(&self) -> Result<Dialer, Error> {
        self.builder.dialer(&self.server)
    }

    /// The connect timeout, when connections go through a proxy.
    pub(crate) fn proxied_connect_timeout(&self) -> Option<std::time::Duration> {
        self.builder.proxy_for(self.server.host())?;
        self.builder.get_connect_timeout()
    }

    /// Says `quit` if a connection is open.
    pub(crate) fn close(&mut self) {
        if let Some(client) = self.client.take()
            && let Err(error) = client.quit()
        {
            log::debug!("quit: {error}");
        }
    }
}

/// True if the server closed `stream` (or sent bytes nobody asked for)
/// since its last reply: a look without waiting and without consuming.
/// A connection between requests has nothing to read, so anything but
/// "would block" means it is of no use any more.
fn closed_by_peer(stream: &TcpStream) -> bool {
    if let Err(error) = stream.set_nonblocking(true) {
        log::debug!("cannot look at the connection: {error}");
        return true;
    }
    let closed = match stream.peek(&mut [0; 1]) {
        Ok(_) => true,
        Err(error) => error.kind() != io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).is_err() || closed
}
