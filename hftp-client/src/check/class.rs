//! Grading a class: many servers, each started by the checker on its own
//! port and directory, checked a few at a time, reported in the order
//! given, with one line per server.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use super::text::{ClassLine, text as words};
use super::{Basis, Error, Options, Report, Spawn, run_spawned, unstarted};
use crate::Lang;

/// The servers of a class, and how many to check at once.
///
/// ```no_run
/// use hftp_client::check::{Class, Options};
///
/// let servers = Class::read_servers("class.txt".as_ref())?;
/// let class = Class::new(servers).jobs(2);
/// let reports = class.run(&Options::new(), |server, error| {
///     eprintln!("{}: {error}", server.name());
/// })?;
/// print!("{}", Class::text(&reports));
/// # Ok::<(), hftp_client::check::Error>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Class {
    servers: Vec<Spawn>,
    jobs: usize,
}

impl Class {
    /// The class of `servers`, checked one at a time.
    #[must_use]
    pub fn new(servers: impl IntoIterator<Item = Spawn>) -> Self {
        Self {
            servers: servers.into_iter().collect(),
            jobs: 1,
        }
    }

    /// Checks this many servers at once (at least one). Cases with time
    /// limits (the close within 0.5 s of `quit`, the course's 3 s) need
    /// a core or so per server.
    #[must_use]
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }

    /// The servers, in the order given.
    #[must_use]
    pub fn servers(&self) -> &[Spawn] {
        &self.servers
    }

    /// The servers a class file names: lines of `NAME: COMMAND` (each
    /// command as for [`Spawn::new`]), `#` starting a comment, blank
    /// lines skipped.
    ///
    /// # Errors
    ///
    /// [`Error::Class`] when the file cannot be read, a line is not
    /// `NAME: COMMAND`, or no server is in it.
    pub fn read_servers(path: &Path) -> Result<Vec<Spawn>, Error> {
        let error = |why: String| Error::Class {
            path: path.to_path_buf(),
            why,
        };
        let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
        parse(&text).map_err(error)
    }

    /// Starts and checks the servers, [`jobs`](Self::jobs) at a time, as
    /// [`run_spawned`] does; returns their reports in the order given.
    /// A server that does not start is told to `unstarted` (in that
    /// order, after all ran), and reported with every case not run; the
    /// others are still checked.
    ///
    /// # Errors
    ///
    /// The first error of [`run_spawned`], in the order given, that is
    /// not a server failing to start ([`Error::Spawn`]).
    pub fn run(
        &self,
        options: &Options,
        mut not_started: impl FnMut(&Spawn, &Error),
    ) -> Result<Vec<Report>, Error> {
        let next = AtomicUsize::new(0);
        let worker = || {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(spawn) = self.servers.get(index) else {
                    return done;
                };
                done.push((index, run_spawned(spawn, options)));
            }
        };
        let mut runs = Vec::with_capacity(self.servers.len());
        thread::scope(|scope| {
            let workers: Vec<_> = (0..self.jobs).map(|_| scope.spawn(worker)).collect();
            for handle in workers {
                match handle.join() {
                    Ok(done) => runs.extend(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
        runs.sort_by_key(|(index, _)| *index);
        runs.into_iter()
            .map(|(index, run)| match run {
                Ok(report) => Ok(report),
                Err(error @ Error::Spawn { .. }) => {
                    let spawn = &self.servers[index];
                    not_started(spawn, &error);
                    Ok(unstarted(spawn, &error, options))
                }
                Err(other) => Err(other),
            })
            .collect()
    }

    /// One server of a class on one line: its name, scores, deaths and
    /// totals.
    #[must_use]
    pub fn line(report: &Report) -> String {
        Self::line_in(report, Lang::En)
    }

    /// One server of a class on one line, in `lang` (see
    /// [`line`](Self::line)).
    #[must_use]
    pub fn line_in(report: &Report, lang: Lang) -> String {
        let started = report.deaths.iter().all(|death| death.case.is_some());
        words(lang).class_line(&ClassLine {
            label: &report.label,
            course: report.score(Basis::Course),
            contract: report.score(Basis::Contract),
            revision: report.revision,
            died: started.then_some(report.deaths.len()),
            totals: &report.totals_in(lang),
        })
    }

    /// The table for people of a whole class: each report under its
    /// server's name, then a line per server.
    #[must_use]
    pub fn text(reports: &[Report]) -> String {
        Self::text_in(reports, Lang::En)
    }

    /// The table for people of a whole class, in `lang` (see
    /// [`text`](Self::text)).
    #[must_use]
    pub fn text_in(reports: &[Report], lang: Lang) -> String {
        let mut out = String::new();
        for report in reports {
            let _ = writeln!(out, "=== {}", report.label);
            out.push_str(&report.text_in(lang));
        }
        let _ = writeln!(out, "\n{}", words(lang).the_class());
        for report in reports {
            let _ = writeln!(out, "{}", Self::line_in(report, lang));
        }
        out
    }
}

/// The servers of a class file's text.
fn parse(text: &str) -> Result<Vec<Spawn>, String> {
    let mut servers = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, command)) = line.split_once(':') else {
            return Err(format!("line {}: not NAME: COMMAND", number + 1));
        };
        servers.push(Spawn::new(command.trim()).labelled(name.trim()));
    }
    if servers.is_empty() {
        return Err("no server in it".to_owned());
    }
    Ok(servers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_file_names_servers_and_says_which_line_is_wrong() {
        let servers = parse(
            "# the class

alice: python3 a.py -p {port} -d {dir}
 bob :b {port} {dir}
",
        )
        .expect("two servers");
        let named: Vec<(String, &str)> = servers.iter().map(|s| (s.name(), s.command())).collect();
        assert_eq!(
            named,
            [
                ("alice".to_owned(), "python3 a.py -p {port} -d {dir}"),
                ("bob".to_owned(), "b {port} {dir}")
            ]
        );
        assert_eq!(
            parse(
                "alice: a
no colon
"
            )
            .unwrap_err(),
            "line 2: not NAME: COMMAND"
        );
        assert_eq!(
            parse(
                "# nobody
"
            )
            .unwrap_err(),
            "no server in it"
        );
    }
}
