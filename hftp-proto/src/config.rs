//! Limits, each with the contract's default and the attack it stops.

/// The server side's limits.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The longest request line, in bytes without its `\r\n`; a longer one
    /// is answered `101 BAD REQUEST` as soon as it passes the limit.
    ///
    /// Default 16 MiB (rule 9): the course's 5 MiB name gets through,
    /// while a client that sends an endless line is cut off. The decoder
    /// never buffers the line, so this bounds time, not memory.
    pub max_line_len: u64,
}

impl ServerConfig {
    /// The contract's default hard line limit: 16 MiB.
    pub const DEFAULT_MAX_LINE_LEN: u64 = 16 * 1024 * 1024;

    /// Sets [`max_line_len`](Self::max_line_len).
    #[must_use]
    pub const fn max_line_len(mut self, bytes: u64) -> Self {
        self.max_line_len = bytes;
        self
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
        }
    }
}

/// The client side's limits: a server can be hostile too.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The longest status, size, header or listing line the client
    /// buffers, in bytes without its `\r\n`; a longer one is a protocol
    /// violation.
    ///
    /// Default 4 KiB: a name is at most 255 bytes and a status text is
    /// short, so this stops a server that sends an endless line from
    /// growing the client's memory. Base64 body lines are not buffered
    /// and are bounded by the `SIZE` asked for instead.
    pub max_line_len: usize,
    /// How the body of a plain (not `raw`) `get_slice` is framed: `None`
    /// tells base64 from fragments (rule 12) by the body's first bytes;
    /// `Some` holds every body to one framing.
    ///
    /// Default `None`: one connection talks to a server of any revision.
    pub framing: Option<Framing>,
}

/// The framings of a plain `get_slice` body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Framing {
    /// Base64 lines (the 2019 and 2026 kits).
    Base64,
    /// Raw length-prefixed fragments (the course before 2019, rule 12).
    Fragments,
}

impl ClientConfig {
    /// The default line limit: 4 KiB.
    pub const DEFAULT_MAX_LINE_LEN: usize = 4096;

    /// Sets [`max_line_len`](Self::max_line_len).
    #[must_use]
    pub const fn max_line_len(mut self, bytes: usize) -> Self {
        self.max_line_len = bytes;
        self
    }

    /// Sets [`framing`](Self::framing).
    #[must_use]
    pub const fn framing(mut self, framing: Option<Framing>) -> Self {
        self.framing = framing;
        self
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            max_line_len: Self::DEFAULT_MAX_LINE_LEN,
            framing: None,
        }
    }
}
