//! The three stages wired together: seeds → crawler → store → analyzer → store → reports.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use url::Url;
use xunjian_analyzer::pack::RulePack;
use xunjian_analyzer::{analyze_site, SiteInput};
use xunjian_crawler::crawl::{crawl_site, fetch_feed, Budget, CheckedUrls, SitePlan};
use xunjian_crawler::fetch::{host_key, FetchConfig, Fetcher};
use xunjian_model::finding::FINDINGS_SCHEMA;
use xunjian_model::observe::Observation;
use xunjian_model::period::Quarter;
use xunjian_model::{FindingsDoc, Seeds};
use xunjian_store::Store;

use crate::BadInput;

/// The default database: a SQLite file in the working directory.
pub const DEFAULT_DB: &str = "sqlite://xunjian.db";

/// A seeds file, loaded and validated, with the text it came from.
pub struct LoadedSeeds {
    /// Where it was read from.
    pub path: PathBuf,
    /// The parsed seeds.
    pub seeds: Seeds,
    /// SHA-256 of its text: a run belongs to one version of the seeds.
    pub hash: String,
}

/// Read and validate a seeds file; a bad one is [`BadInput`].
pub fn load_seeds(path: &Path) -> Result<LoadedSeeds> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        BadInput(format!(
            "{}:1:1: key `(file)`: cannot read: {e}",
            path.display()
        ))
    })?;
    let seeds = Seeds::parse(path, &text).map_err(|e| BadInput(e.to_string()))?;
    Ok(LoadedSeeds {
        path: path.to_path_buf(),
        seeds,
        hash: hex::encode(Sha256::digest(text.as_bytes())),
    })
}

/// The national rule pack, bundled so that the binary works anywhere.
pub const NATIONAL_PACK: &str = include_str!("../seeds/rules/national-2019.toml");

/// Load the rule pack (`--rules`, default the bundled national pack) and its overrides; a bad pack
/// is [`BadInput`].
/// The rule pack a district is judged by: `--rules`, else the pack its seeds name, else the
/// bundled national pack; then the seeds' overrides and the `--rules-override` files, in order.
pub fn district_rules(
    district: &xunjian_model::seeds::District,
    pack: Option<&Path>,
    overrides: &[PathBuf],
) -> Result<RulePack> {
    let pack = pack.or(district.rules.as_deref());
    let all: Vec<PathBuf> = district
        .rules_override
        .iter()
        .chain(overrides)
        .cloned()
        .collect();
    load_rules(pack, &all)
}

/// Load a rule pack (`None`: the bundled national pack) and layer `overrides` on it.
pub fn load_rules(pack: Option<&Path>, overrides: &[PathBuf]) -> Result<RulePack> {
    let bad = |e: xunjian_analyzer::pack::PackError| anyhow::Error::new(BadInput(e.to_string()));
    let mut rules = match pack {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                BadInput(format!(
                    "{}:1:1: key `(file)`: cannot read: {e}",
                    path.display()
                ))
            })?;
            RulePack::parse(path, &text).map_err(bad)?
        }
        None => RulePack::parse(Path::new("seeds/rules/national-2019.toml"), NATIONAL_PACK)
            .map_err(bad)?,
    };
    for path in overrides {
        let text = std::fs::read_to_string(path).map_err(|e| {
            BadInput(format!(
                "{}:1:1: key `(file)`: cannot read: {e}",
                path.display()
            ))
        })?;
        rules.apply_override(path, &text).map_err(bad)?;
    }
    Ok(rules)
}

/// Parse `--as-of`, defaulting to today.
pub fn as_of(arg: Option<&str>) -> Result<NaiveDate> {
    match arg {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => s
            .parse()
            .map_err(|_| BadInput(format!("--as-of `{s}`: expected a date as YYYY-MM-DD")).into()),
    }
}

/// Open the store named by `--db`.
pub async fn open_store(db: Option<&str>) -> Result<Store> {
    let url = db.unwrap_or(DEFAULT_DB);
    Store::open(url).await.map_err(|e| match e {
        xunjian_store::StoreError::Url(_) => BadInput(format!("--db: {e}")).into(),
        other => anyhow::Error::new(other).context(format!("opening the database {url}")),
    })
}

/// How a crawl should run.
pub struct CrawlOptions {
    /// The inspection time point.
    pub as_of: NaiveDate,
    /// Resume the unfinished run of the same seeds and date.
    pub resume: bool,
    /// No politeness (benchmarks on one's own servers only).
    pub impolite: bool,
}

