//! Dates you can defend: an item's list date checked against its own page, and against the moment
//! xunjian saw it.
//!
//! Two signals an inspector wants to see before signing a 通报 (弄虚作假, "如伪造发稿日期", is a
//! 单项否决 item): a list that shows one date while the article says another, and an item dated
//! after the moment it was seen. Both are reported for review, never as a veto: a typo is not fraud.
//!
//! And one fallback an inspector makes without thinking: an item whose list shows no date (and
//! whose URL carries none) is dated by its own page (`PubDate` meta, 发布时间：), when xunjian fetched
//! it; only an item dated nowhere counts as undated (and so as not updated).

use std::borrow::Cow;

use chrono::NaiveDate;
use xunjian_model::clock::china_date_of;
use xunjian_model::finding::Finding;
use xunjian_model::observe::{DateSource, SiteRecords};

use crate::columns::{ColumnState, JudgedColumn};
use crate::view::SiteView;

/// The view's records with every undated list item dated by its own page where that page was
/// fetched and dates itself (the item's `date_source` then says `meta` or `text`). Borrowed when
/// nothing changes.
pub fn with_page_dates<'a>(view: &SiteView<'a>) -> Cow<'a, SiteRecords> {
    let page_date = |url: &str| -> Option<(NaiveDate, DateSource)> {
        let facts = view.page(url)?.readable_facts()?;
        Some((
            facts.published?,
            facts.published_source.unwrap_or(DateSource::Text),
        ))
    };
    let records = view.records;
    let mut fills: Vec<(String, usize, NaiveDate, DateSource)> = Vec::new();
    for (url, page) in &records.pages {
        let Some(facts) = &page.facts else { continue };
        for (i, item) in facts.items.iter().enumerate() {
            if item.date.is_none() {
                if let Some((d, source)) = page_date(&item.url) {
                    fills.push((url.clone(), i, d, source));
                }
            }
        }
    }
    if fills.is_empty() {
        return Cow::Borrowed(records);
    }
    let mut out = records.clone();
    for (url, i, d, source) in fills {
        if let Some(item) = out
            .pages
            .get_mut(&url)
            .and_then(|p| p.facts.as_mut())
            .and_then(|f| f.items.get_mut(i))
        {
            item.date = Some(d);
            item.date_source = source;
        }
    }
    Cow::Owned(out)
}

/// Days of tolerance between a list date and the page's own date (time zones, late edits).
const CONFLICT_TOLERANCE_DAYS: i64 = 1;

/// An item is back-dated when it first appeared at least this long after the date it carries.
const BACKDATE_DAYS: i64 = 14;
/// Back-dated items appearing at once in one column that make a burst.
const BURST_SIZE: usize = 3;

/// Bursts of back-dated items: on a column xunjian had already seen, several items appearing at
/// once with dates weeks before their appearance. Needs history: on a first crawl nothing is flagged.
pub fn backdated_bursts(
    view: &SiteView,
    columns: &[JudgedColumn],
    first_seen: &std::collections::BTreeMap<String, String>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for j in columns {
        let Some(page) = view.page(&j.column.url) else {
            continue;
        };
        let (Some(facts), Some(column_first)) = (&page.facts, first_seen.get(&page.fetch.url))
        else {
            continue;
        };
        let Some(column_first_day) = china_date_of(column_first) else {
            continue;
        };
        // Items by the moment they first appeared.
        let mut by_appearance: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        for item in &facts.items {
            let (Some(date), Some(appeared)) = (item.date, first_seen.get(&item.url)) else {
                continue;
            };
            let Some(appeared_day) = china_date_of(appeared) else {
                continue;
            };
            let watched_before = appeared_day > column_first_day;
            if watched_before && (appeared_day - date).num_days() >= BACKDATE_DAYS {
                by_appearance.entry(appeared).or_default().push(&item.url);
            }
        }
        for (appeared, mut items) in by_appearance {
            items.sort();
            items.dedup();
            if items.len() >= BURST_SIZE {
                out.push(Finding::ColumnBackdatedBurst {
                    url: j.column.url.clone(),
                    column: j.column.name.clone(),
                    first_seen: appeared.to_string(),
                    evidence: format!(
                        "「{}」栏目自{column_first_day}起受监测，{appeared}集中出现{}条发布日期早于出现时间{BACKDATE_DAYS}天以上的信息",
                        j.column.name,
                        items.len()
                    ),
                    items: items.into_iter().map(str::to_string).collect(),
                    seen: Some(page.fetch.fetched_at.clone()),
                });
            }
        }
    }
    out
}

