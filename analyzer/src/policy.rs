//! 政策解读 (谁起草、谁解读): pair each policy document with its interpretation.
//!
//! A policy (an item of a 规范性文件 / 政策文件 / …文件 column) is paired with an interpretation (an
//! item of a 解读 column, or any item titled …解读) when either page links to the other or the
//! interpretation's title names the policy (`《示范区住房租赁管理办法》政策解读`, `关于《…》的解读`).
//! Then, as the quarterly checks do (株洲 2022 Q4, 郑州's three working days):
//!
//! - a policy of the look-back with no interpretation is `policy.uninterpreted`;
//! - an interpretation published more than the allowed working days after its policy is
//!   `policy.interpretation_late`;
//! - a pair whose pages do not link to each other both ways is `policy.link_one_way`.
//!
//! Truthfulness: a site without a readable 解读 column is not judged (its interpretations may live on
//! the portal), nor is a policy "uninterpreted" while a later page of a 解读 column is unread; a
//! policy whose page was not fetched is not judged; a lag needs the working-day
//! calendar; a policy still within its allowed lag is not yet late.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Months, NaiveDate};
use xunjian_model::finding::Finding;
use xunjian_model::observe::{LinkElement, ListItem, PageFacts, PageRecord};

use crate::calendar::WorkCalendar;
use crate::columns::{ColumnState, JudgedColumn};
use crate::view::{page_identity, SiteView};
use crate::Rules;

/// Whether a column holds policy documents (规范性文件, 政策文件, 区政府文件…), not their 解读 and not
/// documents of other governments (上级文件).
pub fn is_policy_column(name: &str) -> bool {
    !name.contains("解读")
        && !name.contains("上级")
        && (name.contains("规范性文件") || name.contains("政策文件") || name.ends_with("文件"))
}

/// Whether a column holds interpretations (政策解读, 文件解读).
pub fn is_interpretation_column(name: &str) -> bool {
    name.contains("解读")
}

/// An item of the site that is an interpretation.
#[derive(Debug, Clone)]
struct Interpretation {
    url: String,
    title: String,
    date: Option<NaiveDate>,
    /// The identities of the pages its own page links to, when that page could be read (computed
    /// once: every policy is paired against every interpretation).
    links: Option<LinkedIds>,
}

/// The identities of the pages a page links to, as sorted hashes: every interpretation page of a
/// site keeps its set for the whole pairing, and a site may have tens of thousands.
#[derive(Debug, Clone, Default)]
struct LinkedIds(Vec<u64>);

impl LinkedIds {
    fn hash(id: &str) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
        BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
    }

    /// Whether a link leads to the page of identity `id`.
    fn contains(&self, id: &str) -> bool {
        self.0.binary_search(&Self::hash(id)).is_ok()
    }
}

/// The identities of the pages a readable page links to.
fn linked_ids(page: Option<&PageRecord>) -> Option<LinkedIds> {
    page.filter(|p| p.readable_facts().is_some()).map(|p| {
        let mut ids: Vec<u64> = p
            .links
            .iter()
            .map(|l| LinkedIds::hash(&page_identity(&l.target)))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        LinkedIds(ids)
    })
}

/// A policy document of the look-back whose page was read.
struct Policy<'a> {
    item: &'a ListItem,
    published: NaiveDate,
    /// The identity of its page.
    id: String,
    /// The identities of the pages its page links to.
    links: LinkedIds,
    /// When its page was fetched.
    seen: String,
}