/// Crawl every site and account of the seeds into a run; returns the run id.
pub async fn crawl(seeds: &LoadedSeeds, store: &Store, opts: &CrawlOptions) -> Result<i64> {
    let as_of = opts.as_of.to_string();
    let existing = if opts.resume {
        store.resumable_run(&seeds.hash, &as_of).await?
    } else {
        None
    };
    let run = match &existing {
        Some(r) => {
            tracing::info!(run = r.id, "resuming crawl");
            r.id
        }
        None => {
            store
                .create_run(
                    &seeds.path.display().to_string(),
                    &seeds.hash,
                    &as_of,
                    &xunjian_crawler::fetch::now_rfc3339(),
                )
                .await?
        }
    };
    let s = &seeds.seeds;
    let mut config = FetchConfig {
        timeout: Duration::from_secs_f64(s.defaults.timeout_s),
        rate_per_host: s.defaults.rate_per_host,
        respect_robots: s.defaults.respect_robots,
        impolite: opts.impolite,
        ..FetchConfig::default()
    };
    for site in &s.sites {
        if let (Some(rate), Ok(url)) = (site.rate_per_host, Url::parse(&site.url)) {
            config.host_rates.insert(host_key(&url), rate);
        }
    }
    let fetcher = Arc::new(Fetcher::new(config).context("building the HTTP client")?);
    let checked = Arc::new(CheckedUrls::default());
    let budget = Budget {
        max_pages: s.defaults.max_pages,
        max_depth: s.defaults.max_depth,
        max_time: Duration::from_secs(s.defaults.max_site_seconds),
    };

    let (tx, mut rx) = mpsc::channel::<Observation>(4096);
    let writer_store = store.clone();
    let writer = tokio::spawn(async move {
        let mut batch = Vec::with_capacity(256);
        while let Some(first) = rx.recv().await {
            batch.push(first);
            while batch.len() < 256 {
                match rx.try_recv() {
                    Ok(o) => batch.push(o),
                    Err(_) => break,
                }
            }
            writer_store.write(run, &batch).await?;
            batch.clear();
        }
        anyhow::Ok(())
    });

    let mut tasks = JoinSet::new();
    for site in &s.sites {
        let home = Url::parse(&site.url).with_context(|| format!("site {} url", site.id))?;
        let mut plan = SitePlan {
            id: site.id.clone(),
            home,
            registered: site
                .columns
                .iter()
                .filter_map(|c| Url::parse(&c.url).ok())
                .collect(),
            budget,
            resume_pages: HashMap::new(),
            resume_done: Default::default(),
        };
        if existing.is_some() {
            let records = store.site_records(run, &site.id).await?;
            if records.done.is_some() {
                continue;
            }
            plan.resume_done = store.fetched_urls(run, &site.id).await?;
            plan.resume_pages = records
                .pages
                .into_iter()
                .filter(|(_, p)| p.fetch.is_success())
                .map(|(u, p)| (u, (p.depth, p.links)))
                .collect();
        }
        let (fetcher, checked, tx) = (fetcher.clone(), checked.clone(), tx.clone());
        tasks.spawn(async move {
            let id = plan.id.clone();
            let summary = crawl_site(fetcher, plan, checked, tx).await;
            tracing::info!(site = %id, pages = summary.pages, complete = summary.complete, "site crawled");
        });
    }
    for account in &s.accounts {
        if existing.is_some() && store.account_records(run, &account.id).await?.is_some() {
            continue;
        }
        let feed =
            Url::parse(&account.feed).with_context(|| format!("account {} feed", account.id))?;
        let (fetcher, tx, id) = (fetcher.clone(), tx.clone(), account.id.clone());
        tasks.spawn(async move {
            let obs = fetch_feed(&fetcher, &id, &feed).await;
            let _ = tx.send(obs).await;
        });
    }
    drop(tx);
    while let Some(done) = tasks.join_next().await {
        done.context("a crawl task panicked")?;
    }
    writer.await.context("the store writer panicked")??;
    store
        .set_run_status(run, "crawled", &xunjian_crawler::fetch::now_rfc3339())
        .await?;
    Ok(run)
}

