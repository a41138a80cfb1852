//! 法定主动公开内容: is each catalogued item on its column, and was it on time?

use chrono::NaiveDate;
use regex::Regex;
use xunjian_model::finding::Finding;
use xunjian_model::observe::{LinkElement, ListItem};
use xunjian_model::seeds::Disclosure;

use crate::columns::{Column, JudgedColumn};
use crate::view::{page_identity, SiteView};

/// The outcome for one disclosure row.
#[derive(Debug, Clone, PartialEq)]
pub enum DisclosureOutcome {
    /// Present (and on time where a deadline applies).
    Ok,
    /// A finding: missing or late.
    Finding(Finding),
    /// The column's page could not be read: nothing can be said.
    Unknown(String),
}

/// Judge one disclosure row against the site's columns.
pub fn judge(
    d: &Disclosure,
    view: &SiteView,
    columns: &[JudgedColumn],
    crawl_complete: bool,
    as_of: NaiveDate,
) -> DisclosureOutcome {
    let Ok(pattern) = Regex::new(&d.r#match) else {
        return DisclosureOutcome::Unknown(format!("匹配规则无效：{}", d.r#match));
    };
    let column = columns.iter().find(|c| {
        c.column.name == d.column || page_identity(&c.column.url) == page_identity(&d.column)
    });
    let (items, where_url, seen): (Vec<&ListItem>, String, Option<String>) = match column {
        Some(c) => {
            let Some(items) = column_items(view, &c.column) else {
                return DisclosureOutcome::Unknown(format!(
                    "栏目「{}」页面无法获取",
                    c.column.name
                ));
            };
            (items, c.column.url.clone(), c.seen.clone())
        }
        None => {
            // The column was not found: look through every list on the site before saying "missing".
            if !crawl_complete {
                return DisclosureOutcome::Unknown(format!(
                    "未找到栏目「{}」且抓取未完成",
                    d.column
                ));
            }
            let items = view
                .records
                .pages
                .values()
                .filter_map(|p| p.facts.as_ref())
                .flat_map(|f| f.items.iter())
                .collect();
            (
                items,
                view.home_url.clone(),
                view.home().map(|h| h.fetch.fetched_at.clone()),
            )
        }
    };
    let matching: Vec<&ListItem> = items
        .into_iter()
        .filter(|i| pattern.is_match(&i.title))
        .collect();
    if matching.is_empty() {
        let place = match column {
            Some(c) => format!("栏目「{}」（{}）", c.column.name, c.column.url),
            None => format!("网站（未找到栏目「{}」）", d.column),
        };
        return DisclosureOutcome::Finding(Finding::DisclosureMissing {
            item: d.id.clone(),
            url: where_url,
            evidence: format!("在{place}中未找到标题匹配“{}”的「{}」", d.r#match, d.name),
            seen,
        });
    }
    if let Some(due) = d.due {
        let first = matching.iter().filter_map(|i| i.date).min();
        let late = first.is_none_or(|p| p > due);
        if late {
            return DisclosureOutcome::Finding(Finding::DisclosureLate {
                item: d.id.clone(),
                published: first.map(|p| p.to_string()),
                due: due.to_string(),
                url: Some(where_url),
                evidence: match first {
                    Some(p) => format!("「{}」发布于{p}，晚于规定期限{due}", d.name),
                    None => format!("「{}」未注明发布日期，无法证明在{due}前发布", d.name),
                },
                seen,
            });
        }
    }
    if d.max_age_days > 0 {
        let newest = matching
            .iter()
            .filter_map(|i| i.date)
            .filter(|p| *p <= as_of)
            .max();
        let due = as_of - chrono::Days::new(u64::from(d.max_age_days));
        if newest.is_none_or(|p| p < due) {
            return DisclosureOutcome::Finding(Finding::DisclosureLate {
                item: d.id.clone(),
                published: newest.map(|p| p.to_string()),
                due: due.to_string(),
                url: Some(where_url),
                evidence: format!(
                    "「{}」最近一次更新为{}，超过{}天未更新",
                    d.name,
                    newest
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "未注明日期".into()),
                    d.max_age_days
                ),
                seen,
            });
        }
    }
    DisclosureOutcome::Ok
}

/// The items of a column: its list page and the later pages its pagination leads to.
fn column_items<'a>(view: &SiteView<'a>, column: &Column) -> Option<Vec<&'a ListItem>> {
    let page = view.page(&column.url)?;
    let facts = page.facts.as_ref().filter(|_| page.fetch.is_success())?;
    let mut items: Vec<&ListItem> = facts.items.iter().collect();
    for link in page
        .links
        .iter()
        .filter(|l| l.element == LinkElement::Pagination)
    {
        if let Some(f) = view.page(&link.target).and_then(|p| p.facts.as_ref()) {
            if page_identity(&link.target) != page_identity(&column.url) {
                items.extend(f.items.iter());
            }
        }
    }
    Some(items)
}
