//! Persistence of inspection runs: fetches, pages, links, list items, posts, probes, verdicts, findings.
//!
//! One code path serves SQLite (the embedded default, a file in WAL mode) and PostgreSQL (for several
//! machines), through sqlx's `Any` driver; only the migrations differ in dialect. Every write of the
//! crawler goes through [`Store::write`] in one transaction, and every row has a natural primary key
//! inserted with `ON CONFLICT DO NOTHING`: a crawl killed half-way leaves whole pages or nothing, and a
//! resumed crawl never duplicates a row.

mod rows;

use std::collections::{BTreeMap, HashSet};
use std::str::FromStr;

use rows::Value;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Row};
use xunjian_model::observe::{
    FetchRecord, Link, Observation, PageFacts, PageRecord, Post, ProbeRecord, Purpose, SiteRecords,
};
use xunjian_model::TargetReport;

pub use rows::StoredFetch;

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
    /// The database URL is neither sqlite: nor postgres:.
    #[error("unsupported database URL `{0}` (use sqlite://FILE or postgres://…)")]
    Url(String),
    /// A run id that does not exist.
    #[error("no run {0} in the database")]
    NoRun(i64),
}

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
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Open (creating if needed) the database at `url` and bring its schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Url(url.to_string()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 1 } else { 8 })
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
            .await?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
        } else {
            POSTGRES_MIGRATIONS.run(&pool).await?;
        }
        Ok(Store { pool, backend })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
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

    /// Persist a batch of observations in one transaction: all of them, or none.
    pub async fn write(&self, run: i64, batch: &[Observation]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut fetches: Vec<(&str, u32, Purpose, &FetchRecord)> = Vec::new();
        let mut pages: Vec<(&str, &str, String)> = Vec::new();
        let mut links: Vec<(&str, &str, &Link)> = Vec::new();
        let mut items: Vec<(&str, &str, usize, &PageFacts)> = Vec::new();
        let mut posts: Vec<(&str, usize, &Post)> = Vec::new();
        let mut probes: Vec<&ProbeRecord> = Vec::new();
        let mut done: Vec<(&str, bool, u64)> = Vec::new();
        for obs in batch {
            match obs {
                Observation::Fetched {
                    target,
                    depth,
                    purpose,
                    fetch,
                    facts,
                    links: page_links,
                } => {
                    fetches.push((target, *depth, *purpose, fetch));
                    if let Some(facts) = facts {
                        let mut stored = facts.clone();
                        stored.items.clear();
                        pages.push((target, &fetch.url, serde_json::to_string(&stored)?));
                        for i in 0..facts.items.len() {
                            items.push((target, &fetch.url, i, facts));
                        }
                    }
                    links.extend(
                        page_links
                            .iter()
                            .map(|l| (target.as_str(), fetch.url.as_str(), l)),
                    );
                }
                Observation::Feed {
                    account,
                    fetch,
                    posts: feed_posts,
                } => {
                    fetches.push((account, 0, Purpose::Feed, fetch));
                    posts.extend(
                        feed_posts
                            .iter()
                            .enumerate()
                            .map(|(i, p)| (account.as_str(), i, p)),
                    );
                }
                Observation::Probe(p) => probes.push(p),
                Observation::TargetDone {
                    target,
                    complete,
                    pages: n,
                } => done.push((target, *complete, *n)),
            }
        }
        let values: Vec<Vec<Value>> = fetches
            .iter()
            .map(|(target, depth, purpose, f)| {
                vec![
                    Value::from(run),
                    Value::from(target.to_string()),
                    Value::from(purpose.as_str()),
                    Value::from(f.url.clone()),
                    Value::from(f.final_url.clone()),
                    Value::from(serde_json::to_string(&f.redirects).unwrap_or_default()),
                    Value::from(f.status.map(i64::from)),
                    Value::from(f.error.map(|e| e.as_str())),
                    Value::from(f.blocked.map(rows::block_name)),
                    Value::from(f.elapsed_ms as i64),
                    Value::from(i64::from(f.attempts)),
                    Value::from(f.bytes as i64),
                    Value::from(f.content_type.clone()),
                    Value::from(f.charset.clone()),
                    Value::from(f.content_hash.clone()),
                    Value::from(f.fetched_at.clone()),
                    Value::from(i64::from(*depth)),
                ]
            })
            .collect();
        rows::insert(&mut tx, self.backend, "INSERT INTO fetches (run_id, target_id, purpose, url, final_url, redirects, status, error, blocked, elapsed_ms, attempts, bytes, content_type, charset, content_hash, fetched_at, depth) ", values).await?;
        let values: Vec<Vec<Value>> = pages
            .iter()
            .map(|(target, url, facts)| {
                vec![
                    Value::from(run),
                    Value::from(target.to_string()),
                    Value::from(url.to_string()),
                    Value::from(facts.clone()),
                ]
            })
            .collect();
        rows::insert(
            &mut tx,
            self.backend,
            "INSERT INTO pages (run_id, target_id, url, facts) ",
            values,
        )
        .await?;
        let values: Vec<Vec<Value>> = links
            .iter()
            .map(|(target, source, l)| {
                vec![
                    Value::from(run),
                    Value::from(target.to_string()),
                    Value::from(source.to_string()),
                    Value::from(l.target.clone()),
                    Value::from(l.element.as_str()),
                    Value::from(l.anchor.clone()),
                    Value::from(i64::from(l.nav)),
                ]
            })
            .collect();
        rows::insert(
            &mut tx,
            self.backend,
            "INSERT INTO links (run_id, target_id, source, target, element, anchor, nav) ",
            values,
        )
        .await?;
        let values: Vec<Vec<Value>> = items
            .iter()
            .map(|(target, page, i, facts)| {
                let item = &facts.items[*i];
                vec![
                    Value::from(run),
                    Value::from(target.to_string()),
                    Value::from(page.to_string()),
                    Value::from(*i as i64),
                    Value::from(facts.column_name.clone()),
                    Value::from(item.title.clone()),
                    Value::from(item.url.clone()),
                    Value::from(item.date.map(|d| d.to_string())),
                    Value::from(rows::date_source_name(item.date_source)),
                    Value::from(item.reply.map(rows::reply_name)),
                    Value::from(item.reply.and_then(|r| r.date).map(|d| d.to_string())),
                ]
            })
            .collect();
        rows::insert(&mut tx, self.backend, "INSERT INTO list_items (run_id, target_id, page_url, position, column_name, title, url, date, date_source, reply, reply_date) ", values).await?;
        let values: Vec<Vec<Value>> = posts
            .iter()
            .map(|(account, i, p)| {
                vec![
                    Value::from(run),
                    Value::from(account.to_string()),
                    Value::from(*i as i64),
                    Value::from(p.title.clone()),
                    Value::from(p.url.clone()),
                    Value::from(p.date.map(|d| d.to_string())),
                ]
            })
            .collect();
        rows::insert(
            &mut tx,
            self.backend,
            "INSERT INTO posts (run_id, account_id, position, title, url, date) ",
            values,
        )
        .await?;
        for p in probes {
            sqlx::query(
                "INSERT INTO probes (site_id, url, probed_at, ok, elapsed_ms, reason) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(p.site.clone())
            .bind(p.url.clone())
            .bind(p.probed_at.clone())
            .bind(i64::from(p.ok))
            .bind(p.elapsed_ms as i64)
            .bind(p.reason.clone())
            .execute(&mut *tx)
            .await?;
        }
        for (target, complete, n) in done {
            sqlx::query(
                "INSERT INTO targets (run_id, target_id, kind, complete, pages, done_at) \
                 VALUES ($1, $2, 'site', $3, $4, '') ON CONFLICT DO NOTHING",
            )
            .bind(run)
            .bind(target.to_string())
            .bind(i64::from(complete))
            .bind(n as i64)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Everything stored about one site in one run.
    pub async fn site_records(&self, run: i64, site: &str) -> Result<SiteRecords, StoreError> {
        let mut out = SiteRecords::default();
        let fetch_rows = sqlx::query(&format!(
            "SELECT {} FROM fetches WHERE run_id = $1 AND target_id = $2",
            rows::FETCH_COLUMNS
        ))
        .bind(run)
        .bind(site)
        .fetch_all(&self.pool)
        .await?;
        let mut facts: BTreeMap<String, PageFacts> = BTreeMap::new();
        for r in sqlx::query("SELECT url, facts FROM pages WHERE run_id = $1 AND target_id = $2")
            .bind(run)
            .bind(site)
            .fetch_all(&self.pool)
            .await?
        {
            let url: String = r.try_get(0)?;
            let text: String = r.try_get(1)?;
            facts.insert(url, serde_json::from_str(&text)?);
        }
        for r in sqlx::query(
            "SELECT page_url, title, url, date, date_source, reply, reply_date FROM list_items \
             WHERE run_id = $1 AND target_id = $2 ORDER BY page_url, position",
        )
        .bind(run)
        .bind(site)
        .fetch_all(&self.pool)
        .await?
        {
            let page: String = r.try_get(0)?;
            if let Some(f) = facts.get_mut(&page) {
                f.items.push(rows::list_item(&r)?);
            }
        }
        let mut links: BTreeMap<String, Vec<Link>> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT source, target, element, anchor, nav FROM links WHERE run_id = $1 AND target_id = $2",
        )
        .bind(run)
        .bind(site)
        .fetch_all(&self.pool)
        .await?
        {
            let (source, link) = rows::link(&r)?;
            links.entry(source).or_default().push(link);
        }
        for r in fetch_rows {
            let stored = rows::fetch(&r)?;
            let url = stored.record.url.clone();
            match stored.purpose {
                Purpose::Page | Purpose::NotFoundProbe => {
                    let page = PageRecord {
                        fetch: stored.record,
                        depth: stored.depth,
                        facts: facts.remove(&url),
                        links: links.remove(&url).unwrap_or_default(),
                    };
                    if stored.purpose == Purpose::Page {
                        out.pages.insert(url, page);
                    } else {
                        out.probe404 = Some(page);
                    }
                }
                Purpose::Check => {
                    out.checks.insert(url, stored.record);
                }
                Purpose::Feed => {}
            }
        }
        out.done = self.site_done(run, site).await?;
        Ok(out)
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

    /// Every URL checked in a run (outside links are checked once per run, whichever site asked).
    pub async fn run_checks(&self, run: i64) -> Result<BTreeMap<String, FetchRecord>, StoreError> {
        let mut out = BTreeMap::new();
        for r in sqlx::query(&format!(
            "SELECT {} FROM fetches WHERE run_id = $1 AND purpose = 'check'",
            rows::FETCH_COLUMNS
        ))
        .bind(run)
        .fetch_all(&self.pool)
        .await?
        {
            let stored = rows::fetch(&r)?;
            out.insert(stored.record.url.clone(), stored.record);
        }
        Ok(out)
    }

    /// The feed fetch and posts of an account in a run.
    pub async fn account_records(
        &self,
        run: i64,
        account: &str,
    ) -> Result<Option<(FetchRecord, Vec<Post>)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {} FROM fetches WHERE run_id = $1 AND target_id = $2 AND purpose = 'feed'",
            rows::FETCH_COLUMNS
        ))
        .bind(run)
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let fetch = rows::fetch(&row)?.record;
        let mut posts = Vec::new();
        for r in sqlx::query(
            "SELECT title, url, date FROM posts WHERE run_id = $1 AND account_id = $2 ORDER BY position",
        )
        .bind(run)
        .bind(account)
        .fetch_all(&self.pool)
        .await?
        {
            posts.push(rows::post(&r)?);
        }
        Ok(Some((fetch, posts)))
    }

    /// URLs of a site already fetched in a run (pages and checks), for resuming a crawl.
    pub async fn fetched_urls(&self, run: i64, site: &str) -> Result<HashSet<String>, StoreError> {
        let mut out = HashSet::new();
        for r in sqlx::query("SELECT url FROM fetches WHERE run_id = $1 AND target_id = $2")
            .bind(run)
            .bind(site)
            .fetch_all(&self.pool)
            .await?
        {
            out.insert(r.try_get::<String, _>(0)?);
        }
        Ok(out)
    }

    /// When xunjian first saw each list item and each page of a site, over all runs up to and
    /// including `run`: URL → earliest `fetched_at` (RFC 3339). Items are keyed by their URL and
    /// dated by the first fetch of a page that listed them.
    pub async fn first_seen(
        &self,
        run: i64,
        site: &str,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT li.url, MIN(f.fetched_at) FROM list_items li JOIN fetches f \
             ON f.run_id = li.run_id AND f.target_id = li.target_id AND f.url = li.page_url \
             AND f.purpose = 'page' WHERE li.target_id = $1 AND li.run_id <= $2 GROUP BY li.url",
        )
        .bind(site)
        .bind(run)
        .fetch_all(&self.pool)
        .await?
        {
            out.insert(r.try_get(0)?, r.try_get(1)?);
        }
        for r in sqlx::query(
            "SELECT url, MIN(fetched_at) FROM fetches WHERE target_id = $1 AND run_id <= $2 \
             AND purpose = 'page' AND status >= 200 AND status < 300 GROUP BY url",
        )
        .bind(site)
        .bind(run)
        .fetch_all(&self.pool)
        .await?
        {
            let url: String = r.try_get(0)?;
            let at: String = r.try_get(1)?;
            out.entry(url)
                .and_modify(|e| {
                    if at < *e {
                        e.clone_from(&at);
                    }
                })
                .or_insert(at);
        }
        Ok(out)
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
            .bind(serde_json::to_value(report.verdict)?.as_str().unwrap_or("").to_string())
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
