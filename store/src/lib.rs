//! Persistence of inspection runs: fetches, pages, links, list items, posts, probes, verdicts, findings.
//!
//! One code path serves SQLite (the embedded default, a file in WAL mode) and PostgreSQL (for several
//! machines), through sqlx's `Any` driver; only the migrations differ in dialect. Every write of the
//! crawler goes through [`Store::write`] in one transaction, and every row has a natural primary key
//! inserted with `ON CONFLICT DO NOTHING`: a crawl killed half-way leaves whole pages or nothing, and a
//! resumed crawl never duplicates a row.

mod alerts;
mod ids;
mod manual;
mod prune;
mod read;
mod remedy;
mod rows;
mod service;
mod users;
mod write;

use std::str::FromStr;
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Row};
use xunjian_model::observe::{CrawlLimit, ProbeRecord};
use xunjian_model::TargetReport;

pub use prune::Pruned;
pub use read::StoredLink;
pub use remedy::{
    EvidenceRow, NewEvidence, Problem, ProblemEvent, Refused, Sighting, Tracked, XUNJIAN,
};
pub use rows::StoredFetch;
pub use service::{JobMark, TargetHistory, VerdictCounts};
pub use users::{Session, User};

impl StoreError {
    /// Whether the database refused a write because its disk is full (SQLite's `SQLITE_FULL`,
    /// PostgreSQL's `disk_full`): the operator's to fix, and nothing was half-written.
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(e)) => {
                matches!(e.code().as_deref(), Some("13") | Some("53100"))
            }
            _ => false,
        }
    }
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database said no.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored JSON column did not decode.
    #[error("stored data: {0}")]
    Json(#[from] serde_json::Error),
    /// A stored value is not one the code knows (a state, an action, a role).
    #[error("stored data: unknown {0}")]
    Corrupt(String),
    /// The database URL is neither sqlite: nor postgres:.
    #[error("unsupported database URL `{0}` (use sqlite://FILE or postgres://…)")]
    Url(String),
    /// A task reading the store in parallel failed.
    #[error("a store task failed: {0}")]
    Task(String),
    /// A run id that does not exist.
    #[error("no run {0} in the database")]
    NoRun(i64),
    /// A string's id was inserted but could not be read back.
    #[error("the id of `{0}` could not be read back")]
    Lost(String),
    /// A writer panicked while holding the id cache.
    #[error("the id cache was poisoned by a panicked writer")]
    Poisoned,
    /// The SQLite file to read does not exist (it is never created by a command that only reads).
    #[error("no database at {0} (nothing has been crawled into it)")]
    Missing(String),
    /// The database server did not answer in time.
    #[error("cannot connect to the database within {secs} s: {detail}")]
    Unreachable {
        /// Seconds waited.
        secs: u64,
        /// What the connection attempt said.
        detail: String,
    },
}

/// How long opening a database may take before it is reported unreachable.
pub const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// An inspection run: one crawl of one seeds file at one as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The run's id.
    pub id: i64,
    /// The seeds file it inspects.
    pub seeds_path: String,
    /// SHA-256 of the seeds file's text.
    pub seeds_hash: String,
    /// The inspection time point.
    pub as_of: String,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// `crawling`, `crawled`, `analyzed` or `reported`.
    pub status: String,
}

/// The persistent store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    ids: Arc<ids::IdCache>,
}

