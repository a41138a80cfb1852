//! The footer marks every government site must show (网站标识码, ICP备案, 公安备案, 党政机关网站标识,
//! 主办单位, 联系方式, 找错入口), as found on a page.
//!
//! Footers differ from site to site (some put the marks in the header, some draw the badge with a
//! script), so the whole page is read: its visible text, its `<meta name="SiteIDCode">`, its links and
//! its scripts. The analyzer decides what is missing; this module only reports what is there.

use std::sync::LazyLock;

use regex::Regex;
use scraper::Html;
use url::Url;
use xunjian_model::observe::{Link, MarksSeen};

use super::dom::Scan;

use xunjian_model::observe::PROVINCE_ABBRS as PROVINCES;

static SITE_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"网站标识码\s*[：:]\s*([0-9A-Za-z]{10})(?:[^0-9A-Za-z]|$)").expect("valid regex")
});
/// An ICP number as shown, loosely: the province prefix and the 号 may be missing (the analyzer
/// judges the format; a malformed number is shown, not missing).
static ICP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:[{PROVINCES}]\s*)?(?i:icp)\s*[备证]\s*[：:]?\s*[0-9]{{3,}}\s*号?(?:\s*-\s*[0-9]+)?"
    ))
    .expect("valid regex")
});
/// A 公安备案 number as shown, loosely (as [`ICP`]).
static POLICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:[{PROVINCES}]\s*)?公网安备\s*[：:]?\s*[0-9]{{3,}}\s*号?"
    ))
    .expect("valid regex")
});
static SPONSOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"主办(?:单位)?\s*[：:]\s*(\S+)").expect("valid regex"));

/// Labels that may follow the sponsor's name with no space between.
const AFTER_SPONSOR: &[&str] = &[
    "承办",
    "协办",
    "联系",
    "地址",
    "电话",
    "网站标识码",
    "标识码",
    "ICP",
    "备案",
    "邮编",
    "技术支持",
    "运维",
    "版权",
    "建议使用",
    "|",
    "丨",
    "｜",
];

/// The marks seen on a page; `base` resolves the badge's link target.
pub fn find_marks(doc: &Html, scan: &Scan, links: &[Link], base: &Url) -> MarksSeen {
    let text = &scan.text;
    let site_code_meta = scan
        .meta("siteidcode")
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let site_code = text
        .contains("网站标识码")
        .then(|| SITE_CODE.captures(text).map(|c| c[1].to_string()))
        .flatten()
        .or_else(|| site_code_meta.clone());
    let icp = (text.contains('备') && (text.contains("ICP") || text.contains("icp")))
        .then(|| ICP.find(text))
        .flatten()
        .map(|m| m.as_str().chars().filter(|c| !c.is_whitespace()).collect());
    let police = text
        .contains("公网安备")
        .then(|| POLICE.find(text))
        .flatten()
        .map(|m| m.as_str().trim().to_string());

    let host_is = |target: &str, want: &str| {
        target.contains(want)
            && Url::parse(target)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .is_some_and(|h| h == want || h.ends_with(&format!(".{want}")))
    };
    let conac_link = links.iter().any(|l| host_is(&l.target, "conac.cn"))
        || scan
            .scripts
            .iter()
            .any(|s| s.contains("conac.cn") || s.contains("_ideConac"));
    let badge_image_target = badge_image_target(doc, base);
    let badge = conac_link || badge_image_target.is_some();
    let badge_target = if conac_link { None } else { badge_image_target };

    let sponsor = text
        .contains("主办")
        .then(|| SPONSOR.captures(text))
        .flatten()
        .and_then(|c| {
            let mut name = c[1].to_string();
            for label in AFTER_SPONSOR {
                if let Some(i) = name.find(label) {
                    name.truncate(i);
                }
            }
            let name = name
                .trim_end_matches(['，', ',', '。', '；', ';'])
                .to_string();
            (!name.is_empty()).then_some(name)
        });

    let mailto = doc.root_element().descendent_elements().any(|e| {
        e.value().name() == "a"
            && e.value()
                .attr("href")
                .is_some_and(|h| h.trim_start().to_ascii_lowercase().starts_with("mailto:"))
    });
    let contact = mailto
        || ["联系电话", "联系我们", "联系方式", "电子邮箱"]
            .iter()
            .any(|k| text.contains(k));

    let error_report = links.iter().any(|l| {
        host_is(&l.target, "zfwzzc.www.gov.cn")
            || l.anchor.contains("找错")
            || (l.element == xunjian_model::observe::LinkElement::Script
                && (l.target.contains("jiucuo") || host_is(&l.target, "zfwzgl.www.gov.cn")))
    }) || scan.scripts.iter().any(|s| s.contains("jiucuo.js"));

    MarksSeen {
        site_code,
        site_code_meta,
        icp,
        police,
        badge,
        badge_target,
        sponsor,
        contact,
        error_report,
    }
}

