//! The English messages: the words `hftp` has always printed.
#![deny(unused_variables)]

use std::io;
use std::num::ParseIntError;
use std::path::Path;

use hftp_client::{Error, Retrying};

use super::{En, Text};

impl Text for En {
    fn see_help(&self, message: &str) -> String {
        format!("{message} (see --help)")
    }

    fn error(&self, error: &Error) -> String {
        error.to_string()
    }

    fn not_utf8(&self, variable: &str) -> String {
        format!("{variable}: not valid UTF-8")
    }

    fn not_seconds(&self, text: &str) -> String {
        format!("`{text}` is not a number of seconds")
    }

    fn not_whole(&self, error: &ParseIntError) -> String {
        error.to_string()
    }

    fn not_in_range(&self, value: u64, low: u64, high: u64) -> String {
        format!("{value} is not in {low}..={high}")
    }

    fn not_a_duration(&self, text: &str) -> String {
        format!("`{text}` is not a duration in seconds")
    }

    fn tor_browser_port(&self, tor: u16, browser: &str) -> String {
        format!("nothing answers on Tor's port {tor}; using Tor Browser's, {browser}")
    }

    fn cannot_write_stdout(&self, error: &io::Error) -> String {
        format!("cannot write to stdout: {error}")
    }

    fn onion_through(&self, host: &str, proxy: &str) -> String {
        format!(
            "{host} is an onion address: the proxy {proxy} would have it resolved here; use socks5h:// (or --tor) so that Tor resolves it"
        )
    }

    fn onion_needs_tor(&self, host: &str) -> String {
        format!(
            "{host} is an onion address, reachable only through Tor: add --tor (or --proxy socks5h://HOST:PORT)"
        )
    }

    fn range_takes_one_name(&self) -> String {
        "--offset and --size take one NAME".to_owned()
    }

    fn output_takes_one_name(&self) -> String {
        "-o takes one NAME (use -O DIR for several)".to_owned()
    }

    fn stdout_cannot_resume(&self) -> String {
        "--parallel and --continue need a file output, not stdout".to_owned()
    }

