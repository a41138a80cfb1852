//! A site's records seen from the analyzer: the homepage, the scope of the site, and lookups that
//! follow the crawl's URL identities (requested URL, final URL, homepage aliases).

use std::collections::{BTreeMap, HashSet};

use url::Url;
use xunjian_model::observe::{FetchRecord, ListItem, PageFacts, PageRecord, SiteRecords};

/// Index-like file names that mean "this directory's page": `/`, `/index.html`…
const INDEX_NAMES: &[&str] = &[
    "",
    "index.html",
    "index.htm",
    "index.shtml",
    "index.jhtml",
    "index.jsp",
    "index.php",
    "default.htm",
    "default.html",
    "default.aspx",
    "main.htm",
    "main.html",
];

/// The `host:port` of a URL.
pub fn host_key(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    Some(format!(
        "{}:{}",
        u.host_str()?,
        u.port_or_known_default().unwrap_or(0)
    ))
}

/// Whether a URL is the root page of its host (`/`, `/index.html`…).
pub fn is_root_page(url: &str) -> bool {
    let Ok(u) = Url::parse(url) else { return false };
    let path = u.path().trim_start_matches('/');
    INDEX_NAMES.contains(&path) && u.query().is_none()
}

/// The same page under another name: the directory form of an index page, fragment removed.
pub fn page_identity(url: &str) -> String {
    // Most URLs (crawled, so already in the url crate's normal form) have no fragment, no query
    // and no index file name: they are their own identity, without parsing them again.
    let last = url.rsplit('/').next().unwrap_or_default();
    let has_path = url
        .split_once("://")
        .is_some_and(|(_, rest)| rest.contains('/'));
    if has_path && !url.contains(['#', '?', '%', ' ']) && !INDEX_NAMES.contains(&last) {
        return url.to_string();
    }
    identity_by_parsing(url)
}

/// [`page_identity`] the long way: parsed, the fragment dropped, an index file name cut off.
fn identity_by_parsing(url: &str) -> String {
    let Ok(mut u) = Url::parse(url) else {
        return url.to_string();
    };
    u.set_fragment(None);
    let path = u.path().to_string();
    if let Some((dir, file)) = path.rsplit_once('/') {
        if INDEX_NAMES.contains(&file) && !file.is_empty() {
            u.set_path(&format!("{dir}/"));
        }
    }
    u.to_string()
}

/// A site's records with the lookups the rules need.
pub struct SiteView<'a> {
    /// The records.
    pub records: &'a SiteRecords,
    /// The homepage as crawled (the seeds URL, normalized).
    pub home_url: String,
    /// Hosts of the site: the homepage's and, when it redirects elsewhere, the final one.
    pub scope: HashSet<String>,
    /// Identities of the homepage (its URL, its final URL, their index aliases).
    home_ids: HashSet<String>,
    /// Pages fetched under another name than their identity (`/x/index.html`, `/a.html#top`), by
    /// identity: to find `/x/` when `/x/index.html` was fetched. Only the aliases: a page fetched
    /// under its identity is found in the records themselves.
    by_identity: BTreeMap<String, &'a PageRecord>,
}

impl<'a> SiteView<'a> {
    /// A view of `records` for the site whose homepage is `home`.
    pub fn new(records: &'a SiteRecords, home: &str) -> SiteView<'a> {
        let home_url = Url::parse(home)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| home.to_string());
        let mut scope = HashSet::new();
        let mut home_ids = HashSet::new();
        scope.extend(host_key(&home_url));
        home_ids.insert(page_identity(&home_url));
        if let Some(home) = records.pages.get(&home_url) {
            scope.extend(host_key(&home.fetch.final_url));
            home_ids.insert(page_identity(&home.fetch.final_url));
        }
        let mut by_identity = BTreeMap::new();
        for (url, page) in &records.pages {
            let id = page_identity(url);
            if id != *url {
                by_identity.entry(id).or_insert(page);
            }
        }
        SiteView {
            records,
            home_url,
            scope,
            home_ids,
            by_identity,
        }
    }

