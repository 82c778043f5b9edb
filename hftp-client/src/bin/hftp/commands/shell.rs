//! `hftp shell`: the course client's flow (connect, show the listing, ask
//! what to fetch) plus commands; without a terminal on stdin, it reads
//! commands line by line and never prompts.

use std::io::{self, BufRead, IsTerminal, Write};

use clap::Parser;

use super::{get, ls, stat};
use crate::exit::{Exit, Failure, Tally};
use crate::session::Session;

/// Options of `hftp shell`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = SHELL_HELP)]
pub(crate) struct Args {}

/// The commands a shell line may hold.
const SHELL_HELP: &str = "\
Commands (one per line; each takes the options of the hftp subcommand):
  ls [-l]                 list the files (-l: with sizes)
  stat NAME...            show sizes
  get NAME... [OPTIONS]   download (see `get --help`)
  NAME                    download NAME into the current directory
  help                    show this
  quit                    leave (also `exit`, or end of input)
Without a terminal on stdin, commands are read line by line without
prompts; blank lines and lines starting with # are skipped, and the exit
status is that of the first command that failed.";

/// One shell line, parsed like a command line.
#[derive(Debug, Parser)]
#[command(multicall = true, disable_help_subcommand = true)]
enum Line {
    /// List the served files.
    Ls(ls::Args),
    /// Show the size of files.
    Stat(stat::Args),
    /// Download files.
    Get(get::Args),
    /// Show the commands.
    Help,
    /// Leave the shell.
    #[command(alias = "exit")]
    Quit,
}

/// The first words that are commands; any other word is a file to get.
const COMMANDS: [&str; 6] = ["ls", "stat", "get", "help", "quit", "exit"];

/// What to do after a line.
enum Flow {
    Next,
    Quit,
}

/// Runs the shell until `quit` or the end of input.
pub(crate) fn run(_args: &Args, session: &mut Session) -> Result<(), Failure> {
    let interactive = io::stdin().is_terminal();
    if interactive {
        greet(session)?;
    }
    let mut tally = Tally::default();
    let mut input = io::stdin().lock();
    let mut line = Vec::new();
    loop {
        if interactive {
            eprint!("hftp> ");
        }
        line.clear();
        let read = input.read_until(b'\n', &mut line);
        if read.map_err(|error| Failure::Error {
            exit: Exit::Local,
            message: format!("stdin: {error}"),
        })? == 0
        {
            break;
        }
        match execute(&String::from_utf8_lossy(&line), session) {
            Ok(Flow::Next) => {}
            Ok(Flow::Quit) => break,
            Err(failure) if failure.exit() == Some(Exit::Interrupted) => return Err(failure),
            Err(failure) => tally.record(failure)?,
        }
    }
    if interactive { Ok(()) } else { tally.finish() }
}

/// The course client's opening: connect and show what can be fetched.
fn greet(session: &mut Session) -> Result<(), Failure> {
    let server = session.conn.server.clone();
    let names = session.conn.client()?.list()?;
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "Connected to {server}.");
    if names.is_empty() {
        let _ = writeln!(err, "The server offers no files.");
    } else {
        let _ = writeln!(err, "Files on the server:");
        for name in &names {
            let _ = writeln!(err, "  {name}");
        }
    }
    let _ = writeln!(
        err,
        "Type a file name to download it, `help` for the commands, `quit` to leave."
    );
    Ok(())
}

/// Runs one line.
fn execute(line: &str, session: &mut Session) -> Result<Flow, Failure> {
    let mut words: Vec<&str> = line.split_whitespace().collect();
    match words.first() {
        None => return Ok(Flow::Next),
        Some(word) if word.starts_with('#') => return Ok(Flow::Next),
        Some(word) if !COMMANDS.contains(word) => words.insert(0, "get"),
        Some(_) => {}
    }
    let parsed = match Line::try_parse_from(&words) {
        Ok(parsed) => parsed,
        Err(error) => return usage(&error),
    };
    match parsed {
        Line::Ls(args) => ls::run(&args, session)?,
        Line::Stat(args) => stat::run(&args, session)?,
        Line::Get(args) => get::run(&args, session)?,
        Line::Help => eprintln!("{SHELL_HELP}"),
        Line::Quit => return Ok(Flow::Quit),
    }
    Ok(Flow::Next)
}

/// A line clap refused: help is shown; an error is one line.
fn usage(error: &clap::Error) -> Result<Flow, Failure> {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return Ok(Flow::Next);
    }
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid command");
    Err(Failure::usage(first.trim_start_matches("error: ")))
}
