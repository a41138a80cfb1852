//! What an account's answer says (政务新媒体): posts, an account with nothing posted, or one of the
//! answers platforms give instead of their list — which are never "not updated".
//!
//! Platforms answer anti-crawl blocks with odd codes and with 200s: Weibo with HTTP 432 (418 and
//! 403 before) or `ok:-100` (cookies expired) or a captcha `url`; Bilibili with `code:-352`, `-412`
//! or `-799`; Douyin with an empty 200 or `10001010A`; WeChat with a 环境异常 page; wewe-rss with
//! `WeReadError401`/`WeReadError429`; RSSHub with a non-2xx HTML error page when its upstream
//! refused it. Each is a row of [`SIGNATURES`], read in order, so that a new one is a new row
//! (the answers are collected in the project's new-media notes). Whatever is none of them and no
//! feed is an unknown format: the account is inconclusive, never stale.

use xunjian_model::observe::{BlockKind, FailKind, FetchRecord, Post};

use crate::feed::parse_feed;
use crate::platform::{read_list, Answer, Reading};

/// What one answer of an account's feed or list says.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountAnswer {
    /// Its posts (at least one).
    Posts(Vec<Post>),
    /// A readable answer with nothing posted.
    Empty,
    /// A block, a captcha or a login wall in front of the list.
    Blocked(BlockKind),
    /// Not a format the reader knows.
    Unknown,
}

/// One known answer that is not a list: what it looks like, and what it means.
struct Signature {
    /// Where it was seen, for the log.
    what: &'static str,
    /// Whether an answer (its HTTP status and its body as text) is this one.
    matches: fn(u16, &str) -> bool,
    /// What it means.
    means: Meaning,
}

#[derive(Debug, Clone, Copy)]
enum Meaning {
    Blocked(BlockKind),
    Empty,
}

/// The JSON field `key` of `body` as an integer, when the body is a JSON object that has it.
fn json_int(body: &str, key: &str) -> Option<i64> {
    let v: serde_json::Value = serde_json::from_str(body.trim_start()).ok()?;
    v.get(key)?.as_i64()
}

fn json(body: &str) -> Option<serde_json::Value> {
    let t = body.trim_start();
    if !t.starts_with('{') {
        return None;
    }
    serde_json::from_str(t).ok()
}

/// WeChat's `base_resp.ret`, when the body has one.
fn wechat_ret(body: &str) -> Option<i64> {
    json(body)?.pointer("/base_resp/ret")?.as_i64()
}

/// Known answers that are not lists, in the order they are tried.
const SIGNATURES: &[Signature] = &[
    Signature {
        what: "Weibo HTTP 432/418, Bilibili HTTP 412",
        matches: |status, _| matches!(status, 412 | 418 | 432),
        means: Meaning::Blocked(BlockKind::Forbidden),
    },
    Signature {
        what: "RSSHub error page (its upstream refused it)",
        matches: |status, body| {
            status >= 500 && (body.contains("RSSHub") || body.contains("Error Message"))
        },
        means: Meaning::Blocked(BlockKind::Forbidden),
    },
    Signature {
        what: "an empty 200 (Douyin's WAF)",
        matches: |status, body| (200..300).contains(&status) && body.trim().is_empty(),
        means: Meaning::Blocked(BlockKind::Challenge),
    },
    Signature {
        what: "Weibo ok:-100 (login or cookies needed)",
        matches: |_, body| json_int(body, "ok") == Some(-100),
        means: Meaning::Blocked(BlockKind::LoginRequired),
    },
    Signature {
        what: "wewe-rss WeReadError401 (token invalid)",
        matches: |_, body| body.contains("WeReadError401"),
        means: Meaning::Blocked(BlockKind::LoginRequired),
    },
    Signature {
        what: "wewe-rss WeReadError429 (rate limited)",
        matches: |_, body| body.contains("WeReadError429"),
        means: Meaning::Blocked(BlockKind::Forbidden),
    },
    Signature {
        what: "Weibo captcha (a url and no data)",
        matches: |_, body| {
            json(body).is_some_and(|v| {
                v.get("data").is_none() && v.get("url").is_some_and(|u| u.is_string())
            })
        },
        means: Meaning::Blocked(BlockKind::Captcha),
    },
    Signature {
        what: "Bilibili code -352/-412/-799 (risk control, too frequent)",
        matches: |_, body| matches!(json_int(body, "code"), Some(-352 | -412 | -799)),
        means: Meaning::Blocked(BlockKind::Forbidden),
    },
    Signature {
        what: "Douyin 10001010A (当前环境存在风险)",
        matches: |_, body| {
            json(body).is_some_and(|v| v.get("code").and_then(|c| c.as_str()) == Some("10001010A"))
        },
        means: Meaning::Blocked(BlockKind::Forbidden),
    },
    Signature {
        what: "WeChat 环境异常 (verification wall)",
        matches: |_, body| body.contains("环境异常") || body.contains("完成验证后即可继续访问"),
        means: Meaning::Blocked(BlockKind::Captcha),
    },
    Signature {
        what: "WeChat base_resp.ret 200013 (freq control)",
        matches: |_, body| wechat_ret(body) == Some(200013),
        means: Meaning::Blocked(BlockKind::Forbidden),
    },
    Signature {
        what: "WeChat base_resp.ret 200003 (session expired)",
        matches: |_, body| wechat_ret(body) == Some(200003),
        means: Meaning::Blocked(BlockKind::LoginRequired),
    },
    Signature {
        what: "Weibo ok:0 这里还没有内容 (nothing posted)",
        matches: |_, body| json_int(body, "ok") == Some(0) && body.contains("这里还没有内容"),
        means: Meaning::Empty,
    },
];