/// The policy findings of a site; what could not be judged goes into `notes`.
pub fn policy_findings(
    view: &SiteView,
    judged: &[JudgedColumn],
    as_of: NaiveDate,
    rules: &Rules,
    calendar: Option<&WorkCalendar>,
    notes: &mut Vec<String>,
) -> Vec<Finding> {
    let facts_of =
        |url: &str| -> Option<&PageFacts> { view.page(url).and_then(PageRecord::readable_facts) };
    // A policy column's items on every list page read, not only the first: a policy of the
    // look-back may sit on its second page.
    let policy_columns: Vec<(&JudgedColumn, Vec<&ListItem>)> = judged
        .iter()
        .filter(|j| is_policy_column(&j.column.name))
        .filter_map(|j| Some((j, view.column_items(&j.column.url)?)))
        .collect();
    if policy_columns.is_empty() {
        return Vec::new();
    }
    let has_interpretation_column = judged.iter().any(|j| {
        is_interpretation_column(&j.column.name)
            && !matches!(j.state, ColumnState::Unknown { .. })
            && facts_of(&j.column.url).is_some()
    });
    if !has_interpretation_column {
        notes.push("站点未发现可读取的政策解读栏目，政策文件解读情况未检查".into());
        return Vec::new();
    }
    let interpretations = interpretations(view, judged);
    // A 解读 column's later list pages that could not be read may hold the interpretation a policy
    // lacks: then "uninterpreted" cannot be said (pairs found are still judged).
    let unread_pages = judged
        .iter()
        .filter(|j| is_interpretation_column(&j.column.name))
        .filter_map(|j| view.page(&j.column.url))
        .flat_map(|p| {
            p.links
                .iter()
                .filter(|l| l.element == LinkElement::Pagination)
        })
        .filter(|l| {
            view.page(&l.target)
                .and_then(PageRecord::readable_facts)
                .is_none()
        })
        .count();
    if unread_pages > 0 {
        notes.push(format!(
            "政策解读栏目有{unread_pages}个后续列表页未能获取，政策文件是否未解读无法判断"
        ));
    }
    let column_ids: BTreeSet<String> = judged
        .iter()
        .map(|j| page_identity(&j.column.url))
        .collect();
    let since = as_of.checked_sub_months(Months::new(rules.policy_lookback_months));
    let max_lag = rules.interpretation_max_lag_workdays;
    let mut out = Vec::new();
    let mut unread = 0usize;
    let mut done: BTreeSet<String> = BTreeSet::new();
    for (j, items) in policy_columns {
        for item in items {
            let Some(published) = item.date else { continue };
            if since.is_some_and(|s| published < s) || published > as_of {
                continue;
            }
            let id = page_identity(&item.url);
            if interpretations.contains_key(&id) || !done.insert(id.clone()) {
                continue;
            }
            let Some(page) = view
                .page(&item.url)
                .filter(|r| r.readable_facts().is_some())
            else {
                unread += 1;
                continue;
            };
            let policy = Policy {
                item,
                published,
                id,
                links: linked_ids(Some(page)).unwrap_or_default(),
                seen: page.fetch.fetched_at.clone(),
            };
            // A 解读 link in the text to a page that is not among the site's interpretations (the
            // portal's, say): interpreted elsewhere, nothing more to check here. Menu links to a 解读
            // column are not that.
            let elsewhere = page.links.iter().any(|l| {
                let target = page_identity(&l.target);
                !l.nav
                    && l.anchor.contains("解读")
                    && !interpretations.contains_key(&target)
                    && !column_ids.contains(&target)
            });
            let pairs: Vec<(&String, &Interpretation)> = interpretations
                .iter()
                .filter(|(iid, i)| {
                    policy.links.contains(iid)
                        || i.links.as_ref().is_some_and(|l| l.contains(&policy.id))
                        || interprets(&i.title, &item.title)
                })
                .collect();
            if pairs.is_empty() {
                if unread_pages == 0 && !elsewhere && past_lag(published, as_of, max_lag, calendar)
                {
                    out.push(Finding::PolicyUninterpreted {
                        url: item.url.clone(),
                        title: item.title.clone(),
                        published: Some(published.to_string()),
                        column: j.column.name.clone(),
                        evidence: format!(
                            "「{}」栏目的政策文件《{}》（{}，{}）在本站政策解读栏目和页面中未找到对应解读，原文页面也无解读链接",
                            j.column.name, item.title, published, item.url
                        ),
                        seen: Some(policy.seen.clone()),
                    });
                }
                continue;
            }
            for (iid, i) in pairs {
                out.extend(judge_pair(view, &policy, iid, i, max_lag, calendar));
            }
        }
    }
    if unread > 0 {
        notes.push(format!("{unread}个政策文件页面未能获取，其解读情况未检查"));
    }
    out
}

/// The interpretations of a site: the items of its 解读 columns and every item titled …解读, by
/// page identity.
fn interpretations(view: &SiteView, judged: &[JudgedColumn]) -> BTreeMap<String, Interpretation> {
    let mut out: BTreeMap<String, Interpretation> = BTreeMap::new();
    let columns: BTreeSet<String> = judged
        .iter()
        .filter(|j| is_interpretation_column(&j.column.name))
        .map(|j| page_identity(&j.column.url))
        .collect();
    for page in view.records.pages.values() {
        let Some(facts) = page.readable_facts() else {
            continue;
        };
        let in_column = facts
            .column_name
            .as_deref()
            .is_some_and(is_interpretation_column)
            || !columns.is_empty() && columns.contains(&page_identity(&page.fetch.url));
        for item in facts
            .items
            .iter()
            .filter(|i| in_column || i.title.contains("解读"))
        {
            out.entry(page_identity(&item.url))
                .or_insert_with(|| Interpretation {
                    url: item.url.clone(),
                    title: item.title.clone(),
                    date: item.date,
                    links: linked_ids(view.page(&item.url)),
                });
        }
    }
    out
}

