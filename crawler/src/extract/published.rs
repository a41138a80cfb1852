//! A page's own publication date.
//!
//! A wrong date here becomes a false finding sent to a department (a list date "conflicting" with
//! its article), so a date is taken only where the page states it, and a page that does not state
//! one gets none. The sources, in [`Source::ALL`] order:
//!
//! 1. `<meta>`: the 政府网站 set (`PubDate`, `PublishDate`, `firstpublishedtime`), which decides
//!    alone; then the generic publication tags ([`PUBLICATION_METAS`]: `article:published_time`,
//!    `datePublished`, `sailthru.date`, `parsely-pub-date`, `DC.date.issued`, `date`…) by `name`,
//!    `property` or `itemprop`, case-insensitive, the best-ranked first. Modified/updated tags are
//!    never read.
//! 2. JSON-LD `datePublished` (else `dateCreated`) of the page's own article node, else of its web
//!    page node; not the dates of what it mentions (products, people, other articles).
//! 3. Marked elements: `itemprop`/RDFa `property` `datePublished`, `<time pubdate>`, `<time
//!    class="entry-date">` / `class="published"`.
//! 4. The first other `<time>` of the content.
//! 5. A labelled date: `发布时间：`/`发布日期：` (never the 成文日期 nor the 索引号, see
//!    [`super::published_in_text`]), then `Veröffentlicht am`, `Published on`, `Datum:`, `Publié
//!    le`…
//! 6. A permalink date in the URL (`/2019/05/14/slug`, `-20190514.html`, Xinhua's `/2019-05/14/`);
//!    not the TRS and Hanweb CMS dates (`t20190514_1.html`, `/art/2019/5/14/`), which are the
//!    document's creation and may precede the 发布日期 by days.
//! 7. The byline: the first element whose id or class names a date (`date`, `datum`, `time`,
//!    `byline`, `post-meta`, `author`…) holding a complete date (`14.05.2019`, `14. Mai 2019`,
//!    `May 14, 2019`, `2019年5月14日`, `14.05.19`).
//! 8. The title line: a date in the first short texts after the page's first `<h1>`.
//!
//! Sources 3–8 read the content (outside navigation, footers, sidebars, comments, related
//! articles, and list items holding links); 3, 4 and 6–8 only where the page is one article or
//! holds no list, since on a homepage they would give an item's date. A byline or title-line date
//! is refused when the text just before it (in its element, or the cell before, where a label
//! sits) names another date (`Updated`, `Aktualisiert`, `Stand:`, 更新, 成文, 截止, 索引号…), or
//! when the line is a clock (今天, 星期).
//!
//! The choice ([`publication_date`]): the gov set decides alone. A generic `<meta>` or JSON-LD
//! date is taken unless the page *shows* another: if none of sources 3–8 gives the same date, two
//! of them agreeing on another date win, or the first of them when it is one day apart (a UTC
//! timestamp against the local date the page prints). Without a `<meta>` or JSON-LD date, the
//! first of sources 3–8. Every date must fall from 1995 to the fetch day, except those of the gov
//! set and of the 发布时间 label, kept as written (a future 发布日期 is for the analyzer to judge,
//! not for the crawler to hide).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html};
use url::Url;

use super::dates::{self, parse_machine_date};
use super::dom::{self, Ev, Scan};

/// Where a publication date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A `<meta>` publication tag.
    Meta,
    /// JSON-LD `datePublished` / `dateCreated`.
    JsonLd,
    /// `itemprop="datePublished"`, `<time pubdate>`, `<time class="entry-date published">`.
    Marked,
    /// The first plain `<time datetime>` of the content.
    Time,
    /// A date labelled as the publication date in the text (`发布时间：`).
    Label,
    /// The URL.
    Url,
    /// A date-named element of the byline.
    Byline,
    /// A short text right under the title.
    Title,
}

impl Source {
    /// Every source, most trusted first.
    pub const ALL: [Source; 8] = [
        Source::Meta,
        Source::JsonLd,
        Source::Marked,
        Source::Time,
        Source::Label,
        Source::Url,
        Source::Byline,
        Source::Title,
    ];

    /// A short name, for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Meta => "meta",
            Source::JsonLd => "json-ld",
            Source::Marked => "marked",
            Source::Time => "time",
            Source::Label => "label",
            Source::Url => "url",
            Source::Byline => "byline",
            Source::Title => "title",
        }
    }
}

/// The earliest publication date accepted (the web before is rare).
const EARLIEST: (i32, u32, u32) = (1995, 1, 1);

/// `<meta>` keys of the 政府网站 page-metadata set and its CMSs, read first.
pub const GOV_METAS: &[&str] = &["pubdate", "publishdate", "firstpublishedtime"];

/// Generic publication `<meta>` keys (lowercase), most trusted first. No modified/updated key.
pub const PUBLICATION_METAS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "article.published",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "cxenseparse:publishtime",
    "shareaholic:article_published_time",
    "citation_publication_date",
    "citation_date",
    "prism.publicationdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.publication",
    "publication_date",
    "publish_date",
    "publish-date",
    "published-date",
    "published_time",
    "pub_date",
    "bt:pubdate",
    "rnews:datepublished",
    "originalpublicationdate",
    "article_date_original",
    "date",
    "dc.date",
    "dcterms.date",
    "dc:date",
    "dc.date.created",
    "dc.created",
    "dcterms.created",
    "dc:created",
    "datecreated",
    "article.created",
    "dateposted",
    "uploaddate",
];

/// JSON-LD, when it does not parse: its first `datePublished`.
static JSON_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]{6,40})""#).expect("valid regex"));

/// Labels that introduce a publication date in European languages (`Veröffentlicht am`,
/// `Published on`, `Datum:`, `Publié le`…). `Stand`, `Updated` and the like are not among them.
static PUB_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:(?:pressemitteilung|artikel|beitrag|meldung|nachricht)\s+vom|ver[öo]ffentlicht(?:\s+am)?|erschienen(?:\s+am)?|publiziert(?:\s+am)?|erstellt(?:\s+am)?|datum\s*:|published(?:\s+on)?|posted(?:\s+on)?|date\s*:|publi[ée](?:\s+le)?|mis\s+en\s+ligne\s+le|publicado(?:\s+(?:el|em))?|pubblicato(?:\s+il)?|gepubliceerd(?:\s+op)?)",
    )
    .expect("valid regex")
});

