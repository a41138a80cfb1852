//! Running a job: each one a call into the inspection core, with the settings of that day.

use std::path::PathBuf;
use std::sync::Arc;

use xunjian_core::{self as core, Settings, Store};
use xunjian_model::alert::AlertKind;
use xunjian_model::period::Quarter;

use crate::alerts::Notifier;
use crate::schedule::Job;

/// What a job is asked to do beyond its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Order {
    /// The job.
    pub job: Job,
    /// For an inspection, the time point (default: the last day of the latest quarter).
    pub as_of: Option<chrono::NaiveDate>,
}

/// What every job runs with: the service's settings (the date and progress are each run's), the
/// store, where the documents go, and where alerts go.
pub(crate) struct Context {
    /// The service's settings.
    pub settings: Settings,
    /// The store.
    pub store: Store,
    /// The documents' directory.
    pub out: PathBuf,
    /// The alert channels.
    pub notifier: Arc<Notifier>,
}

/// Run `order` in `cx` and say in one line what it did.
pub(crate) async fn run(
    order: Order,
    cx: &Context,
    progress: core::Progress,
) -> core::Result<String> {
    let store = &cx.store;
    let today = core::settings::today(&cx.settings.clock);
    let mut settings = cx.settings.clone();
    settings.progress = progress;
    // A crawl cut short (a restart, a stop) is resumed by the next run of the same day or quarter.
    settings.resume = true;
    match order.job {
        Job::Probe => {
            let round = core::probe(&settings, store).await?;
            let settled = match core::alerts::sites_down(&settings, store, &round).await? {
                Some(down) => cx.notifier.settle(&[AlertKind::SiteDown], &down).await,
                None => Default::default(),
            };
            Ok(format!("{round}; {settled}"))
        }
        Job::Crawl => {
            settings.as_of = today;
            let done = core::crawl(&settings, store).await?;
            let doc = core::analyze(&settings, store, done.run).await?;
            core::evidence::capture_new(&settings, store).await?;
            let findings: usize = doc.targets.iter().map(|t| t.findings.len()).sum();
            // The nightly judgement is as of today: what holds now, and what is due soon.
            let events = core::alerts::judged(&settings, &doc);
            let settled = cx
                .notifier
                .settle(&[AlertKind::Veto, AlertKind::ColumnDueSoon], &events)
                .await;
            Ok(format!(
                "run {} as of {today}: {} pages ({} unchanged), {} link checks carried forward, \
                 {findings} findings; {settled}",
                done.run, done.pages, done.unchanged, done.checks_reused
            ))
        }
        Job::Inspect => {
            settings.as_of = order.as_of.unwrap_or_else(|| Quarter::latest_end(today));
            let dir = cx.out.join(settings.as_of.to_string());
            core::check_out_dir(&dir)?;
            let written = core::inspect(&settings, store, &dir).await?;
            // Each unit is told its notice is waiting (once per time point and channel).
            let issued = core::alerts::notices_issued(&settings, &written);
            let told = cx
                .notifier
                .settle(&[AlertKind::NoticeIssued], &issued)
                .await;
            let keep = settings.seeds.seeds.schedule.keep_days;
            let pruned = core::prune(store, keep, settings.clock.as_ref()).await?;
            let degraded = written
                .degraded
                .map(|d| format!("; degraded: {d}"))
                .unwrap_or_default();
            Ok(format!(
                "inspection as of {} written to {}; {} old runs pruned; {told}{degraded}",
                settings.as_of,
                dir.display(),
                pruned.runs
            ))
        }
    }
}
