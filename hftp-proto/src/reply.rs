//! Server-side reply encoders: each appends to a caller-owned buffer.
//!
//! Slice bodies have their own types, [`SliceEncoder`](crate::SliceEncoder)
//! and [`RawSlice`](crate::RawSlice).

use alloc::vec::Vec;

use crate::code::Code;
use crate::name::{Unlisted, check_listable};
use crate::request::Command;
use crate::wire::{CONTENT_LENGTH, EOL, write_decimal};

/// Appends a status line alone: the whole reply for every code but `0`.
pub fn write_status(code: Code, out: &mut Vec<u8>) {
    code.write_line(out);
}

/// Appends the whole reply to `get_metadata`: `0 OK`, then the size.
pub fn write_metadata(size: u64, out: &mut Vec<u8>) {
    Code::Ok.write_line(out);
    write_decimal(size, out);
    out.extend_from_slice(EOL);
}

/// Appends the whole reply to `help`: the five command names, in the
/// contract's order, then an empty line.
pub fn write_help(out: &mut Vec<u8>) {
    let mut listing = Listing::begin(false, out);
    for command in Command::ALL {
        // The command names are plain ASCII words: every one is listed.
        let _ = listing.push(command.name().as_bytes(), out);
    }
    listing.finish(out);
}

/// The range check of `get_slice` (rule 4): `offset + size <= file_size`,
/// computed without overflow, else [`Code::BadOffset`].
///
/// ```
/// use hftp_proto::{check_range, Code};
/// assert_eq!(check_range(4, 14, 33), Ok(()));
/// assert_eq!(check_range(u64::MAX, 2, 33), Err(Code::BadOffset));
/// ```
pub const fn check_range(offset: u64, size: u64, file_size: u64) -> Result<(), Code> {
    match offset.checked_add(size) {
        Some(end) if end <= file_size => Ok(()),
        _ => Err(Code::BadOffset),
    }
}

/// A `get_file_listing` reply, streamed one name at a time: no list of
/// names is built, so 10 000 files cost no more than one.
///
/// ```
/// use hftp_proto::Listing;
/// let mut out = Vec::new();
/// let mut listing = Listing::begin(false, &mut out);
/// for name in [&b"a.txt"[..], b"has space", b"b.txt"] {
///     let _ = listing.push(name, &mut out);
/// }
/// listing.finish(&mut out);
/// assert_eq!(out, b"0 OK\r\na.txt\r\nb.txt\r\n\r\n");
/// ```
#[derive(Debug)]
#[must_use = "a listing is not complete until `finish`"]
pub struct Listing {
    ascii_only: bool,
}

impl Listing {
    /// Appends `0 OK` and starts the listing. With `ascii_only`, names
    /// that are not ASCII are left out (rule 7 allows it for the course
    /// clients).
    pub fn begin(ascii_only: bool, out: &mut Vec<u8>) -> Self {
        Code::Ok.write_line(out);
        Self { ascii_only }
    }

    /// Appends one name if it can travel (rule 7); otherwise appends
    /// nothing and says why, so the caller can log it.
    ///
    /// Sorting is the caller's: push names in bytewise order.
    pub fn push<'n>(&mut self, name: &'n [u8], out: &mut Vec<u8>) -> Result<&'n str, Unlisted> {
        let name = check_listable(name, self.ascii_only)?;
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(EOL);
        Ok(name)
    }

    /// Appends the empty line that ends the listing.
    pub fn finish(self, out: &mut Vec<u8>) {
        out.extend_from_slice(EOL);
    }
}

/// Appends the header of a `raw` slice reply: `0 OK`,
/// `Content-Length: SIZE` and the empty line. The caller then sends
/// exactly `size` bytes, tracked by a [`RawSlice`](crate::RawSlice).
pub fn write_raw_header(size: u64, out: &mut Vec<u8>) {
    Code::Ok.write_line(out);
    out.extend_from_slice(CONTENT_LENGTH.as_bytes());
    out.extend_from_slice(b": ");
    write_decimal(size, out);
    out.extend_from_slice(EOL);
    out.extend_from_slice(EOL);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_written_as_the_contract_shows() {
        let mut out = Vec::new();
        write_metadata(33, &mut out);
        assert_eq!(out, b"0 OK\r\n33\r\n");
        out.clear();
        write_help(&mut out);
        assert_eq!(
            out,
            b"0 OK\r\nget_file_listing\r\nget_metadata\r\nget_slice\r\nhelp\r\nquit\r\n\r\n"
        );
        out.clear();
        write_raw_header(14, &mut out);
        assert_eq!(out, b"0 OK\r\nContent-Length: 14\r\n\r\n");
        out.clear();
        write_status(Code::BadOffset, &mut out);
        assert_eq!(out, b"203 OFFSET EXCEEDS FILE SIZE\r\n");
    }

    #[test]
    fn range_check_never_overflows() {
        assert_eq!(check_range(0, 0, 0), Ok(()));
        assert_eq!(check_range(33, 0, 33), Ok(()));
        assert_eq!(check_range(34, 0, 33), Err(Code::BadOffset));
        assert_eq!(check_range(0, u64::MAX, u64::MAX), Ok(()));
        assert_eq!(check_range(1, u64::MAX, u64::MAX), Err(Code::BadOffset));
    }
}
