//! Facts of the wire that both sides share: the port, the line end, the
//! raw header's name, and decimal numbers as they are written.

use alloc::vec::Vec;

/// The port HFTP servers listen on by default.
pub const DEFAULT_PORT: u16 = 19500;

/// The header that announces a raw slice body's length.
pub const CONTENT_LENGTH: &str = "Content-Length";

/// The line terminator of every request and reply line.
pub(crate) const EOL: &[u8] = b"\r\n";

/// Appends `value` in decimal, without allocating.
pub(crate) fn write_decimal(value: u64, out: &mut Vec<u8>) {
    let mut digits = [0; 20];
    let mut at = digits.len();
    let mut rest = value;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_whole() {
        let mut out = Vec::new();
        for value in [0, 7, 10, 33, u64::MAX] {
            write_decimal(value, &mut out);
            out.push(b' ');
        }
        assert_eq!(out, b"0 7 10 33 18446744073709551615 ");
    }
}
