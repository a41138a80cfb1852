//! 复查 in minutes: re-fetch exactly the evidence of the open problems (the broken link, the
//! column's list page, the homepage, the account's feed), under the usual politeness, and move each
//! by what the answer shows: gone (已销号), or still there (a problem reported fixed is 待整改
//! again). The analyzer judges each answer ([`xunjian_analyzer::recheck`]); an answer that failed
//! closes nothing, and when the inspector's own network failed (every outside host unreachable)
//! the failures say nothing either way.

use std::collections::BTreeMap;
use std::sync::Arc;

use url::Url;
use xunjian_analyzer::network::{HostTally, InspectorFault};
use xunjian_analyzer::recheck::{self, Answer, Read, Recheck};
use xunjian_crawler::account::{read_answer, AccountAnswer};
use xunjian_crawler::extract::extract_at;
use xunjian_crawler::fetch::{Fetched, Fetcher, Mode};
use xunjian_crawler::platform::Reading;
use xunjian_model::observe::Post;
use xunjian_model::Action;
use xunjian_store::{Problem, Store, XUNJIAN};

use crate::crawl::fetch_config;
use crate::error::{CoreError, Result};
use crate::settings::Settings;

/// The posts of an account's answer `f` from `url`, read as the crawl reads it (the account's
/// platform adapters, block answers first); `None` when it holds none to judge by (a failure, a
/// block, an unknown format).
fn read_posts(settings: &Settings, url: &str, f: &Fetched) -> Option<Vec<Post>> {
    let body = f.body.as_deref().filter(|_| f.record.is_readable())?;
    let platform = settings
        .seeds
        .seeds
        .accounts
        .iter()
        .find(|a| a.feed.as_deref() == Some(url))
        .map_or(xunjian_model::seeds::Platform::Other, |a| a.platform);
    let reading = Reading::new(platform, settings.clock.now());
    match read_answer(f.record.status?, body, &reading).0 {
        AccountAnswer::Posts(posts) => Some(posts),
        AccountAnswer::Empty => Some(Vec::new()),
        AccountAnswer::Blocked(_) | AccountAnswer::Unknown => None,
    }
}

/// What a 复查 did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rechecked {
    /// Open problems whose evidence was fetched again.
    pub checked: usize,
    /// Found gone: 已销号.
    pub gone: Vec<i64>,
    /// Found still there.
    pub still: Vec<i64>,
    /// Not settled by one answer (left to the next complete run), or whose answer failed.
    pub undecided: Vec<i64>,
}

impl std::fmt::Display for Rechecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "复查 {} open problems: {} gone (已销号), {} still there, {} undecided",
            self.checked,
            self.gone.len(),
            self.still.len(),
            self.undecided.len()
        )
    }
}

/// Fetch each distinct evidence URL once (a body only where the page or feed must be read).
async fn fetch_all(
    fetcher: &Arc<Fetcher>,
    wanted: &BTreeMap<String, Read>,
) -> BTreeMap<String, Fetched> {
    let mut tasks = tokio::task::JoinSet::new();
    for (url, read) in wanted {
        let Ok(parsed) = Url::parse(url) else {
            continue;
        };
        let (fetcher, url, mode) = (
            fetcher.clone(),
            url.clone(),
            match read {
                Read::Status => Mode::GetStatus,
                Read::Page | Read::Feed => Mode::Get,
            },
        );
        tasks.spawn(async move { (url, fetcher.fetch(&parsed, mode).await) });
    }
    let mut out = BTreeMap::new();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok((url, fetched)) => {
                out.insert(url, fetched);
            }
            Err(e) => tracing::error!("a 复查 fetch failed: {e}"),
        }
    }
    out
}

