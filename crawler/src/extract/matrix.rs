//! 政务新媒体矩阵: the page of a portal that lists the district's official accounts, read into
//! entries (a caption and, where the page says it, the platform) so that the analyzer can set them
//! beside the seeds.
//!
//! Real matrix pages (金湖 `jh-weibo.ftl`, 海沧's 政务矩阵, 大众网全媒体矩阵) share a shape: a heading
//! that names the page (新媒体矩阵, 政务矩阵, 融媒矩阵, 微博广场), then groups under platform
//! headings (微信, 微博矩阵…), each a run of blocks holding a QR or logo image and a caption. So a
//! page is a matrix page when its title or a heading says so; an entry is the smallest block
//! around an image that carries a short caption (else the image's `title`, then `alt`); its
//! platform is the nearest platform heading before it, else a platform word in the caption, else
//! the host its link goes to, else unknown — never guessed. Captions that are labels (扫一扫关注,
//! 微信公众号 alone, App下载) and blocks in navigation, headers and footers are not entries.

use regex::Regex;
use scraper::{ElementRef, Html};
use std::sync::LazyLock;
use xunjian_model::observe::MatrixEntry;
use xunjian_model::seeds::Platform;

use super::dom::{self, walk, Ev};

/// Words that name a matrix page or its container.
static MATRIX_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(政务|全|融)?新?媒体矩阵|政务矩阵|融媒矩阵|微博广场|政务新媒体(一览|导航|名录|汇总|账号)",
    )
    .expect("a valid pattern")
});

/// A platform's words, in the order they are tried (视频号 before 微信: both say 微信).
const PLATFORM_WORDS: &[(&str, Platform)] = &[
    ("视频号", Platform::Other),
    ("公众号", Platform::Wechat),
    ("微信", Platform::Wechat),
    ("微博", Platform::Weibo),
    ("抖音", Platform::Douyin),
    ("头条", Platform::Toutiao),
    ("快手", Platform::Kuaishou),
    ("哔哩哔哩", Platform::Bilibili),
    ("B站", Platform::Bilibili),
    ("bilibili", Platform::Bilibili),
];

/// Link hosts of each platform.
const PLATFORM_HOSTS: &[(&str, Platform)] = &[
    ("weixin.qq.com", Platform::Wechat),
    ("weibo.com", Platform::Weibo),
    ("weibo.cn", Platform::Weibo),
    ("douyin.com", Platform::Douyin),
    ("toutiao.com", Platform::Toutiao),
    ("kuaishou.com", Platform::Kuaishou),
    ("bilibili.com", Platform::Bilibili),
];

/// Captions that are labels, not accounts.
const LABELS: &[&str] = &[
    "扫一扫",
    "扫码",
    "关注",
    "二维码",
    "下载",
    "更多",
    "点击",
    "首页",
    "返回",
    "客户端",
    "网站矩阵",
];

/// The longest caption read as an account name, in characters.
const MAX_CAPTION: usize = 30;

/// The platform a text names, if one.
fn platform_in(text: &str) -> Option<Platform> {
    PLATFORM_WORDS
        .iter()
        .find(|(w, _)| text.contains(w))
        .map(|(_, p)| *p)
}

/// Whether `text` is a label or a bare platform name rather than an account's name.
fn is_label(text: &str) -> bool {
    let bare = PLATFORM_WORDS
        .iter()
        .fold(text.to_string(), |t, (w, _)| t.replace(w, ""));
    let bare = bare.trim_matches(|c: char| c.is_whitespace() || "矩阵官方号账：:·|".contains(c));
    bare.chars().count() < 2
        || LABELS.iter().any(|l| text.contains(l))
        || text.chars().all(|c| c.is_ascii_digit())
}

/// Whether an element is navigation, a header or a footer (its entries are the site's own links).
fn is_chrome(el: &scraper::node::Element) -> bool {
    matches!(el.name(), "nav" | "header" | "footer")
        || dom::id_and_classes(el).any(|c| {
            let c = c.to_ascii_lowercase();
            c == "nav"
                || c.starts_with("nav")
                || c.contains("header")
                || c.contains("footer")
                || c == "top"
                || c == "foot"
        })
}

