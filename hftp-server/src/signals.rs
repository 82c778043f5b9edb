//! SIGINT and SIGTERM: the first stops the server gracefully, a second
//! exits at once.

use std::io;
use std::thread;

use hftp_server::ShutdownHandle;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Watches for the stop signals on a thread of its own.
pub(crate) fn stop_on_signals(handle: ShutdownHandle) -> io::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    thread::Builder::new()
        .name("hftp-signals".into())
        .spawn(move || {
            let mut stopping = false;
            for signal in signals.forever() {
                let name = if signal == SIGINT {
                    "SIGINT"
                } else {
                    "SIGTERM"
                };
                if stopping {
                    log::warn!("{name} again: exiting at once");
                    std::process::exit(128 + signal);
                }
                log::info!("{name}: no new connections; finishing replies in flight");
                stopping = true;
                handle.shutdown();
            }
        })?;
    Ok(())
}
