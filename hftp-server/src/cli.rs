//! The command line.

pub(crate) mod help;
pub(crate) mod text;
pub(crate) mod usage;

use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use hftp_server::onion::{ControlAddr, OnionOptions};
use hftp_server::{Config, Lang, Network, ParseLangError};

use crate::logging::LogTime;

/// Serves the regular files of a directory over HFTP.
#[derive(Debug, Parser)]
#[command(version, long_about = None)]
pub(crate) struct Cli {
    /// The directory whose regular files are served.
    #[arg(
        short = 'd',
        long = "directory",
        visible_alias = "datadir",
        value_name = "DIR",
        default_value = "."
    )]
    directory: PathBuf,

    /// The TCP port; 0 picks a free one (printed at startup).
    #[arg(short, long, value_name = "PORT", default_value_t = Config::DEFAULT_PORT)]
    port: u16,

    /// The address to listen on; `::` is dual-stack and falls back to
    /// 0.0.0.0 where IPv6 is unavailable [default: ::, or 127.0.0.1 with
    /// --onion]
    #[arg(short, long, value_name = "ADDR")]
    address: Option<IpAddr>,

    /// The most clients served at once; the next one gets `199` and is
    /// closed.
    #[arg(long, value_name = "N", default_value_t = Config::DEFAULT_MAX_CONNECTIONS as u64,
          value_parser = clap::value_parser!(u64).range(1..=Config::MAX_CONNECTIONS as u64))]
    max_connections: u64,

    /// The most clients served at once from one address; the next one
    /// gets `199` and is closed [default: half of --max-connections]
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=Config::MAX_CONNECTIONS as u64))]
    max_per_address: Option<u64>,

    /// When the server is full, close the connection quiet the longest
    /// (no request completed for at least this long: idle, or trickling a
    /// line) to let a newcomer in (seconds).
    #[arg(long, value_name = "SECS", default_value = "1", value_parser = seconds)]
    evict_idle_after: Duration,

    /// Close a client whose request line has not fully arrived this long
    /// after its first byte, however steadily it trickles (seconds; 0
    /// never).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
    request_timeout: Duration,

    /// List only ASCII names (the course clients crash on others);
    /// every valid name can still be fetched.
    #[arg(long)]
    ascii_names: bool,

    /// Close a client silent for this long while no reply is in flight
    /// (seconds, fractions allowed; 0 never).
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = seconds)]
    idle_timeout: Duration,

    /// Cut a client that stops reading a reply for this long (seconds;
    /// 0 never).
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    send_timeout: Duration,

    /// On SIGINT or SIGTERM, give replies in flight this long to finish
    /// (seconds); a second signal exits at once.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    grace: Duration,

    /// Answer plain get_slice with the seed's length-prefixed fragments
    /// (the course before 2019) instead of base64; `raw` and `help` keep
    /// working.
    #[arg(long)]
    fragments: bool,

    /// With --fragments: the most bytes in one fragment.
    #[arg(long, value_name = "BYTES", requires = "fragments",
          default_value_t = Config::DEFAULT_FRAGMENT_SIZE,
          value_parser = clap::value_parser!(u64).range(1..=16 << 20))]
    fragment_size: u64,

    /// Serve one client at a time, as the seed's first server did: the
    /// others wait in the listen queue (never refused).
    #[arg(long)]
    sequential: bool,

    /// The longest request line, in bytes; a longer one gets `101`.
    #[arg(long, value_name = "BYTES", default_value_t = hftp_proto::ServerConfig::DEFAULT_MAX_LINE_LEN)]
    max_line_len: u64,

    /// Expect a PROXY protocol header (v1 or v2, as HAProxy's send-proxy
    /// and send-proxy-v2 send) first on every connection, and take the
    /// client's address from it; a connection from elsewhere than
    /// --proxy-from, or without a valid header within the request
    /// timeout, is closed.
    #[arg(long)]
    proxy_protocol: bool,

    /// With --proxy-protocol: the load balancers, addresses or CIDR
    /// ranges separated by commas.
    #[arg(
        long,
        value_name = "ADDR[/BITS],...",
        value_delimiter = ',',
        requires = "proxy_protocol",
        default_value = "127.0.0.0/8,::1"
    )]
    proxy_from: Vec<Network>,

    /// Publish the directory as a Tor onion service, listening on
    /// loopback only: through a running tor's control port, else a tor
    /// of its own started from PATH (the log says which). The startup
    /// line adds `, published as NAME.onion:PORT`; the service is removed
    /// when the server stops. A failure to publish is one line on stderr
    /// and exit 1.
    #[arg(long, help_heading = "Onion service")]
    onion: bool,

    /// With --onion: the port the onion service offers.
    #[arg(long, value_name = "PORT", requires = "onion", help_heading = "Onion service",
          default_value_t = Config::DEFAULT_PORT,
          value_parser = clap::value_parser!(u16).range(1..))]
    onion_port: u16,

    /// With --onion: keep the service's key in FILE, so that its address
    /// stays the same across restarts (created with mode 0600 on first
    /// use, then reused).
    #[arg(
        long,
        value_name = "FILE",
        requires = "onion",
        help_heading = "Onion service"
    )]
    onion_key: Option<PathBuf>,

    /// With --onion: a running tor's control port, HOST:PORT or a Unix
    /// socket's path [default: 127.0.0.1:9051 if a tor answers there,
    /// else a tor of its own]
    #[arg(
        long,
        value_name = "ADDR",
        requires = "onion",
        help_heading = "Onion service"
    )]
    tor_control: Option<ControlAddr>,

    /// With --onion: the cookie file to authenticate to a running tor
    /// with, instead of the one tor names.
    #[arg(
        long,
        value_name = "FILE",
        requires = "onion",
        conflicts_with = "tor_config",
        help_heading = "Onion service"
    )]
    tor_cookie: Option<PathBuf>,

    /// With --onion: start a tor of its own, with the torrc lines in FILE
    /// as well (e.g. a private network's DirAuthority lines).
    #[arg(
        long,
        value_name = "FILE",
        requires = "onion",
        conflicts_with = "tor_control",
        help_heading = "Onion service"
    )]
    tor_config: Option<PathBuf>,

    /// Log more: -v adds connections and unlisted names (debug), -vv
    /// everything (trace).
    #[arg(short, long, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    verbose: u8,

    /// Log less: -q warnings and errors only, -qq errors only.
    #[arg(short, long, action = clap::ArgAction::Count)]
    quiet: u8,

    /// The clock of the log's timestamps: utc (2026-12-07T00:45:12.123Z),
    /// or local, the system's time zone (TZ, else /etc/localtime) with its
    /// offset (2026-12-06T21:45:12.123-03:00).
    #[arg(long, value_name = "CLOCK", value_enum, default_value_t)]
    pub(crate) log_time: LogTime,

    /// Print shell completions for SHELL and exit (bash, zsh, fish,
    /// elvish, powershell).
    #[arg(long, value_name = "SHELL", value_enum, exclusive = true)]
    pub(crate) completions: Option<clap_complete::Shell>,

    /// Print the manual page (roff) and exit, e.g. `hftp-server --man >
    /// hftp-server.1`.
    #[arg(long, exclusive = true)]
    pub(crate) man: bool,

    /// The language of messages, help and the log, en or es [default: from
    /// HFTP_LANG, else from the locale: LC_ALL, LC_MESSAGES, LANG]
    // Taken out of the command line before clap parses it (see
    // `take_lang`), so that it works with --help, --man and usage errors;
    // declared here for --help and the completions.
    #[arg(long, value_name = "LANG", value_parser = ["en", "es"], hide_possible_values = true)]
    lang: Option<String>,
}

