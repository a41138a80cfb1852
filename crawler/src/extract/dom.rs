//! DOM helpers shared by the extractors.
//!
//! The crawler parses tens of thousands of pages, so a page is parsed once (with `scraper`) and every
//! extractor reads the same tree. [`walk`] visits a subtree with an explicit stack (malformed pages can
//! nest thousands of unclosed tags, and recursion would overflow the small blocking-thread stacks),
//! and [`Scan`] gathers in one pass what several extractors need: the title, the `<meta>` values, the
//! inline scripts and the visible text.

use scraper::{ElementRef, Html, Node};

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
