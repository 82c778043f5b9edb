//! Fuzz target: see `hftp_proto::fuzzing::fragment_body`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hftp_proto::fuzzing::fragment_body(data));
