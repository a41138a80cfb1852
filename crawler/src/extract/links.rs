//! Links: every URL a page points to, with what a reader sees of it.
//!
//! The link checker needs every target a visitor's browser would load or follow (anchors, image maps,
//! frames, images, scripts, style sheets and the `url()`s of styles, embeds, video and audio sources,
//! a `<meta refresh>`; not `<link rel="preconnect">`-style hints, which name an origin rather than a
//! resource, nor links written inside comments), resolved as the browser would
//! (honouring `<base href>`) and normalized (absolute, fragment removed), so that the same target found
//! on many pages is checked once. TRS list pages write their pagination with inline JavaScript
//! (`createPageHTML(25, 0, "index", "shtml")`); those pages are computed here, because without them a
//! crawl never reaches page 2 of a column.
//!
//! Each link says whether it sits in the navigation (`<nav>`, `<header>`, or a block whose id or class
//! names a nav/menu/导航): the crawler visits those first, and the analyzer discovers columns from the
//! homepage navigation.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html};
use url::Url;
use xunjian_model::observe::{Link, LinkElement};

use super::dom::{self, Ev};

/// At most this many pages are computed from one `createPageHTML` call.
pub const MAX_PAGINATION: u32 = 500;

/// A CSS `url(…)` or `@import "…"`, in a `style` attribute or a `<style>` block.
static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')"#,
    )
    .expect("valid regex")
});

/// `<link rel>` values that name an origin to connect to or a machine endpoint, not a resource a
/// visitor's browser loads: checking them would report an origin's bare root or a POST-only
/// endpoint as a broken link.
const NOT_RESOURCE_RELS: &[&str] = &["preconnect", "dns-prefetch", "pingback"];

/// The URLs written in CSS text (`url(…)`, `@import`), as written.
pub fn css_urls(css: &str) -> impl Iterator<Item = &str> {
    CSS_URL.captures_iter(css).filter_map(|c| {
        (1..=5)
            .find_map(|i| c.get(i))
            .map(|m| m.as_str().trim())
            .filter(|s| !s.is_empty())
    })
}

static CREATE_PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"createPageHTML\s*\(([^()]*)\)").expect("valid regex"));

/// The page's base URL: its `<base href>` resolved against the page URL, else the page URL.
pub fn base_url(doc: &Html, page: &Url) -> Url {
    let mut base = None;
    dom::walk(doc.root_element(), |ev| {
        if base.is_some() {
            return false;
        }
        if let Ev::Open(el) = ev {
            let e = el.value();
            match e.name() {
                "base" => {
                    base = e.attr("href").and_then(|h| page.join(h.trim()).ok());
                }
                "body" => return false,
                _ => {}
            }
        }
        true
    });
    base.unwrap_or_else(|| page.clone())
}

/// Resolve a written link against `base`: `None` for `javascript:`, `mailto:`, `tel:`, `data:`,
/// `about:`, fragment-only and empty links, and for what does not parse. The fragment is removed.
pub fn resolve(base: &Url, raw: &str) -> Option<Url> {
    RESOLVED.with(|cache| {
        let mut cache = cache.borrow_mut();
        let (page, known) = &mut *cache;
        if page != base.as_str() || known.len() >= RESOLVED_MAX {
            page.clear();
            page.push_str(base.as_str());
            known.clear();
        }
        if let Some(u) = known.get(raw) {
            return u.clone();
        }
        let u = resolve_uncached(base, raw);
        known.insert(raw.to_string(), u.clone());
        u
    })
}

/// Resolutions made against the base of the page being extracted on this thread. A list page
/// resolves the same hrefs once for every candidate list it weighs, and parsing a URL is the costly
/// part; the memo is dropped when another base comes.
const RESOLVED_MAX: usize = 4096;

thread_local! {
    static RESOLVED: std::cell::RefCell<(String, std::collections::HashMap<String, Option<Url>>)> =
        std::cell::RefCell::default();
}

/// Query keys that carry a visitor's session, not a page (Java, PHP, ASP, generic).
const SESSION_KEYS: &[&str] = &["jsessionid", "phpsessid", "sessionid", "session_id"];

