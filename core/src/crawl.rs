//! The crawl stage: every site and account of the seeds into one run of the store.
//!
//! Sites are crawled concurrently; every observation goes through one channel to one writer, which
//! persists it in batches, each in a transaction. When the writer fails, the channel closes, every
//! site's crawl stops at its next step, and the stage returns the store's error: nothing is fetched
//! that could not be recorded.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;
use url::Url;
use xunjian_crawler::crawl::{
    crawl_site, fetch_feed, BoxFuture, Budget, CheckedUrls, PriorLinks, SitePlan, SiteSummary,
};
use xunjian_crawler::fetch::{host_key, FetchConfig, Fetcher, Mode, Secret};
use xunjian_crawler::guard::NetworkGuard;
use xunjian_crawler::recheck::PriorChecks;
use xunjian_model::observe::{Link, Observation, Purpose, REFERENCE_TARGET};
use xunjian_model::Seeds;
use xunjian_store::{Store, StoredLink};

use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// What a crawl did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CrawlOutcome {
    /// The run crawled into.
    pub run: i64,
    /// Pages fetched, over all sites.
    pub pages: u64,
    /// Of those, pages found unchanged since the previous run and reused without parsing.
    pub unchanged: u64,
    /// Of those, how many the servers answered 304 Not Modified.
    pub not_modified: u64,
    /// Link checks carried forward from an earlier run (checked lately and fine, not due tonight).
    pub checks_reused: u64,
}

impl CrawlOutcome {
    fn add(&mut self, s: &SiteSummary) {
        self.pages += s.pages;
        self.unchanged += s.unchanged;
        self.not_modified += s.not_modified;
        self.checks_reused += s.checks_reused;
    }
}

/// A request for a stored version's links, and where to answer it.
type LinksRequest = (i64, oneshot::Sender<Option<Vec<Link>>>);

/// Versions read in one query at most: the one asked for and those around it.
const LINKS_WINDOW: usize = 512;

/// How far before the version asked for a window starts (a recrawl's parallel fetches finish in
/// a slightly different order than before).
const LINKS_BEHIND: usize = 64;

/// Versions read and not yet asked for, kept at most (their strings are shared).
const LINKS_KEPT: usize = 8192;

/// The store as the crawler's source of the previous run's links. An unchanged site is crawled
/// again in about the order it was crawled before, and its versions were numbered in that order:
/// when a version is not in memory, the unread versions around it are read with it in one query,
/// and most later requests are answered from memory (a query a page cost an unchanged recrawl
/// more than its fetches). What is kept is bounded; a site crawled in another order only costs
/// more queries.
#[derive(Debug)]
struct StoredLinks {
    requests: mpsc::UnboundedSender<LinksRequest>,
}

/// The reader behind [`StoredLinks`]: the versions in the previous runs' order, what was read
/// and not yet asked for, and what was handed out already.
struct LinksAhead {
    store: Store,
    order: Vec<i64>,
    kept: std::collections::BTreeMap<i64, Vec<StoredLink>>,
    served: HashSet<i64>,
}

impl LinksAhead {
    /// The links of `version`, reading it and the unread versions around it when it is not in
    /// memory.
    async fn links(&mut self, version: i64) -> Option<Vec<Link>> {
        self.served.insert(version);
        if let Some(links) = self.kept.remove(&version) {
            return Some(links.iter().map(StoredLink::to_link).collect());
        }
        let at = self.order.partition_point(|v| *v < version);
        let mut wanted = vec![version];
        wanted.extend(
            self.order[at.saturating_sub(LINKS_BEHIND)..]
                .iter()
                .filter(|v| !self.served.contains(v) && !self.kept.contains_key(v))
                .take(LINKS_WINDOW - 1),
        );
        let mut read = self
            .store
            .versions_links(&wanted)
            .await
            .inspect_err(|e| tracing::warn!("stored links unreadable: {e}"))
            .ok()?;
        let asked = read.remove(&version);
        self.kept.extend(read);
        // The oldest first: the crawl moves on through the order.
        while self.kept.len() > LINKS_KEPT {
            self.kept.pop_first();
        }
        asked.map(|links| links.iter().map(StoredLink::to_link).collect())
    }
}

impl StoredLinks {
    /// Start the reader over the versions of the previous runs; it ends when the last handle is
    /// dropped.
    fn spawn(store: Store, mut order: Vec<i64>) -> StoredLinks {
        order.sort_unstable();
        order.dedup();
        let (requests, mut rx) = mpsc::unbounded_channel::<LinksRequest>();
        let mut reader = LinksAhead {
            store,
            order,
            kept: Default::default(),
            served: HashSet::new(),
        };
        tokio::spawn(async move {
            while let Some((version, reply)) = rx.recv().await {
                let _ = reply.send(reader.links(version).await);
            }
        });
        StoredLinks { requests }
    }
}

