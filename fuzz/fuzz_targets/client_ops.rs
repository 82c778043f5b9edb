//! Fuzz target: see `hftp_proto::fuzzing::client_ops`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hftp_proto::fuzzing::client_ops(data));
