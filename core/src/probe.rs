//! Probe rounds: one visit of every site's homepage, recorded for the unreachability rule
//! (站点无法访问 needs ≥ 20 visits a day for a week; run it from cron or the systemd timer).

use std::sync::Arc;

use tokio::task::JoinSet;
use url::Url;
use xunjian_crawler::crawl::{probe_home, BLOCKED};
use xunjian_crawler::fetch::Fetcher;
use xunjian_model::observe::{Observation, ProbeRecord};
use xunjian_store::Store;

use crate::crawl::fetch_config;
use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// What one probe round found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeRound {
    /// Homepages visited.
    pub probes: usize,
    /// Visits that failed (blocked ones excluded).
    pub failures: usize,
    /// Visits stopped by an anti-bot wall (neither success nor failure).
    pub blocked: usize,
}

/// What the command line and the service say of a round: `3 homepages probed, 1 failed, 0 blocked`.
impl std::fmt::Display for ProbeRound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} homepages probed, {} failed, {} blocked",
            self.probes, self.failures, self.blocked
        )
    }
}

impl ProbeRound {
    fn of(probes: &[ProbeRecord]) -> ProbeRound {
        let is_blocked = |p: &&ProbeRecord| p.reason.as_deref() == Some(BLOCKED);
        let blocked = probes.iter().filter(is_blocked).count();
        ProbeRound {
            probes: probes.len(),
            failures: probes.iter().filter(|p| !p.ok).count() - blocked,
            blocked,
        }
    }
}

/// Record one probe round: one visit of every site's homepage, without retries (a retry would
/// hide the failed visit the rule counts).
pub async fn probe(settings: &Settings, store: &Store) -> Result<ProbeRound> {
    let seeds = &settings.seeds.seeds;
    let mut config = fetch_config(seeds, settings);
    config.retries = 0;
    let fetcher = Arc::new(Fetcher::new(config).map_err(|e| CoreError::Client(e.to_string()))?);
    let mut tasks = JoinSet::new();
    for site in &seeds.sites {
        let home = Url::parse(&site.url).map_err(|e| {
            CoreError::BadInput(format!("site {}: url `{}`: {e}", site.id, site.url))
        })?;
        let (fetcher, id) = (fetcher.clone(), site.id.clone());
        tasks.spawn(async move { probe_home(&fetcher, &id, &home).await });
    }
    let mut probes = Vec::new();
    while let Some(done) = tasks.join_next().await {
        probes.push(done.map_err(|e| CoreError::Task("probe", e.to_string()))?);
    }
    let round = ProbeRound::of(&probes);
    let batch: Vec<Observation> = probes.into_iter().map(Observation::Probe).collect();
    // Probes belong to sites, not to runs: the run id is not used for them.
    store.write(0, &batch).await?;
    Ok(round)
}
