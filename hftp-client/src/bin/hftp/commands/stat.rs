//! `hftp stat NAME...`: sizes, asked in one pipelined batch.

use std::io::{self, BufWriter, Write};

use crate::exit::{Failure, Tally};
use crate::session::Session;

/// Options of `hftp stat`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// The files to look up.
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,
}

/// Prints `SIZE NAME` per file found; an error line per file not found.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let client = match args.names.as_slice() {
        [first, _, ..] => session.conn.pipelined(first)?,
        _ => session.conn.client()?,
    };
    let sizes = client.metadata_many(&args.names)?;
    let width = sizes
        .iter()
        .flatten()
        .map(|size| size.to_string().len())
        .max()
        .unwrap_or(0);
    let mut out = BufWriter::new(io::stdout().lock());
    let mut tally = Tally::default();
    for (name, size) in args.names.iter().zip(sizes) {
        match size {
            Ok(size) => writeln!(out, "{size:>width$} {name}").map_err(Failure::stdout)?,
            Err(error) => {
                out.flush().map_err(Failure::stdout)?;
                tally.record(error.into())?;
            }
        }
    }
    out.flush().map_err(Failure::stdout)?;
    tally.finish()
}
