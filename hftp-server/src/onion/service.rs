//! An onion service that lasts as long as the server: added through a
//! running tor's control port or a tor of our own, watched while the
//! server runs, removed when it stops.

use std::fmt;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::control::{ReplyReader, Stream, log_event};
use super::reply::Reply;
use super::{
    ControlAddr, ControlError, ControlPort, KeyFileError, KeyRequest, LaunchError, OnionKey, OwnTor,
};
use crate::Lang;
use crate::text::{self, Text};

/// How to publish an onion service: which tor, which key, which port.
///
/// ```
/// use hftp_server::onion::OnionOptions;
/// let options = OnionOptions::new()
///     .virtual_port(19500)
///     .key_file(Some("onion.key".into()));
/// assert_eq!(options.virtual_port, 19500);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OnionOptions {
    /// The port the service offers, as clients write it after
    /// `NAME.onion:`. Default 19500.
    pub virtual_port: u16,
    /// The file that keeps the service's key, so that its address stays
    /// the same across restarts: read if it exists, else created (mode
    /// 0600) with the new key. `None`: a new address every time. Default
    /// `None`.
    pub key_file: Option<PathBuf>,
    /// A running tor's control port. `None`: tor's usual control port
    /// (127.0.0.1:9051) if one answers there, else a tor of our own.
    /// Default `None`.
    pub control: Option<ControlAddr>,
    /// The cookie file to authenticate to a running tor with, instead of
    /// the one tor names. Default `None`.
    pub cookie_file: Option<PathBuf>,
    /// Extra torrc lines for a tor of our own (a private network's
    /// `DirAuthority` lines, say); given, a tor of our own is started
    /// without looking for a running one. Default `None`.
    pub tor_config: Option<PathBuf>,
    /// How long a tor of our own may take to open its control port, and
    /// tor to answer each command. Default 60 s.
    pub timeout: Duration,
    /// The language of the log's messages about the service. Default
    /// English.
    pub lang: Lang,
}

impl OnionOptions {
    /// The default timeout: 60 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// The defaults.
    #[must_use]
    pub fn new() -> Self {
        Self {
            virtual_port: hftp_proto::DEFAULT_PORT,
            key_file: None,
            control: None,
            cookie_file: None,
            tor_config: None,
            timeout: Self::DEFAULT_TIMEOUT,
            lang: Lang::En,
        }
    }

    /// Sets [`virtual_port`](Self::virtual_port).
    #[must_use]
    pub fn virtual_port(mut self, port: u16) -> Self {
        self.virtual_port = port;
        self
    }

    /// Sets [`key_file`](Self::key_file).
    #[must_use]
    pub fn key_file(mut self, path: Option<PathBuf>) -> Self {
        self.key_file = path;
        self
    }

    /// Sets [`control`](Self::control).
    #[must_use]
    pub fn control(mut self, addr: Option<ControlAddr>) -> Self {
        self.control = addr;
        self
    }

    /// Sets [`cookie_file`](Self::cookie_file).
    #[must_use]
    pub fn cookie_file(mut self, path: Option<PathBuf>) -> Self {
        self.cookie_file = path;
        self
    }

    /// Sets [`tor_config`](Self::tor_config).
    #[must_use]
    pub fn tor_config(mut self, path: Option<PathBuf>) -> Self {
        self.tor_config = path;
        self
    }

    /// Sets [`timeout`](Self::timeout).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`lang`](Self::lang).
    #[must_use]
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
}

impl Default for OnionOptions {
    fn default() -> Self {
        Self::new()
    }
}

/// Which tor publishes the service.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TorUsed {
    /// A tor that was running already, through its control port.
    Running(ControlAddr),
    /// A tor started for this service, stopped with it.
    Own {
        /// Its process id.
        pid: u32,
    },
}

impl fmt::Display for TorUsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Running(addr) => write!(f, "the running tor at {addr}"),
            Self::Own { pid } => write!(f, "a tor of its own (pid {pid})"),
        }
    }
}

