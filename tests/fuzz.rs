//! Fuzzed parsers (property tests): every parser of outside input, fed arbitrary bytes and
//! structured soup of its own format, must return (a value or its error), never panic, and keep
//! its contract: a seeds or rule-pack error names a line and column inside the file; extracted
//! items are absolute http(s) URLs; a date is a plausible one.
//!
//! In `cargo test` each target runs proptest's default 256 cases. `bench/fuzz.sh` runs them for a
//! fixed budget (`PROPTEST_CASES`). A failing input proptest finds is kept in
//! `tests/fuzz.proptest-regressions` and replayed first on every later run: a regression test.

use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;
use url::Url;
use xunjian_crawler::extract::{charset, extract_at};
use xunjian_crawler::feed::parse_feed;
use xunjian_crawler::platform::{read_list, Answer, Reading};
use xunjian_model::seeds::Platform;
use xunjian_model::Seeds;

/// Pieces of real gov markup, joined at random: unclosed and misnested tags, list rows, dates in
/// every form the readers know, scripts that write lists, metas, charsets.
fn html_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<div class=\"list\">".to_string()),
        Just("</div>".to_string()),
        Just("<ul>".to_string()),
        Just("</ul>".to_string()),
        Just("<li>".to_string()),
        Just("<table><tr><td>".to_string()),
        Just("</td></tr>".to_string()),
        Just("<a href=\"/tzgg/t20250901_1.html\">关于开展检查的通知</a>".to_string()),
        Just("<a href=\"javascript:;\">".to_string()),
        Just("<a href=\"http://[::1\">".to_string()),
        Just("<span>2025-09-01</span>".to_string()),
        Just("[09-28]".to_string()),
        Just("发布时间：".to_string()),
        Just("日期：".to_string()),
        Just("二〇二五年六月十日".to_string()),
        Just("２０２５－０６－１０".to_string()),
        Just("20-09-22".to_string()),
        Just("<meta name=\"PubDate\" content=\"2025-13-45\">".to_string()),
        Just("<meta name=\"ColumnName\" content=\"通知公告\">".to_string()),
        Just("<meta charset=\"gb2312\">".to_string()),
        Just(
            "<script>document.writeln('<li><a href=\"/a.html\">标题</a>2025-09-01</li>');"
                .to_string()
        ),
        Just("createPageHTML(5, 0, \"index\", \"html\");</script>".to_string()),
        Just("<h1>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("\u{0}".to_string()),
        "[\\PC]{0,12}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|v| v.concat())
}

fn url() -> Url {
    Url::parse("http://www.example.gov.cn/tzgg/index.html").expect("url")
}

fn reference() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 30).expect("date")
}

/// What every extraction must keep, whatever it was given.
fn extraction_holds(body: &[u8], content_type: Option<&str>) -> Result<(), TestCaseError> {
    let e = extract_at(&url(), body, content_type, reference());
    for item in &e.facts.items {
        let u = Url::parse(&item.url);
        prop_assert!(
            u.as_ref()
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https")),
            "item URL {}",
            item.url
        );
    }
    if let Some(d) = e.facts.published {
        prop_assert!(d.year() >= 1990 && d.year() <= 2100, "published {d}");
    }
    Ok(())
}

use chrono::Datelike;

/// TOML-like soup: keys of the seeds and rule packs, values of every type, broken quoting.
fn toml_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[district]\n".to_string()),
        Just("[defaults]\n".to_string()),
        Just("[[site]]\n".to_string()),
        Just("[[unit]]\n".to_string()),
        Just("[[account]]\n".to_string()),
        Just("[[rule]]\n".to_string()),
        Just("[[disclosure]]\n".to_string()),
        Just("name = \"示范区\"\n".to_string()),
        Just("office = \"办公室\"\n".to_string()),
        Just("id = \"portal\"\n".to_string()),
        Just("url = \"http://127.0.0.1:1/\"\n".to_string()),
        Just("url = \"ftp://x\"\n".to_string()),
        Just("rate_per_host = -1\n".to_string()),
        Just("timeout_s = 1e309\n".to_string()),
        Just("allow_networks = [\"10.0.0.0/33\"]\n".to_string()),
        Just("match = \"(\"\n".to_string()),
        Just("due = 2025-02-30\n".to_string()),
        Just("status = \"confirmed\"\n".to_string()),
        Just("points = 1e400\n".to_string()),
        Just("news_column_window_days = 0\n".to_string()),
        Just("\"\n".to_string()),
        Just("= = =\n".to_string()),
        "[a-z_]{1,12} = [0-9]{1,4}\n".prop_map(|s| s),
        "[\\PC]{0,16}\n".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

