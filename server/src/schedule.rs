//! The timetable of the service: which job is due when, by cron expressions in China time.
//!
//! A job is due when its latest scheduled time at or before now is later than the time it last
//! started for. That one rule gives both guarantees of the service: a job is never started twice
//! for one scheduled time, and after a restart a job whose times passed while the service was down
//! is caught up once (for the latest of them), not once per missed time.

use std::str::FromStr;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use xunjian_model::seeds::Timetable;

/// A job of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// One homepage visit per site (站点无法访问 is judged on these).
    Probe,
    /// The incremental crawl of every target, judged as of that day.
    Crawl,
    /// The quarterly inspection as of the quarter's last day, with its documents.
    Inspect,
}

impl Job {
    /// Every job, in the order they are considered.
    pub const ALL: [Job; 3] = [Job::Probe, Job::Crawl, Job::Inspect];

    /// The name the store and the API use.
    pub fn name(self) -> &'static str {
        match self {
            Job::Probe => "probe",
            Job::Crawl => "crawl",
            Job::Inspect => "inspect",
        }
    }

    /// The name the dashboard shows.
    pub fn label_zh(self) -> &'static str {
        match self {
            Job::Probe => "首页探测",
            Job::Crawl => "日常抓取",
            Job::Inspect => "季度检查",
        }
    }

    /// Whether the job crawls the sites: such jobs take turns, never two at once on the same hosts.
    pub fn crawls(self) -> bool {
        matches!(self, Job::Crawl | Job::Inspect)
    }
}

/// The parsed timetable: one cron schedule per job.
#[derive(Debug, Clone)]
pub struct Plan {
    probe: cron::Schedule,
    crawl: cron::Schedule,
    inspect: cron::Schedule,
}

/// China time, in which the timetable's expressions are read.
fn east8() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

impl Plan {
    /// The plan of a seeds `[schedule]` (whose expressions the seeds parser has already checked).
    pub fn new(t: &Timetable) -> Result<Plan, cron::error::Error> {
        Ok(Plan {
            probe: cron::Schedule::from_str(&t.probe)?,
            crawl: cron::Schedule::from_str(&t.crawl)?,
            inspect: cron::Schedule::from_str(&t.inspect)?,
        })
    }

    fn of(&self, job: Job) -> &cron::Schedule {
        match job {
            Job::Probe => &self.probe,
            Job::Crawl => &self.crawl,
            Job::Inspect => &self.inspect,
        }
    }

    /// The latest scheduled time of `job` at or before `now`.
    pub fn latest(&self, job: Job, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let after = (now + Duration::seconds(1)).with_timezone(&east8());
        self.of(job)
            .after(&after)
            .next_back()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The next scheduled time of `job` after `now`.
    pub fn next(&self, job: Job, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.of(job)
            .after(&now.with_timezone(&east8()))
            .next()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The scheduled time `job` should start for now, given the time it last started for: its
    /// latest time, when that is later.
    pub fn due(
        &self,
        job: Job,
        now: DateTime<Utc>,
        last: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        let latest = self.latest(job, now)?;
        match last {
            Some(last) if last >= latest => None,
            _ => Some(latest),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn plan() -> Plan {
        Plan::new(&Timetable::default()).unwrap()
    }

    #[test]
    fn the_defaults_probe_every_half_hour_crawl_nightly_and_inspect_after_the_quarter() {
        let p = plan();
        let now = at("2025-10-01T10:47:00+08:00");
        assert_eq!(
            p.latest(Job::Probe, now),
            Some(at("2025-10-01T10:30:00+08:00"))
        );
        assert_eq!(
            p.next(Job::Probe, now),
            Some(at("2025-10-01T11:00:00+08:00"))
        );
        assert_eq!(
            p.latest(Job::Crawl, now),
            Some(at("2025-10-01T01:00:00+08:00"))
        );
        assert_eq!(
            p.latest(Job::Inspect, now),
            Some(at("2025-10-01T03:00:00+08:00"))
        );
        assert_eq!(
            p.next(Job::Inspect, now),
            Some(at("2026-01-01T03:00:00+08:00"))
        );
        // 48 probes a day: at least the 20 the national rule needs.
        let day = at("2025-10-02T00:00:00+08:00");
        let probes = (0..24 * 60)
            .filter(|m| {
                let t = day + Duration::minutes(*m);
                p.latest(Job::Probe, t) == Some(t)
            })
            .count();
        assert_eq!(probes, 48);
    }

    #[test]
    fn a_job_starts_once_per_time_and_catches_up_once_after_a_gap() {
        let p = plan();
        let now = at("2025-10-01T10:47:00+08:00");
        let latest = p.latest(Job::Probe, now);
        assert_eq!(p.due(Job::Probe, now, None), latest);
        assert_eq!(
            p.due(Job::Probe, now, latest),
            None,
            "not twice for one time"
        );
        // Down for three days: the nightly crawl is due once, for the latest night.
        let back = at("2025-10-04T09:00:00+08:00");
        assert_eq!(
            p.due(Job::Crawl, back, Some(at("2025-10-01T01:00:00+08:00"))),
            Some(at("2025-10-04T01:00:00+08:00"))
        );
        assert!(p
            .due(
                Job::Crawl,
                at("2025-10-04T00:59:59+08:00"),
                Some(at("2025-10-03T01:00:00+08:00"))
            )
            .is_none());
    }
}
