//! Every word `hftp` shows a person, in English and in Spanish.
//!
//! [`Text`] has one method per message; `en.rs` and `es.rs` implement it.
//! A message missing in one language does not compile, and neither does
//! one that drops a value the other shows (both files deny unused
//! variables). clap's own texts (`--help`, usage errors) are translated
//! apart, in `clap_es.rs`, from the command line's definition.
//!
//! The language is chosen once, at start-up, before anything is printed
//! ([`choose`]), and read wherever a message is written ([`get`]).

mod clap_es;
mod en;
mod es;
mod help;
mod io;

use std::ffi::OsString;
use std::path::Path;
use std::sync::OnceLock;

use hftp_client::{Error, Lang, ParseLangError, Retrying};

pub(crate) use self::help::{localize, usage_error};

/// English.
pub(crate) struct En;

/// Spanish, with voseo, as a student from Córdoba writes it.
pub(crate) struct Es;

/// The language of this run, once chosen.
static CHOSEN: OnceLock<Lang> = OnceLock::new();

/// The language of this run: `--lang` in `args` (before a `--`), else the
/// environment ([`Lang::from_vars`]). Remembered for [`get`].
///
/// # Errors
///
/// A bad `--lang` or `HFTP_LANG` value, as a line to print.
pub(crate) fn choose(args: impl IntoIterator<Item = OsString>) -> Result<Lang, String> {
    let lang = match lang_arg(args) {
        Some(value) => value
            .parse()
            .map_err(|error: ParseLangError| error.to_string())?,
        None => Lang::from_vars(|name| std::env::var(name).ok())
            .map_err(|error| format!("{}: {error}", hftp_client::LANG_VARIABLE))?,
    };
    Ok(*CHOSEN.get_or_init(|| lang))
}

/// The value of the last `--lang X` or `--lang=X` before a `--`.
fn lang_arg(args: impl IntoIterator<Item = OsString>) -> Option<String> {
    let mut args = args
        .into_iter()
        .map(|arg| arg.to_string_lossy().into_owned());
    let mut found = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            found = Some(args.next().unwrap_or_default());
        } else if let Some(value) = arg.strip_prefix("--lang=") {
            found = Some(value.to_owned());
        }
    }
    found
}

/// The language of this run (English before one is chosen).
pub(crate) fn lang() -> Lang {
    CHOSEN.get().copied().unwrap_or_default()
}

/// The messages of this run's language.
pub(crate) fn get() -> &'static dyn Text {
    text(lang())
}

/// The messages of `lang`.
pub(crate) fn text(lang: Lang) -> &'static dyn Text {
    match lang {
        Lang::Es => &Es,
        _ => &En,
    }
}

/// A manual page's section title in Spanish (clap_mangen writes them in
/// English; our own headings are already in Spanish).
pub(crate) fn section_title(english: &str) -> &str {
    match english {
        "NAME" => "NOMBRE",
        "SYNOPSIS" => "SINOPSIS",
        "DESCRIPTION" => "DESCRIPCIÓN",
        "OPTIONS" => "OPCIONES",
        "SUBCOMMANDS" | "Comandos" => "SUBCOMANDOS",
        "EXTRA" => "MÁS",
        "VERSION" => "VERSIÓN",
        "AUTHORS" => "AUTORES",
        other => other,
    }
}

/// The messages of `hftp`, one method each; the doc says where it shows.
pub(crate) trait Text: Sync {
    // The command line.

    /// After a usage error's line: `... (see --help)`.
    fn see_help(&self, message: &str) -> String;
    /// An error of the library, on the line after `hftp: `.
    fn error(&self, error: &Error) -> String;
    /// `HFTP_SERVER` or a proxy variable that is not UTF-8.
    fn not_utf8(&self, variable: &str) -> String;
    /// A bad value of an option that takes seconds.
    fn not_seconds(&self, text: &str) -> String;
    /// A bad whole number (`--parallel`, `--retry`, `--offset`, `--size`).
    fn not_whole(&self, error: &std::num::ParseIntError) -> String;
    /// A whole number out of its range (`--parallel`).
    fn not_in_range(&self, value: u64, low: u64, high: u64) -> String;
    /// A value of seconds too large for a duration.
    fn not_a_duration(&self, text: &str) -> String;
    /// `--tor` when Tor's port does not answer and Tor Browser's does.
    fn tor_browser_port(&self, tor: u16, browser: &str) -> String;
    /// Writing to stdout failed.
    fn cannot_write_stdout(&self, error: &std::io::Error) -> String;
    /// A `.onion` host through a proxy that resolves names locally.
    fn onion_through(&self, host: &str, proxy: &str) -> String;
    /// A `.onion` host without a proxy.
    fn onion_needs_tor(&self, host: &str) -> String;

    // `hftp get`.

    /// `--offset`/`--size` with several names.
    fn range_takes_one_name(&self) -> String;
    /// `-o FILE` with several names.
    fn output_takes_one_name(&self) -> String;
    /// `-o -` with `--parallel` or `--continue`.
    fn stdout_cannot_resume(&self) -> String;
    /// The output file exists (exit 6).
    fn exists(&self, path: &Path) -> String;
    /// `--offset` past the end of the file (exit 4).
    fn offset_past_end(&self, offset: u64, file_size: u64) -> String;
    /// A NAME pattern no listed name matches (exit 4).
    fn no_match(&self, pattern: &str) -> String;
    /// The `.part` no longer matched and `--restart-if-changed` started over.
    fn started_over(&self, name: &str, len: u64, path: &Path) -> String;
    /// `-c` on a file already complete.
    fn already_complete(&self, path: &Path) -> String;
    /// Ctrl-C during a download that leaves a `.part` (exit 130).
    fn interrupted_kept(&self, part: &Path) -> String;
    /// Ctrl-C (exit 130).
    fn interrupted(&self) -> String;
    /// A download's error, after its name.
    fn named(&self, name: &str, error: &str) -> String;
    /// A connection lost for good, and the `.part` kept.
    fn lost_kept(&self, name: &str, error: &str, part: &Path) -> String;
    /// Binary data refused on a terminal (`-o -`).
    fn binary_on_terminal(&self, name: &str) -> String;
    /// The file changed during `-o -` retries (exit 9).
    fn changed_on_stdout(&self, name: &str, file_size: u64, now: u64, written: u64) -> String;

