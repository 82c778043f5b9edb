//! `hftp shell`: the course client's flow (connect, show the listing, type
//! a name to fetch it) plus commands, with line editing, history and Tab
//! completion on a terminal; without a terminal on stdin, it reads
//! commands line by line and never prompts.

mod editor;
mod line;
mod listing;
mod local;

use std::io::{self, BufRead, IsTerminal, Write};

use self::editor::{Input, Prompt};
use self::line::Line;
use self::listing::Listing;
use super::{get, ls, stat};
use crate::colour;
use crate::exit::{Exit, Failure, Tally};
use crate::session::Session;
use crate::text::{self, Text as _};
use crate::usage;

/// Options of `hftp shell`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = format!("{}\n\n{}", text::En.shell_help(), text::En.shell_examples()))]
pub(crate) struct Args {}

/// The parser of shell lines, for the table of its Spanish words.
#[cfg(test)]
pub(crate) fn line_command() -> clap::Command {
    use clap::CommandFactory as _;
    Line::command()
}

/// What to do after a line.
enum Flow {
    Next,
    Quit,
}

/// Runs the shell until `quit` or the end of input.
pub(crate) fn run(_args: &Args, session: &mut Session) -> Result<(), Failure> {
    let mut shell = Shell {
        commands: Line::words(),
        listing: Listing::default(),
        interactive: io::stdin().is_terminal(),
    };
    if shell.interactive {
        shell.interactive(session)
    } else {
        shell.script(session)
    }
}

/// The state of one shell.
struct Shell {
    /// The words that start a command.
    commands: Vec<String>,
    /// The served names, for Tab and for telling names from typos.
    listing: Listing,
    /// Stdin is a terminal: prompt, edit, complete; Ctrl-C stops a
    /// command, not the shell.
    interactive: bool,
}

impl Shell {
    /// Commands from a terminal, with a prompt; errors are printed and
    /// the shell goes on.
    fn interactive(&mut self, session: &mut Session) -> Result<(), Failure> {
        self.greet(session)?;
        let mut prompt = Prompt::new(self.commands.clone()).map_err(|error| Failure::Error {
            exit: Exit::Local,
            message: text::get().cannot_use_terminal(&error.to_string()),
        })?;
        prompt.set_names(self.listing.names());
        loop {
            let line = match prompt.read() {
                Ok(Input::Line(line)) => line,
                Ok(Input::Cancelled) => continue,
                Ok(Input::End) => {
                    println!();
                    break;
                }
                Err(error) => {
                    prompt.save();
                    return Err(Failure::Error {
                        exit: Exit::Local,
                        message: text::get().cannot_read_terminal(&error.to_string()),
                    });
                }
            };
            let flow = self.execute(&line, session);
            prompt.set_names(self.listing.names());
            match flow {
                Ok(Flow::Next) | Err(Failure::Reported(_)) => {}
                Ok(Flow::Quit) => break,
                Err(Failure::Error { message, .. }) => {
                    eprintln!("{} {message}", colour::error_prefix());
                }
                Err(Failure::BrokenPipe) => {
                    // Whoever read stdout went away: leave, quietly.
                    prompt.save();
                    return Err(Failure::BrokenPipe);
                }
            }
        }
        prompt.save();
        Ok(())
    }

