//! 复查: whether a problem is still there, judged from one fresh answer to its evidence (the broken
//! link, the column's list page, the homepage, the account's feed), by the same rule pack as the
//! run that found it.
//!
//! A failed, blocked or unreadable answer is never evidence that a problem is gone: a column whose
//! list page does not answer is undecided, not fixed. A broken link that still fails is still
//! broken, unless the inspector's own network explains the failure. What one page cannot settle (a
//! disclosure, a homepage dated only through its columns, the content rules) is left to the next
//! complete run, which closes it if it is gone.

use chrono::NaiveDate;
use xunjian_model::finding::BrokenReason;
use xunjian_model::observe::{FetchRecord, PageFacts, Post};
use xunjian_model::Finding;

use crate::columns::stale_from;
use crate::pack::ColumnWindows;

/// What a re-check of one problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recheck {
    /// Gone, and why (for the log).
    Gone(String),
    /// Still there, and what shows it.
    Still(String),
    /// Not decided by this answer, and why.
    Undecided(String),
}

/// The fresh answer to a problem's evidence: the fetch, and what its page holds when it is one.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The fetch.
    pub fetch: &'a FetchRecord,
    /// The page's facts (for pages that answered and were read).
    pub facts: Option<&'a PageFacts>,
    /// The feed's posts (for feeds that answered and were read).
    pub posts: Option<&'a [Post]>,
    /// The homepages of the district's sites: a link redirected to one of them is still a
    /// missing page (软404), as the crawl judged it.
    pub homepages: &'a [String],
}

/// How much of an answer a re-check reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    /// Its status is enough (a broken link, an unreachable homepage).
    Status,
    /// The page is read (a list page, a homepage, a soft 404).
    Page,
    /// The feed is read (an account's posts).
    Feed,
}

/// What a re-check fetches for a problem: its evidence URL, and what of the answer is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The URL.
    pub url: String,
    /// What is read.
    pub read: Read,
}

/// The evidence a re-check of `finding` fetches, or `None` where one answer cannot settle it.
pub fn evidence(finding: &Finding) -> Option<Evidence> {
    let (url, read) = match finding {
        Finding::LinkBroken { url, reason, .. } if *reason == BrokenReason::Soft404 => {
            (url, Read::Page)
        }
        Finding::LinkBroken { url, .. } | Finding::SiteUnreachable { url, .. } => {
            (url, Read::Status)
        }
        Finding::ColumnStale { url, .. }
        | Finding::ColumnEmpty { url, .. }
        | Finding::HomepageStale { url, .. } => (url, Read::Page),
        Finding::AccountStale { url: Some(url), .. } => (url, Read::Feed),
        _ => return None,
    };
    Some(Evidence {
        url: url.clone(),
        read,
    })
}

/// What a failed answer says, for the log.
fn failure(fetch: &FetchRecord) -> String {
    match (fetch.error, fetch.status) {
        (Some(e), _) => e.label_zh().to_string(),
        (None, Some(s)) => format!("返回HTTP {s}"),
        _ => "未能访问".to_string(),
    }
}

