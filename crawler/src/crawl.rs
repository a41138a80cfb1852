//! Crawling one site: a breadth-first frontier that puts the homepage, the navigation and the column
//! list pages first, so that a crawl cut short by its budget still has complete column evidence.
//!
//! Pages on the site's own host are fetched with GET and parsed; every other link target (outside
//! links, images, attachments) is only checked, with HEAD falling back to GET, once per run. Every
//! fetch becomes an [`Observation`] sent to the store as soon as it is made, so a killed crawl keeps
//! what it saw and can be resumed.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::urlset::UrlSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::task::JoinSet;
use url::Url;
use xunjian_model::observe::{
    CrawlLimit, FailKind, FetchRecord, Link, LinkElement, Observation, PageFacts, ProbeRecord,
    Purpose, SharedLink,
};
use xunjian_model::seeds::Platform;

use crate::extract;
use crate::fetch::{host_key, Fetched, Fetcher, Mode, Validators};

/// How far one site's crawl may go.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Pages fetched at most.
    pub max_pages: u64,
    /// Link depth from the homepage at most.
    pub max_depth: u32,
    /// Wall time at most.
    pub max_time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_pages: 300_000,
            max_depth: 12,
            max_time: Duration::from_secs(4 * 3600),
        }
    }
}

/// What to crawl for one site.
#[derive(Debug, Clone)]
pub struct SitePlan {
    /// The site's id.
    pub id: String,
    /// The homepage.
    pub home: Url,
    /// Column list pages registered in the seeds: crawled right after the homepage.
    pub registered: Vec<Url>,
    /// The budget.
    pub budget: Budget,
    /// Resuming: pages already fetched in this run, with their depth and links.
    pub resume_pages: HashMap<String, (u32, Vec<SharedLink>)>,
    /// Resuming: every URL already fetched or checked for this site in this run.
    pub resume_done: HashSet<String>,
    /// Recrawling: what the previous run saw of each page, by URL (empty for a full crawl).
    pub prior: PriorPages,
    /// Recrawling: where the links of the previous run's page versions are read from.
    pub prior_links: Option<Arc<dyn PriorLinks>>,
    /// Recrawling: the previous runs' good link checks, carried forward unless due tonight.
    pub prior_checks: Option<Arc<crate::recheck::PriorChecks>>,
    /// Where the crawl counts what it fetched and what waits (read by a progress display).
    pub progress: Arc<crate::progress::SiteProgress>,
}

/// What the previous run saw of a page: asked for again conditionally, and reused when unchanged.
/// A recrawl holds one per page of the site until the page is fetched again, so it keeps only
/// what the reuse needs, in a compact form (the URL is the map's key; the media type and charset
/// are shared).
#[derive(Debug, Clone)]
pub struct PriorPage {
    /// The stored page version it was read as.
    pub version: i64,
    final_url: Option<Box<str>>,
    redirects: Box<[String]>,
    status: Option<u16>,
    bytes: u64,
    content_type: Option<Arc<str>>,
    charset: Option<Arc<str>>,
    content_hash: Option<Box<str>>,
    fetched_at: Box<str>,
    etag: Option<Box<str>>,
    last_modified: Option<Box<str>>,
}

/// The previous run's pages of a site by URL, built from its stored fetches.
#[derive(Debug, Default, Clone)]
pub struct PriorPages {
    pages: HashMap<String, PriorPage>,
    shared: HashSet<Arc<str>>,
}

impl PriorPages {
    /// Add a page the previous run fetched (a readable `record`) and read as `version`.
    pub fn insert(&mut self, record: FetchRecord, version: i64) {
        let mut share = |s: Option<String>| -> Option<Arc<str>> {
            let s = s?;
            if let Some(known) = self.shared.get(s.as_str()) {
                return Some(known.clone());
            }
            let new: Arc<str> = s.into();
            self.shared.insert(new.clone());
            Some(new)
        };
        let boxed = |s: Option<String>| s.map(String::into_boxed_str);
        let page = PriorPage {
            version,
            final_url: (record.final_url != record.url).then(|| record.final_url.into()),
            redirects: record.redirects.into_boxed_slice(),
            status: record.status,
            bytes: record.bytes,
            content_type: share(record.content_type),
            charset: share(record.charset),
            content_hash: boxed(record.content_hash),
            fetched_at: record.fetched_at.into(),
            etag: boxed(record.etag),
            last_modified: boxed(record.last_modified),
        };
        self.pages.insert(record.url, page);
    }

