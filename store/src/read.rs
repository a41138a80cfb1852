//! Reading a run back: a site's fetches with their page versions, links shared as they are read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use futures_util::TryStreamExt;
use sqlx::Row;
use xunjian_model::observe::{
    FailKind, FetchRecord, Link, LinkElement, MarksSeen, PageFacts, PageRecord, Post, Purpose,
    SharedLink, SiteRecords,
};

use crate::rows::{self, FETCH_SELECT};
use crate::{Store, StoreError};

/// The versions of a site's pages in a run.
const SITE_VERSIONS: &str =
    "SELECT version_id FROM fetches WHERE run_id = $1 AND target_id = $2 AND version_id IS NOT NULL";

/// Shares equal links: a site's navigation and footer are one value, however many pages carry them.
#[derive(Default)]
struct LinkPool {
    links: HashMap<(i64, i64, LinkElement, bool), SharedLink>,
}

impl LinkPool {
    fn get(
        &mut self,
        key: (i64, i64, LinkElement, bool),
        urls: &HashMap<i64, Arc<str>>,
        anchors: &HashMap<i64, Arc<str>>,
    ) -> SharedLink {
        self.links
            .entry(key)
            .or_insert_with(|| {
                let (target, anchor, element, nav) = key;
                Arc::new(Link {
                    target: urls.get(&target).map(|s| s.to_string()).unwrap_or_default(),
                    anchor: anchors
                        .get(&anchor)
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    element,
                    nav,
                })
            })
            .clone()
    }
}

/// A stored link with its strings shared: what [`Store::versions_links`] reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    /// The target URL.
    pub target: Arc<str>,
    /// The anchor text.
    pub anchor: Arc<str>,
    /// The element it came from.
    pub element: LinkElement,
    /// Whether it sits in the page's navigation.
    pub nav: bool,
}

impl StoredLink {
    /// The link as the crawler and the analyzer take it.
    pub fn to_link(&self) -> Link {
        Link {
            target: self.target.to_string(),
            anchor: self.anchor.to_string(),
            element: self.element,
            nav: self.nav,
        }
    }
}

/// A fetch as the analysis holds it: without the body hash and the validators, which only a
/// recrawl reads (three strings a page, held for a whole site's analysis).
fn for_judgement(record: &mut FetchRecord) {
    record.content_hash = None;
    record.etag = None;
    record.last_modified = None;
}

/// Entries sorted and merged into a [`DenseMap`] at a time.
const DENSE_CHUNK: usize = 8192;

/// Builds an ordered map from entries in any order with its nodes full. Inserting one entry at a
/// time leaves a B-tree's nodes about half empty, and a site's pages are the largest thing an
/// analysis holds; merging sorted chunks fills every node.
struct DenseMap<K, V> {
    map: BTreeMap<K, V>,
    chunk: Vec<(K, V)>,
}

impl<K: Ord, V> DenseMap<K, V> {
    fn new() -> Self {
        DenseMap {
            map: BTreeMap::new(),
            chunk: Vec::new(),
        }
    }

    /// Add an entry; a later entry of an equal key wins, as with `BTreeMap::insert`.
    fn insert(&mut self, key: K, value: V) {
        self.chunk.push((key, value));
        if self.chunk.len() >= DENSE_CHUNK {
            self.merge();
        }
    }

    fn merge(&mut self) {
        let mut sorted: BTreeMap<K, V> = std::mem::take(&mut self.chunk).into_iter().collect();
        self.map.append(&mut sorted);
    }

    fn finish(mut self) -> BTreeMap<K, V> {
        self.merge();
        self.map
    }
}

/// One stored link: (target id, anchor id, element, nav).
type PackedLink = (i64, i64, LinkElement, bool);

/// The links of a version as stored (`target_id:anchor_id:element:nav`, space-separated).
fn unpack(text: &str) -> Result<Vec<PackedLink>, StoreError> {
    let bad = || StoreError::Db(sqlx::Error::Decode(format!("stored links `{text}`").into()));
    text.split_ascii_whitespace()
        .map(|l| {
            let mut f = l.split(':');
            let mut next = || f.next().ok_or_else(bad);
            let target = next()?.parse().map_err(|_| bad())?;
            let anchor = next()?.parse().map_err(|_| bad())?;
            let element = rows::element(next()?)?;
            let nav = next()? == "1";
            Ok((target, anchor, element, nav))
        })
        .collect()
}

