//! What every subcommand works with: the options, one lazily opened
//! connection, the progress bar and the Ctrl-C token.

use hftp_client::{Builder, CancelToken, Client, Error, ServerAddr};

use crate::cli::Global;
use crate::progress::Bar;

/// The state shared by the subcommands of one run (or one shell).
#[derive(Debug)]
pub(crate) struct Session {
    /// The connection, opened at first use.
    pub(crate) conn: Connection,
    /// The progress bar (drawn only on a terminal).
    pub(crate) bar: Bar,
    /// Cancelled by Ctrl-C.
    pub(crate) cancel: CancelToken,
    /// Notices are printed unless `--quiet`.
    quiet: bool,
}

impl Session {
    /// A session with nothing connected yet.
    pub(crate) fn new(global: &Global, cancel: CancelToken) -> Self {
        Self {
            conn: Connection {
                server: global.server.clone(),
                builder: global.builder(),
                client: None,
                pipelining_checked: false,
            },
            bar: Bar::new(!global.quiet && !global.no_progress, !global.quiet),
            cancel,
            quiet: global.quiet,
        }
    }

    /// Prints a notice on stderr, unless `--quiet`.
    pub(crate) fn notice(&self, message: &str) {
        if !self.quiet {
            eprintln!("hftp: {message}");
        }
    }
}

/// The connection to the server, opened again after an error closed it.
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
    /// The open connection, connecting if there is none or the last one
    /// was closed by an error.
    pub(crate) fn client(&mut self) -> Result<&mut Client, Error> {
        let client = match self.client.take() {
            Some(client) if client.is_usable() => client,
            _ => self.builder.connect(&self.server)?,
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
                        log::warn!("the server answers one request at a time; asking one by one");
                        self.builder = self.builder.clone().pipelining(false);
                    }
                }
                Err(error) => log::debug!("checking pipelining: {error}"),
            }
        }
        self.client()
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
