//! 栏目: which columns a site has, and whether each is fresh, stale, empty or cannot be judged.
//!
//! Columns come from the seeds (registered by hand), from the homepage navigation and the
//! navigation or 信息公开目录 tree of the section pages it leads to, from homepage "更多" links, from
//! list pages that name themselves with `<meta name="ColumnName">`, and from the breadcrumbs
//! (当前位置) of articles. A column is one list page under all its names (`/x/`, `/x/index.html`)
//! and not its later pages (`index_1.html`, `?page=2`). A column whose page could not be
//! fetched, was blocked, or needs client-side rendering is `Unknown`: never stale, never empty.

use chrono::{Months, NaiveDate};
use xunjian_model::column::Window;
use xunjian_model::finding::{ColumnCondition, ColumnStatus};
use xunjian_model::observe::{ListState, PageFacts, PageKind, PageRecord};
use xunjian_model::seeds::Site;
use xunjian_model::ColumnClass;

use crate::view::{page_identity, SiteView};

/// Where a column was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnSource {
    /// `[[site.column]]` in the seeds.
    Registered,
    /// The homepage navigation.
    Nav,
    /// A list page's `ColumnName` meta.
    Meta,
    /// The breadcrumb (当前位置) of an article.
    Breadcrumb,
}

/// A column and its list page.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name (栏目名称).
    pub name: String,
    /// Its list page.
    pub url: String,
    /// Its class.
    pub class: ColumnClass,
    /// Where it was found.
    pub source: ColumnSource,
}

/// What the evidence says about a column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnState {
    /// Updated within its window (or a static column with content).
    Fresh {
        /// The newest dated item, if any.
        last_update: Option<NaiveDate>,
    },
    /// Not updated within its window.
    Stale {
        /// The newest dated item; `None` when no item carries a date.
        last_update: Option<NaiveDate>,
    },
    /// 空白栏目: the list is empty or shows a placeholder.
    Empty,
    /// The evidence could not be gathered.
    Unknown {
        /// Why, for people.
        reason: String,
    },
    /// The page is not a list (a static or navigation page): nothing to judge.
    NotAList,
}

/// A judged column.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgedColumn {
    /// The column.
    pub column: Column,
    /// What the evidence says.
    pub state: ColumnState,
    /// When its page was fetched.
    pub seen: Option<String>,
}

/// The first day that still counts as "updated within the window" of `class` at `as_of`, with the
/// windows of the rule pack.
pub fn window_start(
    class: ColumnClass,
    as_of: NaiveDate,
    windows: &crate::pack::ColumnWindows,
) -> Option<NaiveDate> {
    match windows.window(class) {
        Window::Days(d) => as_of.checked_sub_days(chrono::Days::new(u64::from(d))),
        Window::Months(m) => as_of.checked_sub_months(Months::new(m)),
        Window::Never => None,
    }
}

/// The first day on which a column last updated on `last` counts as not updated: the first day
/// whose window starts after `last`. `None` for a class that never goes stale.
pub fn stale_from(
    class: ColumnClass,
    last: NaiveDate,
    windows: &crate::pack::ColumnWindows,
) -> Option<NaiveDate> {
    let mut day = match windows.window(class) {
        Window::Days(d) => last.checked_add_days(chrono::Days::new(u64::from(d)))?,
        Window::Months(m) => last.checked_add_months(Months::new(m))?,
        Window::Never => return None,
    };
    // Month arithmetic clamps at month ends: step on to the first day the window has passed.
    while window_start(class, day, windows)? <= last {
        day = day.succ_opt()?;
    }
    Some(day)
}

/// A stale verdict that rests on items undated on the list whose own pages were not read (a
/// failed or blocked fetch, or a crawl cut short before them) is no verdict: one of them may be
/// the newest. Such a column is `Unknown`. An item page that answered without a date, or one
/// outside the site that a finished crawl had no reason to read, stays undated: 19号 counts an
/// undated item as not updated.
pub fn settle_undated(j: JudgedColumn, view: &SiteView, complete: bool) -> JudgedColumn {
    if !matches!(j.state, ColumnState::Stale { .. }) {
        return j;
    }
    let Some(facts) = view.page(&j.column.url).and_then(|p| p.facts.as_deref()) else {
        return j;
    };
    let unread = facts
        .items
        .iter()
        .filter(|i| i.date.is_none())
        .any(|i| match view.page(&i.url) {
            Some(p) => p.fetch.error.is_some() || p.fetch.blocked.is_some(),
            None => !complete,
        });
    if !unread {
        return j;
    }
    JudgedColumn {
        state: ColumnState::Unknown {
            reason: "部分条目在列表中未注明日期，其页面未能获取，无法判断是否更新".into(),
        },
        ..j
    }
}