impl Store {
    /// The strings of `ids` in `table` (`urls` or `anchors`), read in chunks.
    async fn strings_by_id(
        &self,
        table: &str,
        column: &str,
        ids: &HashSet<i64>,
    ) -> Result<HashMap<i64, Arc<str>>, StoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        let ids: Vec<i64> = ids.iter().copied().collect();
        for chunk in ids.chunks(900) {
            let marks = rows::placeholders(self.backend, chunk.len());
            let sql = format!("SELECT id, {column} FROM {table} WHERE id IN ({})", marks);
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                let s: String = r.try_get(1)?;
                out.insert(r.try_get::<i64, _>(0)?, Arc::from(s));
            }
        }
        Ok(out)
    }

    /// The stored links of every version of a site in a run, unpacked, one version at a time.
    async fn each_site_version_links(
        &self,
        run: i64,
        site: &str,
        mut each: impl FnMut(i64, Vec<PackedLink>),
    ) -> Result<(), StoreError> {
        let sql = format!("SELECT id, links FROM versions WHERE id IN ({SITE_VERSIONS})");
        let mut rows = sqlx::query(&sql).bind(run).bind(site).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let text: String = r.try_get(1)?;
            each(r.try_get(0)?, unpack(&text)?);
        }
        Ok(())
    }

    /// The links of every page version of a site in a run, by version, each page's sorted by
    /// target; equal links are one shared value. Two passes over the versions: the ids first, to
    /// read their strings once, then the links.
    async fn site_links(
        &self,
        run: i64,
        site: &str,
    ) -> Result<HashMap<i64, Vec<SharedLink>>, StoreError> {
        let (mut url_ids, mut anchor_ids) = (HashSet::new(), HashSet::new());
        self.each_site_version_links(run, site, |_, links| {
            for (t, a, _, _) in links {
                url_ids.insert(t);
                anchor_ids.insert(a);
            }
        })
        .await?;
        let urls = self.strings_by_id("urls", "url", &url_ids).await?;
        let anchors = self.strings_by_id("anchors", "text", &anchor_ids).await?;
        let mut pool = LinkPool::default();
        let mut out: HashMap<i64, Vec<SharedLink>> = HashMap::new();
        self.each_site_version_links(run, site, |version, links| {
            // A new vector: collecting in place would keep the packed tuples' (three times
            // larger) allocation for the rest of the analysis.
            let mut shared: Vec<SharedLink> = Vec::with_capacity(links.len());
            shared.extend(links.into_iter().map(|key| pool.get(key, &urls, &anchors)));
            let mut links = shared;
            links.sort_by(|a, b| {
                (&a.target, a.element.as_str()).cmp(&(&b.target, b.element.as_str()))
            });
            out.insert(version, links);
        })
        .await?;
        Ok(out)
    }

    /// What run `run` recorded of `url`, for evidence: its fetch, and the page as it was read
    /// (its facts, list items included) when it was parsed.
    pub async fn crawled(
        &self,
        run: i64,
        url: &str,
    ) -> Result<Option<(FetchRecord, Option<PageFacts>)>, StoreError> {
        let sql = format!("{FETCH_SELECT} WHERE f.run_id = $1 AND u.url = $2 LIMIT 1");
        let Some(row) = sqlx::query(&sql)
            .bind(run)
            .bind(url)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let stored = rows::fetch(&row)?;
        let Some(version) = stored.version else {
            return Ok(Some((stored.record, None)));
        };
        let text: Option<String> = sqlx::query_scalar("SELECT facts FROM versions WHERE id = $1")
            .bind(version)
            .fetch_optional(&self.pool)
            .await?;
        let Some(text) = text else {
            return Ok(Some((stored.record, None)));
        };
        let mut facts: PageFacts = serde_json::from_str(&text)?;
        let sql = "SELECT vi.version_id, vi.title, u.url, vi.date, vi.date_source, vi.reply, \
                   vi.reply_date FROM version_items vi JOIN urls u ON u.id = vi.url_id \
                   WHERE vi.version_id = $1 ORDER BY vi.position";
        for r in sqlx::query(sql).bind(version).fetch_all(&self.pool).await? {
            facts.items.push(rows::list_item(&r)?);
        }
        Ok(Some((stored.record, Some(facts))))
    }

    /// The facts (list items included) of every page version of a site in a run.
    async fn site_facts(
        &self,
        run: i64,
        site: &str,
    ) -> Result<HashMap<i64, Box<PageFacts>>, StoreError> {
        let mut facts: HashMap<i64, Box<PageFacts>> = HashMap::new();
        let sql = format!("SELECT id, facts FROM versions WHERE id IN ({SITE_VERSIONS})");
        // A site's pages carry one footer: its marks are read back as one shared value.
        let mut marks: HashSet<Arc<MarksSeen>> = HashSet::new();
        let mut rows = sqlx::query(&sql).bind(run).bind(site).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let text: String = r.try_get(1)?;
            let mut read: Box<PageFacts> = serde_json::from_str(&text)?;
            match marks.get(&read.marks) {
                Some(shared) => read.marks = shared.clone(),
                None => {
                    marks.insert(read.marks.clone());
                }
            }
            facts.insert(r.try_get(0)?, read);
        }
        drop(rows);
        let sql = format!(
            "SELECT vi.version_id, vi.title, u.url, vi.date, vi.date_source, vi.reply, vi.reply_date \
             FROM version_items vi JOIN urls u ON u.id = vi.url_id \
             WHERE vi.version_id IN ({SITE_VERSIONS}) ORDER BY vi.version_id, vi.position"
        );
        let mut rows = sqlx::query(&sql).bind(run).bind(site).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            if let Some(f) = facts.get_mut(&r.try_get::<i64, _>(0)?) {
                f.items.push(rows::list_item(&r)?);
            }
        }
        // Held for the whole analysis: no room left over from growing.
        facts.values_mut().for_each(|f| f.items.shrink_to_fit());
        Ok(facts)
    }

    /// Everything stored about one site in one run.
    pub async fn site_records(&self, run: i64, site: &str) -> Result<SiteRecords, StoreError> {
        self.records_of(run, site, true).await
    }

    /// What one site's pages recorded in one run, without its link checks: for the analysis,
    /// which reads every check of the run once ([`Store::run_checks`]) rather than each site's
    /// again.
    pub async fn site_pages(&self, run: i64, site: &str) -> Result<SiteRecords, StoreError> {
        self.records_of(run, site, false).await
    }

    /// A site's records in a run, its checks with them or not. Without them, the records are the
    /// analysis' own, and nothing only a recrawl reads is kept (see [`for_judgement`]).
    async fn records_of(
        &self,
        run: i64,
        site: &str,
        with_checks: bool,
    ) -> Result<SiteRecords, StoreError> {
        let mut out = SiteRecords::default();
        // The facts (JSON to decode) are read on another task, beside the links: the two
        // queries and their decoding use both cores.
        let facts = {
            let (store, site) = (self.clone(), site.to_string());
            tokio::spawn(async move { store.site_facts(run, &site).await })
        };
        let mut links = self.site_links(run, site).await?;
        let mut facts = facts.await.map_err(|e| StoreError::Task(e.to_string()))??;
        // How many fetches read each version: the last one takes its facts and links, the others
        // (a page under two names) get copies; nothing is held twice otherwise.
        let mut uses: HashMap<i64, usize> = HashMap::new();
        let mut counted = sqlx::query(SITE_VERSIONS)
            .bind(run)
            .bind(site)
            .fetch(&self.pool);
        while let Some(r) = counted.try_next().await? {
            *uses.entry(r.try_get(0)?).or_default() += 1;
        }
        drop(counted);
        let mut take = |version: Option<i64>| -> (Option<Box<PageFacts>>, Vec<SharedLink>) {
            let Some(v) = version else {
                return (None, Vec::new());
            };
            let left = uses.entry(v).or_default();
            *left = left.saturating_sub(1);
            if *left == 0 {
                (facts.remove(&v), links.remove(&v).unwrap_or_default())
            } else {
                (
                    facts.get(&v).cloned(),
                    links.get(&v).cloned().unwrap_or_default(),
                )
            }
        };
        let only = if with_checks {
            ""
        } else {
            " AND f.purpose <> 'check'"
        };
        let sql = format!("{FETCH_SELECT} WHERE f.run_id = $1 AND f.target_id = $2{only}");
        let (mut pages, mut checks) = (DenseMap::new(), DenseMap::new());
        let mut rows = sqlx::query(&sql).bind(run).bind(site).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let mut stored = rows::fetch(&r)?;
            if !with_checks {
                for_judgement(&mut stored.record);
            }
            let url = stored.record.url.clone();
            match stored.purpose {
                Purpose::Page | Purpose::NotFoundProbe => {
                    let (facts, links) = take(stored.version);
                    let page = PageRecord {
                        facts,
                        links,
                        fetch: stored.record,
                        depth: stored.depth,
                    };
                    if stored.purpose == Purpose::Page {
                        pages.insert(url, page);
                    } else {
                        out.probe404 = Some(page);
                    }
                }
                Purpose::Check => {
                    checks.insert(url, stored.record);
                }
                Purpose::Feed => {}
            }
        }
        drop(rows);
        out.pages = pages.finish();
        out.checks = checks.finish();
        out.done = self.site_done(run, site).await?;
        out.cut_by = self.site_cut_by(run, site).await?;
        Ok(out)
    }

    /// Every fetch of a run as (target, URL, HTTP status, failure), streamed: what the
    /// inspector's own network is judged by (see the analyzer's `network`).
    pub async fn each_fetch_outcome(
        &self,
        run: i64,
        mut each: impl FnMut(&str, &str, Option<u16>, Option<FailKind>),
    ) -> Result<(), StoreError> {
        let mut rows = sqlx::query(
            "SELECT f.target_id, u.url, f.status, f.error FROM fetches f \
             JOIN urls u ON u.id = f.url_id WHERE f.run_id = $1",
        )
        .bind(run)
        .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let target: String = r.try_get(0)?;
            let url: String = r.try_get(1)?;
            let status: Option<i64> = r.try_get(2)?;
            let error: Option<String> = r.try_get(3)?;
            let status = status.and_then(|s| u16::try_from(s).ok());
            each(
                &target,
                &url,
                status,
                error.as_deref().and_then(FailKind::parse),
            );
        }
        Ok(())
    }

    /// Every URL checked in a run (outside links are checked once per run, whichever site asked),
    /// as the analysis holds them (see [`for_judgement`]).
    pub async fn run_checks(&self, run: i64) -> Result<BTreeMap<String, FetchRecord>, StoreError> {
        let mut out = DenseMap::new();
        let sql = format!("{FETCH_SELECT} WHERE f.run_id = $1 AND f.purpose = 'check'");
        let mut rows = sqlx::query(&sql).bind(run).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let mut stored = rows::fetch(&r)?;
            for_judgement(&mut stored.record);
            out.insert(stored.record.url.clone(), stored.record);
        }
        Ok(out.finish())
    }

    /// The feed fetch and posts of an account in a run.
    pub async fn account_records(
        &self,
        run: i64,
        account: &str,
    ) -> Result<Option<(FetchRecord, Vec<Post>)>, StoreError> {
        let row = sqlx::query(&format!(
            "{FETCH_SELECT} WHERE f.run_id = $1 AND f.target_id = $2 AND f.purpose = 'feed'"
        ))
        .bind(run)
        .bind(account)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let fetch = rows::fetch(&row)?.record;
        let mut posts = Vec::new();
        for r in sqlx::query(
            "SELECT title, url, date, post_id, posted_at, flags FROM posts WHERE run_id = $1 AND account_id = $2 ORDER BY position",
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
        let mut rows = sqlx::query(
            "SELECT u.url FROM fetches f JOIN urls u ON u.id = f.url_id \
             WHERE f.run_id = $1 AND f.target_id = $2",
        )
        .bind(run)
        .bind(site)
        .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
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
        let queries = [
            "SELECT u.url, MIN(f.fetched_at) FROM fetches f \
             JOIN version_items vi ON vi.version_id = f.version_id JOIN urls u ON u.id = vi.url_id \
             WHERE f.target_id = $1 AND f.run_id <= $2 AND f.purpose = 'page' GROUP BY u.url",
            "SELECT u.url, MIN(f.fetched_at) FROM fetches f JOIN urls u ON u.id = f.url_id \
             WHERE f.target_id = $1 AND f.run_id <= $2 AND f.purpose = 'page' \
             AND f.status >= 200 AND f.status < 300 GROUP BY u.url",
        ];
        for sql in queries {
            let mut rows = sqlx::query(sql).bind(site).bind(run).fetch(&self.pool);
            while let Some(r) = rows.try_next().await? {
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
        }
        Ok(out)
    }

    /// Every page of a site in a run that answered and carries a link to one of `targets`:
    /// (target, page), sorted, for the 附件 that lists every source of a broken link.
    pub async fn link_sources(
        &self,
        run: i64,
        site: &str,
        targets: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut wanted: HashMap<i64, String> = HashMap::new();
        for chunk in targets.chunks(900) {
            let marks = rows::placeholders(self.backend, chunk.len());
            let sql = format!("SELECT id, url FROM urls WHERE url IN ({})", marks);
            let mut q = sqlx::query(&sql);
            for t in chunk {
                q = q.bind(t.clone());
            }
            for r in q.fetch_all(&self.pool).await? {
                wanted.insert(r.try_get(0)?, r.try_get(1)?);
            }
        }
        // The pages that answered, by the version they were read as.
        let mut pages: HashMap<i64, Vec<String>> = HashMap::new();
        let mut rows = sqlx::query(
            "SELECT f.version_id, u.url FROM fetches f JOIN urls u ON u.id = f.url_id \
             WHERE f.run_id = $1 AND f.target_id = $2 AND f.purpose = 'page' \
             AND f.version_id IS NOT NULL AND f.status >= 200 AND f.status < 300",
        )
        .bind(run)
        .bind(site)
        .fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            pages.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
        }
        drop(rows);
        let mut out = std::collections::BTreeSet::new();
        self.each_site_version_links(run, site, |version, links| {
            for (t, _, _, _) in links {
                if let (Some(target), Some(sources)) = (wanted.get(&t), pages.get(&version)) {
                    out.extend(sources.iter().map(|s| (target.clone(), s.clone())));
                }
            }
        })
        .await?;
        Ok(out.into_iter().collect())
    }
}

