//! What the command says to a person, in each language: one method per
//! message, each saying where it is shown. The log's words are the
//! library's (`Config::lang`); `--help`'s are in [`super::help`].
//!
//! A message missing in one language does not compile, nor does one that
//! drops a value the other shows (`#![deny(unused_variables)]`).

mod en;
mod es;

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use hftp_server::Lang;
use hftp_server::onion::{OnionError, TorUsed};

/// The command's words in one language.
pub(crate) trait Text: Sync {
    /// Stdout, the start-up line: a script reads the address as its last
    /// word, so `published` (from [`Text::published`]) ends it only with
    /// `--onion`.
    fn serving(&self, version: &str, dir: &Path, addr: SocketAddr, published: &str) -> String;
    /// The start-up line's end with `--onion`.
    fn published(&self, onion: &str, port: u16) -> String;

    /// Stderr, a usage error: `message` from the `usage_*` messages.
    fn usage(&self, message: &str) -> String;
    /// A value the option refuses; `expected` says what it takes, when
    /// known.
    fn usage_invalid_value(&self, value: &str, arg: &str, expected: Option<&str>) -> String;
    /// A value not among the option's possible values.
    fn usage_not_possible(&self, value: &str, arg: &str, possible: &str) -> String;
    /// An option that does not exist; `suggested`: the closest that does.
    fn usage_unknown(&self, arg: &str, suggested: Option<&str>) -> String;
    /// Options that need another one, missing.
    fn usage_missing(&self, args: &str) -> String;
    /// An option given without its value.
    fn usage_no_value(&self, arg: &str) -> String;
    /// Two options that cannot go together (`other` is empty when the
    /// first goes with no other at all).
    fn usage_conflict(&self, arg: &str, other: &str) -> String;
    /// An option given more than once.
    fn usage_twice(&self, arg: &str) -> String;
    /// Any other command-line error; `english` is clap's own words.
    fn usage_other(&self, english: &str) -> String;

    /// Stderr, with `--onion` and `-a` beyond loopback (exit 2).
    fn onion_not_on(&self, address: IpAddr) -> String;
    /// Stderr, with `--onion` and a socket passed in beyond loopback.
    fn onion_socket_passed(&self, listening: SocketAddr) -> String;
    /// Stderr, when the onion service cannot be published, or tor went
    /// away while the server ran (a hint may follow). English says what
    /// the library's error says.
    fn onion_failed(&self, error: &OnionError) -> String;
    /// The onion failure's hint when no tor can be had.
    fn hint_no_tor(&self) -> String;
    /// The onion failure's hint when tor names no cookie file.
    fn hint_cookie(&self) -> String;
    /// Stderr, when the served directory cannot be served.
    fn cannot_serve(&self, path: &Path, error: &io::Error) -> String;
    /// Stderr, when the address cannot be listened on.
    fn cannot_listen(&self, address: SocketAddr, error: &io::Error) -> String;
    /// Stderr, when the socket passed in cannot be used.
    fn cannot_use_passed(&self, error: &io::Error) -> String;
    /// Stderr, when a connection cap is out of range.
    fn bad_limit(&self, name: &str, value: usize, max: usize) -> String;
    /// Stderr, when the sockets passed in cannot be taken.
    fn activation_failed(&self, error: &io::Error) -> String;
    /// Stderr, any other failure (writing to stdout, signals).
    fn failed(&self, error: &io::Error) -> String;

    /// Info, when serving on a socket passed in.
    fn serving_passed(&self) -> String;
    /// Warn, when several sockets are passed in.
    fn several_passed(&self, count: usize) -> String;
    /// Info, once the onion service is published.
    fn onion_published(&self, onion: &str, port: u16, tor: &TorUsed) -> String;
    /// Info, with `--onion` and no `--max-per-address`.
    fn onion_no_cap(&self) -> String;
    /// Info, on the first SIGINT or SIGTERM.
    fn signal_stopping(&self, signal: &str) -> String;
    /// Warn, on the second.
    fn signal_again(&self, signal: &str) -> String;
}

/// English.
struct En;

/// Spanish.
struct Es;

/// The command's words in `lang`.
pub(crate) fn text(lang: Lang) -> &'static dyn Text {
    match lang {
        Lang::Es => &Es,
        _ => &En,
    }
}
