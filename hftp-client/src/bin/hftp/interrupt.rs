//! Ctrl-C: a download in flight stops cleanly and keeps its `.part` file
//! for `--continue`; anything else exits at once. A second Ctrl-C always
//! exits at once.

use hftp_client::CancelToken;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::exit::Exit;

/// Watches SIGINT and SIGTERM on a thread of its own.
pub(crate) fn install(token: CancelToken) {
    let mut signals = match Signals::new([SIGINT, SIGTERM]) {
        Ok(signals) => signals,
        Err(error) => {
            log::warn!("cannot watch signals: {error}");
            return;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let mut asked = false;
            for signal in signals.forever() {
                log::debug!("signal {signal}");
                if asked || !token.cancel() {
                    std::process::exit(Exit::Interrupted as i32);
                }
                asked = true;
            }
        });
    if let Err(error) = spawned {
        log::warn!("cannot watch signals: {error}");
    }
}
