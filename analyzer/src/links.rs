//! 链接不可用: which link targets are broken, with every page that carries them.
//!
//! Blocked is not broken: a 401/403/429 or an anti-bot wall says nothing about the link, and a URL
//! that robots.txt kept us from, or that the budget never reached, is simply not judged. A soft 404
//! is a page that answers 200 but says it does not exist (its text, or the site's own "not found"
//! template learned from the 404 probe), or a missing page redirected to the homepage.

use std::collections::{BTreeMap, BTreeSet};

use xunjian_model::finding::{BrokenReason, Finding, SOURCES_KEPT};
use xunjian_model::observe::{FailKind, FetchRecord, PageFacts};

use crate::network::InspectorFault;
use crate::view::SiteView;

/// The pages that carry a broken link: how many, whether the homepage is one, and the first
/// [`SOURCES_KEPT`] in URL order (a footer link sits on every page; the store keeps them all).
#[derive(Default)]
struct Carriers<'a> {
    count: usize,
    on_homepage: bool,
    first: Vec<&'a str>,
}

/// What the link check of a site found.
#[derive(Debug, Default)]
pub struct LinkJudgement {
    /// The broken-link findings.
    pub broken: Vec<Finding>,
    /// Targets left unjudged because the inspector's own network fault explains their failure.
    pub unchecked: usize,
    /// Targets not fetched because they point into an internal network (内网地址), in URL order.
    pub internal: Vec<String>,
}

/// The broken-link findings of a site and what was left unchecked. Targets are judged first and
/// pages counted after, for the broken ones only: a site's (page, link) pairs are millions at
/// district scale.
pub fn broken_links(
    view: &SiteView,
    run_checks: &BTreeMap<String, FetchRecord>,
    fault: Option<InspectorFault>,
) -> LinkJudgement {
    // Pages that answered, in URL order; their links are the evidence.
    let answered = || {
        view.records
            .pages
            .iter()
            .filter(|(_, p)| p.fetch.is_success() && p.facts.is_some())
    };
    let probe_fingerprint = not_found_fingerprint(view);
    let mut judged: BTreeMap<&str, Option<(BrokenReason, &FetchRecord)>> = BTreeMap::new();
    let mut unchecked = 0usize;
    let mut internal = Vec::new();
    for (_, page) in answered() {
        for link in &page.links {
            judged.entry(&link.target).or_insert_with(|| {
                let (fetch, facts) = view.outcome(&link.target, run_checks)?;
                if fetch.error == Some(FailKind::Internal) {
                    internal.push(link.target.clone());
                    return None;
                }
                if fault.is_some_and(|f| f.explains(fetch)) {
                    unchecked += 1;
                    return None;
                }
                let reason = classify(
                    view,
                    &link.target,
                    fetch,
                    facts,
                    probe_fingerprint.as_deref(),
                )?;
                Some((reason, fetch))
            });
        }
    }
    judged.retain(|_, v| v.is_some());
    let mut carriers: BTreeMap<&str, Carriers> = BTreeMap::new();
    for (url, page) in answered() {
        let mut on_page: BTreeSet<&str> = BTreeSet::new();
        for link in page
            .links
            .iter()
            .filter(|l| judged.contains_key(l.target.as_str()))
        {
            if !on_page.insert(&link.target) {
                continue;
            }
            let c = carriers.entry(&link.target).or_default();
            c.count += 1;
            c.on_homepage |= view.is_home(url);
            if c.first.len() < SOURCES_KEPT {
                c.first.push(url);
            }
        }
    }
    let mut out = Vec::new();
    for (target, c) in carriers {
        let Some(Some((reason, fetch))) = judged.remove(target) else {
            continue;
        };
        let sources: Vec<String> = c.first.iter().map(|s| s.to_string()).collect();
        let evidence = format!(
            "链接 {target} {}；所在页面：{}",
            describe(&reason, fetch),
            if c.count > sources.len() {
                format!("{}等{}个页面", sources.join("、"), c.count)
            } else {
                sources.join("、")
            }
        );
        out.push(Finding::LinkBroken {
            url: target.to_string(),
            internal: view.is_internal(target),
            on_homepage: c.on_homepage,
            status: fetch.status,
            reason,
            sources,
            source_count: c.count,
            evidence,
            seen: Some(fetch.fetched_at.clone()),
        });
    }
    internal.sort();
    LinkJudgement {
        broken: out,
        unchecked,
        internal,
    }
}

fn describe(reason: &BrokenReason, fetch: &FetchRecord) -> String {
    let mut s = reason.label_zh();
    if !fetch.redirects.is_empty() {
        s.push_str(&format!("（重定向至 {}）", fetch.final_url));
    }
    s
}

/// The fingerprint of the site's "not found" page, when the site answers unknown paths with 200.
fn not_found_fingerprint(view: &SiteView) -> Option<String> {
    let probe = view.records.probe404.as_ref()?;
    if !probe.fetch.is_success() || view.is_home(&probe.fetch.final_url) {
        return None;
    }
    let facts = probe.facts.as_ref()?;
    (!facts.fingerprint.is_empty()).then(|| facts.fingerprint.clone())
}

/// Why a target is broken, or `None` when it is fine or cannot be judged.
fn classify(
    view: &SiteView,
    target: &str,
    fetch: &FetchRecord,
    facts: Option<&PageFacts>,
    not_found_fingerprint: Option<&str>,
) -> Option<BrokenReason> {
    if fetch.blocked.is_some() {
        return None;
    }
    if let Some(e) = fetch.error {
        return match e {
            FailKind::Timeout => Some(BrokenReason::Timeout),
            FailKind::Dns => Some(BrokenReason::Dns),
            FailKind::Connect => Some(BrokenReason::Connect),
            FailKind::Tls => Some(BrokenReason::Tls),
            FailKind::RedirectLoop => Some(BrokenReason::RedirectLoop),
            FailKind::TooLarge => Some(BrokenReason::TooLarge),
            FailKind::Disallowed
            | FailKind::Skipped
            | FailKind::Other
            | FailKind::Format
            | FailKind::Internal => None,
        };
    }
    let status = fetch.status?;
    if status >= 400 {
        return Some(BrokenReason::Http(status));
    }
    if !(200..300).contains(&status) || view.is_home(target) {
        return None;
    }
    // A missing page sent to the homepage.
    if sent_home(fetch, |url| view.is_home(url)) {
        return Some(BrokenReason::Soft404);
    }
    let facts = facts?;
    if facts.says_not_found
        || not_found_fingerprint
            .is_some_and(|fp| !facts.fingerprint.is_empty() && fp == facts.fingerprint)
    {
        return Some(BrokenReason::Soft404);
    }
    None
}

/// Whether `fetch` was redirected to a homepage (`is_home`): a missing page sent home is a
/// soft 404 (软404), in the crawl's judgement and in a 复查's alike.
pub(crate) fn sent_home(fetch: &FetchRecord, is_home: impl Fn(&str) -> bool) -> bool {
    !fetch.redirects.is_empty() && is_home(&fetch.final_url)
}
