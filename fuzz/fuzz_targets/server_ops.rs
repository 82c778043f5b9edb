//! Fuzz target: see `hftp_proto::fuzzing::server_ops`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hftp_proto::fuzzing::server_ops(data));
