//! List items (信息条目) of a column page, and whether the list is empty or needs a browser.
//!
//! The inspectors' evidence for "updated" is the date shown beside each item on the column page, so
//! this module reads the common static dialect: `<li>`/`<tr>` rows holding one main link and a date
//! (`<span class="time">`, `<em>`, a `<td>`, `[06-10]`, or a date element inside the link as in
//! `<a><p>title</p><span>2026-01-22</span></a>`). A container (`ul`, `ol`, `table`, `dl`, `div`…) is a
//! *dated list* when at least two of its rows carry a date (one, if it has a single row); every row of
//! a dated list with a link is an item, undated rows included (their date then comes from the URL, or
//! is absent: "未注明发布时间的视为不更新"). Navigation blocks are never lists.
//!
//! When no dated list exists, the page's main list is looked for: a non-navigation list of links whose
//! URLs carry dates (TRS `t20250610_…`), or, on a page that names its column (`<meta name="ColumnName">`),
//! the list marked as such (`ul.list`…). Two script dialects are read without a browser: Hanweb/大汉
//! `<recordset><record><![CDATA[…]]></record>` data islands, and the 武汉 `document.writeln` lists
//! (`var url = "./202602/t20260214_2730572.shtml"; var title = "…"; document.writeln("2026-02-14 17:32")`).
//!
//! Without items, a placeholder (暂无信息, 暂无数据…) makes the list `Empty`; signs of client-side
//! rendering (an empty list container plus `$.ajax`/`fetch(`/`new Vue`…) make it `NeedsRender`, which the
//! analyzer treats as inconclusive, never as empty.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html};
use url::Url;
use xunjian_model::observe::{DateSource, ListItem, ListState, Reply};

use super::dates::{date_in_url, find_date, find_date_span, parse_list_date, parse_short_year};
use super::dom::{self, Ev, Scan};
use super::links::{in_nav, is_nav_element, resolve};

/// A row with more distinct links than this is a block of links, not an item.
const MAX_ROW_LINKS: usize = 4;

/// Texts that say a list has nothing in it.
pub const PLACEHOLDERS: &[&str] = &[
    "暂无信息",
    "暂无数据",
    "没有记录",
    "暂无记录",
    "正在建设中",
    "栏目建设中",
    "暂无内容",
    "无相关信息",
    "暂无文章",
];

/// Inline-script fragments of client-side data loading.
const RENDER_MARKERS: &[&str] = &[
    "$.ajax",
    "$.get(",
    "$.post(",
    "$.getJSON",
    "jQuery.ajax",
    "fetch(",
    "XMLHttpRequest",
    "axios",
    "dataproxy.jsp",
    "new Vue",
    "createApp(",
    "ReactDOM",
];

/// Link texts that are list furniture, not items.
const FURNITURE: &[&str] = &[
    "更多",
    "more",
    "查看更多",
    "首页",
    "上一页",
    "下一页",
    "上页",
    "下页",
    "尾页",
    "末页",
    "返回",
];

static JS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[^\w$.])url\s*=\s*(?:"([^"]+)"|'([^']+)')"#).expect("valid regex")
});
static JS_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:^|[^\w$.])title\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"#)
        .expect("valid regex")
});
static JS_WRITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"document\.write(?:ln)?\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"#)
        .expect("valid regex")
});
static TIME_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?").expect("valid regex"));
static RECORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>").expect("valid regex")
});

/// What the list region of a page holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ListFindings {
    /// `Items`, `Empty`, `NeedsRender` or `None`.
    pub state: ListState,
    /// The items, in page order, one per URL.
    pub items: Vec<ListItem>,
    /// How many dated lists (containers) the page has; a homepage has several, a column page one.
    pub dated_lists: usize,
    /// Whether one of them is the page's main list (see [`main_list`]): then `items` are its own,
    /// and the page is a column's list even beside sidebars and other blocks.
    pub main: bool,
}

/// Find the list of a parsed page. `source` is the decoded HTML (for data islands the parser does
/// not keep), `base` resolves links, `reference` (the fetch date) gives `[06-10]` its year.
pub fn find_list(
    doc: &Html,
    source: &str,
    scan: &Scan,
    base: &Url,
    reference: NaiveDate,
) -> ListFindings {
    let column_page = scan.meta("columnname").is_some();
    let mut rows = RowLinks::default();
    let lists = dated_list_items(doc, base, reference, &mut rows);
    let dated_lists = lists.len();
    // A homepage's update is any of its blocks: its main list is not all it shows.
    let main = main_list(&lists).filter(|_| !super::is_site_root(base));
    let mut items: Vec<ListItem> = match main {
        Some(i) => lists
            .into_iter()
            .nth(i)
            .map(|l| l.items)
            .unwrap_or_default(),
        None => lists.into_iter().flat_map(|l| l.items).collect(),
    };
    let (records, datastore) = recordset_items(source, base, reference);
    items.extend(records);
    for script in &scan.scripts {
        items.extend(js_list_items(script, base, reference));
    }
    if items.is_empty() {
        items.extend(written_list_items(&scan.scripts, base, reference));
    }
    if items.is_empty() {
        items = main_list_items(doc, base, reference, column_page, &mut rows);
    }
    let mut seen = HashSet::new();
    items.retain(|i| seen.insert(i.url.clone()));
    let state = if !items.is_empty() {
        ListState::Items
    } else if has_placeholder(doc) {
        ListState::Empty
    } else if datastore
        || looks_client_rendered(doc, scan)
        || super::data::jpage_endpoint(scan, base).is_some()
    {
        ListState::NeedsRender
    } else if (column_page || !super::has_article_body(doc)) && has_bare_list(doc, scan) {
        ListState::Empty
    } else {
        ListState::None
    };
    ListFindings {
        state,
        items,
        dated_lists,
        main: main.is_some(),
    }
}

/// One dated list of a page: its items, and whether it sits in a block named like a sidebar
/// (热点, 排行, 相关, 推荐…).
struct DatedList {
    items: Vec<ListItem>,
    aside: bool,
}

/// Class and id fragments of blocks beside the main content. Not `left`/`right`: a gov column
/// page puts its list in `div.right` beside the column menu.
const ASIDE_TOKENS: &[&str] = &[
    "side",
    "hot",
    "rank",
    "related",
    "xgxx",
    "xgwz",
    "tuijian",
    "recommend",
    "paihang",
    "aside",
];

/// Whether the element or one of its five nearest ancestors is a sidebar-like block.
fn in_aside(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .take(6)
        .any(|a| {
            a.value().name() == "aside"
                || dom::id_and_classes(a.value())
                    .any(|t| ASIDE_TOKENS.iter().any(|k| t.contains(k)))
        })
}