    /// The homepage's record.
    pub fn home(&self) -> Option<&'a PageRecord> {
        self.records.pages.get(&self.home_url)
    }

    /// The homepage's facts, when it answered with HTML.
    pub fn home_facts(&self) -> Option<&'a PageFacts> {
        self.home().and_then(PageRecord::readable_facts)
    }

    /// Whether `url` is the homepage under any of its names.
    pub fn is_home(&self, url: &str) -> bool {
        self.home_ids.contains(&page_identity(url))
    }

    /// Whether `url` is on the site's own hosts.
    pub fn is_internal(&self, url: &str) -> bool {
        host_key(url).is_some_and(|h| self.scope.contains(&h))
    }

    /// The items of a column: its list page and the later pages its pager leads to, followed
    /// page by page (a 下一页 chain), each page once; `None` when the list page did not answer.
    pub fn column_items(&self, column_url: &str) -> Option<Vec<&'a ListItem>> {
        let page = self.page(column_url)?;
        let facts = page.facts.as_ref().filter(|_| page.fetch.is_success())?;
        let mut items: Vec<&ListItem> = facts.items.iter().collect();
        let mut read = HashSet::from([page_identity(column_url)]);
        let mut next: Vec<&str> = page
            .links
            .iter()
            .filter(|l| l.continues_list(column_url))
            .map(|l| l.target.as_str())
            .collect();
        while let Some(url) = next.pop() {
            if !read.insert(page_identity(url)) {
                continue;
            }
            let Some(later) = self.page(url).filter(|p| p.fetch.is_success()) else {
                continue;
            };
            if let Some(f) = later.facts.as_ref() {
                items.extend(f.items.iter());
            }
            next.extend(
                later
                    .links
                    .iter()
                    .filter(|l| l.continues_list(url))
                    .map(|l| l.target.as_str()),
            );
        }
        Some(items)
    }

    /// The page record for `url`, under its own name or its index alias.
    pub fn page(&self, url: &str) -> Option<&'a PageRecord> {
        let pages = &self.records.pages;
        pages.get(url).or_else(|| {
            let id = page_identity(url);
            pages
                .get(&id)
                .or_else(|| self.by_identity.get(&id).copied())
        })
    }

    /// How a link target fared: its page fetch, or its check (this site's or the run's).
    pub fn outcome(
        &self,
        url: &str,
        run_checks: &'a BTreeMap<String, FetchRecord>,
    ) -> Option<(&'a FetchRecord, Option<&'a PageFacts>)> {
        if let Some(p) = self.records.pages.get(url) {
            return Some((&p.fetch, p.facts.as_deref()));
        }
        if let Some(c) = self.records.checks.get(url).or_else(|| run_checks.get(url)) {
            return Some((c, None));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities() {
        assert_eq!(page_identity("http://a/x/index.html"), "http://a/x/");
        assert_eq!(page_identity("http://a/x/"), "http://a/x/");
        assert_eq!(page_identity("http://a/x/a.html#top"), "http://a/x/a.html");
        // The quick path gives what parsing gives, for the URLs it takes.
        for url in [
            "http://a.gov.cn/x/t20250301_1.html",
            "http://a.gov.cn",
            "http://a.gov.cn/x/index.htm?page=2",
            "http://a.gov.cn/x/list.html?page=2",
            "http://a.gov.cn:80/x/a.html",
            "HTTP://A.gov.cn/x/a.html",
            "政府信息公开年报",
        ] {
            let parsed = identity_by_parsing(url);
            if url.chars().all(|c| !c.is_ascii_uppercase()) && !url.contains(":80/") {
                assert_eq!(page_identity(url), parsed, "{url}");
            }
        }
        assert!(is_root_page("http://a/index.shtml"));
        assert!(is_root_page("http://a/"));
        assert!(!is_root_page("http://a/x/"));
        assert!(!is_root_page("http://a/?q=1"));
        assert_eq!(
            host_key("http://127.0.0.1:81/x").as_deref(),
            Some("127.0.0.1:81")
        );
    }
}