/// Remove a session id from `url`: a `;jsessionid=…` path parameter, or a query pair whose key is a
/// session key (or `ASPSESSIONID…`). A site that writes the visitor's session into every link is a
/// spider trap (each visit a new set of URLs for the same pages); the page answers the same
/// without it, and the finding's URL is one a department can open. `sid` and the like are left
/// alone: Chinese CMSs use them for site and column ids.
pub fn strip_session_ids(url: &mut Url) {
    let path = url.path();
    if let Some(at) = path.to_ascii_lowercase().find(";jsessionid=") {
        let rest = &path[at + 1..];
        let tail = rest.find(['/', ';']).map_or("", |i| &rest[i..]).to_string();
        let stripped = format!("{}{tail}", &path[..at]);
        url.set_path(&stripped);
    }
    let Some(query) = url.query() else {
        return;
    };
    let is_session = |pair: &str| {
        let key = pair.split('=').next().unwrap_or("").to_ascii_lowercase();
        SESSION_KEYS.contains(&key.as_str()) || key.starts_with("aspsessionid")
    };
    if !query.split('&').any(is_session) {
        return;
    }
    let kept: Vec<&str> = query.split('&').filter(|p| !is_session(p)).collect();
    let kept = kept.join("&");
    url.set_query((!kept.is_empty()).then_some(kept.as_str()));
}

/// [`resolve`] without the memo.
fn resolve_uncached(base: &Url, raw: &str) -> Option<Url> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    let lower: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    if [
        "javascript:",
        "mailto:",
        "tel:",
        "data:",
        "about:",
        "vbscript:",
        "sms:",
    ]
    .iter()
    .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let mut url = base.join(raw).ok()?;
    url.set_fragment(None);
    strip_session_ids(&mut url);
    Some(url)
}

/// Whether an id or class token marks navigation: it contains `nav`, `menu` or `daohang`, or it is
/// or starts with `dh` (导航 in pinyin initials: `dh`, `dh_list`, `dhbox`), or it names a catalogue
/// tree (`tree`, `ztree`, `mulu`: the 信息公开目录 of a disclosure section).
pub fn is_nav_token(token: &str) -> bool {
    let lower;
    let t = if token.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = token.to_ascii_lowercase();
        lower.as_str()
    } else {
        token
    };
    t.contains("nav")
        || t.contains("menu")
        || t.contains("daohang")
        || t.starts_with("dh")
        || t.contains("tree")
        || t.contains("mulu")
}

/// Words that open a breadcrumb (当前位置：首页 > 政务公开 > 政策文件).
const CRUMB_LABELS: &[&str] = &[
    "当前位置",
    "您的位置",
    "您现在的位置",
    "所在位置",
    "现在位置",
];
/// Id/class tokens of a breadcrumb block.
const CRUMB_TOKENS: &[&str] = &["crumb", "position", "location", "weizhi", "dqwz", "mbx"];

/// The targets of the page's breadcrumb (面包屑), in order: the links of the first block whose
/// id/class names a breadcrumb or whose text opens with 当前位置 (and is short, as a breadcrumb is).
pub fn breadcrumb(doc: &Html, base: &Url) -> Vec<String> {
    for el in doc.root_element().descendent_elements() {
        let e = el.value();
        if !matches!(
            e.name(),
            "div" | "p" | "span" | "ul" | "ol" | "nav" | "section" | "td"
        ) {
            continue;
        }
        let tokens = dom::id_and_classes(e).any(|t| {
            let t = t.to_ascii_lowercase();
            CRUMB_TOKENS.iter().any(|c| t.contains(c))
        });
        let text = dom::collapse(&dom::text_of(el, None, false));
        let labelled = CRUMB_LABELS.iter().any(|l| text.starts_with(l));
        if !(tokens || labelled) || text.chars().count() > 120 {
            continue;
        }
        let targets: Vec<String> = el
            .descendent_elements()
            .filter(|a| a.value().name() == "a")
            .filter_map(|a| a.value().attr("href").and_then(|h| resolve(base, h)))
            .map(|u| u.to_string())
            .collect();
        if !targets.is_empty() {
            return targets;
        }
    }
    Vec::new()
}

