//! `hftp ls`: the listing, one name per line, so it pipes.

use std::io::{self, BufWriter, Write};

use crate::exit::Failure;
use crate::session::Session;

/// Options of `hftp ls`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Show each file's size in bytes before its name.
    #[arg(short = 'l', long = "long")]
    long: bool,
}

/// Prints the listing.
pub(crate) fn run(args: &Args, session: &mut Session) -> Result<(), Failure> {
    let client = session.conn.client()?;
    let names = client.list()?;
    let mut out = BufWriter::new(io::stdout().lock());
    if args.long {
        let sizes = client.metadata_many(&names)?;
        let sizes: Vec<String> = sizes
            .iter()
            .map(|size| size.as_ref().map_or("-".into(), u64::to_string))
            .collect();
        let width = sizes.iter().map(String::len).max().unwrap_or(0);
        for (name, size) in names.iter().zip(&sizes) {
            writeln!(out, "{size:>width$} {name}").map_err(Failure::stdout)?;
        }
    } else {
        for name in &names {
            writeln!(out, "{name}").map_err(Failure::stdout)?;
        }
    }
    out.flush().map_err(Failure::stdout)
}