/// The page's main list, by structure: the longest dated list outside sidebars, when it holds at
/// least five items and either half of all dated items or half as many again as the next list.
/// A homepage's blocks of five to eight items each have none; a column page's list of fifteen
/// beside a sidebar of eight has one.
fn main_list(lists: &[DatedList]) -> Option<usize> {
    let total: usize = lists.iter().map(|l| l.items.len()).sum();
    let best = (0..lists.len())
        .filter(|&i| !lists[i].aside)
        .max_by_key(|&i| (lists[i].items.len(), std::cmp::Reverse(i)))?;
    let n = lists[best].items.len();
    let second = lists
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, l)| l.items.len())
        .max()
        .unwrap_or(0);
    (n >= 5 && (n * 2 >= total || n * 2 >= second * 3)).then_some(best)
}

/// Row links already worked out on this page: the dated-list pass and the main-list pass weigh the
/// same `ul`/`table` rows.
#[derive(Default)]
struct RowLinks(HashMap<ego_tree::NodeId, Option<RowLink>>);

impl RowLinks {
    fn get(&mut self, row: ElementRef<'_>, base: &Url, reference: NaiveDate) -> Option<RowLink> {
        self.0
            .entry(row.id())
            .or_insert_with(|| row_link(row, base, reference))
            .clone()
    }
}

/// The main link of a row, and what the row says about it.
#[derive(Debug, Clone)]
struct RowLink {
    url: Url,
    title: String,
    /// The date shown in the row (outside or inside the link).
    date: Option<NaiveDate>,
    /// For a message row (留言/信箱 lists): its reply status and date.
    reply: Option<Reply>,
}

/// Words a message row uses for "not answered yet"; checked before [`ANSWERED`] (未办结 holds 办结).
const PENDING: &[&str] = &[
    "未回复",
    "未答复",
    "待回复",
    "待答复",
    "未办结",
    "未反馈",
    "未处理",
    "待处理",
    "办理中",
    "处理中",
    "正在办理",
    "受理中",
    "已受理",
    "转办中",
];
/// Words a message row uses for "answered".
const ANSWERED: &[&str] = &[
    "已回复",
    "已答复",
    "已办结",
    "已处理",
    "已反馈",
    "已回应",
    "办结",
];

/// The reply status a message row shows outside its title link (`rest`): a status word, and the
/// row's second date as the reply date when the status is answered.
fn reply_of(rest: &str, reference: NaiveDate) -> Option<Reply> {
    let answered = if PENDING.iter().any(|w| rest.contains(w)) {
        false
    } else if ANSWERED.iter().any(|w| rest.contains(w)) {
        true
    } else {
        return None;
    };
    let date = answered
        .then(|| {
            let first = find_date_span(rest, reference)?;
            find_date(&rest[first.end..], reference)
        })
        .flatten();
    Some(Reply { answered, date })
}

impl RowLink {
    fn item(self) -> ListItem {
        let (date, date_source) = match (self.date, date_in_url(self.url.as_str())) {
            (Some(d), _) => (Some(d), DateSource::List),
            (None, Some(d)) => (Some(d), DateSource::Url),
            (None, None) => (None, DateSource::None),
        };
        ListItem {
            title: self.title,
            url: self.url.to_string(),
            date,
            date_source,
            reply: self.reply,
        }
    }
}

/// The row's main link: its only link, or (for `li`/`tr`/`dd` rows) the one whose text is strictly the
/// longest; `None` for a row without links, with too many, or whose link is list furniture (更多,
/// 下一页…). Generic rows (`div`, `p`, `a`…) must hold exactly one link: a box of several dated links is
/// A page address written in a link's `onclick` (`<a href="javascript:void(0)"
/// onclick="window.open('/art/2025/9/1/art_1_2.html')">`, `openDetail('./202509/t1.html')`):
/// such rows are the column's items as the visitor sees them, and their dates count like any row's.
static ONCLICK_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"['"]((?:[^'"\s]+\.(?:s?html?|jsp|aspx?|php)(?:\?[^'"\s]*)?)|/[^'"\s]+)['"]"#)
        .expect("valid regex")
});

/// The page an anchor's `onclick` opens, resolved against `base`.
fn onclick_target(a: ElementRef<'_>, base: &Url) -> Option<Url> {
    let script = a.value().attr("onclick")?;
    ONCLICK_PAGE
        .captures_iter(script)
        .find_map(|c| resolve(base, c.get(1)?.as_str()))
}

