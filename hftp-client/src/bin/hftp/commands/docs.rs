//! `hftp completions SHELL` and `hftp man`: shell completions and the
//! manual page, generated from the command line's own definition, so they
//! never disagree with `--help`.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use hftp_client::Lang;

use crate::exit::{Exit, Failure};
use crate::text;

/// Options of `hftp completions`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// The shell to write completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Writes the completion script of `command` (the whole command line)
/// for the shell to stdout.
pub(crate) fn completions(args: &Args, mut command: clap::Command) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "hftp", &mut out);
    out.flush().map_err(Failure::stdout)
}

/// Options of `hftp man`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ManArgs {
    /// The subcommand whose page to print (`get`: hftp-get(1)); none:
    /// hftp(1).
    #[arg(value_name = "SUBCOMMAND")]
    subcommand: Option<String>,

    /// Write every page into DIR (created if missing) instead: hftp.1 and
    /// one hftp-SUBCOMMAND.1 per subcommand.
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    dir: Option<PathBuf>,
}

/// Prints the manual page `args` names, of `command` (the whole command
/// line) or one of its subcommands, in roff; or writes them all. Their
/// words are those of `--help`, in the run's language, section titles
/// included.
pub(crate) fn man(args: &ManArgs, command: clap::Command) -> Result<(), Failure> {
    // Built as clap_mangen builds it for the whole set, so a subcommand's
    // page is named hftp-NAME.
    let mut command = command.disable_help_subcommand(true);
    command.build();
    if let Some(dir) = &args.dir {
        return std::fs::create_dir_all(dir)
            .and_then(|()| write_pages(command, dir))
            .map_err(|error| Failure::Error {
                exit: Exit::Local,
                message: text::get().man_dir_failed(dir, &error),
            });
    }
    let page = match &args.subcommand {
        None => command,
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .collect();
                return Err(Failure::usage(
                    text::get().no_manual_page(name, &names.join(", ")),
                ));
            };
            sub.clone()
        }
    };
    let mut out = io::stdout().lock();
    out.write_all(&page_of(page).map_err(Failure::stdout)?)
        .and_then(|()| out.flush())
        .map_err(Failure::stdout)
}

/// Writes the page of `command` and of each of its subcommands, as
/// `clap_mangen::generate_to` does, into `dir`.
fn write_pages(command: clap::Command, dir: &Path) -> io::Result<()> {
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        write_pages(sub.clone(), dir)?;
    }
    let name = clap_mangen::Man::new(command.clone()).get_filename();
    std::fs::write(dir.join(name), page_of(command)?)
}

/// The manual page of `command`, in roff, its section titles in the
/// run's language.
fn page_of(command: clap::Command) -> io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command).render(&mut page)?;
    if text::lang() != Lang::Es {
        return Ok(page);
    }
    let page = String::from_utf8_lossy(&page);
    let spanish: Vec<String> = page
        .lines()
        .map(|line| match line.strip_prefix(".SH ") {
            Some(title) => format!(".SH {}", text::section_title(title)),
            None => line.to_owned(),
        })
        .collect();
    Ok((spanish.join("\n") + "\n").into_bytes())
}
