//! NAME arguments with glob patterns (`*`, `?`, `[...]`), matched against
//! the server's listing, as sftp's and lftp's `mget` match them.
//!
//! A NAME is a pattern only if it holds `*`, `?` or `[`, is a valid glob
//! pattern, and is not itself a name the server lists: an exact match
//! wins, so a file called `x[1].txt` is still fetched by its name.
//! Matching is `glob::Pattern`'s (the rust-lang crate, no dependencies):
//! `*` never matches a leading `.`, as in a shell.

use glob::{MatchOptions, Pattern};

/// True if `name` holds a glob character.
pub(crate) fn has_glob(names: &[String]) -> bool {
    names.iter().any(|name| name.contains(['*', '?', '[']))
}

/// What one NAME stands for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Expanded {
    /// A name to fetch: given literally, or listed and matching a pattern.
    Name(String),
    /// A pattern no listed name matches.
    NoMatch(String),
}

/// Every NAME, a pattern replaced by the listed names it matches (in
/// the listing's order); a name already taken is not taken again.
pub(crate) fn expand(names: &[String], listing: &[String]) -> Vec<Expanded> {
    let options = MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let mut expanded = Vec::new();
    let taken = |name: &String, expanded: &mut Vec<Expanded>| {
        let name = Expanded::Name(name.clone());
        if !expanded.contains(&name) {
            expanded.push(name);
        }
    };
    for name in names {
        let pattern = Some(name)
            .filter(|name| has_glob(std::slice::from_ref(*name)))
            .filter(|name| !listing.contains(name))
            .and_then(|name| Pattern::new(name).ok());
        let Some(pattern) = pattern else {
            taken(name, &mut expanded);
            continue;
        };
        let matching = listing
            .iter()
            .filter(|listed| pattern.matches_with(listed, options));
        let mut matched = false;
        for listed in matching {
            matched = true;
            taken(listed, &mut expanded);
        }
        if !matched {
            expanded.push(Expanded::NoMatch(name.clone()));
        }
    }
    expanded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|&word| word.to_owned()).collect()
    }

    fn names(args: &[&str]) -> Vec<Expanded> {
        let listing = strings(&[".hidden.txt", "a.txt", "b.txt", "c.bin", "x[1].txt"]);
        expand(&strings(args), &listing)
    }

    #[test]
    fn patterns_expand_in_listing_order_and_literals_stay() {
        use Expanded::Name;
        assert_eq!(
            names(&["c.bin", "*.txt", "nope"]),
            [
                Name("c.bin".into()),
                Name("a.txt".into()),
                Name("b.txt".into()),
                Name("x[1].txt".into()),
                Name("nope".into())
            ]
        );
        assert_eq!(names(&["?.bin"]), [Name("c.bin".into())]);
        assert_eq!(
            names(&["[ab].txt"]),
            [Name("a.txt".into()), Name("b.txt".into())]
        );
    }

    #[test]
    fn an_exact_name_wins_and_nothing_is_taken_twice() {
        use Expanded::Name;
        assert_eq!(names(&["x[1].txt"]), [Name("x[1].txt".into())]);
        assert_eq!(
            names(&["a.txt", "?.txt"]),
            [Name("a.txt".into()), Name("b.txt".into())]
        );
    }

    #[test]
    fn a_pattern_matching_nothing_is_said_and_a_bad_one_is_a_name() {
        use Expanded::{Name, NoMatch};
        assert_eq!(names(&["*.pdf"]), [NoMatch("*.pdf".into())]);
        assert_eq!(names(&["[oops"]), [Name("[oops".into())]);
        assert_eq!(names(&["*hidden*"]), [NoMatch("*hidden*".into())]);
    }
}
