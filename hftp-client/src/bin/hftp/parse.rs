//! Parsing shared by the command line's options: values no single
//! command owns.

use std::num::ParseIntError;
use std::str::FromStr;
use std::time::Duration;

use crate::text as words;

/// Seconds as a decimal number: `30`, `0.25`.
pub(crate) fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text.parse().map_err(|_| words::get().not_seconds(text))?;
    Duration::try_from_secs_f64(secs).map_err(|_| words::get().not_a_duration(text))
}

/// A whole number, as clap's own parser takes it, its error in the run's
/// language.
pub(crate) fn whole<T: FromStr<Err = ParseIntError>>(text: &str) -> Result<T, String> {
    text.parse().map_err(|error| words::get().not_whole(&error))
}

/// A whole number from 1 to 64 (`--parallel`).
pub(crate) fn one_to_64(text: &str) -> Result<u16, String> {
    let n = whole(text)?;
    if (1..=64).contains(&n) {
        Ok(n)
    } else {
        Err(words::get().not_in_range(n.into(), 1, 64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_take_fractions_and_refuse_the_rest() {
        assert_eq!(seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(seconds("0"), Ok(Duration::ZERO));
        assert!(seconds("-1").is_err() && seconds("soon").is_err());
    }
}
