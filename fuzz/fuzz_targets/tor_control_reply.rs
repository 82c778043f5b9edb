//! Fuzz target: see `hftp_server::fuzzing::tor_control_reply`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hftp_server::fuzzing::tor_control_reply(data));
