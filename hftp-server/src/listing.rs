//! `get_file_listing` replies, shared between connections.
//!
//! A listing is built whole (rule 7 wants it sorted), so a directory of
//! 100 000 names makes a reply of megabytes. Built per connection, every
//! client that asks and then stops reading would hold its own copy until
//! the send timeout. Here builds take turns under one lock, with buffers
//! for the names that are reused from one build to the next (a build
//! allocates only its reply, at its final size: no transient buffers left
//! behind in the allocator of every thread that ever listed), and a reply
//! equal to the last one built is not kept twice: every connection that
//! lists the same directory state sends from one shared buffer, freed
//! when the last of them is done. Each listing still reads the directory
//! afresh, so a reply is never stale.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use hftp_proto::{Code, Listing};
use log::warn;

use crate::files::{Batch, Names};
use crate::request_log::EscapedBytes;
use crate::text::Text;

/// How many distinct unlistable names are remembered, so each is logged
/// once; past that, new ones are no longer logged.
const UNLISTED_MEMORY: usize = 4096;

/// How many names met unlistable for the first time one listing names in
/// the log; the others are counted in one line.
const UNLISTED_NAMED: usize = 10;

/// What a build needs, kept between builds.
#[derive(Debug, Default)]
struct Builder {
    /// The names of the directory, buffers reused.
    names: Names,
    /// The last reply built, while a connection still sends it: once the
    /// last one is done, its memory goes.
    last: Weak<Vec<u8>>,
}

/// The listings of one server.
#[derive(Debug)]
pub(crate) struct Listings {
    /// List only ASCII names.
    ascii_only: bool,
    /// Holding the lock is a turn to build a reply.
    builder: Mutex<Builder>,
    /// Unlistable names already logged.
    unlisted: Mutex<HashSet<Vec<u8>>>,
    /// The log's words, for the names left out.
    text: &'static dyn Text,
}

impl Listings {
    /// Listings that leave non-ASCII names out if `ascii_only`, logging
    /// the names left out in `text`'s words.
    pub(crate) fn new(ascii_only: bool, text: &'static dyn Text) -> Self {
        Self {
            ascii_only,
            builder: Mutex::default(),
            unlisted: Mutex::default(),
            text,
        }
    }

    /// True when names not in ASCII are left out.
    pub(crate) const fn ascii_only(&self) -> bool {
        self.ascii_only
    }

    /// The whole reply to `get_file_listing` in the directory of `batch`
    /// (`0 OK`, the names, the empty line), or the code to answer.
    pub(crate) fn reply(&self, batch: &mut Batch<'_>) -> Result<Arc<Vec<u8>>, Code> {
        let mut builder = lock(&self.builder);
        let Builder { names, last } = &mut *builder;
        batch.regular_names(names)?;
        if let Some(shared) = last
            .upgrade()
            .filter(|shared| self.encodes_to(names, shared))
        {
            return Ok(shared);
        }
        let fresh = Arc::new(self.encode(names));
        *last = Arc::downgrade(&fresh);
        Ok(fresh)
    }

    /// The reply for `names`, in a buffer allocated once at its size.
    fn encode(&self, names: &Names) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + names.total_len() + 2 * names.len());
        self.pieces(names, |piece| {
            out.extend_from_slice(piece);
            true
        });
        out
    }

    /// Whether the reply for `names` is `reply`, found without building
    /// it: an unchanged directory allocates nothing.
    fn encodes_to(&self, names: &Names, reply: &[u8]) -> bool {
        let mut rest = reply;
        self.pieces(names, |piece| {
            rest.strip_prefix(piece).map(|after| rest = after).is_some()
        }) && rest.is_empty()
    }

    /// Hands the reply for `names` to `take` a piece at a time: the status
    /// line, each name that can travel with its line end (the others are
    /// logged once each, ten at most per listing, the rest counted), the
    /// empty line. Stops, returning false, as soon
    /// as `take` does.
    fn pieces(&self, names: &Names, mut take: impl FnMut(&[u8]) -> bool) -> bool {
        let mut piece = Vec::with_capacity(64);
        let mut listing = Listing::begin(self.ascii_only, &mut piece);
        if !take(&piece) {
            return false;
        }
        let mut first_met = 0;
        for name in names.iter() {
            piece.clear();
            match listing.push(name, &mut piece) {
                Ok(_) if !take(&piece) => return false,
                Ok(_) => {}
                Err(why) if self.first_unlisted(name) => {
                    first_met += 1;
                    if first_met <= UNLISTED_NAMED {
                        warn!("{}", self.text.not_listed(&EscapedBytes(name), why));
                    }
                }
                Err(_) => {}
            }
        }
        if first_met > UNLISTED_NAMED {
            warn!("{}", self.text.not_listed_more(first_met - UNLISTED_NAMED));
        }
        piece.clear();
        listing.finish(&mut piece);
        take(&piece)
    }

    /// True the first time `name` is seen unlistable.
    fn first_unlisted(&self, name: &[u8]) -> bool {
        let mut seen = lock(&self.unlisted);
        seen.len() < UNLISTED_MEMORY && seen.insert(name.to_vec())
    }
}

/// Locks `mutex`; a poisoned lock is still usable, as every value behind
/// these locks is replaced whole.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::ServedDir;

    #[test]
    fn equal_listings_share_one_buffer_and_a_change_makes_a_new_one() {
        let root = tempfile::tempdir().expect("a directory");
        std::fs::write(root.path().join("b"), "").expect("a file");
        std::fs::write(root.path().join("a b"), "").expect("an unlistable name");
        let dir = ServedDir::pin(root.path()).expect("pinned");
        let listings = Listings::new(false, crate::text::text(crate::Lang::En));
        let first = listings.reply(&mut dir.batch()).expect("a listing");
        assert_eq!(first.as_slice(), b"0 OK\r\nb\r\n\r\n");
        let second = listings.reply(&mut dir.batch()).expect("a listing");
        assert!(Arc::ptr_eq(&first, &second), "the same state, one buffer");
        drop(second);
        std::fs::write(root.path().join("a"), "").expect("a new file");
        let third = listings.reply(&mut dir.batch()).expect("a listing");
        assert_eq!(third.as_slice(), b"0 OK\r\na\r\nb\r\n\r\n");
        assert!(!Arc::ptr_eq(&first, &third));
        drop((first, third));
        assert_eq!(
            lock(&listings.builder).last.strong_count(),
            0,
            "nobody sends it: freed"
        );
    }

    #[test]
    fn ascii_only_leaves_other_names_out() {
        let root = tempfile::tempdir().expect("a directory");
        std::fs::write(root.path().join("ñandú"), "").expect("a file");
        std::fs::write(root.path().join("x"), "").expect("a file");
        let dir = ServedDir::pin(root.path()).expect("pinned");
        let listing = Listings::new(true, crate::text::text(crate::Lang::En))
            .reply(&mut dir.batch())
            .expect("a listing");
        assert_eq!(listing.as_slice(), b"0 OK\r\nx\r\n\r\n");
    }
}
