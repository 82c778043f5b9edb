//! The `hftp` command.
fn main() {}