    /// Take the page at `url` out (each page is fetched once a run).
    pub fn take(&mut self, url: &str) -> Option<PriorPage> {
        self.pages.remove(url)
    }

    /// How many pages are held.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The stored versions of the pages held.
    pub fn versions(&self) -> impl Iterator<Item = i64> + '_ {
        self.pages.values().map(|p| p.version)
    }
}

impl PriorPage {
    /// The earlier fetch of `url` as it was recorded (the record a reused page is judged by).
    fn record(&self, url: &str) -> FetchRecord {
        let own = |s: &Option<Box<str>>| s.as_deref().map(str::to_string);
        FetchRecord {
            url: url.to_string(),
            final_url: self.final_url.as_deref().unwrap_or(url).to_string(),
            redirects: self.redirects.to_vec(),
            status: self.status,
            error: None,
            blocked: None,
            elapsed_ms: 0,
            attempts: 1,
            bytes: self.bytes,
            content_type: self.content_type.as_deref().map(str::to_string),
            charset: self.charset.as_deref().map(str::to_string),
            content_hash: own(&self.content_hash),
            fetched_at: self.fetched_at.to_string(),
            etag: own(&self.etag),
            last_modified: own(&self.last_modified),
        }
    }

    /// The validators to ask again with, when the earlier answer had any.
    fn validators(&self) -> Option<Validators> {
        (self.etag.is_some() || self.last_modified.is_some()).then(|| Validators {
            etag: self.etag.as_deref().map(str::to_string),
            last_modified: self.last_modified.as_deref().map(str::to_string),
        })
    }
}

/// A boxed future, for [`PriorLinks`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a recrawl reads the links of a stored page version: the store, behind a trait, so that the
/// crawler does not depend on it.
pub trait PriorLinks: Send + Sync + std::fmt::Debug {
    /// The links of `version`; `None` when they cannot be read (the page is then fetched again).
    fn links(&self, version: i64) -> BoxFuture<'_, Option<Vec<Link>>>;
}

/// URLs checked in this run, shared by all sites, so each outside link is checked once.
#[derive(Debug, Default)]
pub struct CheckedUrls(Mutex<UrlSet>);

impl CheckedUrls {
    /// Claim `url` for checking; false if someone already did.
    pub fn claim(&self, url: &str) -> bool {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(url)
    }
}

/// How a site's crawl ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SiteSummary {
    /// Pages fetched (this session).
    pub pages: u64,
    /// Whether the frontier was exhausted within the budget.
    pub complete: bool,
    /// The limit that cut the crawl short, when one did.
    pub cut_by: Option<CrawlLimit>,
    /// Pages found unchanged since the previous run and reused without parsing.
    pub unchanged: u64,
    /// Of those, how many the server answered 304 Not Modified.
    pub not_modified: u64,
    /// Link checks carried forward from an earlier run instead of being sent again.
    pub checks_reused: u64,
}

impl SiteSummary {
    /// Count a page found unchanged (`not_modified`: by a 304).
    fn reused(&mut self, not_modified: bool) {
        self.unchanged += 1;
        self.not_modified += u64::from(not_modified);
    }
}

/// File endings that are resources to check, never pages to parse.
const RESOURCE_ENDINGS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".zip", ".rar",
    ".7z", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".svg", ".ico", ".tif", ".mp3",
    ".mp4", ".avi", ".wmv", ".flv", ".swf", ".css", ".js", ".txt", ".xml", ".apk", ".exe", ".ofd",
];

fn is_resource(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    RESOURCE_ENDINGS.iter().any(|e| path.ends_with(e))
}

/// Endings of attachments (附件): documents a page offers for download.
const DOCUMENT_ENDINGS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".ofd", ".zip",
    ".rar", ".7z",
];

/// Whether the URL names an attachment.
fn is_document(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    DOCUMENT_ENDINGS.iter().any(|e| path.ends_with(e))
}

/// Whether a check was answered by a web page that answered (2xx, HTML).
fn answers_web_page(record: &FetchRecord) -> bool {
    record.status.is_some_and(|s| (200..300).contains(&s))
        && record
            .content_type
            .as_deref()
            .is_some_and(|ct| ct.to_ascii_lowercase().contains("text/html"))
}