/// An error's place is inside the text it names.
fn place_is_inside(text: &str, line: usize, column: usize) -> bool {
    let lines = text.split('\n').count().max(1);
    line >= 1 && line <= lines && column >= 1
}

proptest! {
    #[test]
    fn extraction_takes_any_bytes(body in prop::collection::vec(any::<u8>(), 0..4096)) {
        extraction_holds(&body, None)?;
    }

    #[test]
    fn extraction_takes_any_markup(html in html_soup(), ct in prop_oneof![
        Just(None),
        Just(Some("text/html; charset=utf-8")),
        Just(Some("text/html; charset=gbk")),
        Just(Some("application/json")),
        Just(Some("text/html; charset=no-such")),
    ]) {
        extraction_holds(html.as_bytes(), ct)?;
    }

    #[test]
    fn charset_detection_takes_any_bytes(body in prop::collection::vec(any::<u8>(), 0..2048), ct in "[ -~]{0,40}") {
        let (text, name) = charset::decode(&body, Some(&ct));
        prop_assert!(!name.is_empty());
        prop_assert!(text.len() <= body.len() * 3 + 3, "decoded {} from {}", text.len(), body.len());
    }

    #[test]
    fn feeds_take_any_bytes(body in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        "<\\?xml version=\"1.0\"\\?><(rss|feed)>(<item><title>[\\PC]{0,8}</title><pubDate>[\\PC]{0,20}</pubDate></item>){0,5}".prop_map(String::into_bytes),
        "\\{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":\\[(\\{\"id\":\"[0-9]\",\"date_published\":\"[\\PC]{0,20}\"\\},?){0,4}\\]\\}".prop_map(String::into_bytes),
    ]) {
        let _ = parse_feed(&body);
    }

    #[test]
    fn platform_answers_take_any_json(text in prop_oneof![
        "[\\PC]{0,200}",
        "\\{\"ok\":1,\"data\":\\{\"cards\":\\[(\\{\"card_type\":9,\"mblog\":\\{\"created_at\":\"[\\PC]{0,24}\",\"id\":\"[0-9]{1,6}\"\\}\\},?){0,4}\\]\\}\\}",
        "\\{\"code\":0,\"data\":\\{\"items\":\\[(\\{\"modules\":\\{\"module_author\":\\{\"pub_ts\":-?[0-9]{1,12}\\}\\}\\},?){0,4}\\]\\}\\}",
        "var ct = \"-?[0-9]{0,12}\";[\\PC]{0,40}",
    ]) {
        let fetched = chrono::DateTime::parse_from_rfc3339("2025-09-30T10:00:00Z").expect("time").to_utc();
        for platform in [Platform::Weibo, Platform::Bilibili, Platform::Wechat] {
            let _ = read_list(&Answer::new(&text), &Reading::new(platform, fetched));
        }
    }

    #[test]
    fn seeds_files_fail_with_a_place(text in toml_soup()) {
        if let Err(e) = Seeds::parse(Path::new("seeds.toml"), &text) {
            prop_assert!(place_is_inside(&text, e.line, e.column), "{e}");
            prop_assert!(!e.key.is_empty() || !e.message.is_empty(), "{e}");
        }
    }

    #[test]
    fn rule_packs_and_overrides_fail_cleanly(text in toml_soup()) {
        let _ = xunjian_analyzer::pack::RulePack::parse(Path::new("pack.toml"), &text);
        let mut national = xunjian_core::load_rules(None, &[]).expect("the national pack");
        let before = national.clone();
        if national.apply_override(Path::new("override.toml"), &text).is_err() {
            prop_assert!(format!("{national:?}") == format!("{before:?}"), "a refused override leaves the pack unchanged");
        }
    }

    #[test]
    fn work_calendars_fail_cleanly(text in prop_oneof![
        toml_soup(),
        "(\\[year\\]\nholidays = \\[(\"20[0-9]{2}-[0-9]{2}-[0-9]{2}\",?){0,4}\\]\nworkdays = \\[(\"[\\PC]{0,10}\",?){0,3}\\]\n){0,3}",
    ]) {
        let _ = xunjian_analyzer::calendar::WorkCalendar::parse(Path::new("calendar.toml"), &text);
    }
}