/// Whether the page names itself a matrix page: its `<title>` or one of its headings.
fn is_matrix_page(doc: &Html, title: Option<&str>) -> bool {
    if title.is_some_and(|t| MATRIX_TITLE.is_match(t)) {
        return true;
    }
    let mut found = false;
    walk(doc.root_element(), |ev| {
        if found {
            return false;
        }
        if let Ev::Open(el) = ev {
            if is_chrome(el.value()) || dom::is_hidden_tag(el.value().name()) {
                return false;
            }
            if is_heading(el) {
                let text = dom::collapse(&dom::text_of(el, None, false));
                found = text.chars().count() <= 20 && MATRIX_TITLE.is_match(&text);
            }
        }
        true
    });
    found
}

/// A heading: `h1`–`h6`, or a short element whose class says title (`.title`, `.tit`, `.hd`).
fn is_heading(el: ElementRef<'_>) -> bool {
    let v = el.value();
    matches!(v.name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        || dom::id_and_classes(v).any(|c| {
            let c = c.to_ascii_lowercase();
            c.contains("title") || c == "tit" || c == "hd"
        })
}

/// What a group heading says of the entries after it: `Some(Some(p))` a platform heading (微博,
/// 微信矩阵, a bare 微博 label before a group), `Some(None)` a heading of no platform (网站矩阵,
/// App下载), which ends the group; `None` when `el` is no heading.
fn group_heading(el: ElementRef<'_>) -> Option<Option<Platform>> {
    let heading = is_heading(el);
    let short = |limit: usize| {
        let text = dom::collapse(&dom::text_of(el, None, false));
        (text.chars().count() <= limit).then_some(text)
    };
    if heading {
        let text = short(12)?;
        return match platform_in(&text) {
            Some(p) => Some(Some(p)),
            None if ["矩阵", "下载", "App", "网站"]
                .iter()
                .any(|w| text.contains(w)) =>
            {
                Some(None)
            }
            None => None,
        };
    }
    // Not marked as a heading, but holding nothing but a platform's name (金湖's `<div>微博</div>`).
    if !matches!(
        el.value().name(),
        "div" | "span" | "p" | "strong" | "b" | "dt"
    ) {
        return None;
    }
    let text = short(8)?;
    platform_in(&text)
        .filter(|_| is_label(&text) && !LABELS.iter().any(|l| text.contains(l)))
        .map(Some)
}

/// The caption of an entry block: its own short text, else its image's `title`, else `alt`.
fn caption(block: ElementRef<'_>, img: ElementRef<'_>) -> Option<String> {
    let text = dom::collapse(&dom::text_of(block, None, true));
    let attr = |k: &str| {
        img.value()
            .attr(k)
            .map(dom::collapse)
            .filter(|s| !s.is_empty())
    };
    [Some(text), attr("title"), attr("alt")]
        .into_iter()
        .flatten()
        .find(|t| !t.is_empty() && t.chars().count() <= MAX_CAPTION && !is_label(t))
}

/// The block of an entry: the nearest ancestor of `img` (itself included in `a`) whose text is
/// non-empty, or the image's parent when the image alone names the account.
fn entry_block<'a>(img: ElementRef<'a>) -> ElementRef<'a> {
    let mut block = img;
    for node in img.ancestors() {
        let Some(el) = ElementRef::wrap(node) else {
            break;
        };
        block = el;
        if matches!(el.value().name(), "li" | "dl" | "figure" | "td")
            || !dom::collapse(&dom::text_of(el, None, false)).is_empty()
        {
            break;
        }
    }
    block
}

/// The platform a block's links go to, if one.
fn platform_of_links(block: ElementRef<'_>) -> Option<Platform> {
    block
        .select(&scraper::Selector::parse("a[href]").expect("a valid selector"))
        .filter_map(|a| a.value().attr("href"))
        .find_map(|h| {
            PLATFORM_HOSTS
                .iter()
                .find(|(host, _)| h.contains(host))
                .map(|(_, p)| *p)
        })
}

