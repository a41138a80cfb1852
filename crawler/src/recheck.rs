//! 链接复查: which of the known good links an incremental crawl checks again tonight.
//!
//! A link that answered in the previous run is carried forward with the time it was really checked
//! (so its evidence says how old it is) unless it is due: not checked for `every_days`, or in
//! tonight's share of the rotation (about one link in `every_days`, spread by a hash of the URL,
//! so the load is even from night to night). A link that failed is never carried: the previous
//! run does not hand it over, and it is checked again every time, so that a broken-link finding
//! always rests on tonight's answer.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use xunjian_model::clock::china_date_of;
use xunjian_model::observe::FetchRecord;

/// The previous runs' answered link checks, and tonight's rotation.
#[derive(Debug, Default)]
pub struct PriorChecks {
    by_url: HashMap<Box<str>, FetchRecord>,
    every_days: u32,
    today: Option<NaiveDate>,
}

impl PriorChecks {
    /// Checks re-done at least every `every_days` days, as of `today` (China date).
    pub fn new(every_days: u32, today: NaiveDate) -> PriorChecks {
        PriorChecks {
            by_url: HashMap::new(),
            every_days: every_days.max(1),
            today: Some(today),
        }
    }

    /// Remember an earlier check; only one that answered can be carried forward.
    pub fn insert(&mut self, record: FetchRecord) {
        if record.is_success() && record.blocked.is_none() {
            self.by_url.insert(record.url.as_str().into(), record);
        }
    }

    /// How many checks are known.
    pub fn len(&self) -> usize {
        self.by_url.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.by_url.is_empty()
    }

    /// The earlier answer for `url` when it need not be checked tonight; `None`: check it.
    pub fn reuse(&self, url: &str) -> Option<FetchRecord> {
        let today = self.today?;
        let then = self.by_url.get(url)?;
        let checked = china_date_of(&then.fetched_at)?;
        let age = (today - checked).num_days();
        let n = u64::from(self.every_days);
        let slot = xxhash_rust::xxh3::xxh3_64(url.as_bytes()) % n;
        let tonight = (today.num_days_from_ce() as u64) % n;
        let due = age < 0 || age >= i64::from(self.every_days) || (slot == tonight && age > 0);
        (!due).then(|| then.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(url: &str, on: &str, status: u16) -> FetchRecord {
        FetchRecord {
            url: url.into(),
            final_url: url.into(),
            redirects: vec![],
            status: Some(status),
            error: None,
            blocked: None,
            elapsed_ms: 3,
            attempts: 1,
            bytes: 0,
            content_type: None,
            charset: None,
            content_hash: None,
            fetched_at: format!("{on}T02:00:00Z"),
            etag: None,
            last_modified: None,
        }
    }

    #[test]
    fn every_good_link_is_checked_again_within_the_days_and_about_a_seventh_each_night() {
        let day0: NaiveDate = "2025-10-01".parse().unwrap();
        let urls: Vec<String> = (0..700).map(|i| format!("http://h/f{i}.pdf")).collect();
        // Night after night, each link keeps the date it was last really checked.
        let mut last: HashMap<String, NaiveDate> = urls.iter().map(|u| (u.clone(), day0)).collect();
        for night in 1..=21 {
            let today = day0 + chrono::Days::new(night);
            let mut prior = PriorChecks::new(7, today);
            for u in &urls {
                prior.insert(checked(u, &last[u].to_string(), 200));
            }
            let due: Vec<&String> = urls.iter().filter(|u| prior.reuse(u).is_none()).collect();
            assert!(
                (60..=140).contains(&due.len()),
                "night {night}: {} due",
                due.len()
            );
            for u in due {
                last.insert(u.clone(), today);
            }
            assert!(
                last.values().all(|d| (today - *d).num_days() < 7),
                "night {night}: a link went a week unchecked"
            );
        }
    }

    #[test]
    fn failed_or_unknown_links_and_a_changed_clock_are_always_checked() {
        let today: NaiveDate = "2025-10-02".parse().unwrap();
        let mut prior = PriorChecks::new(7, today);
        prior.insert(checked("http://h/gone.pdf", "2025-10-01", 404));
        prior.insert(checked("http://h/future.pdf", "2025-10-05", 200));
        assert!(
            prior.reuse("http://h/gone.pdf").is_none(),
            "a failure is checked again"
        );
        assert!(prior.reuse("http://h/never.pdf").is_none(), "unknown");
        assert!(
            prior.reuse("http://h/future.pdf").is_none(),
            "checked after today"
        );
        assert_eq!(prior.len(), 1);
        let once = PriorChecks::new(1, today);
        assert!(once.reuse("http://h/future.pdf").is_none());
    }
}