/// The first date that a label introduces in the text: after `Veröffentlicht am`, `Published on`,
/// `Datum:`…, within a few characters (a weekday, punctuation), the year written.
pub fn labelled_date(text: &str) -> Option<NaiveDate> {
    PUB_LABEL.find_iter(text).find_map(|m| {
        let tail = &text[m.end()..];
        let tail = match tail.char_indices().nth(40) {
            Some((i, _)) => &tail[..i],
            None => tail,
        };
        let found = dates::find_written(tail)?;
        let gap = &tail[..found.start];
        (gap.chars().count() <= 16 && !gap.chars().any(|c| c.is_ascii_digit()))
            .then_some(found.date)
    })
}

/// Words that make a byline date another date than the publication (an update, a deadline…).
static OTHER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)updated|update:|modified|edited|aktualisiert|geändert|zuletzt|stand:|mis à jour|actualizado|atualizado|aggiornato|bijgewerkt|更新|修改|成文|生效|截止|施行|有效期|报名|索引号",
    )
    .expect("valid regex")
});

/// Texts that make a date line the page's clock, not its publication (`今天是2025年6月10日
/// 星期二` in a gov header).
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)今天|今日|星期|当前时间|现在时间|today is").expect("valid regex")
});

/// At most this many bytes of the text before an element are kept to look for a label.
const RECENT_BYTES: usize = 40;

/// Keep the last [`RECENT_BYTES`] (about) of `recent` after appending `t`.
fn push_recent(recent: &mut String, t: &str) {
    recent.push_str(t.trim());
    recent.push(' ');
    if recent.len() > 2 * RECENT_BYTES {
        let mut cut = recent.len() - RECENT_BYTES;
        while !recent.is_char_boundary(cut) {
            cut += 1;
        }
        recent.drain(..cut);
    }
}

/// The page's publication date from the `<meta>` tags: the gov set first, then
/// [`PUBLICATION_METAS`] in order.
pub fn meta_date(scan: &Scan) -> Option<NaiveDate> {
    gov_meta_date(scan).or_else(|| generic_meta_date(scan))
}

/// The date of the gov page-metadata tags ([`GOV_METAS`]).
pub fn gov_meta_date(scan: &Scan) -> Option<NaiveDate> {
    GOV_METAS
        .iter()
        .find_map(|k| scan.meta(k).and_then(dates::parse_date))
}

/// The date of the best-ranked generic publication tag ([`PUBLICATION_METAS`]).
pub fn generic_meta_date(scan: &Scan) -> Option<NaiveDate> {
    // One pass over the page's metas, keeping the best-ranked readable one.
    let mut best: Option<(usize, NaiveDate)> = None;
    for (key, content) in &scan.metas {
        let Some(rank) = PUBLICATION_METAS.iter().position(|k| k == key) else {
            continue;
        };
        if best.is_some_and(|(r, _)| r <= rank) {
            continue;
        }
        if let Some(d) = parse_machine_date(content) {
            best = Some((rank, d));
        }
    }
    best.map(|(_, d)| d)
}

/// Whether the page says it is an article: `og:type` `article`, an `article:published_time`, or a
/// JSON-LD article node with a date.
pub fn claims_article(scan: &Scan) -> bool {
    scan.meta("og:type")
        .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("article"))
        || scan.meta("article:published_time").is_some()
        || json_ld_nodes(scan)
            .iter()
            .any(|(kind, d)| *kind == NodeKind::Article && d.is_some())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum NodeKind {
    Article,
    Page,
    Other,
}

fn node_kind(node: &serde_json::Value) -> NodeKind {
    let types: Vec<&str> = match node.get("@type") {
        Some(serde_json::Value::String(s)) => vec![s.as_str()],
        Some(serde_json::Value::Array(a)) => a.iter().filter_map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    };
    if types.iter().any(|t| {
        t.ends_with("Article") || t.ends_with("Posting") || *t == "Report" || *t == "Review"
    }) {
        NodeKind::Article
    } else if types.iter().any(|t| t.ends_with("Page")) {
        NodeKind::Page
    } else {
        NodeKind::Other
    }
}

