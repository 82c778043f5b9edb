//! hftp-client's integration tests, one binary: each module was a test
//! binary of its own, and linking them once saves a build its minutes.

mod bench;
mod check;
mod check_evidence;
mod check_lang;
mod check_reports;
mod check_spawn;
mod cli;
mod cli_lang;
mod common;
mod course_server;
mod habits;
mod library;
mod misbehaving;
mod not_hftp;
mod proxy;
mod seed;
mod shell;
mod trust;