/// a container of rows, not a row.
fn row_link(row: ElementRef<'_>, base: &Url, reference: NaiveDate) -> Option<RowLink> {
    let max_links = match row.value().name() {
        "li" | "tr" | "dd" | "dt" | "html" => MAX_ROW_LINKS,
        _ => 1,
    };
    let mut links: Vec<(ElementRef<'_>, Url)> = Vec::new();
    let anchors = row.descendent_elements().filter(|e| {
        e.value().name() == "a"
            && (e.value().attr("href").is_some() || e.value().attr("onclick").is_some())
    });
    for a in anchors {
        let target = a
            .value()
            .attr("href")
            .and_then(|h| resolve(base, h))
            .or_else(|| onclick_target(a, base));
        if let Some(u) = target {
            if !links.iter().any(|(_, v)| *v == u) {
                if links.len() == max_links {
                    return None;
                }
                links.push((a, u));
            }
        }
    }
    let (main, url) = match links.len() {
        0 => return None,
        1 => links.pop()?,
        _ => {
            let mut scored: Vec<(usize, (ElementRef<'_>, Url))> = links
                .into_iter()
                .map(|(a, u)| (link_weight(a), (a, u)))
                .collect();
            scored.sort_by_key(|s| std::cmp::Reverse(s.0));
            if scored[0].0 == scored[1].0 {
                return None;
            }
            scored.swap_remove(0).1
        }
    };

    // The date: outside the link, in a script of the row, in a date element inside the link, or at
    // either end of the link text.
    let mut date = None;
    let mut date_el = None;
    let mut strip: Option<(usize, usize)> = None;
    let mut reply = None;
    if row != main {
        let rest = dom::text_of(row, Some(main), true);
        date = find_date(&rest, reference).or_else(|| parse_short_year(&rest, reference));
        reply = reply_of(&rest, reference);
        if date.is_none() {
            date = row
                .descendent_elements()
                .filter(|e| e.value().name() == "script")
                .find_map(|s| {
                    let text: String = s.text().collect();
                    JS_WRITE.captures_iter(&text).find_map(|c| {
                        let m = c.get(1).or_else(|| c.get(2))?;
                        find_date(m.as_str(), reference)
                    })
                });
        }
    }
    if date.is_none() {
        for e in main.descendent_elements().filter(|e| *e != main) {
            if let Some(d) = parse_list_date(&dom::text_of(e, None, true), reference) {
                date = Some(d);
                date_el = Some(e);
                break;
            }
        }
    }
    let text = dom::collapse(&dom::text_of(main, date_el, false));
    if date.is_none() {
        if let Some(f) = find_date_span(&text, reference) {
            let is_bracket = |s: &str| {
                s.chars()
                    .all(|c| c.is_whitespace() || "[]【】()（）".contains(c))
            };
            let before = &text[..f.start];
            let after = skip_time(&text[f.end..]);
            let at_start = is_bracket(before) && !after.trim().is_empty();
            let at_end = is_bracket(after)
                && !before.trim().is_empty()
                && before.ends_with(|c: char| c.is_whitespace() || "[【(（".contains(c));
            if at_start || at_end {
                date = Some(f.date);
                strip = Some((f.start, f.end));
            }
        }
    }

    let mut title = main
        .value()
        .attr("title")
        .map(dom::collapse)
        .filter(|t| !t.is_empty() && !is_generic_title(t))
        .unwrap_or_else(|| match strip {
            Some((s, e)) => {
                let before =
                    text[..s].trim_end_matches(|c: char| c.is_whitespace() || "[【(（".contains(c));
                let after = skip_time(&text[e..])
                    .trim_start_matches(|c: char| c.is_whitespace() || "]】)）".contains(c));
                dom::collapse(&format!("{before} {after}"))
            }
            None => text.clone(),
        });
    title = title
        .trim_matches(|c: char| c.is_whitespace() || "·•●◆◇■□▪▶►>»-—*".contains(c))
        .to_string();
    if title.is_empty() {
        title = super::links::anchor_text(main);
    }
    if title.is_empty() || is_furniture(&title) {
        return None;
    }
    Some(RowLink {
        url,
        title,
        date,
        reply,
    })
}

/// `text` without a leading time of day (` 10:19`, ` 10:19:59`).
fn skip_time(text: &str) -> &str {
    let t = text.trim_start();
    match TIME_PREFIX.find(t) {
        Some(m) => &t[m.end()..],
        None => text,
    }
}

/// How much a link looks like the row's title: its text length (or its `title` attribute's).
fn link_weight(a: ElementRef<'_>) -> usize {
    let text = dom::collapse(&dom::text_of(a, None, false)).chars().count();
    let title = a
        .value()
        .attr("title")
        .map_or(0, |t| t.trim().chars().count());
    text.max(title)
}

/// A `title` attribute that describes the link's behaviour, not its page (新窗口打开, 点击查看详情).
fn is_generic_title(t: &str) -> bool {
    t.chars().count() <= 8
        && ["窗口", "点击", "详情", "查看"]
            .iter()
            .any(|k| t.contains(k))
}

fn is_furniture(title: &str) -> bool {
    let t = title
        .trim_matches(|c: char| c.is_whitespace() || ">»+.。…[]【】".contains(c))
        .to_lowercase();
    t.is_empty() || t.chars().all(|c| c.is_ascii_digit()) || FURNITURE.contains(&t.as_str())
}

/// The row elements a container of this kind holds.
fn row_tags(container: &str) -> &'static [&'static str] {
    match container {
        "ul" | "ol" | "menu" => &["li"],
        "table" | "tbody" | "thead" | "tfoot" => &["tr"],
        "dl" => &["dd", "dt"],
        "div" | "section" | "article" | "main" | "td" | "form" | "body" | "span" | "center" => {
            &["li", "div", "p", "a", "dd", "dl", "section", "article"]
        }
        _ => &[],
    }
}

/// Every dated list of the page, in page order.
fn dated_list_items(
    doc: &Html,
    base: &Url,
    reference: NaiveDate,
    known: &mut RowLinks,
) -> Vec<DatedList> {
    let mut lists = Vec::new();
    for container in doc.root_element().descendent_elements() {
        let name = container.value().name();
        let tags = row_tags(name);
        if tags.is_empty() {
            continue;
        }
        let rows: Vec<ElementRef<'_>> = container
            .child_elements()
            .filter(|c| tags.contains(&c.value().name()))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let links: Vec<Option<RowLink>> = rows
            .iter()
            .map(|r| known.get(*r, base, reference))
            .collect();
        let dated = links.iter().flatten().filter(|l| l.date.is_some()).count();
        let single = rows.len() == 1 && matches!(name, "ul" | "ol" | "table" | "tbody");
        if !(dated >= 2 || (single && dated == 1)) || in_nav(container) {
            continue;
        }
        lists.push(DatedList {
            items: links.into_iter().flatten().map(RowLink::item).collect(),
            aside: in_aside(container),
        });
    }
    lists
}

/// Whether the element sits in a footer or a friendly-links block.
pub(crate) fn in_footer(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|a| {
            a.value().name() == "footer"
                || dom::id_and_classes(a.value()).any(|t| {
                    ["foot", "bottom", "copyright", "yqlj", "friend"]
                        .iter()
                        .any(|k| t.contains(k))
                })
        })
}

/// Whether the element or one of its three nearest ancestors is named like a list.
fn list_hint(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .take(4)
        .any(|a| {
            dom::id_and_classes(a.value()).any(|t| {
                ["list", "news", "article", "result"]
                    .iter()
                    .any(|k| t.contains(k))
            })
        })
}

/// The page's main list when it shows no dates: lists of links whose URLs carry dates, or, on a page
/// naming its column, the list named like one (or the only list there is).
fn main_list_items(
    doc: &Html,
    base: &Url,
    reference: NaiveDate,
    column_page: bool,
    known: &mut RowLinks,
) -> Vec<ListItem> {
    struct Candidate {
        items: Vec<RowLink>,
        url_dated: usize,
        hint: bool,
    }
    let mut candidates = Vec::new();
    for container in doc.root_element().descendent_elements() {
        let tag = match container.value().name() {
            "ul" | "ol" => "li",
            "tbody" | "table" => "tr",
            _ => continue,
        };
        let rows: Vec<ElementRef<'_>> = container
            .child_elements()
            .filter(|c| c.value().name() == tag)
            .collect();
        let links: Vec<RowLink> = rows
            .iter()
            .filter_map(|r| known.get(*r, base, reference))
            .collect();
        let n = links.len();
        if n == 0 || (n < 2 && rows.len() != 1) || n * 10 < rows.len() * 6 {
            continue;
        }
        if in_nav(container) || in_footer(container) {
            continue;
        }
        let url_dated = links
            .iter()
            .filter(|l| date_in_url(l.url.as_str()).is_some())
            .count();
        candidates.push(Candidate {
            items: links,
            url_dated,
            hint: list_hint(container),
        });
    }
    let url_lists: Vec<ListItem> = candidates
        .iter()
        .filter(|c| c.url_dated >= 2 && c.url_dated * 2 >= c.items.len())
        .flat_map(|c| c.items.iter().cloned().map(RowLink::item))
        .collect();
    if !url_lists.is_empty() || !column_page {
        return url_lists;
    }
    let hinted = candidates
        .iter()
        .filter(|c| c.hint)
        .max_by_key(|c| c.items.len());
    let chosen = match hinted {
        Some(c) => Some(c),
        None if candidates.len() == 1 && candidates[0].items.len() >= 2 => candidates.first(),
        None => None,
    };
    chosen
        .map(|c| c.items.iter().cloned().map(RowLink::item).collect())
        .unwrap_or_default()
}

/// Items of Hanweb/大汉 `<recordset>` data islands (each `<record>` an item row), and whether a
/// data island exists at all (an island without records is filled by a later request).
pub fn recordset_items(source: &str, base: &Url, reference: NaiveDate) -> (Vec<ListItem>, bool) {
    if !source.contains("<recordset") && !source.contains("<datastore") {
        return (Vec::new(), false);
    }
    let items = RECORD
        .captures_iter(source)
        .filter_map(|c| {
            let html = c.get(1).or_else(|| c.get(2))?.as_str();
            let frag = Html::parse_fragment(html);
            row_link(frag.root_element(), base, reference).map(RowLink::item)
        })
        .collect();
    (items, true)
}

/// Undo JavaScript string escapes (`\"`, `\'`, `\\`, `\/`).
fn js_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Items of a 武汉-style `document.writeln` list script: each `url = "…"` starts an item, its last
/// non-empty `title = "…"` names it, and the first date written by `document.writeln(…)` dates it.
pub fn js_list_items(script: &str, base: &Url, reference: NaiveDate) -> Vec<ListItem> {
    if !script.contains("document.write") {
        return Vec::new();
    }
    enum Tok {
        Url(String),
        Title(String),
        Write(String),
    }
    let grab = |c: &regex::Captures<'_>| {
        let m = c
            .get(1)
            .or_else(|| c.get(2))
            .expect("one alternative matched");
        (c.get(0).expect("match").start(), js_unescape(m.as_str()))
    };
    let mut toks: Vec<(usize, Tok)> = Vec::new();
    toks.extend(JS_URL.captures_iter(script).map(|c| {
        let (at, s) = grab(&c);
        (at, Tok::Url(s))
    }));
    toks.extend(JS_TITLE.captures_iter(script).map(|c| {
        let (at, s) = grab(&c);
        (at, Tok::Title(s))
    }));
    toks.extend(JS_WRITE.captures_iter(script).map(|c| {
        let (at, s) = grab(&c);
        (at, Tok::Write(s))
    }));
    toks.sort_by_key(|t| t.0);

    let mut items = Vec::new();
    let mut current: Option<(Url, String, Option<NaiveDate>)> = None;
    let flush = |cur: Option<(Url, String, Option<NaiveDate>)>, items: &mut Vec<ListItem>| {
        if let Some((url, title, date)) = cur {
            let title = dom::collapse(&title);
            if !title.is_empty() {
                items.push(
                    RowLink {
                        url,
                        title,
                        date,
                        reply: None,
                    }
                    .item(),
                );
            }
        }
    };
    for (_, tok) in toks {
        match tok {
            Tok::Url(u) => {
                flush(current.take(), &mut items);
                current = resolve(base, &u).map(|u| (u, String::new(), None));
            }
            Tok::Title(t) => {
                if let Some(cur) = current.as_mut() {
                    if !t.trim().is_empty() {
                        cur.1 = t;
                    }
                }
            }
            Tok::Write(w) => {
                if let Some(cur) = current.as_mut() {
                    if cur.2.is_none() {
                        cur.2 = find_date(&w, reference);
                    }
                }
            }
        }
    }
    flush(current, &mut items);
    items
}