/// A frontier entry: pages before checks, shallow before deep, navigation before the rest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Task {
    depth: u32,
    tier: u8,
    seq: u64,
    url: String,
    check: bool,
}

/// The path of the site's 404 probe: one that cannot exist, the same for every run of a site.
pub fn not_found_probe(home: &Url, site_id: &str) -> Option<Url> {
    let digest = sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(site_id));
    home.join(&format!(
        "/xunjian-404-probe-{}.html",
        hex::encode(&digest[..6])
    ))
    .ok()
}

/// Crawl one site, sending every observation to `sink`.
pub async fn crawl_site(
    fetcher: Arc<Fetcher>,
    mut plan: SitePlan,
    checked: Arc<CheckedUrls>,
    sink: mpsc::Sender<Observation>,
) -> SiteSummary {
    let started = Instant::now();
    // Each page is taken out when it is fetched again: the memory goes as the crawl proceeds.
    let mut prior = std::mem::take(&mut plan.prior);
    let mut scope: HashSet<String> = HashSet::from([host_key(&plan.home)]);
    let mut frontier: BinaryHeap<Reverse<Task>> = BinaryHeap::new();
    let mut seen = UrlSet::new();
    let mut seq = 0u64;
    let mut push = |frontier: &mut BinaryHeap<Reverse<Task>>, depth, tier, url: String, check| {
        seq += 1;
        frontier.push(Reverse(Task {
            depth,
            tier,
            seq,
            url,
            check,
        }));
    };

    // The homepage first: without it nothing else can be judged.
    let home_key = plan.home.to_string();
    seen.insert(&home_key);
    let mut summary = SiteSummary::default();
    if !plan.resume_done.contains(&home_key) {
        // Unconditional: the homepage visit is also a probe, and a 304 is no proof of opening.
        let fetched = fetcher.fetch(&plan.home, Mode::Get).await;
        summary.pages += 1;
        plan.progress.fetched(fetched.record.is_success());
        let over_budget = fetched.record.error == Some(FailKind::Skipped);
        // A homepage the host's budget did not reach was not visited: no probe, no evidence.
        if !over_budget {
            let probe = probe_of(&plan.id, &plan.home, &fetched, fetcher.config().timeout);
            let _ = sink.send(Observation::Probe(probe)).await;
        }
        if let Ok(final_url) = Url::parse(&fetched.record.final_url) {
            scope.insert(host_key(&final_url));
        }
        let page = settle(
            &plan.id,
            fetched,
            prior.take(&home_key),
            plan.prior_links.as_deref(),
            &fetcher,
        )
        .await;
        let links = record_page(&plan, 0, page, &sink, &mut summary).await;
        let Some(links) = links else {
            let cut_by = over_budget.then_some(CrawlLimit::Requests);
            let _ = sink
                .send(Observation::TargetDone {
                    target: plan.id.clone(),
                    complete: cut_by.is_none(),
                    pages: summary.pages,
                    cut_by,
                })
                .await;
            summary.complete = cut_by.is_none();
            summary.cut_by = cut_by;
            return summary;
        };
        enqueue_links(
            &links,
            LinksFrom::page(&home_key, 0, false),
            &scope,
            &checked,
            &mut seen,
            &mut frontier,
            &mut push,
        );
    } else if let Some((_, links)) = plan.resume_pages.get(&home_key) {
        enqueue_links(
            links,
            LinksFrom::page(&home_key, 0, false),
            &scope,
            &checked,
            &mut seen,
            &mut frontier,
            &mut push,
        );
    }
    for url in &plan.registered {
        if seen.insert(url.as_str()) {
            push(&mut frontier, 1, 0, url.to_string(), false);
        }
    }

    // The site's "not found" answer, to recognise soft 404s.
    if let Some(probe) = not_found_probe(&plan.home, &plan.id) {
        if !plan.resume_done.contains(probe.as_str()) {
            let fetched = fetcher.fetch(&probe, Mode::Get).await;
            page_observation(&plan.id, 1, Purpose::NotFoundProbe, fetched, &sink).await;
        }
    }

    let mut running: JoinSet<(Task, Answer)> = JoinSet::new();
    let parallel = fetcher.config().concurrency.clamp(1, 16);
    let mut complete = true;
    let mut cut_by: Option<CrawlLimit> = None;
    loop {
        // The store behind the sink has failed: what is fetched now could not be recorded.
        if sink.is_closed() {
            // The store's failure is told once, where it happened; each site only stops.
            tracing::debug!(site = %plan.id, "the store stopped taking observations: crawl stopped");
            running.abort_all();
            summary.complete = false;
            return summary;
        }
        while running.len() < parallel {
            let Some(Reverse(task)) = frontier.pop() else {
                break;
            };
            if !task.check {
                if let Some((_, links)) = plan.resume_pages.get(&task.url) {
                    let links = links.clone();
                    enqueue_links(
                        &links,
                        LinksFrom::page(&task.url, task.depth, false),
                        &scope,
                        &checked,
                        &mut seen,
                        &mut frontier,
                        &mut push,
                    );
                    continue;
                }
            }
            if plan.resume_done.contains(&task.url) {
                continue;
            }
            if let Some(then) = task
                .check
                .then(|| plan.prior_checks.as_ref()?.reuse(&task.url))
                .flatten()
            {
                // Checked lately and fine: carried forward with the time it was checked.
                summary.checks_reused += 1;
                plan.progress.fetched(true);
                send_check(&plan.id, task.depth, then, &sink).await;
                continue;
            }
            if !task.check
                && (summary.pages >= plan.budget.max_pages
                    || started.elapsed() > plan.budget.max_time)
            {
                complete = false;
                cut_by = cut_by.or(Some(if summary.pages >= plan.budget.max_pages {
                    CrawlLimit::Pages
                } else {
                    CrawlLimit::Time
                }));
                let Ok(url) = Url::parse(&task.url) else {
                    continue;
                };
                let _ = sink
                    .send(Observation::Fetched {
                        target: plan.id.clone(),
                        depth: task.depth,
                        purpose: Purpose::Page,
                        fetch: fetcher.give_up(&url, FailKind::Skipped),
                        facts: None,
                        links: vec![],
                        unchanged: None,
                    })
                    .await;
                continue;
            }
            let Ok(url) = Url::parse(&task.url) else {
                continue;
            };
            if !task.check {
                summary.pages += 1;
            }
            let fetcher = fetcher.clone();
            let prior = if task.check {
                None
            } else {
                prior.take(&task.url)
            };
            let prior_links = plan.prior_links.clone();
            let site = plan.id.clone();
            let internal = scope.contains(&host_key(&url));
            // Fetching, reading stored links and parsing all happen here, in parallel: the crawl
            // loop only records and enqueues.
            running.spawn(async move {
                if task.check {
                    let fetched = check(&fetcher, &url).await;
                    if internal && is_document(&url) && answers_web_page(&fetched.record) {
                        // An attachment answered by a web page: read it, for the site's own
                        // "not found" template may stand where the document should be.
                        let got = fetcher.fetch(&url, Mode::Get).await;
                        let mut page = parse_page(&site, Purpose::Page, got).await;
                        page.links.clear();
                        return (task, Answer::Page(PageOutcome::Parsed(page)));
                    }
                    return (task, Answer::Checked(fetched.record));
                }
                let validators = prior.as_ref().and_then(PriorPage::validators);
                let fetched = fetcher
                    .fetch_if_changed(&url, Mode::Get, validators.as_ref())
                    .await;
                let page = settle(&site, fetched, prior, prior_links.as_deref(), &fetcher).await;
                (task, Answer::Page(page))
            });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (task, answer) = match done {
            Ok(done) => done,
            Err(e) => {
                tracing::error!(site = %plan.id, "a fetch task failed: {e}");
                continue;
            }
        };
        plan.progress.queued(frontier.len() + running.len());
        let record = match &answer {
            Answer::Checked(record) => record,
            Answer::Page(page) => page.record(),
        };
        plan.progress.fetched(record.is_success());
        if record.error == Some(FailKind::Skipped) {
            // The host's budget ran out: what is left was not fetched.
            complete = false;
            cut_by = cut_by.or(Some(CrawlLimit::Requests));
        }
        let page = match answer {
            Answer::Checked(record) => {
                send_check(&plan.id, task.depth, record, &sink).await;
                continue;
            }
            Answer::Page(page) => page,
        };
        // A redirect to a page already seen (or out of scope) is recorded but not parsed again.
        let record = page.record();
        let in_scope = Url::parse(&record.final_url)
            .ok()
            .is_some_and(|u| scope.contains(&host_key(&u)));
        let revisit = record.final_url != record.url && !seen.insert(&record.final_url);
        if !in_scope || revisit {
            let record = page.into_record();
            let unparsed = ParsedPage {
                record,
                facts: None,
                links: vec![],
            };
            send_page(&plan.id, task.depth, Purpose::Page, unparsed, &sink).await;
            continue;
        }
        let links = record_page(&plan, task.depth, page, &sink, &mut summary).await;
        if let Some(links) = links {
            let at_limit = task.depth >= plan.budget.max_depth;
            enqueue_links(
                &links,
                LinksFrom::page(&task.url, task.depth, at_limit),
                &scope,
                &checked,
                &mut seen,
                &mut frontier,
                &mut push,
            );
            // What the depth limit kept from the frontier was not crawled.
            let web = |t: &str| t.starts_with("http://") || t.starts_with("https://");
            if at_limit
                && links
                    .iter()
                    .any(|l| web(&l.target) && !seen.contains(&l.target))
            {
                complete = false;
                cut_by = cut_by.or(Some(CrawlLimit::Depth));
            }
        }
    }
    let _ = sink
        .send(Observation::TargetDone {
            target: plan.id.clone(),
            complete,
            pages: summary.pages,
            cut_by,
        })
        .await;
    summary.complete = complete;
    summary.cut_by = cut_by;
    summary
}

/// Record a link check (made now, or carried forward from an earlier run).
async fn send_check(site: &str, depth: u32, record: FetchRecord, sink: &mpsc::Sender<Observation>) {
    let _ = sink
        .send(Observation::Fetched {
            target: site.to_string(),
            depth,
            purpose: Purpose::Check,
            fetch: record,
            facts: None,
            links: vec![],
            unchanged: None,
        })
        .await;
}

/// A page found unchanged since the previous run: the previous run's record of it, its stored
/// version and links.
struct Reused {
    then: FetchRecord,
    version: i64,
    links: Vec<Link>,
}

/// Whether a fetch found the page as the previous run saw it: a 304, or the same body at the same
/// final URL, read in the same year (the year month-day list dates take); then its stored links.
async fn reusable(
    prior: Option<PriorPage>,
    links: Option<&dyn PriorLinks>,
    fetched: &Fetched,
) -> Option<Reused> {
    let prior = prior?;
    let now = &fetched.record;
    let then = prior.record(&now.url);
    let not_modified = now.status == Some(304);
    let same_body = now.is_readable()
        && now.content_hash.is_some()
        && now.content_hash == then.content_hash
        && now.final_url == then.final_url;
    let same_year = now.fetched_at.get(..4) == then.fetched_at.get(..4);
    if !(not_modified || same_body) || !same_year || !then.is_readable() {
        return None;
    }
    let links = links?.links(prior.version).await?;
    Some(Reused {
        then,
        version: prior.version,
        links,
    })
}

/// What a fetch task hands the crawl loop (each value moves once, from the task to the loop: boxing
/// the larger variant would only add an allocation).
#[allow(clippy::large_enum_variant)]
enum Answer {
    /// A link target checked.
    Checked(FetchRecord),
    /// A page of the site.
    Page(PageOutcome),
}

/// What became of a page's fetch: reused from the previous run, or parsed.
#[allow(clippy::large_enum_variant)]
enum PageOutcome {
    /// Unchanged since the previous run: this fetch's record and the stored version.
    Reused { now: FetchRecord, reused: Reused },
    /// Parsed from its body (or left unparsed when it is not a page that answered).
    Parsed(ParsedPage),
}

impl PageOutcome {
    /// The record the page is judged by (a reused page's is the previous run's).
    fn record(&self) -> &FetchRecord {
        match self {
            PageOutcome::Reused { reused, .. } => &reused.then,
            PageOutcome::Parsed(p) => &p.record,
        }
    }

    /// This fetch's own record.
    fn into_record(self) -> FetchRecord {
        match self {
            PageOutcome::Reused { now, .. } => now,
            PageOutcome::Parsed(p) => p.record,
        }
    }
}

/// Settle a page's fetch: reused when unchanged since the previous run, else parsed. A 304 whose
/// stored links could not be read is fetched again in full first.
async fn settle(
    site: &str,
    fetched: Fetched,
    prior: Option<PriorPage>,
    prior_links: Option<&dyn PriorLinks>,
    fetcher: &Fetcher,
) -> PageOutcome {
    if let Some(reused) = reusable(prior, prior_links, &fetched).await {
        return PageOutcome::Reused {
            now: fetched.record,
            reused,
        };
    }
    let fetched = match (fetched.record.status, Url::parse(&fetched.record.url)) {
        (Some(304), Ok(url)) => fetcher.fetch(&url, Mode::Get).await,
        _ => fetched,
    };
    PageOutcome::Parsed(parse_page(site, Purpose::Page, fetched).await)
}

/// Record a settled page of the site and return its links when it answered. A reused page is
/// recorded as its stored version, confirmed at this fetch's time.
async fn record_page(
    plan: &SitePlan,
    depth: u32,
    page: PageOutcome,
    sink: &mpsc::Sender<Observation>,
    summary: &mut SiteSummary,
) -> Option<Vec<Link>> {
    let (
        now,
        Reused {
            then,
            version,
            links,
        },
    ) = match page {
        PageOutcome::Parsed(p) => return send_page(&plan.id, depth, Purpose::Page, p, sink).await,
        PageOutcome::Reused { now, reused } => (now, reused),
    };
    summary.reused(now.status == Some(304));
    let record = FetchRecord {
        fetched_at: now.fetched_at.clone(),
        elapsed_ms: now.elapsed_ms,
        attempts: now.attempts,
        etag: now.etag.clone().or(then.etag),
        last_modified: now.last_modified.clone().or(then.last_modified),
        ..then
    };
    let _ = sink
        .send(Observation::Fetched {
            target: plan.id.clone(),
            depth,
            purpose: Purpose::Page,
            fetch: record,
            facts: None,
            links: vec![],
            unchanged: Some(version),
        })
        .await;
    Some(links)
}

/// The page whose links are put on the frontier.
struct LinksFrom<'a> {
    /// Its URL.
    url: &'a str,
    /// Its link depth.
    depth: u32,
    /// Whether it is at the depth limit: then only its column's other list pages and list data.
    at_limit: bool,
}