/// For a window of `days` days (首页, 政务新媒体): the first day on which a target last updated on
/// `last` counts as not updated, and the days from `as_of` to it, as the judgement keeps them.
pub fn days_deadline(
    last: Option<NaiveDate>,
    days: u64,
    as_of: NaiveDate,
) -> (Option<String>, Option<i64>) {
    let from = last.and_then(|d| d.checked_add_days(chrono::Days::new(days + 1)));
    (
        from.map(|d| d.to_string()),
        from.map(|d| (d - as_of).num_days()),
    )
}

/// A judged column as the judgement keeps it: its window, and the days left before it goes stale
/// as of `as_of` (`due_soon` within `warn_days`).
pub fn status(
    j: &JudgedColumn,
    as_of: NaiveDate,
    windows: &crate::pack::ColumnWindows,
    warn_days: u32,
) -> ColumnStatus {
    let (window_days, window_months) = match windows.window(j.column.class) {
        Window::Days(d) => (Some(d), None),
        Window::Months(m) => (None, Some(m)),
        Window::Never => (None, None),
    };
    let (state, last, reason) = match &j.state {
        ColumnState::Fresh { last_update } => (ColumnCondition::Fresh, *last_update, None),
        ColumnState::Stale { last_update } => (ColumnCondition::Stale, *last_update, None),
        ColumnState::Empty => (ColumnCondition::Empty, None, None),
        ColumnState::Unknown { reason } => (ColumnCondition::Unknown, None, Some(reason.clone())),
        ColumnState::NotAList => (ColumnCondition::NotAList, None, None),
    };
    let due = last.and_then(|d| stale_from(j.column.class, d, windows));
    let days_left = due.map(|d| (d - as_of).num_days());
    ColumnStatus {
        name: j.column.name.clone(),
        url: j.column.url.clone(),
        class: j.column.class,
        state,
        last_update: last.map(|d| d.to_string()),
        window_days,
        window_months,
        stale_from: due.map(|d| d.to_string()),
        days_left,
        due_soon: state == ColumnCondition::Fresh
            && days_left.is_some_and(|n| n > 0 && n <= i64::from(warn_days)),
        reason,
        seen: j.seen.clone(),
    }
}

/// The newest item date on a list page, ignoring dates after `as_of`.
pub fn newest_item(facts: &PageFacts, as_of: NaiveDate) -> Option<NaiveDate> {
    facts
        .items
        .iter()
        .filter_map(|i| i.date)
        .filter(|d| *d <= as_of)
        .max()
}

