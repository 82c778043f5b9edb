//! The bytes a conforming server sends, built with hftp_proto's encoders
//! so that the checker and our server agree on one table of texts.

use hftp_proto::{Code, Listing, SliceEncoder, reply};

/// A status line alone: `202 FILE NOT FOUND\r\n`.
pub(crate) fn status(code: Code) -> Vec<u8> {
    let mut out = Vec::new();
    reply::write_status(code, &mut out);
    out
}

/// The reply to `get_metadata`.
pub(crate) fn metadata(size: u64) -> Vec<u8> {
    let mut out = Vec::new();
    reply::write_metadata(size, &mut out);
    out
}

/// The reply to `help`.
pub(crate) fn help() -> Vec<u8> {
    let mut out = Vec::new();
    reply::write_help(&mut out);
    out
}

/// The reply to `get_file_listing` for these names, in this order.
pub(crate) fn listing<'a>(names: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut listing = Listing::begin(false, &mut out);
    for name in names {
        // A name that cannot travel is left out, as rule 7 wants.
        let _ = listing.push(name, &mut out);
    }
    listing.finish(&mut out);
    out
}

/// The reply to a base64 `get_slice` of these bytes, on one line.
pub(crate) fn base64_slice(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut body = SliceEncoder::begin(data.len() as u64, &mut out);
    // The size given to `begin` is the data's, so neither call can fail.
    let encoded = body.encode(data, &mut out).is_ok() && body.finish(&mut out).is_ok();
    debug_assert!(encoded);
    out
}

/// The reply to a `raw` `get_slice` of these bytes.
pub(crate) fn raw_slice(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    reply::write_raw_header(data.len() as u64, &mut out);
    out.extend_from_slice(data);
    out
}