/// The page's own JSON-LD nodes (top level, `@graph` members, a page's `mainEntity`), each with
/// its kind and its `datePublished` (else `dateCreated`).
fn json_ld_nodes(scan: &Scan) -> Vec<(NodeKind, Option<NaiveDate>)> {
    fn date_of(node: &serde_json::Value) -> Option<NaiveDate> {
        ["datePublished", "dateCreated"]
            .iter()
            .find_map(|k| node.get(*k)?.as_str().and_then(parse_machine_date))
    }
    fn visit(node: &serde_json::Value, depth: usize, out: &mut Vec<(NodeKind, Option<NaiveDate>)>) {
        match node {
            serde_json::Value::Array(items) if depth < 3 => {
                for i in items {
                    visit(i, depth + 1, out);
                }
            }
            serde_json::Value::Object(map) => {
                out.push((node_kind(node), date_of(node)));
                if depth < 3 {
                    for key in ["@graph", "mainEntity"] {
                        if let Some(inner) = map.get(key) {
                            visit(inner, depth + 1, out);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for block in &scan.json_ld {
        match serde_json::from_str::<serde_json::Value>(block.trim()) {
            Ok(v) => visit(&v, 0, &mut out),
            Err(_) => {
                if let Some(d) = JSON_DATE
                    .captures(block)
                    .and_then(|c| parse_machine_date(c.get(1)?.as_str()))
                {
                    out.push((NodeKind::Page, Some(d)));
                }
            }
        }
    }
    out
}

/// The page's publication date from its JSON-LD: the first dated article node, else the first
/// dated page node, else the first dated node.
pub fn json_ld_date(scan: &Scan) -> Option<NaiveDate> {
    if scan.json_ld.is_empty() {
        return None;
    }
    let nodes = json_ld_nodes(scan);
    [NodeKind::Article, NodeKind::Page]
        .iter()
        .find_map(|k| nodes.iter().find(|(n, d)| n == k && d.is_some())?.1)
}

/// What the content's elements say: a marked publication date, the first plain `<time>`, the
/// first byline date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ElementDates {
    /// `itemprop="datePublished"`, `<time pubdate>`, `<time class="entry-date…">`/`published`.
    pub marked: Option<NaiveDate>,
    /// The first other `<time>` with a date (its `datetime`, else its text).
    pub time: Option<NaiveDate>,
    /// The first date-named element holding a complete date.
    pub byline: Option<NaiveDate>,
    /// A date in the short texts right after the page's first `<h1>` (the line under the title).
    pub title: Option<NaiveDate>,
}

/// After the title, this many short texts are read for a date…
const TITLE_TEXTS: usize = 4;
/// …each at most this long (a longer one is the article's body: the reading stops).
const TITLE_TEXT_CHARS: usize = 80;

/// How far an element is outside the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aside {
    /// Part of the page's content.
    No,
    /// Probably outside it: a footer, a block named like a sidebar, a footer or navigation (until
    /// the page's `<article>` or `<h1>` shows up inside it).
    Soft,
    /// Certainly outside it: `<nav>`, an `<aside>` outside the article, comments, related or
    /// recommended articles, breadcrumbs.
    Hard,
}

/// Whether an id or class token has a word starting with one of `words` (`comments-area`,
/// `jp-relatedposts`), not counting tokens that say an element *has* such parts (`has-sidebar`,
/// `comments-open`).
fn token_names(t: &str, words: &[&str]) -> bool {
    if !words.iter().any(|w| t.contains(w)) {
        return false;
    }
    if ["has-", "no-", "with-", "is-"]
        .iter()
        .any(|p| t.starts_with(p))
        || t.ends_with("-open")
    {
        return false;
    }
    // A BEM element or modifier (`m-intro__breadcrumb`, `page--wsidebar`) names a part of its
    // block, not what the block is.
    let block = t.split("__").next().unwrap_or(t);
    let block = block.split("--").next().unwrap_or(block);
    block
        .split(['-', '_'])
        .any(|part| words.iter().any(|k| part.starts_with(k)))
}

/// How far an element is outside the article ([`Aside`]), given its lowercased id and class
/// `tokens` and whether it sits in an `<article>` (where an `<aside>`, a footer or a "sidebar"
/// holds the article's own metadata). A `<header>` is content: it holds the article's title and
/// byline; so are the page's wrappers (`body`, `main`, `article`).
fn aside_of(el: ElementRef<'_>, tokens: &[String], in_article: bool) -> Aside {
    match el.value().name() {
        "html" | "body" | "main" | "article" | "header" => return Aside::No,
        "nav" => return Aside::Hard,
        "aside" if !in_article => return Aside::Hard,
        "footer" if !in_article => return Aside::Soft,
        _ => {}
    }
    let mut soft = false;
    for t in tokens {
        if token_names(t, &["comment", "related", "recommend", "breadcrumb"]) {
            return Aside::Hard;
        }
        soft |= t == "footer" || token_names(t, &["sidebar"]) || super::links::is_nav_token(t);
    }
    if soft && !in_article {
        Aside::Soft
    } else {
        Aside::No
    }
}

/// Id or class tokens that name a date holder (`date`, `datum`, `time`, `byline`, `post-meta`,
/// `author`…), and those that name another date (`updated`, `modified`, `expires`).
static DATE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"date|datum|time|byline|postmeta|post-meta|post_meta|entry-meta|article-meta|meta-info|published|posted|pubdate|fecha|submitted|author|^meta|meta$",
    )
    .expect("valid regex")
});
static OTHER_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"update|modif|expir").expect("valid regex"));

/// Whether a (lowercased) id or class token names a date holder.
fn is_date_token(t: &str) -> bool {
    DATE_TOKEN.is_match(t) && !OTHER_TOKEN.is_match(t)
}

/// At most this many characters of an element's text are read for a date.
const BYLINE_CHARS: usize = 120;

/// The start of an element's visible text, at most `limit` characters, whitespace collapsed.
fn short_text(el: ElementRef<'_>, limit: usize) -> String {
    let mut out = String::new();
    dom::walk(el, |ev| match ev {
        Ev::Open(e) => out.chars().count() < limit && !dom::is_hidden_tag(e.value().name()),
        Ev::Text(t) => {
            out.push_str(t);
            out.push(' ');
            true
        }
        Ev::Close(_) => true,
    });
    let text = dom::collapse(&out);
    match text.char_indices().nth(limit) {
        Some((i, _)) => text[..i].to_string(),
        None => text,
    }
}

/// The date of a byline text: its first complete date, unless the text before it (`before`: the
/// page's text just before the element, where a label sits in its own cell) says the date is
/// another one (an update, a 成文日期…), or the line is the page's clock (星期, 今天).
fn byline_date(text: &str, before: &str) -> Option<NaiveDate> {
    let text = dates::halfwidth(text);
    let text = text.as_ref();
    let found = find_byline(text)?;
    let label = format!("{before}{}", &text[..found.start]);
    (!OTHER_DATE.is_match(&label) && !CLOCK.is_match(text)).then_some(found.date)
}

/// A German short date with a two-digit year (`30.10.23`), read only in a byline or the title
/// line, as 2000 + the year.
static SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9.])([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2})(?:$|[^0-9.])")
        .expect("valid regex")
});

/// The first date of a byline or title line: [`dates::find_written`], else a `30.10.23`.
fn find_byline(text: &str) -> Option<dates::Found> {
    dates::find_written(text).or_else(|| {
        let c = SHORT_YEAR.captures(text)?;
        let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
        let date = dates::ymd(2000 + i32::try_from(n(3)?).ok()?, n(2)?, n(1)?)?;
        Some(dates::Found {
            date,
            start: c.get(1)?.start(),
            end: c.get(3)?.end(),
        })
    })
}