impl<'a> LinksFrom<'a> {
    fn page(url: &'a str, depth: u32, at_limit: bool) -> LinksFrom<'a> {
        LinksFrom {
            url,
            depth,
            at_limit,
        }
    }
}

/// Put a page's links on the frontier: pages of the site to fetch, everything else to check.
/// A column's other list pages (its pager) and list data are the column itself, at its depth.
fn enqueue_links<L: std::borrow::Borrow<Link>>(
    links: &[L],
    from: LinksFrom,
    scope: &HashSet<String>,
    checked: &CheckedUrls,
    seen: &mut UrlSet,
    frontier: &mut BinaryHeap<Reverse<Task>>,
    push: &mut impl FnMut(&mut BinaryHeap<Reverse<Task>>, u32, u8, String, bool),
) {
    for link in links {
        let link: &Link = link.borrow();
        // Most links of a page (its navigation and footer) were seen on the first page: no parse.
        if seen.contains(&link.target) {
            continue;
        }
        let Ok(url) = Url::parse(&link.target) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") || !seen.insert(&link.target) {
            continue;
        }
        let internal = scope.contains(&host_key(&url));
        let data = link.element == LinkElement::Data;
        // A column's other list pages and the data its list is loaded from are the column itself:
        // they come with it, at its depth (a 15-page list must not use up the depth limit).
        let same_column = data || link.continues_list(from.url);
        if from.at_limit && !(internal && same_column) {
            // Not seen after all: the limit kept it out.
            seen.remove(&link.target);
            continue;
        }
        let depth = from.depth;
        if internal && link.element.leads_to_page() && (data || !is_resource(&url)) {
            let tier = if link.nav || same_column { 0 } else { 1 };
            let at = if same_column { depth } else { depth + 1 };
            push(frontier, at, tier, link.target.clone(), false);
        } else if checked.claim(&link.target) {
            // Checked once per run, whichever site links it first.
            push(frontier, depth + 1, 2, link.target.clone(), true);
        }
    }
}

