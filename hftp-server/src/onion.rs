//! Publishing the server as a Tor onion service, through tor's control
//! port: a running tor's, or that of a tor started for the purpose.

pub mod reply;