    fn exists(&self, path: &Path) -> String {
        format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )
    }

    fn offset_past_end(&self, offset: u64, file_size: u64) -> String {
        format!("offset {offset} is past the end of the file ({file_size} bytes)")
    }

    fn no_match(&self, pattern: &str) -> String {
        format!("{pattern}: no file on the server matches this pattern")
    }

    fn started_over(&self, name: &str, len: u64, path: &Path) -> String {
        format!(
            "{name}: the file changed on the server since its .part of {len} bytes was written; started over, the old bytes kept in {}.part.mismatch",
            path.display()
        )
    }

    fn already_complete(&self, path: &Path) -> String {
        format!("{}: already fully retrieved", path.display())
    }

    fn interrupted_kept(&self, part: &Path) -> String {
        format!("interrupted; {} is kept for --continue", part.display())
    }

    fn interrupted(&self) -> String {
        "interrupted".to_owned()
    }

    fn named(&self, name: &str, error: &str) -> String {
        format!("{name}: {error}")
    }

    fn lost_kept(&self, name: &str, error: &str, part: &Path) -> String {
        format!("{name}: {error}; {} is kept for --continue", part.display())
    }

    fn binary_on_terminal(&self, name: &str) -> String {
        format!(
            "{name} is binary: not written to the terminal (use -o FILE, or --force to write it anyway)"
        )
    }

    fn changed_on_stdout(&self, name: &str, file_size: u64, now: u64, written: u64) -> String {
        format!(
            "{name}: the file changed on the server ({file_size} bytes, now {now}) after {written} bytes went to stdout"
        )
    }

    fn stalled(&self, secs: u64) -> String {
        format!("stalled, nothing for {secs} s")
    }

    fn rate_and_eta(&self, rate: &str, eta: &str) -> String {
        format!("{rate}/s ETA {eta}")
    }

    fn resumed_from(&self, name: &str, done: &str) -> String {
        format!("{name} (from {done})")
    }

    fn transfer(&self, bytes: &str, time: &str, rate: &str) -> String {
        format!("{bytes} in {time} ({rate}/s)")
    }

    fn resuming(&self, name: &str, at: u64) -> String {
        format!("{name}: resuming at byte {at}, the bytes before it checked against the server")
    }

    fn retrying(&self, retry: &Retrying<'_>) -> String {
        retry.to_string()
    }

    fn removed(&self, path: &Path, why: &str) -> String {
        format!("{}: removed: {why}", path.display())
    }

    fn cannot_watch_signals(&self, error: &io::Error) -> String {
        format!("cannot watch signals: {error}")
    }

    fn one_request_at_a_time(&self) -> String {
        "the server answers one request at a time; asking one by one".to_owned()
    }

    fn man_dir_failed(&self, dir: &Path, error: &io::Error) -> String {
        format!("--dir {}: {error}", dir.display())
    }

    fn no_manual_page(&self, name: &str, names: &str) -> String {
        format!("no manual page for `{name}`: the subcommands are {names}")
    }

    fn connected(&self, server: &str) -> String {
        format!("Connected to {server}.")
    }

    fn no_files(&self) -> String {
        "The server offers no files.".to_owned()
    }

    fn files_on_server(&self) -> String {
        "Files on the server:".to_owned()
    }

    fn type_a_name(&self) -> String {
        "Type a file name to download it, `help` for the commands, `quit` to leave.".to_owned()
    }

    fn shell_help(&self) -> &'static str {
        "\
Commands (one per line; each takes the options of the hftp subcommand):
  ls [-l]                 list the files (-l: with sizes)
  stat NAME...            show sizes
  get NAME... [OPTIONS]   download (see `get --help`); `*`, `?` and `[...]`
                          match the listed names
  mget PATTERN...         the same as get, as in sftp
  NAME [OPTIONS]          download NAME, a name the server lists
  lcd [DIR]               change the local folder (default: your home)
  lpwd                    show the local folder
  !COMMAND                run COMMAND with sh -c (a lone ! starts sh)
  help                    show this
  clear                   clear the screen
  quit                    leave (also `exit`, Ctrl-D, or end of input)
On a terminal: Tab completes commands and file names, Up and Down recall
earlier lines, Ctrl-C stops the running command (a download keeps its
.part for `get -c`). A connection the server closed while idle is opened
again.
Without a terminal on stdin, commands are read line by line without
prompts; blank lines and lines starting with # are skipped, and the exit
status is that of the first command that failed."
    }

    fn shell_examples(&self) -> &'static str {
        "\
Examples:
  hftp shell                                  browse and fetch interactively
  printf 'ls\\nget hola.txt\\n' | hftp shell    a script, exit status of the first failure"
    }

    fn unknown_command_like(&self, word: &str, command: &str) -> String {
        format!("unknown command `{word}`: did you mean `{command}`?")
    }

    fn unknown_command(&self, word: &str) -> String {
        format!("unknown command `{word}`, try `help`")
    }

    fn see_command_help(&self, message: &str, command: &str) -> String {
        format!("{message} (see `{command} --help`)")
    }

    fn open_quote(&self) -> String {
        "a quote is not closed, or the line ends in a backslash".to_owned()
    }

    fn cannot_use_terminal(&self, error: &str) -> String {
        format!("cannot use the terminal: {error}")
    }

    fn cannot_read_terminal(&self, error: &str) -> String {
        format!("cannot read the terminal: {error}")
    }

    fn local_failed(&self, what: &str, error: &io::Error) -> String {
        format!("{what}: {error}")
    }

    fn command_status(&self, command: &str, code: i32) -> String {
        format!("`{command}` exited with status {code}")
    }

    fn command_signal(&self, command: &str, signal: i32) -> String {
        format!("`{command}` was killed by signal {signal}")
    }

    fn cannot_read_stdin(&self, error: &io::Error) -> String {
        format!("stdin: {error}")
    }
}
