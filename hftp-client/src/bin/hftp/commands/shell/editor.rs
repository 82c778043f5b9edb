//! The interactive prompt: line editing, history and Tab completion
//! (rustyline), for a shell whose stdin is a terminal.
//!
//! History is kept in memory and, where it can be, in
//! `$XDG_STATE_HOME/hftp/history` (default `~/.local/state/hftp/history`);
//! a history file that cannot be read or written is skipped silently.

use std::env;
use std::fs;
use std::path::PathBuf;
use std::rc::Rc;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{CompletionType, Config, Context, Editor, Helper};

/// The prompt shown before each command.
const PROMPT: &str = "hftp> ";

/// Lines kept in the history.
const HISTORY_LINES: usize = 1000;

/// What the user did at the prompt.
pub(super) enum Input {
    /// Entered a line.
    Line(String),
    /// Pressed Ctrl-C: the line is dropped, prompt again.
    Cancelled,
    /// Pressed Ctrl-D on an empty line.
    End,
}

/// A line editor with the shell's completion and history.
pub(super) struct Prompt {
    editor: Editor<Completion, DefaultHistory>,
    history: Option<PathBuf>,
}

impl Prompt {
    /// An editor on the terminal, its history loaded if there is one.
    pub(super) fn new(commands: Vec<String>) -> Result<Self, ReadlineError> {
        let config = Config::builder()
            .completion_type(CompletionType::List)
            .auto_add_history(true)
            .history_ignore_space(true)
            .max_history_size(HISTORY_LINES)?
            .build();
        let mut editor = Editor::with_config(config)?;
        editor.set_helper(Some(Completion {
            commands,
            names: Rc::default(),
        }));
        let history = history_path();
        if let Some(path) = &history
            && let Err(error) = editor.load_history(path)
        {
            log::debug!("no history from {}: {error}", path.display());
        }
        Ok(Self { editor, history })
    }

    /// Reads one line.
    pub(super) fn read(&mut self) -> Result<Input, ReadlineError> {
        match self.editor.readline(PROMPT) {
            Ok(line) => Ok(Input::Line(line)),
            Err(ReadlineError::Interrupted) => Ok(Input::Cancelled),
            Err(ReadlineError::Eof) => Ok(Input::End),
            Err(error) => Err(error),
        }
    }

    /// The file names Tab completes from now on.
    pub(super) fn set_names(&mut self, names: Rc<[String]>) {
        if let Some(helper) = self.editor.helper_mut() {
            helper.names = names;
        }
    }

    /// Saves the history, if it has a file; never fails.
    pub(super) fn save(&mut self) {
        let Some(path) = &self.history else { return };
        let saved = path
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .map_err(ReadlineError::Io)
            .and_then(|()| self.editor.save_history(path));
        if let Err(error) = saved {
            log::debug!("history not saved to {}: {error}", path.display());
        }
    }
}

/// `$XDG_STATE_HOME/hftp/history`, else `~/.local/state/hftp/history`;
/// none without either variable.
fn history_path() -> Option<PathBuf> {
    let state = env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| {
            env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|path| path.is_absolute())
                .map(|home| home.join(".local/state"))
        })?;
    Some(state.join("hftp/history"))
}

/// Tab completion: the first word from the commands and the served
/// names, later words from the names.
struct Completion {
    commands: Vec<String>,
    names: Rc<[String]>,
}

impl Completion {
    /// The candidates for the word before `pos` and where it starts.
    fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let before = line.get(..pos).unwrap_or(line);
        let start = before
            .rfind(|c: char| c.is_ascii_whitespace())
            .map_or(0, |space| space + 1);
        let word = &before[start..];
        if word.starts_with('-') {
            return (start, Vec::new());
        }
        let first = before[..start].trim().is_empty();
        let commands = self.commands.iter().filter(|_| first);
        let mut candidates: Vec<Pair> = commands
            .chain(self.names.iter())
            .filter(|candidate| candidate.starts_with(word))
            .map(|candidate| Pair {
                display: candidate.clone(),
                replacement: format!("{candidate} "),
            })
            .collect();
        candidates.sort_by(|a, b| a.display.cmp(&b.display));
        candidates.dedup_by(|a, b| a.display == b.display);
        (start, candidates)
    }
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for Completion {
    type Hint = String;
}

impl Highlighter for Completion {}

impl Validator for Completion {}

impl Helper for Completion {}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion() -> Completion {
        Completion {
            commands: ["ls", "stat", "get", "help", "quit", "exit"]
                .map(String::from)
                .into(),
            names: ["hola.txt", "hello.bin", "stats.csv"]
                .map(String::from)
                .into(),
        }
    }

    fn complete(line: &str) -> (usize, Vec<String>) {
        let (start, pairs) = completion().candidates(line, line.len());
        (
            start,
            pairs.into_iter().map(|pair| pair.replacement).collect(),
        )
    }

    #[test]
    fn the_first_word_is_a_command_or_a_name() {
        assert_eq!(complete("ge"), (0, vec!["get ".to_owned()]));
        assert_eq!(
            complete("st"),
            (0, vec!["stat ".into(), "stats.csv ".into()])
        );
        assert_eq!(complete("  ho"), (2, vec!["hola.txt ".to_owned()]));
    }

    #[test]
    fn later_words_are_names_only() {
        assert_eq!(complete("get h").1, ["hello.bin ", "hola.txt "]);
        assert_eq!(complete("stat g"), (5, Vec::new()));
        assert_eq!(complete("get --fo"), (4, Vec::new()));
    }
}