/// Check a link target: HEAD, falling back to a GET (headers only) where HEAD is refused or fails.
async fn check(fetcher: &Fetcher, url: &Url) -> Fetched {
    let head = fetcher.fetch(url, Mode::Head).await;
    let retry_with_get = match (head.record.status, head.record.error) {
        (_, Some(FailKind::Disallowed | FailKind::Internal)) => false,
        (_, Some(FailKind::Other)) => true,
        (Some(s), None) => s >= 400,
        _ => false,
    };
    if retry_with_get {
        fetcher.fetch(url, Mode::GetStatus).await
    } else {
        head
    }
}

fn probe_reason(fetched: &Fetched) -> Option<String> {
    if let Some(e) = fetched.record.error {
        return Some(e.as_str().to_string());
    }
    match fetched.record.status {
        Some(s) if !(200..300).contains(&s) => Some(format!("http_{s}")),
        _ => None,
    }
}

/// A fetched page with what extraction found in it.
struct ParsedPage {
    record: FetchRecord,
    facts: Option<PageFacts>,
    links: Vec<Link>,
}

/// Extract a fetched page when it is HTML (or XML, JSON, text) that answered, off the async threads
/// (parsing is CPU work); a panicking extraction is logged and leaves the page unparsed.
async fn parse_page(site: &str, purpose: Purpose, fetched: Fetched) -> ParsedPage {
    let Fetched { mut record, body } = fetched;
    let html = record.content_type.as_deref().is_none_or(|ct| {
        ct.contains("html")
            || ct.contains("xml")
            || ct.contains("json")
            || ct.contains("text/plain")
    });
    let extracted = match (body, html, Url::parse(&record.final_url)) {
        // A body cut short (too large, or a failure mid-way) is never read: a cut list would read
        // as fewer or older items, and a cut bomb would cost the parser gigabytes.
        (Some(body), true, Ok(base))
            if record.error.is_none()
                && (record.status.is_some_and(|s| s < 400)
                    || purpose == Purpose::NotFoundProbe) =>
        {
            let content_type = record.content_type.clone();
            // The day a `[06-10]` list date is read against; the Unix epoch's when it does not parse.
            let reference =
                xunjian_model::clock::china_date_of(&record.fetched_at).unwrap_or_default();
            let url = record.url.clone();
            tokio::task::spawn_blocking(move || {
                extract::extract_at(&base, &body, content_type.as_deref(), reference)
            })
            .await
            .inspect_err(|e| tracing::error!(site, %url, "extraction failed: {e}"))
            .ok()
        }
        _ => None,
    };
    match extracted {
        Some(e) => {
            record.charset = Some(e.charset);
            ParsedPage {
                record,
                facts: Some(e.facts),
                links: e.links,
            }
        }
        None => ParsedPage {
            record,
            facts: None,
            links: vec![],
        },
    }
}