/// What is wrong with a policy and its interpretation `i` (of page identity `iid`): published more
/// than `max_lag` working days later, and not linked both ways (when both pages were read).
fn judge_pair(
    view: &SiteView,
    policy: &Policy,
    iid: &str,
    i: &Interpretation,
    max_lag: u32,
    calendar: Option<&WorkCalendar>,
) -> Vec<Finding> {
    let p = policy.item;
    let published = policy.published;
    let mut out = Vec::new();
    let lag = i
        .date
        .zip(calendar)
        .and_then(|(d, cal)| Some((d, cal.workdays_between(published, d).ok()?)));
    if let Some((d, lag)) = lag.filter(|(_, lag)| *lag > i64::from(max_lag)) {
        out.push(Finding::InterpretationLate {
            url: i.url.clone(),
            policy_url: p.url.clone(),
            policy_published: published.to_string(),
            published: d.to_string(),
            lag_workdays: u32::try_from(lag).unwrap_or(u32::MAX),
            evidence: format!(
                "政策解读《{}》（{}）发布于{d}，政策文件《{}》（{}）发布于{published}，相隔{lag}个工作日，超过{max_lag}个工作日",
                i.title, i.url, p.title, p.url
            ),
            seen: view.page(&i.url).map(|r| r.fetch.fetched_at.clone()),
        });
    }
    if i.links.is_none() {
        return out;
    }
    let p_to_i = policy.links.contains(iid);
    let i_to_p = i.links.as_ref().is_some_and(|l| l.contains(&policy.id));
    let (direction, how) = match (p_to_i, i_to_p) {
        (true, true) => return out,
        (true, false) => (
            "policy_to_interpretation",
            "原文链接了解读，解读页面未链接原文",
        ),
        (false, true) => (
            "interpretation_to_policy",
            "解读链接了原文，原文页面未链接解读",
        ),
        (false, false) => ("none", "二者页面互无链接"),
    };
    out.push(Finding::PolicyLinkOneWay {
        url: p.url.clone(),
        interpretation_url: i.url.clone(),
        direction: direction.to_string(),
        evidence: format!(
            "政策文件《{}》（{}）与解读《{}》（{}）未双向关联：{how}",
            p.title, p.url, i.title, i.url
        ),
        seen: Some(policy.seen.clone()),
    });
    out
}

/// Whether a policy published on `published` has had its allowed lag by `as_of`: more than
/// `max_lag` working days (without a calendar covering both dates, more than twice that in calendar
/// days plus a week, which no holiday stretch exceeds).
fn past_lag(
    published: NaiveDate,
    as_of: NaiveDate,
    max_lag: u32,
    calendar: Option<&WorkCalendar>,
) -> bool {
    match calendar.map(|c| c.workdays_between(published, as_of)) {
        Some(Ok(n)) => n > i64::from(max_lag),
        _ => (as_of - published).num_days() > 2 * i64::from(max_lag) + 7,
    }
}

/// The title with everything but letters and digits removed (punctuation, spaces, 《》).
fn norm(title: &str) -> String {
    title.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// What an interpretation's title names: the first `《…》`, else the title without 解读 words.
fn named(interpretation: &str) -> String {
    if let Some(start) = interpretation.find('《') {
        let rest = &interpretation[start + '《'.len_utf8()..];
        if let Some(end) = rest.find('》') {
            return norm(&rest[..end]);
        }
    }
    let mut t = interpretation.trim();
    for prefix in ["一图读懂", "图解", "解读", "关于"] {
        t = t.strip_prefix(prefix).unwrap_or(t);
    }
    for suffix in ["政策解读", "的解读", "解读", "的政策"] {
        t = t.strip_suffix(suffix).unwrap_or(t);
    }
    norm(t)
}

/// Whether an interpretation titled `interpretation` names the policy titled `policy` (at least six
/// characters of name, so that a bare `解读` pairs with nothing).
pub fn interprets(interpretation: &str, policy: &str) -> bool {
    let key = named(interpretation);
    let p = norm(policy);
    key.chars().count() >= 6 && p.contains(&key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        for yes in ["规范性文件", "政策文件", "区政府文件", "部门文件"] {
            assert!(is_policy_column(yes), "{yes}");
        }
        for no in ["政策解读", "文件解读", "上级文件", "通知公告", "政策法规"] {
            assert!(!is_policy_column(no), "{no}");
        }
        assert!(is_interpretation_column("政策解读"));
    }

    #[test]
    fn titles_pair_by_the_name_they_quote() {
        let policy = "示范区人民政府关于印发《示范区住房租赁市场管理办法》的通知";
        for i in [
            "《示范区住房租赁市场管理办法》政策解读",
            "关于《示范区住房租赁市场管理办法》的解读",
            "一图读懂示范区住房租赁市场管理办法",
            "示范区住房租赁市场管理办法解读",
        ] {
            assert!(interprets(i, policy), "{i}");
        }
        for i in [
            "《示范区物业服务收费管理办法》政策解读",
            "政策解读",
            "《办法》解读",
        ] {
            assert!(!interprets(i, policy), "{i}");
        }
    }

    #[test]
    fn lag_without_a_calendar_is_generous() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(!past_lag(d("2025-09-20"), d("2025-09-30"), 3, None));
        assert!(past_lag(d("2025-09-10"), d("2025-09-30"), 3, None));
    }
}
