//! Observations built by hand for the analyzer's tests: one way to say "this page was fetched".

use xunjian_model::observe::{FetchRecord, Link, PageFacts, PageRecord};

/// A 200 answer for `url`, fetched 2025-09-30 16:00 China time.
pub(crate) fn fetch(url: &str) -> FetchRecord {
    FetchRecord {
        url: url.into(),
        final_url: url.into(),
        redirects: vec![],
        status: Some(200),
        error: None,
        blocked: None,
        elapsed_ms: 5,
        attempts: 1,
        bytes: 10,
        content_type: Some("text/html".into()),
        charset: Some("utf-8".into()),
        content_hash: None,
        fetched_at: "2025-09-30T08:00:00Z".into(),
        etag: None,
        last_modified: None,
    }
}

/// `url` fetched with [`fetch`], holding `facts` and `links`, one link from the homepage.
pub(crate) fn page(url: &str, facts: Option<PageFacts>, links: Vec<Link>) -> PageRecord {
    PageRecord {
        fetch: fetch(url),
        depth: 1,
        facts: facts.map(Box::new),
        links: links.into_iter().map(std::sync::Arc::new).collect(),
    }
}
