//! Decoding a page body to text.
//!
//! Chinese government sites still serve `GB2312`/`GBK` pages, and a crawler that decodes everything as
//! UTF-8 silently turns their titles and dates into replacement characters. The charset is taken, in
//! order, from: a byte-order mark (unambiguous, and what browsers obey first), the `Content-Type`
//! header's `charset=`, a `<meta charset>` / `<meta http-equiv content="…charset=…">` in the first
//! 4 KB, and finally the `chardetng` detector (told the page is from a `.cn` site). A header that says
//! UTF-8 over a body that is not valid UTF-8 is a common server misconfiguration; it is then ignored
//! in favour of the page's own `<meta>` or the detector.
//!
//! `gb2312`, `gbk` and `x-gbk` all map to encoding_rs's GBK decoder, which decodes the whole of
//! GB18030, so pages labelled GB2312 that use GBK-only characters (common in names) decode correctly.

use std::sync::LazyLock;

use encoding_rs::Encoding;
use regex::bytes::Regex;

/// How many leading bytes are searched for a `<meta>` charset.
const META_SCAN: usize = 4096;

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_\-.:]+)"#).expect("valid regex")
});

/// Decode `body` to text. Returns the text and the name of the encoding used, lowercase
/// (`"utf-8"`, `"gbk"`, `"gb18030"`, `"big5"`…).
pub fn decode(body: &[u8], content_type: Option<&str>) -> (String, &'static str) {
    let (encoding, skip) = sniff(body, content_type);
    let (text, _) = encoding.decode_without_bom_handling(&body[skip..]);
    (text.into_owned(), name(encoding))
}

/// The encoding of `body` and the length of its byte-order mark (0 when none).
pub fn sniff(body: &[u8], content_type: Option<&str>) -> (&'static Encoding, usize) {
    if let Some((enc, bom)) = Encoding::for_bom(body) {
        return (enc, bom);
    }
    if let Some(enc) = content_type.and_then(header_charset) {
        let lying_utf8 = enc == encoding_rs::UTF_8 && std::str::from_utf8(body).is_err();
        if !lying_utf8 {
            return (enc, 0);
        }
    }
    if let Some(enc) = meta_charset(body) {
        return (enc, 0);
    }
    if std::str::from_utf8(body).is_ok() {
        return (encoding_rs::UTF_8, 0);
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(body, true);
    (detector.guess(Some(b"cn"), true), 0)
}

/// The encoding named by a `Content-Type` value's `charset=` parameter, if known.
pub fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        label(v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The encoding declared by a `<meta>` in the first 4 KB of `body`, if known. A declared UTF-16
/// means UTF-8 (the declaration could not have been read otherwise), as browsers do.
pub fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(META_SCAN)];
    META_CHARSET.captures_iter(head).find_map(|c| {
        let enc = Encoding::for_label(c.get(1)?.as_bytes())?;
        Some(
            if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                enc
            },
        )
    })
}

/// The encoding for a label (`gb2312`, `GBK`, `utf8`…), per the WHATWG label table.
fn label(l: &str) -> Option<&'static Encoding> {
    Encoding::for_label(l.as_bytes())
}