impl PriorLinks for StoredLinks {
    fn links(&self, version: i64) -> BoxFuture<'_, Option<Vec<Link>>> {
        Box::pin(async move {
            let (reply, answer) = oneshot::channel();
            self.requests.send((version, reply)).ok()?;
            answer.await.ok().flatten()
        })
    }
}

/// Observations written in one transaction at most.
const BATCH: usize = 256;

/// The fetcher's configuration from the seeds' defaults and per-site rates.
pub fn fetch_config(seeds: &Seeds, settings: &Settings) -> FetchConfig {
    let d = &seeds.defaults;
    let mut config = FetchConfig {
        timeout: Duration::from_secs_f64(d.timeout_s),
        rate_per_host: d.rate_per_host,
        respect_robots: d.respect_robots,
        impolite: settings.impolite,
        clock: settings.clock.clone(),
        guard: Arc::new(network_guard(seeds)),
        lookup: settings.lookup.clone(),
        ..FetchConfig::default()
    };
    for site in &seeds.sites {
        if let (Some(rate), Ok(url)) = (site.rate_per_host, Url::parse(&site.url)) {
            config.host_rates.insert(host_key(&url), rate);
        }
    }
    config.cookies = platform_cookies(seeds, |name| std::env::var(name).ok());
    config
}

/// The guard on internal addresses: every host the seeds name is trusted (the operator chose to
/// inspect it, wherever it is), the seeds' `allow_networks` are allowed, and any other internal
/// address is refused.
fn network_guard(seeds: &Seeds) -> NetworkGuard {
    let sites = seeds
        .sites
        .iter()
        .flat_map(|s| std::iter::once(&s.url).chain(s.columns.iter().map(|c| &c.url)));
    let feeds = seeds.accounts.iter().filter_map(|a| a.feed.as_ref());
    let platforms = seeds.platforms.iter().map(|p| &p.base);
    let hosts = sites
        .chain(feeds)
        .chain(platforms)
        .chain(&seeds.defaults.reference_urls)
        .filter_map(|u| Url::parse(u).ok()?.host_str().map(str::to_string));
    NetworkGuard::new(hosts, seeds.defaults.allow_networks.clone())
}

/// The operator's platform cookies (`[platforms.<name>] cookie_env`), read from the environment
/// through `env`, by the host of each platform's base. A variable that is not set is warned about
/// (by name, never by value) and the platform is read without cookies: its block answer then says
/// "login required", never "not updated".
fn platform_cookies(
    seeds: &Seeds,
    env: impl Fn(&str) -> Option<String>,
) -> std::collections::HashMap<String, Secret> {
    let mut out = std::collections::HashMap::new();
    for p in &seeds.platforms {
        let (Some(name), Ok(base)) = (&p.cookie_env, Url::parse(&p.base)) else {
            continue;
        };
        match env(name).filter(|v| !v.trim().is_empty()) {
            Some(cookie) => {
                out.insert(host_key(&base), Secret::new(cookie.trim()));
            }
            None => tracing::warn!(
                platform = p.platform.key(),
                variable = name.as_str(),
                "the platform's cookie variable is not set; reading it without cookies"
            ),
        }
    }
    out
}

/// The run to crawl into: the unfinished one of the same seeds and date when resuming, else a new one.
async fn open_run(settings: &Settings, store: &Store) -> Result<(i64, bool)> {
    let seeds = &settings.seeds;
    let as_of = settings.as_of.to_string();
    if settings.resume {
        if let Some(r) = store.resumable_run(&seeds.hash, &as_of).await? {
            tracing::info!(run = r.id, "resuming crawl");
            return Ok((r.id, true));
        }
    }
    let run = store
        .create_run(
            &seeds.path.display().to_string(),
            &seeds.hash,
            &as_of,
            &settings.clock.now_rfc3339(),
        )
        .await?;
    Ok((run, false))
}

/// The writer: takes observations off the channel and persists them in batches. Returns the
/// store's first error; dropping the receiver then closes the channel, which stops the crawl.
fn spawn_writer(
    store: Store,
    run: i64,
    mut rx: mpsc::Receiver<Observation>,
) -> tokio::task::JoinHandle<Result<()>> {
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(first) = rx.recv().await {
            batch.push(first);
            while batch.len() < BATCH {
                match rx.try_recv() {
                    Ok(o) => batch.push(o),
                    Err(_) => break,
                }
            }
            if let Err(e) = store.write(run, &batch).await {
                tracing::error!("the store failed, stopping the crawl: {e}");
                return Err(e.into());
            }
            batch.clear();
        }
        Ok(())
    })
}

