//! Content problems in a page: personal numbers shown in full (个人隐私未去标识化), known wrong variants
//! of canonical formulations (严重表述错误), outside links hidden by inline CSS (暗链) and outside links
//! whose anchors name gambling or adult content.
//!
//! Precision comes first: a false finding sends a department chasing nothing. Numbers must be
//! well-formed (an ID's birth date and check digit, a card's Luhn digit and a nearby 卡号 keyword),
//! numbers glued to other digits, letters, `*` or URL punctuation are ignored, and published
//! contact numbers (联系电话：…) are not leaks. Only masked numbers are kept.

use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::Html;
use url::Url;
use xunjian_model::observe::{
    BadLink, ContentFacts, HiddenLink, PrivacyHit, PrivacyKind, WordingHit,
};

use super::dom::{self, Ev, Scan};
use super::links;

/// The data file: canonical formulations and outside-link keywords.
const WORDING_TOML: &str = include_str!("../../../seeds/content/wording.toml");

/// One canonical formulation and its known wrong variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// The canonical text.
    pub correct: String,
    /// Its known wrong variants.
    pub wrong: Vec<String>,
}

/// The parsed data file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wording {
    /// Canonical formulations.
    pub phrases: Vec<Phrase>,
    /// Gambling/adult keywords for outside link anchors.
    pub keywords: Vec<String>,
    /// Anchor words that make a keyword harmless (举报, 扫黄打非…).
    pub exempt: Vec<String>,
}

/// The embedded data file, parsed once.
pub static WORDING: LazyLock<Wording> =
    LazyLock::new(|| parse_wording(WORDING_TOML).expect("seeds/content/wording.toml parses"));

/// Parse the small TOML subset of `wording.toml`: `[[phrase]]` and `[outside_link]` tables whose
/// values are strings or one-line arrays of strings.
pub fn parse_wording(src: &str) -> Result<Wording, String> {
    let mut w = Wording::default();
    let mut table = "";
    for (n, raw) in src.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "[[phrase]]" {
            table = "phrase";
            w.phrases.push(Phrase {
                correct: String::new(),
                wrong: vec![],
            });
            continue;
        }
        if line == "[outside_link]" {
            table = "outside_link";
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected `key = value`", n + 1))?;
        let strings =
            parse_strings(value.trim()).ok_or_else(|| format!("line {}: bad value", n + 1))?;
        match (table, key.trim()) {
            ("phrase", "correct") => {
                let p = w.phrases.last_mut().ok_or("no phrase")?;
                p.correct = strings.into_iter().next().unwrap_or_default();
            }
            ("phrase", "wrong") => w.phrases.last_mut().ok_or("no phrase")?.wrong = strings,
            ("outside_link", "keywords") => w.keywords = strings,
            ("outside_link", "exempt") => w.exempt = strings,
            (t, k) => return Err(format!("line {}: unknown key `{k}` in `{t}`", n + 1)),
        }
    }
    if w.phrases
        .iter()
        .any(|p| p.correct.is_empty() || p.wrong.is_empty())
    {
        return Err("a phrase lacks `correct` or `wrong`".into());
    }
    Ok(w)
}

/// `"a"` or `["a", "b"]` (no escapes; a comment may follow).
fn parse_strings(value: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let inner = if let Some(rest) = value.strip_prefix('[') {
        &rest[..rest.rfind(']')?]
    } else {
        value
    };
    let mut rest = inner.trim();
    while !rest.is_empty() {
        let body = rest.strip_prefix('"')?;
        let end = body.find('"')?;
        out.push(body[..end].to_string());
        rest = body[end + 1..].trim_start();
        rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        if rest.starts_with('#') {
            break;
        }
    }
    Some(out)
}

/// Everything this module finds in one page.
pub fn find_content(doc: &Html, scan: &Scan, page: &Url, base: &Url) -> ContentFacts {
    let mut c = ContentFacts {
        privacy: privacy_hits(&scan.text),
        wording: wording_hits(&scan.text, &WORDING),
        ..Default::default()
    };
    let (hidden, bad) = link_hits(doc, page, base, &WORDING);
    c.hidden_links = hidden;
    c.bad_links = bad;
    c
}

// ---------------------------------------------------------------------------------------------
// Privacy.

