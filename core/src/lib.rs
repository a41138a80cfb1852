//! The inspection pipeline as a library: seeds → crawler → store → analyzer → store → reports.
//!
//! The command line, the scheduler and the web server are thin callers of these functions. Each
//! stage takes one [`Settings`] value, built once from the arguments and the seeds, and the
//! [`Store`]; the clock comes in through the settings, so a test can fix time. A stage that fails
//! says why in a [`CoreError`], and bad input is told apart from everything else.

mod analyze;
mod crawl;
mod error;
mod probe;
mod report;
pub mod settings;

use std::path::Path;

pub use analyze::{analyze, findings_doc, stored_doc};
pub use crawl::{crawl, fetch_config, CrawlOutcome};
pub use error::{CoreError, Result};
pub use probe::{probe, ProbeRound};
pub use report::{link_sources, report, write_reports};
pub use settings::{district_rules, load_rules, load_seeds, parse_as_of, LoadedSeeds, Settings};
pub use xunjian_reports::Written;
pub use xunjian_store::Store;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DB: &str = "sqlite://xunjian.db";

/// Open the store at `url` (default [`DEFAULT_DB`]); a URL of no known database is bad input.
pub async fn open_store(url: Option<&str>) -> Result<Store> {
    let url = url.unwrap_or(DEFAULT_DB);
    Store::open(url).await.map_err(|e| match e {
        xunjian_store::StoreError::Url(_) => CoreError::BadInput(format!("--db: {e}")),
        source => CoreError::Store {
            url: url.to_string(),
            source,
        },
    })
}

/// One whole inspection: crawl, analyze, and write the reports into `out` from the stored
/// judgement (the same path as `xunjian report`).
pub async fn inspect(settings: &Settings, store: &Store, out: &Path) -> Result<Written> {
    let run = crawl(settings, store).await?.run;
    analyze(settings, store, run).await?;
    report(settings, store, run, out).await
}
