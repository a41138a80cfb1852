//! Extraction: what one fetched page holds, pure and synchronous (no network).
//!
//! [`extract`] decodes the body ([`charset`]), parses it once with `scraper`, and lets every
//! extractor read the same tree: [`links`] (every target, navigation flagged, TRS pagination
//! computed), [`list`] (the column's items and their dates, via [`dates`]), [`marks`] (the footer
//! marks). On top of those it decides the page's kind, its own publication date ([`published`]:
//! `<meta>`, JSON-LD, marked elements, labels, permalink, byline; none on a list page), whether it
//! says "page not found", and a fingerprint that matches a site's 404 template whatever URL it
//! echoes.
//!
//! Nothing here judges: an empty list is reported as empty, a missing mark as absent; the analyzer
//! draws the conclusions.

pub mod charset;
pub mod content;
pub mod data;
pub mod dates;
pub mod dom;
pub mod links;
pub mod list;
pub mod marks;
pub mod matrix;
pub mod published;

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html};
use sha2::{Digest, Sha256};
use url::Url;
use xunjian_model::observe::{DateSource, Link, LinkElement, ListState, PageFacts, PageKind};

use dom::Scan;

/// Everything the crawler sees in one fetched page.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// The charset the body was decoded with, lowercase (`utf-8`, `gbk`…).
    pub charset: String,
    /// What the page holds.
    pub facts: PageFacts,
    /// Its links, in page order.
    pub links: Vec<Link>,
}

/// Texts by which a page says it is not there.
pub const NOT_FOUND_PHRASES: &[&str] = &[
    "页面不存在",
    "页面未找到",
    "找不到页面",
    "页面已删除",
    "访问的页面不存在",
    "404",
    "not found",
];

/// A page with less visible text than this (characters) that mentions "not found" is a not-found page.
const SHORT_PAGE: usize = 800;

/// Class tokens and ids of an article body.
const BODY_CLASSES: &[&str] = &[
    "trs_editor",
    "trs_editor_view",
    "trs_ueditor",
    "article",
    "article-content",
    "article_content",
    "articlecontent",
    "pages_content",
    "zoom",
    "bt_content",
];
const BODY_IDS: &[&str] = &["zoom", "ucap-content", "artibody", "articlecontent"];

static PUB_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:发布时间|发布日期|发稿时间|发布于|发表于|发表时间|发表日期|公开日期|刊发时间|上网时间)\s*[：:]?\s*",
    )
    .expect("valid regex")
});
static TIME_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\S{0,2})时间\s*[：:]\s*").expect("valid regex"));
static DATE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\S{0,2})日期\s*[：:]\s*").expect("valid regex"));

/// Words before 日期 that make it not a publication date (成文日期, 生成日期, 截止日期…).
const NOT_PUB_DATE: &[&str] = &[
    "成文", "生成", "截止", "实施", "施行", "印发", "有效", "失效", "废止", "生效", "签发", "出生",
    "报名", "开始", "结束", "更新", "修订", "修改", "答复", "办结", "受理", "申请", "开标", "活动",
    "举办", "会议", "考试", "注册", "成立", "登记", "到期", "缴费", "出版", "制定",
];

/// Words before 时间 that make it not a publication time (成文时间, 报名时间…).
const NOT_PUB_TIME: &[&str] = &[
    "成文", "生效", "截止", "施行", "有效", "会议", "报名", "开始", "结束", "办理", "受理", "咨询",
    "服务", "办公", "工作", "活动", "举办", "申报", "开放", "更新",
];

/// Extract a page as seen today (China time: the year of a `[06-10]` list date is inferred from it).
pub fn extract(url: &Url, body: &[u8], content_type: Option<&str>) -> Extracted {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    extract_at(url, body, content_type, today)
}