/// Find the site's columns: registered first, then the homepage navigation, then `ColumnName` pages.
pub fn discover(site: &Site, view: &SiteView) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    let mut seen_ids: Vec<String> = Vec::new();
    let mut add = |out: &mut Vec<Column>, c: Column| {
        let id = page_identity(&c.url);
        if !seen_ids.contains(&id) {
            seen_ids.push(id);
            out.push(c);
        }
    };
    for c in &site.columns {
        let url = url::Url::parse(&c.url)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| c.url.clone());
        add(
            &mut out,
            Column {
                name: c.name.clone(),
                url,
                class: c.class.unwrap_or_else(|| ColumnClass::from_name(&c.name)),
                source: ColumnSource::Registered,
            },
        );
    }
    if let Some(home) = view.home() {
        for link in home.links.iter().filter(|l| {
            l.nav && l.is_anchor() && view.is_internal(&l.target) && !view.is_home(&l.target)
        }) {
            let meta_name = view
                .page(&link.target)
                .and_then(|p| p.facts.as_ref())
                .and_then(|f| f.column_name.clone());
            let name = if link.anchor.is_empty() {
                meta_name.unwrap_or_else(|| link.target.clone())
            } else {
                link.anchor.clone()
            };
            add(
                &mut out,
                Column {
                    class: ColumnClass::from_name(&name),
                    name,
                    url: link.target.clone(),
                    source: ColumnSource::Nav,
                },
            );
        }
    }
    // Lower levels: a navigation entry that leads to a section page (政务公开, 信息公开) rather than a
    // list is judged on the columns that page's own navigation (or 信息公开目录 tree) lists, down to
    // `SECTION_DEPTH` sections deep; and a homepage "更多" link leads to the list page of the box it
    // closes, named by that page's `ColumnName`.
    let mut sections: Vec<Column> = out
        .iter()
        .filter(|c| c.source == ColumnSource::Nav)
        .cloned()
        .collect();
    let mut visited: Vec<String> = Vec::new();
    for _ in 0..SECTION_DEPTH {
        let mut deeper: Vec<Column> = Vec::new();
        for section in &sections {
            let id = page_identity(&section.url);
            if visited.contains(&id) {
                continue;
            }
            visited.push(id);
            for c in section_columns(view, section, &mut deeper) {
                add(&mut out, c);
            }
        }
        if deeper.is_empty() {
            break;
        }
        sections = deeper;
    }
    if let Some(home) = view.home() {
        for link in home
            .links
            .iter()
            .filter(|l| is_more_link(&l.anchor) && view.is_internal(&l.target))
        {
            let Some(facts) = view.page(&link.target).and_then(|p| p.facts.as_ref()) else {
                continue;
            };
            let (Some(name), true) = (&facts.column_name, facts.list != ListState::None) else {
                continue;
            };
            if out.iter().any(|c| &c.name == name) {
                continue;
            }
            add(
                &mut out,
                Column {
                    class: ColumnClass::from_name(name),
                    name: name.clone(),
                    url: link.target.clone(),
                    source: ColumnSource::Meta,
                },
            );
        }
    }
    for (url, page) in &view.records.pages {
        let Some(facts) = &page.facts else { continue };
        let Some(name) = &facts.column_name else {
            continue;
        };
        let is_list = matches!(facts.list, ListState::Items | ListState::Empty);
        if !is_list || !page.fetch.is_success() || is_pagination(url) {
            continue;
        }
        if out.iter().any(|c| &c.name == name) {
            continue;
        }
        add(
            &mut out,
            Column {
                name: name.clone(),
                url: url.clone(),
                class: ColumnClass::from_name(name),
                source: ColumnSource::Meta,
            },
        );
    }
    for c in breadcrumb_columns(view) {
        if !out.iter().any(|o| o.name == c.name) {
            add(&mut out, c);
        }
    }
    out
}

/// How many levels of section pages (政务公开 → 信息公开目录 → …) column discovery descends.
const SECTION_DEPTH: usize = 3;

/// The columns a section page lists in its navigation or catalogue tree: links to list pages that
/// the homepage navigation does not already hold. Links to further section pages go to `deeper`.
fn section_columns(view: &SiteView, section: &Column, deeper: &mut Vec<Column>) -> Vec<Column> {
    let Some(page) = view.page(&section.url) else {
        return Vec::new();
    };
    let is_section = page
        .facts
        .as_ref()
        .is_some_and(|f| f.list == ListState::None && page.fetch.is_success());
    if !is_section {
        return Vec::new();
    }
    let mut out = Vec::new();
    for link in page.links.iter().filter(|l| {
        l.nav
            && l.is_anchor()
            && !l.anchor.is_empty()
            && view.is_internal(&l.target)
            && !view.is_home(&l.target)
    }) {
        let on_home = view
            .home()
            .is_some_and(|h| h.links.iter().any(|hl| hl.nav && hl.target == link.target));
        if on_home {
            continue;
        }
        let column = Column {
            class: ColumnClass::from_name(&link.anchor),
            name: link.anchor.clone(),
            url: link.target.clone(),
            source: ColumnSource::Nav,
        };
        match view.page(&link.target).and_then(|p| p.facts.as_ref()) {
            Some(f) if f.list != ListState::None => out.push(column),
            Some(_) => deeper.push(column),
            None => {}
        }
    }
    out
}

/// Columns named by the breadcrumbs of articles (当前位置：首页 > … > 栏目): the last breadcrumb link of
/// an article that leads to a list page, named by that link's text.
fn breadcrumb_columns(view: &SiteView) -> Vec<Column> {
    let mut out: Vec<Column> = Vec::new();
    for page in view.records.pages.values() {
        let Some(facts) = page.facts.as_ref().filter(|f| f.kind == PageKind::Detail) else {
            continue;
        };
        let Some(target) = facts
            .breadcrumb
            .iter()
            .rev()
            .find(|t| view.is_internal(t) && !view.is_home(t))
        else {
            continue;
        };
        let is_list = view
            .page(target)
            .filter(|p| p.fetch.is_success())
            .and_then(|p| p.facts.as_ref())
            .is_some_and(|f| matches!(f.list, ListState::Items | ListState::Empty));
        let name = page
            .links
            .iter()
            .find(|l| &l.target == target && !l.anchor.is_empty())
            .map(|l| l.anchor.clone());
        let (true, Some(name)) = (is_list && !is_pagination(target), name) else {
            continue;
        };
        if !out
            .iter()
            .any(|c| page_identity(&c.url) == page_identity(target))
        {
            out.push(Column {
                class: ColumnClass::from_name(&name),
                name,
                url: target.clone(),
                source: ColumnSource::Breadcrumb,
            });
        }
    }
    out
}

