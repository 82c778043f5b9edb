//! The server: binding, the accept loop, and a graceful stop.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use log::{info, warn};

use crate::files::ServedDir;
use crate::listener;
use crate::registry::Registry;
use crate::shared::Shared;
use crate::survey;
use crate::{Config, Error};

/// How long, after the grace, the connections that were cut have to end.
const AFTER_GRACE: Duration = Duration::from_secs(5);

/// How long a connection that wakes the accept loop may take.
const WAKE_TIMEOUT: Duration = Duration::from_secs(1);

/// A bound HFTP server, ready to [`run`](Self::run).
///
/// ```no_run
/// let server = hftp_server::Server::bind(&hftp_server::Config::new("/srv/files").port(0))?;
/// println!("listening on {}", server.local_addr());
/// server.run()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Server {
    listener: Arc<TcpListener>,
    local_addr: SocketAddr,
    grace: Duration,
    shared: Arc<Shared>,
}

impl Server {
    /// Checks the directory and listens. Fails with an [`Error`] that
    /// names the directory or the address if the directory cannot be
    /// read, the address is bad or the port is taken, or a limit is out of
    /// range.
    pub fn bind(config: &Config) -> Result<Self, Error> {
        check_limits(config)?;
        let directory = served_directory(config)?;
        let text = crate::text::text(config.lang);
        let (listener, local_addr) = listener::bind(config.address, config.port, text)?;
        Ok(Self::with(config, directory, listener, local_addr))
    }

    /// Serves on a socket already listening, such as the one systemd's
    /// socket activation hands over: [`Config::address`] and
    /// [`Config::port`] are not used, and the socket's backlog is the one
    /// it was given. Fails as [`bind`](Self::bind) does, or with
    /// [`Error::Inherited`] if the socket cannot be used.
    pub fn from_listener(config: &Config, listener: TcpListener) -> Result<Self, Error> {
        check_limits(config)?;
        let directory = served_directory(config)?;
        // Socket activation may pass a non-blocking socket; the accept
        // loop blocks.
        let local_addr = listener
            .set_nonblocking(false)
            .and_then(|()| listener.local_addr())
            .map_err(|source| Error::Inherited { source })?;
        Ok(Self::with(config, directory, listener, local_addr))
    }

    fn with(
        config: &Config,
        directory: ServedDir,
        listener: TcpListener,
        local_addr: SocketAddr,
    ) -> Self {
        Self {
            listener: Arc::new(listener),
            local_addr,
            grace: config.grace,
            shared: Arc::new(Shared::new(config, directory)),
        }
    }

    /// The address the server listens on, with the actual port.
    #[must_use]
    pub const fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The served directory, pinned at startup to its real path (every
    /// symbolic link in the path given resolved once, rule 6).
    #[must_use]
    pub fn directory(&self) -> &Path {
        self.shared.directory.path()
    }

    /// A handle that stops the server from any thread.
    #[must_use]
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            listener: Arc::clone(&self.listener),
            registry: Arc::clone(&self.shared.registry),
        }
    }

    /// Serves until a [`ShutdownHandle`] stops it, then lets replies in
    /// flight finish within the grace, closes every connection and
    /// returns. Load never makes it return: refused clients are logged.
    pub fn run(self) -> io::Result<()> {
        self.log_modes();
        listener::accept_loop(&self.listener, &self.shared);
        let registry = &self.shared.registry;
        let text = self.shared.text;
        let busy = registry.len();
        if busy > 0 {
            info!("{}", text.stopping(self.grace, busy));
        }
        // Idle connections see the end of their input and close; the
        // others finish the reply in flight first.
        registry.shutdown_all(Shutdown::Read);
        if !registry.wait_empty(self.grace) {
            warn!("{}", text.grace_over(registry.len()));
            registry.shutdown_all(Shutdown::Both);
            if !registry.wait_empty(AFTER_GRACE) {
                warn!("{}", text.threads_left(registry.len()));
            }
        }
        info!("{}", text.stopped());
        Ok(())
    }

    /// Logs the modes that change what clients see or who may connect,
    /// when on.
    fn log_modes(&self) {
        let text = self.shared.text;
        if let Some(summary) = survey::not_served(
            self.shared.directory.path(),
            self.shared.listings.ascii_only(),
            text,
        ) {
            warn!("{summary}");
        }
        if let Some(max) = self.shared.fragments {
            info!("{}", text.fragments_on(max));
        }
        if self.shared.sequential {
            info!("{}", text.sequential_on());
        }
        if let Some(proxies) = &self.shared.proxies {
            let from: Vec<String> = proxies.from.iter().map(ToString::to_string).collect();
            info!("{}", text.proxy_protocol_on(&from.join(", ")));
        }
    }

    /// Runs the server on a thread of its own, for tests and embedding.
    pub fn spawn(self) -> io::Result<RunningServer> {
        let local_addr = self.local_addr;
        let handle = self.shutdown_handle();
        let thread = thread::Builder::new()
            .name("hftp-accept".into())
            .spawn(move || self.run())?;
        Ok(RunningServer {
            local_addr,
            handle,
            thread: Some(thread),
        })
    }
}