/// A site's crawl plan; when resuming, what the run already holds of it (`None`: already done).
async fn site_plan(
    site: &xunjian_model::seeds::Site,
    store: &Store,
    run: i64,
    resuming: bool,
) -> Result<Option<SitePlan>> {
    let s = &site;
    let home = Url::parse(&s.url)
        .map_err(|e| CoreError::BadInput(format!("site {}: url `{}`: {e}", s.id, s.url)))?;
    let mut plan = SitePlan {
        id: s.id.clone(),
        home,
        registered: s
            .columns
            .iter()
            .filter_map(|c| Url::parse(&c.url).ok())
            .collect(),
        budget: Budget::default(),
        resume_pages: HashMap::new(),
        resume_done: Default::default(),
        prior: Default::default(),
        prior_links: None,
        prior_checks: None,
        progress: Default::default(),
    };
    if resuming {
        let records = store.site_records(run, &s.id).await?;
        if records.done.is_some() {
            return Ok(None);
        }
        plan.resume_done = store.fetched_urls(run, &s.id).await?;
        plan.resume_pages = records
            .pages
            .into_iter()
            .filter(|(_, p)| p.fetch.is_success())
            .map(|(u, p)| (u, (p.depth, p.links)))
            .collect();
    }
    Ok(Some(plan))
}