/// The lowercase name of an encoding, as recorded in `FetchRecord::charset`.
pub fn name(enc: &'static Encoding) -> &'static str {
    match enc.name() {
        "UTF-8" => "utf-8",
        "GBK" => "gbk",
        "gb18030" => "gb18030",
        "Big5" => "big5",
        "EUC-JP" => "euc-jp",
        "EUC-KR" => "euc-kr",
        "Shift_JIS" => "shift_jis",
        "ISO-2022-JP" => "iso-2022-jp",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        "IBM866" => "ibm866",
        "KOI8-R" => "koi8-r",
        "KOI8-U" => "koi8-u",
        "ISO-8859-2" => "iso-8859-2",
        "ISO-8859-3" => "iso-8859-3",
        "ISO-8859-4" => "iso-8859-4",
        "ISO-8859-5" => "iso-8859-5",
        "ISO-8859-6" => "iso-8859-6",
        "ISO-8859-7" => "iso-8859-7",
        "ISO-8859-8" => "iso-8859-8",
        "ISO-8859-8-I" => "iso-8859-8-i",
        "ISO-8859-10" => "iso-8859-10",
        "ISO-8859-13" => "iso-8859-13",
        "ISO-8859-14" => "iso-8859-14",
        "ISO-8859-15" => "iso-8859-15",
        "ISO-8859-16" => "iso-8859-16",
        // The rest of encoding_rs's names are lowercase already (windows-125x, macintosh…).
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head>{META}<title>通知公告-青岛市崂山区人民政府</title></head><body>\
        <ul class=\"list\"><li><a href=\"./202506/t20250610_1.html\">关于开展安全生产专项检查工作的通知</a>\
        <span class=\"time\">2025-06-10</span></li><li><a href=\"./202506/t20250605_2.html\">\
        崂山区召开防汛抗旱工作推进会议部署下一阶段重点任务</a><span class=\"time\">2025-06-05</span></li></ul>\
        <div class=\"footer\">主办单位：崂山区人民政府办公室 网站标识码：3702120001</div></body></html>";

    fn gbk(html: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(html).0.into_owned()
    }

    #[test]
    fn gbk_with_meta_http_equiv() {
        let html = PAGE.replace(
            "{META}",
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#,
        );
        let (text, enc) = decode(&gbk(&html), None);
        assert_eq!(enc, "gbk");
        assert_eq!(text, html);
    }

    #[test]
    fn gbk_with_meta_charset_gb18030() {
        let html = PAGE.replace("{META}", r#"<meta charset="GB18030">"#);
        let (text, enc) = decode(&gbk(&html), None);
        assert_eq!(enc, "gb18030");
        assert_eq!(text, html);
    }

    #[test]
    fn gbk_without_meta_is_detected() {
        let html = PAGE.replace("{META}", "");
        let (text, enc) = decode(&gbk(&html), Some("text/html"));
        assert_eq!(enc, "gbk");
        assert_eq!(text, html);
    }

    #[test]
    fn header_wins_over_meta() {
        let html = PAGE.replace("{META}", r#"<meta charset="utf-8">"#);
        let (text, enc) = decode(&gbk(&html), Some("text/html; charset=GBK"));
        assert_eq!(enc, "gbk");
        assert_eq!(text, html);
    }

    #[test]
    fn header_utf8_over_gbk_bytes_falls_back_to_meta() {
        let html = PAGE.replace("{META}", r#"<meta charset="gbk">"#);
        let (text, enc) = decode(&gbk(&html), Some("text/html;charset=\"UTF-8\""));
        assert_eq!(enc, "gbk");
        assert_eq!(text, html);
    }

    #[test]
    fn bom_is_removed_and_wins() {
        let html = PAGE.replace("{META}", "");
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend_from_slice(html.as_bytes());
        let (text, enc) = decode(&body, Some("text/html; charset=gbk"));
        assert_eq!(enc, "utf-8");
        assert_eq!(text, html);
    }

    #[test]
    fn utf8_without_any_label() {
        let html = PAGE.replace("{META}", "");
        let (text, enc) = decode(html.as_bytes(), None);
        assert_eq!(enc, "utf-8");
        assert_eq!(text, html);
    }

    #[test]
    fn meta_beyond_4k_is_not_read() {
        let html = format!(
            "<html><head><!-- {} --><meta charset=\"big5\"></head><body>hello</body></html>",
            "x".repeat(5000)
        );
        let (_, enc) = decode(html.as_bytes(), None);
        assert_eq!(enc, "utf-8");
    }

    #[test]
    fn header_labels() {
        assert_eq!(
            header_charset("text/html; charset=x-gbk").map(name),
            Some("gbk")
        );
        assert_eq!(
            header_charset("text/html; Charset='UTF-8'").map(name),
            Some("utf-8")
        );
        assert_eq!(header_charset("text/html").map(name), None);
        assert_eq!(header_charset("text/html; charset=bogus").map(name), None);
    }
}
