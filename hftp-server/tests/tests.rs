//! hftp-server's integration tests, one binary: each module was a test
//! binary of its own, and linking them once saves a build its minutes.

mod activation;
mod binary;
mod common;
mod conformance;
mod course;
mod errors;
mod fairness;
mod hostile;
mod integrity;
mod language;
mod load;
mod memory;
mod onion;
mod pinning;
mod proxy;
mod seed;
