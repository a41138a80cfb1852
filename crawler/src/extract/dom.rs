//! DOM helpers shared by the extractors.
//!
//! The crawler parses tens of thousands of pages, so a page is parsed once (with `scraper`) and every
//! extractor reads the same tree. [`walk`] visits a subtree with an explicit stack (malformed pages can
//! nest thousands of unclosed tags, and recursion would overflow the small blocking-thread stacks),
//! and [`Scan`] gathers in one pass what several extractors need: the title, the `<meta>` values, the
//! inline scripts and the visible text.

use scraper::{ElementRef, Html, Node};

/// The deepest an element may sit below the document root, as in Chromium's HTML parser
/// (`kMaximumHTMLParserDOMTreeDepth`). Real pages stay far above it; a hostile or broken page that
/// nests 100,000 unclosed tags would otherwise make every "text of this block" question quadratic.
pub const MAX_DEPTH: usize = 512;

/// Hang every node deeper than `max` under its ancestor at depth `max`, in document order, as a
/// browser's parser does: the page's text and links stay, in their order, and no walk of the tree
/// costs more than `max` steps per node.
pub fn cap_depth(doc: &mut Html, max: usize) {
    let root = doc.tree.root().id();
    let mut moves = Vec::new();
    // (node, depth, its ancestor at depth `max` if it is below it)
    let mut stack = vec![(root, 0usize, None)];
    while let Some((id, depth, anchor)) = stack.pop() {
        let Some(node) = doc.tree.get(id) else {
            continue;
        };
        let anchor = if depth == max { Some(id) } else { anchor };
        if depth > max {
            moves.push((id, anchor));
        }
        let mut child = node.last_child();
        while let Some(c) = child {
            stack.push((c.id(), depth + 1, anchor));
            child = c.prev_sibling();
        }
    }
    for (id, anchor) in moves {
        if let Some(mut anchor) = anchor.and_then(|a| doc.tree.get_mut(a)) {
            anchor.append_id(id);
        }
    }
}

/// The deepest nesting of the source handed to the parser. The HTML parser checks the stack of
/// open elements at every tag, so a page nesting 100,000 unclosed tags costs it 10¹⁰ steps; beyond
/// this depth start tags are dropped before parsing (their text and links stay).
pub const MAX_SOURCE_DEPTH: usize = 4096;

/// Elements that never nest: void ones, and ones the parser closes by itself (`<p>`, `<li>`, `<td>`
/// and their kin: pages leave them unclosed by the thousand, and they are not deep for it; `<a>`,
/// which a new `<a>` closes, so that no link is ever dropped).
const FLAT_TAGS: &[&str] = &[
    "a", "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
    "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
    "frame", "basefont", "bgsound", "keygen",
];