/// A news dateline at the start of the body's first paragraph, the year written:
/// `【新华社北京2005年07月03日电】`, `新华网北京2025年6月10日电`, `本报讯 2025年6月10日报道`.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[【\[（(]?[^】\]）)。，,]{0,24}?([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日[^】\]）)。，,]{0,8}?(?:电|报道|讯|消息)",
    )
    .expect("valid regex")
});

/// The date of a dateline opening `text`.
fn dateline_date(text: &str) -> Option<NaiveDate> {
    let text = dates::halfwidth(text.trim_start());
    let c = DATELINE.captures(&text)?;
    let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    dates::ymd(i32::try_from(n(1)?).ok()?, n(2)?, n(3)?)
}

/// Whether an element shows text of its own (a logo `<h1><img></h1>` does not).
fn has_text(el: ElementRef<'_>) -> bool {
    el.text().any(|t| !t.trim().is_empty())
}

/// Whether a list item is an entry of a list of links (of other articles), not a date of its own
/// (`<li class="artikeldatum">`) or a part of a byline (`<ul class="meta"><li>14 May 2019</li>`).
fn is_link_item(el: ElementRef<'_>, tokens: &[String]) -> bool {
    if tokens.iter().any(|t| is_date_token(t)) {
        return false;
    }
    let (mut links, mut paragraphs) = (false, 0);
    for d in el.descendent_elements() {
        match d.value().name() {
            "a" if d.value().attr("href").is_some() => links = true,
            "p" => paragraphs += 1,
            // A layout `<li>` that holds the article (`ul.two-column > li.left-main`).
            "h1" | "h2" | "article" => return false,
            _ => {}
        }
    }
    links && paragraphs < 3
}

/// What an open element contributes to the walk's context (a bit set).
const HARD: u8 = 1;
const SOFT: u8 = 2;
const LIST: u8 = 4;
const HIDDEN: u8 = 8;
const ARTICLE: u8 = 16;
const H1: u8 = 32;

/// Read the content's elements (one walk of the page, skipping what is outside the article).
pub fn element_dates(doc: &Html) -> ElementDates {
    let mut out = ElementDates::default();
    // The title: the first `<h1>`, or the first `<h2>` with text on pages without one.
    let has_h1 = doc
        .root_element()
        .descendent_elements()
        .any(|e| e.value().name() == "h1");
    let title_tag = if has_h1 { "h1" } else { "h2" };
    // Per open element, its context bits; and how many open elements carry each bit.
    let mut frames: Vec<u8> = Vec::new();
    let mut open = [0usize; 6];
    let count = |open: &[usize; 6], bit: u8| open[bit.trailing_zeros() as usize];
    // Texts read after the first `<h1>`: None until it closes.
    let mut after_h1: Option<usize> = None;
    let mut title_done = false;
    // The last few characters of text seen, where the label of the next date may be.
    let mut recent = String::new();
    dom::walk(doc.root_element(), |ev| {
        let el = match ev {
            Ev::Open(el) => el,
            Ev::Text(t) => {
                let t = t.trim();
                if t.is_empty() {
                    return true;
                }
                let reading = !title_done
                    && [H1, HIDDEN, HARD, SOFT]
                        .iter()
                        .all(|b| count(&open, *b) == 0);
                if let Some(read) = after_h1.as_mut().filter(|_| reading) {
                    *read += 1;
                    if let Some(d) = dateline_date(t) {
                        title_done = true;
                        out.title = Some(d);
                    } else if t.chars().count() > TITLE_TEXT_CHARS {
                        title_done = true;
                    } else if find_byline(t).is_some() {
                        title_done = true;
                        out.title = byline_date(t, &recent);
                    } else if *read >= TITLE_TEXTS {
                        title_done = true;
                    }
                }
                push_recent(&mut recent, t);
                return true;
            }
            Ev::Close(_) => {
                let bits = frames.pop().unwrap_or(0);
                for (i, n) in open.iter_mut().enumerate() {
                    if bits & (1 << i) != 0 {
                        *n -= 1;
                    }
                }
                if bits & H1 != 0 && count(&open, H1) == 0 && after_h1.is_none() {
                    after_h1 = Some(0);
                }
                return true;
            }
        };
        if out.marked.is_some() {
            return false;
        }
        let e = el.value();
        let name = e.name();
        if dom::is_hidden_tag(name) || name == "svg" {
            return false;
        }
        // A block named like a sidebar or a footer that holds the page's article or title is a
        // wrapper of the content after all (`<div id="sidebar"><article>`): it stops counting.
        if matches!(name, "article" | "h1") && count(&open, SOFT) > 0 {
            for f in frames.iter_mut().filter(|f| **f & SOFT != 0) {
                *f &= !SOFT;
            }
            open[SOFT.trailing_zeros() as usize] = 0;
        }
        // From here on the element is entered: its bits are pushed, and popped at its Close.
        let tokens: Vec<String> = dom::id_and_classes(e).collect();
        let mut bits = match aside_of(el, &tokens, count(&open, ARTICLE) > 0) {
            Aside::Hard => HARD,
            Aside::Soft => SOFT,
            Aside::No => 0,
        };
        let (hard, soft) = (
            count(&open, HARD) > 0 || bits & HARD != 0,
            count(&open, SOFT) > 0 || bits & SOFT != 0,
        );
        bits |= match name {
            n if n == title_tag
                && !hard
                && !soft
                && after_h1.is_none()
                && (has_h1 || has_text(el)) =>
            {
                H1
            }
            "select" | "button" => HIDDEN,
            "li" if is_link_item(el, &tokens) => LIST,
            "article" => ARTICLE,
            _ => 0,
        };
        frames.push(bits);
        for (i, n) in open.iter_mut().enumerate() {
            if bits & (1 << i) != 0 {
                *n += 1;
            }
        }
        if hard {
            return true;
        }
        let in_list = count(&open, LIST) > 0;
        // Microdata `itemprop`, or RDFa `property` (`schema:datePublished`).
        let itemprop = [e.attr("itemprop"), e.attr("property")]
            .into_iter()
            .flatten()
            .any(|p| {
                let p = p.trim();
                let p = p.rsplit([':', '/']).next().unwrap_or(p);
                p.eq_ignore_ascii_case("datepublished")
            });
        let value = || {
            e.attr("datetime")
                .or_else(|| e.attr("content"))
                .and_then(parse_machine_date)
                .or_else(|| byline_date(&short_text(el, BYLINE_CHARS), &recent))
        };
        // itemprop="datePublished" is read even in a footer: CMSs put it at the article's foot.
        if itemprop {
            out.marked = value();
            return true;
        }
        if soft {
            return true;
        }
        if name == "time" {
            let pubdate = e.attr("pubdate").is_some()
                || tokens
                    .iter()
                    .any(|c| c.starts_with("entry-date") || c == "published");
            let updated = !pubdate
                && tokens
                    .iter()
                    .any(|c| c.contains("update") || c.contains("modif"));
            if pubdate {
                out.marked = value();
            } else if out.time.is_none() && !in_list && !updated {
                out.time = value();
            }
            return true;
        }
        if out.byline.is_none() && !in_list && tokens.iter().any(|t| is_date_token(t)) {
            out.byline = byline_date(&short_text(el, BYLINE_CHARS), &recent);
        }
        true
    });
    out
}