/// A node of a script-built catalogue tree (zTree `zNodes`, `treeData`): `{… name: "…", url: "…" …}`
/// in either order.
static TREE_NODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\{[^{}]*?\bname["']?\s*:\s*["']([^"']+)["'][^{}]*?\b(?:url|href)["']?\s*:\s*["']([^"']+)["'][^{}]*\}|\{[^{}]*?\b(?:url|href)["']?\s*:\s*["']([^"']+)["'][^{}]*?\bname["']?\s*:\s*["']([^"']+)["'][^{}]*\}"#,
    )
    .expect("valid regex")
});

/// The links of a catalogue tree built by script (the 信息公开目录 of many CMSs is a zTree whose
/// nodes are a script variable): navigation links, one per node with a name and an address.
pub fn tree_links(scripts: &[String], base: &Url) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    for s in scripts
        .iter()
        .filter(|s| s.contains("zNodes") || s.contains("zTree") || s.contains("treeData"))
    {
        for c in TREE_NODE.captures_iter(s) {
            let (name, href) = match (c.get(1), c.get(2)) {
                (Some(n), Some(u)) => (n.as_str(), u.as_str()),
                _ => match (c.get(4), c.get(3)) {
                    (Some(n), Some(u)) => (n.as_str(), u.as_str()),
                    _ => continue,
                },
            };
            let Some(target) = resolve(base, href) else {
                continue;
            };
            let target = target.to_string();
            if !out.iter().any(|l| l.target == target) {
                out.push(Link {
                    target,
                    anchor: dom::collapse(name),
                    element: LinkElement::A,
                    nav: true,
                });
            }
        }
    }
    out
}

/// Whether the element itself is a navigation block: `<nav>`, `<header>`, or an id/class token per
/// [`is_nav_token`].
pub fn is_nav_element(el: &scraper::node::Element) -> bool {
    matches!(el.name(), "nav" | "header") || dom::id_and_classes(el).any(|t| is_nav_token(&t))
}

/// Whether the element is, or sits inside, a navigation block.
pub fn in_nav(el: ElementRef<'_>) -> bool {
    std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .any(|a| is_nav_element(a.value()))
}

/// What a reader sees of a link: its text, else its `alt`/`title`, else the `alt` of an image in it.
pub fn anchor_text(el: ElementRef<'_>) -> String {
    let text = dom::collapse(&dom::text_of(el, None, false));
    if !text.is_empty() {
        return text;
    }
    let attr = |e: ElementRef<'_>| {
        ["alt", "title"]
            .iter()
            .filter_map(|a| e.value().attr(a))
            .map(dom::collapse)
            .find(|s| !s.is_empty())
    };
    attr(el)
        .or_else(|| {
            el.descendent_elements()
                .filter(|d| d.value().name() == "img")
                .find_map(attr)
        })
        .unwrap_or_default()
}

/// The pages of every TRS `createPageHTML(...)` call in `script`, resolved against the page URL's
/// directory, page 0 (`index.shtml`) included. Handles `createPageHTML(25, 0, "index", "shtml")`, the
/// container-first `createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)`, and arguments held in
/// variables (`var countPage = 25;`). The function's own definition is skipped.
pub fn pagination(script: &str, page: &Url) -> Vec<Url> {
    let mut out = Vec::new();
    for m in CREATE_PAGE.captures_iter(script) {
        let whole = m.get(0).expect("match");
        if script[..whole.start()].trim_end().ends_with("function") {
            continue;
        }
        let mut args: Vec<Arg> = m[1].split(',').map(|a| Arg::parse(a, script)).collect();
        if matches!(args.first(), Some(Arg::Str(_))) {
            args.remove(0);
        }
        let (Some(total), Some(prefix), Some(ext)) = (
            args.first().and_then(Arg::number),
            args.get(2).and_then(Arg::string),
            args.get(3).and_then(Arg::string),
        ) else {
            continue;
        };
        let ext = ext.trim_start_matches('.');
        if prefix.is_empty() || ext.is_empty() {
            continue;
        }
        for i in 0..total.min(MAX_PAGINATION) {
            let name = if i == 0 {
                format!("{prefix}.{ext}")
            } else {
                format!("{prefix}_{i}.{ext}")
            };
            if let Some(u) = resolve(page, &name) {
                out.push(u);
            }
        }
    }
    out
}

