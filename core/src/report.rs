//! The report stage: the stored judgement of a run, formatted into findings.json, the 通报 and the
//! notices. Nothing is judged here and no raw observation is read back.

use std::path::Path;

use xunjian_analyzer::calendar::WorkCalendar;
use xunjian_model::seeds::DEFAULT_DEADLINE_WORKDAYS;
use xunjian_model::{Finding, FindingsDoc};
use xunjian_reports::{LinkSources, Previous, ProblemStates, ReportOptions, Written};
use xunjian_store::Store;

use crate::analyze::stored_doc;
use crate::error::{CoreError, Result};
use crate::remedy;
use crate::settings::Settings;

/// Every page carrying each broken link of a run whose finding names only its first pages (a
/// footer link), read back from the store for the 附件 CSV.
pub async fn link_sources(store: &Store, run: i64, doc: &FindingsDoc) -> Result<LinkSources> {
    let mut out = LinkSources::default();
    for t in &doc.targets {
        let cut: Vec<String> = t
            .findings
            .iter()
            .filter_map(|f| match f {
                Finding::LinkBroken {
                    url,
                    sources,
                    source_count,
                    ..
                } if *source_count > sources.len() => Some(url.clone()),
                _ => None,
            })
            .collect();
        if cut.is_empty() {
            continue;
        }
        for (target, page) in store.link_sources(run, &t.id, &cut).await? {
            out.0.entry((t.id.clone(), target)).or_default().push(page);
        }
    }
    Ok(out)
}

/// The dates the documents carry: issued on the settings' date of issue, which may not precede
/// anything the findings say was seen (a 通报 cannot report what was found after it was signed),
/// and due the seeds' working days after it (default 10) by the bundled calendar.
pub fn report_dates(doc: &FindingsDoc, settings: &Settings) -> Result<ReportOptions> {
    let issued = settings.issue_date();
    let last_seen = doc
        .targets
        .iter()
        .flat_map(|t| &t.findings)
        .filter_map(|f| f.seen())
        .filter_map(xunjian_model::clock::china_date_of)
        .max();
    if let Some(seen) = last_seen.filter(|seen| *seen > issued) {
        return Err(CoreError::BadInput(format!(
            "--issued {issued}: the findings were seen as late as {seen}; the date of issue cannot precede them"
        )));
    }
    let days = settings
        .seeds
        .seeds
        .district
        .deadline_workdays
        .unwrap_or(DEFAULT_DEADLINE_WORKDAYS);
    let calendar = WorkCalendar::bundled().map_err(|e| CoreError::Bundled(e.to_string()))?;
    let deadline = match calendar.add_workdays(issued, days) {
        Ok(d) => d,
        Err(e) => {
            // An administrative date, not a judgement: past the bundled calendar the days are
            // counted Monday to Friday, and the operator is told to add the next year's notice.
            tracing::warn!(
                "{e}: the deadline counts {days} weekdays (Monday to Friday) after {issued};                  add the next year's holiday notice to the calendar"
            );
            weekdays_after(issued, days)
        }
    };
    Ok(ReportOptions {
        issued,
        deadline,
        states: Default::default(),
        previous: None,
    })
}

/// The `n`-th Monday-to-Friday after `date`.
fn weekdays_after(date: chrono::NaiveDate, n: u32) -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut d = date;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if d.weekday().number_from_monday() <= 5 {
            left -= 1;
        }
    }
    d
}

/// Write every report of a findings document into `out`; `sources` completes the source pages of
/// broken links that findings.json cuts short, `states` says where each problem stands, and
/// `previous` what became of the previous quarter's problems.
pub fn write_reports(
    out: &Path,
    doc: &FindingsDoc,
    settings: &Settings,
    sources: &LinkSources,
    states: ProblemStates,
    previous: Option<Previous>,
) -> Result<Written> {
    let opts = ReportOptions {
        states,
        previous,
        ..report_dates(doc, settings)?
    };
    Ok(xunjian_reports::write_all(
        out,
        doc,
        &settings.seeds.seeds,
        &opts,
        sources,
    )?)
}

/// Write the reports of an analyzed run from its stored judgement, and mark the run reported.
pub async fn report(settings: &Settings, store: &Store, run: i64, out: &Path) -> Result<Written> {
    let mut doc = stored_doc(settings, store, run).await?;
    if remedy::decided_since(&doc, &store.dismissals().await?) {
        tracing::info!(
            run,
            "误报 decided since the run was judged: judging it again"
        );
        doc = crate::analyze::analyze(settings, store, run).await?;
    }
    let states = remedy::problem_states(store).await?;
    let sources = link_sources(store, run, &doc).await?;
    let previous = remedy::previous(settings, store).await?;
    let deadline = report_dates(&doc, settings)?.deadline.to_string();
    let written = write_reports(out, &doc, settings, &sources, states, previous)?;
    remedy::record_reported(settings, store, run, &doc, &deadline).await?;
    store
        .set_run_status(run, "reported", &settings.clock.now_rfc3339())
        .await?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::weekdays_after;

    #[test]
    fn weekdays_skip_saturday_and_sunday() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        // Friday 2027-01-01 + 1 weekday = Monday 2027-01-04; + 10 = Friday 2027-01-15.
        assert_eq!(weekdays_after(d("2027-01-01"), 1), d("2027-01-04"));
        assert_eq!(weekdays_after(d("2027-01-01"), 10), d("2027-01-15"));
        assert_eq!(weekdays_after(d("2027-01-01"), 0), d("2027-01-01"));
    }
}