/// Extract a page fetched on `reference` (the date that gives `[06-10]` list dates their year).
pub fn extract_at(
    url: &Url,
    body: &[u8],
    content_type: Option<&str>,
    reference: NaiveDate,
) -> Extracted {
    let (source, charset) = charset::decode(body, content_type);
    let json_type = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    let trimmed = source.trim_start_matches('\u{feff}').trim_start();
    if json_type || trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Some(items) = data::json_items(&source, url, reference) {
            return json_list(charset, items);
        }
    }
    let mut doc = Html::parse_document(&dom::flatten_source(&source, dom::MAX_SOURCE_DEPTH));
    dom::cap_depth(&mut doc, dom::MAX_DEPTH);
    let scan = Scan::new(&doc);
    let base = links::base_url(&doc, url);
    let mut links = links::extract_links(&doc, url, &base);
    for l in links::tree_links(&scan.scripts, &base) {
        if !links.iter().any(|x| x.target == l.target) {
            links.push(l);
        }
    }
    let breadcrumb = links::breadcrumb(&doc, &base);
    let found = list::find_list(&doc, &source, &scan, &base, reference);
    let marks = marks::find_marks(&doc, &scan, &links, &base);
    // A list the page loads from a data endpoint it names: the endpoint is a link to fetch.
    if found.state == ListState::NeedsRender {
        for u in data::endpoints(&scan, &base) {
            links.push(Link {
                target: u.to_string(),
                anchor: String::new(),
                element: LinkElement::Data,
                nav: false,
            });
        }
    }
    // Items written by script (document.writeln, recordset data islands) are links the HTML tree
    // does not hold: add them, so that their pages are crawled and checked like any other.
    for item in &found.items {
        if !links.iter().any(|l| l.target == item.url) {
            links.push(Link {
                target: item.url.clone(),
                anchor: item.title.clone(),
                element: LinkElement::A,
                nav: false,
            });
        }
    }

    let column_name = scan.meta("columnname").map(dom::collapse);
    let meta_published = published::gov_meta_date(&scan);
    // The content's dated elements: one more walk of the page, made only when needed (not on a
    // list page, nor where the gov PubDate meta has decided).
    let elements = std::cell::OnceCell::new();
    let elements = || {
        elements.get_or_init(|| {
            if meta_published.is_none() {
                published::element_dates(&doc)
            } else {
                published::ElementDates::default()
            }
        })
    };
    let strong_shown = PUB_LABEL.is_match(&scan.text);
    let has_pagination = links.iter().any(|l| l.element == LinkElement::Pagination);
    // An article says so (og:type, article:published_time, a JSON-LD article), or its URL names
    // one dated article, or it dates itself without holding a list of items; a column page
    // (ColumnName) never is one.
    let claims_article = || {
        column_name.is_none()
            && (published::claims_article(&scan)
                || published::is_article_url(url)
                || (found.state != ListState::Items
                    && (published::generic_meta_date(&scan).is_some()
                        || published::json_ld_date(&scan).is_some()))
                // a page whose list needs a browser, but which shows its own date
                || (found.state == ListState::NeedsRender
                    && (elements().marked.is_some()
                        || elements().time.is_some()
                        || published::labelled_date(&scan.text).is_some())))
    };
    let has_body = has_article_body(&doc);
    let article_meta = scan.meta("articletitle").is_some();
    let homepage_like =
        column_name.is_none() && (is_site_root(url) || (found.dated_lists >= 3 && !found.main));

    // A pager makes a list page, unless the page is an article (a pager of its related list, or
    // of an article in parts) that dates itself in the gov meta or by label and lists nothing.
    // An article beside lists of other articles (相关新闻, 热点): its prose outweighs their titles.
    let prose_outweighs = || {
        let titles: usize = found.items.iter().map(|i| i.title.chars().count()).sum();
        let prose = article_prose(&doc);
        column_name.is_none() && prose >= ARTICLE_PROSE && prose > titles
    };
    let paged_article = (found.state != ListState::Items
        && (meta_published.is_some() || (has_body && strong_shown)))
        || prose_outweighs();
    let kind = if has_pagination && !paged_article {
        PageKind::List
    } else if article_meta
        || (has_body && (meta_published.is_some() || strong_shown))
        || claims_article()
    {
        PageKind::Detail
    } else if found.state != ListState::None {
        if homepage_like {
            PageKind::Other
        } else if prose_outweighs() {
            PageKind::Detail
        } else {
            PageKind::List
        }
    } else if meta_published.is_some() || strong_shown || has_body {
        PageKind::Detail
    } else {
        PageKind::Other
    };
    // The content's dates (a `<time>`, the URL's, a byline) only where the page is one article,
    // or has no list whose dates they could be.
    let one_article = kind == PageKind::Detail || found.state == ListState::None;
    let dated = match kind {
        PageKind::List => None,
        _ => published::publication_date(&scan, elements(), url, reference, one_article),
    };
    let published = dated.map(|(_, d)| d);
    let published_source = dated.map(|(s, _)| match s {
        published::Source::Meta | published::Source::JsonLd => DateSource::Meta,
        published::Source::Url => DateSource::Url,
        _ => DateSource::Text,
    });

    // Only a page that mentions a matrix at all is looked at as one (a cheap test on every page);
    // its title or its ColumnName may name it.
    let label = format!(
        "{} {}",
        scan.title.as_deref().unwrap_or(""),
        column_name.as_deref().unwrap_or("")
    );
    let matrix = ["矩阵", "微博广场", "政务新媒体"]
        .iter()
        .any(|w| scan.text.contains(w) || label.contains(w))
        .then(|| matrix::matrix_entries(&doc, Some(&label)))
        .flatten();
    let facts = PageFacts {
        matrix,
        says_not_found: says_not_found(scan.title.as_deref(), &scan.text),
        fingerprint: fingerprint(&scan.text),
        content: content::find_content(&doc, &scan, url, &base),
        title: scan.title,
        kind,
        published,
        published_source,
        column_name,
        breadcrumb,
        list: found.state,
        items: found.items,
        marks: std::sync::Arc::new(marks),
    };
    Extracted {
        charset: charset.to_string(),
        facts,
        links,
    }
}

