//! What went over a connection, for the report: the first and last
//! bytes, escaped, the middle of a long transcript cut.

/// The first and last bytes that went one way, and how many in all.
#[derive(Clone, Debug, Default)]
pub(crate) struct Transcript {
    head: Vec<u8>,
    tail: Vec<u8>,
    total: u64,
}

impl Transcript {
    const HEAD: usize = 240;
    const TAIL: usize = 80;

    /// Records bytes that went over the connection.
    pub(crate) fn record(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let room = Self::HEAD - self.head.len();
        let (first, rest) = bytes.split_at(room.min(bytes.len()));
        self.head.extend_from_slice(first);
        self.tail
            .extend_from_slice(&rest[rest.len().saturating_sub(Self::TAIL)..]);
        let excess = self.tail.len().saturating_sub(Self::TAIL);
        self.tail.drain(..excess);
    }

    /// The bytes, escaped; the middle of a long transcript is cut.
    pub(crate) fn show(&self) -> String {
        let shown = (self.head.len() + self.tail.len()) as u64;
        let mut text = escape(&self.head);
        if self.total > shown {
            text.push_str(&format!("[... {} bytes in all ...]", self.total));
        }
        text + &escape(&self.tail)
    }
}

/// Bytes as a readable string: printable ASCII as is, the rest escaped.
pub(crate) fn escape(bytes: &[u8]) -> String {
    bytes.escape_ascii().to_string()
}

/// Bytes cut to a sane length for a message, then escaped.
pub(crate) fn escape_cut(bytes: &[u8]) -> String {
    let mut transcript = Transcript::default();
    transcript.record(bytes);
    transcript.show()
}