/// Elements whose content is not markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// `source`, with the start tags that would nest deeper than `limit` removed; borrowed unchanged
/// when none does (every real page). One pass over the bytes, no parsing.
pub fn flatten_source(source: &str, limit: usize) -> std::borrow::Cow<'_, str> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut dropped: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(at) = memchr_lt(bytes, i) {
        let rest = &bytes[at + 1..];
        let Some(end) = rest.iter().position(|&b| b == b'>').map(|e| at + 1 + e) else {
            break;
        };
        i = end + 1;
        match rest.first() {
            // A comment never closed runs to the end, as the parser reads it (and scanning for
            // its end again at every later `<!--` would be quadratic).
            Some(b'!') if rest.starts_with(b"!--") => match find_ci(bytes, at + 4, b"-->") {
                Some(close) => i = close + 3,
                None => break,
            },
            Some(b'/') if !one_of(FLAT_TAGS, tag_name(&rest[1..])) => {
                depth = depth.saturating_sub(1);
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let name = tag_name(rest);
                if one_of(RAW_TEXT, name) {
                    let mut closing = b"</".to_vec();
                    closing.extend_from_slice(name);
                    i = find_ci(bytes, i, &closing).unwrap_or(bytes.len());
                } else if !one_of(FLAT_TAGS, name) && bytes[end - 1] != b'/' {
                    if depth >= limit {
                        dropped.push((at, end + 1));
                    } else {
                        depth += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if dropped.is_empty() {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut from = 0;
    for (start, end) in dropped {
        out.push_str(&source[from..start]);
        from = end;
    }
    out.push_str(&source[from..]);
    std::borrow::Cow::Owned(out)
}

fn memchr_lt(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'<')
        .map(|p| from + p)
}

/// Where `needle` (any case) first stands in `bytes` from `from`.
fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// The tag name at the start of `rest` (after `<` or `</`), as written.
fn tag_name(rest: &[u8]) -> &[u8] {
    let n = rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    &rest[..n]
}

/// Whether `name` (any case) is one of `tags`: no allocation, as this runs for every tag of every
/// page.
fn one_of(tags: &[&str], name: &[u8]) -> bool {
    tags.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(name))
}

/// One step of a [`walk`].
#[derive(Debug, Clone, Copy)]
pub enum Ev<'a> {
    /// An element starts; returning `false` from the visitor skips its subtree (and its `Close`).
    Open(ElementRef<'a>),
    /// An element ends.
    Close(ElementRef<'a>),
    /// A text node.
    Text(&'a str),
}

/// Visit `root` and its subtree in document order. The visitor's answer matters only for
/// [`Ev::Open`]: `false` skips the element's subtree.
pub fn walk<'a>(root: ElementRef<'a>, mut visit: impl FnMut(Ev<'a>) -> bool) {
    let mut stack = vec![(*root, false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            if let Some(el) = ElementRef::wrap(node) {
                visit(Ev::Close(el));
            }
            continue;
        }
        match node.value() {
            Node::Text(t) => {
                visit(Ev::Text(t));
            }
            Node::Element(_) => {
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                if !visit(Ev::Open(el)) {
                    continue;
                }
                stack.push((node, true));
                for child in node.children().rev() {
                    stack.push((child, false));
                }
            }
            _ => {}
        }
    }
}

/// Elements whose content a reader never sees as text.
pub fn is_hidden_tag(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template" | "head")
}

/// Elements that break a line: their boundaries separate words in [`Scan::text`].
pub fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// The visible text of `root`'s subtree, skipping scripts and styles and the subtree of `skip`.
/// With `sep`, every element boundary becomes a space, so that `<td>12</td><td>2025-06-10</td>`
/// does not read as `122025-06-10`; without it, text runs are joined as a reader sees them.
pub fn text_of(root: ElementRef<'_>, skip: Option<ElementRef<'_>>, sep: bool) -> String {
    let mut out = String::new();
    walk(root, |ev| match ev {
        Ev::Open(el) => {
            if is_hidden_tag(el.value().name()) || skip.is_some_and(|s| s == el) {
                return false;
            }
            if sep {
                out.push(' ');
            }
            true
        }
        Ev::Close(_) => {
            if sep {
                out.push(' ');
            }
            true
        }
        Ev::Text(t) => {
            out.push_str(t);
            true
        }
    });
    out
}

/// Collapse every run of whitespace (ASCII, `&nbsp;`, the ideographic space `　`) to one space, and trim.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The lowercased `id` and class tokens of an element.
pub fn id_and_classes(el: &scraper::node::Element) -> impl Iterator<Item = String> + '_ {
    el.id()
        .into_iter()
        .chain(el.classes())
        .map(|t| t.to_ascii_lowercase())
}

/// What several extractors need from a page, gathered in one walk.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// The `<title>`, whitespace collapsed; `None` when missing or blank.
    pub title: Option<String>,
    /// Every `<meta>` with `name`, `property`, `itemprop` or `http-equiv`: (lowercased key, content).
    pub metas: Vec<(String, String)>,
    /// The text of each inline `<script>`, in page order (JSON-LD data blocks excepted).
    pub scripts: Vec<String>,
    /// The text of each `<script type="application/ld+json">` (structured data, not code).
    pub json_ld: Vec<String>,
    /// The `src` of each external `<script>`, as written.
    pub script_srcs: Vec<String>,
    /// The visible text of the page (scripts, styles and `<head>` excluded), block elements on
    /// separate lines.
    pub text: String,
}

impl Scan {
    /// Scan a parsed page.
    pub fn new(doc: &Html) -> Scan {
        let mut scan = Scan::default();
        let mut in_head = 0usize;
        let mut hidden = 0usize;
        let mut title: Option<String> = None;
        let mut in_title = false;
        walk(doc.root_element(), |ev| {
            match ev {
                Ev::Open(el) => {
                    let e = el.value();
                    let name = e.name();
                    match name {
                        "meta" => {
                            let key = e
                                .attr("name")
                                .or_else(|| e.attr("property"))
                                .or_else(|| e.attr("itemprop"))
                                .or_else(|| e.attr("http-equiv"));
                            if let (Some(k), Some(c)) = (key, e.attr("content")) {
                                scan.metas
                                    .push((k.trim().to_ascii_lowercase(), c.trim().to_string()));
                            }
                        }
                        "script" => {
                            if let Some(src) = e.attr("src") {
                                scan.script_srcs.push(src.trim().to_string());
                            }
                            let body: String = el.text().collect();
                            if !body.trim().is_empty() {
                                let json_ld = e.attr("type").is_some_and(|t| {
                                    t.trim().eq_ignore_ascii_case("application/ld+json")
                                });
                                if json_ld {
                                    scan.json_ld.push(body);
                                } else {
                                    scan.scripts.push(body);
                                }
                            }
                            return false;
                        }
                        "title" if title.is_none() && hidden == 0 => {
                            in_title = true;
                            title = Some(String::new());
                        }
                        "svg" => return false,
                        _ => {}
                    }
                    if name == "head" {
                        in_head += 1;
                    } else if is_hidden_tag(name) {
                        hidden += 1;
                    }
                    if in_head == 0 && hidden == 0 && is_block_tag(name) {
                        scan.text.push('\n');
                    }
                }
                Ev::Close(el) => {
                    let name = el.value().name();
                    if name == "head" {
                        in_head -= 1;
                    } else if is_hidden_tag(name) {
                        hidden -= 1;
                    } else if name == "title" {
                        in_title = false;
                    }
                    if in_head == 0 && hidden == 0 && is_block_tag(name) {
                        scan.text.push('\n');
                    }
                }
                Ev::Text(t) => {
                    if in_title {
                        if let Some(s) = title.as_mut() {
                            s.push_str(t);
                        }
                    } else if in_head == 0 && hidden == 0 {
                        scan.text.push_str(t);
                    }
                }
            }
            true
        });
        scan.title = title.map(|t| collapse(&t)).filter(|t| !t.is_empty());
        scan
    }

    /// The content of the first non-empty `<meta>` named `key` (case-insensitive).
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metas
            .iter()
            .find(|(k, c)| k.eq_ignore_ascii_case(key) && !c.is_empty())
            .map(|(_, c)| c.as_str())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn start_tags_beyond_the_source_depth_are_dropped_and_real_pages_are_untouched() {
        let deep = format!(
            "<div><b>{}<a href=\"/x\">链接</a>{}</b></div>",
            "<span>".repeat(10),
            "</span>".repeat(10)
        );
        let flat = flatten_source(&deep, 4);
        assert_eq!(flat, "<div><b><span><span><a href=\"/x\">链接</a></span></span></span></span></span></span></span></span></span></span></b></div>");
        let page = "<html><head><title>a<b</title><script>if (a<b) { x = '<div>'; }</script></head>\
            <body><ul><li>一<li>二<li>三</ul><p>段<p>段<br><img src=x><!-- <div><div><div> --></body></html>";
        assert!(
            matches!(flatten_source(page, 2), std::borrow::Cow::Borrowed(_)),
            "nothing there nests deeper than 2"
        );
        let unclosed = format!("<div>{}", "<!--<div>".repeat(1000));
        assert!(
            matches!(flatten_source(&unclosed, 2), std::borrow::Cow::Borrowed(_)),
            "an unclosed comment runs to the end"
        );
    }

    #[test]
    fn nodes_below_the_depth_cap_hang_under_it_in_document_order() {
        let html = format!(
            "<html><body>{}<p>第一段</p><a href=\"/x.html\">链接</a>{}<p>尾段</p></body></html>",
            "<div>".repeat(1000),
            "</div>".repeat(1000)
        );
        let mut doc = Html::parse_document(&html);
        cap_depth(&mut doc, 20);
        let deepest = doc
            .tree
            .root()
            .descendants()
            .map(|n| n.ancestors().count())
            .max()
            .unwrap();
        assert_eq!(deepest, 21, "nothing below the cap");
        let text = text_of(doc.root_element(), None, false);
        assert_eq!(text, "第一段链接尾段", "the text keeps its order");
        let sel = scraper::Selector::parse("a").unwrap();
        assert_eq!(doc.select(&sel).count(), 1, "the link is still there");
        // A page within the cap is left as it was.
        let mut plain = Html::parse_document("<html><body><div><p>正文</p></div></body></html>");
        let before = plain.root_element().html();
        cap_depth(&mut plain, MAX_DEPTH);
        assert_eq!(plain.root_element().html(), before);
    }

    use super::*;

    #[test]
    fn scan_reads_title_metas_scripts_and_visible_text() {
        let doc = Html::parse_document(
            r#"<html><head><title> 通知公告 - 某区人民政府 </title>
            <meta content="通知公告" name="ColumnName"><META NAME="SiteIDCode" CONTENT="3702120001">
            <style>.x{}</style></head><body><div>主办单位：某区政府</div><p>联系电话：<b>0532</b></p>
            <script>var a = 1;</script><script src="/js/jquery.js"></script><noscript>请启用脚本</noscript>
            <script type="application/ld+json">{"datePublished": "2025-06-10"}</script>
            <meta itemprop="datePublished" content="2025-06-10"></body></html>"#,
        );
        let scan = Scan::new(&doc);
        assert_eq!(
            scan.json_ld,
            vec![r#"{"datePublished": "2025-06-10"}"#.to_string()]
        );
        assert_eq!(scan.meta("datepublished"), Some("2025-06-10"));
        assert_eq!(scan.title.as_deref(), Some("通知公告 - 某区人民政府"));
        assert_eq!(scan.meta("columnname"), Some("通知公告"));
        assert_eq!(scan.meta("SiteIDCode"), Some("3702120001"));
        assert_eq!(scan.scripts, vec!["var a = 1;".to_string()]);
        assert_eq!(scan.script_srcs, vec!["/js/jquery.js".to_string()]);
        assert_eq!(collapse(&scan.text), "主办单位：某区政府 联系电话：0532");
    }

    #[test]
    fn text_of_separates_cells_and_skips() {
        let doc = Html::parse_document(
            "<table><tr id=r><td>12</td><td><a href=x>标题</a></td><td>2025-06-10</td></tr></table>",
        );
        let sel = scraper::Selector::parse("tr").unwrap();
        let a = scraper::Selector::parse("a").unwrap();
        let tr = doc.select(&sel).next().unwrap();
        let link = doc.select(&a).next().unwrap();
        assert_eq!(collapse(&text_of(tr, Some(link), true)), "12 2025-06-10");
        assert_eq!(text_of(tr, None, false), "12标题2025-06-10");
    }

    #[test]
    fn collapse_handles_ideographic_space_and_nbsp() {
        assert_eq!(
            collapse(" 主办单位：\u{3000}某区\u{a0}\n 政府 "),
            "主办单位： 某区 政府"
        );
    }
}