/// Judge a crawled run, store the verdicts, and return the findings document.
pub async fn analyze(
    seeds: &Seeds,
    store: &Store,
    run: i64,
    as_of: NaiveDate,
    pack: &RulePack,
) -> Result<FindingsDoc> {
    let rules = pack.thresholds();
    let run_checks = store.run_checks(run).await?;
    let window_start = (as_of - chrono::Days::new(rules.unreachable_window_days as u64))
        .and_hms_opt(0, 0, 0)
        .map(|t| {
            t.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_default();
    let window_end = (as_of + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .map(|t| {
            t.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_default();
    let calendar = xunjian_analyzer::calendar::WorkCalendar::bundled()
        .context("the bundled working-day calendar is invalid")?;
    let mut targets = Vec::new();
    let mut complete = true;
    for site in &seeds.sites {
        let records = store.site_records(run, &site.id).await?;
        complete &= records.done.unwrap_or(false);
        let probes = store.probes(&site.id, &window_start, &window_end).await?;
        let first_seen = store.first_seen(run, &site.id).await?;
        let input = SiteInput {
            site,
            records: &records,
            run_checks: &run_checks,
            probes: &probes,
            portal: seeds
                .sites
                .iter()
                .find(|s| s.kind == xunjian_model::seeds::SiteKind::Portal),
            disclosures: seeds
                .disclosures
                .iter()
                .filter(|d| d.site == site.id)
                .collect(),
            first_seen: &first_seen,
            calendar: Some(&calendar),
        };
        let mut report = analyze_site(&input, as_of, &rules);
        report.rules = xunjian_analyzer::pack::trace(&report, pack);
        let is_portal = site.kind == xunjian_model::seeds::SiteKind::Portal;
        xunjian_analyzer::pack::apply_score(&mut report, pack, is_portal);
        targets.push(report);
    }
    for account in &seeds.accounts {
        let feed = store.account_records(run, &account.id).await?;
        let mut report = xunjian_analyzer::analyze_account(account, feed.as_ref(), as_of, &rules);
        report.rules = xunjian_analyzer::pack::trace(&report, pack);
        targets.push(report);
    }
    store.save_reports(run, &targets).await?;
    store
        .set_run_status(run, "analyzed", &xunjian_crawler::fetch::now_rfc3339())
        .await?;
    Ok(findings_doc(seeds, as_of, targets, complete))
}

/// The findings document of a set of verdicts.
pub fn findings_doc(
    seeds: &Seeds,
    as_of: NaiveDate,
    targets: Vec<xunjian_model::TargetReport>,
    complete: bool,
) -> FindingsDoc {
    FindingsDoc {
        schema: FINDINGS_SCHEMA.to_string(),
        district: seeds.district.name.clone(),
        as_of: as_of.to_string(),
        period: Quarter::of(as_of).to_string(),
        targets,
        complete,
    }
}

/// Rebuild the findings document of an analyzed run from the store.
pub async fn stored_doc(
    seeds: &Seeds,
    store: &Store,
    run: i64,
    as_of: NaiveDate,
) -> Result<FindingsDoc> {
    let targets = store.load_reports(run).await?;
    anyhow::ensure!(
        !targets.is_empty() || seeds.sites.is_empty() && seeds.accounts.is_empty(),
        "run {run} has not been analyzed yet: run `xunjian analyze` first"
    );
    let mut complete = true;
    for site in &seeds.sites {
        complete &= store
            .site_records(run, &site.id)
            .await?
            .done
            .unwrap_or(false);
    }
    Ok(findings_doc(seeds, as_of, targets, complete))
}

/// Write every report of a findings document into `out`.
pub fn write_reports(
    out: &Path,
    doc: &FindingsDoc,
    seeds: &Seeds,
    as_of: NaiveDate,
) -> Result<xunjian_reports::Written> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let opts = xunjian_reports::ReportOptions {
        deadline_days: 10,
        issued: as_of,
    };
    xunjian_reports::write_all(out, doc, seeds, &opts)
        .with_context(|| format!("writing reports into {}", out.display()))
}

/// Record one probe round: one visit of every site's homepage (站点无法访问 needs ≥ 20 a day for a
/// week; run this from cron or the systemd timer in deploy/). Returns (probes, failures, blocked).
pub async fn probe(seeds: &Seeds, store: &Store) -> Result<(usize, usize, usize)> {
    let config = FetchConfig {
        timeout: Duration::from_secs_f64(seeds.defaults.timeout_s),
        rate_per_host: seeds.defaults.rate_per_host,
        respect_robots: seeds.defaults.respect_robots,
        retries: 0,
        ..FetchConfig::default()
    };
    let fetcher = Arc::new(Fetcher::new(config).context("building the HTTP client")?);
    let mut tasks = JoinSet::new();
    for site in &seeds.sites {
        let home = Url::parse(&site.url).with_context(|| format!("site {} url", site.id))?;
        let (fetcher, id) = (fetcher.clone(), site.id.clone());
        tasks.spawn(async move { xunjian_crawler::crawl::probe_home(&fetcher, &id, &home).await });
    }
    let mut batch = Vec::new();
    while let Some(done) = tasks.join_next().await {
        batch.push(Observation::Probe(done.context("a probe task panicked")?));
    }
    let blocked_reason = Some(xunjian_crawler::crawl::BLOCKED.to_string());
    let blocked = batch
        .iter()
        .filter(|o| matches!(o, Observation::Probe(p) if p.reason == blocked_reason))
        .count();
    let failures = batch
        .iter()
        .filter(|o| matches!(o, Observation::Probe(p) if !p.ok))
        .count()
        - blocked;
    // Probes belong to sites, not to runs: the run id is not used for them.
    store.write(0, &batch).await?;
    Ok((batch.len(), failures, blocked))
}
