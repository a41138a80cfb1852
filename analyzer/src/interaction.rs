//! 互动回应差 (国办秘函〔2019〕19号, two vetoes): whether the site offers an online consultation
//! channel, and whether its 政务咨询 message lists hold messages left unanswered too long.
//!
//! The channel is looked for among the links of the homepage and of the pages its navigation leads
//! to (a 互动交流 section), by their text (领导信箱, 咨询投诉, 我要留言, 互动交流, 12345…; 网上信访 and
//! 纪检举报 channels do not count, as the rule says). A homepage with too few links to have a menu (a
//! page drawn by script), or a navigation page that could not be read, leaves the question open. A
//! channel whose every link is broken is no effective channel.
//!
//! Messages come from list rows that show a reply status (see the crawler's list extraction): one
//! left within the look-back and still pending after the allowed months, or answered later than
//! that, is a finding. Lists of 在线访谈, 调查征集, 网上信访 and 纪检举报 are excluded, as the rule says.

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};
use xunjian_model::finding::Finding;
use xunjian_model::observe::{Link, PageFacts};

use crate::view::{page_identity, SiteView};
use crate::Rules;

/// Link texts that name a consultation channel.
const CHANNEL_WORDS: &[&str] = &[
    "信箱",
    "咨询",
    "留言",
    "建言",
    "互动",
    "12345",
    "诉求",
    "问政",
    "公众参与",
    "写信",
];
/// Channels the rule does not count (网上信访, 纪检举报), and list kinds it excludes.
const EXCLUDED_WORDS: &[&str] = &["信访", "纪检", "监察", "违纪", "在线访谈", "调查征集"];
/// Fewer homepage links than this: the page has no menu to judge (drawn by script, a splash page).
const MIN_HOME_LINKS: usize = 10;

/// What the homepage says about a consultation channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Channel {
    /// A channel link whose target is not known to be broken.
    Present,
    /// No effective channel: the finding (a veto).
    Missing(Finding),
    /// The homepage cannot say.
    Unknown(String),
}

/// Whether the homepage offers a consultation channel; `broken` holds the link targets found broken.
pub fn consult_channel(view: &SiteView, broken: &BTreeSet<String>, seen: Option<&str>) -> Channel {
    let Some(home) = view.home() else {
        return Channel::Unknown("首页未抓取".into());
    };
    let anchors: Vec<&Link> = home
        .links
        .iter()
        .map(|l| &**l)
        .filter(|l| l.is_anchor())
        .collect();
    // The pages the homepage navigation leads to, and whether each could be read.
    let mut unread_nav = 0usize;
    let mut nav_links: Vec<&Link> = Vec::new();
    let mut nav_seen: BTreeSet<String> = BTreeSet::new();
    for l in anchors
        .iter()
        .filter(|l| l.nav && view.is_internal(&l.target) && !view.is_home(&l.target))
    {
        if !nav_seen.insert(page_identity(&l.target)) {
            continue;
        }
        match view.page(&l.target) {
            Some(p) if p.fetch.is_readable() => {
                nav_links.extend(p.links.iter().map(|l| &**l).filter(|l| l.is_anchor()))
            }
            _ => unread_nav += 1,
        }
    }
    let channels: Vec<&str> = anchors
        .iter()
        .copied()
        .chain(nav_links)
        .filter(|l| is_channel(&l.anchor))
        .map(|l| l.target.as_str())
        .collect();
    let url = view.home_url.clone();
    if !channels.is_empty() {
        if channels.iter().any(|t| !broken.contains(*t)) {
            return Channel::Present;
        }
        if unread_nav > 0 {
            return Channel::Unknown(format!(
                "首页的咨询建言渠道链接均不可用，且{unread_nav}个导航页面未能读取，无法判断是否另有渠道"
            ));
        }
        let mut targets: Vec<String> = channels.iter().map(|t| t.to_string()).collect();
        targets.sort();
        targets.dedup();
        return Channel::Missing(Finding::NoConsultChannel {
            evidence: format!(
                "首页（{url}）的咨询建言渠道链接均不可用：{}",
                targets.join("、")
            ),
            url,
            broken: targets,
            seen: seen.map(str::to_string),
        });
    }
    if anchors.len() < MIN_HOME_LINKS {
        return Channel::Unknown(format!(
            "首页仅有{}个链接（可能由脚本生成），无法判断是否提供咨询建言渠道",
            anchors.len()
        ));
    }
    if unread_nav > 0 {
        return Channel::Unknown(format!(
            "首页未见咨询建言渠道，且{unread_nav}个导航页面未能读取，无法判断是否提供"
        ));
    }
    Channel::Missing(Finding::NoConsultChannel {
        evidence: format!(
            "首页（{url}）的{}个链接及其导航页面中没有领导信箱、咨询投诉、留言等网上咨询建言渠道",
            anchors.len()
        ),
        url,
        broken: Vec::new(),
        seen: seen.map(str::to_string),
    })
}