/// Where the first 党政机关 badge image (`conac`/`dzjg` in its source) links to: the enclosing
/// `<a href>` resolved against `base`, or `""` when the image is not a link.
fn badge_image_target(doc: &Html, base: &Url) -> Option<String> {
    let img = doc.root_element().descendent_elements().find(|e| {
        e.value().name() == "img"
            && e.value().attr("src").is_some_and(|s| {
                let s = s.to_ascii_lowercase();
                s.contains("conac") || s.contains("dzjg")
            })
    })?;
    let href = img
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .find(|a| a.value().name() == "a")
        .and_then(|a| a.value().attr("href"))
        .map(str::trim);
    Some(match href {
        Some(h) if !h.is_empty() => base
            .join(h)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| h.to_string()),
        _ => String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::links::{base_url, extract_links};

    fn marks(html: &str) -> MarksSeen {
        let doc = Html::parse_document(html);
        let scan = Scan::new(&doc);
        let page = Url::parse("http://www.laoshan.gov.cn/").unwrap();
        let base = base_url(&doc, &page);
        let links = extract_links(&doc, &page, &base);
        find_marks(&doc, &scan, &links, &base)
    }

    #[test]
    fn full_footer() {
        let html = r#"<html><head><meta name="SiteIDCode" content="3702120001"></head><body>
            <div class="footer">
            <p>主办单位：崂山区人民政府办公室　联系电话：0532-88991000</p>
            <p>网站标识码：3702120001　鲁ICP备05000000号-2　鲁公网安备 37021202000123号</p>
            <p><a href="https://bszs.conac.cn/sitename?method=show&amp;id=0A1B" target="_blank"><img src="/images/red.png" alt="党政机关"></a>
            <a href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=3702120001">我为政府网站找错</a></p>
            </div></body></html>"#;
        assert_eq!(
            marks(html),
            MarksSeen {
                site_code: Some("3702120001".into()),
                site_code_meta: Some("3702120001".into()),
                icp: Some("鲁ICP备05000000号-2".into()),
                police: Some("鲁公网安备 37021202000123号".into()),
                badge: true,
                sponsor: Some("崂山区人民政府办公室".into()),
                contact: true,
                error_report: true,
                ..MarksSeen::default()
            }
        );
    }

    #[test]
    fn text_only_site_code_run_together_sponsor_and_script_badges() {
        let html = r#"<body><div id="bottom">主办：某市发展和改革委员会承办：某市信息中心<br>
            网站标识码: bm07000001 <a href="mailto:fgw@x.gov.cn">信箱</a> 京ICP备 12345678号</div>
            <script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710001.js' type='text/javascript'%3E%3C/script%3E"));</script>
            <script id="_jiucuo_" sitecode="bm07000001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script></body>"#;
        assert_eq!(
            marks(html),
            MarksSeen {
                site_code: Some("bm07000001".into()),
                icp: Some("京ICP备12345678号".into()),
                police: None,
                badge: true,
                sponsor: Some("某市发展和改革委员会".into()),
                contact: true,
                error_report: true,
                ..MarksSeen::default()
            }
        );
    }

    #[test]
    fn badge_image_on_a_local_path_and_nothing_else() {
        let html = r#"<body><div class="footer"><a href="http://127.0.0.1:9/bszs.conac.cn/sitename?id=1">
            <img src="/images/conac/dzjg.png" alt="党政机关"></a><p>版权所有</p></div></body>"#;
        assert_eq!(
            marks(html),
            MarksSeen {
                badge: true,
                badge_target: Some("http://127.0.0.1:9/bszs.conac.cn/sitename?id=1".into()),
                ..MarksSeen::default()
            }
        );
    }

    #[test]
    fn badge_image_linked_elsewhere_or_not_at_all() {
        let home = r#"<body><a href="index.html"><img src="/images/dzjg.png"></a></body>"#;
        assert_eq!(
            marks(home).badge_target.as_deref(),
            Some("http://www.laoshan.gov.cn/index.html")
        );
        let bare = r#"<body><img src="/images/conac_red.png"></body>"#;
        assert_eq!(marks(bare).badge_target.as_deref(), Some(""));
        let linked = r#"<body><a href="https://bszs.conac.cn/sitename?id=1"><img src="/i/dzjg.png"></a></body>"#;
        assert_eq!(marks(linked).badge_target, None);
        assert!(marks(linked).badge);
    }

    #[test]
    fn malformed_numbers_are_shown_not_missing() {
        let html = "<body><p>ICP备案号：ICP备05000000号</p><p>公网安备：3702120200012号</p></body>";
        let m = marks(html);
        assert_eq!(m.icp.as_deref(), Some("ICP备05000000号"));
        assert_eq!(m.police.as_deref(), Some("公网安备：3702120200012号"));
    }

    #[test]
    fn nothing_on_a_bare_page() {
        let html = "<body><p>网站标识码：123</p><p>ICP备案</p><p>公网安备</p><a href=\"/zc.html\">纠错</a></body>";
        assert_eq!(marks(html), MarksSeen::default());
    }
}