/// Permalink dates: the URL styles of news sites and blogs, whose URL date is the publication
/// date by construction (`/2019/5/14/slug`, `/2019-05-14/slug`, `slug-20190514.html`, Xinhua's
/// `/2019-05/14/c_1.htm`, people.cn's `/2019/0514/c1-2.html`).
static PERMALINK: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"/((?:19|20)[0-9]{2})/([0-9]{1,2})/([0-9]{1,2})(?:/|$|[_.-])",
        r"(?:^|[/_.-])((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})(?:$|[/_.-])",
        r"[/_-]((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})(?:$|[/_.-])",
        r"/((?:19|20)[0-9]{2})-([0-9]{2})/([0-9]{2})/",
        r"/((?:19|20)[0-9]{2})/([0-9]{2})([0-9]{2})/",
    ]
    .iter()
    .map(|r| Regex::new(r).expect("valid regex"))
    .collect()
});

/// The publication date a permalink carries ([`PERMALINK`]). The gov CMS styles (TRS
/// `t20190514_1.html`, Hanweb `/art/2019/5/14/`) are not read here: their date is the document's
/// creation in the CMS, which the 发布日期 shown may follow by days (list items keep it as a
/// URL date, see [`dates::date_in_url`]).
pub fn permalink_date(url: &Url) -> Option<NaiveDate> {
    let path = url.path();
    PERMALINK.iter().find_map(|re| {
        re.captures_iter(path).find_map(|c| {
            if path[..c.get(0)?.start()].ends_with("/art") {
                return None;
            }
            let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
            dates::ymd(c.get(1)?.as_str().parse().ok()?, n(2)?, n(3)?)
        })
    })
}

/// Any date a URL carries: a gov CMS style ([`dates::date_in_url`]) or a permalink.
pub fn url_date(url: &Url) -> Option<NaiveDate> {
    dates::date_in_url(url.as_str()).or_else(|| permalink_date(url))
}

/// Whether the URL names one dated article: it carries a date ([`url_date`]) and its last path
/// segment is not the date itself or an index (`/2019/05/14/` and `/20190514/index.html` are
/// archives of a day; `/2019/05/14/slug/`, `t20190514_1.html`, `-20190514.html` are articles).
pub fn is_article_url(url: &Url) -> bool {
    if url_date(url).is_none() {
        return false;
    }
    let last = url
        .path()
        .split('/')
        .rfind(|s| !s.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase();
    !(last.is_empty()
        || last
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '_')
        || ["index.", "default.", "list", "more"]
            .iter()
            .any(|p| last.starts_with(p)))
}

/// Whether a date is plausible as a publication date: from 1995 to the fetch day.
pub fn plausible(date: NaiveDate, reference: NaiveDate) -> bool {
    let (y, m, d) = EARLIEST;
    NaiveDate::from_ymd_opt(y, m, d).is_some_and(|e| date >= e) && date <= reference
}

/// Every signal's date, for diagnostics (the corpus benchmark): what each source says, unfiltered.
pub fn evidence(
    doc: &Html,
    scan: &Scan,
    url: &Url,
    reference: NaiveDate,
) -> Vec<(Source, NaiveDate)> {
    let el = element_dates(doc);
    [
        (Source::Meta, meta_date(scan)),
        (Source::JsonLd, json_ld_date(scan)),
        (Source::Marked, el.marked),
        (Source::Time, el.time),
        (
            Source::Label,
            super::published_in_text(&scan.text, reference).or_else(|| labelled_date(&scan.text)),
        ),
        (Source::Url, permalink_date(url)),
        (Source::Byline, el.byline),
        (Source::Title, el.title),
    ]
    .into_iter()
    .filter_map(|(s, d)| Some((s, d?)))
    .collect()
}