/// The facts of a JSON list answer: its rows as list items (no rows: no list, which is not
/// evidence of an empty column), their pages as links.
fn json_list(charset: &str, items: Vec<xunjian_model::observe::ListItem>) -> Extracted {
    let links = items
        .iter()
        .map(|i| Link {
            target: i.url.clone(),
            anchor: i.title.clone(),
            element: LinkElement::A,
            nav: false,
        })
        .collect();
    let list = if items.is_empty() {
        ListState::None
    } else {
        ListState::Items
    };
    let facts = PageFacts {
        items,
        ..PageFacts::new(PageKind::List, list)
    };
    Extracted {
        charset: charset.to_string(),
        facts,
        links,
    }
}

/// Whether the URL is a site's front page (`/`, `/index.html`, `/default.aspx`…).
pub(crate) fn is_site_root(url: &Url) -> bool {
    let path = url.path();
    let file = path.trim_start_matches('/');
    file.is_empty()
        || (!file.contains('/')
            && ["index.", "default.", "home.", "main."]
                .iter()
                .any(|p| file.to_ascii_lowercase().starts_with(p)))
}

/// Characters of prose that make a page an article: a list page's summaries and intro fall short.
const ARTICLE_PROSE: usize = 250;

/// The prose of the page's article body, measured by structure: the most text any one element
/// holds in its own paragraphs (its `<p>` children and its own text, with `<br>` lines) outside
/// links, counting only paragraphs of at least ten characters; none in navigation or footers.
/// An article body is a run of paragraphs under one parent; a list's item summaries sit one per
/// row, and its titles are links.
pub fn article_prose(doc: &Html) -> usize {
    let chars = |t: &str| t.chars().filter(|c| !c.is_whitespace()).count();
    let mut best = 0;
    for el in doc.root_element().descendent_elements() {
        if !matches!(
            el.value().name(),
            "div" | "td" | "article" | "section" | "main" | "body"
        ) {
            continue;
        }
        let mut total = 0;
        let mut paragraphs = 0;
        for child in el.children() {
            let n = if let Some(t) = child.value().as_text() {
                chars(t)
            } else if let Some(p) = ElementRef::wrap(child).filter(|c| c.value().name() == "p") {
                let links: usize = p
                    .descendent_elements()
                    .filter(|a| a.value().name() == "a")
                    .map(|a| chars(&a.text().collect::<String>()))
                    .sum();
                chars(&p.text().collect::<String>()).saturating_sub(links)
            } else {
                0
            };
            if n >= 10 {
                total += n;
                paragraphs += 1;
            }
        }
        if paragraphs >= 2 && total > best && !links::in_nav(el) && !list::in_footer(el) {
            best = total;
        }
    }
    best
}

