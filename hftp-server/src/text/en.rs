//! The log in English: the words it has always had.
#![deny(unused_variables)]

use std::fmt::{Debug, Display};
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use hftp_proto::{Code, Fatal, Unlisted};

use super::{En, Text, Unserved};

impl Text for En {
    fn not_served(&self, total: usize, dir: &Path) -> String {
        let (entries, are) = if total == 1 {
            ("entry", "is")
        } else {
            ("entries", "are")
        };
        format!(
            "{total} {entries} of {dir} {are} not served: ",
            dir = dir.display()
        )
    }

    fn unserved(&self, why: Unserved, count: usize) -> &'static str {
        let (one, many) = match why {
            Unserved::Folder => ("folder", "folders"),
            Unserved::Space => ("name with a space", "names with a space"),
            Unserved::BadName => ("name no request can carry", "names no request can carry"),
            Unserved::NotAscii => ("name not in ASCII", "names not in ASCII"),
            Unserved::LinkOut => ("link out of the directory", "links out of the directory"),
            Unserved::Dangling => ("link to nothing", "links to nothing"),
            Unserved::Special => ("entry that is not a file", "entries that are not files"),
        };
        if count == 1 { one } else { many }
    }

    fn fragments_on(&self, max: u64) -> String {
        format!("plain slices are sent in fragments of at most {max} bytes (rule 12)")
    }

    fn sequential_on(&self) -> String {
        "sequential: one client at a time; the next waits until it leaves".into()
    }

    fn proxy_protocol_on(&self, from: &str) -> String {
        format!("PROXY protocol: every connection begins with a header, from {from} only")
    }

    fn ipv6_unavailable(&self, error: &io::Error, fallback: SocketAddr) -> String {
        format!("IPv6 is unavailable ({error}); listening on {fallback} instead")
    }

    fn stopping(&self, grace: Duration, busy: usize) -> String {
        format!("stopping: waiting up to {grace:?} for {busy} connections")
    }

    fn grace_over(&self, busy: usize) -> String {
        format!("grace over: closing {busy} connections still busy")
    }

    fn threads_left(&self, left: usize) -> String {
        format!("{left} connection threads did not end")
    }

    fn stopped(&self) -> String {
        "stopped".into()
    }

    fn accept_backoff(&self, error: &io::Error) -> String {
        format!("accept: {error}; backing off until resources free up")
    }

    fn accept_failed(&self, error: &io::Error) -> String {
        format!("accept: {error}")
    }

    fn proxy_not_allowed(&self, peer: SocketAddr) -> String {
        format!("{peer}: closed: not an address allowed to send a PROXY protocol header")
    }

    fn refused(&self, peer: SocketAddr, code: u16, why: &str) -> String {
        format!("{peer}: refused with {code}: {why}")
    }

    fn address_full(&self, cap: usize) -> String {
        format!("{cap} connections already open from this address")
    }

    fn server_full(&self, cap: usize) -> String {
        format!("{cap} connections already open, none quiet enough to close")
    }

    fn no_thread(&self, error: &io::Error) -> String {
        format!("cannot start a thread: {error}")
    }

    fn evicted(&self, victim: SocketAddr, quiet: Duration, newcomer: SocketAddr) -> String {
        let quiet = quiet.as_secs_f64();
        format!("{victim}: closed after {quiet:.1} s without a request, to let {newcomer} in")
    }

    fn connected(&self, peer: SocketAddr) -> String {
        format!("{peer}: connected")
    }

    fn connected_through(&self, client: SocketAddr, proxy: SocketAddr) -> String {
        format!("{client}: connected through {proxy}")
    }

    fn setup_failed(&self, peer: SocketAddr, error: &io::Error) -> String {
        format!("{peer}: cannot set the socket up: {error}")
    }

    fn fatal(&self, peer: SocketAddr, fatal: Fatal, code: Code) -> String {
        format!("{peer}: {fatal}: answering {code}")
    }

    fn closed(&self, peer: SocketAddr, why: &dyn Display) -> String {
        format!("{peer}: closed: {why}")
    }

    fn end_quit(&self) -> String {
        "quit".into()
    }

    fn end_eof(&self, mid_request: bool) -> String {
        if mid_request {
            "closed by the client mid-request".into()
        } else {
            "closed by the client".into()
        }
    }

    fn end_fatal(&self, code: Code, fatal: Option<Fatal>) -> String {
        match fatal {
            Some(fatal) => format!("answered {code} ({fatal})"),
            None => format!("answered {code} (the server failed)"),
        }
    }

    fn end_cut(&self, why: &str) -> String {
        format!("body cut short: {why}")
    }

    fn end_idle(&self) -> String {
        "idle timeout".into()
    }

    fn end_request_timeout(&self) -> String {
        "request timeout: the line did not arrive in time".into()
    }

    fn end_evicted(&self) -> String {
        "evicted for a newcomer".into()
    }

    fn end_send_timeout(&self) -> String {
        "send timeout: the client stopped reading".into()
    }

    fn end_stopping(&self) -> String {
        "server stopping".into()
    }

    fn end_failed(&self, error: &io::Error) -> String {
        format!("socket error: {error}")
    }

    fn proxy_invalid(&self, error: &dyn Display) -> String {
        error.to_string()
    }

    fn proxy_timeout(&self) -> String {
        "no complete PROXY protocol header in time".into()
    }

    fn proxy_closed(&self) -> String {
        "closed before its PROXY protocol header ended".into()
    }

    fn proxy_failed(&self, error: &io::Error) -> String {
        format!("socket error before the PROXY header: {error}")
    }

    fn not_listed(&self, name: &dyn Display, why: Unlisted) -> String {
        let why = match why {
            Unlisted::Space => "a name with a space cannot be asked for",
            Unlisted::NotAscii => "names not in ASCII are left out (--ascii-names)",
            _ => "no request can carry this name",
        };
        format!("not listed: {name}: {why}")
    }

    fn not_listed_more(&self, more: usize) -> String {
        format!("not listed: {more} more names (the start-up summary counts them by reason)")
    }

    fn no_permission(&self, name: &dyn Debug) -> String {
        format!("no permission to read {name:?}")
    }

    fn cannot_list(&self, path: &Path, error: &io::Error) -> String {
        format!("cannot list {}: {error}", path.display())
    }

    fn directory_unavailable(&self, path: &Path, error: &io::Error) -> String {
        format!(
            "the served directory {} is unavailable: {error}",
            path.display()
        )
    }

    fn cannot_open(&self, name: &dyn Debug, error: &io::Error) -> String {
        format!("cannot open {name:?}: {error}")
    }

    fn onion_key_readable(&self, path: &Path) -> String {
        format!(
            "{}: others than its owner may read it, and whoever does can publish this onion address",
            path.display()
        )
    }

    fn onion_key_saved(&self, path: &Path) -> String {
        format!(
            "onion key saved in {}: the address stays the same as long as the file does",
            path.display()
        )
    }

    fn onion_descriptor_uploaded(&self, service: &str) -> String {
        format!("tor uploaded {service}.onion's descriptor: the service can be reached")
    }

    fn onion_no_events(&self, error: &dyn Display) -> String {
        format!("tor's descriptor events will not be logged: {error}")
    }

    fn onion_lost(&self, error: &dyn Display) -> String {
        format!("{error}: the onion service is gone; stopping")
    }

    fn onion_removed(&self, address: &str) -> String {
        format!("onion service {address} removed")
    }

    fn tor_not_running(&self, usual: &dyn Display) -> String {
        format!("no tor control port at {usual}: starting a tor of our own")
    }

    fn tor_unusable(&self, usual: &dyn Display, error: &dyn Display) -> String {
        format!("tor's control port at {usual} cannot be used ({error}): starting a tor of our own")
    }

    fn tor_authenticated(&self, version: Option<&str>, addr: &dyn Display, method: &str) -> String {
        let version = version.unwrap_or("(version unknown)");
        format!("authenticated to tor {version} at {addr} with {method}")
    }

    fn tor_started(&self, pid: u32, data_dir: &Path) -> String {
        format!(
            "started tor (pid {pid}) with data directory {}",
            data_dir.display()
        )
    }

    fn tor_exited(&self, status: &dyn Display) -> String {
        format!("tor exited ({status})")
    }

    fn tor_killed(&self, waited: Duration) -> String {
        format!("tor did not exit within {waited:?} of SIGTERM: killing it")
    }

    fn tor_stopped(&self) -> String {
        "tor stopped".into()
    }
}