/// Send a page's observation; return its links when it was a page that answered.
async fn send_page(
    site: &str,
    depth: u32,
    purpose: Purpose,
    page: ParsedPage,
    sink: &mpsc::Sender<Observation>,
) -> Option<Vec<Link>> {
    let ParsedPage {
        record,
        facts,
        links,
    } = page;
    let answered = facts.is_some() && record.is_success();
    let _ = sink
        .send(Observation::Fetched {
            target: site.to_string(),
            depth,
            purpose,
            fetch: record,
            facts,
            links: links.clone(),
            unchanged: None,
        })
        .await;
    answered.then_some(links)
}

/// Parse a fetched page and send its observation; its links when it answered.
async fn page_observation(
    site: &str,
    depth: u32,
    purpose: Purpose,
    fetched: Fetched,
    sink: &mpsc::Sender<Observation>,
) -> Option<Vec<Link>> {
    let page = parse_page(site, purpose, fetched).await;
    send_page(site, depth, purpose, page, sink).await
}

/// One visit of a homepage for the unreachability rule: opened (2xx) within the timeout, or not.
/// Use a fetcher without retries: a retry would hide the failed visit the rule counts.
pub async fn probe_home(fetcher: &Fetcher, site: &str, home: &Url) -> ProbeRecord {
    let fetched = fetcher.fetch(home, Mode::Get).await;
    probe_of(site, home, &fetched, fetcher.config().timeout)
}

