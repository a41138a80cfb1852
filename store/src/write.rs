//! Writing a batch of observations: fetches by URL id, each parsed page as a shared version.

use std::collections::HashMap;

use sqlx::Row;
use xunjian_model::observe::{
    CrawlLimit, FetchRecord, Link, Observation, PageFacts, Post, ProbeRecord, Purpose,
};

use crate::ids::{self, ANCHORS, URLS};
use crate::rows::{self, Value};
use crate::{Store, StoreError};

/// A fetched page's parts, borrowed from the batch.
struct Fetched<'a> {
    target: &'a str,
    depth: u32,
    purpose: Purpose,
    fetch: &'a FetchRecord,
    facts: Option<&'a PageFacts>,
    links: &'a [Link],
    unchanged: Option<i64>,
}

/// The year a page was read in (the year its month-day list dates take), from `fetched_at`.
fn ref_year(fetched_at: &str) -> i64 {
    fetched_at
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(0)
}

impl Store {
    /// Persist a batch of observations in one transaction: all of them, or none.
    pub async fn write(&self, run: i64, batch: &[Observation]) -> Result<(), StoreError> {
        let mut fetched: Vec<Fetched> = Vec::new();
        let mut posts: Vec<(&str, &FetchRecord, &[Post])> = Vec::new();
        let mut probes: Vec<&ProbeRecord> = Vec::new();
        let mut done: Vec<(&str, bool, u64, Option<CrawlLimit>)> = Vec::new();
        for obs in batch {
            match obs {
                Observation::Fetched {
                    target,
                    depth,
                    purpose,
                    fetch,
                    facts,
                    links,
                    unchanged,
                } => fetched.push(Fetched {
                    target,
                    depth: *depth,
                    purpose: *purpose,
                    fetch,
                    facts: facts.as_ref(),
                    links,
                    unchanged: *unchanged,
                }),
                Observation::Feed {
                    account,
                    fetch,
                    posts: p,
                } => posts.push((account, fetch, p)),
                Observation::Probe(p) => probes.push(p),
                Observation::TargetDone {
                    target,
                    complete,
                    pages,
                    cut_by,
                } => done.push((target, *complete, *pages, *cut_by)),
            }
        }
        let mut tx = self.pool.begin().await?;
        let mut urls: Vec<&str> = Vec::new();
        let mut anchors: Vec<&str> = Vec::new();
        for f in &fetched {
            urls.extend([f.fetch.url.as_str(), f.fetch.final_url.as_str()]);
            urls.extend(f.links.iter().map(|l| l.target.as_str()));
            anchors.extend(f.links.iter().map(|l| l.anchor.as_str()));
            if let Some(facts) = f.facts {
                urls.extend(facts.items.iter().map(|i| i.url.as_str()));
            }
        }
        for (_, f, _) in &posts {
            urls.extend([f.url.as_str(), f.final_url.as_str()]);
        }
        let (url_ids, new_urls) = ids::ids(&mut tx, self.backend, &self.ids, URLS, &urls).await?;
        let (anchor_ids, new_anchors) =
            ids::ids(&mut tx, self.backend, &self.ids, ANCHORS, &anchors).await?;

        let mut fetch_rows = Vec::new();
        let mut item_rows = Vec::new();
        for f in &fetched {
            let version = match f.facts {
                Some(facts) => {
                    let links = packed_links(f.links, &url_ids, &anchor_ids);
                    let (id, new) = self
                        .version(&mut tx, f.fetch, facts, &links, &url_ids)
                        .await?;
                    if new {
                        item_rows.extend(item_rows_of(id, facts, &url_ids));
                    }
                    Some(id)
                }
                None => f.unchanged,
            };
            fetch_rows.push(fetch_row(
                run, f.target, f.purpose, f.depth, f.fetch, version, &url_ids,
            ));
        }
        for (account, fetch, _) in &posts {
            fetch_rows.push(fetch_row(
                run,
                account,
                Purpose::Feed,
                0,
                fetch,
                None,
                &url_ids,
            ));
        }
        rows::insert(&mut tx, self.backend, rows::FETCH_INSERT, fetch_rows).await?;
        rows::insert(&mut tx, self.backend, "INSERT INTO version_items (version_id, position, title, url_id, date, date_source, reply, reply_date) ", item_rows).await?;
        let post_rows: Vec<Vec<Value>> = posts
            .iter()
            .flat_map(|(account, _, p)| {
                p.iter().enumerate().map(move |(i, p)| {
                    vec![
                        Value::from(run),
                        Value::from(account.to_string()),
                        Value::from(i as i64),
                        Value::from(p.title.clone()),
                        Value::from(p.url.clone()),
                        Value::from(p.date.map(|d| d.to_string())),
                        Value::from(p.id.clone()),
                        Value::from(p.at.clone()),
                        Value::from(p.flags.bits()),
                    ]
                })
            })
            .collect();
        rows::insert(
            &mut tx,
            self.backend,
            "INSERT INTO posts (run_id, account_id, position, title, url, date, post_id, posted_at, flags) ",
            post_rows,
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
        for (target, complete, n, cut_by) in done {
            sqlx::query(
                "INSERT INTO targets (run_id, target_id, kind, complete, pages, done_at, cut_by) \
                 VALUES ($1, $2, 'site', $3, $4, '', $5) ON CONFLICT DO NOTHING",
            )
            .bind(run)
            .bind(target.to_string())
            .bind(i64::from(complete))
            .bind(n as i64)
            .bind(cut_by.map(|c| c.as_str()))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.ids.learn(URLS, new_urls);
        self.ids.learn(ANCHORS, new_anchors);
        Ok(())
    }

    /// The version of a parsed page (its final URL, body hash and year): its id, and whether it
    /// was stored just now (then its links and items are to be written).
    async fn version(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        fetch: &FetchRecord,
        facts: &PageFacts,
        links: &str,
        url_ids: &HashMap<&str, i64>,
    ) -> Result<(i64, bool), StoreError> {
        let base = url_ids
            .get(fetch.final_url.as_str())
            .copied()
            .ok_or_else(|| StoreError::Lost(fetch.final_url.clone()))?;
        let hash = fetch.content_hash.clone().unwrap_or_default();
        let year = ref_year(&fetch.fetched_at);
        let mut stored = facts.clone();
        stored.items.clear();
        let inserted = sqlx::query(
            "INSERT INTO versions (base_id, hash, ref_year, facts, links, content_type, charset, \
             etag, last_modified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(base)
        .bind(hash.clone())
        .bind(year)
        .bind(serde_json::to_string(&stored)?)
        .bind(links.to_string())
        .bind(fetch.content_type.clone())
        .bind(fetch.charset.clone())
        .bind(fetch.etag.clone())
        .bind(fetch.last_modified.clone())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(r) = inserted {
            return Ok((r.try_get(0)?, true));
        }
        let r = sqlx::query(
            "SELECT id FROM versions WHERE base_id = $1 AND hash = $2 AND ref_year = $3",
        )
        .bind(base)
        .bind(hash)
        .bind(year)
        .fetch_one(&mut **tx)
        .await?;
        Ok((r.try_get(0)?, false))
    }
}

/// One `fetches` row.
fn fetch_row(
    run: i64,
    target: &str,
    purpose: Purpose,
    depth: u32,
    f: &FetchRecord,
    version: Option<i64>,
    url_ids: &HashMap<&str, i64>,
) -> Vec<Value> {
    let id = |u: &str| Value::from(url_ids.get(u).copied().unwrap_or(-1));
    // What describes the body lives in its version; a fetch that read one keeps only its own facts.
    let body = |v: &Option<String>| Value::from(v.clone().filter(|_| version.is_none()));
    vec![
        Value::from(run),
        Value::from(target),
        Value::from(purpose.as_str()),
        id(&f.url),
        id(&f.final_url),
        Value::from(serde_json::to_string(&f.redirects).unwrap_or_default()),
        Value::from(f.status.map(i64::from)),
        Value::from(f.error.map(|e| e.as_str())),
        Value::from(f.blocked.map(rows::block_name)),
        Value::from(f.elapsed_ms as i64),
        Value::from(i64::from(f.attempts)),
        Value::from(f.bytes as i64),
        body(&f.content_type),
        body(&f.charset),
        body(&f.content_hash),
        Value::from(f.fetched_at.clone()),
        Value::from(i64::from(depth)),
        Value::from(version),
        body(&f.etag),
        body(&f.last_modified),
    ]
}

/// A page's links as stored in its version: `target_id:anchor_id:element:nav`, space-separated.
fn packed_links(
    links: &[Link],
    url_ids: &HashMap<&str, i64>,
    anchor_ids: &HashMap<&str, i64>,
) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(links.len() * 14);
    let mut seen = std::collections::HashSet::new();
    for l in links {
        let (Some(t), Some(a)) = (
            url_ids.get(l.target.as_str()),
            anchor_ids.get(l.anchor.as_str()),
        ) else {
            continue;
        };
        // One link per target and element, the first: as the page's link rows were keyed.
        if !seen.insert((*t, l.element)) {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "{t}:{a}:{}:{}", l.element.as_str(), u8::from(l.nav));
    }
    out
}

/// The `version_items` rows of a new version.
fn item_rows_of(version: i64, facts: &PageFacts, url_ids: &HashMap<&str, i64>) -> Vec<Vec<Value>> {
    let id = |s: &str| Value::from(url_ids.get(s).copied().unwrap_or(-1));
    facts
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            vec![
                Value::from(version),
                Value::from(i as i64),
                Value::from(item.title.clone()),
                id(&item.url),
                Value::from(item.date.map(|d| d.to_string())),
                Value::from(rows::date_source_name(item.date_source)),
                Value::from(item.reply.map(rows::reply_name)),
                Value::from(item.reply.and_then(|r| r.date).map(|d| d.to_string())),
            ]
        })
        .collect()
}
