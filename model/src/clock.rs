//! The clock, passed in: every timestamp xunjian records (when a page was fetched, when a run
//! started) comes from a [`Clock`], so a test or a replay can fix time instead of reading the wall.

use std::fmt::Debug;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};

/// Where "now" comes from.
pub trait Clock: Debug + Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// The current instant as stored: RFC 3339, UTC, whole seconds.
    fn now_rfc3339(&self) -> String {
        self.now().to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// Today in China (UTC+8).
    fn today_in_china(&self) -> NaiveDate {
        china_date(self.now())
    }
}

/// The calendar day of an instant in China (UTC+8): the day pages, 通报 and deadlines are dated by.
pub fn china_date(t: DateTime<Utc>) -> NaiveDate {
    let east8 = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    t.with_timezone(&east8).date_naive()
}

/// The China day of an RFC 3339 timestamp as stored; `None` when it does not parse.
pub fn china_date_of(rfc3339: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| china_date(t.with_timezone(&Utc)))
}

/// An RFC 3339 timestamp as stored, in China time (UTC+8): how every time is shown to people;
/// `None` when it does not parse.
pub fn china_time_of(rfc3339: &str) -> Option<DateTime<FixedOffset>> {
    let east8 = FixedOffset::east_opt(8 * 3600)?;
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.with_timezone(&east8))
}

/// An RFC 3339 timestamp as people read it to the minute, `YYYY-MM-DD HH:MM` in China time; the
/// text itself when it does not parse.
pub fn china_minute_of(rfc3339: &str) -> String {
    china_time_of(rfc3339)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| rfc3339.to_string())
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant (tests, replays).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// A shared clock handle.
pub type SharedClock = Arc<dyn Clock>;

/// The machine's clock as a shared handle.
pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_formats_as_stored() {
        let at = DateTime::parse_from_rfc3339("2025-09-30T08:00:00+08:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(FixedClock(at).now_rfc3339(), "2025-09-30T00:00:00Z");
    }

    #[test]
    fn times_are_shown_in_china_time() {
        let t = china_time_of("2025-09-30T17:30:00Z").unwrap();
        assert_eq!(t.format("%Y-%m-%d %H:%M").to_string(), "2025-10-01 01:30");
        assert_eq!(
            china_date_of("2025-09-30T17:30:00Z"),
            NaiveDate::from_ymd_opt(2025, 10, 1)
        );
        assert!(china_time_of("yesterday").is_none());
    }
}