/// Crawl every site and account of the seeds into a run. Unless `settings.full`, each site's pages
/// are asked for conditionally and reused when unchanged since the newest earlier run that crawled
/// the site to its end.
pub async fn crawl(settings: &Settings, store: &Store) -> Result<CrawlOutcome> {
    let started = std::time::Instant::now();
    let (run, resuming) = open_run(settings, store).await?;
    tracing::debug!(elapsed = ?started.elapsed(), "run opened");
    let s = &settings.seeds.seeds;
    // Each host's budget for this crawl: the nightly crawl is the day's.
    let config = FetchConfig {
        requests_per_host: Some(s.defaults.requests_per_host()),
        ..fetch_config(s, settings)
    };
    let fetcher = Arc::new(Fetcher::new(config).map_err(|e| CoreError::Client(e.to_string()))?);
    let checked = Arc::new(CheckedUrls::default());
    let mut prior_checks =
        PriorChecks::new(s.defaults.recheck_days, settings.clock.today_in_china());
    let budget = Budget {
        max_pages: s.defaults.max_pages,
        max_depth: s.defaults.max_depth,
        max_time: Duration::from_secs(s.defaults.max_site_seconds),
    };
    let (tx, rx) = mpsc::channel::<Observation>(512);
    let writer = spawn_writer(store.clone(), run, rx);

    let mut plans = Vec::new();
    for site in &s.sites {
        let Some(mut plan) = site_plan(site, store, run, resuming).await? else {
            continue;
        };
        plan.budget = budget;
        plan.progress = settings.progress.site(&site.id);
        if !settings.full {
            let prior = &mut plan.prior;
            store
                .prior_pages(run, &site.id, |fetch, version| prior.insert(fetch, version))
                .await?;
            store
                .prior_checks(run, &site.id, |fetch| prior_checks.insert(fetch))
                .await?;
        }
        plans.push(plan);
    }
    tracing::debug!(elapsed = ?started.elapsed(), "previous runs read");
    // Checks are shared by every site of the run (a link is checked once, for whoever saw it
    // first), and so is what the previous runs found of them.
    let prior_checks = (!prior_checks.is_empty()).then(|| Arc::new(prior_checks));
    let versions = plans.iter().flat_map(|p| p.prior.versions());
    let links: Arc<dyn PriorLinks> =
        Arc::new(StoredLinks::spawn(store.clone(), versions.collect()));
    let mut tasks = JoinSet::new();
    for mut plan in plans {
        if !plan.prior.is_empty() {
            plan.prior_links = Some(links.clone());
        }
        plan.prior_checks = prior_checks.clone();
        let (fetcher, checked, tx) = (fetcher.clone(), checked.clone(), tx.clone());
        tasks.spawn(async move {
            let id = plan.id.clone();
            let progress = plan.progress.clone();
            let summary = crawl_site(fetcher, plan, checked, tx).await;
            progress.finish();
            tracing::info!(site = %id, pages = summary.pages, unchanged = summary.unchanged,
                complete = summary.complete, "site crawled");
            Some(summary)
        });
    }
    // The inspector's own way out, checked at the start (seeds `reference_urls`).
    for reference in &s.defaults.reference_urls {
        let Ok(url) = Url::parse(reference) else {
            continue;
        };
        let (fetcher, tx) = (fetcher.clone(), tx.clone());
        tasks.spawn(async move {
            let fetched = fetcher.fetch(&url, Mode::GetStatus).await;
            let _ = tx
                .send(Observation::Fetched {
                    target: REFERENCE_TARGET.to_string(),
                    depth: 0,
                    purpose: Purpose::Check,
                    fetch: fetched.record,
                    facts: None,
                    links: vec![],
                    unchanged: None,
                })
                .await;
            None
        });
    }
    for account in &s.accounts {
        if resuming && store.account_records(run, &account.id).await?.is_some() {
            continue;
        }
        // An account no reader reaches (no feed) is a person's to check: nothing is fetched.
        let Some(feed) = &account.feed else { continue };
        let feed = Url::parse(feed).map_err(|e| {
            CoreError::BadInput(format!("account {}: feed `{feed}`: {e}", account.id))
        })?;
        let (fetcher, tx, id) = (fetcher.clone(), tx.clone(), account.id.clone());
        let platform = account.platform;
        tasks.spawn(async move {
            let obs = fetch_feed(&fetcher, &id, platform, &feed).await;
            let _ = tx.send(obs).await;
            None
        });
    }
    drop(tx);
    let mut outcome = CrawlOutcome {
        run,
        ..CrawlOutcome::default()
    };
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(Some(summary)) => outcome.add(&summary),
            Ok(None) => {}
            Err(e) => tracing::error!("a crawl task failed: {e}"),
        }
    }
    writer
        .await
        .map_err(|e| CoreError::Task("store writer", e.to_string()))??;
    store.release_caches();
    store
        .set_run_status(run, "crawled", &settings.clock.now_rfc3339())
        .await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::{
        FetchRecord, LinkElement, ListState, PageFacts, PageKind, Purpose,
    };

    /// Page `n` of a chain: it links to the next page.
    fn page(n: usize) -> Observation {
        let url = format!("http://t.test/p/{n}.html");
        Observation::Fetched {
            target: "portal".into(),
            depth: 1,
            purpose: Purpose::Page,
            fetch: FetchRecord {
                url: url.clone(),
                final_url: url,
                redirects: vec![],
                status: Some(200),
                error: None,
                blocked: None,
                elapsed_ms: 1,
                attempts: 1,
                bytes: 100,
                content_type: Some("text/html".into()),
                charset: Some("utf-8".into()),
                content_hash: Some(format!("hash{n}")),
                fetched_at: "2025-09-30T00:00:00Z".into(),
                etag: None,
                last_modified: None,
            },
            facts: Some(PageFacts::new(PageKind::Detail, ListState::None)),
            links: vec![Link {
                target: format!("http://t.test/p/{}.html", n + 1),
                anchor: format!("第{}页", n + 1),
                element: LinkElement::A,
                nav: false,
            }],
            unchanged: None,
        }
    }

    #[tokio::test]
    async fn links_are_read_a_window_at_a_time_and_served_from_memory() {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("x.db").display());
        let store = Store::open(&db).await.unwrap();
        let run = store
            .create_run("seeds.toml", "h", "2025-09-30", "2025-09-30T00:00:00Z")
            .await
            .unwrap();
        let pages = 2 * LINKS_WINDOW + 10;
        let mut observations: Vec<Observation> = (0..pages).map(page).collect();
        observations.push(Observation::TargetDone {
            target: "portal".into(),
            complete: true,
            pages: pages as u64,
            cut_by: None,
        });
        store.write(run, &observations).await.unwrap();
        let mut prior = HashMap::new();
        store
            .prior_pages(run + 1, "portal", |fetch, version| {
                prior.insert(fetch.url, version);
            })
            .await
            .unwrap();
        let version = |n: usize| prior[&format!("http://t.test/p/{n}.html")];
        let mut reader = LinksAhead {
            store,
            order: prior.values().copied().collect(),
            kept: Default::default(),
            served: HashSet::new(),
        };
        reader.order.sort_unstable();

        let first = reader.links(version(0)).await.unwrap();
        assert_eq!(first[0].target, "http://t.test/p/1.html");
        assert_eq!(&*first[0].anchor, "第1页");
        // The window after it was read with it and is served from memory.
        assert_eq!(reader.kept.len(), LINKS_WINDOW - 1);
        let second = reader.links(version(1)).await.unwrap();
        assert_eq!(second[0].target, "http://t.test/p/2.html");
        assert_eq!(reader.kept.len(), LINKS_WINDOW - 2);
        // Out of the window: read again, from a little before it, nothing served twice.
        let far = pages - 5;
        let links = reader.links(version(far)).await.unwrap();
        assert_eq!(links[0].target, format!("http://t.test/p/{}.html", far + 1));
        assert!(reader.kept.len() <= LINKS_KEPT);
        assert!(!reader.kept.contains_key(&version(0)));
        assert!(reader.kept.contains_key(&version(far - 1)));
        // A version that was never stored has no links.
        assert!(reader.links(-1).await.is_none());
    }
}