/// Words before a number that make it a published contact (a unit's or an official's), not a leak.
const CONTACT_WORDS: &[&str] = &[
    "联系",
    "咨询",
    "监督",
    "举报",
    "投诉",
    "热线",
    "值班",
    "办公",
    "服务电话",
    "传真",
    "客服",
];
/// Words near a long number that make it a bank card.
const CARD_WORDS: &[&str] = &["银行卡", "卡号", "账号", "帐号"];
/// Words that make a card-like number a unit's public account (收款账号), not a person's card.
const PUBLIC_ACCOUNT_WORDS: &[&str] = &["收款", "对公", "缴款", "汇款", "户名", "开户行"];

/// Characters that glue a digit run to something longer (a URL, a document number, a masked value).
fn glues(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '*' | '/' | '=' | '_' | '-' | '.' | '&' | '?' | '%' | '#' | '+' | '@' | '×'
        )
        || c.is_numeric()
}

/// The personal numbers shown in full in `text`, masked, deduplicated, in page order.
pub fn privacy_hits(text: &str) -> Vec<PrivacyHit> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<PrivacyHit> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        if end - start == 17 && end < chars.len() && matches!(chars[end], 'X' | 'x') {
            end += 1;
            i = end;
        }
        let before = start.checked_sub(1).map(|p| chars[p]);
        let after = chars.get(end).copied();
        // A full stop ends a sentence unless a file name or host goes on after it.
        let after_glues = match after {
            Some('.') => chars
                .get(end + 1)
                .is_some_and(|c| c.is_ascii_alphanumeric()),
            Some(c) => glues(c),
            None => false,
        };
        if before.is_some_and(glues) || after_glues {
            continue;
        }
        let run: String = chars[start..end].iter().collect();
        let prefix: String = chars[start.saturating_sub(20)..start].iter().collect();
        let hit = if run.len() == 18 && valid_id(&run) {
            Some((PrivacyKind::IdCard, mask(&run, 4, 4)))
        } else if run.len() == 11
            && is_mobile(&run)
            && !CONTACT_WORDS.iter().any(|w| prefix.contains(w))
        {
            Some((PrivacyKind::Mobile, mask(&run, 3, 4)))
        } else if (16..=19).contains(&run.len())
            && !run.starts_with('0')
            && luhn(&run)
            && CARD_WORDS.iter().any(|w| prefix.contains(w))
            && !PUBLIC_ACCOUNT_WORDS.iter().any(|w| prefix.contains(w))
        {
            Some((PrivacyKind::BankCard, mask(&run, 4, 4)))
        } else {
            None
        };
        if let Some((kind, masked)) = hit {
            let context = format!(
                "{}{masked}{}",
                mask_numbers(&chars[start.saturating_sub(10)..start]),
                mask_numbers(&chars[end..(end + 10).min(chars.len())])
            );
            let h = PrivacyHit {
                kind,
                masked,
                context: dom::collapse(&context),
            };
            if !out.contains(&h) {
                out.push(h);
            }
        }
    }
    out
}

/// Whether an 18-character run is a mainland resident ID: a province code, a real birth date and
/// the ISO 7064 MOD 11-2 check character.
pub fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let province: u32 = id[..2].parse().unwrap_or(0);
    let provinces = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 91,
    ];
    if !provinces.contains(&province) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        id[6..10].parse::<i32>(),
        id[10..12].parse::<u32>(),
        id[12..14].parse::<u32>(),
    ) else {
        return false;
    };
    if !(1900..=2100).contains(&y) || NaiveDate::from_ymd_opt(y, m, d).is_none() {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize];
    b[17].to_ascii_uppercase() == check
}

