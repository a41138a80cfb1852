//! A page's own publication date, from the signals pages use to state it, most trusted first.
//!
//! A wrong date here becomes a false finding (a list date "conflicting" with its article), so every
//! signal is one a page uses to *claim* its publication date, and a page that makes no such claim
//! gets no date:
//!
//! 1. `<meta>`: the 政府网站 `PubDate` set, then the generic publication tags (`article:published_time`,
//!    `datePublished`, `date`, `DC.date.issued`, `sailthru.date`, `parsely-pub-date`…), by `name`,
//!    `property` or `itemprop`, case-insensitive. Modified/updated tags are never read.
//! 2. JSON-LD `datePublished` (else `dateCreated`) of the page's own top-level node: an article
//!    node first, then a web page node; the dates of nodes it merely mentions are ignored.
//! 3. Marked elements: `itemprop="datePublished"`, `<time pubdate>`, `<time class="entry-date
//!    published">`; then the first plain `<time datetime>` outside navigation, footers, sidebars,
//!    comments and lists of other articles.
//! 4. A date labelled as the publication date in the text (`发布时间：`, `发布日期：`…, see
//!    [`super::published_in_text`]); never the 成文日期 nor the 索引号.
//! 5. The date in the URL (`t20190514_1.html`, `/2019/05/14/`, `2019-05-14`).
//! 6. The byline: the first short element whose id or class names a date (`date`, `datum`,
//!    `post-meta`, `byline`, `published`…) holding a complete date (`14.05.2019`, `14. Mai 2019`,
//!    `May 14, 2019`, `2019年5月14日`), outside navigation, footers, sidebars and lists; not one
//!    that says it is an update (`Updated`, `Aktualisiert`, `更新`) or another date (成文, 截止).
//!
//! Signals 5 and 6 are guesses rather than claims: they are used only on pages that look like one
//! article (see `extract_at`). Every date must fall from 1995 to the fetch day, except those of the
//! gov `PubDate` set and of the labelled text, kept as written (a future 发布日期 is for the
//! analyzer to judge, not for the crawler to hide).

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

    /// Whether the page states the date itself (a claim), rather than the crawler guessing it.
    pub fn is_claim(self) -> bool {
        !matches!(self, Source::Url | Source::Byline | Source::Title)
    }

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

/// The earliest publication date accepted from a guessed signal (the web before is rare).
const EARLIEST: (i32, u32, u32) = (1995, 1, 1);

/// `<meta>` keys of the 政府网站 page-metadata set and its CMSs, read first.
pub const GOV_METAS: &[&str] = &[
    "pubdate",
    "publishdate",
    "firstpublishedtime",
    "article:published_time",
];

/// Generic publication `<meta>` keys (lowercase), most trusted first. No modified/updated key.
pub const PUBLICATION_METAS: &[&str] = &[
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
        r"(?i)\b(?:ver[öo]ffentlicht(?:\s+am)?|erschienen(?:\s+am)?|publiziert(?:\s+am)?|erstellt(?:\s+am)?|datum\s*:|published(?:\s+on)?|posted(?:\s+on)?|date\s*:|publi[ée](?:\s+le)?|mis\s+en\s+ligne\s+le|publicado(?:\s+(?:el|em))?|pubblicato(?:\s+il)?|gepubliceerd(?:\s+op)?)",
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
                    out.push((NodeKind::Other, Some(d)));
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
    [NodeKind::Article, NodeKind::Page, NodeKind::Other]
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
    /// Probably outside it: a footer, a block named like a sidebar, a footer or navigation (a
    /// block holding the page's `<article>` or `<h1>` is not, whatever its name).
    Soft,
    /// Certainly outside it: `<nav>`, an `<aside>` outside the article, comments, related or
    /// recommended articles, breadcrumbs.
    Hard,
}

/// Whether an id or class token has a word starting with one of `words` (`comments-area`,
/// `jp-relatedposts`), not counting tokens that say an element *has* such parts (`has-sidebar`,
/// `comments-open`).
fn token_names(t: &str, words: &[&str]) -> bool {
    if ["has-", "no-", "with-", "is-"]
        .iter()
        .any(|p| t.starts_with(p))
        || t.ends_with("-open")
    {
        return false;
    }
    t.split(['-', '_'])
        .any(|part| words.iter().any(|k| part.starts_with(k)))
}