/// What read an answer: a known non-list answer, a platform adapter, the feed parser, or nothing.
pub const FEED_READER: &str = "RSS 2.0, Atom or JSON Feed";

/// Read one answer of an account: `status` is the HTTP status, `body` what came, `reading` the
/// account's platform and the time of the fetch. Returns what it says and what read it (a
/// signature, an adapter, [`FEED_READER`], or "unknown").
pub fn read_answer(status: u16, body: &[u8], reading: &Reading) -> (AccountAnswer, &'static str) {
    let text = String::from_utf8_lossy(body);
    if let Some(sig) = SIGNATURES.iter().find(|s| (s.matches)(status, &text)) {
        tracing::debug!(status, "account answer: {}", sig.what);
        let answer = match sig.means {
            Meaning::Blocked(kind) => AccountAnswer::Blocked(kind),
            Meaning::Empty => AccountAnswer::Empty,
        };
        return (answer, sig.what);
    }
    if !(200..300).contains(&status) {
        return (AccountAnswer::Unknown, "unknown");
    }
    if let Some((adapter, posts)) = read_list(&Answer::new(&text), reading) {
        return (posts_or_empty(posts), adapter.what);
    }
    match parse_feed(body) {
        Ok(posts) => (posts_or_empty(posts), FEED_READER),
        Err(_) => (AccountAnswer::Unknown, "unknown"),
    }
}

fn posts_or_empty(posts: Vec<Post>) -> AccountAnswer {
    if posts.is_empty() {
        AccountAnswer::Empty
    } else {
        AccountAnswer::Posts(posts)
    }
}