/// The entries of a matrix page, in page order; `None` when the page is not one. `title` is what
/// the page calls itself (its `<title>`, its ColumnName).
pub fn matrix_entries(doc: &Html, title: Option<&str>) -> Option<Vec<MatrixEntry>> {
    if !is_matrix_page(doc, title) {
        return None;
    }
    let mut entries: Vec<MatrixEntry> = Vec::new();
    let mut blocks: Vec<ElementRef> = Vec::new();
    let mut heading_platform: Option<Platform> = None;
    walk(doc.root_element(), |ev| {
        let Ev::Open(el) = ev else { return true };
        let v = el.value();
        if is_chrome(v) || dom::is_hidden_tag(v.name()) {
            return false;
        }
        if v.name() != "img" {
            if let Some(group) = group_heading(el) {
                heading_platform = group;
            }
            return true;
        }
        let block = entry_block(el);
        if blocks.contains(&block) {
            return true;
        }
        blocks.push(block);
        if let Some(name) = caption(block, el) {
            let platform = heading_platform
                .or_else(|| platform_in(&name))
                .or_else(|| platform_of_links(block));
            if !entries
                .iter()
                .any(|e| e.name == name && e.platform == platform)
            {
                entries.push(MatrixEntry { name, platform });
            }
        }
        true
    });
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Option<Vec<(String, Option<Platform>)>> {
        let doc = Html::parse_document(html);
        let title = doc
            .select(&scraper::Selector::parse("title").unwrap())
            .next()
            .map(|t| t.text().collect::<String>());
        matrix_entries(&doc, title.as_deref())
            .map(|v| v.into_iter().map(|e| (e.name, e.platform)).collect())
    }

    #[test]
    fn groups_under_platform_headings_read_as_entries_of_that_platform() {
        // The shape of 金湖's jh-weibo.ftl: a heading per platform, dl blocks with the name in
        // img alt/title and in dd>span, and button images in every block.
        let html = r#"<html><head><title>政务新媒体矩阵_金湖县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><img src="logo.png" alt="金湖县人民政府"></div>
<div class="color-green"><img src="green1.png">微博</div>
<div class="jddt"><dl class="jddt_list"><dt><img alt="金湖发布" title="金湖发布" src="a.png"></dt>
<dd><span>金湖发布</span><br><a href="https://weibo.com/jh"><img src="addgz.gif"></a></dd></dl>
<dl class="jddt_list"><dt><img alt="金湖公安" title="金湖公安" src="b.png"></dt><dd><span>金湖公安</span></dd></dl></div>
<h3 class="title">微信</h3>
<ul><li><img src="qr1.jpg"><p>金湖教育</p></li><li><img src="qr2.jpg"><p>扫一扫关注微信公众号</p></li></ul>
<div class="footer"><img src="conac.png" alt="党政机关"></div></body></html>"#;
        let got = read(html).expect("a matrix page");
        assert_eq!(
            got,
            [
                ("金湖发布".to_string(), Some(Platform::Weibo)),
                ("金湖公安".to_string(), Some(Platform::Weibo)),
                ("金湖教育".to_string(), Some(Platform::Wechat)),
            ]
        );
    }

    #[test]
    fn captions_name_their_platform_where_no_heading_does_and_unknown_stays_unknown() {
        // 大众网全媒体矩阵: captions only, some with a platform word, one without.
        let html = r#"<html><body><div id="layout31"><div class="title"><span>全媒体矩阵</span></div>
<ul><li><img src="c1.gif"><p>山东24小时</p></li><li><img src="c2.gif"><p>大众网官方微信</p></li>
<li><img src="c3.gif"><p>大众网官方微博</p></li></ul></div></body></html>"#;
        let got = read(html).expect("a matrix page by its heading");
        assert_eq!(
            got,
            [
                ("山东24小时".to_string(), None),
                ("大众网官方微信".to_string(), Some(Platform::Wechat)),
                ("大众网官方微博".to_string(), Some(Platform::Weibo)),
            ]
        );
    }

    #[test]
    fn a_page_that_only_links_to_the_matrix_is_not_one() {
        let html = r#"<html><head><title>首页</title></head><body><dl><dd><a href="/xmtjz/xmtjz.html">新媒体矩阵</a></dd></dl>
<ul><li><img src="x.png"><p>区政府召开常务会议</p></li></ul></body></html>"#;
        assert_eq!(read(html), None);
    }
}
