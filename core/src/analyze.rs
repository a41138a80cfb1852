//! The analysis stage: a crawled run's observations, read back from the store site by site, judged
//! by the analyzer under the settings' rule pack, and the judgements stored.

use chrono::NaiveDate;
use xunjian_analyzer::calendar::WorkCalendar;
use xunjian_analyzer::network::{HostTally, InspectorFault};
use xunjian_analyzer::{judge_account, judge_site, AccountInput, SiteInput};
use xunjian_model::finding::FINDINGS_SCHEMA;
use xunjian_model::observe::REFERENCE_TARGET;
use xunjian_model::period::Quarter;
use xunjian_model::seeds::SiteKind;
use xunjian_model::{FindingsDoc, Seeds, TargetReport};
use xunjian_store::Store;

use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// Midnight (UTC) of `day`, as stored.
fn midnight(day: NaiveDate) -> String {
    day.and_hms_opt(0, 0, 0)
        .map(|t| {
            t.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_default()
}

/// Judge a crawled run, store the verdicts, and return the findings document.
pub async fn analyze(settings: &Settings, store: &Store, run: i64) -> Result<FindingsDoc> {
    let (seeds, as_of, pack) = (&settings.seeds.seeds, settings.as_of, &settings.pack);
    let rules = pack.thresholds();
    let run_checks = store.run_checks(run).await?;
    let window_start = midnight(as_of - chrono::Days::new(rules.unreachable_window_days as u64));
    let window_end = midnight(as_of + chrono::Days::new(1));
    let calendar = WorkCalendar::bundled().map_err(|e| CoreError::Bundled(e.to_string()))?;
    let portal = seeds.sites.iter().find(|s| s.kind == SiteKind::Portal);
    let fault = inspector_fault(store, run).await?;
    if let Some(f) = &fault {
        tracing::warn!("{}", f.reason_zh());
    }
    // The office's 误报 decisions weigh on nothing while their evidence is unchanged.
    let dismissed = store.dismissals().await?;
    let mut targets = Vec::new();
    let mut complete = true;
    for site in &seeds.sites {
        let records = store.site_pages(run, &site.id).await?;
        complete &= records.done.unwrap_or(false);
        let probes = store.probes(&site.id, &window_start, &window_end).await?;
        let first_seen = store.first_seen(run, &site.id).await?;
        let input = SiteInput {
            site,
            records: &records,
            run_checks: &run_checks,
            probes: &probes,
            portal,
            disclosures: seeds
                .disclosures
                .iter()
                .filter(|d| d.site == site.id)
                .collect(),
            first_seen: &first_seen,
            calendar: Some(&calendar),
            fault,
            dismissed: &dismissed,
            relays: &seeds.relays,
            accounts: &seeds.accounts,
        };
        targets.push(judge_site(&input, as_of, pack));
    }
    // 人工核验 records decide the accounts no answer decided.
    let manual = store.manual_checks().await?;
    for account in &seeds.accounts {
        let feed = store.account_records(run, &account.id).await?;
        let input = AccountInput {
            account,
            feed: feed.as_ref(),
            manual: &manual,
            fault,
            dismissed: &dismissed,
            all: &seeds.accounts,
            relays: &seeds.relays,
        };
        targets.push(judge_account(&input, as_of, pack));
    }
    store.save_reports(run, &targets).await?;
    let degraded = fault.map(|f| f.reason_zh());
    store.set_run_degraded(run, degraded.as_deref()).await?;
    let doc = findings_doc(seeds, as_of, targets, complete, degraded);
    crate::remedy::track(settings, store, run, &doc).await?;
    store
        .set_run_status(run, "analyzed", &settings.clock.now_rfc3339())
        .await?;
    Ok(doc)
}

/// The inspecting machine's own network fault during a run, judged from all its fetches.
async fn inspector_fault(store: &Store, run: i64) -> Result<Option<InspectorFault>> {
    let mut tally = HostTally::default();
    store
        .each_fetch_outcome(run, |target, url, status, error| {
            if target == REFERENCE_TARGET {
                tally.add_reference(status, error);
            }
            tally.add(url, status, error)
        })
        .await?;
    Ok(tally.fault())
}

/// The findings document of a set of verdicts.
pub fn findings_doc(
    seeds: &Seeds,
    as_of: NaiveDate,
    targets: Vec<TargetReport>,
    complete: bool,
    degraded: Option<String>,
) -> FindingsDoc {
    FindingsDoc {
        schema: FINDINGS_SCHEMA.to_string(),
        district: seeds.district.name.clone(),
        as_of: as_of.to_string(),
        period: Quarter::of(as_of).to_string(),
        targets,
        complete,
        degraded,
    }
}

/// Rebuild the findings document of an analyzed run from the store.
pub async fn stored_doc(settings: &Settings, store: &Store, run: i64) -> Result<FindingsDoc> {
    let seeds = &settings.seeds.seeds;
    let targets = store.load_reports(run).await?;
    if targets.is_empty() && !(seeds.sites.is_empty() && seeds.accounts.is_empty()) {
        return Err(CoreError::NotAnalyzed(run));
    }
    let mut complete = true;
    for site in &seeds.sites {
        complete &= store.site_done(run, &site.id).await?.unwrap_or(false);
    }
    // The analysis judged the inspector's network; the report reads what it recorded.
    let degraded = store.run_degraded(run).await?;
    Ok(findings_doc(
        seeds,
        settings.as_of,
        targets,
        complete,
        degraded,
    ))
}