/// How far an element is outside the article ([`Aside`]), `in_article` telling whether it sits in
/// an `<article>` (where an `<aside>` holds the article's own metadata). A `<header>` is content:
/// it holds the article's title and byline; so are the page's wrappers (`body`, `main`, `article`).
fn aside_of(el: ElementRef<'_>, in_article: bool) -> Aside {
    let e = el.value();
    match e.name() {
        "html" | "body" | "main" | "article" | "header" => return Aside::No,
        "nav" => return Aside::Hard,
        "aside" if !in_article => return Aside::Hard,
        "footer" => return Aside::Soft,
        _ => {}
    }
    let mut tokens = dom::id_and_classes(e).peekable();
    if tokens.peek().is_none() {
        return Aside::No;
    }
    let mut soft = false;
    for t in tokens {
        if token_names(&t, &["comment", "related", "recommend", "breadcrumb"]) {
            return Aside::Hard;
        }
        soft |= t == "footer" || token_names(&t, &["sidebar"]) || super::links::is_nav_token(&t);
    }
    if soft
        && !el
            .descendent_elements()
            .any(|d| matches!(d.value().name(), "article" | "h1"))
    {
        return Aside::Soft;
    }
    Aside::No
}

/// Whether an id or class token names a date holder.
fn is_date_token(t: &str) -> bool {
    if t.contains("update") || t.contains("modif") || t.contains("expir") {
        return false;
    }
    [
        "date",
        "datum",
        "time",
        "byline",
        "dateline",
        "postmeta",
        "post-meta",
        "post_meta",
        "entry-meta",
        "article-meta",
        "meta-info",
        "published",
        "posted",
        "pubdate",
        "fecha",
        "submitted",
    ]
    .iter()
    .any(|k| t.contains(k))
        || t.ends_with("meta")
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

/// The date of a byline text: its first complete date, unless the text before it says the date is
/// another one (an update, a 成文日期…).
fn byline_date(text: &str) -> Option<NaiveDate> {
    let found = dates::find_written(text)?;
    (!OTHER_DATE.is_match(&text[..found.start])).then_some(found.date)
}

/// Whether a list item holds a date of its own (`<li class="artikeldatum">`), not an entry of a list.
fn is_date_item(el: &scraper::node::Element) -> bool {
    dom::id_and_classes(el).any(|t| is_date_token(&t))
}

/// Read the content's elements (one walk of the page, skipping what is outside the article).
pub fn element_dates(doc: &Html) -> ElementDates {
    let mut out = ElementDates::default();
    let (mut hard, mut soft, mut list, mut hidden, mut article) = (0usize, 0, 0, 0, 0);
    // Texts read after the first `<h1>`: None until it closes.
    let mut after_h1: Option<usize> = None;
    let mut title_done = false;
    let mut in_h1 = 0usize;
    dom::walk(doc.root_element(), |ev| {
        let el = match ev {
            Ev::Open(el) => el,
            Ev::Text(t) => {
                if title_done || in_h1 > 0 || hidden > 0 || hard > 0 || soft > 0 {
                    return true;
                }
                let Some(read) = after_h1.as_mut() else {
                    return true;
                };
                let t = t.trim();
                if t.is_empty() {
                    return true;
                }
                *read += 1;
                if t.chars().count() > TITLE_TEXT_CHARS {
                    title_done = true;
                } else if let Some(found) = dates::find_written(t) {
                    title_done = true;
                    if !OTHER_DATE.is_match(&t[..found.start]) {
                        out.title = Some(found.date);
                    }
                } else if *read >= TITLE_TEXTS {
                    title_done = true;
                }
                return true;
            }
            Ev::Close(el) => {
                let e = el.value();
                match e.name() {
                    "h1" if in_h1 > 0 => {
                        in_h1 -= 1;
                        if in_h1 == 0 && after_h1.is_none() {
                            after_h1 = Some(0);
                        }
                    }
                    "select" | "button" => hidden -= 1,
                    "li" if !is_date_item(e) => list -= 1,
                    "article" => article -= 1,
                    _ => {}
                }
                match aside_of(el, article > 0) {
                    Aside::Hard => hard -= 1,
                    Aside::Soft => soft -= 1,
                    Aside::No => {}
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
        match aside_of(el, article > 0) {
            Aside::Hard => hard += 1,
            Aside::Soft => soft += 1,
            Aside::No => {}
        }
        match name {
            "h1" if hard == 0 && soft == 0 && after_h1.is_none() => in_h1 += 1,
            "select" | "button" => hidden += 1,
            "li" if !is_date_item(e) => list += 1,
            "article" => article += 1,
            _ => {}
        }
        if hard > 0 {
            return true;
        }
        let itemprop = e
            .attr("itemprop")
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("datepublished"));
        let classes = || e.classes().map(|c| c.to_ascii_lowercase());
        let value = || {
            e.attr("datetime")
                .or_else(|| e.attr("content"))
                .and_then(parse_machine_date)
                .or_else(|| byline_date(&short_text(el, BYLINE_CHARS)))
        };
        // itemprop="datePublished" is read even in a footer: CMSs put it at the article's foot.
        if itemprop {
            out.marked = value();
            return true;
        }
        if soft > 0 {
            return true;
        }
        if name == "time" {
            let pubdate = e.attr("pubdate").is_some()
                || classes().any(|c| c.starts_with("entry-date") || c == "published");
            let updated =
                !pubdate && classes().any(|c| c.contains("update") || c.contains("modif"));
            if pubdate {
                out.marked = value();
            } else if out.time.is_none() && list == 0 && !updated {
                out.time = value();
            }
            return true;
        }
        if out.byline.is_none() && list == 0 && dom::id_and_classes(e).any(|t| is_date_token(&t)) {
            out.byline = byline_date(&short_text(el, BYLINE_CHARS));
        }
        true
    });
    out
}

/// A generic date in the URL path (`/2019/5/14/`, `2019-05-14`, `-20190514.html`), beyond the gov
/// styles of [`dates::date_in_url`].
static URL_GENERIC: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        r"/((?:19|20)[0-9]{2})/([0-9]{1,2})/([0-9]{1,2})(?:/|$|[_.-])",
        r"(?:^|[/_.-])((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})(?:$|[/_.-])",
        r"[/_-]((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})(?:$|[/_.-])",
    ]
    .iter()
    .map(|r| Regex::new(r).expect("valid regex"))
    .collect()
});

