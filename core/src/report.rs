//! The report stage: the stored judgement of a run, formatted into findings.json, the 通报 and the
//! notices. Nothing is judged here and no raw observation is read back.

use std::path::Path;

use xunjian_model::FindingsDoc;
use xunjian_reports::{ReportOptions, Written};
use xunjian_store::Store;

use crate::analyze::stored_doc;
use crate::error::Result;
use crate::settings::Settings;

/// Write every report of a findings document into `out`.
pub fn write_reports(out: &Path, doc: &FindingsDoc, settings: &Settings) -> Result<Written> {
    let opts = ReportOptions {
        deadline_days: 10,
        issued: settings.as_of,
    };
    Ok(xunjian_reports::write_all(
        out,
        doc,
        &settings.seeds.seeds,
        &opts,
    )?)
}

/// Write the reports of an analyzed run from its stored judgement, and mark the run reported.
pub async fn report(settings: &Settings, store: &Store, run: i64, out: &Path) -> Result<Written> {
    let doc = stored_doc(settings, store, run).await?;
    let written = write_reports(out, &doc, settings)?;
    store
        .set_run_status(run, "reported", &settings.clock.now_rfc3339())
        .await?;
    Ok(written)
}
