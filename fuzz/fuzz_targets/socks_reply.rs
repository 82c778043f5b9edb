//! Fuzz target: see `hftp_client::fuzzing::socks_replies`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hftp_client::fuzzing::socks_replies(data));
