//! Lists loaded by script from a data endpoint the page names: the Hanweb/jpaas `jpage` proxy
//! (`/module/web/jpage/dataproxy.jsp?…columnid=&unitid=&webid=`, answering a `<datastore>` of
//! `<record><![CDATA[<li>…]]>` rows) and JSON APIs called with a literal URL (`$.ajax({url: "…"})`,
//! `$.getJSON("…")`, `fetch("…")`, `axios.get("…")`).
//!
//! A page whose list needs a browser names its endpoints in [`endpoints`]; the crawler fetches them
//! like pages, and [`json_items`] (or the recordset reader of [`super::list`]) reads their answers.
//! An endpoint whose address is computed at run time (`base + "/list.json"`) is not guessed: the
//! page stays "needs rendering". An answer with no rows is not evidence of an empty column (an
//! expired token or an anti-crawler answer looks the same), so it never makes one.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate};
use regex::Regex;
use serde_json::Value;
use url::Url;
use xunjian_model::observe::{DateSource, ListItem};

use super::dates::{date_in_url, find_date};
use super::dom::Scan;
use super::links::resolve;

/// How many newest records xunjian asks the jpage proxy for (page 0 of a column is what the
/// update rules need).
const JPAGE_RECORDS: u32 = 45;

/// A literal URL handed to a data-loading call.
static CALL_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:\burl\s*:\s*|\$\.getJSON\(\s*|\$\.get\(\s*|\$\.post\(\s*|\bfetch\(\s*|axios\.(?:get|post)\(\s*)["']([^"'\s]+)["']\s*[,)}]"#,
    )
    .expect("valid regex")
});
static COLUMN_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"columnid["']?\s*[:=]\s*["']?(\d+)"#).expect("valid regex"));
static UNIT_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"unitid["']?\s*[:=]\s*["']?(\d+)"#).expect("valid regex"));
static WEB_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"webid["']?\s*[:=]\s*["']?(\d+)"#).expect("valid regex"));

/// Path endings of what a data call may load but is not a list (scripts, styles, templates).
const NOT_DATA: &[&str] = &[
    ".js", ".css", ".html", ".htm", ".shtml", ".png", ".jpg", ".gif",
];

/// The data endpoints the page's inline scripts load its list from, resolved against `base`.
pub fn endpoints(scan: &Scan, base: &Url) -> Vec<Url> {
    let mut out: Vec<Url> = Vec::new();
    let mut add = |u: Url| {
        if !out.contains(&u) {
            out.push(u);
        }
    };
    if let Some(u) = jpage_endpoint(scan, base) {
        add(u);
    }
    for script in &scan.scripts {
        for c in CALL_URL.captures_iter(script) {
            let raw = &c[1];
            let path = raw
                .split(['?', '#'])
                .next()
                .unwrap_or(raw)
                .to_ascii_lowercase();
            if raw.contains("dataproxy.jsp") || NOT_DATA.iter().any(|e| path.ends_with(e)) {
                continue;
            }
            if let Some(u) = resolve(base, raw) {
                add(u);
            }
        }
    }
    out
}

/// The jpage proxy address of a page whose script configures a jpage list (`dataproxy.jsp` with
/// its `columnid`, `unitid` and `webid`): such a page's list is loaded, not written.
pub fn jpage_endpoint(scan: &Scan, base: &Url) -> Option<Url> {
    scan.scripts
        .iter()
        .filter(|s| s.contains("dataproxy.jsp"))
        .find_map(|script| {
            let id = |re: &Regex| re.captures(script).map(|c| c[1].to_string());
            let (c, u, w) = (id(&COLUMN_ID)?, id(&UNIT_ID)?, id(&WEB_ID)?);
            resolve(
                base,
                &format!(
                    "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord={JPAGE_RECORDS}&perpage={JPAGE_RECORDS}&columnid={c}&unitid={u}&webid={w}"
                ),
            )
        })
}

/// Keys that name a row's title, link and date in the JSON lists of gov CMSs.
const TITLE_KEYS: &[&str] = &[
    "title",
    "name",
    "biaoti",
    "subject",
    "articletitle",
    "doctitle",
];
const URL_KEYS: &[&str] = &["url", "link", "href", "docurl", "linkurl", "path", "puburl"];
const DATE_KEYS: &[&str] = &[
    "date",
    "pubdate",
    "publishdate",
    "publish_time",
    "publishtime",
    "pubtime",
    "releasedate",
    "docreltime",
    "fbrq",
    "time",
    "createtime",
    "create_time",
];

