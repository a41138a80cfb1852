//! The newest judgement, read from the store once and shared by every page until it changes.
//!
//! A district of a thousand sites stores a judgement of many megabytes; parsing it again for each
//! page view cost most of a page's time. The dashboard asks the store which run is the newest
//! judged one (one small query) and re-reads the judgement only when that run, its status, or the
//! jobs the service finished since have changed.

use std::sync::Arc;

use tokio::sync::Mutex;
use xunjian_core::Store;
use xunjian_model::TargetReport;
use xunjian_store::RunInfo;

use crate::board::Board;

/// The newest judged run and its targets' judgements, in the order they were saved.
#[derive(Debug, Clone)]
pub(crate) struct Judged {
    /// The run.
    pub run: RunInfo,
    /// Its judgements.
    pub reports: Arc<Vec<TargetReport>>,
}

impl Judged {
    /// The judgement of target `id`.
    pub fn target(&self, id: &str) -> Option<&TargetReport> {
        self.reports.iter().find(|t| t.id == id)
    }
}

/// When a judgement read is still the newest: the run, its status, and the jobs finished.
type Key = (i64, String, u64);

/// What was read last, and under which key.
#[derive(Debug, Default)]
pub(crate) struct JudgedCache {
    kept: Mutex<Option<(Key, Judged)>>,
}

impl JudgedCache {
    /// The newest judgement, from memory when nothing changed; `None` before the first.
    pub async fn newest(
        &self,
        store: &Store,
        board: &Board,
    ) -> Result<Option<Judged>, xunjian_store::StoreError> {
        let Some(run) = store.newest_judged_run().await? else {
            return Ok(None);
        };
        let key = (run.id, run.status.clone(), board.generation());
        let mut kept = self.kept.lock().await;
        if let Some((k, judged)) = kept.as_ref() {
            if *k == key {
                return Ok(Some(judged.clone()));
            }
        }
        let reports = Arc::new(store.load_reports(run.id).await?);
        let judged = Judged { run, reports };
        *kept = Some((key, judged.clone()));
        Ok(Some(judged))
    }
}
