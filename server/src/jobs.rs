//! Running a job: each one a call into the inspection core, with the settings of that day.

use std::path::Path;

use xunjian_core::{self as core, Settings, Store};
use xunjian_model::period::Quarter;

use crate::schedule::Job;

/// What a job is asked to do beyond its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Order {
    /// The job.
    pub job: Job,
    /// For an inspection, the time point (default: the last day of the latest quarter).
    pub as_of: Option<chrono::NaiveDate>,
}

/// Run `order` with `base` (the service's settings; the date and progress are this run's) and
/// say in one line what it did.
pub(crate) async fn run(
    order: Order,
    base: &Settings,
    store: &Store,
    out: &Path,
    progress: core::Progress,
) -> core::Result<String> {
    let today = core::settings::today(&base.clock);
    let mut settings = base.clone();
    settings.progress = progress;
    // A crawl cut short (a restart, a stop) is resumed by the next run of the same day or quarter.
    settings.resume = true;
    match order.job {
        Job::Probe => Ok(core::probe(&settings, store).await?.to_string()),
        Job::Crawl => {
            settings.as_of = today;
            let done = core::crawl(&settings, store).await?;
            let doc = core::analyze(&settings, store, done.run).await?;
            let findings: usize = doc.targets.iter().map(|t| t.findings.len()).sum();
            Ok(format!(
                "run {} as of {today}: {} pages ({} unchanged), {findings} findings",
                done.run, done.pages, done.unchanged
            ))
        }
        Job::Inspect => {
            settings.as_of = order.as_of.unwrap_or_else(|| Quarter::latest_end(today));
            let dir = out.join(settings.as_of.to_string());
            core::check_out_dir(&dir)?;
            let written = core::inspect(&settings, store, &dir).await?;
            let keep = settings.seeds.seeds.schedule.keep_days;
            let pruned = core::prune(store, keep, settings.clock.as_ref()).await?;
            let degraded = written
                .degraded
                .map(|d| format!("; degraded: {d}"))
                .unwrap_or_default();
            Ok(format!(
                "inspection as of {} written to {}; {} old runs pruned{degraded}",
                settings.as_of,
                dir.display(),
                pruned.runs
            ))
        }
    }
}
