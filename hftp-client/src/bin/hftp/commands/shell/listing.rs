//! The served file names as the shell last listed them: Tab completes
//! them, and a word is a download only when it is one of them.

use std::rc::Rc;

use hftp_client::Error;

use crate::session::Session;

/// The names of the last listing; asked at the first need, asked again
/// by `ls` and when a word is not among them.
#[derive(Debug, Default)]
pub(super) struct Listing {
    /// `None` until the first listing.
    names: Option<Rc<[String]>>,
}

impl Listing {
    /// The names as last listed (none before the first listing).
    pub(super) fn names(&self) -> Rc<[String]> {
        self.names.clone().unwrap_or_default()
    }

    /// Asks the server for the listing again.
    pub(super) fn refresh(&mut self, session: &mut Session) -> Result<Rc<[String]>, Error> {
        let names: Rc<[String]> = session.conn.client()?.list()?.into();
        self.names = Some(names.clone());
        Ok(names)
    }

    /// True if the server lists `word`; a word not in the last listing
    /// asks for a fresh one first (the file may be new).
    pub(super) fn has(&mut self, word: &str, session: &mut Session) -> Result<bool, Error> {
        let listed = |names: &[String]| names.iter().any(|name| name == word);
        if self.names.as_deref().is_some_and(listed) {
            return Ok(true);
        }
        Ok(listed(&self.refresh(session)?))
    }
}