/// Takes `--lang X` or `--lang=X` out of `args` (the program's name
/// first): the language asked for, if any (the last one given), and the
/// other arguments for clap. Arguments after `--` are left alone.
///
/// # Errors
///
/// A language other than `en` or `es`, or `--lang` without a value.
pub(crate) fn take_lang(
    args: impl IntoIterator<Item = OsString>,
) -> Result<(Option<Lang>, Vec<OsString>), ParseLangError> {
    let mut args = args.into_iter();
    let mut kept: Vec<OsString> = args.next().into_iter().collect();
    let mut lang = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            kept.push(arg);
            kept.extend(args);
            break;
        }
        let value = if arg == "--lang" {
            args.next().unwrap_or_default()
        } else if let Some(value) = arg.to_str().and_then(|arg| arg.strip_prefix("--lang=")) {
            OsString::from(value)
        } else {
            kept.push(arg);
            continue;
        };
        lang = Some(value.to_string_lossy().parse()?);
    }
    Ok((lang, kept))
}

/// The language chosen by `--lang` if given, else by the environment
/// read through `var` (`HFTP_LANG`, then the locale).
///
/// # Errors
///
/// A bad `HFTP_LANG` when no `--lang` is given.
pub(crate) fn choose_lang(
    flag: Option<Lang>,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Lang, ParseLangError> {
    flag.map_or_else(|| Lang::from_vars(var), Ok)
}

impl Cli {
    /// The server's settings.
    pub(crate) fn config(&self) -> Config {
        let nonzero = |timeout: Duration| Some(timeout).filter(|timeout| !timeout.is_zero());
        let max_connections =
            usize::try_from(self.max_connections).unwrap_or(Config::MAX_CONNECTIONS);
        let max_per_address = self
            .max_per_address
            .map(|max| usize::try_from(max).unwrap_or(Config::MAX_CONNECTIONS));
        Config::new(self.directory.clone())
            .address(self.address())
            .port(self.port)
            .max_connections(max_connections)
            .max_per_address(if self.lifts_per_address_cap() {
                Some(max_connections)
            } else {
                max_per_address
            })
            .evict_idle_after(self.evict_idle_after)
            .request_timeout(nonzero(self.request_timeout))
            .ascii_names(self.ascii_names)
            .idle_timeout(nonzero(self.idle_timeout))
            .send_timeout(nonzero(self.send_timeout))
            .grace(self.grace)
            .max_line_len(self.max_line_len)
            .fragments(self.fragments.then_some(self.fragment_size))
            .sequential(self.sequential)
            .proxy_protocol(self.proxy_protocol)
            .proxy_from(self.proxy_from.clone())
    }

    /// The address to listen on: the one given, else `::`, or 127.0.0.1
    /// for an onion service.
    fn address(&self) -> IpAddr {
        self.address.unwrap_or(if self.onion {
            Ipv4Addr::LOCALHOST.into()
        } else {
            Ipv6Addr::UNSPECIFIED.into()
        })
    }

    /// Whether the cap per address is lifted: behind an onion service
    /// every client comes from the address tor connects from, so a cap
    /// per address would be a cap on everyone. `--max-per-address` still
    /// sets one.
    pub(crate) fn lifts_per_address_cap(&self) -> bool {
        self.onion && self.max_per_address.is_none()
    }

    /// How to publish the onion service, with `--onion`.
    pub(crate) fn onion(&self) -> Option<OnionOptions> {
        self.onion.then(|| {
            OnionOptions::new()
                .virtual_port(self.onion_port)
                .key_file(self.onion_key.clone())
                .control(self.tor_control.clone())
                .cookie_file(self.tor_cookie.clone())
                .tor_config(self.tor_config.clone())
        })
    }

    /// What is wrong with a combination of flags clap cannot check: an
    /// onion service listening beyond loopback, on the address returned.
    pub(crate) fn misuse(&self) -> Option<IpAddr> {
        match self.address {
            Some(address) if self.onion && !address.is_loopback() => Some(address),
            _ => None,
        }
    }

    /// Writes the completions or the manual page asked for, if one was,
    /// in `lang`; true if it did (the server is then not run).
    pub(crate) fn write_docs(
        &self,
        lang: Lang,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<bool> {
        if let Some(shell) = self.completions {
            clap_complete::generate(shell, &mut help::command(lang), "hftp-server", out);
            return Ok(true);
        }
        if self.man {
            help::manual(lang, out)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// The log level the flags ask for (`RUST_LOG` overrides it).
    pub(crate) fn log_level(&self) -> log::LevelFilter {
        match (self.verbose, self.quiet) {
            (0, 0) => log::LevelFilter::Info,
            (1, _) => log::LevelFilter::Debug,
            (_, 0) => log::LevelFilter::Trace,
            (_, 1) => log::LevelFilter::Warn,
            _ => log::LevelFilter::Error,
        }
    }
}

/// A number of seconds, fractions allowed, not negative.
fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(secs).map_err(|_| format!("`{text}` is not a duration in seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn lang_is_taken_out_before_clap_parses_and_the_last_one_counts() {
        let take = |args: &[&str]| {
            take_lang(args.iter().map(OsString::from)).map(|(lang, rest)| {
                let rest: Vec<String> = rest
                    .into_iter()
                    .map(|arg| arg.to_string_lossy().into_owned())
                    .collect();
                (lang, rest)
            })
        };
        let own = |args: &[&str]| args.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(
            take(&["hftp-server", "--help"]),
            Ok((None, own(&["hftp-server", "--help"])))
        );
        assert_eq!(
            take(&["hftp-server", "--lang", "es", "--man"]),
            Ok((Some(Lang::Es), own(&["hftp-server", "--man"])))
        );
        assert_eq!(
            take(&["hftp-server", "--lang=ES", "-p", "0", "--lang", "en"]),
            Ok((Some(Lang::En), own(&["hftp-server", "-p", "0"])))
        );
        assert_eq!(
            take(&["hftp-server", "--", "--lang", "xx"]),
            Ok((None, own(&["hftp-server", "--", "--lang", "xx"])))
        );
        assert_eq!(
            take(&["hftp-server", "--lang", "fr"]),
            Err(ParseLangError("fr".into()))
        );
        assert_eq!(
            take(&["hftp-server", "--lang"]),
            Err(ParseLangError(String::new()))
        );
        let environment = |name: &str| (name == "LANG").then(|| "es_AR.UTF-8".to_owned());
        assert_eq!(choose_lang(None, environment), Ok(Lang::Es));
        assert_eq!(choose_lang(Some(Lang::En), environment), Ok(Lang::En));
    }

    #[test]
    fn defaults_and_aliases() {
        let cli = Cli::parse_from([
            "hftp-server",
            "--datadir",
            "x",
            "-p",
            "0",
            "--idle-timeout",
            "0.5",
        ]);
        let config = cli.config();
        assert_eq!(config.directory, PathBuf::from("x"));
        assert_eq!(config.port, 0);
        assert_eq!(config.idle_timeout, Some(Duration::from_millis(500)));
        assert_eq!(config.send_timeout, Some(Config::DEFAULT_SEND_TIMEOUT));
        assert_eq!(config.max_connections, Config::DEFAULT_MAX_CONNECTIONS);
        assert_eq!(cli.log_level(), log::LevelFilter::Info);
        let cli = Cli::parse_from([
            "hftp-server",
            "--send-timeout",
            "0",
            "-qq",
            "--max-connections",
            "10000",
        ]);
        assert_eq!(cli.config().send_timeout, None);
        assert_eq!(cli.config().max_connections, 10_000);
        assert_eq!(cli.log_level(), log::LevelFilter::Error);
    }

    #[test]
    fn fairness_and_the_seeds_modes() {
        let config = Cli::parse_from(["hftp-server"]).config();
        assert_eq!(config.per_address_cap(), 512);
        assert_eq!(
            config.request_timeout,
            Some(Config::DEFAULT_REQUEST_TIMEOUT)
        );
        assert_eq!((config.fragments, config.sequential), (None, false));
        let config = Cli::parse_from([
            "hftp-server",
            "--max-per-address",
            "3",
            "--request-timeout",
            "0",
            "--evict-idle-after",
            "2.5",
            "--fragments",
            "--sequential",
        ])
        .config();
        assert_eq!(config.per_address_cap(), 3);
        assert_eq!(config.request_timeout, None);
        assert_eq!(config.evict_idle_after, Duration::from_millis(2500));
        assert_eq!(config.fragments, Some(Config::DEFAULT_FRAGMENT_SIZE));
        assert!(config.sequential);
        let config = Cli::parse_from(["hftp-server", "--fragments", "--fragment-size", "256"]);
        assert_eq!(config.config().fragments, Some(256));
    }

    #[test]
    fn the_proxy_protocol_is_off_and_loopback_by_default() {
        let config = Cli::parse_from(["hftp-server"]).config();
        assert!(!config.proxy_protocol);
        assert_eq!(
            config.proxy_from,
            [Network::LOOPBACK_V4, Network::LOOPBACK_V6]
        );
        let config = Cli::parse_from([
            "hftp-server",
            "--proxy-protocol",
            "--proxy-from",
            "10.0.0.5,192.168.0.0/16",
        ])
        .config();
        assert!(config.proxy_protocol);
        let named: Vec<String> = config.proxy_from.iter().map(Network::to_string).collect();
        assert_eq!(named, ["10.0.0.5/32", "192.168.0.0/16"]);
    }

    #[test]
    fn an_onion_service_listens_on_loopback_without_a_cap_per_address() {
        let cli = Cli::parse_from(["hftp-server"]);
        assert_eq!(cli.config().address, IpAddr::from(Ipv6Addr::UNSPECIFIED));
        assert!(cli.onion().is_none() && !cli.lifts_per_address_cap());
        let cli = Cli::parse_from(["hftp-server", "--onion", "--max-connections", "100"]);
        let config = cli.config();
        assert_eq!(config.address, IpAddr::from(Ipv4Addr::LOCALHOST));
        assert_eq!(config.per_address_cap(), 100);
        assert!(cli.lifts_per_address_cap());
        assert_eq!(cli.misuse(), None);
        let options = cli.onion().expect("onion options");
        assert_eq!(options.virtual_port, 19500);
        assert_eq!((options.key_file, options.control), (None, None));
        let cli = Cli::parse_from([
            "hftp-server",
            "--onion",
            "--max-per-address",
            "7",
            "-a",
            "::1",
            "--onion-port",
            "80",
            "--onion-key",
            "k",
            "--tor-control",
            "/run/tor/control",
            "--tor-cookie",
            "c",
        ]);
        assert_eq!(cli.config().per_address_cap(), 7);
        assert_eq!(cli.config().address, IpAddr::from(Ipv6Addr::LOCALHOST));
        assert_eq!(cli.misuse(), None);
        let options = cli.onion().expect("onion options");
        assert_eq!(options.virtual_port, 80);
        assert_eq!(options.key_file, Some("k".into()));
        assert_eq!(
            options.control,
            Some(ControlAddr::Unix("/run/tor/control".into()))
        );
        assert_eq!(options.cookie_file, Some("c".into()));
        let cli = Cli::parse_from(["hftp-server", "--onion", "--tor-config", "t"]);
        assert_eq!(cli.onion().expect("options").tor_config, Some("t".into()));
        let cli = Cli::parse_from(["hftp-server", "--onion", "-a", "0.0.0.0"]);
        assert_eq!(cli.misuse(), Some(IpAddr::from(Ipv4Addr::UNSPECIFIED)));
    }

    #[test]
    fn completions_and_the_manual_page_come_from_the_flags() {
        let mut out = Vec::new();
        let cli = Cli::parse_from(["hftp-server", "--completions", "bash"]);
        assert!(cli.write_docs(Lang::En, &mut out).expect("written"));
        let script = String::from_utf8_lossy(&out);
        assert!(script.contains("--max-per-address") && script.contains("--fragments"));
        out.clear();
        let cli = Cli::parse_from(["hftp-server", "--man"]);
        assert!(cli.write_docs(Lang::En, &mut out).expect("written"));
        assert!(String::from_utf8_lossy(&out).contains(".TH hftp-server"));
        assert!(
            !Cli::parse_from(["hftp-server"])
                .write_docs(Lang::En, &mut out)
                .expect("nothing")
        );
        assert!(Cli::try_parse_from(["hftp-server", "--man", "-p", "0"]).is_err());
    }

    #[test]
    fn bad_values_are_refused() {
        for args in [
            &["hftp-server", "--max-connections", "0"][..],
            &["hftp-server", "--max-connections", "20000"],
            &["hftp-server", "--idle-timeout", "-1"],
            &["hftp-server", "-a", "localhost"],
            &["hftp-server", "-p", "65536"],
            &["hftp-server", "--max-per-address", "0"],
            &["hftp-server", "--fragments", "--fragment-size", "0"],
            &["hftp-server", "--fragment-size", "256"],
            &["hftp-server", "--proxy-from", "10.0.0.5"],
            &["hftp-server", "--onion-port", "80"],
            &["hftp-server", "--onion-key", "k"],
            &["hftp-server", "--tor-control", "127.0.0.1:9051"],
            &["hftp-server", "--tor-config", "t"],
            &["hftp-server", "--tor-cookie", "c"],
            &["hftp-server", "--onion", "--onion-port", "0"],
            &["hftp-server", "--onion", "--tor-control", "9051"],
            &[
                "hftp-server",
                "--onion",
                "--tor-control",
                "h:1",
                "--tor-config",
                "t",
            ],
            &[
                "hftp-server",
                "--onion",
                "--tor-cookie",
                "c",
                "--tor-config",
                "t",
            ],
            &[
                "hftp-server",
                "--proxy-protocol",
                "--proxy-from",
                "proxy.lan",
            ],
            &[
                "hftp-server",
                "--proxy-protocol",
                "--proxy-from",
                "10.0.0.0/40",
            ],
        ] {
            assert!(Cli::try_parse_from(args).is_err(), "{args:?}");
        }
    }
}
