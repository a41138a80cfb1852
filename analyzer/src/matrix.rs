//! 政务新媒体矩阵 and the registry: the portal's matrix page set beside the seeds' accounts, both
//! ways, for review. A page account matches a seeds account when one name holds the other (the
//! page often writes 「崂山发布」 as 「崂山发布官方微信」) and the platforms do not differ (a page
//! that does not say the platform matches any). Names written differently are a question for
//! the office, never a fault: nothing here is scored.

use xunjian_model::finding::MatrixCheck;
use xunjian_model::observe::{MatrixEntry, SiteRecords};
use xunjian_model::seeds::{Account, Site, SiteKind};

/// A name as compared: no spaces or separators.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !"·•|-_（）()「」“”\"".contains(*c))
        .collect()
}

/// Whether page entry `e` is seeds account `a`.
fn same(e: &MatrixEntry, a: &Account) -> bool {
    let (en, an) = (key(&e.name), key(&a.name));
    let platform_agrees = e.platform.is_none_or(|p| p == a.platform);
    platform_agrees && an.chars().count() >= 2 && (en.contains(&an) || an.contains(&en))
}

/// The portal's matrix check: the page with the most entries among the matrix pages its crawl
/// read (`None` for other sites, or when no page of the portal is one).
pub fn check(site: &Site, records: &SiteRecords, accounts: &[Account]) -> Option<MatrixCheck> {
    if site.kind != SiteKind::Portal {
        return None;
    }
    let (url, entries) = records
        .pages
        .iter()
        .filter_map(|(url, p)| Some((url, p.readable_facts()?.matrix.as_ref()?)))
        .filter(|(_, entries)| !entries.is_empty())
        .max_by_key(|(_, entries)| entries.len())?;
    Some(MatrixCheck {
        url: url.clone(),
        entries: entries.len(),
        not_listed: accounts
            .iter()
            .filter(|a| !entries.iter().any(|e| same(e, a)))
            .map(|a| a.id.clone())
            .collect(),
        not_in_seeds: entries
            .iter()
            .filter(|e| !accounts.iter().any(|a| same(e, a)))
            .cloned()
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::{ListState, PageFacts, PageKind};
    use xunjian_model::seeds::Platform;

    fn account(id: &str, name: &str, platform: Platform) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            unit: "zfb".into(),
            platform,
            feed: None,
            uid: None,
        }
    }

    fn entry(name: &str, platform: Option<Platform>) -> MatrixEntry {
        MatrixEntry {
            name: name.into(),
            platform,
        }
    }

    #[test]
    fn the_page_and_the_seeds_are_set_beside_each_other_both_ways() {
        let mut facts = PageFacts::new(PageKind::Other, ListState::None);
        facts.matrix = Some(vec![
            entry("崂山发布官方微信", Some(Platform::Wechat)),
            entry("崂山 文旅", None),
            entry("崂山公安", Some(Platform::Weibo)),
            entry("崂山发布", Some(Platform::Douyin)),
        ]);
        let mut records = SiteRecords::default();
        let url = "http://www.laoshan.gov.cn/xmtjz/";
        records
            .pages
            .insert(url.into(), crate::testkit::page(url, Some(facts), vec![]));
        let accounts = [
            account("wx", "崂山发布", Platform::Wechat),
            account("wb", "崂山文旅", Platform::Weibo),
            account("dy", "崂山教育", Platform::Douyin),
        ];
        let portal = Site {
            id: "portal".into(),
            name: "门户".into(),
            unit: "zfb".into(),
            url: "http://www.laoshan.gov.cn/".into(),
            kind: SiteKind::Portal,
            columns: vec![],
            rate_per_host: None,
        };
        let c = check(&portal, &records, &accounts).expect("a matrix page");
        assert_eq!((c.url.as_str(), c.entries), (url, 4));
        assert_eq!(c.not_listed, ["dy"], "崂山发布 on Douyin is not 崂山教育");
        assert_eq!(
            c.not_in_seeds,
            [
                entry("崂山公安", Some(Platform::Weibo)),
                entry("崂山发布", Some(Platform::Douyin))
            ]
        );
        let department = Site {
            kind: SiteKind::Department,
            ..portal
        };
        assert!(check(&department, &records, &accounts).is_none());
    }
}
