//! Fuzz input read as a sequence of small choices, as `arbitrary`'s
//! `Unstructured` does, without a dependency in the core.

/// The fuzz input not yet used; once it runs out, every choice is 0.
#[derive(Debug)]
pub(super) struct Choices<'a> {
    data: &'a [u8],
}

impl<'a> Choices<'a> {
    pub(super) const fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// True once every byte was used.
    pub(super) const fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte.
    pub(super) fn byte(&mut self) -> u8 {
        let Some((&first, rest)) = self.data.split_first() else {
            return 0;
        };
        self.data = rest;
        first
    }

    /// A number below `bound` (0 if `bound` is 0).
    pub(super) fn below(&mut self, bound: usize) -> usize {
        usize::from(self.byte()) % bound.max(1)
    }

    /// Up to `len` bytes, fewer once the input runs out.
    pub(super) fn bytes(&mut self, len: usize) -> &'a [u8] {
        let (taken, rest) = self.data.split_at(len.min(self.data.len()));
        self.data = rest;
        taken
    }

    /// A `u64` from up to 8 bytes, little-endian.
    pub(super) fn u64(&mut self) -> u64 {
        let mut word = [0; 8];
        let taken = self.bytes(8);
        word[..taken.len()].copy_from_slice(taken);
        u64::from_le_bytes(word)
    }
}
