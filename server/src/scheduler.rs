//! The scheduler: starts each job when it is due, never two at once of the same job, and never
//! two crawling jobs at once (they share the sites' hosts and budgets).
//!
//! Its state lives in the store (`jobs`): a restart catches up what was missed once, and a job cut
//! short by a stop is started again for the same time (its crawl resumes).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::task::JoinHandle;
use xunjian_core::{Progress, Settings, Store};
use xunjian_store::JobMark;

use crate::alerts::Notifier;
use crate::board::Board;
use crate::jobs::{self, Order};
use crate::schedule::{Job, Plan};

/// A job started and not yet reaped.
struct Running {
    due: DateTime<Utc>,
    handle: JoinHandle<xunjian_core::Result<String>>,
}

/// The scheduler's state.
pub(crate) struct Scheduler {
    plan: Plan,
    settings: Settings,
    store: Store,
    out: PathBuf,
    board: Arc<Board>,
    notifier: Arc<Notifier>,
    last: HashMap<Job, DateTime<Utc>>,
    running: HashMap<Job, Running>,
    queued: Vec<Order>,
}

fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Scheduler {
    /// A scheduler for `settings`' seeds, reading its marks from the store. A job never run before
    /// starts at its next time (no catch-up on the first start); one cut short runs again.
    pub(crate) async fn new(
        plan: Plan,
        settings: Settings,
        store: Store,
        out: PathBuf,
        board: Arc<Board>,
        notifier: Arc<Notifier>,
    ) -> xunjian_core::Result<Scheduler> {
        let now = settings.clock.now();
        let marks = store.job_marks().await?;
        let mut last = HashMap::new();
        for job in Job::ALL {
            let mark = marks.iter().find(|m| m.name == job.name());
            let at = match mark.and_then(|m| parse(&m.due_at).map(|t| (t, m.state.as_str()))) {
                // Cut short: due again for the same time.
                Some((t, "running")) => t - Duration::seconds(1),
                Some((t, _)) => t,
                None => plan.latest(job, now).unwrap_or(now),
            };
            last.insert(job, at);
        }
        Ok(Scheduler {
            plan,
            settings,
            store,
            out,
            board,
            notifier,
            last,
            running: HashMap::new(),
            queued: Vec::new(),
        })
    }

    /// Ask for one run of `order` as soon as the crawl lane allows (`--inspect-now`).
    pub(crate) fn queue(&mut self, order: Order) {
        self.queued.push(order);
    }

    fn lane_busy(&self) -> bool {
        self.running.keys().any(|j| j.crawls())
    }

    /// One pass: reap finished jobs, then start what is due.
    pub(crate) async fn tick(&mut self) {
        let now = self.settings.clock.now();
        self.reap(now).await;
        let queued = std::mem::take(&mut self.queued);
        for order in queued {
            if self.running.contains_key(&order.job) || (order.job.crawls() && self.lane_busy()) {
                self.queued.push(order);
            } else {
                self.start(order, now).await;
            }
        }
        for job in Job::ALL {
            if self.running.contains_key(&job) || (job.crawls() && self.lane_busy()) {
                continue;
            }
            if let Some(due) = self.plan.due(job, now, self.last.get(&job).copied()) {
                self.last.insert(job, due);
                self.start(Order { job, as_of: None }, due).await;
            }
        }
    }

    async fn start(&mut self, order: Order, due: DateTime<Utc>) {
        let job = order.job;
        self.mark(job, due, "running", None).await;
        let progress = Progress::default();
        self.board
            .started(job, progress.clone(), self.settings.clock.now());
        let context = jobs::Context {
            settings: self.settings.clone(),
            store: self.store.clone(),
            out: self.out.clone(),
            notifier: self.notifier.clone(),
        };
        tracing::info!(job = job.name(), due = %stamp(due), "job started");
        let handle = tokio::spawn(async move { jobs::run(order, &context, progress).await });
        self.running.insert(job, Running { due, handle });
    }

    async fn reap(&mut self, now: DateTime<Utc>) {
        let finished: Vec<Job> = self
            .running
            .iter()
            .filter(|(_, r)| r.handle.is_finished())
            .map(|(j, _)| *j)
            .collect();
        for job in finished {
            let Some(r) = self.running.remove(&job) else {
                continue;
            };
            let (state, message) = match r.handle.await {
                Ok(Ok(said)) => {
                    tracing::info!(job = job.name(), "{said}");
                    ("done", said)
                }
                Ok(Err(e)) => {
                    tracing::error!(job = job.name(), "job failed: {e}");
                    ("failed", e.to_string())
                }
                Err(e) => {
                    tracing::error!(job = job.name(), "job panicked: {e}");
                    ("failed", e.to_string())
                }
            };
            self.mark(job, r.due, state, Some(message.clone())).await;
            self.board.finished(job, state, message, now);
        }
    }

    async fn mark(&self, job: Job, due: DateTime<Utc>, state: &str, message: Option<String>) {
        let mark = JobMark {
            name: job.name().into(),
            due_at: stamp(due),
            state: state.into(),
            updated_at: self.settings.clock.now_rfc3339(),
            message,
        };
        if let Err(e) = self.store.set_job_mark(&mark).await {
            tracing::error!(job = job.name(), "recording the job's state: {e}");
        }
    }

    /// Stop: the jobs in flight are dropped at their next await (an unfinished batch is rolled
    /// back, never half-written) and stay marked `running`, so the next start runs them again.
    pub(crate) fn stop(&mut self) {
        for (job, r) in self.running.drain() {
            tracing::info!(job = job.name(), "stopped; resumed at the next start");
            r.handle.abort();
        }
    }
}