/// Refuses limits the server cannot honour.
fn check_limits(config: &Config) -> Result<(), Error> {
    for (name, value) in [
        ("max_connections", config.max_connections),
        ("max_per_address", config.per_address_cap()),
    ] {
        if !(1..=Config::MAX_CONNECTIONS).contains(&value) {
            return Err(Error::Limit {
                name,
                value,
                max: Config::MAX_CONNECTIONS,
            });
        }
    }
    Ok(())
}

/// The directory pinned to its real path, after checking it can be
/// listed.
fn served_directory(config: &Config) -> Result<ServedDir, Error> {
    let directory = &config.directory;
    ServedDir::pin(directory)
        .map(|served| served.speaking(crate::text::text(config.lang)))
        .map_err(|source| Error::Directory {
            path: directory.clone(),
            source,
        })
}

/// Stops a [`Server`] from another thread (a signal handler's, a test's).
#[derive(Clone, Debug)]
pub struct ShutdownHandle {
    listener: Arc<TcpListener>,
    registry: Arc<Registry>,
}

impl ShutdownHandle {
    /// Begins a graceful stop: no new client is accepted, and each
    /// connection ends after the reply in flight. [`Server::run`] returns
    /// once they ended, or the grace is over. Calling it again does
    /// nothing more.
    pub fn shutdown(&self) {
        if self.registry.stop() {
            // Wakes the blocked `accept`, which then sees the stop. Where
            // shutting a listening socket down does not (outside Linux), a
            // connection to it does.
            if socket2::SockRef::from(&*self.listener)
                .shutdown(Shutdown::Both)
                .is_err()
            {
                self.wake_accept();
            }
        }
    }

    /// Connects to the listener, so that a blocked `accept` returns.
    fn wake_accept(&self) {
        if let Ok(mut addr) = self.listener.local_addr() {
            if addr.ip().is_unspecified() {
                addr.set_ip(match addr {
                    SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                    SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
                });
            }
            let _ = TcpStream::connect_timeout(&addr, WAKE_TIMEOUT);
        }
    }
}

/// A server running on its own thread (see [`Server::spawn`]); dropping
/// it stops the server and waits for it.
#[derive(Debug)]
pub struct RunningServer {
    local_addr: SocketAddr,
    handle: ShutdownHandle,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl RunningServer {
    /// The address the server listens on.
    #[must_use]
    pub const fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// A handle that stops the server.
    #[must_use]
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        self.handle.clone()
    }

    /// How many clients are connected now.
    #[must_use]
    pub fn connections(&self) -> usize {
        self.handle.registry.len()
    }

    /// Stops the server gracefully and waits until it has stopped.
    pub fn stop(mut self) -> io::Result<()> {
        self.stop_and_join()
    }

    fn stop_and_join(&mut self) -> io::Result<()> {
        self.handle.shutdown();
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop_and_join();
    }
}