/// One argument of a `createPageHTML` call.
enum Arg {
    Num(u32),
    Str(String),
    Other,
}

impl Arg {
    fn parse(raw: &str, script: &str) -> Arg {
        let a = raw.trim();
        if let Ok(n) = a.parse() {
            return Arg::Num(n);
        }
        if a.len() >= 2 && (a.starts_with('"') || a.starts_with('\'')) && a.ends_with(&a[..1]) {
            let s = &a[1..a.len() - 1];
            return match s.trim().parse() {
                Ok(n) => Arg::Num(n),
                Err(_) => Arg::Str(s.to_string()),
            };
        }
        if !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        {
            // A variable: use its last literal assignment in the script.
            if let Ok(re) = Regex::new(&format!(
                r#"(?:^|[^\w$.]){}\s*=\s*(?:"([^"]*)"|'([^']*)'|([0-9]+))"#,
                regex::escape(a)
            )) {
                if let Some(c) = re.captures_iter(script).last() {
                    if let Some(n) = c.get(3) {
                        return n.as_str().parse().map_or(Arg::Other, Arg::Num);
                    }
                    let s = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
                    return match s.trim().parse() {
                        Ok(n) => Arg::Num(n),
                        Err(_) => Arg::Str(s.to_string()),
                    };
                }
            }
        }
        Arg::Other
    }

    fn number(&self) -> Option<u32> {
        match self {
            Arg::Num(n) => Some(*n),
            _ => None,
        }
    }

    fn string(&self) -> Option<&str> {
        match self {
            Arg::Str(s) => Some(s.trim()),
            _ => None,
        }
    }
}

/// The URL of a `<meta http-equiv="refresh" content="0;url=...">`, if it names one.
pub fn refresh_target(content: &str) -> Option<&str> {
    let (_, rest) = content.split_once([';', ','])?;
    let rest = rest.trim_start();
    let rest = match rest.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("url") => {
            rest[3..].trim_start().strip_prefix('=')?.trim()
        }
        _ => rest.trim(),
    };
    let url = rest.trim_matches(|c| c == '"' || c == '\'').trim();
    (!url.is_empty()).then_some(url)
}

