//! Fuzz target: see `hftp_server::fuzzing::proxy_header`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hftp_server::fuzzing::proxy_header(data));
