//! Socket activation: the listening socket systemd (or `systemfd`) hands
//! over as descriptor 3, with `LISTEN_FDS` and `LISTEN_PID`.

use std::io;
use std::net::TcpListener;

use crate::cli::text::Text;

/// Takes the listening socket passed in, if one was: `LISTEN_FDS` names
/// at least one descriptor and `LISTEN_PID` is this process (or unset).
/// Both variables are removed, so that no child inherits them. A
/// descriptor that is not a listening TCP socket is an error.
///
/// Call it before any thread starts: it changes the environment.
pub(crate) fn inherited_listener(text: &dyn Text) -> io::Result<Option<TcpListener>> {
    let mut passed = listenfd::ListenFd::from_env();
    if passed.len() > 1 {
        log::warn!("{}", text.several_passed(passed.len()));
    }
    passed.take_tcp_listener(0)
}
