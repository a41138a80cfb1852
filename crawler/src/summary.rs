//! What `xunjian extract` prints (contracts.md section 1): the crawler's view of one page, as JSON.

use serde::Serialize;
use url::Url;
use xunjian_model::observe::PageKind;

/// The crawler's view of one page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageSummary {
    /// The charset the page was decoded with.
    pub charset: String,
    /// The `<title>`.
    pub title: Option<String>,
    /// `list`, `detail` or `other`.
    pub kind: PageKind,
    /// The page's publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
    /// The list items.
    pub items: Vec<SummaryItem>,
    /// Every link target, absolute, in page order.
    pub links: Vec<String>,
}

/// A list item as printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryItem {
    /// The item's title.
    pub title: String,
    /// Its absolute URL.
    pub url: String,
    /// Its date, `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// Read a saved page as if fetched from `url`.
pub fn summarize(url: &Url, body: &[u8]) -> PageSummary {
    let e = crate::extract::extract(url, body, None);
    let mut links: Vec<String> = Vec::new();
    for l in &e.links {
        if !links.contains(&l.target) {
            links.push(l.target.clone());
        }
    }
    PageSummary {
        charset: e.charset,
        title: e.facts.title,
        kind: e.facts.kind,
        published: e.facts.published.map(|d| d.to_string()),
        items: e
            .facts
            .items
            .into_iter()
            .map(|i| SummaryItem {
                title: i.title,
                url: i.url,
                date: i.date.map(|d| d.to_string()),
            })
            .collect(),
        links,
    }
}