/// Whether a link text names a channel that counts.
pub fn is_channel(anchor: &str) -> bool {
    CHANNEL_WORDS.iter().any(|w| anchor.contains(w))
        && !EXCLUDED_WORDS.iter().any(|w| anchor.contains(w))
}

/// Messages of the site's 政务咨询 lists unanswered beyond the allowed months.
pub fn unanswered(view: &SiteView, as_of: NaiveDate, rules: &Rules) -> Vec<Finding> {
    let since = as_of.checked_sub_months(Months::new(rules.message_lookback_months));
    let months = rules.message_max_unanswered_months;
    let mut out = Vec::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    for (list_url, page) in &view.records.pages {
        let Some(facts) = page
            .readable_facts()
            .filter(|f| consult_list(f) && !excluded_list(f))
        else {
            continue;
        };
        for item in &facts.items {
            let (Some(reply), Some(asked)) = (item.reply, item.date) else {
                continue;
            };
            if since.is_some_and(|s| asked < s) || asked > as_of {
                continue;
            }
            let Some(due) = asked.checked_add_months(Months::new(months)) else {
                continue;
            };
            let late = match (reply.answered, reply.date) {
                (false, _) => due < as_of,
                (true, Some(r)) => due < r,
                (true, None) => false,
            };
            if !late || !done.insert(page_identity(&item.url)) {
                continue;
            }
            let replied = reply.date.filter(|_| reply.answered);
            out.push(Finding::MessageUnanswered {
                url: item.url.clone(),
                list_url: list_url.clone(),
                title: item.title.clone(),
                asked: asked.to_string(),
                replied: replied.map(|d| d.to_string()),
                evidence: match replied {
                    Some(r) => format!(
                        "留言「{}」（{}）于{asked}提交，{r}才答复，超过{months}个月（列表：{list_url}）",
                        item.title, item.url
                    ),
                    None => format!(
                        "留言「{}」（{}）于{asked}提交，至监测时间点{as_of}仍显示未答复，超过{months}个月（列表：{list_url}）",
                        item.title, item.url
                    ),
                },
                seen: Some(page.fetch.fetched_at.clone()),
            });
        }
    }
    out
}

/// Words that name a 政务咨询 list (the rule's scope) in its column name or page title.
const CONSULT_LIST_WORDS: &[&str] = &[
    "信箱", "咨询", "留言", "投诉", "建言", "诉求", "问政", "来信", "互动", "民意",
];

/// Whether a list is a 政务咨询 list by its column name or page title: rows with 办理中/已办结 on
/// other lists (办件公示 of administrative services, say) are not messages.
fn consult_list(facts: &PageFacts) -> bool {
    let named = |s: &str| !s.contains("办件") && CONSULT_LIST_WORDS.iter().any(|w| s.contains(w));
    facts.column_name.as_deref().is_some_and(named) || facts.title.as_deref().is_some_and(named)
}

/// Lists the rule excludes (在线访谈, 调查征集, 网上信访, 纪检举报), by column name or page title.
fn excluded_list(facts: &PageFacts) -> bool {
    let excluded = |s: &str| EXCLUDED_WORDS.iter().any(|w| s.contains(w));
    facts.column_name.as_deref().is_some_and(excluded)
        || facts.title.as_deref().is_some_and(excluded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_words() {
        for yes in [
            "区长信箱",
            "领导信箱",
            "咨询投诉",
            "我要留言",
            "互动交流",
            "12345政务服务便民热线",
            "公众参与",
        ] {
            assert!(is_channel(yes), "{yes}");
        }
        for no in [
            "网上信访",
            "纪检举报信箱",
            "在线访谈",
            "调查征集",
            "政务公开",
            "首页",
        ] {
            assert!(!is_channel(no), "{no}");
        }
    }
}
