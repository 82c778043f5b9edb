//! The options every subcommand takes, and the connection settings they
//! ask for.

use std::env::{self, VarError};
use std::time::Duration;

use hftp_client::{BodyForm, Builder, ServerAddr};

use crate::exit::Failure;
use crate::parse::seconds;
use crate::proxy::{Choice, ProxyArgs};
use crate::text;

/// The connect timeout through a proxy: a Tor circuit to an onion
/// service takes seconds (longer for a service just published), and Tor
/// itself gives up on a stream after two minutes.
const PROXIED_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

/// The variable that names the server when `--server` does not.
const SERVER_VARIABLE: &str = "HFTP_SERVER";

/// The options every subcommand takes, shown apart from each
/// subcommand's own.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct Global {
    // Not a doc comment: rustdoc would read the brackets as links. Not
    // clap's `env` either: its errors would name --server, not the
    // variable (see `server()`).
    #[arg(
        short,
        long,
        global = true,
        value_name = "HOST[:PORT]",
        help = "The server: HOST[:PORT], [IPV6]:PORT, a bare IPV6 address or hftp://HOST[:PORT] [default: $HFTP_SERVER, else localhost:19500]"
    )]
    server: Option<ServerAddr>,

    /// Give up connecting after this many seconds (fractions allowed; 0
    /// never) [default: 10; 60 through a proxy, since Tor takes seconds to
    /// build a circuit to an onion service]
    #[arg(long, global = true, value_name = "SECS", value_parser = seconds)]
    pub(crate) connect_timeout: Option<Duration>,

    #[command(flatten)]
    pub(crate) proxy: ProxyArgs,

    /// Give up when the server is silent this many seconds (0 never).
    #[arg(long, global = true, value_name = "SECS", default_value = "30", value_parser = seconds)]
    pub(crate) timeout: Duration,

    /// Ask bodies in base64 even if the server offers raw ones.
    #[arg(long, global = true)]
    pub(crate) base64: bool,

    /// Print errors only: no progress, no notices.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,

    /// Never show a progress bar (it shows only when stderr is a terminal).
    #[arg(long, global = true)]
    pub(crate) no_progress: bool,

    /// Log what happens on stderr: -v debug, -vv trace.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    /// The language of messages and help: es or en [default: $HFTP_LANG,
    /// else the locale's: LC_ALL, LC_MESSAGES, LANG]
    // Read before clap parses (see `text::choose`), so that it applies to
    // `--help` and usage errors too; declared here to be shown and checked.
    #[arg(long, global = true, value_name = "LANG", value_parser = ["en", "es"], ignore_case = true)]
    lang: Option<String>,
}

impl Global {
    /// The server: `--server`, else `HFTP_SERVER` (empty counts as unset),
    /// else `localhost:19500`. A bad `HFTP_SERVER` is a usage error that
    /// names the variable.
    pub(crate) fn server(&self) -> Result<ServerAddr, Failure> {
        if let Some(server) = &self.server {
            return Ok(server.clone());
        }
        match env::var(SERVER_VARIABLE) {
            Ok(value) if !value.is_empty() => value
                .parse()
                .map_err(|error| Failure::usage(format!("{SERVER_VARIABLE}: {error}"))),
            Ok(_) | Err(VarError::NotPresent) => Ok(ServerAddr::default()),
            Err(VarError::NotUnicode(_)) => {
                Err(Failure::usage(text::get().not_utf8(SERVER_VARIABLE)))
            }
        }
    }

    /// The connection settings these options ask for, with the proxy
    /// `choice`.
    pub(crate) fn builder(&self, choice: Choice) -> Builder {
        let form = if self.base64 {
            BodyForm::Base64
        } else {
            BodyForm::Auto
        };
        let connect_timeout = self.connect_timeout.unwrap_or(if choice.proxy.is_some() {
            PROXIED_CONNECT_TIMEOUT
        } else {
            Builder::DEFAULT_CONNECT_TIMEOUT
        });
        Builder::new()
            .proxy(choice.proxy)
            .no_proxy(choice.no_proxy)
            .system_reaches_onion(choice.torsocks)
            .connect_timeout(Some(connect_timeout))
            .read_timeout(Some(self.timeout))
            .write_timeout(Some(self.timeout))
            .body_form(form)
    }
}