/// Why an onion service could not be published, or did not last.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OnionError {
    /// No tor answers at the usual control port, and there is no `tor`
    /// to start.
    #[error("no tor control port at {tried} and no `tor` on PATH")]
    NoTor {
        /// The control port tried.
        tried: ControlAddr,
    },
    /// A tor of our own could not be started.
    #[error(transparent)]
    Launch(#[from] LaunchError),
    /// Tor's control port failed or refused.
    #[error(transparent)]
    Control(#[from] ControlError),
    /// The key file cannot be used.
    #[error(transparent)]
    KeyFile(#[from] KeyFileError),
    /// Tor closed the control connection while the server ran: tor
    /// stopped, and the service with it.
    #[error("tor closed the control connection while the server ran: the onion service was gone")]
    Lost,
}

/// What the watcher thread and the service share.
#[derive(Debug, Default)]
struct Watch {
    /// The service is being removed: the connection's end is expected.
    closing: AtomicBool,
    /// The connection ended while the service should have lasted.
    lost: AtomicBool,
}

/// An onion service, published by [`OnionService::publish`], that leads
/// to the server. It lasts until [`remove`](Self::remove) or drop, or
/// until tor goes away.
#[derive(Debug)]
pub struct OnionService {
    service_id: String,
    virtual_port: u16,
    tor: TorUsed,
    timeout: Duration,
    writer: Stream,
    replies: mpsc::Receiver<Result<Reply, ControlError>>,
    watch: Arc<Watch>,
    watcher: Option<thread::JoinHandle<()>>,
    own_tor: Option<OwnTor>,
    removed: bool,
    /// The log's words.
    text: &'static dyn Text,
}

impl OnionService {
    /// Publishes an onion service whose [`virtual
    /// port`](OnionOptions::virtual_port) leads to `target` (the server's
    /// address), with the tor and the key `options` name. A thread then
    /// watches tor's control connection, logs tor's events (the
    /// descriptor's upload: the service can be reached), and calls
    /// `on_lost` if tor closes it.
    ///
    /// # Errors
    ///
    /// See [`OnionError`]; nothing is left behind (a tor of our own is
    /// stopped, the service removed).
    pub fn publish(
        options: &OnionOptions,
        target: SocketAddr,
        on_lost: impl FnOnce() + Send + 'static,
    ) -> Result<Self, OnionError> {
        let text = text::text(options.lang);
        let key_file = options.key_file.as_deref();
        let saved = key_file
            .map(|path| OnionKey::load_saying(path, text))
            .transpose()?
            .flatten();
        let request = match (&saved, key_file) {
            (Some(key), _) => KeyRequest::Saved(key),
            (None, Some(_)) => KeyRequest::NewKept,
            (None, None) => KeyRequest::New,
        };
        let (mut control, tor, own_tor) = connect(options, text)?;
        let added = control.add_onion(request, options.virtual_port, target)?;
        if let (Some(key), Some(path)) = (&added.private_key, key_file) {
            if let Err(error) = key.save_new(path) {
                let _ = control.del_onion(&added.service_id);
                return Err(error.into());
            }
            log::info!("{}", text.onion_key_saved(path));
        }
        if let Err(error) = control.set_events(&["HS_DESC"]) {
            log::warn!("{}", text.onion_no_events(&error));
        }
        let (writer, reader) = control.split().map_err(ControlError::Io)?;
        let watch = Arc::new(Watch::default());
        let (sender, replies) = mpsc::channel();
        let watcher = thread::Builder::new()
            .name("hftp-tor-control".into())
            .spawn({
                let watch = Arc::clone(&watch);
                move || watch_control(reader, &sender, &watch, on_lost, text)
            })
            .map_err(ControlError::Io)?;
        Ok(Self {
            service_id: added.service_id,
            virtual_port: options.virtual_port,
            tor,
            timeout: options.timeout,
            writer,
            replies,
            watch,
            watcher: Some(watcher),
            own_tor,
            removed: false,
            text,
        })
    }

    /// The service's name: 56 base32 characters.
    #[must_use]
    pub fn service_id(&self) -> &str {
        &self.service_id
    }

    /// The service's address, as `NAME.onion`.
    #[must_use]
    pub fn onion_address(&self) -> String {
        format!("{}.onion", self.service_id)
    }

    /// The port the service offers.
    #[must_use]
    pub const fn virtual_port(&self) -> u16 {
        self.virtual_port
    }

    /// Which tor publishes it.
    #[must_use]
    pub const fn tor(&self) -> &TorUsed {
        &self.tor
    }

    /// Removes the service (`DEL_ONION`), closes the control connection
    /// and stops a tor of our own.
    ///
    /// # Errors
    ///
    /// [`OnionError::Lost`] if tor had closed the control connection
    /// while the server ran; tor refused or did not answer `DEL_ONION`.
    pub fn remove(mut self) -> Result<(), OnionError> {
        self.take_down()
    }

    fn take_down(&mut self) -> Result<(), OnionError> {
        if std::mem::replace(&mut self.removed, true) {
            return Ok(());
        }
        let result = if self.watch.lost.load(Ordering::SeqCst) {
            Err(OnionError::Lost)
        } else {
            self.del_onion().map_err(OnionError::from)
        };
        self.watch.closing.store(true, Ordering::SeqCst);
        self.writer.shutdown();
        if let Some(watcher) = self.watcher.take() {
            let _ = watcher.join();
        }
        if let Some(tor) = self.own_tor.take() {
            tor.stop();
            log::info!("{}", self.text.tor_stopped());
        }
        result
    }

    /// Sends `DEL_ONION` and waits for its reply from the watcher.
    fn del_onion(&mut self) -> Result<(), ControlError> {
        let command = format!("DEL_ONION {}\r\n", self.service_id);
        self.writer
            .write_all(command.as_bytes())
            .map_err(ControlError::Io)?;
        let reply = match self.replies.recv_timeout(self.timeout) {
            Ok(reply) => reply?,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(ControlError::Timeout(self.timeout));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(ControlError::Closed),
        };
        if !reply.is_ok() {
            return Err(ControlError::Refused {
                command: "DEL_ONION",
                reply: reply.to_string(),
            });
        }
        log::info!("{}", self.text.onion_removed(&self.onion_address()));
        Ok(())
    }
}

impl Drop for OnionService {
    /// Closes the control connection, which removes the service, and
    /// stops a tor of our own.
    fn drop(&mut self) {
        if !self.removed {
            self.removed = true;
            self.watch.closing.store(true, Ordering::SeqCst);
            self.writer.shutdown();
        }
    }
}

/// Reads the control connection until it ends: events are logged,
/// replies passed on; an end nobody asked for is logged and `on_lost`
/// called.
fn watch_control(
    mut reader: ReplyReader,
    replies: &mpsc::Sender<Result<Reply, ControlError>>,
    watch: &Watch,
    on_lost: impl FnOnce(),
    text: &dyn Text,
) {
    loop {
        match reader.read_reply() {
            Ok(reply) if reply.is_event() => log_event(&reply, text),
            Ok(reply) => {
                let _ = replies.send(Ok(reply));
            }
            Err(error) => {
                if !watch.closing.load(Ordering::SeqCst) {
                    watch.lost.store(true, Ordering::SeqCst);
                    log::error!("{}", text.onion_lost(&error));
                    on_lost();
                }
                let _ = replies.send(Err(error));
                return;
            }
        }
    }
}

/// An authenticated control connection to the tor `options` asks for,
/// which tor it is, and the tor started if one was.
fn connect(
    options: &OnionOptions,
    text: &'static dyn Text,
) -> Result<(ControlPort, TorUsed, Option<OwnTor>), OnionError> {
    let cookie = options.cookie_file.as_deref();
    if let Some(addr) = &options.control {
        let control = open(addr, cookie, options.timeout, text)?;
        return Ok((control, TorUsed::Running(addr.clone()), None));
    }
    let usual = ControlAddr::usual();
    if options.tor_config.is_none() {
        match open(&usual, cookie, options.timeout, text) {
            Ok(control) => return Ok((control, TorUsed::Running(usual), None)),
            Err(ControlError::Connect { .. }) => {
                log::debug!("{}", text.tor_not_running(&usual));
            }
            Err(error) => {
                log::warn!("{}", text.tor_unusable(&usual, &error));
            }
        }
    }
    let own = match OwnTor::start_saying(options.tor_config.as_deref(), options.timeout, text) {
        Ok(own) => own,
        Err(LaunchError::NotFound) if options.tor_config.is_none() => {
            return Err(OnionError::NoTor { tried: usual });
        }
        Err(error) => return Err(error.into()),
    };
    let mut control = open(own.control_addr(), None, options.timeout, text)?;
    // Tor exits when this connection closes, even if this process is
    // killed.
    control.take_ownership()?;
    Ok((control, TorUsed::Own { pid: own.pid() }, Some(own)))
}

/// Connects to the control port at `addr` and authenticates, with
/// `cookie` or the cookie file tor names.
fn open(
    addr: &ControlAddr,
    cookie: Option<&Path>,
    timeout: Duration,
    text: &'static dyn Text,
) -> Result<ControlPort, ControlError> {
    let mut control = ControlPort::connect(addr, timeout)?;
    control.speak(text);
    let info = control.protocol_info()?;
    let method = info.best_method()?;
    let cookie = cookie.or(info.cookie_file.as_deref());
    control.authenticate(method, cookie)?;
    log::debug!(
        "{}",
        text.tor_authenticated(info.version.as_deref(), addr, method.name())
    );
    Ok(control)
}