/// "更多", "more", "更多>>": the link that closes a homepage box and leads to its column.
fn is_more_link(anchor: &str) -> bool {
    let a = anchor
        .trim()
        .trim_matches(|c: char| "+>》».…。 ".contains(c))
        .to_lowercase();
    matches!(a.as_str(), "更多" | "more" | "查看更多" | "更多信息")
}

/// `index_3.html`, `list_2.shtml`, `?page=2`: a later page of a column, not a column of its own.
fn is_pagination(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else {
        return false;
    };
    if u.query_pairs().any(|(k, v)| {
        matches!(k.as_ref(), "page" | "pageNo" | "pageIndex" | "pn" | "p") && v != "1" && v != "0"
    }) {
        return true;
    }
    let file = u.path().rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    stem.rsplit_once('_')
        .is_some_and(|(_, n)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Judge a column from its list page.
pub fn judge(
    column: &Column,
    page: Option<&PageRecord>,
    as_of: NaiveDate,
    windows: &crate::pack::ColumnWindows,
) -> JudgedColumn {
    let seen = page.map(|p| p.fetch.fetched_at.clone());
    let state = match page {
        None => ColumnState::Unknown {
            reason: "栏目页未抓取".into(),
        },
        Some(p) if p.fetch.blocked.is_some() => ColumnState::Unknown {
            reason: "栏目页访问被拦截".into(),
        },
        Some(p) if !p.fetch.is_success() => ColumnState::Unknown {
            reason: match (p.fetch.status, p.fetch.error) {
                (_, Some(e)) => format!("栏目页无法获取（{}）", e.label_zh()),
                (Some(s), None) => format!("栏目页返回HTTP {s}"),
                _ => "栏目页无法获取".into(),
            },
        },
        Some(p) => match &p.facts {
            None => ColumnState::Unknown {
                reason: "栏目页不是网页".into(),
            },
            Some(f) if f.says_not_found => ColumnState::Unknown {
                reason: "栏目页显示页面不存在".into(),
            },
            Some(f) => judge_facts(column.class, f, as_of, windows),
        },
    };
    JudgedColumn {
        column: column.clone(),
        state,
        seen,
    }
}

fn judge_facts(
    class: ColumnClass,
    facts: &PageFacts,
    as_of: NaiveDate,
    windows: &crate::pack::ColumnWindows,
) -> ColumnState {
    match facts.list {
        ListState::Empty => ColumnState::Empty,
        ListState::NeedsRender => ColumnState::Unknown {
            reason: "栏目列表由脚本生成，需要渲染".into(),
        },
        ListState::None => ColumnState::NotAList,
        ListState::Items => {
            let last_update = newest_item(facts, as_of);
            match window_start(class, as_of, windows) {
                None => ColumnState::Fresh { last_update },
                Some(start) if last_update.is_some_and(|d| d >= start) => {
                    ColumnState::Fresh { last_update }
                }
                Some(_) => ColumnState::Stale { last_update },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(list: ListState, dates: &[Option<&str>]) -> PageFacts {
        PageFacts {
            items: dates
                .iter()
                .enumerate()
                .map(|(i, date)| ListItem {
                    title: format!("t{i}"),
                    url: format!("http://a/{i}.html"),
                    date: date.map(d),
                    date_source: DateSource::List,
                    reply: None,
                })
                .collect(),
            ..PageFacts::new(PageKind::List, list)
        }
    }

    fn page(status: Option<u16>, error: Option<FailKind>, facts: Option<PageFacts>) -> PageRecord {
        PageRecord {
            fetch: FetchRecord {
                url: "http://a/c/index.html".into(),
                final_url: "http://a/c/index.html".into(),
                redirects: vec![],
                status,
                error,
                blocked: None,
                elapsed_ms: 1,
                attempts: 1,
                bytes: 1,
                content_type: None,
                charset: None,
                content_hash: None,
                fetched_at: "2025-09-30T00:00:00Z".into(),
                etag: None,
                last_modified: None,
            },
            depth: 1,
            facts: facts.map(Box::new),
            links: vec![],
        }
    }

    fn column(class: ColumnClass) -> Column {
        Column {
            name: "c".into(),
            url: "http://a/c/index.html".into(),
            class,
            source: ColumnSource::Nav,
        }
    }

    fn w() -> crate::pack::ColumnWindows {
        crate::Rules::default().columns
    }

    #[test]
    fn a_column_goes_stale_on_the_first_day_its_window_has_passed() {
        // For every last update and class, `stale_from` is the first as-of judged stale.
        let mut last = d("2024-12-25");
        while last < d("2025-03-10") {
            for class in [ColumnClass::News, ColumnClass::Notice, ColumnClass::Long] {
                let from = stale_from(class, last, &w()).unwrap();
                let fresh_on = |as_of: NaiveDate| window_start(class, as_of, &w()).unwrap() <= last;
                assert!(!fresh_on(from), "{class:?} {last}: stale on {from}");
                assert!(
                    fresh_on(from.pred_opt().unwrap()),
                    "{class:?} {last}: fresh before {from}"
                );
            }
            last = last.succ_opt().unwrap();
        }
        assert_eq!(
            stale_from(ColumnClass::News, d("2025-09-19"), &w()),
            Some(d("2025-10-04"))
        );
        assert_eq!(
            stale_from(ColumnClass::Notice, d("2025-08-31"), &w()),
            Some(d("2026-03-01"))
        );
        assert_eq!(stale_from(ColumnClass::Static, d("2025-08-31"), &w()), None);
    }

    #[test]
    fn a_columns_status_says_its_days_left_and_warns_within_the_packs_days() {
        let as_of = d("2025-10-01");
        let list = |date: &str| {
            page(
                Some(200),
                None,
                Some(facts(ListState::Items, &[Some(date)])),
            )
        };
        let judged = |date: &str| judge(&column(ColumnClass::News), Some(&list(date)), as_of, &w());
        let soon = status(&judged("2025-09-20"), as_of, &w(), 3);
        assert_eq!(soon.state, ColumnCondition::Fresh);
        assert_eq!(soon.stale_from.as_deref(), Some("2025-10-05"));
        assert_eq!((soon.days_left, soon.due_soon), (Some(4), false));
        let warned = status(&judged("2025-09-20"), as_of, &w(), 4);
        assert!(warned.due_soon, "4 days left within 4 warning days");
        assert_eq!(warned.window_days, Some(14));
        let stale = status(&judged("2025-09-01"), as_of, &w(), 30);
        assert_eq!(stale.state, ColumnCondition::Stale);
        assert!(stale.days_left.unwrap() <= 0 && !stale.due_soon);
        let failed = judge(
            &column(ColumnClass::News),
            Some(&page(Some(500), None, None)),
            as_of,
            &w(),
        );
        let unknown = status(&failed, as_of, &w(), 3);
        assert_eq!(unknown.state, ColumnCondition::Unknown);
        assert_eq!(unknown.reason.as_deref(), Some("栏目页返回HTTP 500"));
        assert_eq!((unknown.days_left, unknown.due_soon), (None, false));
    }

    #[test]
    fn windows_are_inclusive_at_their_start() {
        let as_of = d("2025-09-30");
        assert_eq!(
            window_start(ColumnClass::News, as_of, &w()),
            Some(d("2025-09-16"))
        );
        assert_eq!(
            window_start(ColumnClass::Notice, as_of, &w()),
            Some(d("2025-03-30"))
        );
        assert_eq!(
            window_start(ColumnClass::Long, as_of, &w()),
            Some(d("2024-09-30"))
        );
        assert_eq!(window_start(ColumnClass::Static, as_of, &w()), None);
        let on_edge = page(
            Some(200),
            None,
            Some(facts(ListState::Items, &[Some("2025-09-16")])),
        );
        assert_eq!(
            judge(&column(ColumnClass::News), Some(&on_edge), as_of, &w()).state,
            ColumnState::Fresh {
                last_update: Some(d("2025-09-16"))
            }
        );
        let a_day_late = page(
            Some(200),
            None,
            Some(facts(ListState::Items, &[Some("2025-09-15")])),
        );
        assert_eq!(
            judge(&column(ColumnClass::News), Some(&a_day_late), as_of, &w()).state,
            ColumnState::Stale {
                last_update: Some(d("2025-09-15"))
            }
        );
    }

    #[test]
    fn undated_items_count_as_not_updated_and_future_dates_are_ignored() {
        let as_of = d("2025-09-30");
        let undated = page(
            Some(200),
            None,
            Some(facts(ListState::Items, &[None, None])),
        );
        assert_eq!(
            judge(&column(ColumnClass::Notice), Some(&undated), as_of, &w()).state,
            ColumnState::Stale { last_update: None }
        );
        let future = page(
            Some(200),
            None,
            Some(facts(
                ListState::Items,
                &[Some("2025-12-01"), Some("2024-01-01")],
            )),
        );
        assert_eq!(
            judge(&column(ColumnClass::Notice), Some(&future), as_of, &w()).state,
            ColumnState::Stale {
                last_update: Some(d("2024-01-01"))
            }
        );
    }

    #[test]
    fn failures_are_never_stale_or_empty() {
        let as_of = d("2025-09-30");
        for p in [
            page(None, Some(FailKind::Timeout), None),
            page(Some(500), None, None),
            page(Some(200), None, Some(facts(ListState::NeedsRender, &[]))),
        ] {
            assert!(matches!(
                judge(&column(ColumnClass::News), Some(&p), as_of, &w()).state,
                ColumnState::Unknown { .. }
            ));
        }
        let mut blocked = page(Some(200), None, Some(facts(ListState::Empty, &[])));
        blocked.fetch.blocked = Some(BlockKind::Challenge);
        assert!(matches!(
            judge(&column(ColumnClass::News), Some(&blocked), as_of, &w()).state,
            ColumnState::Unknown { .. }
        ));
        assert!(matches!(
            judge(&column(ColumnClass::News), None, as_of, &w()).state,
            ColumnState::Unknown { .. }
        ));
        let empty = page(Some(200), None, Some(facts(ListState::Empty, &[])));
        assert_eq!(
            judge(&column(ColumnClass::Static), Some(&empty), as_of, &w()).state,
            ColumnState::Empty
        );
    }

    #[test]
    fn more_links() {
        assert!(is_more_link("更多>>"));
        assert!(is_more_link(" MORE+ "));
        assert!(is_more_link("更多"));
        assert!(!is_more_link("更多精彩专题"));
    }

    #[test]
    fn section_pages_lead_to_second_level_columns() {
        use xunjian_model::observe::{Link, SiteRecords};
        use xunjian_model::seeds::{Site, SiteKind};
        let nav = |t: &str, a: &str| Link {
            target: t.into(),
            anchor: a.into(),
            element: LinkElement::A,
            nav: true,
        };
        let mut records = SiteRecords::default();
        let mut home = page(Some(200), None, Some(facts(ListState::None, &[])));
        home.links = vec![
            nav("http://a/", "首页").into(),
            nav("http://a/zwgk/", "政务公开").into(),
        ];
        let mut section = page(Some(200), None, Some(facts(ListState::None, &[])));
        section.links = vec![
            nav("http://a/zwgk/", "政务公开").into(),
            nav("http://a/zwgk/tzgg/", "通知公告").into(),
            nav("http://a/zwgk/jgzn/", "机构职能").into(),
        ];
        let list = page(
            Some(200),
            None,
            Some(facts(ListState::Items, &[Some("2025-01-01")])),
        );
        let text = page(Some(200), None, Some(facts(ListState::None, &[])));
        for (u, p) in [
            ("http://a/", home),
            ("http://a/zwgk/", section),
            ("http://a/zwgk/tzgg/", list),
            ("http://a/zwgk/jgzn/", text),
        ] {
            records.pages.insert(u.into(), p);
        }
        let view = SiteView::new(&records, "http://a/");
        let site = Site {
            id: "a".into(),
            name: "a".into(),
            unit: "u".into(),
            url: "http://a/".into(),
            kind: SiteKind::Portal,
            columns: vec![],
            rate_per_host: None,
        };
        let names: Vec<String> = discover(&site, &view).into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["政务公开", "通知公告"]);
    }

    #[test]
    fn pagination_pages_are_not_columns() {
        assert!(is_pagination("http://a/tzgg/index_2.html"));
        assert!(is_pagination("http://a/list?page=3"));
        assert!(!is_pagination("http://a/tzgg/index.html"));
        assert!(!is_pagination("http://a/zw_gk/index.html"));
    }
}
