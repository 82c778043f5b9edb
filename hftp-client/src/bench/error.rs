//! What stops a benchmark. A wrong answer does not: it is counted in
//! the [`Measurement`](super::Measurement).

use std::io;

/// An error of the load generator: the measurement could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server: it cannot be reached, refused what the mode needs
    /// (the file's size), broke the protocol or fell silent.
    #[error(transparent)]
    Server(#[from] crate::Error),
    /// The machine's own limits could not be measured (the ceilings,
    /// over loopback sockets of this process).
    #[error("measuring the machine's ceiling: {0}")]
    Machine(#[source] io::Error),
}
