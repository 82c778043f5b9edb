//! What the integration tests share: a server connection fed a
//! transcript piece by piece, as reads would deliver it.

use hftp_proto::{Code, Fatal, Item, Phase, ServerConnection};

/// Feeds `pieces` in turn to `server` while it reads requests; each item
/// is shown to `seen` with the bytes consumed so far, then answered with
/// its own code (a refusal's, else `0`). Stops when `seen` returns false.
/// Returns the bytes consumed and the fatal error that ended the
/// connection, if one did.
pub(crate) fn feed<'p>(
    server: &mut ServerConnection,
    pieces: impl IntoIterator<Item = &'p [u8]>,
    mut seen: impl FnMut(usize, &Item<'_>) -> bool,
) -> (usize, Option<Fatal>) {
    let mut consumed = 0;
    for piece in pieces {
        let mut rest = piece;
        while !rest.is_empty() && server.phase() == Phase::Reading {
            let decoded = match server.decode(rest) {
                Ok(decoded) => decoded,
                Err(fatal) => return (consumed, Some(fatal)),
            };
            rest = &rest[decoded.consumed..];
            consumed += decoded.consumed;
            let Some(item) = decoded.item else { continue };
            let go_on = seen(consumed, &item);
            let code = match item {
                Item::Rejected(code) => code,
                Item::Request(_) => Code::Ok,
            };
            server.finish_reply(code);
            if !go_on {
                return (consumed, None);
            }
        }
    }
    (consumed, None)
}
