//! The remediation loop (整改) in the pipeline: every analyzed run's findings are folded into the
//! tracked problems, and the reports print where each problem stands.
//!
//! Only a run that observed its targets completely can show a problem gone: a target judged
//! 无法判定, a crawl cut short by its limits, or a run degraded by the inspector's own network
//! closes nothing (a failed fetch is never evidence).

use std::collections::{BTreeMap, BTreeSet};

use xunjian_model::period::Quarter;
use xunjian_model::{Action, Dismissals, FindingKey, FindingsDoc, ProblemState, Verdict};
use xunjian_reports::{Previous, PreviousUnit, ProblemStates, Tracking};
use xunjian_store::{Sighting, Store, Tracked};

use crate::error::Result;
use crate::settings::Settings;

/// The targets whose every problem the run could have seen: judged (not 无法判定) in a complete,
/// undegraded run.
fn judged_targets(doc: &FindingsDoc) -> BTreeSet<String> {
    if !doc.complete || doc.degraded.is_some() {
        return BTreeSet::new();
    }
    doc.targets
        .iter()
        .filter(|t| t.verdict != Verdict::Inconclusive && t.inconclusive.is_empty())
        .map(|t| t.id.clone())
        .collect()
}

/// Fold the findings of analyzed run `run` into the tracked problems.
pub async fn track(
    settings: &Settings,
    store: &Store,
    run: i64,
    doc: &FindingsDoc,
) -> Result<Tracked> {
    let seeds = &settings.seeds.seeds;
    let now = settings.clock.now_rfc3339();
    let sightings: Vec<Sighting> = doc
        .targets
        .iter()
        // A 误报 found again is seen again: it stays decided while its evidence holds.
        .flat_map(|t| t.findings.iter().chain(&t.dismissed).map(move |f| (t, f)))
        .map(|(t, f)| Sighting {
            key: f.key(&t.id),
            unit: seeds.finding_unit(t, f).to_string(),
            finding: f.clone(),
            seen: f.seen().unwrap_or(&now).to_string(),
            evidence_hash: f.evidence_hash(),
        })
        .collect();
    let tracked = store
        .track(run, &now, &sightings, &judged_targets(doc))
        .await?;
    tracing::info!(
        run,
        found = tracked.found,
        again = tracked.seen_again,
        moved = tracked.moved.len(),
        "problems tracked"
    );
    Ok(tracked)
}

/// Whether the office decided a finding of `doc` 误报 after the run was judged: the judgement
/// must then be made again, for a 误报 weighs on no veto, score or verdict.
pub fn decided_since(doc: &FindingsDoc, dismissed: &Dismissals) -> bool {
    doc.targets
        .iter()
        .any(|t| t.findings.iter().any(|f| dismissed.covers(&t.id, f)))
}

/// Record which problems the 通报 of run `run` listed, and the 整改期限 it gave their units.
pub async fn record_reported(
    settings: &Settings,
    store: &Store,
    run: i64,
    doc: &FindingsDoc,
    deadline: &str,
) -> Result<()> {
    let ids: BTreeMap<FindingKey, i64> = store
        .problems(None)
        .await?
        .into_iter()
        .map(|p| (p.key, p.id))
        .collect();
    let listed: Vec<i64> = doc
        .targets
        .iter()
        .flat_map(|t| {
            t.findings
                .iter()
                .filter_map(|f| ids.get(&f.key(&t.id)).copied())
        })
        .collect();
    store
        .record_reported(run, &listed, &settings.clock.now_rfc3339())
        .await?;
    let units: BTreeSet<String> = doc
        .targets
        .iter()
        .flat_map(|t| t.findings.iter().map(move |f| (t, f)))
        .map(|(t, f)| settings.seeds.seeds.finding_unit(t, f).to_string())
        .collect();
    for unit in units {
        store.set_deadline(&unit, deadline).await?;
    }
    Ok(())
}

/// 上季度通报问题整改情况: what became of the problems the newest 通报 of an earlier quarter than
/// the settings' time point listed, unit by unit; `None` when there was none.
pub async fn previous(settings: &Settings, store: &Store) -> Result<Option<Previous>> {
    let start = Quarter::of(settings.as_of).first_day().to_string();
    let Some((run, as_of, issued_at)) = store.previous_report(&start).await? else {
        return Ok(None);
    };
    let mut units: BTreeMap<String, PreviousUnit> = BTreeMap::new();
    let mut found_again = 0;
    for p in store.reported_problems(run).await? {
        let log = store.problem_events(p.id).await?;
        let after = |a: &[Action]| {
            log.iter()
                .any(|e| e.at >= issued_at && a.contains(&e.action))
        };
        let u = units.entry(p.unit.clone()).or_insert_with(|| PreviousUnit {
            unit: p.unit.clone(),
            ..Default::default()
        });
        u.listed += 1;
        u.closed += usize::from(p.state == ProblemState::Closed);
        u.false_positive += usize::from(p.state == ProblemState::FalsePositive);
        u.reported_back |= after(&[Action::ReportFixed, Action::Dispute]);
        found_again += usize::from(after(&[Action::FoundAgain]));
    }
    let seeds = &settings.seeds.seeds;
    let rank = |id: &str| {
        seeds
            .units
            .iter()
            .position(|u| u.id == id)
            .unwrap_or(usize::MAX)
    };
    let mut units: Vec<PreviousUnit> = units.into_values().collect();
    units.sort_by_key(|u| rank(&u.unit));
    Ok(Some(Previous {
        as_of,
        units,
        found_again,
    }))
}

/// Where every tracked problem stands and what was done to it, for the reports.
pub async fn problem_states(store: &Store) -> Result<ProblemStates> {
    let mut events = store.all_problem_events().await?;
    let mut out = ProblemStates::default();
    for p in store.problems(None).await? {
        let history = events
            .remove(&p.id)
            .unwrap_or_default()
            .iter()
            .filter(|e| e.action != Action::Found)
            .map(history_line)
            .collect();
        out.0.insert(
            p.key,
            Tracking {
                state: p.state,
                first_seen: p.first_seen,
                history,
            },
        );
    }
    Ok(out)
}

/// One line of a problem's history as a notice prints it: the China date, the act, the note.
fn history_line(e: &xunjian_store::ProblemEvent) -> String {
    let day =
        xunjian_model::clock::china_date_of(&e.at).map_or_else(|| e.at.clone(), |d| d.to_string());
    match &e.note {
        Some(note) => format!("{day} {}：{note}", e.action.label_zh()),
        None => format!("{day} {}", e.action.label_zh()),
    }
}
