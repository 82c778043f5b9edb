//! The HFTP server.
fn main() {}
