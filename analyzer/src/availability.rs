//! 可用性: a site's homepage probes, day by day in China time, as the 站点无法访问 rule counts them
//! and the dashboard shows them. One count for both, so that what is shown is what was judged.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use xunjian_model::observe::{DayAvailability, ProbeRecord};

/// The reason a probe stopped by an anti-bot wall records: it counts neither way.
const BLOCKED: &str = "blocked";

/// The days `first..=last` that have probes, oldest first.
pub fn daily(probes: &[ProbeRecord], first: NaiveDate, last: NaiveDate) -> Vec<DayAvailability> {
    let Some(china) = chrono::FixedOffset::east_opt(8 * 3600) else {
        return Vec::new();
    };
    let mut days: BTreeMap<NaiveDate, (DayAvailability, Vec<u64>)> = BTreeMap::new();
    for p in probes {
        let Ok(t) = chrono::DateTime::parse_from_rfc3339(&p.probed_at) else {
            continue;
        };
        let day = t.with_timezone(&china).date_naive();
        if day < first || day > last {
            continue;
        }
        let (d, times) = days.entry(day).or_insert_with(|| {
            (
                DayAvailability {
                    day,
                    probes: 0,
                    failures: 0,
                    blocked: 0,
                    median_ms: None,
                    max_ms: None,
                },
                Vec::new(),
            )
        });
        if p.reason.as_deref() == Some(BLOCKED) {
            d.blocked += 1;
            continue;
        }
        d.probes += 1;
        if p.ok {
            times.push(p.elapsed_ms);
        } else {
            d.failures += 1;
        }
    }
    days.into_values()
        .map(|(mut d, mut times)| {
            times.sort_unstable();
            d.median_ms = times.get(times.len() / 2).copied();
            d.max_ms = times.last().copied();
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(at: &str, ok: bool, ms: u64, reason: Option<&str>) -> ProbeRecord {
        ProbeRecord {
            site: "s".into(),
            url: "http://h/".into(),
            probed_at: at.into(),
            ok,
            elapsed_ms: ms,
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn days_are_china_days_and_blocked_visits_count_neither_way() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let probes = [
            // 23:30 UTC on the 29th is 07:30 on the 30th in China.
            probe("2025-09-29T23:30:00Z", true, 40, None),
            probe("2025-09-30T01:00:00Z", true, 20, None),
            probe("2025-09-30T02:00:00Z", true, 90, None),
            probe("2025-09-30T03:00:00Z", false, 15000, Some("timeout")),
            probe("2025-09-30T04:00:00Z", false, 5, Some("blocked")),
            probe("2025-09-28T01:00:00Z", true, 30, None),
            probe("2025-09-20T01:00:00Z", false, 1, Some("connect")),
        ];
        let days = daily(&probes, d("2025-09-24"), d("2025-09-30"));
        assert_eq!(days.len(), 2, "{days:?}");
        assert_eq!(
            days[1],
            DayAvailability {
                day: d("2025-09-30"),
                probes: 4,
                failures: 1,
                blocked: 1,
                median_ms: Some(40),
                max_ms: Some(90),
            }
        );
        assert_eq!(
            (days[0].day, days[0].probes, days[0].median_ms),
            (d("2025-09-28"), 1, Some(30))
        );
    }
}