    // Progress, summary and notices.

    /// The bar's text when no byte came for a while.
    fn stalled(&self, secs: u64) -> String;
    /// The bar's rate and time left (`?` when unknown).
    fn rate_and_eta(&self, rate: &str, eta: &str) -> String;
    /// The bar's name when resuming.
    fn resumed_from(&self, name: &str, done: &str) -> String;
    /// The summary after a bar: bytes, time, rate.
    fn transfer(&self, bytes: &str, time: &str, rate: &str) -> String;
    /// A resumed download, once its bytes were checked.
    fn resuming(&self, name: &str, at: u64) -> String;
    /// A retry notice.
    fn retrying(&self, retry: &Retrying<'_>) -> String;
    /// A leftover file removed before a download.
    fn removed(&self, path: &Path, why: &str) -> String;

    /// The warning when Ctrl-C cannot be watched for.
    fn cannot_watch_signals(&self, error: &std::io::Error) -> String;
    /// The warning when the server does not answer pipelined requests.
    fn one_request_at_a_time(&self) -> String;

    // `hftp man`.

    /// `hftp man --dir` could not write.
    fn man_dir_failed(&self, dir: &Path, error: &std::io::Error) -> String;
    /// `hftp man NAME` for no subcommand.
    fn no_manual_page(&self, name: &str, names: &str) -> String;

    // The shell.

    /// The opening: the server.
    fn connected(&self, server: &str) -> String;
    /// The opening: an empty listing.
    fn no_files(&self) -> String;
    /// The opening: before the names.
    fn files_on_server(&self) -> String;
    /// The opening's last line.
    fn type_a_name(&self) -> String;
    /// `help` in the shell, and the end of `hftp shell --help`.
    fn shell_help(&self) -> &'static str;
    /// The examples of `hftp shell --help`.
    fn shell_examples(&self) -> &'static str;
    /// A word that is no command nor a served name, with a likely one.
    fn unknown_command_like(&self, word: &str, command: &str) -> String;
    /// A word that is no command nor a served name.
    fn unknown_command(&self, word: &str) -> String;
    /// A shell line's usage error.
    fn see_command_help(&self, message: &str, command: &str) -> String;
    /// A line with an open quote.
    fn open_quote(&self) -> String;
    /// The terminal cannot be used for line editing.
    fn cannot_use_terminal(&self, error: &str) -> String;
    /// The terminal cannot be read.
    fn cannot_read_terminal(&self, error: &str) -> String;
    /// `lcd`, `lpwd` or `!` failed on this machine.
    fn local_failed(&self, what: &str, error: &std::io::Error) -> String;
    /// `!COMMAND` ended with a non-zero status.
    fn command_status(&self, command: &str, code: i32) -> String;
    /// `!COMMAND` was killed by a signal.
    fn command_signal(&self, command: &str, signal: i32) -> String;
    /// Stdin cannot be read.
    fn cannot_read_stdin(&self, error: &std::io::Error) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn progress_summary_and_retries_read_well_in_spanish() {
        let es = text(Lang::Es);
        assert_eq!(
            es.transfer("41 B", "1.2 ms", "33.4 KiB"),
            "41 B en 1.2 ms (33.4 KiB/s)"
        );
        assert_eq!(es.stalled(4), "trabado, nada hace 4 s");
        assert_eq!(es.rate_and_eta("1.0 MiB", "3s"), "1.0 MiB/s faltan 3s");
        let silent = Error::Timeout(None);
        let retry = Retrying::new(
            2,
            5,
            &silent,
            327_155_712,
            std::time::Duration::from_millis(500),
        );
        assert_eq!(
            es.retrying(&retry),
            "el servidor dejó de responder después de 312.0 MiB; reintento en 0.50 s (2/5)"
        );
        let refused = Error::Connect {
            addr: "localhost:19500".into(),
            source: std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        };
        let retry = Retrying::new(1, 5, &refused, 1000, std::time::Duration::from_millis(250));
        assert_eq!(
            es.retrying(&retry),
            "no se pudo volver a conectar (conexión rechazada); reintento en 0.25 s (1/5)"
        );
        assert_eq!(
            text(Lang::En).retrying(&retry),
            retry.to_string(),
            "English is the library's own words"
        );
    }

    #[test]
    fn lang_is_found_in_either_form_and_not_after_a_double_dash() {
        assert_eq!(
            lang_arg(args(&["hftp", "--lang", "es", "ls"])),
            Some("es".into())
        );
        assert_eq!(
            lang_arg(args(&["hftp", "ls", "--lang=en"])),
            Some("en".into())
        );
        assert_eq!(lang_arg(args(&["hftp", "get", "--", "--lang=es"])), None);
        assert_eq!(lang_arg(args(&["hftp", "--lang"])), Some(String::new()));
    }
}