    /// Commands from stdin, no prompt; the first failure's exit code.
    fn script(&mut self, session: &mut Session) -> Result<(), Failure> {
        let mut tally = Tally::default();
        let mut input = io::stdin().lock();
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = input.read_until(b'\n', &mut line);
            if read.map_err(|error| Failure::Error {
                exit: Exit::Local,
                message: text::get().cannot_read_stdin(&error),
            })? == 0
            {
                break;
            }
            match self.execute(&String::from_utf8_lossy(&line), session) {
                Ok(Flow::Next) => {}
                Ok(Flow::Quit) => break,
                Err(failure) if failure.exit() == Some(Exit::Interrupted) => return Err(failure),
                Err(failure) => tally.record(failure)?,
            }
        }
        tally.finish()
    }

    /// The course client's opening: connect and show what can be fetched.
    fn greet(&mut self, session: &mut Session) -> Result<(), Failure> {
        let server = session.conn.server.clone();
        let names = self.listing.refresh(session)?;
        let words = text::get();
        let mut err = io::stderr().lock();
        let _ = writeln!(err, "{}", words.connected(&server.to_string()));
        if names.is_empty() {
            let _ = writeln!(err, "{}", words.no_files());
        } else {
            let _ = writeln!(err, "{}", words.files_on_server());
            for name in names.iter() {
                let _ = writeln!(err, "  {name}");
            }
        }
        let _ = writeln!(err, "{}", words.type_a_name());
        Ok(())
    }

    /// Runs one line. On a terminal, Ctrl-C stops the command and the
    /// shell goes on.
    fn execute(&mut self, line: &str, session: &mut Session) -> Result<Flow, Failure> {
        if let Some(command) = line.trim_start().strip_prefix('!') {
            // On a terminal, Ctrl-C reaches the command and the shell stays.
            let interrupt = session.interrupt.clone();
            let _command = self.interactive.then(|| interrupt.command(None));
            let seen = interrupt.seen();
            local::run_command(command.trim_end(), || interrupt.wait_handled_after(seen))?;
            return Ok(Flow::Next);
        }
        let words = line::words(line).map_err(|()| Failure::usage(text::get().open_quote()))?;
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let Some(first) = words.first() else {
            return Ok(Flow::Next);
        };
        let (parsed, command) = if self.commands.iter().any(|word| word == first) {
            (Line::parse(&words), *first)
        } else if self.listing.has(first, session)? {
            (Line::download(&words), "get")
        } else {
            let commands = self.commands.iter().map(String::as_str);
            return Err(Failure::usage(match usage::closest(first, commands) {
                Some(command) => text::get().unknown_command_like(first, command),
                None => text::get().unknown_command(first),
            }));
        };
        let line = match parsed {
            Ok(line) => line,
            Err(error) if usage::is_display(&error) => {
                let _ = error.print();
                return Ok(Flow::Next);
            }
            Err(error) => {
                let message = usage::one_line(&error);
                return Err(Failure::usage(
                    text::get().see_command_help(&message, command),
                ));
            }
        };
        match line {
            Line::Help => eprintln!("{}", text::get().shell_help()),
            Line::Clear => clear_screen(),
            Line::Lcd { dir } => local::change_dir(dir.as_deref())?,
            Line::Lpwd => local::print_dir()?,
            Line::Quit => return Ok(Flow::Quit),
            line if self.interactive => self.interruptible(&line, session)?,
            line => self.run(&line, session)?,
        }
        Ok(Flow::Next)
    }

    /// Runs a command that Ctrl-C stops: a fresh token for it, and its
    /// connection shut down on Ctrl-C, so it returns at once.
    fn interruptible(&mut self, line: &Line, session: &mut Session) -> Result<(), Failure> {
        let interrupt = session.interrupt.clone();
        let socket = session.conn.client()?.get_ref();
        let (token, _command) = interrupt.command(Some(socket));
        session.cancel = token.clone();
        match self.run(line, session) {
            Err(failure) if token.is_cancelled() => Err(match failure {
                Failure::Reported(_) => Failure::Reported(Exit::Interrupted),
                _ => Failure::Error {
                    exit: Exit::Interrupted,
                    message: text::get().interrupted(),
                },
            }),
            result => result,
        }
    }

    /// Runs a command; on a terminal, `ls` refreshes the names Tab
    /// completes.
    fn run(&mut self, line: &Line, session: &mut Session) -> Result<(), Failure> {
        match line {
            Line::Ls(args) => {
                ls::run(args, session)?;
                if self.interactive
                    && let Err(error) = self.listing.refresh(session)
                {
                    log::debug!("names for completion: {error}");
                }
            }
            Line::Stat(args) => stat::run(args, session)?,
            Line::Get(args) => get::run(args, session)?,
            Line::Help | Line::Quit | Line::Clear | Line::Lcd { .. } | Line::Lpwd => {}
        }
        Ok(())
    }
}

/// Clears a terminal (as `clear` does: home, then erase the display);
/// writes nothing to anything else.
fn clear_screen() {
    let mut out = io::stdout();
    if out.is_terminal() {
        let _ = out.write_all(b"\x1b[H\x1b[2J");
        let _ = out.flush();
    }
}
