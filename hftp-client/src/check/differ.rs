//! Where a long reply first differs from what was expected, and the bytes
//! around that place: the identical start and end of a long reply say
//! nothing.

use super::miss::Said;
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

/// What is compared, as [`described`] names it.
#[derive(Clone, Copy)]
pub(crate) enum Part {
    /// A reply.
    Reply,
    /// A body.
    Body,
}

/// Describes where `received` first differs from `expected`, both
/// starting at byte `base` of what is compared (a reply, a body), in
/// English and Spanish: `byte 4100 of the body differs: received
/// "...ab|X...", expected "...ab|Y..."`, where `|` marks the place (the
/// bytes before it are the same on both sides).
pub(crate) fn described(part: Part, received: &[u8], expected: &[u8], base: usize) -> Said {
    let (en, es) = match part {
        Part::Reply => ("reply", "de la respuesta"),
        Part::Body => ("body", "del cuerpo"),
    };
    let place = place(received, expected, base);
    let Place {
        at,
        ended,
        received,
        expected,
    } = &place;
    let ended = if *ended { " (ahí terminó)" } else { "" };
    Said {
        en: english(en, &place),
        es: format!(
            "el byte {at} {es} difiere{ended}: se recibió {received}, se esperaba {expected}"
        ),
    }
}

/// Where two byte strings first differ, and the bytes shown around it.
struct Place {
    /// The byte's index, counted from `base`.
    at: usize,
    /// True when `received` ended there.
    ended: bool,
    /// The received bytes around it, escaped and quoted.
    received: String,
    /// The expected bytes around it, escaped and quoted.
    expected: String,
}

/// The [`Place`] where `received` first differs from `expected`, both
/// starting at byte `base`.
fn place(received: &[u8], expected: &[u8], base: usize) -> Place {
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
    Place {
        at: base + at,
        ended: at == received.len(),
        received: shown(received),
        expected: shown(expected),
    }
}

/// The English sentence of a [`Place`] in `what`.
fn english(what: &str, place: &Place) -> String {
    let Place {
        at,
        ended,
        received,
        expected,
    } = place;
    let ended = if *ended { " (it ended there)" } else { "" };
    format!("byte {at} of the {what} differs{ended}: received {received}, expected {expected}")
}

#[cfg(test)]
mod tests {
    use super::{Part, described};

    #[test]
    fn the_first_differing_byte_is_shown_with_its_neighbours() {
        let expected: Vec<u8> = (0..200).map(|i| b'a' + (i % 26) as u8).collect();
        let mut received = expected.clone();
        received[100] = b'#';
        let shown = described(Part::Body, &received, &expected, 1000).en;
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
        let short = described(Part::Reply, b"0 O", b"0 OK\r\n", 0);
        assert_eq!(
            short.es,
            "el byte 3 de la respuesta difiere (ahí terminó): se recibió \"0 O|\", se esperaba \"0 O|K\\r\\n\""
        );
        let short = short.en;
        assert_eq!(
            short,
            "byte 3 of the reply differs (it ended there): received \"0 O|\", expected \"0 O|K\\r\\n\""
        );
    }
}