impl Store {
    /// What the newest earlier run that crawled `site` to its end saw of each of its pages that
    /// answered and was parsed, handed to `each` as (fetch, page version) one row at a time, for
    /// an incremental recrawl (which keeps them in its own compact form).
    pub async fn prior_pages(
        &self,
        run: i64,
        site: &str,
        mut each: impl FnMut(FetchRecord, i64),
    ) -> Result<(), StoreError> {
        let Some(prior) = self.prior_run(run, site).await? else {
            return Ok(());
        };
        let sql = format!(
            "{FETCH_SELECT} WHERE f.run_id = $1 AND f.target_id = $2 AND f.purpose = 'page' \
             AND f.version_id IS NOT NULL AND f.blocked IS NULL AND f.error IS NULL \
             AND f.status >= 200 AND f.status < 300"
        );
        let mut rows = sqlx::query(&sql).bind(prior).bind(site).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            let stored = rows::fetch(&r)?;
            if let Some(version) = stored.version {
                each(stored.record, version);
            }
        }
        Ok(())
    }

    /// The newest run before `run` that crawled `site` to its end.
    async fn prior_run(&self, run: i64, site: &str) -> Result<Option<i64>, StoreError> {
        let prior = sqlx::query(
            "SELECT MAX(run_id) FROM targets WHERE target_id = $1 AND run_id < $2 AND complete = 1",
        )
        .bind(site)
        .bind(run)
        .fetch_one(&self.pool)
        .await?;
        Ok(prior.try_get(0)?)
    }

    /// The link checks that answered (2xx, not blocked) in the newest run before `run` that
    /// crawled `site` to its end, each handed to `each` with the time it was checked: what a
    /// rolling re-check may carry forward.
    pub async fn prior_checks(
        &self,
        run: i64,
        site: &str,
        mut each: impl FnMut(FetchRecord),
    ) -> Result<(), StoreError> {
        let Some(prior) = self.prior_run(run, site).await? else {
            return Ok(());
        };
        let sql = format!(
            "{FETCH_SELECT} WHERE f.run_id = $1 AND f.target_id = $2 AND f.purpose = 'check' \
             AND f.blocked IS NULL AND f.error IS NULL AND f.status >= 200 AND f.status < 300"
        );
        let mut rows = sqlx::query(&sql).bind(prior).bind(site).fetch(&self.pool);
        while let Some(r) = rows.try_next().await? {
            each(rows::fetch(&r)?.record);
        }
        Ok(())
    }

    /// The links of stored page versions, by version, in one query for the versions and one
    /// for each table of strings they need. The strings are remembered and shared: a recrawl
    /// reads every page's links, and they share their navigation and footer. A version not
    /// stored is absent.
    pub async fn versions_links(
        &self,
        versions: &[i64],
    ) -> Result<HashMap<i64, Vec<StoredLink>>, StoreError> {
        let mut packed = HashMap::with_capacity(versions.len());
        for chunk in versions.chunks(900) {
            let marks = rows::placeholders(self.backend, chunk.len());
            let sql = format!("SELECT id, links FROM versions WHERE id IN ({marks})");
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await? {
                let text: String = r.try_get(1)?;
                packed.insert(r.try_get::<i64, _>(0)?, unpack(&text)?);
            }
        }
        let all = || packed.values().flatten();
        let urls = self.remembered("urls", "url", all().map(|l| l.0)).await?;
        let anchors = self
            .remembered("anchors", "text", all().map(|l| l.1))
            .await?;
        let text =
            |m: &HashMap<i64, Arc<str>>, id| m.get(&id).cloned().unwrap_or_else(|| "".into());
        Ok(packed
            .into_iter()
            .map(|(version, links)| {
                let links = links
                    .into_iter()
                    .map(|(t, a, element, nav)| StoredLink {
                        target: text(&urls, t),
                        anchor: text(&anchors, a),
                        element,
                        nav,
                    })
                    .collect();
                (version, links)
            })
            .collect())
    }

    /// The strings of `ids`, from the store's memory of ids read before, else from `table`.
    async fn remembered(
        &self,
        table: &'static str,
        column: &str,
        ids: impl Iterator<Item = i64>,
    ) -> Result<HashMap<i64, Arc<str>>, StoreError> {
        let mut out = HashMap::new();
        let mut missing = HashSet::new();
        {
            let known = self
                .ids
                .names(table)
                .lock()
                .map_err(|_| StoreError::Poisoned)?;
            for id in ids {
                match known.get(&id) {
                    Some(s) => {
                        out.insert(id, s.clone());
                    }
                    None => {
                        missing.insert(id);
                    }
                }
            }
        }
        if !missing.is_empty() {
            let read = self.strings_by_id(table, column, &missing).await?;
            let mut known = self
                .ids
                .names(table)
                .lock()
                .map_err(|_| StoreError::Poisoned)?;
            if known.len() + read.len() > crate::ids::NAMES_MAX {
                known.clear();
            }
            known.extend(read.iter().map(|(k, v)| (*k, v.clone())));
            out.extend(read);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dense_map_is_the_map_of_its_entries_later_ones_winning() {
        let mut dense = DenseMap::new();
        let mut plain = BTreeMap::new();
        for i in 0..(3 * DENSE_CHUNK + 17) {
            let key = (i * 7919) % 10_007;
            dense.insert(key, i);
            plain.insert(key, i);
        }
        dense.insert(5, 1);
        plain.insert(5, 1);
        assert_eq!(dense.finish(), plain);
    }
}
