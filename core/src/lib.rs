//! The inspection pipeline as a library: seeds → crawler → store → analyzer → store → reports.
//!
//! The command line, the scheduler and the web server are thin callers of these functions. Each
//! stage takes one [`Settings`] value, built once from the arguments and the seeds, and the
//! [`Store`]; the clock comes in through the settings, so a test can fix time. A stage that fails
//! says why in a [`CoreError`], and bad input is told apart from everything else.

pub mod accounts;
pub mod alerts;
mod analyze;
mod availability;
mod crawl;
mod error;
pub mod evidence;
pub mod manual;
mod probe;
mod recheck;
pub mod remedy;
mod report;
mod retention;
mod saved;
pub mod settings;

use std::path::Path;

pub use analyze::{analyze, findings_doc, stored_doc};
pub use availability::availability;
pub use crawl::{crawl, fetch_config, CrawlOutcome};
pub use error::{CoreError, Result};
pub use probe::{probe, ProbeRound};
pub use recheck::{recheck, Rechecked};
pub use report::{link_sources, report, write_reports};
pub use retention::prune;
pub use saved::read_saved_answer;
pub use settings::{
    district_rules, load_rules, load_seeds, parse_as_of, parse_day, LoadedSeeds, Settings,
};
pub use xunjian_crawler::progress::{Counts, Progress};
pub use xunjian_reports::Written;
pub use xunjian_store::Store;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DB: &str = "sqlite://xunjian.db";

/// Open the store at `url` (default [`DEFAULT_DB`]), creating it if needed; a URL of no known
/// database is bad input.
pub async fn open_store(url: Option<&str>) -> Result<Store> {
    let url = url.unwrap_or(DEFAULT_DB);
    Store::open(url).await.map_err(|e| store_error(url, e))
}

/// Open the store at `url` (default [`DEFAULT_DB`]), which must exist: a missing SQLite file is
/// bad input, never created by a command that only reads.
pub async fn open_existing_store(url: Option<&str>) -> Result<Store> {
    let url = url.unwrap_or(DEFAULT_DB);
    Store::open_existing(url)
        .await
        .map_err(|e| store_error(url, e))
}

fn store_error(url: &str, e: xunjian_store::StoreError) -> CoreError {
    use xunjian_store::StoreError::{Missing, Url};
    match e {
        Url(_) | Missing(_) => CoreError::BadInput(format!("--db: {e}")),
        full if full.is_disk_full() => CoreError::DiskFull(full),
        source => CoreError::Store {
            url: url.to_string(),
            source,
        },
    }
}

/// Check before any work that reports can be written into `out`, without creating anything: it is
/// a directory one can write into, or it does not exist yet and its nearest existing ancestor is.
/// A bad `--out` is bad input.
pub fn check_out_dir(out: &Path) -> Result<()> {
    let bad = |why: String| CoreError::BadInput(format!("--out {}: {why}", out.display()));
    if out.exists() && !out.is_dir() {
        return Err(bad("is a file, not a directory".into()));
    }
    let existing = out
        .ancestors()
        .find(|a| a.as_os_str().is_empty() || a.exists())
        .map(|a| {
            if a.as_os_str().is_empty() {
                Path::new(".")
            } else {
                a
            }
        })
        .unwrap_or(Path::new("."));
    if !existing.is_dir() {
        return Err(bad(format!("{} is not a directory", existing.display())));
    }
    let probe = existing.join(format!(".xunjian-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .map_err(|e| bad(format!("cannot write into {}: {e}", existing.display())))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// One whole inspection: crawl, analyze, and write the reports into `out` from the stored
/// judgement (the same path as `xunjian report`). A date of issue before today is bad input.
pub async fn inspect(settings: &Settings, store: &Store, out: &Path) -> Result<Written> {
    // What this inspection finds is seen today: an earlier date of issue is refused before work.
    let (issued, today) = (settings.issue_date(), settings::today(&settings.clock));
    if issued < today {
        return Err(CoreError::BadInput(format!(
            "--issued {issued}: before today ({today}), when this inspection sees what it reports"
        )));
    }
    let run = crawl(settings, store).await?.run;
    release_freed_memory();
    analyze(settings, store, run).await?;
    release_freed_memory();
    evidence::capture_new(settings, store).await?;
    report(settings, store, run, out).await
}

/// Hand the allocator's free memory back to the system between the stages of one process. glibc
/// keeps what a stage freed in the arenas of the threads that freed it, and the next stage, run on
/// other threads, adds its own on top: an `inspect` of 100,000 pages peaked at the crawl's and the
/// analysis' peaks together.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers; it only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
