//! Which cases `--only` selects: exact ids, globs of ids, groups.

use super::case::Case;
use super::catalogue;

/// The cases that one of `patterns` selects, in catalogue order; all of
/// them when there is no pattern.
pub(super) fn select(patterns: &[String]) -> Vec<Case> {
    let chosen = |case: &Case| patterns.is_empty() || patterns.iter().any(|p| selects(p, case));
    catalogue::all().into_iter().filter(chosen).collect()
}

/// The patterns of `only` that select no case (a typo, most likely).
#[must_use]
pub fn unmatched(only: &[String]) -> Vec<String> {
    let all = catalogue::all();
    only.iter()
        .filter(|pattern| !all.iter().any(|case| selects(pattern, case)))
        .cloned()
        .collect()
}

/// True if `pattern` selects `case`: its exact id (`6.fifo`), a glob of
/// ids (`6.*`, `2019.*-slice`, `?.bare-lf`), or its group (`robust`,
/// `course-2019`, `rule 6`).
fn selects(pattern: &str, case: &Case) -> bool {
    pattern == case.id
        || pattern == case.group.to_string()
        || glob(pattern.as_bytes(), case.id.as_bytes())
}

/// Matches `text` against `pattern`, where `*` is any run of bytes and
/// `?` any one byte.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    (p, t) = (sp + 1, st + 1);
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_ids() {
        let matches = |p: &str, t: &str| glob(p.as_bytes(), t.as_bytes());
        assert!(
            matches("1.*", "1.bare-lf") && matches("*", "") && matches("?.bare-lf", "1.bare-lf")
        );
        assert!(matches("2019.*-slice", "2019.partial-slice") && matches("*lf*", "1.bare-lf"));
        assert!(!matches("1.*", "11.raw-exact") && !matches("1.bare", "1.bare-lf"));
        assert!(!matches("?", "") && !matches("a*b", "ab-c"));
    }
}