/// The page's publication date and where it was found (see the module's documentation for the
/// choice). `el` is [`element_dates`] of the page (unused when the gov set has a date);
/// `one_article` tells that the page is one article or holds no list: without it, only the
/// page-level sources (`<meta>`, JSON-LD, a labelled date) are read.
pub fn publication_date(
    scan: &Scan,
    el: &ElementDates,
    url: &Url,
    reference: NaiveDate,
    one_article: bool,
) -> Option<(Source, NaiveDate)> {
    let ok = |d: &NaiveDate| plausible(*d, reference);
    if let Some(d) = gov_meta_date(scan) {
        // What the page shows under a publication label is what readers and the inspection see;
        // a CMS that regenerates its pages rewrites PubDate (every page of a site dated the day of
        // the rebuild), never the shown date.
        return Some(match super::published_in_text(&scan.text, reference) {
            Some(shown) if shown != d && plausible(shown, reference) => (Source::Label, shown),
            _ => (Source::Meta, d),
        });
    }
    let machine: Option<(Source, NaiveDate)> = generic_meta_date(scan)
        .filter(ok)
        .map(|d| (Source::Meta, d))
        .or_else(|| json_ld_date(scan).filter(ok).map(|d| (Source::JsonLd, d)));
    let label = super::published_in_text(&scan.text, reference)
        .or_else(|| labelled_date(&scan.text).filter(ok));
    let mut visible = vec![
        (Source::Marked, el.marked.filter(ok).filter(|_| one_article)),
        (Source::Time, el.time.filter(ok).filter(|_| one_article)),
        (Source::Label, label),
    ];
    if one_article {
        visible.extend([
            (Source::Url, permalink_date(url).filter(ok)),
            (Source::Byline, el.byline.filter(ok)),
            (Source::Title, el.title.filter(ok)),
        ]);
    }
    let visible: Vec<(Source, NaiveDate)> = visible
        .into_iter()
        .filter_map(|(s, d)| Some((s, d?)))
        .collect();
    let Some((source, date)) = machine else {
        return visible.first().copied();
    };
    if visible.iter().any(|(_, d)| *d == date) {
        return machine;
    }
    let agreed = visible
        .iter()
        .find(|(_, d)| visible.iter().filter(|(_, e)| e == d).count() >= 2);
    if let Some(v) = agreed {
        return Some(*v);
    }
    match visible.first() {
        Some(v) if (v.1 - date).num_days().abs() == 1 => Some(*v),
        _ => Some((source, date)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::extract_at;
    use xunjian_model::observe::PageKind;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The page's kind and publication date, fetched on 2025-09-30.
    fn page(url: &str, head: &str, body: &str) -> (PageKind, Option<NaiveDate>) {
        let html = format!("<html><head><title>t</title>{head}</head><body>{body}</body></html>");
        let f = extract_at(
            &Url::parse(url).unwrap(),
            html.as_bytes(),
            None,
            d("2025-09-30"),
        )
        .facts;
        (f.kind, f.published)
    }

    fn published(head: &str, body: &str) -> Option<NaiveDate> {
        page("https://news.example.org/a/story.html", head, body).1
    }

    const ARTICLE: &str =
        "<article><h1>Der Titel</h1><p>Ein langer Text über das Thema.</p></article>";

    #[test]
    fn generic_meta_tags_by_name_property_or_itemprop() {
        for head in [
            r#"<meta property="article:published_time" content="2019-05-14T10:00:00+02:00">"#,
            r#"<META NAME="DC.date.issued" CONTENT="2019-05-14">"#,
            r#"<meta itemprop="datePublished" content="2019-05-14">"#,
            r#"<meta name="sailthru.date" content="2019-05-14 22:35:29">"#,
            r#"<meta name="parsely-pub-date" content="2019-05-14T08:00:00Z">"#,
            r#"<meta name="citation_publication_date" content="2019/05/14">"#,
            r#"<meta name="date" content="20190514">"#,
        ] {
            assert_eq!(published(head, ARTICLE), Some(d("2019-05-14")), "{head}");
        }
        // The best-ranked tag wins over a vaguer one, whatever their order.
        assert_eq!(
            published(
                r#"<meta name="date" content="2019-06-01"><meta property="article:published_time" content="2019-05-14">"#,
                ARTICLE
            ),
            Some(d("2019-05-14"))
        );
        // Modified and updated tags are not publication dates.
        let modified = r#"<meta property="article:modified_time" content="2019-05-14"><meta property="og:updated_time" content="2019-05-14">"#;
        assert_eq!(published(modified, ARTICLE), None);
    }

    #[test]
    fn json_ld_of_the_page_itself() {
        let graph = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"Person","name":"A","dateCreated":"2001-01-01"},
            {"@type":"WebPage","datePublished":"2019-05-13"},
            {"@type":"NewsArticle","headline":"x","datePublished":"2019-05-14T09:00:00+02:00","dateModified":"2019-06-01"}]}</script>"#;
        assert_eq!(published(graph, ARTICLE), Some(d("2019-05-14")));
        let created = r#"<script type="application/ld+json">[{"@type":"BlogPosting","dateCreated":"2019-05-14"}]</script>"#;
        assert_eq!(published(created, ARTICLE), Some(d("2019-05-14")));
        // A mentioned thing's date is not the page's.
        let product = r#"<script type="application/ld+json">{"@type":"Product","releaseDate":"2019-05-14","datePublished":"2019-05-14"}</script>"#;
        assert_eq!(published(product, "<p>x</p>"), None);
        // JSON that does not parse (a raw newline in a string) still gives its datePublished.
        let broken = "<script type=\"application/ld+json\">{\"@type\":\"Article\",\"headline\":\"a\nb\",\"datePublished\":\"2019-05-14\"}</script>";
        assert_eq!(published(broken, ARTICLE), Some(d("2019-05-14")));
    }

    #[test]
    fn marked_and_plain_time_elements_in_the_content() {
        let sidebar = r#"<aside class="widget"><time datetime="2019-01-01">1 Jan</time></aside>"#;
        for body in [
            r#"<article><header><h1>T</h1><time class="entry-date published" datetime="2019-05-14T10:00:00+02:00">14. Mai</time><time class="updated" datetime="2019-06-01">1. Juni</time></header></article>"#,
            r#"<article><h1>T</h1><time pubdate datetime="2019-05-14">May 14</time></article>"#,
            r#"<div><h1>T</h1><span itemprop="datePublished" content="2019-05-14">14.05.2019</span></div>"#,
            r#"<div><h1>T</h1><span property="schema:datePublished" content="2019-05-14"></span></div>"#,
            r#"<div class="footer"><span itemprop="datePublished">14.05.2019</span></div>"#,
            &format!(
                r#"{sidebar}<article><h1>T</h1><p><time datetime="2019-05-14">gestern</time></p></article>"#
            ),
        ] {
            assert_eq!(published("", body), Some(d("2019-05-14")), "{body}");
        }
        // A time in a list of other articles, in comments or in the navigation is not the page's.
        let elsewhere = r#"<h1>T</h1><p>Text ohne Datum, lang genug um kein Titelzusatz zu sein, wirklich lang genug.</p>
            <ul><li><a href="/b">B</a> <time datetime="2019-05-14">14.05.</time></li></ul>
            <div class="comments"><time datetime="2019-05-15">15.05.</time></div>
            <nav><time datetime="2019-05-16">16.05.</time></nav>"#;
        assert_eq!(published("", elsewhere), None);
    }

    #[test]
    fn permalink_dates_but_not_cms_creation_dates() {
        let body = "<h1>T</h1><p>Text.</p>";
        for url in [
            "https://blog.example.org/2019/05/14/der-titel/",
            "https://blog.example.org/2019/5/14/21302329/der-titel",
            "https://news.example.org/article/2019-05-14/der-titel",
            "https://news.example.org/der-titel-20190514.html",
            "http://www.news.cn/politics/2019-05/14/c_1124.htm",
        ] {
            assert_eq!(page(url, "", body).1, Some(d("2019-05-14")), "{url}");
        }
        // The TRS and Hanweb dates are the document's creation in the CMS, not its publication.
        for url in [
            "http://x.gov.cn/zwgk/201905/t20190514_1.html",
            "http://x.gov.cn/art/2019/5/14/art_1_2.html",
        ] {
            assert_eq!(page(url, "", body).1, None, "{url}");
        }
        assert!(is_article_url(
            &Url::parse("https://b.org/2019/05/14/slug/").unwrap()
        ));
        assert!(!is_article_url(
            &Url::parse("https://b.org/2019/05/14/").unwrap()
        ));
        assert!(!is_article_url(
            &Url::parse("https://b.org/20190514/index.html").unwrap()
        ));
    }

    #[test]
    fn byline_and_title_line_in_common_formats() {
        for body in [
            r#"<div class="post-meta">Posted on May 14, 2019 by admin</div><h1>T</h1>"#,
            r#"<h1>T</h1><span class="datum">14. Mai 2019</span>"#,
            r#"<h1>T</h1><div class="entry-meta">von Anna | 14.05.2019, 10:00 Uhr</div>"#,
            r#"<h1>T</h1><div class="byline">14 May 2019</div>"#,
            r#"<div class="article-date">30.10.19</div>"#,
            r#"<h1>标题</h1><div class="info"><span class="time">2019年5月14日</span></div>"#,
            r#"<h1>Der Titel</h1><p>14. Mai 2019</p><p>Der Text beginnt hier und ist lang genug, um als Fließtext zu gelten.</p>"#,
            r#"<h1>The title</h1><p><a href="/a">Anna</a></p><p>May 14, 2019</p>"#,
        ] {
            let want = if body.contains("30.10.19") {
                "2019-10-30"
            } else {
                "2019-05-14"
            };
            assert_eq!(published("", body), Some(d(want)), "{body}");
        }
        // The body's first sentence is not the title line.
        let lede = "<h1>T</h1><p>Am 14. Mai 2019 beschloss der Rat nach langer Debatte und vielen Sitzungen einen neuen Haushalt.</p>";
        assert_eq!(published("", lede), None);
        // An update is not the publication.
        let updated = r#"<h1>T</h1><div class="date">Aktualisiert am 14.05.2019</div>"#;
        assert_eq!(published("", updated), None);
    }

    #[test]
    fn labelled_dates_in_european_languages() {
        for text in [
            "Veröffentlicht am 14.05.2019",
            "Published on: Tuesday, May 14, 2019",
            "Datum: 14.05.2019",
            "Publié le 14 mai 2019",
            "Pressemitteilung vom 14.05.2019",
        ] {
            assert_eq!(labelled_date(text), Some(d("2019-05-14")), "{text}");
        }
        assert_eq!(labelled_date("Stand: 14.05.2019"), None);
        assert_eq!(
            labelled_date("Published in 2019, reprinted 14.05.2020"),
            None
        );
        let body = "<h1>T</h1><p>Ein Text.</p><p>Veröffentlicht am 14. Mai 2019</p>";
        assert_eq!(published("", body), Some(d("2019-05-14")));
    }

    /// A long lead paragraph: the title line ends before anything after it is read.
    const LEAD: &str = "<p>这是一段很长的导语，介绍了本次活动的背景、目的和主要内容，活动由多个部门联合举办，吸引了大量群众参与，现场气氛热烈，取得了良好的社会效果，受到了社会各界的广泛好评和一致认可。</p>";

    #[test]
    fn a_shown_date_outranks_a_regenerated_pubdate_and_a_bare_date_label_is_read() {
        let at =
            |head: &str, body: &str| page("https://www.example.gov.cn/a/c123.html", head, body).1;
        let rebuilt = r#"<meta name="PubDate" content="2025-10-12 22:43:16">"#;
        // 证监会: every page's PubDate is the day the site was rebuilt; the page shows its own.
        assert_eq!(
            at(
                rebuilt,
                "<h1>通知</h1><p class=\"fl\">日期：2022-12-21 来源：证监会</p><p>正文。</p>"
            ),
            Some(d("2022-12-21"))
        );
        assert_eq!(
            at(
                rebuilt,
                "<h1>通知</h1><table><tr><td>公开日期</td><td>2018-01-01</td></tr></table>"
            ),
            Some(d("2018-01-01"))
        );
        // Where the page shows the same date, or no labelled one, PubDate stands.
        assert_eq!(
            at(rebuilt, "<h1>通知</h1><p>来源：证监会</p>"),
            Some(d("2025-10-12"))
        );
        // 日期 naming another date is not the publication date.
        for other in ["成文日期", "生成日期", "截止日期", "实施日期"] {
            assert_eq!(
                at(
                    "",
                    &format!("<h1>通知</h1>{LEAD}<p>{other}：2022-12-21</p>")
                ),
                None,
                "{other}"
            );
        }
    }

    #[test]
    fn chinese_date_forms_that_real_pages_show() {
        let at = |body: &str| page("https://www.example.com/news/a.html", "", body).1;
        // 发表于 anywhere in the page, as a label.
        assert_eq!(
            at(&format!(
                "<h1>标题</h1>{LEAD}<p>作者：张三 发表于:2005-07-31 12:30</p>"
            )),
            Some(d("2005-07-31"))
        );
        // A bare date-time under an <h2> title on a page without <h1>.
        assert_eq!(
            at("<div><h2>区政府召开常务会议</h2><p>2022-02-13 09:57</p><p>会议研究部署近期工作。</p></div>"),
            Some(d("2022-02-13"))
        );
        // A dateline opening the body, even when the sentence says 今天.
        assert_eq!(
            at("<h1>我国成功发射卫星</h1><p>【新华社北京2005年07月03日报道】 我国今天成功发射一颗卫星。</p>"),
            Some(d("2005-07-03"))
        );
        // A label with Chinese numerals, or with full-width digits.
        assert_eq!(
            at("<h1>通知</h1><div>发布日期：二〇二五年六月十日</div><p>各单位：……</p>"),
            Some(d("2025-06-10"))
        );
        assert_eq!(
            at("<h1>通知</h1><div>发布时间：２０２５－０６－１０</div><p>各单位：……</p>"),
            Some(d("2025-06-10"))
        );
        // Not publication dates: the 成文日期 under the signature, a date in the middle of the
        // body, a dateline-like phrase after the first paragraph.
        assert_eq!(
            at(&format!(
                "<h1>通知</h1>{LEAD}<p>示范区人民政府</p><p>二〇二五年六月十日</p>"
            )),
            None
        );
        assert_eq!(
            at(&format!(
                "<h1>通知</h1>{LEAD}<p>据新华社2005年07月03日报道，会议召开。</p>"
            )),
            None
        );
    }

    #[test]
    fn gov_rules_hold() {
        // A 政务公开 table under the title: 索引号 and 成文日期 in cells of their own are not the
        // publication date; without a 发布日期 the page has none.
        let table = r#"<h1>关于印发实施方案的通知</h1><table><tr><td>索引号：</td><td>2025-02-00018</td></tr>
            <tr><td>成文日期：</td><td class="date">2025年05月01日</td></tr></table><div id="zoom"><p>正文。</p></div>"#;
        assert_eq!(
            page("http://x.gov.cn/zcwj/202505/t20250501_1.html", "", table).1,
            None
        );
        let with_pub = table.replace(
            "</table>",
            "<tr><td>发布日期：</td><td>2025年05月06日</td></tr></table>",
        );
        assert_eq!(
            page(
                "http://x.gov.cn/zcwj/202505/t20250501_1.html",
                "",
                &with_pub
            )
            .1,
            Some(d("2025-05-06"))
        );
        // A header clock is not a date of the page.
        let clock = r#"<div class="top"><span class="date">今天是2025年6月10日 星期二</span></div><h1>区情概况</h1><p>崂山区位于青岛市东部。</p>"#;
        assert_eq!(page("http://x.gov.cn/qqgk/index.html", "", clock).1, None);
        // A list page has no publication date, whatever it carries.
        let list = r#"<ul class="list"><li><a href="/a/1.html">通知一</a><span class="time">2025-06-10</span></li>
            <li><a href="/a/2.html">通知二</a><span class="time">2025-06-09</span></li></ul>"#;
        let head =
            r#"<meta name="ColumnName" content="通知公告"><meta name="date" content="2025-06-11">"#;
        assert_eq!(
            page("http://x.gov.cn/tzgg/index.html", head, list),
            (PageKind::List, None)
        );
        // On a homepage the content's dates are items' dates, not the page's.
        let home = r#"<div class="news"><div class="item"><time pubdate datetime="2025-06-10">06-10</time><a href="/a/1.html">要闻一</a></div></div>
            <ul><li><a href="/a/2.html">动态一</a><span>2025-06-09</span></li><li><a href="/a/3.html">动态二</a><span>2025-06-08</span></li></ul>
            <ul><li><a href="/b/2.html">公告一</a><span>2025-06-09</span></li><li><a href="/b/3.html">公告二</a><span>2025-06-08</span></li></ul>
            <ul><li><a href="/c/2.html">文件一</a><span>2025-06-09</span></li><li><a href="/c/3.html">文件二</a><span>2025-06-08</span></li></ul>"#;
        assert_eq!(page("http://x.gov.cn/", "", home), (PageKind::Other, None));
    }

    #[test]
    fn implausible_dates_are_refused_but_gov_dates_kept_as_written() {
        assert_eq!(
            published(r#"<meta name="date" content="2030-01-01">"#, ARTICLE),
            None
        );
        assert_eq!(
            published(r#"<meta name="date" content="1990-01-01">"#, ARTICLE),
            None
        );
        assert_eq!(
            published(
                r#"<meta name="PubDate" content="2026-01-22 10:00">"#,
                ARTICLE
            ),
            Some(d("2026-01-22"))
        );
    }

    #[test]
    fn a_shown_date_corrects_a_machine_date() {
        let utc = r#"<meta property="article:published_time" content="2019-05-15T02:00:00+00:00">"#;
        // The page prints the local date, a day before the UTC timestamp.
        let local = r#"<article><h1>T</h1><time datetime="2019-05-14T19:00:00-07:00">May 14</time></article>"#;
        assert_eq!(published(utc, local), Some(d("2019-05-14")));
        // Two shown dates agreeing on another date win over a stale meta.
        let meta = r#"<meta name="date" content="2019-01-01">"#;
        let shown =
            r#"<h1>T</h1><div class="date">14.05.2019</div><p>Veröffentlicht am 14.05.2019</p>"#;
        assert_eq!(published(meta, shown), Some(d("2019-05-14")));
        // A shown date equal to the meta's confirms it; one lone shown date far off does not win.
        let confirm =
            r#"<h1>T</h1><div class="date">01.01.2019</div><p>Veröffentlicht am 14.05.2019</p>"#;
        assert_eq!(published(meta, confirm), Some(d("2019-01-01")));
        let lone = "<h1>T</h1><p>Ein langer Text, der den Artikel beginnt und so weit mehr als achtzig Zeichen hat, nicht weniger.</p>\
            <p>Veröffentlicht am 14.05.2019</p>";
        assert_eq!(published(meta, lone), Some(d("2019-01-01")));
    }
}