/// The probe record of a homepage visit (the crawl's own visit counts as one too).
fn probe_of(site: &str, home: &Url, fetched: &Fetched, timeout: Duration) -> ProbeRecord {
    let timeout_ms = timeout.as_millis() as u64;
    ProbeRecord {
        site: site.to_string(),
        url: home.to_string(),
        probed_at: fetched.record.fetched_at.clone(),
        ok: fetched.record.is_success()
            && fetched.record.blocked.is_none()
            && fetched.record.elapsed_ms < timeout_ms,
        elapsed_ms: fetched.record.elapsed_ms,
        // A wall in front of xunjian says nothing about whether people can open the site.
        reason: if fetched.record.blocked.is_some() {
            Some(BLOCKED.to_string())
        } else {
            probe_reason(fetched)
        },
    }
}

/// The probe reason of a visit stopped by an anti-bot wall: neither a success nor a failure.
pub const BLOCKED: &str = "blocked";

/// Fetch an account's feed and read its posts ([`crate::account::read_answer`]): a block, a
/// captcha or a login wall is recorded as blocked, an answer in no known format as
/// [`FailKind::Format`]; neither is evidence about the account.
pub async fn fetch_feed(
    fetcher: &Fetcher,
    account: &str,
    platform: Platform,
    feed: &Url,
) -> Observation {
    let fetched = fetcher.fetch(feed, Mode::Get).await;
    let mut record = fetched.record;
    let reading = crate::platform::Reading::new(platform, fetcher.clock().now());
    let (posts, reader) = crate::account::read_into(&mut record, fetched.body.as_deref(), &reading);
    tracing::debug!(account, %feed, reader, posts = posts.len(), "account answer read");
    if record.error == Some(FailKind::Format) {
        tracing::warn!(account, %feed, "the account's answer is in no known format");
    }
    Observation::Feed {
        account: account.to_string(),
        fetch: record,
        posts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_cut_short_is_never_read() {
        let list = "<html><body><ul><li><a href=\"/a.html\">关于开展检查的通知</a>\
                    <span>2025-09-01</span></li></ul></body></html>";
        let fetched = |error: Option<FailKind>| Fetched {
            record: FetchRecord {
                url: "http://x.gov.cn/tzgg/".into(),
                final_url: "http://x.gov.cn/tzgg/".into(),
                redirects: vec![],
                status: Some(200),
                error,
                blocked: None,
                elapsed_ms: 0,
                attempts: 1,
                bytes: list.len() as u64,
                content_type: Some("text/html".into()),
                charset: None,
                content_hash: None,
                fetched_at: "2025-09-10T01:00:00Z".into(),
                etag: None,
                last_modified: None,
            },
            body: Some(list.as_bytes().to_vec()),
        };
        let whole = parse_page("x", Purpose::Page, fetched(None)).await;
        assert!(whole.facts.is_some_and(|f| f.items.len() == 1));
        let cut = parse_page("x", Purpose::Page, fetched(Some(FailKind::TooLarge))).await;
        assert!(cut.facts.is_none() && cut.links.is_empty());
    }

    #[test]
    fn resources_are_not_pages() {
        assert!(is_resource(&Url::parse("http://a/x/file.PDF").unwrap()));
        assert!(!is_resource(&Url::parse("http://a/x/index.shtml").unwrap()));
        assert!(!is_resource(&Url::parse("http://a/x/").unwrap()));
    }

    #[test]
    fn frontier_order_is_home_nav_then_rest_then_checks() {
        let mut heap = BinaryHeap::new();
        for (depth, tier, seq, url, check) in [
            (2, 0, 1, "deep-nav", false),
            (1, 2, 2, "check", true),
            (1, 1, 3, "body-link", false),
            (1, 0, 4, "nav", false),
        ] {
            heap.push(Reverse(Task {
                depth,
                tier,
                seq,
                url: url.into(),
                check,
            }));
        }
        let order: Vec<String> = std::iter::from_fn(|| heap.pop().map(|r| r.0.url)).collect();
        assert_eq!(order, ["nav", "body-link", "check", "deep-nav"]);
    }

    #[test]
    fn probe_path_is_stable_per_site() {
        let home = Url::parse("http://127.0.0.1:8080/").unwrap();
        let a = not_found_probe(&home, "portal").unwrap();
        assert_eq!(a, not_found_probe(&home, "portal").unwrap());
        assert_ne!(a, not_found_probe(&home, "jyj").unwrap());
        assert!(a.path().starts_with("/xunjian-404-probe-"));
    }
}