/// The date written in a page's URL path.
pub fn url_date(url: &Url) -> Option<NaiveDate> {
    let s = url.as_str();
    dates::date_in_url(s).or_else(|| {
        let path = url.path();
        URL_GENERIC.iter().find_map(|re| {
            re.captures_iter(path).find_map(|c| {
                let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
                dates::ymd(c.get(1)?.as_str().parse().ok()?, n(2)?, n(3)?)
            })
        })
    })
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

/// Whether a guessed date is plausible: from 1995 to the fetch day.
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
        (Source::Url, url_date(url)),
        (Source::Byline, el.byline),
        (Source::Title, el.title),
    ]
    .into_iter()
    .filter_map(|(s, d)| Some((s, d?)))
    .collect()
}

/// The page's publication date and where it was found: the first source of [`Source::ALL`] that
/// gives one. With `guesses` false, only claims ([`Source::is_claim`]) are read.
pub fn publication_date(
    doc: &Html,
    scan: &Scan,
    url: &Url,
    reference: NaiveDate,
    guesses: bool,
) -> Option<(Source, NaiveDate)> {
    let ok = |d: &NaiveDate| plausible(*d, reference);
    if let Some(d) = gov_meta_date(scan) {
        return Some((Source::Meta, d));
    }
    if let Some(d) = generic_meta_date(scan).filter(ok) {
        return Some((Source::Meta, d));
    }
    if let Some(d) = json_ld_date(scan).filter(ok) {
        return Some((Source::JsonLd, d));
    }
    let el = element_dates(doc);
    if let Some(d) = el.marked.filter(ok) {
        return Some((Source::Marked, d));
    }
    if let Some(d) = el.time.filter(ok) {
        return Some((Source::Time, d));
    }
    if let Some(d) = super::published_in_text(&scan.text, reference) {
        return Some((Source::Label, d));
    }
    if let Some(d) = labelled_date(&scan.text).filter(ok) {
        return Some((Source::Label, d));
    }
    if !guesses {
        return None;
    }
    if let Some(d) = url_date(url).filter(ok) {
        return Some((Source::Url, d));
    }
    if let Some(d) = el.byline.filter(ok) {
        return Some((Source::Byline, d));
    }
    el.title.filter(ok).map(|d| (Source::Title, d))
}