/// The file of a `sqlite:` URL (`sqlite://x.db?mode=…` → `x.db`).
fn sqlite_path(url: &str) -> &str {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or(rest)
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Open (creating if needed) the database at `url` and bring its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, true).await
    }

    /// Open the database at `url`, which must exist already: for the commands that only read a
    /// stored run (`analyze`, `report`), which must not leave an empty database behind a typo.
    pub async fn open_existing(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, false).await
    }

    async fn open_with(url: &str, create: bool) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Url(url.to_string()));
        };
        if backend == Backend::Sqlite && !create {
            let path = sqlite_path(url);
            if path != ":memory:" && !std::path::Path::new(path).exists() {
                return Err(StoreError::Missing(path.to_string()));
            }
        }
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode={}", if create { "rwc" } else { "rw" })
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(CONNECT_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| match e {
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => StoreError::Unreachable {
                    secs: CONNECT_TIMEOUT.as_secs(),
                    detail: e.to_string(),
                },
                e => StoreError::Db(e),
            })?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
        } else {
            POSTGRES_MIGRATIONS.run(&pool).await?;
        }
        Ok(Store {
            pool,
            backend,
            ids: Arc::default(),
        })
    }

    /// Let go of the ids and strings remembered while writing a crawl (a district's URLs): the
    /// stages after the crawl do not need them.
    pub fn release_caches(&self) {
        self.ids.clear();
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What the database's own check finds wrong (empty: nothing): SQLite's `PRAGMA
    /// integrity_check` of every page and index; for PostgreSQL, which checks its pages itself as
    /// it reads them, that every table of the schema can be read through.
    pub async fn integrity(&self) -> Result<Vec<String>, StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().filter(|r| r != "ok").collect())
            }
            Backend::Postgres => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
                )
                .fetch_all(&self.pool)
                .await?;
                for t in tables {
                    sqlx::query(&format!("SELECT COUNT(*) FROM \"{t}\""))
                        .fetch_one(&self.pool)
                        .await?;
                }
                Ok(Vec::new())
            }
        }
    }

    /// Start a new run.
    pub async fn create_run(
        &self,
        seeds_path: &str,
        seeds_hash: &str,
        as_of: &str,
        started_at: &str,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query(
            "INSERT INTO runs (seeds_path, seeds_hash, as_of, started_at, status) \
             VALUES ($1, $2, $3, $4, 'crawling') RETURNING id",
        )
        .bind(seeds_path)
        .bind(seeds_hash)
        .bind(as_of)
        .bind(started_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>(0)?)
    }

    /// The newest run still crawling for these seeds and this as-of date, to resume.
    pub async fn resumable_run(
        &self,
        seeds_hash: &str,
        as_of: &str,
    ) -> Result<Option<RunInfo>, StoreError> {
        let row = sqlx::query(
            "SELECT id, seeds_path, seeds_hash, as_of, started_at, status FROM runs \
             WHERE seeds_hash = $1 AND as_of = $2 AND status = 'crawling' ORDER BY id DESC LIMIT 1",
        )
        .bind(seeds_hash)
        .bind(as_of)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| rows::run_info(&r)).transpose()
    }

    /// A run by id, or the newest run when `id` is `None`.
    pub async fn run(&self, id: Option<i64>) -> Result<Option<RunInfo>, StoreError> {
        let row = match id {
            Some(id) => {
                sqlx::query(
                    "SELECT id, seeds_path, seeds_hash, as_of, started_at, status FROM runs WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT id, seeds_path, seeds_hash, as_of, started_at, status FROM runs \
                     ORDER BY id DESC LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?
            }
        };
        row.map(|r| rows::run_info(&r)).transpose()
    }

    /// Move a run to a new status (`crawled`, `analyzed`, `reported`).
    pub async fn set_run_status(&self, run: i64, status: &str, at: &str) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE runs SET status = $1, finished_at = $2 WHERE id = $3")
            .bind(status)
            .bind(at)
            .bind(run)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NoRun(run));
        }
        Ok(())
    }

    /// Record why an analyzed run cannot be signed (`None`: it can).
    pub async fn set_run_degraded(&self, run: i64, reason: Option<&str>) -> Result<(), StoreError> {
        sqlx::query("UPDATE runs SET degraded = $1 WHERE id = $2")
            .bind(reason)
            .bind(run)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Why an analyzed run cannot be signed, as its analysis recorded.
    pub async fn run_degraded(&self, run: i64) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT degraded FROM runs WHERE id = $1")
            .bind(run)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NoRun(run))?;
        Ok(row.try_get(0)?)
    }

    /// `Some(complete)` once a site's crawl in a run ended (`Some(false)`: cut short), else `None`.
    pub async fn site_done(&self, run: i64, site: &str) -> Result<Option<bool>, StoreError> {
        let done = sqlx::query("SELECT complete FROM targets WHERE run_id = $1 AND target_id = $2")
            .bind(run)
            .bind(site)
            .fetch_optional(&self.pool)
            .await?;
        Ok(done
            .map(|r| r.try_get::<i64, _>(0).map(|c| c != 0))
            .transpose()?)
    }

    /// The limit that cut a site's crawl in a run short, when one did and was recorded.
    pub async fn site_cut_by(
        &self,
        run: i64,
        site: &str,
    ) -> Result<Option<CrawlLimit>, StoreError> {
        let row = sqlx::query("SELECT cut_by FROM targets WHERE run_id = $1 AND target_id = $2")
            .bind(run)
            .bind(site)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let cut: Option<String> = row.try_get(0)?;
        Ok(cut.as_deref().and_then(CrawlLimit::parse))
    }

    /// Probes of a site with `from <= probed_at < to` (RFC 3339 strings compare in time order).
    pub async fn probes(
        &self,
        site: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<ProbeRecord>, StoreError> {
        let mut out = Vec::new();
        for r in sqlx::query(
            "SELECT site_id, url, probed_at, ok, elapsed_ms, reason FROM probes \
             WHERE site_id = $1 AND probed_at >= $2 AND probed_at < $3 ORDER BY probed_at",
        )
        .bind(site)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?
        {
            out.push(rows::probe(&r)?);
        }
        Ok(out)
    }

    /// Replace a run's verdicts and findings with these, in one transaction.
    pub async fn save_reports(&self, run: i64, reports: &[TargetReport]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM findings WHERE run_id = $1")
            .bind(run)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM verdicts WHERE run_id = $1")
            .bind(run)
            .execute(&mut *tx)
            .await?;
        for (pos, report) in reports.iter().enumerate() {
            let mut head = report.clone();
            head.findings.clear();
            sqlx::query(
                "INSERT INTO verdicts (run_id, target_id, position, verdict, report) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(run)
            .bind(report.id.clone())
            .bind(pos as i64)
            .bind(report.verdict.as_str())
            .bind(serde_json::to_string(&head)?)
            .execute(&mut *tx)
            .await?;
            for (i, f) in report.findings.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO findings (run_id, target_id, position, rule, object, body) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(run)
                .bind(report.id.clone())
                .bind(i as i64)
                .bind(f.rule())
                .bind(f.object())
                .bind(serde_json::to_string(f)?)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A run's verdicts and findings, in the order they were saved.
    pub async fn load_reports(&self, run: i64) -> Result<Vec<TargetReport>, StoreError> {
        let mut out: Vec<TargetReport> = Vec::new();
        for r in sqlx::query("SELECT report FROM verdicts WHERE run_id = $1 ORDER BY position")
            .bind(run)
            .fetch_all(&self.pool)
            .await?
        {
            let text: String = r.try_get(0)?;
            out.push(serde_json::from_str(&text)?);
        }
        for r in sqlx::query(
            "SELECT target_id, body FROM findings WHERE run_id = $1 ORDER BY target_id, position",
        )
        .bind(run)
        .fetch_all(&self.pool)
        .await?
        {
            let target: String = r.try_get(0)?;
            let body: String = r.try_get(1)?;
            if let Some(t) = out.iter_mut().find(|t| t.id == target) {
                t.findings.push(serde_json::from_str(&body)?);
            }
        }
        Ok(out)
    }

    /// Close the pool, flushing the SQLite WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests;
