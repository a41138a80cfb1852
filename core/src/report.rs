//! The report stage: the stored judgement of a run, formatted into findings.json, the 通报 and the
//! notices. Nothing is judged here and no raw observation is read back.

use std::path::Path;

use xunjian_model::{Finding, FindingsDoc};
use xunjian_reports::{LinkSources, ReportOptions, Written};
use xunjian_store::Store;

use crate::analyze::stored_doc;
use crate::error::Result;
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

/// Write every report of a findings document into `out`; `sources` completes the source pages of
/// broken links that findings.json cuts short.
pub fn write_reports(
    out: &Path,
    doc: &FindingsDoc,
    settings: &Settings,
    sources: &LinkSources,
) -> Result<Written> {
    let opts = ReportOptions {
        deadline_days: 10,
        issued: settings.as_of,
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
    let doc = stored_doc(settings, store, run).await?;
    let sources = link_sources(store, run, &doc).await?;
    let written = write_reports(out, &doc, settings, &sources)?;
    store
        .set_run_status(run, "reported", &settings.clock.now_rfc3339())
        .await?;
    Ok(written)
}
