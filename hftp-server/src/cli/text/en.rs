//! The command in English: the words it has always had.
#![deny(unused_variables)]

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use hftp_server::onion::{OnionError, TorUsed};

use super::{En, Text};

impl Text for En {
    fn serving(&self, version: &str, dir: &Path, addr: SocketAddr, published: &str) -> String {
        format!(
            "hftp-server {version} serving {} on {addr}{published}",
            dir.display()
        )
    }

    fn published(&self, onion: &str, port: u16) -> String {
        format!(", published as {onion}:{port}")
    }

    fn usage(&self, message: &str) -> String {
        format!("{message} (see --help)")
    }

    fn usage_invalid_value(&self, value: &str, arg: &str, expected: Option<&str>) -> String {
        match expected {
            Some(expected) => format!("invalid value '{value}' for '{arg}': {expected}"),
            None => format!("invalid value '{value}' for '{arg}'"),
        }
    }

    fn usage_not_possible(&self, value: &str, arg: &str, possible: &str) -> String {
        format!("invalid value '{value}' for '{arg}' [possible values: {possible}]")
    }

    fn usage_unknown(&self, arg: &str, suggested: Option<&str>) -> String {
        match suggested {
            Some(suggested) => {
                format!("unexpected argument '{arg}' found: did you mean '{suggested}'?")
            }
            None => format!("unexpected argument '{arg}' found"),
        }
    }

    fn usage_missing(&self, args: &str) -> String {
        format!("the following required arguments were not provided: {args}")
    }

    fn usage_no_value(&self, arg: &str) -> String {
        format!("a value is required for '{arg}' but none was supplied")
    }

    fn usage_conflict(&self, arg: &str, other: &str) -> String {
        if other.is_empty() {
            format!(
                "the argument '{arg}' cannot be used with one or more of the other specified arguments"
            )
        } else {
            format!("the argument '{arg}' cannot be used with '{other}'")
        }
    }

    fn usage_twice(&self, arg: &str) -> String {
        format!("the argument '{arg}' cannot be used multiple times")
    }

    fn usage_other(&self, english: &str) -> String {
        english.to_owned()
    }

    fn onion_not_on(&self, address: IpAddr) -> String {
        format!(
            "--onion listens on loopback only, not on {address}: drop -a, or give 127.0.0.1 or ::1"
        )
    }

    fn onion_socket_passed(&self, listening: SocketAddr) -> String {
        format!("--onion listens on loopback only, and the socket passed in listens on {listening}")
    }

    fn onion_failed(&self, error: &OnionError) -> String {
        error.to_string()
    }

    fn hint_no_tor(&self) -> String {
        ": install tor, or name a running tor's control port with --tor-control".into()
    }

    fn hint_cookie(&self) -> String {
        ": name it with --tor-cookie".into()
    }

    fn cannot_serve(&self, path: &Path, error: &io::Error) -> String {
        format!("cannot serve {}: {error}", path.display())
    }

    fn cannot_listen(&self, address: SocketAddr, error: &io::Error) -> String {
        format!("cannot listen on {address}: {error}")
    }

    fn cannot_use_passed(&self, error: &io::Error) -> String {
        format!("cannot use the listening socket passed in: {error}")
    }

    fn bad_limit(&self, name: &str, value: usize, max: usize) -> String {
        format!("the connection caps must be from 1 to {max}; {name} is {value}")
    }

    fn activation_failed(&self, error: &io::Error) -> String {
        format!("socket activation: {error}")
    }

    fn failed(&self, error: &io::Error) -> String {
        error.to_string()
    }

    fn serving_passed(&self) -> String {
        "serving on the listening socket passed in; --address and --port unused".into()
    }

    fn several_passed(&self, count: usize) -> String {
        format!("{count} sockets passed in; serving on the first only")
    }

    fn onion_published(&self, onion: &str, port: u16, tor: &TorUsed) -> String {
        format!("onion service {onion}:{port} published through {tor}")
    }

    fn onion_no_cap(&self) -> String {
        "every client comes from tor's address: no cap per address (--max-per-address sets one)"
            .into()
    }

    fn signal_stopping(&self, signal: &str) -> String {
        format!("{signal}: no new connections; finishing replies in flight")
    }

    fn signal_again(&self, signal: &str) -> String {
        format!("{signal} again: exiting at once")
    }
}