/// Re-check `finding` from `answer` as of `today`, by the pack's column windows.
pub fn recheck(
    finding: &Finding,
    answer: Answer,
    today: NaiveDate,
    windows: &ColumnWindows,
) -> Recheck {
    let fetch = answer.fetch;
    if fetch.blocked.is_some() {
        return Recheck::Undecided("访问被拦截，本次复查不作判定".into());
    }
    match finding {
        Finding::LinkBroken { reason, .. } => link(reason, answer),
        Finding::SiteUnreachable { .. } if fetch.is_success() => {
            Recheck::Gone("首页已可正常访问".into())
        }
        Finding::SiteUnreachable { .. } => {
            Recheck::Still(format!("首页仍无法访问（{}）", failure(fetch)))
        }
        Finding::ColumnStale { class, .. } => {
            let Some(facts) = answer.facts.filter(|_| fetch.is_readable()) else {
                return Recheck::Undecided(format!(
                    "栏目页未能访问（{}），本次复查不作判定",
                    failure(fetch)
                ));
            };
            let Some(newest) = facts.items.iter().filter_map(|i| i.date).max() else {
                return Recheck::Still("栏目页仍无注明日期的信息".into());
            };
            match stale_from(*class, newest, windows) {
                Some(from) if from <= today => {
                    Recheck::Still(format!("栏目最新信息日期仍为{newest}"))
                }
                _ => Recheck::Gone(format!("栏目已更新，最新信息日期为{newest}")),
            }
        }
        Finding::ColumnEmpty { .. } => match answer.facts.filter(|_| fetch.is_readable()) {
            Some(f) if !f.items.is_empty() => {
                Recheck::Gone(format!("栏目已有信息{}条", f.items.len()))
            }
            Some(_) => Recheck::Still("栏目仍无信息".into()),
            None => Recheck::Undecided(format!(
                "栏目页未能访问（{}），本次复查不作判定",
                failure(fetch)
            )),
        },
        Finding::HomepageStale { window_days, .. } => homepage(*window_days, answer, today),
        Finding::AccountStale { window_days, .. } => account(*window_days, answer, today),
        _ => Recheck::Undecided("此类问题由下次完整检查复核".into()),
    }
}

/// The first day inside a window of `days` ending `today`.
fn window_start(days: u32, today: NaiveDate) -> NaiveDate {
    today - chrono::Days::new(u64::from(days))
}

/// A stale homepage re-checked: its newest dated item, against the window it was judged by. A
/// homepage without dated items was dated through its columns: one page cannot settle it.
fn homepage(window_days: u32, answer: Answer, today: NaiveDate) -> Recheck {
    let fetch = answer.fetch;
    let Some(facts) = answer.facts.filter(|_| fetch.is_readable()) else {
        return Recheck::Undecided(format!(
            "首页未能访问（{}），本次复查不作判定",
            failure(fetch)
        ));
    };
    match crate::columns::newest_item(facts, today) {
        Some(d) if d >= window_start(window_days, today) => {
            Recheck::Gone(format!("首页已更新，最新信息日期为{d}"))
        }
        Some(d) => Recheck::Still(format!("首页最新信息日期仍为{d}，{window_days}天内无更新")),
        None => Recheck::Undecided("首页无注明日期的信息，由下次完整检查复核".into()),
    }
}

/// A quiet account re-checked from its feed: its newest post, against the window it was judged by.
fn account(window_days: u32, answer: Answer, today: NaiveDate) -> Recheck {
    let fetch = answer.fetch;
    let Some(posts) = answer.posts.filter(|_| fetch.is_readable()) else {
        return Recheck::Undecided(format!(
            "账号信息源未能读取（{}），本次复查不作判定",
            failure(fetch)
        ));
    };
    match posts
        .iter()
        .filter(|p| !p.flags.deleted)
        .filter_map(|p| p.date)
        .filter(|d| *d <= today)
        .max()
    {
        Some(d) if d >= window_start(window_days, today) => {
            Recheck::Gone(format!("账号已更新，最新发布日期为{d}"))
        }
        Some(d) => Recheck::Still(format!("账号最新发布日期仍为{d}，{window_days}天内无更新")),
        // An empty or undated list is not evidence of anything, as in the analysis (empty: 需人工核验).
        None => {
            Recheck::Undecided("账号信息源无注明日期的发布，本次复查不作判定，需人工核验".into())
        }
    }
}