/// The inspector's own network fault, when the answers show one (then a failed answer is no
/// evidence that a problem is still there).
fn inspector_fault(answers: &BTreeMap<String, Fetched>) -> Option<InspectorFault> {
    let mut tally = HostTally::default();
    for (url, f) in answers {
        tally.add(url, f.record.status, f.record.error);
    }
    let fault = tally.fault();
    if let Some(f) = &fault {
        tracing::warn!("{}: failed answers are not judged", f.reason_zh());
    }
    fault
}

/// Re-check every open problem whose evidence one answer can settle.
pub async fn recheck(settings: &Settings, store: &Store) -> Result<Rechecked> {
    let today = settings.clock.today_in_china();
    let windows = settings.pack.thresholds().columns;
    let open: Vec<(Problem, recheck::Evidence)> = store
        .problems(None)
        .await?
        .into_iter()
        .filter(|p| p.state.is_open())
        .filter_map(|p| recheck::evidence(&p.finding).map(|e| (p, e)))
        .collect();
    let mut wanted: BTreeMap<String, Read> = BTreeMap::new();
    for (_, e) in &open {
        let read = wanted.entry(e.url.clone()).or_insert(e.read);
        *read = (*read).max(e.read);
    }
    let config = fetch_config(&settings.seeds.seeds, settings);
    let fetcher = Arc::new(Fetcher::new(config).map_err(|e| CoreError::Client(e.to_string()))?);
    let answers = fetch_all(&fetcher, &wanted).await;
    let facts: BTreeMap<&str, _> = answers
        .iter()
        .filter_map(|(url, f)| {
            let body = f.body.as_deref().filter(|_| f.record.is_readable())?;
            let parsed = Url::parse(url).ok()?;
            let ct = f.record.content_type.as_deref();
            Some((url.as_str(), extract_at(&parsed, body, ct, today).facts))
        })
        .collect();
    let posts: BTreeMap<&str, Vec<Post>> = answers
        .iter()
        .filter(|(url, _)| wanted.get(*url) == Some(&Read::Feed))
        .filter_map(|(url, f)| Some((url.as_str(), read_posts(settings, url, f)?)))
        .collect();
    let fault = inspector_fault(&answers);
    let homepages: Vec<String> = settings
        .seeds
        .seeds
        .sites
        .iter()
        .map(|s| s.url.clone())
        .collect();
    let mut out = Rechecked {
        checked: open.len(),
        ..Default::default()
    };
    let at = settings.clock.now_rfc3339();
    for (p, e) in &open {
        let Some(fetched) = answers.get(&e.url) else {
            out.undecided.push(p.id);
            continue;
        };
        if fault.is_some_and(|f| f.explains(&fetched.record)) {
            out.undecided.push(p.id);
            continue;
        }
        let answer = Answer {
            homepages: &homepages,
            fetch: &fetched.record,
            facts: facts.get(e.url.as_str()),
            posts: posts.get(e.url.as_str()).map(Vec::as_slice),
        };
        let (action, note) = match recheck::recheck(&p.finding, answer, today, &windows) {
            Recheck::Gone(why) => (Action::Gone, why),
            Recheck::Still(why) => (Action::StillThere, why),
            Recheck::Undecided(_) => {
                out.undecided.push(p.id);
                continue;
            }
        };
        let note = format!("{note}（{}）", e.url);
        // The answer the decision rests on is kept with the problem, in the same transaction as
        // the decision: a crash leaves both or neither.
        let warc = crate::evidence::warc_of(fetched)?;
        let kept = crate::evidence::as_evidence("recheck", fetched, None, &warc);
        let moved = store
            .act_with_evidence(
                p.id,
                p.state,
                action,
                XUNJIAN,
                Some(&note),
                &at,
                Some(&kept),
            )
            .await?;
        match moved {
            Ok(_) if action == Action::Gone => out.gone.push(p.id),
            Ok(_) => out.still.push(p.id),
            // Someone answered it meanwhile: the next 复查 looks again.
            Err(_) => out.undecided.push(p.id),
        }
    }
    tracing::info!("{out}");
    Ok(out)
}
