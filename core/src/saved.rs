//! One saved answer of an account's feed or platform list, read as the crawl reads it and judged
//! as the analysis judges it: what `xunjian extract-feed` prints, so that an operator can see why
//! an account came out as it did.

use chrono::NaiveDate;
use xunjian_analyzer::pack::RulePack;
use xunjian_crawler::platform::Reading;
use xunjian_model::observe::FetchRecord;
use xunjian_model::seeds::{Account, Platform};
use xunjian_model::Dismissals;

/// What reading `body`, answered with `status` from `url` at `fetched_at`, shows of an account of
/// `platform` as of `as_of` under `pack`: its posts with their dates, the newest counted post, the
/// state, and why it is 无法判定 when it is.
pub fn read_saved_answer(
    url: &str,
    status: u16,
    platform: Platform,
    body: &[u8],
    as_of: NaiveDate,
    fetched_at: &str,
    pack: &RulePack,
) -> serde_json::Value {
    let mut record = FetchRecord {
        url: url.to_string(),
        final_url: url.to_string(),
        redirects: vec![],
        status: Some(status),
        error: None,
        blocked: None,
        elapsed_ms: 0,
        attempts: 1,
        bytes: body.len() as u64,
        content_type: None,
        charset: None,
        content_hash: None,
        fetched_at: fetched_at.to_string(),
        etag: None,
        last_modified: None,
    };
    let fetched = chrono::DateTime::parse_from_rfc3339(fetched_at)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    let reading = Reading::new(platform, fetched);
    let (posts, reader) = xunjian_crawler::account::read_into(&mut record, Some(body), &reading);
    let account = Account {
        id: "saved".into(),
        name: "saved".into(),
        unit: String::new(),
        platform,
        feed: Some(url.to_string()),
        uid: None,
    };
    let answer = (record.clone(), posts.clone());
    let input = xunjian_analyzer::AccountInput {
        account: &account,
        feed: Some(&answer),
        manual: &[],
        fault: None,
        dismissed: &Dismissals::default(),
        all: std::slice::from_ref(&account),
        relays: &[],
    };
    let judged = xunjian_analyzer::judge_account(&input, as_of, pack);
    let status = judged.account.as_ref();
    serde_json::json!({
        "url": url,
        "platform": platform,
        "as_of": as_of.to_string(),
        "reader": reader,
        "blocked": record.blocked,
        "error": record.error,
        "posts": posts,
        "newest": status.and_then(|a| a.last_post.clone()),
        "state": status.and_then(|a| a.state),
        "state_zh": status.and_then(|a| a.state).map(|s| s.label_zh()),
        "verdict": judged.verdict,
        "inconclusive": judged.inconclusive,
        "findings": judged.findings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_block_answer_reads_as_blocked_and_a_feed_by_its_newest_entry() {
        let pack = crate::load_rules(None, &[]).unwrap();
        let as_of: NaiveDate = "2025-09-30".parse().unwrap();
        let read = |status, body: &str| {
            read_saved_answer(
                "http://h/feed",
                status,
                Platform::Weibo,
                body.as_bytes(),
                as_of,
                "2025-09-30T10:00:00+08:00",
                &pack,
            )
        };
        // Every block answer of newmedia.md prints its state, inconclusive, with no finding.
        let answers: Vec<serde_json::Value> = serde_json::from_str(include_str!(
            "../../crawler/src/platform/testdata/blocks.json"
        ))
        .unwrap();
        for a in &answers {
            let v = read(
                a["status"].as_u64().unwrap() as u16,
                a["body"].as_str().unwrap(),
            );
            assert_eq!(v["state"], a["state"], "{}: {v:#}", a["what"]);
            assert_eq!(v["verdict"], "inconclusive", "{}", a["what"]);
            assert!(
                v["findings"].as_array().unwrap().is_empty(),
                "{}",
                a["what"]
            );
            assert_eq!(v["blocked"], a["block"], "{}", a["what"]);
        }
        // A WeChat article 已被发布者删除: a deleted post, which never counts; nothing else to
        // date the account by, so a person must look (empty), never stale.
        let deleted = r#"<html><body><div class="weui-msg"><p>该内容已被发布者删除</p></div><script src="https://res.wx.qq.com/mmbizappmsg/x.js"></script><a href="https://mp.weixin.qq.com/">公众平台</a></body></html>"#;
        let v = read_saved_answer(
            "https://mp.weixin.qq.com/s/abc",
            200,
            Platform::Wechat,
            deleted.as_bytes(),
            as_of,
            "2025-09-30T10:00:00+08:00",
            &pack,
        );
        assert_eq!(
            (v["state"].as_str(), v["verdict"].as_str()),
            (Some("empty"), Some("inconclusive")),
            "{v:#}"
        );
        assert_eq!(v["posts"][0]["flags"]["deleted"], true, "{v:#}");
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://a/</link><description>d</description>
<item><title>old pinned</title><pubDate>Mon, 01 Sep 2025 02:00:00 GMT</pubDate></item>
<item><title>new</title><pubDate>Thu, 25 Sep 2025 02:00:00 GMT</pubDate></item></channel></rss>"#;
        let v = read(200, rss);
        assert_eq!(v["newest"], "2025-09-25");
        assert_eq!(v["state"], "fresh");
        assert_eq!(v["posts"].as_array().unwrap().len(), 2);
    }
}