/// Whether the page has an article body (`div.TRS_Editor`, `#zoom`, `#UCAP-CONTENT`, `.article`…).
pub(crate) fn has_article_body(doc: &Html) -> bool {
    doc.root_element().descendent_elements().any(|el| {
        let e = el.value();
        e.id()
            .is_some_and(|id| BODY_IDS.contains(&id.to_ascii_lowercase().as_str()))
            || e.classes()
                .any(|c| BODY_CLASSES.contains(&c.to_ascii_lowercase().as_str()))
    })
}

/// The publication date shown in the page text: after `发布时间：`/`发布日期：`, else after a `时间：`
/// that is not another time (成文时间, 报名时间…), else after a `日期：` that is not another date
/// (成文日期, 生成日期, 截止日期…). Never the 索引号 or the 成文日期.
pub fn published_in_text(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    let near = |at: usize| {
        let tail: String = text[at..].chars().take(40).collect();
        let tail = dates::halfwidth(&tail);
        dates::find_date_span(&tail, reference)
            .or_else(|| dates::find_numeral(&tail))
            .filter(|f| tail[..f.start].trim().is_empty())
            .map(|f| f.date)
    };
    PUB_LABEL
        .find_iter(text)
        .find_map(|m| near(m.end()))
        .or_else(|| {
            TIME_LABEL.captures_iter(text).find_map(|c| {
                let before = c.get(1).map_or("", |m| m.as_str());
                if NOT_PUB_TIME.iter().any(|w| before.ends_with(w)) || before.ends_with('布') {
                    return None;
                }
                near(c.get(0)?.end())
            })
        })
        .or_else(|| {
            // `日期：2022-12-21 来源：证监会`: a bare 日期 that names no other date.
            DATE_LABEL.captures_iter(text).find_map(|c| {
                let before = c.get(1).map_or("", |m| m.as_str());
                if NOT_PUB_DATE.iter().any(|w| before.ends_with(w)) {
                    return None;
                }
                near(c.get(0)?.end())
            })
        })
}

/// Whether a page says it is a "page not found": by its title, or by a short visible text.
pub fn says_not_found(title: Option<&str>, text: &str) -> bool {
    let mentions = |s: &str| {
        let lower = s.to_lowercase();
        NOT_FOUND_PHRASES.iter().any(|p| {
            if *p == "404" {
                lower
                    .match_indices("404")
                    .any(|(i, _)| is_error_404(&lower[..i], &lower[i + 3..]))
            } else {
                lower.contains(p)
            }
        })
    };
    title.is_some_and(mentions)
        || (text.chars().filter(|c| !c.is_whitespace()).count() < SHORT_PAGE && mentions(text))
}

