//! Where a long reply first differs from what was expected, and the bytes
//! around that place: the identical start and end of a long reply say
//! nothing.

use super::transcript::escape;

/// How many bytes before the first difference are shown (they are the
/// same on both sides).
const BEFORE: usize = 16;
/// How many bytes from the first difference on are shown, each side.
const AFTER: usize = 24;

/// The index of the first byte where `a` and `b` differ; the shorter
/// length when one is a prefix of the other.
pub(crate) fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Describes where `received` first differs from `expected`, both
/// starting at byte `base` of what is compared (a reply, a body):
/// `byte 4100 of the body differs: received "...ab|X...", expected
/// "...ab|Y..."`, where `|` marks the place (the bytes before it are the
/// same on both sides).
pub(crate) fn describe(what: &str, received: &[u8], expected: &[u8], base: usize) -> String {
    let at = first_difference(received, expected);
    let from = at.saturating_sub(BEFORE);
    let shown = |bytes: &[u8]| {
        let end = bytes.len().min(at + AFTER);
        let cut = if from > 0 { "..." } else { "" };
        let more = if end < bytes.len() { "..." } else { "" };
        let rest = bytes.get(at..end).unwrap_or_default();
        format!(
            "\"{cut}{}|{}{more}\"",
            escape(&expected[from..at]),
            escape(rest)
        )
    };
    let ended = if at == received.len() {
        " (it ended there)"
    } else {
        ""
    };
    format!(
        "byte {} of the {what} differs{ended}: received {}, expected {}",
        base + at,
        shown(received),
        shown(expected)
    )
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn the_first_differing_byte_is_shown_with_its_neighbours() {
        let expected: Vec<u8> = (0..200).map(|i| b'a' + (i % 26) as u8).collect();
        let mut received = expected.clone();
        received[100] = b'#';
        let shown = describe("body", &received, &expected, 1000);
        assert!(
            shown.starts_with("byte 1100 of the body differs:"),
            "{shown}"
        );
        assert!(
            shown.contains("received \"...ghijklmnopqrstuv|#xyzab"),
            "{shown}"
        );
        assert!(
            shown.contains("expected \"...ghijklmnopqrstuv|wxyzab"),
            "{shown}"
        );
        let short = describe("reply", b"0 O", b"0 OK\r\n", 0);
        assert_eq!(
            short,
            "byte 3 of the reply differs (it ended there): received \"0 O|\", expected \"0 O|K\\r\\n\""
        );
    }
}