/// The rows of a JSON list answer: the first array of objects (depth first) whose objects carry a
/// title and a link. `None` when the body is not JSON or holds no such array.
pub fn json_items(body: &str, base: &Url, reference: NaiveDate) -> Option<Vec<ListItem>> {
    let v: Value = serde_json::from_str(body.trim_start_matches('\u{feff}')).ok()?;
    let rows = find_rows(&v)?;
    let mut items = Vec::new();
    for row in rows {
        let Some(obj) = row.as_object() else { continue };
        let get = |keys: &[&str]| {
            obj.iter()
                .find(|(k, _)| keys.contains(&k.to_ascii_lowercase().as_str()))
                .map(|(_, v)| v)
        };
        let (Some(title), Some(link)) = (
            get(TITLE_KEYS).and_then(Value::as_str),
            get(URL_KEYS).and_then(Value::as_str),
        ) else {
            continue;
        };
        let Some(url) = resolve(base, link) else {
            continue;
        };
        let listed = get(DATE_KEYS).and_then(|d| json_date(d, reference));
        let (date, date_source) = match (listed, date_in_url(url.as_str())) {
            (Some(d), _) => (Some(d), DateSource::List),
            (None, Some(d)) => (Some(d), DateSource::Url),
            (None, None) => (None, DateSource::None),
        };
        let title = super::dom::collapse(title);
        if title.is_empty() {
            continue;
        }
        items.push(ListItem {
            title,
            url: url.to_string(),
            date,
            date_source,
            reply: None,
        });
    }
    Some(items)
}

/// The first array of title-and-link objects in `v`, preferring the usual keys.
fn find_rows(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::Array(a) if a.iter().any(is_row) => Some(a),
        Value::Array(a) => a.iter().find_map(find_rows),
        Value::Object(o) => {
            const PREFERRED: &[&str] = &["list", "rows", "data", "records", "items", "articles"];
            PREFERRED
                .iter()
                .filter_map(|k| o.get(*k))
                .chain(o.values())
                .find_map(find_rows)
        }
        _ => None,
    }
}

fn is_row(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        let has = |keys: &[&str]| {
            o.iter()
                .any(|(k, v)| keys.contains(&k.to_ascii_lowercase().as_str()) && v.is_string())
        };
        has(TITLE_KEYS) && has(URL_KEYS)
    })
}

/// A JSON date: a date string, or a Unix timestamp in seconds or milliseconds (China time).
fn json_date(v: &Value, reference: NaiveDate) -> Option<NaiveDate> {
    let china = chrono::FixedOffset::east_opt(8 * 3600)?;
    let from_secs =
        |s: i64| DateTime::from_timestamp(s, 0).map(|t| t.with_timezone(&china).date_naive());
    match v {
        Value::String(s) => find_date(s, reference),
        Value::Number(n) => {
            let n = n.as_i64()?;
            if n > 100_000_000_000 {
                from_secs(n / 1000)
            } else if n > 100_000_000 {
                from_secs(n)
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn eps(html: &str) -> Vec<String> {
        let doc = Html::parse_document(html);
        let scan = Scan::new(&doc);
        endpoints(
            &scan,
            &Url::parse("http://www.x.gov.cn/col/col4103/index.html").unwrap(),
        )
        .into_iter()
        .map(|u| u.to_string())
        .collect()
    }

    #[test]
    fn jpage_proxy_and_literal_json_calls_are_endpoints() {
        let jpage = r#"<div id="div4103"></div><script type="text/javascript">
            $(document).ready(function(){ $('#div4103').jpage({ dataStore: [], proxyUrl: '/module/web/jpage/dataproxy.jsp',
            perPage: 15, totalRecord: 36, ajaxParam: {col: 1, appid: 1, webid: 7, path: '/', columnid: 4103, sourceContentType: 1, unitid: '26543', permissiontype: 0}}); });
            </script>"#;
        assert_eq!(
            eps(jpage),
            ["http://www.x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=45&columnid=4103&unitid=26543&webid=7"]
        );
        let json = r#"<div id="list"></div><script>
            $.getJSON("/api/zcwj/list?page=1", function (d) { render(d.data.rows); });
            $.ajax({url: './data.json', type: 'GET'});
            fetch("/static/tpl/list.html").then(r => r.text());
            $.ajax({url: base + "/list.json"});
            </script>"#;
        assert_eq!(
            eps(json),
            [
                "http://www.x.gov.cn/api/zcwj/list?page=1",
                "http://www.x.gov.cn/col/col4103/data.json",
            ]
        );
    }

    #[test]
    fn json_rows_in_several_shapes() {
        let base = Url::parse("http://www.x.gov.cn/gczl/").unwrap();
        let r = NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
        let body = r#"{"code": 200, "data": {"total": 3, "rows": [
            {"title": "关于开展工程质量检查的通知", "link": "/gczl/detail/1.html", "pubDate": "2025-09-15 10:00:00"},
            {"Title": "质量监督月报", "URL": "./detail/2.html", "publishTime": 1756656000000},
            {"title": "无链接的行"}
        ]}}"#;
        let items = json_items(body, &base, r).unwrap();
        let got: Vec<(&str, &str, Option<String>)> = items
            .iter()
            .map(|i| {
                (
                    i.title.as_str(),
                    i.url.as_str(),
                    i.date.map(|d| d.to_string()),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "关于开展工程质量检查的通知",
                    "http://www.x.gov.cn/gczl/detail/1.html",
                    Some("2025-09-15".to_string())
                ),
                (
                    "质量监督月报",
                    "http://www.x.gov.cn/gczl/detail/2.html",
                    Some("2025-09-01".to_string())
                ),
            ]
        );
        let bare = r#"[{"name": "a", "url": "/a/t20250102_1.html"}]"#;
        let items = json_items(bare, &base, r).unwrap();
        assert_eq!(items[0].date_source, DateSource::Url);
        assert_eq!(json_items(r#"{"list": []}"#, &base, r), None);
        assert_eq!(json_items("<html></html>", &base, r), None);
    }
}