/// Date conflicts and future-dated items on the judged columns' list pages.
pub fn date_flags(view: &SiteView, columns: &[JudgedColumn]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut flagged: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for j in columns {
        if !matches!(
            j.state,
            ColumnState::Fresh { .. } | ColumnState::Stale { .. }
        ) {
            continue;
        }
        let Some(page) = view.page(&j.column.url) else {
            continue;
        };
        let Some(facts) = &page.facts else { continue };
        let seen_on = china_date_of(&page.fetch.fetched_at);
        for item in &facts.items {
            let Some(date) = item.date else { continue };
            if !flagged.insert(item.url.as_str()) {
                continue;
            }
            if let Some(seen_on) = seen_on.filter(|s| date > *s) {
                out.push(Finding::ItemFutureDated {
                    url: item.url.clone(),
                    column: j.column.name.clone(),
                    date: date.to_string(),
                    evidence: format!(
                        "「{}」栏目中《{}》标注发布日期{date}，晚于抓取日期{seen_on}",
                        j.column.name, item.title
                    ),
                    seen: Some(page.fetch.fetched_at.clone()),
                });
                continue;
            }
            let detail = view
                .page(&item.url)
                .filter(|p| p.fetch.is_success())
                .and_then(|p| Some((p, p.facts.as_ref()?.published?)));
            if let Some((detail, page_date)) = detail {
                if (page_date - date).num_days().abs() > CONFLICT_TOLERANCE_DAYS {
                    out.push(Finding::ItemDateConflict {
                        url: item.url.clone(),
                        column: j.column.name.clone(),
                        list_date: date.to_string(),
                        page_date: page_date.to_string(),
                        evidence: format!(
                            "「{}」栏目列表显示《{}》发布于{date}，正文页标注{page_date}",
                            j.column.name, item.title
                        ),
                        seen: Some(detail.fetch.fetched_at.clone()),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{Column, ColumnSource};
    use xunjian_model::observe::*;
    use xunjian_model::ColumnClass;

    // Fetched 2025-09-30 in China.
    use crate::testkit::fetch;

    fn facts(items: Vec<ListItem>, published: Option<&str>) -> PageFacts {
        PageFacts {
            published: published.map(|p| p.parse().unwrap()),
            items,
            ..PageFacts::new(PageKind::List, ListState::Items)
        }
    }

    fn item(url: &str, date: &str) -> ListItem {
        ListItem {
            title: "通知".into(),
            url: url.into(),
            date: Some(date.parse().unwrap()),
            date_source: DateSource::List,
            reply: None,
        }
    }

    #[test]
    fn undated_items_take_their_own_page_date_when_it_was_fetched() {
        let undated = |url: &str| ListItem {
            date: None,
            date_source: DateSource::None,
            ..item(url, "2025-01-01")
        };
        let mut records = SiteRecords::default();
        let mut meta_dated = facts(vec![], Some("2025-09-12"));
        meta_dated.published_source = Some(DateSource::Meta);
        let mut failed = fetch("http://s/c/gone.html");
        failed.status = Some(404);
        for (url, f, fetch) in [
            (
                "http://s/c/",
                facts(
                    vec![
                        undated("http://s/c/a.html"),
                        undated("http://s/c/gone.html"),
                        undated("http://s/c/never.html"),
                        item("http://s/c/b.html", "2025-09-01"),
                    ],
                    None,
                ),
                fetch("http://s/c/"),
            ),
            ("http://s/c/a.html", meta_dated, fetch("http://s/c/a.html")),
            (
                "http://s/c/gone.html",
                facts(vec![], Some("2025-09-13")),
                failed,
            ),
            (
                "http://s/c/b.html",
                facts(vec![], Some("2025-08-01")),
                fetch("http://s/c/b.html"),
            ),
        ] {
            records.pages.insert(
                url.into(),
                PageRecord {
                    fetch,
                    depth: 1,
                    facts: Some(Box::new(f)),
                    links: vec![],
                },
            );
        }
        let dated = with_page_dates(&SiteView::new(&records, "http://s/"));
        let items = &dated.pages["http://s/c/"].facts.as_ref().unwrap().items;
        let got: Vec<(Option<String>, DateSource)> = items
            .iter()
            .map(|i| (i.date.map(|d| d.to_string()), i.date_source))
            .collect();
        assert_eq!(
            got,
            [
                (Some("2025-09-12".to_string()), DateSource::Meta),
                (None, DateSource::None),
                (None, DateSource::None),
                // A list date stays, even when the page says otherwise (that is a conflict).
                (Some("2025-09-01".to_string()), DateSource::List),
            ]
        );
        // Nothing to fill: the records are borrowed, not copied.
        let plain = SiteRecords::default();
        assert!(matches!(
            with_page_dates(&SiteView::new(&plain, "http://s/")),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn conflicts_and_future_dates_are_flagged_once() {
        let col = "http://s/c/";
        let mut records = SiteRecords::default();
        let list = vec![
            item("http://s/c/a.html", "2025-09-20"),
            item("http://s/c/b.html", "2025-09-20"),
            item("http://s/c/f.html", "2025-10-01"),
            item("http://s/c/a.html", "2025-09-20"),
        ];
        for (url, f) in [
            (col, facts(list, None)),
            ("http://s/c/a.html", facts(vec![], Some("2025-09-21"))),
            ("http://s/c/b.html", facts(vec![], Some("2025-08-01"))),
        ] {
            records.pages.insert(
                url.into(),
                PageRecord {
                    fetch: fetch(url),
                    depth: 1,
                    facts: Some(Box::new(f)),
                    links: vec![],
                },
            );
        }
        let view = SiteView::new(&records, "http://s/");
        let judged = [JudgedColumn {
            column: Column {
                name: "通知公告".into(),
                url: col.into(),
                class: ColumnClass::Notice,
                source: ColumnSource::Nav,
            },
            state: ColumnState::Fresh { last_update: None },
            seen: None,
        }];
        let flags = date_flags(&view, &judged);
        let rules: Vec<(&str, String)> = flags.iter().map(|f| (f.rule(), f.object())).collect();
        assert_eq!(
            rules,
            [
                ("item.date_conflict", "http://s/c/b.html".to_string()),
                ("item.future_dated", "http://s/c/f.html".to_string()),
            ]
        );
        assert_eq!(
            china_date_of("2025-09-29T17:00:00Z"),
            "2025-09-30".parse().ok()
        );

        // History: the column was watched from 2025-08-01; on 2025-09-30 three items dated in
        // August appeared at once (a burst), while one dated 2025-09-20 is an ordinary update.
        let mut seen = std::collections::BTreeMap::new();
        seen.insert(col.to_string(), "2025-08-01T00:00:00Z".to_string());
        let later = "2025-09-29T17:00:00Z".to_string();
        let mut burst_list = vec![];
        for (i, d) in ["2025-08-02", "2025-08-05", "2025-08-09", "2025-09-20"]
            .iter()
            .enumerate()
        {
            let url = format!("http://s/c/n{i}.html");
            seen.insert(url.clone(), later.clone());
            burst_list.push(item(&url, d));
        }
        records.pages.get_mut(col).unwrap().facts = Some(Box::new(facts(burst_list.clone(), None)));
        let view = SiteView::new(&records, "http://s/");
        let bursts = backdated_bursts(&view, &judged, &seen);
        assert_eq!(bursts.len(), 1);
        match &bursts[0] {
            Finding::ColumnBackdatedBurst { items, .. } => assert_eq!(items.len(), 3),
            other => panic!("{other:?}"),
        }
        // On a first crawl (the column first seen with its items) nothing is flagged.
        seen.insert(col.to_string(), later.clone());
        assert!(backdated_bursts(&view, &judged, &seen).is_empty());
    }
}