/// Read the answer `body` of an account's fetch `record` into its posts, marking the record
/// blocked (a block, a captcha, a login wall) or failed with [`FailKind::Format`] (an answer in no
/// known format); a failed fetch stays what it was. Returns the posts and what read them.
pub fn read_into(
    record: &mut FetchRecord,
    body: Option<&[u8]>,
    reading: &Reading,
) -> (Vec<Post>, &'static str) {
    let (Some(status), None) = (record.status, record.error) else {
        return (Vec::new(), "nothing (the fetch failed)");
    };
    let (answer, reader) = read_answer(status, body.unwrap_or_default(), reading);
    match answer {
        AccountAnswer::Posts(p) => return (p, reader),
        AccountAnswer::Empty => {}
        AccountAnswer::Blocked(kind) => record.blocked = Some(kind),
        AccountAnswer::Unknown if record.is_success() => record.error = Some(FailKind::Format),
        AccountAnswer::Unknown => {}
    }
    (Vec::new(), reader)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use xunjian_model::seeds::Platform;

    fn read_answer(status: u16, body: &[u8]) -> AccountAnswer {
        let at = chrono::Utc.with_ymd_and_hms(2025, 10, 1, 0, 0, 0).unwrap();
        super::read_answer(status, body, &Reading::new(Platform::Other, at)).0
    }

    fn blocked(status: u16, body: &str) -> Option<BlockKind> {
        match read_answer(status, body.as_bytes()) {
            AccountAnswer::Blocked(k) => Some(k),
            _ => None,
        }
    }

    /// Every block answer newmedia.md lists (`testdata/blocks.json`, shared with the
    /// `extract-feed` test): status, body, the block it is and the account state it gives.
    const BLOCK_ANSWERS: &str = include_str!("platform/testdata/blocks.json");

    #[test]
    fn every_known_block_answer_is_blocked_never_empty_or_stale() {
        let answers: Vec<serde_json::Value> = serde_json::from_str(BLOCK_ANSWERS).unwrap();
        assert!(answers.len() >= 15);
        for a in answers {
            let (status, body) = (
                a["status"].as_u64().unwrap() as u16,
                a["body"].as_str().unwrap(),
            );
            let want: BlockKind = serde_json::from_value(a["block"].clone()).unwrap();
            assert_eq!(blocked(status, body), Some(want), "{}", a["what"]);
        }
    }

    #[test]
    fn nothing_posted_is_empty_and_an_unknown_page_is_unknown() {
        assert_eq!(
            read_answer(
                200,
                r#"{"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}"#.as_bytes()
            ),
            AccountAnswer::Empty
        );
        let empty_rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://a/</link><description>d</description></channel></rss>"#;
        assert_eq!(read_answer(200, empty_rss.as_bytes()), AccountAnswer::Empty);
        assert_eq!(
            read_answer(200, b"<html><body><p>Welcome</p></body></html>"),
            AccountAnswer::Unknown
        );
        assert_eq!(
            read_answer(502, b"<html>Bad Gateway</html>"),
            AccountAnswer::Unknown
        );
    }

    #[test]
    fn wewe_rss_and_rsshub_feeds_are_dated_by_their_entries() {
        // wewe-rss Atom: entries carry only <updated>; the feed-level <updated> is when the
        // account was added, and is never a post date.
        let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>MP_WXS_1</id><title>示范区发布</title>
<updated>2024-01-01T00:00:00.000Z</updated>
<entry><title>a</title><id>x1</id><link href="https://mp.weixin.qq.com/s/x1"/><updated>2025-09-20T02:00:00.000Z</updated></entry>
<entry><title>b</title><id>x2</id><link href="https://mp.weixin.qq.com/s/x2"/><updated>2025-09-28T16:30:00.000Z</updated></entry>
</feed>"#;
        let AccountAnswer::Posts(posts) = read_answer(200, atom.as_bytes()) else {
            panic!("a feed");
        };
        let newest = posts.iter().filter_map(|p| p.date).max().unwrap();
        assert_eq!(
            newest.to_string(),
            "2025-09-29",
            "16:30 UTC is the 29th in Beijing"
        );
        // wewe-rss JSON Feed: date_modified only.
        let json = r#"{"version":"https://jsonfeed.org/version/1","title":"t","items":[
{"id":"1","url":"https://mp.weixin.qq.com/s/1","title":"a","date_modified":"2025-09-21T01:00:00.000Z"}]}"#;
        let AccountAnswer::Posts(posts) = read_answer(200, json.as_bytes()) else {
            panic!("a feed");
        };
        assert_eq!(posts[0].date.unwrap().to_string(), "2025-09-21");
        // RSSHub RSS: <lastBuildDate> is when the feed was built; dc:date dates an item without
        // pubDate; the newest is the maximum, not the first item.
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title><link>http://a/</link><description>d</description>
<lastBuildDate>Tue, 30 Sep 2025 02:00:00 GMT</lastBuildDate>
<item><title>置顶</title><link>http://a/1</link><pubDate>Mon, 01 Sep 2025 02:00:00 GMT</pubDate></item>
<item><title>new</title><link>http://a/2</link><dc:date>2025-09-25T10:00:00+08:00</dc:date></item>
</channel></rss>"#;
        let AccountAnswer::Posts(posts) = read_answer(200, rss.as_bytes()) else {
            panic!("a feed");
        };
        let dates: Vec<String> = posts
            .iter()
            .map(|p| p.date.map(|d| d.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(dates, ["2025-09-01", "2025-09-25"]);
    }
}
