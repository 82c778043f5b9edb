//! Fuzz target: see `hftp_proto::fuzzing::request_round_trip`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hftp_proto::fuzzing::request_round_trip(data));
