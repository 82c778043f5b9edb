//! `hftp ls`: the listing, one name per line, so it pipes.

use std::io::{self, BufWriter, Write};

use hftp_client::Error;
use hftp_client::download::Bytes;

use crate::exit::Failure;
use crate::session::Session;

/// Options of `hftp ls`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Show each file's size in bytes before its name.
    #[arg(short = 'l', long = "long")]
    long: bool,

    /// Show the sizes in B, KiB, MiB, GiB (1024-based), aligned; implies
    /// -l.
    #[arg(short = 'H', long = "human")]
    human: bool,
}

/// Prints the listing: name by name as it arrives; with `-l`, once all
/// names and sizes are in, aligned.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let client = session.conn.client()?;
    let mut out = BufWriter::new(io::stdout().lock());
    if !args.long && !args.human {
        let listed = client.list_each(|name| writeln!(out, "{name}").map_err(Error::Sink));
        return listed
            .map_err(Failure::from)
            .and_then(|()| out.flush().map_err(Failure::stdout));
    }
    let names = client.list()?;
    let client = match names.as_slice() {
        [first, _, ..] => session.conn.pipelined(first)?,
        _ => client,
    };
    let sizes = client.metadata_many(&names)?;
    let sizes: Vec<String> = sizes
        .iter()
        .map(|size| match size {
            Ok(size) if args.human => Bytes(*size).to_string(),
            Ok(size) => size.to_string(),
            Err(_) => "-".into(),
        })
        .collect();
    let width = sizes
        .iter()
        .map(|size| size.chars().count())
        .max()
        .unwrap_or(0);
    for (name, size) in names.iter().zip(&sizes) {
        writeln!(out, "{size:>width$} {name}").map_err(Failure::stdout)?;
    }
    out.flush().map_err(Failure::stdout)
}
