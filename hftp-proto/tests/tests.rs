//! hftp-proto's integration tests, one binary: each module was a test
//! binary of its own, and linking them once saves a build its minutes.

mod common;
mod fragments;
mod pair;
mod properties;
mod replies;
mod transcripts;
