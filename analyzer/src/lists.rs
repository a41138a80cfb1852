//! Lists a page loads by script from a data endpoint (jpage `dataproxy.jsp`, a JSON API), as a
//! reader of the page sees them.
//!
//! The crawler records such an endpoint as a `data` link of the page and fetches it; here a page
//! whose own HTML "needs rendering" takes the rows its endpoints answered. Only rows count: an
//! endpoint that failed, was blocked or answered nothing leaves the page as it was (needs
//! rendering, so inconclusive), never empty.

use std::borrow::Cow;

use xunjian_model::observe::{LinkElement, ListItem, ListState, SiteRecords};

/// The records with every needs-rendering page given the rows of its fetched data endpoints.
/// Borrowed when no page changes.
pub fn with_loaded_lists(records: &SiteRecords) -> Cow<'_, SiteRecords> {
    let mut fills: Vec<(String, Vec<ListItem>)> = Vec::new();
    for (url, page) in &records.pages {
        if page.facts.as_ref().map(|f| f.list) != Some(ListState::NeedsRender) {
            continue;
        }
        let mut rows: Vec<ListItem> = Vec::new();
        for link in page.links.iter().filter(|l| l.element == LinkElement::Data) {
            let data = records.pages.get(&link.target);
            if let Some(f) = data
                .and_then(|d| d.readable_facts())
                .filter(|f| f.list == ListState::Items)
            {
                for item in &f.items {
                    if !rows.iter().any(|r| r.url == item.url) {
                        rows.push(item.clone());
                    }
                }
            }
        }
        if !rows.is_empty() {
            fills.push((url.clone(), rows));
        }
    }
    if fills.is_empty() {
        return Cow::Borrowed(records);
    }
    let mut out = records.clone();
    for (url, rows) in fills {
        if let Some(f) = out.pages.get_mut(&url).and_then(|p| p.facts.as_mut()) {
            f.items = rows;
            f.list = ListState::Items;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::page;
    use xunjian_model::observe::*;

    fn record(
        url: &str,
        status: u16,
        list: ListState,
        items: Vec<ListItem>,
        links: Vec<Link>,
    ) -> PageRecord {
        let mut p = page(
            url,
            Some(PageFacts {
                items,
                ..PageFacts::new(PageKind::List, list)
            }),
            links,
        );
        p.fetch.status = Some(status);
        p
    }

    fn data(target: &str) -> Link {
        Link {
            target: target.into(),
            anchor: String::new(),
            element: LinkElement::Data,
            nav: false,
        }
    }

    #[test]
    fn a_needs_render_page_takes_the_rows_of_its_endpoint_and_nothing_else() {
        let row = ListItem {
            title: "通知".into(),
            url: "http://s/a/1.html".into(),
            date: "2025-09-20".parse().ok(),
            date_source: DateSource::List,
            reply: None,
        };
        let mut r = SiteRecords::default();
        for p in [
            record(
                "http://s/a/",
                200,
                ListState::NeedsRender,
                vec![],
                vec![data("http://s/a.json")],
            ),
            record(
                "http://s/a.json",
                200,
                ListState::Items,
                vec![row.clone()],
                vec![],
            ),
            // An endpoint that answered no rows, and one that failed: no evidence either way.
            record(
                "http://s/b/",
                200,
                ListState::NeedsRender,
                vec![],
                vec![data("http://s/b.json")],
            ),
            record("http://s/b.json", 200, ListState::None, vec![], vec![]),
            record(
                "http://s/c/",
                200,
                ListState::NeedsRender,
                vec![],
                vec![data("http://s/c.json")],
            ),
            record(
                "http://s/c.json",
                500,
                ListState::Items,
                vec![row.clone()],
                vec![],
            ),
        ] {
            r.pages.insert(p.fetch.url.clone(), p);
        }
        let loaded = with_loaded_lists(&r);
        let state = |u: &str| loaded.pages[u].facts.as_ref().unwrap().list;
        assert_eq!(state("http://s/a/"), ListState::Items);
        assert_eq!(
            loaded.pages["http://s/a/"].facts.as_ref().unwrap().items,
            [row]
        );
        assert_eq!(state("http://s/b/"), ListState::NeedsRender);
        assert_eq!(state("http://s/c/"), ListState::NeedsRender);
        let none = SiteRecords::default();
        assert!(matches!(with_loaded_lists(&none), Cow::Borrowed(_)));
    }
}
