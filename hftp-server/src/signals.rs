//! SIGINT and SIGTERM: the first stops the server gracefully, a second
//! exits at once.

use std::io;
use std::thread;

use hftp_server::ShutdownHandle;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use crate::cli::text::Text;

/// Watches for the stop signals on a thread of its own.
pub(crate) fn stop_on_signals(handle: ShutdownHandle, text: &'static dyn Text) -> io::Result<()> {
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
                    log::warn!("{}", text.signal_again(name));
                    std::process::exit(128 + signal);
                }
                log::info!("{}", text.signal_stopping(name));
                stopping = true;
                handle.shutdown();
            }
        })?;
    Ok(())
}