/// Whether 11 digits are a mainland mobile number (`1[3-9]` and nine more).
fn is_mobile(run: &str) -> bool {
    let b = run.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// The Luhn check.
pub fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = u32::from(c - b'0');
            if !i.is_multiple_of(2) {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Keep `head` and `tail` characters, star the rest.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}

/// Star every digit of a run of four or more digits (so no other number survives in a context).
fn mask_numbers(chars: &[char]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let s = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i - s >= 4 {
                out.extend(std::iter::repeat_n('*', i - s));
            } else {
                out.extend(&chars[s..i]);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Wording.

/// Every wrong variant in `text` that is not part of a correct formulation, deduplicated.
pub fn wording_hits(text: &str, w: &Wording) -> Vec<WordingHit> {
    let mut out: Vec<WordingHit> = Vec::new();
    for p in &w.phrases {
        for wrong in &p.wrong {
            for (at, _) in text.match_indices(wrong.as_str()) {
                let end = at + wrong.len();
                let inside_correct = w.phrases.iter().any(|q| {
                    text.match_indices(q.correct.as_str())
                        .any(|(s, m)| s <= at && end <= s + m.len())
                });
                if inside_correct {
                    continue;
                }
                let before: String = {
                    let v: Vec<char> = text[..at].chars().rev().take(10).collect();
                    v.into_iter().rev().collect()
                };
                let after: String = text[end..].chars().take(10).collect();
                let h = WordingHit {
                    wrong: wrong.clone(),
                    correct: p.correct.clone(),
                    context: dom::collapse(&format!("{before}{wrong}{after}")),
                };
                if !out.iter().any(|o| o.wrong == h.wrong) {
                    out.push(h);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Links.

/// The registrable part of a host: the last three labels under `gov.cn`, `com.cn`… else the last two.
fn site_key(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').collect();
    let second_level = ["gov", "com", "net", "org", "edu", "ac"];
    let take = if labels.len() >= 3
        && labels[labels.len() - 1].len() == 2
        && second_level.contains(&labels[labels.len() - 2])
    {
        3
    } else {
        2
    };
    labels[labels.len().saturating_sub(take)..].join(".")
}

/// Whether `target` is on another domain than `page`.
fn is_outside(page: &Url, target: &Url) -> bool {
    if !matches!(target.scheme(), "http" | "https") {
        return false;
    }
    match (page.host_str(), target.host_str()) {
        (Some(p), Some(t)) => site_key(p) != site_key(t),
        _ => false,
    }
}

/// Government hosts: a hidden menu of links to them is navigation, not a 暗链.
fn is_government(target: &Url) -> bool {
    target.host_str().is_some_and(|h| {
        let h = h.to_ascii_lowercase();
        h.ends_with(".gov.cn") || h == "gov.cn" || h.ends_with(".gov")
    })
}

/// Id/class words of blocks that scripts show on demand (menus, tabs, pop-ups): their
/// `display:none` is not a trick.
const TOGGLED_WORDS: &[&str] = &[
    "nav", "menu", "tab", "sub", "drop", "yqlj", "friend", "more", "pop", "modal", "layer", "tip",
    "slide", "banner", "qrcode", "ewm",
];

/// How an inline style hides an element, if it does.
pub fn hidden_by(style: &str, toggled: bool) -> Option<String> {
    let mut props: Vec<(String, String)> = Vec::new();
    for decl in style.split(';') {
        if let Some((k, v)) = decl.split_once(':') {
            let v: String = v
                .to_ascii_lowercase()
                .replace("!important", "")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            props.push((k.trim().to_ascii_lowercase(), v));
        }
    }
    let get = |k: &str| {
        props
            .iter()
            .rev()
            .find(|(pk, _)| pk == k)
            .map(|(_, v)| v.as_str())
    };
    let zero = |v: &str| {
        let n = v.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
        n.parse::<f64>().is_ok_and(|x| x == 0.0)
    };
    let far = |v: &str| {
        v.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .parse::<f64>()
            .is_ok_and(|x| x <= -500.0)
    };
    if get("display") == Some("none") && !toggled {
        return Some("display:none".into());
    }
    if get("visibility") == Some("hidden") && !toggled {
        return Some("visibility:hidden".into());
    }
    if matches!(get("position"), Some("absolute" | "fixed")) {
        for side in ["left", "top"] {
            if let Some(v) = get(side).filter(|v| far(v)) {
                return Some(format!("position:absolute;{side}:{v}"));
            }
        }
    }
    if get("font-size").is_some_and(zero) {
        return Some("font-size:0".into());
    }
    if get("overflow") == Some("hidden") {
        for dim in ["height", "width"] {
            if get(dim).is_some_and(zero) {
                return Some(format!("{dim}:0;overflow:hidden"));
            }
        }
    }
    None
}

/// The hidden outside links and the outside links with a bad keyword in their anchor.
pub fn link_hits(
    doc: &Html,
    page: &Url,
    base: &Url,
    w: &Wording,
) -> (Vec<HiddenLink>, Vec<BadLink>) {
    let mut hidden: Vec<HiddenLink> = Vec::new();
    let mut bad: Vec<BadLink> = Vec::new();
    // The reasons of the hidden ancestors, with the element that hides.
    let mut stack: Vec<(scraper::ElementRef<'_>, String)> = Vec::new();
    dom::walk(doc.root_element(), |ev| {
        match ev {
            Ev::Open(el) => {
                let e = el.value();
                if dom::is_hidden_tag(e.name()) {
                    return false;
                }
                if let Some(style) = e.attr("style") {
                    let toggled =
                        dom::id_and_classes(e).any(|t| TOGGLED_WORDS.iter().any(|w| t.contains(w)));
                    if let Some(how) = hidden_by(style, toggled) {
                        stack.push((el, how));
                    }
                }
                if matches!(e.name(), "a" | "area") {
                    let Some(target) = e.attr("href").and_then(|h| links::resolve(base, h)) else {
                        return true;
                    };
                    if !is_outside(page, &target) {
                        return true;
                    }
                    let anchor = format!(
                        "{} {}",
                        links::anchor_text(el),
                        e.attr("title").unwrap_or_default()
                    );
                    let target_s = target.to_string();
                    if let Some((_, how)) = stack.last() {
                        if !is_government(&target) && !hidden.iter().any(|h| h.target == target_s) {
                            hidden.push(HiddenLink {
                                target: target_s.clone(),
                                how: how.clone(),
                            });
                        }
                    }
                    if !w.exempt.iter().any(|x| anchor.contains(x.as_str())) {
                        if let Some(k) = w.keywords.iter().find(|k| anchor.contains(k.as_str())) {
                            if !bad.iter().any(|b| b.target == target_s) {
                                bad.push(BadLink {
                                    target: target_s,
                                    keyword: k.clone(),
                                });
                            }
                        }
                    }
                }
            }
            Ev::Close(el) => {
                if stack.last().is_some_and(|(h, _)| *h == el) {
                    stack.pop();
                }
            }
            Ev::Text(_) => {}
        }
        true
    });
    (hidden, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("http://www.laoshan.gov.cn/zwgk/a.html").unwrap()
    }

    fn content(html: &str) -> ContentFacts {
        let doc = Html::parse_document(html);
        let scan = Scan::new(&doc);
        let base = links::base_url(&doc, &page());
        find_content(&doc, &scan, &page(), &base)
    }

    /// A valid ID: 11010519491231002X (the textbook example).
    const ID: &str = "11010519491231002X";

    #[test]
    fn data_file_parses_and_variants_never_occur_in_correct_text() {
        let w = &*WORDING;
        assert!(w.phrases.len() >= 12);
        assert!(w.keywords.iter().any(|k| k == "博彩"));
        for p in &w.phrases {
            for wrong in &p.wrong {
                assert_ne!(wrong, &p.correct);
                for q in &w.phrases {
                    assert!(
                        !q.correct.contains(wrong.as_str()),
                        "{wrong} in {}",
                        q.correct
                    );
                }
            }
        }
        assert!(parse_wording("[[phrase]]\ncorrect = \"a\"\n").is_err());
        assert!(parse_wording("[x]\nfoo = 1\n").is_err());
    }

    #[test]
    fn id_check_digit_birth_date_and_region() {
        assert!(valid_id(ID));
        assert!(valid_id("11010519491231002x"));
        assert!(!valid_id("110105194912310021"), "wrong check digit");
        assert!(!valid_id("110105194913310028"), "month 13");
        assert!(!valid_id("990105194912310021"), "no such province");
        assert!(luhn("4111111111111111"));
        assert!(!luhn("4111111111111112"));
    }

    #[test]
    fn full_id_mobile_and_card_are_leaks_and_only_masked_values_are_kept() {
        let text = format!(
            "补贴发放名单：张三，身份证号{ID}，手机13812345678，银行卡号6222020200001234562，已发放。"
        );
        assert!(luhn("6222020200001234562"));
        let hits = privacy_hits(&text);
        let got: Vec<(PrivacyKind, &str)> =
            hits.iter().map(|h| (h.kind, h.masked.as_str())).collect();
        assert_eq!(
            got,
            [
                (PrivacyKind::IdCard, "1101**********002X"),
                (PrivacyKind::Mobile, "138****5678"),
                (PrivacyKind::BankCard, "6222***********4562"),
            ]
        );
        for h in &hits {
            assert!(!h.context.contains(ID) && !h.context.contains("13812345678"));
            assert!(!h.context.contains("6222020200001234562"));
            assert!(h.context.chars().count() <= 40, "{}", h.context);
        }
    }

    #[test]
    fn masked_invalid_glued_and_contact_numbers_are_not_leaks() {
        let texts = [
            // Already masked.
            "身份证号370212********1234，手机138****5678".to_string(),
            // Invalid check digit.
            "身份证号110105194912310021".to_string(),
            // Inside a URL and a document number.
            format!(
                "详见 http://x.gov.cn/t20250610_{ID}.html 与 http://x.gov.cn/a?tel=13812345678"
            ),
            "文号：青崂政发〔2025〕13812345678-1号，索引号 11370212MB13812345678X".to_string(),
            // Longer digit runs and area codes.
            "流水号 1381234567890123，电话0532-13812345678".to_string(),
            // A published contact.
            "联系人：王科长，联系电话：13812345678".to_string(),
            // A card number without a card keyword, and a unit's public account.
            "编号6222020200001234562".to_string(),
            "收款账号：6222020200001234562".to_string(),
        ];
        for t in &texts {
            assert_eq!(privacy_hits(t), vec![], "{t}");
        }
    }

    #[test]
    fn wording_errors_found_and_correct_text_ignored() {
        let c = content(
            "<html><body><p>深入学习贯彻党的二十达精神，坚持中国特色社会注意道路。</p>\
             <p>党的二十达精神</p></body></html>",
        );
        let got: Vec<(&str, &str)> = c
            .wording
            .iter()
            .map(|h| (h.wrong.as_str(), h.correct.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("中国特色社会注意", "中国特色社会主义"),
                ("党的二十达", "党的二十大")
            ]
        );
        assert!(c.wording[1].context.contains("学习贯彻党的二十达精神"));
        let ok = content(
            "<html><body><p>以习近平新时代中国特色社会主义思想为指导，学习贯彻党的二十大和二十届三中全会精神，\
             发展全过程人民民主。</p></body></html>",
        );
        assert!(ok.is_empty(), "{ok:?}");
    }

    #[test]
    fn hidden_outside_links_are_found() {
        let c = content(
            r#"<html><body><div style="display: none"><a href="http://bet.example.com/">体育新闻</a></div>
            <div style="position:absolute; left:-9999px"><a href="https://x.example.net/">链接</a></div>
            <p style="font-size:0px"><a href="http://y.example.org/">y</a></p>
            <div style="height:0;overflow:hidden"><a href="http://z.example.cc/">z</a></div>
            <span style="visibility:hidden"><a href="http://w.example.com/">w</a></span></body></html>"#,
        );
        let got: Vec<(&str, &str)> = c
            .hidden_links
            .iter()
            .map(|h| (h.target.as_str(), h.how.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("http://bet.example.com/", "display:none"),
                ("https://x.example.net/", "position:absolute;left:-9999px"),
                ("http://y.example.org/", "font-size:0"),
                ("http://z.example.cc/", "height:0;overflow:hidden"),
                ("http://w.example.com/", "visibility:hidden"),
            ]
        );
        assert!(c.bad_links.is_empty());
    }

    #[test]
    fn hidden_inside_links_visible_outside_links_and_menus_are_not_hidden_links() {
        let c = content(
            r#"<html><body><div style="display:none"><a href="/zwgk/b.html">内部</a>
            <a href="http://news.laoshan.gov.cn/c.html">子站</a><a href="http://www.qingdao.gov.cn/">青岛市政府</a></div>
            <div class="submenu" style="display:none"><a href="http://www.people.com.cn/">人民网</a></div>
            <div style="position:absolute;left:-20px"><a href="http://www.xinhuanet.com/">新华网</a></div>
            <p><a href="http://www.example.com/">外部网站</a></p></body></html>"#,
        );
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn bad_keywords_on_outside_links_only() {
        let c = content(
            r#"<html><body><a href="http://aa.example.com/">澳门百家乐在线</a>
            <div style="display:none"><a href="http://bb.example.com/">博彩</a></div>
            <a href="/x.html">博彩危害宣传</a>
            <a href="http://www.12377.cn/">色情信息举报</a>
            <a href="http://www.cwl.gov.cn/">中国福利彩票网</a></body></html>"#,
        );
        let got: Vec<(&str, &str)> = c
            .bad_links
            .iter()
            .map(|b| (b.target.as_str(), b.keyword.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("http://aa.example.com/", "百家乐"),
                ("http://bb.example.com/", "博彩")
            ]
        );
        assert_eq!(c.hidden_links.len(), 1);
    }

    #[test]
    fn site_keys() {
        assert_eq!(site_key("www.laoshan.gov.cn"), "laoshan.gov.cn");
        assert_eq!(site_key("a.b.example.com"), "example.com");
        assert_eq!(site_key("localhost"), "localhost");
    }
}