/// A broken link re-checked: an answer that is a page (and not the site's "not found" page, for
/// a soft 404) is fixed; any failure is the link still broken.
fn link(reason: &BrokenReason, answer: Answer) -> Recheck {
    let fetch = answer.fetch;
    if !fetch.is_success() {
        return Recheck::Still(format!("链接仍不可用（{}）", failure(fetch)));
    }
    if *reason == BrokenReason::Soft404 {
        let is_home = |url: &str| {
            let url = crate::view::page_identity(url);
            answer
                .homepages
                .iter()
                .any(|h| crate::view::page_identity(h) == url)
        };
        if crate::links::sent_home(fetch, is_home) {
            return Recheck::Still(format!("链接仍被重定向至首页（{}）", fetch.final_url));
        }
        return match answer.facts {
            Some(f) if !f.says_not_found => Recheck::Gone("链接已可正常访问".into()),
            Some(_) => Recheck::Still("链接仍指向“页面不存在”页面".into()),
            None => Recheck::Undecided("页面未能读取，本次复查不作判定".into()),
        };
    }
    Recheck::Gone(format!(
        "链接已可正常访问（HTTP {}）",
        fetch.status.unwrap_or(200)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::{DateSource, FailKind, ListItem, ListState, PageKind};
    use xunjian_model::ColumnClass;

    fn fetch(status: Option<u16>, error: Option<FailKind>) -> FetchRecord {
        FetchRecord {
            status,
            error,
            ..crate::testkit::fetch("https://x.gov.cn/a/")
        }
    }

    fn stale() -> Finding {
        Finding::ColumnStale {
            url: "https://x.gov.cn/a/".into(),
            column: "工作动态".into(),
            class: ColumnClass::News,
            last_update: Some("2025-08-01".into()),
            window_days: Some(14),
            window_months: None,
            evidence: String::new(),
            seen: None,
        }
    }

    fn page(dates: &[&str]) -> PageFacts {
        PageFacts {
            items: dates
                .iter()
                .map(|d| ListItem {
                    title: "t".into(),
                    url: "https://x.gov.cn/a/1.html".into(),
                    date: Some(d.parse().unwrap()),
                    date_source: DateSource::List,
                    reply: None,
                })
                .collect(),
            ..PageFacts::new(PageKind::List, ListState::Items)
        }
    }

    #[test]
    fn a_column_is_fixed_only_by_a_readable_list_page_with_a_fresh_date() {
        let w = crate::rules::Rules::default().columns;
        let today: NaiveDate = "2025-10-10".parse().unwrap();
        let ok = fetch(Some(200), None);
        let fresh = page(&["2025-10-08", "2025-07-01"]);
        let old = page(&["2025-09-01"]);
        let check = |f: &FetchRecord, p: Option<&PageFacts>| {
            recheck(
                &stale(),
                Answer {
                    fetch: f,
                    facts: p,
                    posts: None,
                    homepages: &[],
                },
                today,
                &w,
            )
        };
        assert!(matches!(check(&ok, Some(&fresh)), Recheck::Gone(_)));
        assert!(matches!(check(&ok, Some(&old)), Recheck::Still(_)));
        let down = fetch(None, Some(FailKind::Timeout));
        assert!(
            matches!(check(&down, None), Recheck::Undecided(_)),
            "a failed fetch closes nothing"
        );
        assert!(matches!(
            check(&fetch(Some(503), None), Some(&fresh)),
            Recheck::Undecided(_)
        ));
    }

    #[test]
    fn a_broken_link_is_fixed_only_by_an_answer() {
        let w = crate::rules::Rules::default().columns;
        let today: NaiveDate = "2025-10-10".parse().unwrap();
        let broken = Finding::LinkBroken {
            url: "https://x.gov.cn/gone".into(),
            sources: vec![],
            source_count: 0,
            reason: BrokenReason::Http(404),
            status: Some(404),
            internal: true,
            on_homepage: false,
            evidence: String::new(),
            seen: None,
        };
        let answer = |f: &FetchRecord| {
            recheck(
                &broken,
                Answer {
                    fetch: f,
                    facts: None,
                    posts: None,
                    homepages: &[],
                },
                today,
                &w,
            )
        };
        assert!(matches!(answer(&fetch(Some(200), None)), Recheck::Gone(_)));
        assert!(matches!(answer(&fetch(Some(404), None)), Recheck::Still(_)));
        assert!(matches!(
            answer(&fetch(None, Some(FailKind::Timeout))),
            Recheck::Still(_)
        ));
    }

    #[test]
    fn a_link_still_sent_to_the_homepage_is_still_a_soft_404() {
        let w = crate::rules::Rules::default().columns;
        let today: NaiveDate = "2025-10-10".parse().unwrap();
        let soft = Finding::LinkBroken {
            url: "https://x.gov.cn/tzgg/old.html".into(),
            sources: vec![],
            source_count: 0,
            reason: BrokenReason::Soft404,
            status: Some(200),
            internal: true,
            on_homepage: false,
            evidence: String::new(),
            seen: None,
        };
        let homepages = ["https://x.gov.cn/".to_string()];
        let sent = |to: &str| FetchRecord {
            final_url: to.into(),
            redirects: vec![to.into()],
            ..fetch(Some(200), None)
        };
        // The homepage reads as an ordinary page: only the redirect says the page is missing.
        let facts = page(&["2025-10-08"]);
        let answer = |f: &FetchRecord| {
            recheck(
                &soft,
                Answer {
                    fetch: f,
                    facts: Some(&facts),
                    posts: None,
                    homepages: &homepages,
                },
                today,
                &w,
            )
        };
        assert!(matches!(
            answer(&sent("https://x.gov.cn/index.html")),
            Recheck::Still(_)
        ));
        assert!(matches!(
            answer(&sent("https://x.gov.cn/tzgg/2025/new.html")),
            Recheck::Gone(_)
        ));
    }

    #[test]
    fn a_stale_homepage_and_a_quiet_account_are_fixed_only_by_a_fresh_date() {
        let w = crate::rules::Rules::default().columns;
        let today: NaiveDate = "2025-10-10".parse().unwrap();
        let ok = fetch(Some(200), None);
        let home = Finding::HomepageStale {
            url: "https://x.gov.cn/".into(),
            last_update: Some("2025-08-01".into()),
            window_days: 14,
            evidence: String::new(),
            seen: None,
        };
        let page_answer = |f: &FetchRecord, p: Option<&PageFacts>| {
            recheck(
                &home,
                Answer {
                    fetch: f,
                    facts: p,
                    posts: None,
                    homepages: &[],
                },
                today,
                &w,
            )
        };
        assert_eq!(
            page_answer(&ok, Some(&page(&["2025-09-30"]))),
            Recheck::Gone("首页已更新，最新信息日期为2025-09-30".into())
        );
        assert!(matches!(
            page_answer(&ok, Some(&page(&["2025-09-20"]))),
            Recheck::Still(_)
        ));
        assert!(matches!(
            page_answer(&ok, Some(&page(&[]))),
            Recheck::Undecided(_)
        ));
        assert!(matches!(
            page_answer(&fetch(None, Some(FailKind::Timeout)), None),
            Recheck::Undecided(_)
        ));

        let quiet = Finding::AccountStale {
            account: "wx".into(),
            last_post: Some("2025-08-01".into()),
            window_days: 14,
            url: Some("https://feeds.test/wx.xml".into()),
            zombie: false,
            post: None,
            manual: None,
            evidence: String::new(),
            seen: None,
        };
        assert_eq!(
            evidence(&quiet).map(|e| e.read),
            Some(Read::Feed),
            "the feed is fetched again"
        );
        let post = |d: &str| Post {
            title: "t".into(),
            url: None,
            date: Some(d.parse().unwrap()),
            ..Post::default()
        };
        let feed_answer = |f: &FetchRecord, posts: Option<&[Post]>| {
            recheck(
                &quiet,
                Answer {
                    fetch: f,
                    facts: None,
                    posts,
                    homepages: &[],
                },
                today,
                &w,
            )
        };
        let fresh = [post("2025-10-09"), post("2025-07-01")];
        assert!(matches!(feed_answer(&ok, Some(&fresh)), Recheck::Gone(_)));
        let old = [post("2025-09-01")];
        assert!(matches!(feed_answer(&ok, Some(&old)), Recheck::Still(_)));
        assert!(
            matches!(feed_answer(&ok, Some(&[])), Recheck::Undecided(_)),
            "an empty list decides nothing"
        );
        assert!(matches!(
            feed_answer(&fetch(Some(502), None), None),
            Recheck::Undecided(_)
        ));
    }
}
