//! `hftp ls`: the listing, one name per line, so it pipes.

use std::io::{self, BufWriter, Write};

use hftp_client::Error;

use crate::exit::Failure;
use crate::session::Session;

/// Options of `hftp ls`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Show each file's size in bytes before its name.
    #[arg(short = 'l', long = "long")]
    long: bool,
}

/// Prints the listing: name by name as it arrives; with `-l`, once all
/// names and sizes are in, aligned.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let client = session.conn.client()?;
    let mut out = BufWriter::new(io::stdout().lock());
    if !args.long {
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
        .map(|size| size.as_ref().map_or("-".into(), u64::to_string))
        .collect();
    let width = sizes.iter().map(String::len).max().unwrap_or(0);
    for (name, size) in names.iter().zip(&sizes) {
        writeln!(out, "{size:>width$} {name}").map_err(Failure::stdout)?;
    }
    out.flush().map_err(Failure::stdout)
}