/// The HTML that `document.write`/`writeln` calls write with string literals alone, in page
/// order (`document.writeln("<li><a href=\"./t1.html\">…</a><span>2025-01-10</span></li>")`); a
/// call that also writes a variable contributes its literals only.
fn written_html(scripts: &[String]) -> String {
    let mut out = String::new();
    for script in scripts {
        let mut rest = script.as_str();
        while let Some(at) = rest.find("document.write") {
            rest = &rest[at + "document.write".len()..];
            let Some(open) = rest.find('(') else { break };
            let (written, after) = call_literals(&rest[open + 1..]);
            out.push_str(&written);
            out.push('\n');
            rest = after;
        }
    }
    out
}

/// The string literals of a call's arguments up to its closing parenthesis, unescaped and joined,
/// and the text after the call.
fn call_literals(args: &str) -> (String, &str) {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut chars = args.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' | '`' => {
                let mut lit = String::new();
                let mut escaped = false;
                for (_, n) in chars.by_ref() {
                    if escaped {
                        lit.push(match n {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                        escaped = false;
                    } else if n == '\\' {
                        escaped = true;
                    } else if n == c {
                        break;
                    } else {
                        lit.push(n);
                    }
                }
                out.push_str(&lit);
            }
            '(' => depth += 1,
            ')' if depth == 0 => return (out, &args[i + 1..]),
            ')' => depth -= 1,
            _ => {}
        }
    }
    (out, "")
}

/// Items of a list the page writes whole with `document.writeln` literals (a street site's
/// column): the dated lists of the written HTML, read as the browser would show it.
fn written_list_items(scripts: &[String], base: &Url, reference: NaiveDate) -> Vec<ListItem> {
    let html = written_html(scripts);
    if !html.contains("<a") && !html.contains("<A") {
        return Vec::new();
    }
    let frag = Html::parse_fragment(&format!("<div>{html}</div>"));
    let mut rows = RowLinks::default();
    dated_list_items(&frag, base, reference, &mut rows)
        .into_iter()
        .flat_map(|l| l.items)
        .collect()
}

/// Whether the page shows a "nothing here" placeholder (暂无信息…) outside its navigation, as a short
/// text of its own (not a sentence that happens to contain the words).
pub fn has_placeholder(doc: &Html) -> bool {
    let mut found = false;
    let mut nav = 0usize;
    dom::walk(doc.root_element(), |ev| {
        if found {
            return false;
        }
        match ev {
            Ev::Open(el) => {
                if dom::is_hidden_tag(el.value().name()) {
                    return false;
                }
                if is_nav_element(el.value()) {
                    nav += 1;
                }
            }
            Ev::Close(el) => {
                if is_nav_element(el.value()) {
                    nav -= 1;
                }
            }
            Ev::Text(t) => {
                let t = t.trim();
                if nav == 0 && t.chars().count() <= 40 && PLACEHOLDERS.iter().any(|p| t.contains(p))
                {
                    found = true;
                }
            }
        }
        true
    });
    found
}

/// Script files that never fill a list, by name: libraries and site furniture (纠错, 无障碍, 统计,
/// 党政机关标识, the pager).
const INERT_SCRIPTS: &[&str] = &[
    "jquery",
    "bootstrap",
    "swiper",
    "html5shiv",
    "respond",
    "jiucuo",
    "wza",
    "aria",
    "tongji",
    "cnzz",
    "hm.js",
    "conac",
    "dzjg",
    "share",
    "font",
    "zoom",
    "print",
    "page.js",
    "createpage",
];

/// Whether the page holds a list element with nothing in it (no row, no text, no link) while no
/// script could fill it: no inline script that writes or loads anything, and no script file
/// other than [`INERT_SCRIPTS`]. Then the column is empty as a reader sees it; any doubt leaves
/// the list unjudged.
pub fn has_bare_list(doc: &Html, scan: &Scan) -> bool {
    let scripted = scan.scripts.iter().any(|s| {
        s.contains("document.write")
            // a pager counts pages of items the tree does not hold
            || s.contains("createPageHTML")
            || s.contains("innerHTML")
            || s.contains(".html(")
            || s.contains(".append")
            || RENDER_MARKERS.iter().any(|m| s.contains(m))
    });
    let unknown_file = scan.script_srcs.iter().any(|src| {
        let name = src.rsplit('/').next().unwrap_or(src).to_ascii_lowercase();
        !INERT_SCRIPTS.iter().any(|k| name.contains(k))
    });
    if scripted || unknown_file {
        return false;
    }
    doc.root_element().descendent_elements().any(|el| {
        let e = el.value();
        matches!(
            e.name(),
            "ul" | "ol" | "div" | "table" | "tbody" | "section"
        ) && dom::id_and_classes(e).any(|t| t.contains("list"))
            && !el.descendent_elements().any(|c| {
                matches!(
                    c.value().name(),
                    "a" | "img" | "iframe" | "script" | "input"
                )
            })
            && dom::text_of(el, None, false).trim().is_empty()
            && !in_nav(el)
            && !in_footer(el)
    })
}

/// Whether the list is evidently filled by client-side script: template markup (`v-for`, `{{…}}`,
/// `ng-repeat`), an empty `#app`/`#root` mount point with scripts, or an empty list-like container
/// together with a data-loading script (`$.ajax`, `fetch(`, `XMLHttpRequest`, `axios`, `dataproxy.jsp`,
/// `new Vue`…).
pub fn looks_client_rendered(doc: &Html, scan: &Scan) -> bool {
    let loads_data = scan
        .scripts
        .iter()
        .any(|s| RENDER_MARKERS.iter().any(|m| s.contains(m)))
        || scan.script_srcs.iter().any(|s| {
            let s = s.to_ascii_lowercase();
            ["vue", "axios", "react", "angular", "dataproxy"]
                .iter()
                .any(|k| s.contains(k))
        });
    let has_scripts = !scan.scripts.is_empty() || !scan.script_srcs.is_empty();
    let mut template = scan.text.contains("{{") && scan.text.contains("}}");
    let mut empty_container = false;
    let mut mount_point = false;
    for el in doc.root_element().descendent_elements() {
        let e = el.value();
        if e.attrs().any(|(k, _)| {
            k.starts_with("v-for")
                || k.starts_with("ng-repeat")
                || k.starts_with(":href")
                || k == "v-html"
        }) {
            template = true;
            break;
        }
        if !matches!(
            e.name(),
            "div" | "ul" | "ol" | "tbody" | "table" | "section" | "main"
        ) {
            continue;
        }
        let tokens: Vec<String> = dom::id_and_classes(e).collect();
        if tokens.is_empty() {
            continue;
        }
        let empty = !el
            .descendent_elements()
            .any(|c| matches!(c.value().name(), "a" | "img" | "iframe" | "input" | "video"))
            && dom::text_of(el, None, false).trim().is_empty();
        if !empty {
            continue;
        }
        if e.id().is_some_and(|id| matches!(id, "app" | "root")) {
            mount_point = true;
        }
        if tokens.iter().any(|t| {
            [
                "list", "content", "con", "news", "data", "app", "result", "article", "info",
                "box", "main", "wrap", "item", "tab",
            ]
            .iter()
            .any(|k| t.contains(k))
        }) {
            empty_container = true;
        }
    }
    template || (mount_point && has_scripts) || (empty_container && loads_data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const REF: &str = "2026-03-01";

    fn run(html: &str, page: &str) -> ListFindings {
        let doc = Html::parse_document(html);
        let scan = Scan::new(&doc);
        find_list(&doc, html, &scan, &Url::parse(page).unwrap(), d(REF))
    }

    fn item(title: &str, url: &str, date: Option<&str>, source: DateSource) -> ListItem {
        ListItem {
            title: title.into(),
            url: url.into(),
            date: date.map(d),
            date_source: source,
            reply: None,
        }
    }

    #[test]
    fn rows_whose_links_open_by_onclick_are_items() {
        let rows: String = (1..=5)
            .map(|n| {
                format!(
                    "<li><a href=\"javascript:void(0)\" onclick=\"window.open('/art/2025/9/{n}/art_1_{n}.html')\">关于第{n}项工作的通知</a><span>2025-09-0{n}</span></li>"
                )
            })
            .collect();
        let html = format!(
            "<html><head><meta name=\"ColumnName\" content=\"通知公告\"></head><body><ul class=\"list\">{rows}\
             <li><a href=\"javascript:;\" onclick=\"toggle(this)\">展开</a></li></ul></body></html>"
        );
        let got = run(&html, "https://www.example.gov.cn/col/col1/index.html");
        assert_eq!(got.state, ListState::Items);
        assert_eq!(got.items.len(), 5, "{:?}", got.items);
        assert_eq!(
            got.items[0].url,
            "https://www.example.gov.cn/art/2025/9/1/art_1_1.html"
        );
        assert_eq!(got.items[0].date, Some(d("2025-09-01")));
    }

    #[test]
    fn a_table_list_dated_with_two_digit_years_is_a_list() {
        // 中国科学院 TRS templates: a table of rows, each a link and a `yy-mm-dd` cell.
        let rows: String = (1..=6)
            .map(|n| {
                format!(
                    "<tr><td class=\"black_14\"><a class=\"cn51black14\" href=\"./202509/t2025090{n}_1.html\">关于第{n}项工作的通知</a></td><td class=\"cn51hui122\">25-09-0{n}</td></tr>"
                )
            })
            .collect();
        let html = format!(
            "<html><body><div class=\"nav\"><a href=\"/\">首页</a></div><table>{rows}</table></body></html>"
        );
        let got = run(&html, "http://www.dlh.pmo.cas.cn/tzgg/index.html");
        assert_eq!(got.state, ListState::Items);
        assert_eq!(got.items.len(), 6);
        assert_eq!(got.items[0].date, Some(d("2025-09-01")));
    }

    #[test]
    fn wuhan_static_list_with_span_time_and_script_in_span() {
        let html = r#"<html><head><meta name="ColumnName" content="工作动态"></head><body>
            <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>
            <ul class="list">
              <li><a href="./202602/t20260212_2729456.shtml" title="市政府召开常务会议" target="_blank">市政府召开常务会议</a>
                  <span class="time"><script>var fileNum = "武政规〔2025〕3号";</script>2025年12月04日</span></li>
              <li><a href="./202511/t20251120_2700001.shtml" title="全市安全生产工作会议召开">全市安全生产...</a>
                  <span class="time">2025年11月20日</span></li>
              <li><a href="../../sy/whyw/202510/t20251001_1.shtml">武汉要闻一则</a></li>
            </ul></body></html>"#;
        let got = run(html, "https://www.wuhan.gov.cn/ztzl/gzdt/index.shtml");
        assert_eq!(got.state, ListState::Items);
        assert_eq!(got.dated_lists, 1);
        assert_eq!(
            got.items,
            vec![
                item(
                    "市政府召开常务会议",
                    "https://www.wuhan.gov.cn/ztzl/gzdt/202602/t20260212_2729456.shtml",
                    Some("2025-12-04"),
                    DateSource::List
                ),
                item(
                    "全市安全生产工作会议召开",
                    "https://www.wuhan.gov.cn/ztzl/gzdt/202511/t20251120_2700001.shtml",
                    Some("2025-11-20"),
                    DateSource::List
                ),
                item(
                    "武汉要闻一则",
                    "https://www.wuhan.gov.cn/sy/whyw/202510/t20251001_1.shtml",
                    Some("2025-10-01"),
                    DateSource::Url
                ),
            ]
        );
    }

    #[test]
    fn message_rows_carry_reply_status_and_date() {
        let html = r#"<body><table class="xjlist">
            <tr><th>标题</th><th>留言时间</th><th>状态</th><th>答复时间</th></tr>
            <tr><td><a href="/ldxx/detail/101.html">关于小区供暖不达标的反映</a></td><td>2025-03-02</td><td>已回复</td><td>2025-03-09</td></tr>
            <tr><td><a href="/ldxx/detail/102.html">咨询公租房申请条件</a></td><td>2025-04-11</td><td>未办结</td><td></td></tr>
            <tr><td><a href="/ldxx/detail/103.html">建议增设公交站点</a></td><td>2025-05-20</td><td>已办结</td><td>-</td></tr>
            </table>
            <ul><li><a href="/xw/1.html">区政府已答复人大代表建议</a><span>2025-06-01</span></li>
            <li><a href="/xw/2.html">工作动态</a><span>2025-05-01</span></li></ul></body>"#;
        let got = run(html, "http://www.x.gov.cn/ldxx/");
        let replies: Vec<Option<Reply>> = got.items.iter().map(|i| i.reply).collect();
        assert_eq!(
            replies,
            [
                Some(Reply {
                    answered: true,
                    date: Some(d("2025-03-09"))
                }),
                Some(Reply {
                    answered: false,
                    date: None
                }),
                Some(Reply {
                    answered: true,
                    date: None
                }),
                None,
                None,
            ]
        );
        assert_eq!(got.items[0].date, Some(d("2025-03-02")));
        assert_eq!(got.items[0].title, "关于小区供暖不达标的反映");
    }

    #[test]
    fn date_inside_anchor_shenzhen_style() {
        let html = r#"<body><ul class="tzgg_content">
            <li><a href="/gkmlpt/content/11/11000/post_11000001.html"><p>关于印发国资监管工作要点的通知</p><span>2026-01-22</span></a></li>
            <li><a href="/gkmlpt/content/11/11000/post_11000002.html"><p>市国资委2025年度工作总结</p><span>2025-12-30</span></a></li>
            </ul></body>"#;
        let got = run(html, "https://gzw.sz.gov.cn/tzgg/");
        assert_eq!(
            got.items,
            vec![
                item(
                    "关于印发国资监管工作要点的通知",
                    "https://gzw.sz.gov.cn/gkmlpt/content/11/11000/post_11000001.html",
                    Some("2026-01-22"),
                    DateSource::List
                ),
                item(
                    "市国资委2025年度工作总结",
                    "https://gzw.sz.gov.cn/gkmlpt/content/11/11000/post_11000002.html",
                    Some("2025-12-30"),
                    DateSource::List
                ),
            ]
        );
    }

    #[test]
    fn table_rows_with_index_numbers_and_month_day_lists() {
        let html = r#"<body><table class="zcwj"><tr><th>索引号</th><th>标题</th><th>发布日期</th></tr>
            <tr><td>000014349/2025-00123</td><td><a href="/zcwj/1.html">关于加强河湖长制工作的意见</a></td><td>2025-06-10</td></tr>
            <tr><td>2025-02-00018</td><td><a href="/zcwj/2.html">关于做好防汛工作的通知</a></td><td>2025/5/8</td></tr>
            </table>
            <div class="box"><ul><li><a href="/xw/3.html">区领导调研乡村振兴</a><em>[02-27]</em></li>
            <li><a href="/xw/4.html">全区召开安全生产会议</a> 12-30</li></ul></div></body>"#;
        let got = run(html, "http://x.gov.cn/");
        assert_eq!(got.dated_lists, 2);
        let brief: Vec<(String, Option<NaiveDate>)> = got
            .items
            .iter()
            .map(|i| (i.title.clone(), i.date))
            .collect();
        assert_eq!(
            brief,
            vec![
                (
                    "关于加强河湖长制工作的意见".to_string(),
                    Some(d("2025-06-10"))
                ),
                ("关于做好防汛工作的通知".to_string(), Some(d("2025-05-08"))),
                ("区领导调研乡村振兴".to_string(), Some(d("2026-02-27"))),
                ("全区召开安全生产会议".to_string(), Some(d("2025-12-30"))),
            ]
        );
    }

    #[test]
    fn date_text_inside_anchor_is_stripped_from_title() {
        let html = r#"<body><ul>
            <li><a href="/a/1.html">· 区政府召开常务会议 2025-06-10</a></li>
            <li><a href="/a/2.html">[2025-06-09] 区长调研防汛工作</a></li>
            <li><a href="/a/3.html">关于2025年6月1日停电的通知</a></li></ul></body>"#;
        let got = run(html, "http://x.gov.cn/");
        let brief: Vec<(String, Option<NaiveDate>, DateSource)> = got
            .items
            .iter()
            .map(|i| (i.title.clone(), i.date, i.date_source))
            .collect();
        assert_eq!(
            brief,
            vec![
                (
                    "区政府召开常务会议".to_string(),
                    Some(d("2025-06-10")),
                    DateSource::List
                ),
                (
                    "区长调研防汛工作".to_string(),
                    Some(d("2025-06-09")),
                    DateSource::List
                ),
                (
                    "关于2025年6月1日停电的通知".to_string(),
                    None,
                    DateSource::None
                ),
            ]
        );
    }

    #[test]
    fn navigation_and_undated_link_lists_are_not_items() {
        let html = r#"<body><div class="nav"><ul>
            <li><a href="/a/">动态</a><span>2025-06-10</span></li><li><a href="/b/">公告</a><span>2025-06-09</span></li></ul></div>
            <div class="bmwz"><ul><li><a href="http://fgj.x.gov.cn/">发改局</a></li><li><a href="http://jyj.x.gov.cn/">教育局</a></li></ul></div>
            <ul class="pagination"><li><a href="index_1.html">2</a></li><li><a href="index_1.html">下一页</a></li></ul>
            </body>"#;
        let got = run(html, "http://x.gov.cn/");
        assert_eq!(got.state, ListState::None);
        assert!(got.items.is_empty());
    }

    #[test]
    fn undated_main_list_of_a_column_page() {
        let html = r#"<html><head><meta name="ColumnName" content="招标公示"></head><body>
            <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zbgs/index.html">招标公示</a></li></ul></div>
            <div class="list-box"><div class="list-title"><h2>招标公示</h2></div><ul class="list">
            <li><a href="./detail/2700101.html" title="关于农村人居环境整治项目的公示" target="_blank">关于农村人居环境整治项目的公示</a></li>
            <li><a href="./detail/2700102.html" title="关于垃圾分类项目的公示" target="_blank">关于垃圾分类项目的公示</a></li>
            </ul></div><div class="footer"><ul><li><a href="/a">网站地图</a></li><li><a href="/b">联系我们</a></li></ul></div></body></html>"#;
        let got = run(html, "http://127.0.0.1:8080/zbgs/index.html");
        assert_eq!(got.state, ListState::Items);
        assert_eq!(
            got.items,
            vec![
                item(
                    "关于农村人居环境整治项目的公示",
                    "http://127.0.0.1:8080/zbgs/detail/2700101.html",
                    None,
                    DateSource::None
                ),
                item(
                    "关于垃圾分类项目的公示",
                    "http://127.0.0.1:8080/zbgs/detail/2700102.html",
                    None,
                    DateSource::None
                ),
            ]
        );
        // Without ColumnName the same page has no list.
        let plain = html.replace(r#"<meta name="ColumnName" content="招标公示">"#, "");
        assert_eq!(
            run(&plain, "http://127.0.0.1:8080/zbgs/index.html").state,
            ListState::None
        );
    }

    #[test]
    fn url_dated_list_without_visible_dates() {
        let html = r#"<body><div class="yw"><ul>
            <li><a href="/xwzx/202506/t20250610_101.html">区委常委会召开会议</a></li>
            <li><a href="/xwzx/202506/t20250608_100.html">区政府党组理论学习中心组学习</a></li>
            <li><a href="/xwzx/202505/t20250530_99.html">全区经济运行分析会召开</a></li></ul></div></body>"#;
        let got = run(html, "http://x.gov.cn/");
        assert_eq!(got.items.len(), 3);
        assert_eq!(got.items[0].date, Some(d("2025-06-10")));
        assert!(got.items.iter().all(|i| i.date_source == DateSource::Url));
    }

    #[test]
    fn mixed_dated_and_undated_rows_more_link_skipped() {
        let html = r#"<body><div class="home-news"><div class="hd"><h3>通知公告</h3><a href="/tzgg/">更多&gt;&gt;</a></div><ul>
            <li><a href="/tzgg/202509/t20250920_1.html" title="关于开展消防安全检查的通知">关于开展消防安全检查的通知</a><span class="time">2025-09-20</span></li>
            <li><a href="/tzgg/detail/5.html" title="关于食品安全的公告">关于食品安全的公告</a></li>
            <li><a href="/tzgg/202509/t20250901_2.html" title="关于招商引资的公示">关于招商引资的公示</a><span class="time">2025/9/1</span></li>
            <li class="more"><a href="/tzgg/">更多</a></li></ul></div></body>"#;
        let got = run(html, "http://x.gov.cn/");
        let brief: Vec<(&str, Option<NaiveDate>, DateSource)> = got
            .items
            .iter()
            .map(|i| (i.title.as_str(), i.date, i.date_source))
            .collect();
        assert_eq!(
            brief,
            vec![
                (
                    "关于开展消防安全检查的通知",
                    Some(d("2025-09-20")),
                    DateSource::List
                ),
                ("关于食品安全的公告", None, DateSource::None),
                (
                    "关于招商引资的公示",
                    Some(d("2025-09-01")),
                    DateSource::List
                ),
            ]
        );
    }

    #[test]
    fn category_link_and_title_link_in_one_row() {
        let html = r#"<body><ul><li><a href="/tzgg/">[通知公告]</a><a href="/tzgg/1.html">关于开展安全生产大检查的通知</a><span>2025-06-10</span></li>
            <li><a href="/zcwj/">[政策文件]</a><a href="/zcwj/2.html">区政府关于印发实施方案的通知</a><span>2025-06-01</span></li></ul></body>"#;
        let got = run(html, "http://x.gov.cn/");
        let urls: Vec<&str> = got.items.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            vec!["http://x.gov.cn/tzgg/1.html", "http://x.gov.cn/zcwj/2.html"]
        );
    }

    #[test]
    fn placeholder_means_empty() {
        let html = r#"<html><head><meta name="ColumnName" content="政策解读"></head><body>
            <div class="nav"><ul><li><a href="/">首页</a></li></ul></div>
            <div class="list-box"><div class="list"><p class="empty">暂无信息</p></div></div></body></html>"#;
        let got = run(html, "http://x.gov.cn/zcjd/index.html");
        assert_eq!(got.state, ListState::Empty);
        assert!(got.items.is_empty());
        let prose = r#"<body><div class="content"><p>本单位在建设过程中，如遇暂无信息可查询的情况，请拨打热线电话咨询办理相关事项，工作人员将及时予以答复处理。</p></div></body>"#;
        assert_eq!(run(prose, "http://x.gov.cn/").state, ListState::None);
    }

    #[test]
    fn client_rendered_lists_need_render() {
        let ajax = r#"<body><div class="list-con" id="listContent"></div>
            <script>$.ajax({url: "/api/list?columnId=12", success: function(d){ render(d); }});</script></body>"#;
        assert_eq!(run(ajax, "http://x.gov.cn/").state, ListState::NeedsRender);
        let vue =
            r#"<body><div id="app"></div><script src="/static/js/app.8d1c.js"></script></body>"#;
        assert_eq!(run(vue, "http://x.gov.cn/").state, ListState::NeedsRender);
        let template = r#"<body><ul class="news"><li v-for="item in list"><a :href="item.url">{{ item.title }}</a></li></ul></body>"#;
        assert_eq!(
            run(template, "http://x.gov.cn/").state,
            ListState::NeedsRender
        );
        let static_page = r#"<body><div class="content"><p>区情概况正文。</p></div><script>var a = 1;</script></body>"#;
        assert_eq!(run(static_page, "http://x.gov.cn/").state, ListState::None);
    }

    #[test]
    fn hanweb_recordset_data_island() {
        let html = r#"<body><div id="4567890"><script type="text/xml"><datastore>
            <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=123"></a>]]></nextgroup>
            <recordset>
            <record><![CDATA[<li><a href="http://www.zj.gov.cn/art/2025/6/10/art_1229_5432.html" title="省政府常务会议研究部署防汛工作" target="_blank">省政府常务会议研究部署防汛工作</a><span>2025-06-10</span></li>]]></record>
            <record><![CDATA[<li><a href="/art/2025/6/2/art_1229_5431.html" target="_blank">关于公布行政规范性文件清理结果的通知</a></li>]]></record>
            </recordset></datastore></script></div></body>"#;
        let got = run(html, "http://www.zj.gov.cn/col/col1229/index.html");
        assert_eq!(
            got.items,
            vec![
                item(
                    "省政府常务会议研究部署防汛工作",
                    "http://www.zj.gov.cn/art/2025/6/10/art_1229_5432.html",
                    Some("2025-06-10"),
                    DateSource::List
                ),
                item(
                    "关于公布行政规范性文件清理结果的通知",
                    "http://www.zj.gov.cn/art/2025/6/2/art_1229_5431.html",
                    Some("2025-06-02"),
                    DateSource::Url
                ),
            ]
        );
        let empty = r#"<body><div id="1"><script type="text/xml"><datastore><recordset></recordset></datastore></script></div></body>"#;
        assert_eq!(
            run(empty, "http://www.zj.gov.cn/col/col1/index.html").state,
            ListState::NeedsRender
        );
    }

    #[test]
    fn a_bare_list_element_is_empty_unless_a_script_could_fill_it() {
        let page = |extra: &str| {
            format!(
                r#"<html><head><meta name="ColumnName" content="工作动态">
                <script src="/js/jquery-1.12.4.min.js"></script>{extra}</head><body>
                <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li></ul></div>
                <div class="main"><h2>工作动态</h2><ul class="list">
                </ul></div><div class="footer"><a href="/about.html">关于我们</a></div></body></html>"#
            )
        };
        let url = "http://jd.example.gov.cn/gzdt/index.html";
        assert_eq!(run(&page(""), url).state, ListState::Empty);
        // A script file that may fill it, or an inline one that loads data: not judged empty.
        let unknown = page(r#"<script src="/js/column-list.js"></script>"#);
        assert_eq!(run(&unknown, url).state, ListState::None);
        let ajax =
            page(r#"<script>$.ajax({url: "/api/list", success: function (d) {}});</script>"#);
        assert_eq!(run(&ajax, url).state, ListState::NeedsRender);
        // An article whose empty related-list box is no column.
        let article = r#"<html><body><div class="article"><h1>标题</h1><p>正文。</p></div>
            <ul class="related-list"></ul></body></html>"#;
        assert_eq!(
            run(article, "http://jd.example.gov.cn/gzdt/t1.html").state,
            ListState::None
        );
    }

    #[test]
    fn a_list_written_whole_by_document_writeln() {
        // A street site's column: the list is only in script, written as HTML literals.
        let html = r#"<html><head><meta name="ColumnName" content="通知公告"></head><body>
            <div class="nav"><a href="/">首页</a></div>
            <div class="listbox"><script type="text/javascript">
              document.writeln("<ul class='list'>");
              document.writeln("<li><a href=\"./202503/t20250310_88.html\">关于开展春季爱国卫生运动的通知</a><span>2025-03-10</span></li>");
              document.writeln('<li><a href="./202501/t20250102_71.html">关于元旦期间安全检查的通知</a><span>2025-01-02</span></li>');
              document.write("<li><a href=\"./202412/t20241220_60.html\">" + "街道办事处冬季防火提示" + "</a><span>2024-12-20</span></li>");
              document.writeln("</ul>");
            </script></div></body></html>"#;
        let got = run(html, "http://jd.example.gov.cn/tzgg/index.html");
        assert_eq!(got.state, ListState::Items);
        assert_eq!(
            got.items,
            vec![
                item(
                    "关于开展春季爱国卫生运动的通知",
                    "http://jd.example.gov.cn/tzgg/202503/t20250310_88.html",
                    Some("2025-03-10"),
                    DateSource::List
                ),
                item(
                    "关于元旦期间安全检查的通知",
                    "http://jd.example.gov.cn/tzgg/202501/t20250102_71.html",
                    Some("2025-01-02"),
                    DateSource::List
                ),
                item(
                    "街道办事处冬季防火提示",
                    "http://jd.example.gov.cn/tzgg/202412/t20241220_60.html",
                    Some("2024-12-20"),
                    DateSource::List
                ),
            ]
        );
        // A date widget written with variables is no list.
        let widget = r#"<body><script>var d = new Date();
            document.write("今天是" + d.getFullYear() + "年");</script></body>"#;
        assert_eq!(
            run(widget, "http://jd.example.gov.cn/").state,
            ListState::None
        );
    }

    #[test]
    fn wuhan_document_writeln_list() {
        let html = r#"<body><ul class="info-list">
            <script>
              var url = "./202602/t20260214_2730572.shtml";
              var title = "";
              var FILENUM = "武政规〔2026〕4号";
              if (FILENUM != "") {
                title = "市人民政府关于印发武汉市促进人工智能产业发展若干政策的通知";
              }
              document.writeln("<li><a href=\"" + url + "\" target=\"_blank\" title=\"" + title + "\">");
              document.writeln(title + "</a><span>");
              document.writeln("2026-02-14 17:32");
              document.writeln("</span></li>");
            </script>
            <script>
              var url = "./202601/t20260105_2710001.shtml";
              var title = "市人民政府办公厅关于做好春节期间安全工作的通知";
              document.writeln("2026-01-05 09:00");
            </script></ul></body>"#;
        let got = run(
            html,
            "https://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index.shtml",
        );
        assert_eq!(
            got.items,
            vec![
                item(
                    "市人民政府关于印发武汉市促进人工智能产业发展若干政策的通知",
                    "https://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/202602/t20260214_2730572.shtml",
                    Some("2026-02-14"),
                    DateSource::List
                ),
                item(
                    "市人民政府办公厅关于做好春节期间安全工作的通知",
                    "https://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/202601/t20260105_2710001.shtml",
                    Some("2026-01-05"),
                    DateSource::List
                ),
            ]
        );
    }

    #[test]
    fn definition_list_rows_and_generic_title_attribute() {
        let html = r#"<body><div class="xwlb">
            <dl><dt><a href="/xw/1.html" title="新窗口打开">区政府召开常务会议</a></dt><dd>2025-06-10</dd></dl>
            <dl><dt><a href="/xw/2.html" title="新窗口打开">区长调研防汛工作</a></dt><dd>2025-06-09</dd></dl>
            </div></body>"#;
        let got = run(html, "http://x.gov.cn/xw/");
        let brief: Vec<(&str, Option<NaiveDate>)> = got
            .items
            .iter()
            .map(|i| (i.title.as_str(), i.date))
            .collect();
        assert_eq!(
            brief,
            vec![
                ("区政府召开常务会议", Some(d("2025-06-10"))),
                ("区长调研防汛工作", Some(d("2025-06-09")))
            ]
        );
    }

    #[test]
    fn empty_list_shell_filled_by_json_needs_render() {
        let html = r#"<body><div class="nav"><a href="/">首页</a></div>
            <div class="list list_1" id="list1"><ul></ul></div><div id="page"></div>
            <script>$.getJSON("/yaowen/liebiao/YAOWENLIEBIAO.json", function (data) { fill(data); });</script></body>"#;
        assert_eq!(
            run(html, "https://www.gov.cn/yaowen/liebiao/").state,
            ListState::NeedsRender
        );
    }

    #[test]
    fn duplicate_urls_are_one_item() {
        let html = r#"<body><ul><li><a href="/a/1.html">要闻一</a><span>2025-06-10</span></li>
            <li><a href="/a/2.html">要闻二</a><span>2025-06-09</span></li></ul>
            <ul><li><a href="/a/1.html#x">要闻一（重复）</a><span>2025-06-10</span></li>
            <li><a href="/a/3.html">要闻三</a><span>2025-06-08</span></li></ul></body>"#;
        let got = run(html, "http://x.gov.cn/");
        let titles: Vec<&str> = got.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, vec!["要闻一", "要闻二", "要闻三"]);
    }
}
