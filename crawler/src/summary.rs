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

/// Whether a saved file looks like an HTML page: text (no NUL bytes, few control characters in its
/// first 8 KiB) with a tag an HTML page opens with. `extract` refuses anything else rather than
/// print the summary of nothing.
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(8192)];
    let controls = head
        .iter()
        .filter(|b| **b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if head.contains(&0) || controls * 100 > head.len() {
        return false;
    }
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<div",
        "<p>",
        "<a ",
    ]
    .iter()
    .any(|tag| text.contains(tag))
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

#[cfg(test)]
mod sniff_tests {
    use super::looks_like_html;

    #[test]
    fn html_is_told_from_other_bytes() {
        assert!(looks_like_html(
            b"<!DOCTYPE html><html><body>x</body></html>"
        ));
        assert!(looks_like_html(
            "<div class=\"list\"><a href=\"/a\">通知</a></div>".as_bytes()
        ));
        assert!(!looks_like_html(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(!looks_like_html(b"just some words, no markup"));
        assert!(!looks_like_html(&[0x13, 0x37, 0x00, 0xff, 0x3c, 0x68]));
    }
}