/// Every link of a parsed page, in page order, deduplicated by (target, element).
///
/// Of duplicates the first is kept, except that a later occurrence in the navigation marks the link
/// as navigation and, if it has text, gives it its anchor: a column linked as "更多" in a box and by
/// name in the menu is the menu's column.
pub fn extract_links(doc: &Html, page: &Url, base: &Url) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    let mut seen: HashMap<(String, LinkElement), usize> = HashMap::new();
    let mut add = |target: Url, anchor: String, element: LinkElement, nav: bool| {
        let key = (target.to_string(), element);
        match seen.get(&key) {
            Some(&i) => {
                let l = &mut out[i];
                if nav && !l.nav {
                    l.nav = true;
                    if !anchor.is_empty() {
                        l.anchor = anchor;
                    }
                } else if l.anchor.is_empty() {
                    l.anchor = anchor;
                }
            }
            None => {
                seen.insert(key.clone(), out.len());
                out.push(Link {
                    target: key.0,
                    anchor,
                    element,
                    nav,
                });
            }
        }
    };
    let mut nav_depth = 0usize;
    dom::walk(doc.root_element(), |ev| {
        let el = match ev {
            Ev::Open(el) => el,
            Ev::Close(el) => {
                if is_nav_element(el.value()) {
                    nav_depth -= 1;
                }
                return true;
            }
            Ev::Text(_) => return true,
        };
        let e = el.value();
        let nav_here = is_nav_element(e);
        let nav = nav_depth > 0 || nav_here;
        let attr_link = |attr: &str| e.attr(attr).and_then(|v| resolve(base, v));
        // Images of inline styles (`style="background-image:url(banner.jpg)"`).
        if let Some(style) = e.attr("style").filter(|s| s.contains("url(")) {
            for u in css_urls(style).filter_map(|raw| resolve(base, raw)) {
                add(u, String::new(), LinkElement::Img, nav);
            }
        }
        match e.name() {
            "a" | "area" => {
                if let Some(u) = attr_link("href") {
                    let kind = if e.name() == "a" {
                        LinkElement::A
                    } else {
                        LinkElement::Area
                    };
                    add(u, anchor_text(el), kind, nav);
                }
            }
            "iframe" | "frame" => {
                if let Some(u) = attr_link("src") {
                    let t = e.attr("title").map(dom::collapse).unwrap_or_default();
                    add(u, t, LinkElement::Frame, nav);
                }
            }
            "img" => {
                if let Some(u) = attr_link("src") {
                    let t = ["alt", "title"]
                        .iter()
                        .filter_map(|a| e.attr(a))
                        .map(dom::collapse)
                        .find(|s| !s.is_empty())
                        .unwrap_or_default();
                    add(u, t, LinkElement::Img, nav);
                }
            }
            "script" => {
                if let Some(u) = attr_link("src") {
                    add(u, String::new(), LinkElement::Script, nav);
                } else {
                    let text: String = el.text().collect();
                    if text.contains("createPageHTML") {
                        for u in pagination(&text, page) {
                            add(u, String::new(), LinkElement::Pagination, nav);
                        }
                    }
                }
                return false;
            }
            "link" => {
                let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                let not_resource = rel
                    .split_ascii_whitespace()
                    .any(|r| NOT_RESOURCE_RELS.contains(&r));
                if let Some(u) = attr_link("href").filter(|_| !not_resource) {
                    add(u, String::new(), LinkElement::Link, nav);
                }
            }
            "style" => {
                let css: String = el.text().collect();
                for u in css_urls(&css).filter_map(|raw| resolve(base, raw)) {
                    add(u, String::new(), LinkElement::Link, nav);
                }
                return false;
            }
            "embed" => {
                if let Some(u) = attr_link("src") {
                    add(u, String::new(), LinkElement::Embed, nav);
                }
            }
            "video" | "audio" | "source" | "track" => {
                for u in ["src", "poster"].iter().filter_map(|a| attr_link(a)) {
                    add(u, String::new(), LinkElement::Embed, nav);
                }
            }
            "object" => {
                if let Some(u) = attr_link("data") {
                    add(u, String::new(), LinkElement::Embed, nav);
                }
            }
            "meta" => {
                let refresh = e
                    .attr("http-equiv")
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh"));
                if let Some(u) = e
                    .attr("content")
                    .filter(|_| refresh)
                    .and_then(refresh_target)
                    .and_then(|t| resolve(base, t))
                {
                    add(u, String::new(), LinkElement::Refresh, nav);
                }
            }
            _ => {}
        }
        if nav_here {
            nav_depth += 1;
        }
        true
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn session_ids_are_taken_out_of_links_and_site_ids_are_not() {
        let base = url("http://www.x.gov.cn/col/index.html");
        let r = |raw: &str| resolve_uncached(&base, raw).unwrap().to_string();
        assert_eq!(
            r("/art/1.html;jsessionid=A1B2C3D4?id=5"),
            "http://www.x.gov.cn/art/1.html?id=5"
        );
        assert_eq!(
            r("list.jsp;JSESSIONID=xyz"),
            "http://www.x.gov.cn/col/list.jsp"
        );
        assert_eq!(
            r("a.php?PHPSESSID=9f8e&page=2"),
            "http://www.x.gov.cn/col/a.php?page=2"
        );
        assert_eq!(
            r("a.asp?ASPSESSIONIDQQ=ABC"),
            "http://www.x.gov.cn/col/a.asp"
        );
        assert_eq!(
            r("index.jsp?sid=12&columnid=3"),
            "http://www.x.gov.cn/col/index.jsp?sid=12&columnid=3",
            "a site id is not a session"
        );
    }

    #[test]
    fn breadcrumbs_by_label_or_class() {
        let base = url("http://www.x.gov.cn/zwgk/zcwj/202509/t20250920_1.html");
        let labelled = Html::parse_document(
            r#"<body><div class="w1200"><div class="dqwz">当前位置：<a href="/">首页</a> &gt; <a href="../../">政务公开</a> &gt; <a href="../">政策文件</a> &gt; 正文</div>
            <div class="article">…</div></div></body>"#,
        );
        assert_eq!(
            breadcrumb(&labelled, &base),
            [
                "http://www.x.gov.cn/",
                "http://www.x.gov.cn/zwgk/",
                "http://www.x.gov.cn/zwgk/zcwj/"
            ]
        );
        let classed = Html::parse_document(
            r#"<body><ol class="breadcrumb"><li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li></ol></body>"#,
        );
        assert_eq!(breadcrumb(&classed, &base).len(), 2);
        let none =
            Html::parse_document(r#"<body><p>位置在本区东部</p><a href="/">首页</a></body>"#);
        assert!(breadcrumb(&none, &base).is_empty());
    }

    #[test]
    fn script_built_catalogue_trees_are_navigation() {
        let scripts = vec![
            r##"var setting = { data: { simpleData: { enable: true } } };
            var zNodes = [
              { id: 1, pId: 0, name: "法定主动公开内容", open: true },
              { id: 11, pId: 1, name: "人事信息", url: "/rsxx/index.html", target: "_self" },
              { id: 12, pId: 1, url: '/czys/index.html', name: '财政预算' }
            ];
            $.fn.zTree.init($("#gkTree"), setting, zNodes);"##
                .to_string(),
        ];
        let got: Vec<(String, String, bool)> =
            tree_links(&scripts, &url("http://www.x.gov.cn/xxgk/"))
                .into_iter()
                .map(|l| (l.anchor, l.target, l.nav))
                .collect();
        assert_eq!(
            got,
            [
                (
                    "人事信息".to_string(),
                    "http://www.x.gov.cn/rsxx/index.html".to_string(),
                    true
                ),
                (
                    "财政预算".to_string(),
                    "http://www.x.gov.cn/czys/index.html".to_string(),
                    true
                ),
            ]
        );
        assert!(tree_links(
            &["var a = {name: 'x', url: '/y'};".to_string()],
            &url("http://a/")
        )
        .is_empty());
    }

    fn links_of(html: &str, page: &str) -> Vec<Link> {
        let doc = Html::parse_document(html);
        let page = url(page);
        let base = base_url(&doc, &page);
        extract_links(&doc, &page, &base)
    }

    fn l(target: &str, anchor: &str, element: LinkElement, nav: bool) -> Link {
        Link {
            target: target.into(),
            anchor: anchor.into(),
            element,
            nav,
        }
    }

    #[test]
    fn every_element_kind_resolved_and_normalized() {
        let html = r##"<html><head><link rel="stylesheet" href="/css/style.css">
            <script src="../js/jquery.min.js"></script></head><body>
            <a href="./202506/t20250610_1.html#top" title="t">关于开展安全生产  专项检查的通知</a>
            <a href="http://WWW.Example.GOV.cn:80/a/../b/">外链</a>
            <map><area href="/zwgk/" alt="政务公开"></map>
            <iframe src="/video/player.html" title="视频"></iframe>
            <img src="/images/banner.jpg" alt="宣传图片">
            <embed src="/media/a.swf"><object data="/media/b.swf"></object>
            <a href=" javascript:void(0) ">x</a><a href="mailto:a@b.cn">信箱</a><a href="tel:0532">电话</a>
            <a href="#">顶部</a><a href="">空</a><a href="data:text/plain,x">d</a>
            <!-- <a href="/commented.html">注释</a> -->
            </body></html>"##;
        assert_eq!(
            links_of(html, "http://www.laoshan.gov.cn/tzgg/index.html"),
            vec![
                l(
                    "http://www.laoshan.gov.cn/css/style.css",
                    "",
                    LinkElement::Link,
                    false
                ),
                l(
                    "http://www.laoshan.gov.cn/js/jquery.min.js",
                    "",
                    LinkElement::Script,
                    false
                ),
                l(
                    "http://www.laoshan.gov.cn/tzgg/202506/t20250610_1.html",
                    "关于开展安全生产 专项检查的通知",
                    LinkElement::A,
                    false
                ),
                l(
                    "http://www.example.gov.cn/b/",
                    "外链",
                    LinkElement::A,
                    false
                ),
                l(
                    "http://www.laoshan.gov.cn/zwgk/",
                    "政务公开",
                    LinkElement::Area,
                    false
                ),
                l(
                    "http://www.laoshan.gov.cn/video/player.html",
                    "视频",
                    LinkElement::Frame,
                    false
                ),
                l(
                    "http://www.laoshan.gov.cn/images/banner.jpg",
                    "宣传图片",
                    LinkElement::Img,
                    false
                ),
                l(
                    "http://www.laoshan.gov.cn/media/a.swf",
                    "",
                    LinkElement::Embed,
                    false
                ),
                l(
                    "http://www.laoshan.gov.cn/media/b.swf",
                    "",
                    LinkElement::Embed,
                    false
                ),
            ]
        );
    }

    #[test]
    fn css_urls_media_sources_and_hint_rels() {
        let html = r#"<html><head><link rel="preconnect" href="https://fonts.example.net">
            <link rel="dns-prefetch" href="//cdn.example.net"><link rel="pingback" href="/xmlrpc.php">
            <link rel="preload" href="/fonts/a.woff2"><style>@import "/css/print.css";
            .banner { background: url('/images/banner.jpg') } .x { background: url(#svg) }
            .y { background: url("data:image/png;base64,AAAA") }</style></head>
            <body><div style="background-image:url(/images/bg.png)"></div>
            <video src="/media/a.mp4" poster="/media/a.jpg"><source src="/media/a.webm"><track src="/media/a.vtt"></video>
            <audio src="/media/b.mp3"></audio></body></html>"#;
        let got: Vec<(String, LinkElement)> = links_of(html, "http://x.gov.cn/")
            .into_iter()
            .map(|l| (l.target, l.element))
            .collect();
        let want: Vec<(String, LinkElement)> = [
            ("/fonts/a.woff2", LinkElement::Link),
            ("/css/print.css", LinkElement::Link),
            ("/images/banner.jpg", LinkElement::Link),
            ("/images/bg.png", LinkElement::Img),
            ("/media/a.mp4", LinkElement::Embed),
            ("/media/a.jpg", LinkElement::Embed),
            ("/media/a.webm", LinkElement::Embed),
            ("/media/a.vtt", LinkElement::Embed),
            ("/media/b.mp3", LinkElement::Embed),
        ]
        .iter()
        .map(|(p, e)| (format!("http://x.gov.cn{p}"), *e))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn base_href_and_meta_refresh() {
        let html = r#"<html><head><base href="http://static.example.cn/site/">
            <meta http-equiv="Refresh" content="0; URL='../new/index.html'"></head>
            <body><a href="list.html">列表</a></body></html>"#;
        assert_eq!(
            links_of(html, "http://www.example.cn/a/b.html"),
            vec![
                l(
                    "http://static.example.cn/new/index.html",
                    "",
                    LinkElement::Refresh,
                    false
                ),
                l(
                    "http://static.example.cn/site/list.html",
                    "列表",
                    LinkElement::A,
                    false
                ),
            ]
        );
        assert_eq!(refresh_target("0;url=/x.html"), Some("/x.html"));
        assert_eq!(refresh_target("5"), None);
        assert_eq!(refresh_target("0;中文.html"), Some("中文.html"));
        assert_eq!(
            refresh_target("0; url = 'http://x.gov.cn/'"),
            Some("http://x.gov.cn/")
        );
    }

    #[test]
    fn nav_blocks() {
        let html = r#"<body><div class="header"><a href="/">首页</a></div>
            <div class="nav"><ul><li><a href="/zwgk/">政务公开</a></li></ul></div>
            <div id="mainNav"><a href="/a/">A</a></div><ul class="top-menu"><li><a href="/b/">B</a></li></ul>
            <div class="dh_list"><a href="/c/">C</a></div><div class="daohang"><a href="/d/">D</a></div>
            <nav><a href="/e/">E</a></nav><header><a href="/f/">F</a></header>
            <div class="dhl"><a href="/g/">G</a></div><div class="adhoc"><a href="/h/">H</a></div>
            <div class="main"><a href="/zwgk/">更多</a></div></body>"#;
        let got: Vec<(String, bool)> = links_of(html, "http://x.gov.cn/")
            .into_iter()
            .map(|l| (l.anchor, l.nav))
            .collect();
        let want: Vec<(String, bool)> = [
            ("首页", false),
            ("政务公开", true),
            ("A", true),
            ("B", true),
            ("C", true),
            ("D", true),
            ("E", true),
            ("F", true),
            ("G", true),
            ("H", false),
        ]
        .iter()
        .map(|(a, n)| (a.to_string(), *n))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn duplicates_keep_first_but_learn_nav() {
        let html = r#"<body><div class="box"><a href="/tzgg/">更多</a></div>
            <div class="nav"><a href="/tzgg/">通知公告</a></div>
            <a href="/tzgg/"><img src="/i.png" alt="图"></a><img src="/tzgg/"></body>"#;
        assert_eq!(
            links_of(html, "http://x.gov.cn/"),
            vec![
                l("http://x.gov.cn/tzgg/", "通知公告", LinkElement::A, true),
                l("http://x.gov.cn/i.png", "图", LinkElement::Img, false),
                l("http://x.gov.cn/tzgg/", "", LinkElement::Img, false),
            ]
        );
    }

    #[test]
    fn image_link_anchor_is_alt() {
        let html = r#"<body><a href="http://bszs.conac.cn/sitename?id=1"><img src="/dzjg.png" alt="党政机关"></a></body>"#;
        assert_eq!(links_of(html, "http://x.gov.cn/")[0].anchor, "党政机关");
    }

    fn pages(script: &str, page: &str) -> Vec<String> {
        pagination(script, &url(page))
            .into_iter()
            .map(|u| u.to_string())
            .collect()
    }

    #[test]
    fn trs_pagination_variants() {
        let p = pages(
            r#"createPageHTML(25, 0, "index", "shtml");"#,
            "http://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index.shtml",
        );
        assert_eq!(p.len(), 25);
        assert_eq!(
            p[0],
            "http://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index.shtml"
        );
        assert_eq!(
            p[1],
            "http://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index_1.shtml"
        );
        assert_eq!(
            p[24],
            "http://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index_24.shtml"
        );
        assert_eq!(
            pages(
                r#"createPageHTML(9, 0, "index", "html")"#,
                "https://www.ndrc.gov.cn/xxgk/zcfb/tz/"
            )
            .last()
            .map(String::as_str),
            Some("https://www.ndrc.gov.cn/xxgk/zcfb/tz/index_8.html")
        );
        assert_eq!(
            pages(
                "createPageHTML('page_div',5, 1,'fg','shtml',89);",
                "https://www.ndrc.gov.cn/fggz/fg_1.shtml"
            ),
            vec![
                "https://www.ndrc.gov.cn/fggz/fg.shtml",
                "https://www.ndrc.gov.cn/fggz/fg_1.shtml",
                "https://www.ndrc.gov.cn/fggz/fg_2.shtml",
                "https://www.ndrc.gov.cn/fggz/fg_3.shtml",
                "https://www.ndrc.gov.cn/fggz/fg_4.shtml",
            ]
        );
    }

    #[test]
    fn pagination_variables_cap_and_definition() {
        let script = r#"function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){ }
            var countPage = 3; var currentPage = 0;
            createPageHTML(countPage, currentPage, "index", "htm");"#;
        assert_eq!(
            pages(script, "http://x.gov.cn/col/"),
            vec![
                "http://x.gov.cn/col/index.htm",
                "http://x.gov.cn/col/index_1.htm",
                "http://x.gov.cn/col/index_2.htm",
            ]
        );
        assert_eq!(
            pages(
                r#"createPageHTML(100000, 0, "index", "html")"#,
                "http://x.gov.cn/"
            )
            .len(),
            500
        );
        assert!(pages("createPageHTML(a, b, c, d)", "http://x.gov.cn/").is_empty());
    }

    #[test]
    fn pagination_is_emitted_as_links_from_the_page_directory() {
        let html = r#"<html><head><base href="http://cdn.x.gov.cn/"></head><body><ul class="list"></ul>
            <div id="page_div"></div><script>createPageHTML(2, 0, "index", "shtml");</script></body></html>"#;
        assert_eq!(
            links_of(html, "http://x.gov.cn/tzgg/index.shtml"),
            vec![
                l(
                    "http://x.gov.cn/tzgg/index.shtml",
                    "",
                    LinkElement::Pagination,
                    false
                ),
                l(
                    "http://x.gov.cn/tzgg/index_1.shtml",
                    "",
                    LinkElement::Pagination,
                    false
                ),
            ]
        );
    }
}
