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
    /// Per site, while it runs.
    pub sites: Vec<SiteProgressView>,
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
                let sites = entry
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
                JobView {
                    job: job.name(),
                    label_zh: job.label_zh(),
                    state,
                    state_zh: state_zh(state),
                    since: entry
                        .map(|e| e.since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                    since_zh: entry.map(|e| {
                        let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
                        e.since
                            .with_timezone(&china)
                            .format("%Y-%m-%d %H:%M:%S")
                            .to_string()
                    }),
                    message: entry.and_then(|e| e.message.clone()),
                    sites,
                }
            })
            .collect()
    }
}
