//! Diagnostics on stderr: `env_logger`, each line stamped with the time
//! in UTC or, if the operator asks, in the system's time zone.

use std::io::Write as _;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The clock of the log's timestamps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogTime {
    /// UTC: `2026-12-07T00:45:12.123Z`.
    #[default]
    Utc,
    /// The system's time zone (`TZ`, else `/etc/localtime`), with its
    /// offset: `2026-12-06T21:45:12.123-03:00`.
    Local,
}

/// Starts logging at `level`, stamped by `clock`; `RUST_LOG`, when set,
/// overrides the level.
pub(crate) fn init(level: log::LevelFilter, clock: LogTime) {
    // Found once: a zone that cannot be found logs in UTC (with a Z).
    let zone = match clock {
        LogTime::Utc => TimeZone::UTC,
        LogTime::Local => TimeZone::try_system().unwrap_or(TimeZone::UTC),
    };
    env_logger::Builder::new()
        .filter_level(level)
        .parse_env(env_logger::Env::default())
        .format(move |out, record| {
            let stamp = stamp(Timestamp::now(), &zone);
            writeln!(out, "{stamp} {:<5} {}", record.level(), record.args())
        })
        .init();
}

/// `now` in `zone`, to the millisecond, as RFC 3339 writes it: `Z` for
/// UTC, else the offset.
fn stamp(now: Timestamp, zone: &TimeZone) -> String {
    let zoned = now.to_zoned(zone.clone());
    let clock = zoned.strftime("%Y-%m-%dT%H:%M:%S%.3f");
    if zoned.offset().seconds() == 0 {
        format!("{clock}Z")
    } else {
        format!("{clock}{}", zoned.strftime("%:z"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_rfc_3339_to_the_millisecond() {
        let now: Timestamp = "2026-12-07T00:45:12.123456Z".parse().expect("a time");
        assert_eq!(stamp(now, &TimeZone::UTC), "2026-12-07T00:45:12.123Z");
        let cordoba = TimeZone::posix("ART3").expect("a POSIX zone");
        assert_eq!(stamp(now, &cordoba), "2026-12-06T21:45:12.123-03:00");
        let ahead = TimeZone::fixed(jiff::tz::offset(5));
        assert_eq!(stamp(now, &ahead), "2026-12-07T05:45:12.123+05:00");
    }
}
