//! What the service is doing now, for the dashboard: each job's last state and the live progress
//! of the jobs running (the same counters the command line draws).

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::Serialize;
use xunjian_core::Progress;

use crate::schedule::Job;

/// One job's state on the board.
#[derive(Debug, Clone)]
struct Entry {
    state: &'static str,
    since: DateTime<Utc>,
    message: Option<String>,
    progress: Option<Progress>,
    /// When it started, by the machine's own clock (the estimate of the time left).
    started: std::time::Instant,
}

/// The board.
#[derive(Debug, Default)]
pub struct Board {
    jobs: Mutex<BTreeMap<Job, Entry>>,
    /// Jobs finished since the start: a judgement may have changed when it moves.
    finished: std::sync::atomic::AtomicU64,
}

/// A site's progress in a running job.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SiteProgressView {
    /// The site's id.
    pub site: String,
    /// Pages fetched so far.
    pub fetched: u64,
    /// Of those, failed.
    pub failed: u64,
    /// Waiting in the frontier.
    pub queued: u64,
    /// Whether the site's crawl has ended.
    pub done: bool,
}

/// A job's state, as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct JobView {
    /// `probe`, `crawl` or `inspect`.
    pub job: &'static str,
    /// Its Chinese name.
    pub label_zh: &'static str,
    /// `running`, `done`, `failed`, or `idle` (not run since the start).
    pub state: &'static str,
    /// The state in Chinese.
    pub state_zh: &'static str,
    /// Since when (RFC 3339, UTC).
    pub since: Option<String>,
    /// `since` in China time, as the page shows it.
    pub since_zh: Option<String>,
    /// What it said when it ended.
    pub message: Option<String>,
    /// While it runs: the time left, estimated from the pace so far and what waits, in seconds.
    pub eta_seconds: Option<u64>,
    /// The same, as the page says it (约3分钟).
    pub eta_zh: Option<String>,
    /// Per site, while it runs.
    pub sites: Vec<SiteProgressView>,
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The time left at the pace so far: what waits, at the rate things were fetched (none before
/// the first fetch).
fn time_left(sites: &[SiteProgressView], elapsed: std::time::Duration) -> Option<u64> {
    let fetched: u64 = sites.iter().map(|s| s.fetched).sum();
    let queued: u64 = sites.iter().map(|s| s.queued).sum();
    (fetched > 0).then(|| (elapsed.as_secs_f64() * queued as f64 / fetched as f64).ceil() as u64)
}

fn eta_zh(seconds: u64) -> String {
    match seconds {
        0..=59 => format!("约{seconds}秒"),
        60..=3599 => format!("约{}分钟", seconds.div_ceil(60)),
        _ => format!("约{:.1}小时", seconds as f64 / 3600.0),
    }
}

fn state_zh(state: &str) -> &'static str {
    match state {
        "running" => "运行中",
        "done" => "已完成",
        "failed" => "失败",
        _ => "未运行",
    }
}

impl Board {
    pub(crate) fn started(&self, job: Job, progress: Progress, at: DateTime<Utc>) {
        self.set(
            job,
            Entry {
                state: "running",
                since: at,
                message: None,
                progress: Some(progress),
                started: std::time::Instant::now(),
            },
        );
    }

    pub(crate) fn finished(&self, job: Job, state: &'static str, said: String, at: DateTime<Utc>) {
        self.finished
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.set(
            job,
            Entry {
                state,
                since: at,
                message: Some(said),
                progress: None,
                started: std::time::Instant::now(),
            },
        );
    }

    /// How many jobs have finished since the start.
    pub(crate) fn generation(&self) -> u64 {
        self.finished.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn set(&self, job: Job, entry: Entry) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        jobs.insert(job, entry);
    }

    /// Every job's state now.
    pub fn view(&self) -> Vec<JobView> {
        let jobs = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        Job::ALL
            .iter()
            .map(|job| {
                let entry = jobs.get(job);
                let sites: Vec<SiteProgressView> = entry
                    .and_then(|e| e.progress.as_ref())
                    .map(|p| {
                        p.snapshot()
                            .into_iter()
                            .map(|(site, c)| SiteProgressView {
                                site,
                                fetched: c.fetched,
                                failed: c.failed,
                                queued: c.queued,
                                done: c.done,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let state = entry.map_or("idle", |e| e.state);
                let eta = entry
                    .filter(|e| e.state == "running")
                    .and_then(|e| time_left(&sites, e.started.elapsed()));
                JobView {
                    job: job.name(),
                    label_zh: job.label_zh(),
                    state,
                    state_zh: state_zh(state),
                    since: entry.map(|e| stamp(e.since)),
                    since_zh: entry.map(|e| crate::web::shown(&stamp(e.since))),
                    message: entry.and_then(|e| e.message.clone()),
                    eta_seconds: eta,
                    eta_zh: eta.map(eta_zh),
                    sites,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_left_follows_the_pace_so_far() {
        let site = |fetched, queued| SiteProgressView {
            site: "s".into(),
            fetched,
            failed: 0,
            queued,
            done: false,
        };
        let ten = std::time::Duration::from_secs(10);
        assert_eq!(
            time_left(&[site(0, 50)], ten),
            None,
            "no pace before the first fetch"
        );
        // 20 fetched in 10 s, 90 waiting: 45 s more.
        assert_eq!(time_left(&[site(15, 60), site(5, 30)], ten), Some(45));
        assert_eq!(eta_zh(45), "约45秒");
        assert_eq!(eta_zh(61), "约2分钟");
        assert_eq!(eta_zh(5400), "约1.5小时");
    }
}
