//! Colour where it helps: the `hftp:` before an error, in bold red, when
//! stderr is a terminal; the checker's verdicts (SECURITY and FAIL in
//! bold red, pass in green) when stdout is one. Never in a pipe or a file, nor with `NO_COLOR`
//! set to anything but the empty string (<https://no-color.org>), nor on
//! a `TERM=dumb` terminal.

use std::env;
use std::io::{self, IsTerminal as _};
use std::sync::OnceLock;

use hftp_client::Lang;
use hftp_client::check::Kind;

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

/// The checker's text report with each case's verdict mark coloured,
/// if stdout wants colour; else as it is.
pub(crate) fn verdicts(report: String, lang: Lang) -> String {
    static STDOUT: OnceLock<bool> = OnceLock::new();
    if !*STDOUT.get_or_init(|| wanted(io::stdout().is_terminal())) {
        return report;
    }
    let painted = [
        (Kind::Security, "1;31"),
        (Kind::Fail, "1;31"),
        (Kind::Pass, "32"),
    ];
    let mut out = String::with_capacity(report.len() + 256);
    for line in report.split_inclusive('\n') {
        // A case's line: two spaces, its mark, spaces, its id.
        let mark = line.strip_prefix("  ").and_then(|rest| {
            painted.iter().find_map(|&(kind, colour)| {
                let mark = kind.mark_in(lang);
                rest.strip_prefix(mark)
                    .filter(|after| after.starts_with(' '))
                    .map(|after| (mark, colour, after))
            })
        });
        match mark {
            Some((mark, colour, after)) => {
                out.push_str(&format!("  \x1b[{colour}m{mark}\x1b[0m{after}"));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// True if stderr is a terminal and neither `NO_COLOR` nor `TERM=dumb`
/// says no; decided once.
fn stderr_wants_colour() -> bool {
    static WANTED: OnceLock<bool> = OnceLock::new();
    *WANTED.get_or_init(|| wanted(io::stderr().is_terminal()))
}

/// Colour for a stream that is a terminal (`terminal`), unless
/// `NO_COLOR` (not empty) or `TERM=dumb` says no.
fn wanted(terminal: bool) -> bool {
    let no_color = env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    let dumb = env::var_os("TERM").is_some_and(|term| term == "dumb");
    terminal && !no_color && !dumb
}
