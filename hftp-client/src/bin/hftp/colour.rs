//! Colour where it helps: the `hftp:` before an error, in bold red, when
//! stderr is a terminal. Never in a pipe or a file, nor with `NO_COLOR`
//! set to anything but the empty string (<https://no-color.org>), nor on
//! a `TERM=dumb` terminal.

use std::env;
use std::io::{self, IsTerminal as _};
use std::sync::OnceLock;

/// Bold red, then back to normal.
const ERROR_PREFIX: &str = "\x1b[1;31mhftp:\x1b[0m";

/// The prefix of an error line: `hftp:`, coloured when stderr wants it.
pub(crate) fn error_prefix() -> &'static str {
    if stderr_wants_colour() {
        ERROR_PREFIX
    } else {
        "hftp:"
    }
}

/// True if stderr is a terminal and neither `NO_COLOR` nor `TERM=dumb`
/// says no; decided once.
fn stderr_wants_colour() -> bool {
    static WANTED: OnceLock<bool> = OnceLock::new();
    *WANTED.get_or_init(|| {
        let no_color = env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let dumb = env::var_os("TERM").is_some_and(|term| term == "dumb");
        !no_color && !dumb && io::stderr().is_terminal()
    })
}