/// Whether a `404` between `before` and `after` is an error code rather than part of a number, a
/// document number (国务院令第404号, 〔2025〕404号) or a file name (`t20250312_404.html`): it stands
/// alone between spaces, punctuation or the ends of the text, or beside the words of an error
/// message (404错误, 错误404, 404页面).
fn is_error_404(before: &str, after: &str) -> bool {
    const ERROR_WORDS: [&str; 4] = ["错误", "页面", "未找到", "not"];
    let alone = |c: Option<char>| match c {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '-' | ':' | '：' | '(' | ')' | '（' | '）' | '!' | '！' | '|' | '，' | ','
                )
        }
    };
    let prev = before.chars().next_back();
    let next = after.chars().next();
    let beside_words = ERROR_WORDS
        .iter()
        .any(|w| before.trim_end().ends_with(w) || after.trim_start().starts_with(w));
    (alone(prev) || beside_words && !prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_'))
        && (alone(next)
            || beside_words && !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_'))
        && !matches!(prev, Some('第' | '〕' | ']' | '_' | '/' | '.' | '='))
        && !matches!(next, Some('号' | '.' | '_' | '/'))
}

/// Hex of the first 8 bytes of the SHA-256 of the visible text with every ASCII character (letters,
/// digits, punctuation: a URL or timestamp echoed by a 404 template) and all whitespace removed.
/// Empty when nothing is left: pages without Chinese text cannot be told apart this way.
pub fn fingerprint(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_ascii() && !c.is_whitespace())
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    hex::encode(&Sha256::digest(kept.as_bytes())[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::{DateSource, ListItem, MarksSeen};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ex(url: &str, html: &str) -> Extracted {
        extract_at(
            &Url::parse(url).unwrap(),
            html.as_bytes(),
            None,
            d("2025-09-30"),
        )
    }

    #[test]
    fn a_loaded_list_names_its_endpoint_and_a_json_answer_is_a_list() {
        let page = ex(
            "http://x.gov.cn/col/col4103/index.html",
            r#"<html><head><meta name="ColumnName" content="人事信息"></head><body><div id="div4103"></div>
            <script>$('#div4103').jpage({ proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: { webid: 7, columnid: 4103, unitid: '26006' } });</script></body></html>"#,
        );
        assert_eq!(page.facts.list, ListState::NeedsRender);
        let data: Vec<&Link> = page
            .links
            .iter()
            .filter(|l| l.element == LinkElement::Data)
            .collect();
        assert_eq!(data.len(), 1);
        assert!(data[0]
            .target
            .contains("columnid=4103&unitid=26006&webid=7"));

        let answer = extract_at(
            &Url::parse("http://x.gov.cn/tjxx/data.json").unwrap(),
            r#"{"data": {"rows": [{"title": "2025年统计信息", "link": "/tjxx/detail/1.html", "pubDate": "2025-09-01 10:00:00"}]}}"#.as_bytes(),
            Some("application/json; charset=utf-8"),
            d("2025-09-30"),
        );
        assert_eq!(answer.facts.list, ListState::Items);
        assert_eq!(answer.facts.items[0].date, Some(d("2025-09-01")));
        assert_eq!(answer.links[0].target, "http://x.gov.cn/tjxx/detail/1.html");
        // No rows: not a list, and so never an empty column.
        let none = extract_at(
            &Url::parse("http://x.gov.cn/tjxx/data.json").unwrap(),
            br#"{"data": {"rows": []}}"#,
            Some("application/json"),
            d("2025-09-30"),
        );
        assert_eq!(none.facts.list, ListState::None);
    }

    const FOOTER: &str =
        "<div class=\"footer\"><p>主办单位：崂山区人民政府办公室　联系电话：0532-88991000</p>\
        <p>网站标识码：3702120001　鲁ICP备05000000号　鲁公网安备 37021202000123号</p></div>";

    #[test]
    fn column_list_page() {
        let html = format!(
            r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告-崂山区人民政府</title>
            <meta content="通知公告" name="COLUMNNAME"></head><body>
            <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/tzgg/index.html">通知公告</a></li></ul></div>
            <div class="main"><ul class="list">
            <li><a href="./202509/t20250920_2700001.html" title="关于开展消防安全检查的通知">关于开展消防安全检查的通知</a><span class="time">2025-09-20</span></li>
            <li><a href="./202507/t20250715_2700002.html" title="关于招商引资项目的公示">关于招商引资项目的公示</a><span class="time">2025-07-15</span></li>
            </ul></div>{FOOTER}</body></html>"#
        );
        let e = ex("http://www.laoshan.gov.cn/tzgg/index.html", &html);
        assert_eq!(e.charset, "utf-8");
        let f = &e.facts;
        assert_eq!(f.title.as_deref(), Some("通知公告-崂山区人民政府"));
        assert_eq!(f.kind, PageKind::List);
        assert_eq!(f.column_name.as_deref(), Some("通知公告"));
        assert_eq!(f.published, None);
        assert_eq!(f.list, ListState::Items);
        assert_eq!(
            f.items,
            vec![
                ListItem {
                    title: "关于开展消防安全检查的通知".into(),
                    url: "http://www.laoshan.gov.cn/tzgg/202509/t20250920_2700001.html".into(),
                    date: Some(d("2025-09-20")),
                    date_source: DateSource::List,
                    reply: None,
                },
                ListItem {
                    title: "关于招商引资项目的公示".into(),
                    url: "http://www.laoshan.gov.cn/tzgg/202507/t20250715_2700002.html".into(),
                    date: Some(d("2025-07-15")),
                    date_source: DateSource::List,
                    reply: None,
                },
            ]
        );
        assert!(!f.says_not_found);
        assert_eq!(f.marks.site_code.as_deref(), Some("3702120001"));
        assert_eq!(e.links.len(), 4);
        assert!(e.links[1].nav && !e.links[2].nav);
    }

    #[test]
    fn detail_page_with_meta_pubdate_not_index_number() {
        let html = r#"<html><head><title>关于印发实施方案的通知</title>
            <meta name="ArticleTitle" content="关于印发实施方案的通知"><meta name="PubDate" content="2025年09月24日 15:30">
            </head><body><ul class="sub"><li>索引号：2025-02-00018</li><li>成文日期：2025年09月20日</li>
            <li>发布日期：2025年09月24日</li></ul><div class="TRS_Editor"><p>正文。</p></div></body></html>"#;
        let f = ex("http://x.gov.cn/zcwj/202509/t20250924_1.html", html).facts;
        assert_eq!(f.kind, PageKind::Detail);
        assert_eq!(f.published, Some(d("2025-09-24")));
        assert_eq!(f.list, ListState::None);
    }

    #[test]
    fn detail_page_with_visible_time_only() {
        let html = r#"<html><head><title>区长调研防汛工作</title></head><body>
            <div class="xl"><h1>区长调研防汛工作</h1><div class="info">成文时间：2025-05-01　发布时间：2026-01-22 11:40:11　来源：区政府办</div>
            <div id="zoom"><p>正文内容。</p></div></div></body></html>"#;
        let f = ex("https://gzw.sz.gov.cn/xxgk/content/post_1.html", html).facts;
        assert_eq!(f.kind, PageKind::Detail);
        assert_eq!(f.published, Some(d("2026-01-22")));
        let plain = r#"<html><head><title>x</title></head><body><p>成文时间：2025-05-01</p><p>时间：2025-06-02</p></body></html>"#;
        assert_eq!(
            published_in_text(
                &Scan::new(&Html::parse_document(plain)).text,
                d("2025-09-30")
            ),
            Some(d("2025-06-02"))
        );
    }

    #[test]
    fn homepage_with_news_is_other_with_items() {
        let html = r#"<html><head><title>崂山区人民政府</title></head><body>
            <div class="home-news"><ul><li><a href="/gzdt/202509/t20250929_1.html">工作动态一</a><span class="time">2025-09-29</span></li>
            <li><a href="/gzdt/202509/t20250920_2.html">工作动态二</a><span class="time">2025-09-20</span></li></ul></div></body></html>"#;
        let f = ex("http://www.laoshan.gov.cn/", html).facts;
        assert_eq!(f.kind, PageKind::Other);
        assert_eq!(f.list, ListState::Items);
        assert_eq!(f.items.len(), 2);
        assert_eq!(f.published, None);
    }

    /// `n` dated rows `<li><a>…</a><span>date</span></li>` under `path`, titled `word` and a number.
    fn rows(path: &str, word: &str, n: usize) -> String {
        (1..=n)
            .map(|i| {
                format!(
                    "<li><a href=\"/{path}/t{i}.html\">{word}第{i}条消息标题</a><span>2025-09-{:02}</span></li>",
                    i.min(28)
                )
            })
            .collect()
    }

    #[test]
    fn a_column_list_beside_sidebars_and_blocks_is_a_list_of_its_own_items() {
        // A fund company's 公告 list: no ColumnName, a sidebar of hot items, two more blocks.
        let html = format!(
            r#"<html><head><title>基金公告</title></head><body>
            <div class="nav"><a href="/">首页</a><a href="/gg/">公告</a></div>
            <div class="main"><ul class="ann">{}</ul></div>
            <div class="side"><h3>热点</h3><ul>{}</ul></div>
            <div class="box"><ul>{}</ul></div><div class="box2"><ul>{}</ul></div>
            </body></html>"#,
            rows("gg", "公告", 15),
            rows("hot", "热点", 8),
            rows("a", "要闻", 4),
            rows("b", "动态", 4)
        );
        let f = ex("http://www.fund.example.com/gg/list.html", &html).facts;
        assert_eq!(f.kind, PageKind::List);
        assert_eq!(f.items.len(), 15);
        assert!(f.items.iter().all(|i| i.url.contains("/gg/")));
        // A homepage's blocks of like size have no main list: every item, and not a list page.
        let home = format!(
            "<html><body><ul>{}</ul><ul>{}</ul><ul>{}</ul></body></html>",
            rows("a", "要闻", 6),
            rows("b", "动态", 6),
            rows("c", "公告", 6)
        );
        let f = ex("http://www.example.gov.cn/portal/home.html", &home).facts;
        assert_eq!(f.kind, PageKind::Other);
        assert_eq!(f.items.len(), 18);
    }

    #[test]
    fn an_article_beside_related_lists_and_a_pager_is_a_detail_page() {
        let body = "<p>国庆中秋长假过半，外媒关注武汉的热情不减，各大主流媒体纷纷报道城市的消费、旅游和文化活动，街头巷尾人流如织，商圈餐馆座无虚席，夜游长江的游客络绎不绝。</p>"
            .repeat(4);
        let html = format!(
            r#"<html><head><title>外媒眼中的武汉长假</title></head><body>
            <h1>外媒眼中的武汉长假</h1><div class="art-meta"><span class="pub-time">2020-10-04 20:30</span></div>
            <div class="art-main">{body}</div>
            <div class="page"><a href="t1_1.htm">下一页</a></div>
            <div class="xgxw"><ul>{}</ul></div></body></html>"#,
            rows("sywh", "相关", 6)
        );
        let f = ex("http://news.example.cn/sywh/202010/t1.htm", &html).facts;
        assert_eq!(f.kind, PageKind::Detail);
        assert_eq!(f.published, Some(d("2020-10-04")));
        // The same page without its prose is a list of what it links to.
        let bare = html.replace(&body, "");
        assert_eq!(
            ex("http://news.example.cn/sywh/202010/t1.htm", &bare)
                .facts
                .kind,
            PageKind::List
        );
    }

    #[test]
    fn a_date_inside_a_layout_list_item_is_the_articles() {
        // 观察者网: the whole article column is an `<li>` of a two-column `<ul>`.
        let html = r#"<html><head><title>t</title></head><body><ul class="two-coloum">
            <li class="left-main"><h3>麒麟990为何分4G和5G版本</h3><div class="time"><span>2019-09-07 15:10:53</span></div>
            <p>第一段正文，介绍了相关情况。</p><p>第二段正文，继续介绍。</p><p>第三段正文，<a href="/x.html">相关链接</a>。</p></li>
            <li class="right-side"><a href="/a.html">热门文章</a></li></ul></body></html>"#;
        let f = ex("https://www.example.cn/industry/a.shtml", html).facts;
        assert_eq!(f.published, Some(d("2019-09-07")));
    }

    #[test]
    fn pagination_makes_a_list_and_static_page_is_other() {
        let html = r#"<html><head><title>政策文件</title></head><body><div class="list"></div>
            <script>createPageHTML(3, 0, "index", "shtml");</script></body></html>"#;
        let e = ex("http://x.gov.cn/zcwj/index.shtml", html);
        assert_eq!(e.facts.kind, PageKind::List);
        assert_eq!(e.facts.list, ListState::None);
        assert_eq!(e.links.len(), 3);
        let stat = r#"<html><head><title>区情概况</title><meta name="ColumnName" content="区情概况"></head><body>
            <div class="content"><h2>区情概况</h2><p>崂山区位于青岛市东部。</p></div></body></html>"#;
        let f = ex("http://x.gov.cn/qqgk/index.html", stat).facts;
        assert_eq!(
            (f.kind, f.list, f.published),
            (PageKind::Other, ListState::None, None)
        );
    }

    #[test]
    fn not_found_pages_and_fingerprints() {
        let t404 = |path: &str| {
            format!(
                r#"<html><head><title>页面不存在</title></head><body><div class="error-page"><h1>抱歉，您访问的页面不存在</h1>
                <p>您请求的地址 http://x.gov.cn{path} 不存在或已被删除。Error 404 at 2025-09-30 10:00:01</p></div></body></html>"#
            )
        };
        let a = ex("http://x.gov.cn/a.html", &t404("/a.html")).facts;
        let b = ex("http://x.gov.cn/zz/b_2.html", &t404("/zz/b_2.html")).facts;
        assert!(a.says_not_found && b.says_not_found);
        assert_eq!(a.fingerprint.len(), 16);
        assert_eq!(a.fingerprint, b.fingerprint);
        let page = ex("http://x.gov.cn/c.html", "<html><head><title>工作动态</title></head><body><p>工作动态正文，电话0532-88404000。</p></body></html>").facts;
        assert!(!page.says_not_found);
        assert_ne!(page.fingerprint, a.fingerprint);
        let english = ex("http://x.gov.cn/d", "<html><head><title>Error</title></head><body><h1>HTTP Status 404 - Not Found</h1></body></html>").facts;
        assert!(english.says_not_found);
        assert_eq!(english.fingerprint, "");
    }

    #[test]
    fn a_404_in_a_number_is_not_a_missing_page() {
        for live in [
            "人事信息第404号",
            "国务院令第404号",
            "区政办发〔2025〕404号",
            "附件 t20250312_404.html",
            "电话 0532-88404000",
            "第4040期",
        ] {
            assert!(!says_not_found(Some(live), live), "{live}");
        }
        for missing in [
            "404",
            "404 Not Found",
            "错误404",
            "404错误页面",
            "Error 404 - 页面",
            "HTTP 404",
        ] {
            assert!(says_not_found(Some(missing), ""), "{missing}");
        }
    }

    #[test]
    fn gbk_page_end_to_end() {
        let html = format!(
            r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>工作动态</title></head><body>
            <ul><li><a href="/a/1.html">区政府召开常务会议</a><span>[09-28]</span></li><li><a href="/a/2.html">区长调研</a><span>[09-27]</span></li></ul>{FOOTER}</body></html>"#
        );
        let body = encoding_rs::GBK.encode(&html).0.into_owned();
        let e = extract_at(
            &Url::parse("http://x.gov.cn/gzdt/").unwrap(),
            &body,
            Some("text/html"),
            d("2025-09-30"),
        );
        assert_eq!(e.charset, "gbk");
        assert_eq!(e.facts.title.as_deref(), Some("工作动态"));
        assert_eq!(e.facts.items[0].title, "区政府召开常务会议");
        assert_eq!(e.facts.items[0].date, Some(d("2025-09-28")));
        assert_eq!(
            *e.facts.marks,
            MarksSeen {
                site_code: Some("3702120001".into()),
                icp: Some("鲁ICP备05000000号".into()),
                police: Some("鲁公网安备 37021202000123号".into()),
                badge: false,
                sponsor: Some("崂山区人民政府办公室".into()),
                contact: true,
                error_report: false,
                ..MarksSeen::default()
            }
        );
    }
}
