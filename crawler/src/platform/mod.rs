//! Platform adapters (政务新媒体): the lists platforms serve of an account's posts, read into
//! [`Post`]s with their own times and flags.
//!
//! An adapter is a row of [`ADAPTERS`]: it recognises its answer by shape (a Weibo getIndex JSON,
//! a Bilibili dynamics JSON, a WeChat article page…) and reads it, or passes. The account's
//! platform only decides which adapters are tried first, so that a feed URL on any host (a saved
//! answer replayed on loopback, a proxy) is read by what it answers. Block answers are not here:
//! they are [`crate::account`]'s table, tried before any adapter.
//!
//! Every post keeps its own creation time, whatever its place in the list: the newest post is a
//! maximum over posts, never "the first item" (Weibo, Bilibili and Douyin put an old pinned post
//! first).

mod bilibili;
mod wechat;
mod weibo;

use chrono::{DateTime, FixedOffset, TimeZone};
use serde_json::Value;
use xunjian_model::observe::Post;
use xunjian_model::seeds::Platform;

use crate::feed::plain;

/// What an answer is read with: the account's platform (which adapters go first) and when it
/// was fetched (the anchor of relative times such as `3小时前`, in China time).
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// The account's platform.
    pub platform: Platform,
    /// When the answer was fetched.
    pub fetched: DateTime<FixedOffset>,
}

impl Reading {
    /// A reading of `platform`'s answer fetched at `fetched`.
    pub fn new(platform: Platform, fetched: DateTime<chrono::Utc>) -> Reading {
        Reading {
            platform,
            fetched: fetched.with_timezone(&china()),
        }
    }
}

/// An answer's body, as text and (when it is one) as JSON, parsed once for every adapter.
pub struct Answer<'a> {
    /// The body as text.
    pub text: &'a str,
    /// The body as JSON, when it is a JSON object.
    pub json: Option<Value>,
}

impl<'a> Answer<'a> {
    /// The answer `text`.
    pub fn new(text: &'a str) -> Answer<'a> {
        let t = text.trim_start();
        let json = t
            .starts_with('{')
            .then(|| serde_json::from_str(t).ok())
            .flatten();
        Answer { text, json }
    }
}

/// One platform's list reader.
pub struct Adapter {
    /// Whose list it reads.
    pub platform: Platform,
    /// What it reads, for the log and for `extract-feed`.
    pub what: &'static str,
    /// The posts of the answer (possibly none: an account with nothing posted), or `None` when
    /// the answer is not this adapter's.
    pub read: fn(&Answer, &Reading) -> Option<Vec<Post>>,
}

/// The adapters, in the order they are tried after the account's own platform's.
pub const ADAPTERS: &[Adapter] = &[
    Adapter {
        platform: Platform::Weibo,
        what: "Weibo m.weibo.cn getIndex (cards, card_group) or weibo.com mymblog list",
        read: weibo::read,
    },
    Adapter {
        platform: Platform::Bilibili,
        what: "Bilibili space dynamics (feed/space) or video list (arc/search)",
        read: bilibili::read,
    },
    Adapter {
        platform: Platform::Wechat,
        what: "WeChat homepage list (appmsg_list)",
        read: wechat::read_homepage,
    },
    Adapter {
        platform: Platform::Wechat,
        what: "WeChat album page (li[data-link], js_article_create_time)",
        read: wechat::read_album,
    },
    Adapter {
        platform: Platform::Wechat,
        what: "WeChat article page (var ct, createTime)",
        read: wechat::read_article,
    },
];

/// The posts of `answer` by the first adapter that knows it (the reading's platform's first),
/// with that adapter; `None` when none does.
pub fn read_list(answer: &Answer, reading: &Reading) -> Option<(&'static Adapter, Vec<Post>)> {
    let own = ADAPTERS.iter().filter(|a| a.platform == reading.platform);
    let others = ADAPTERS.iter().filter(|a| a.platform != reading.platform);
    own.chain(others)
        .find_map(|a| (a.read)(answer, reading).map(|posts| (a, posts)))
}

/// China time (UTC+8).
fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The date and RFC 3339 time (China time) of instant `t`, as a post keeps them.
fn dated(post: &mut Post, t: DateTime<FixedOffset>) {
    let t = t.with_timezone(&china());
    post.date = Some(t.date_naive());
    post.at = Some(t.to_rfc3339());
}

/// Unix seconds as a time, when in range.
fn unix(secs: i64) -> Option<DateTime<FixedOffset>> {
    china().timestamp_opt(secs, 0).single()
}

/// A JSON value as an integer, whether it is a number or a string of digits.
fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A JSON value as a non-empty string, whether it is a string or a number.
fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The title of a post from its text (tags dropped, first [`crate::feed::TITLE_CHARS`]
/// characters), or `fallback` when it has none (fixtures blank their texts; some posts are only
/// images).
fn title(text: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    let t: String = text
        .map(plain)
        .unwrap_or_default()
        .chars()
        .take(crate::feed::TITLE_CHARS)
        .collect();
    if t.is_empty() {
        fallback()
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accounts_own_platform_is_tried_first_but_any_shape_is_read() {
        let at = chrono::Utc.with_ymd_and_hms(2024, 4, 10, 0, 0, 0).unwrap();
        let body = r#"{"code":0,"data":{"items":[{"id_str":"1","type":"DYNAMIC_TYPE_WORD","modules":{"module_author":{"pub_ts":1712559688}}}]}}"#;
        // A Bilibili answer under an account said to be Weibo's is still read as Bilibili's.
        let (adapter, posts) =
            read_list(&Answer::new(body), &Reading::new(Platform::Weibo, at)).unwrap();
        assert_eq!(adapter.platform, Platform::Bilibili);
        assert_eq!(posts[0].date.unwrap().to_string(), "2024-04-08");
        assert!(read_list(&Answer::new("<rss/>"), &Reading::new(Platform::Weibo, at)).is_none());
    }

    /// The newest post of a replayed real answer (see `testdata/NOTICE`): its id and time, and
    /// whether the first post is pinned.
    fn newest(body: &str, platform: Platform) -> (String, String, bool) {
        let at = chrono::Utc.with_ymd_and_hms(2025, 9, 30, 0, 0, 0).unwrap();
        let (_, posts) = read_list(&Answer::new(body), &Reading::new(platform, at)).unwrap();
        let n = posts
            .iter()
            .filter(|p| !p.flags.deleted)
            .max_by_key(|p| p.at.clone())
            .unwrap();
        (
            n.id.clone().unwrap(),
            n.at.clone().unwrap(),
            posts[0].flags.pinned,
        )
    }

    #[test]
    fn real_answers_give_the_newest_post_not_their_older_pinned_first_post() {
        let ak = include_str!("testdata/weibo_ak_list_0.json");
        assert_eq!(
            newest(ak, Platform::Weibo),
            ("Kkzwhj69V".into(), "2021-06-17T11:00:31+08:00".into(), true)
        );
        let ys = include_str!("testdata/weibo_ys_list_0.json");
        assert_eq!(
            newest(ys, Platform::Weibo),
            ("KnowibLCw".into(), "2021-07-06T00:31:15+08:00".into(), true),
            "the newest is a repost, dated by its own time"
        );
        let opus = include_str!("testdata/bilibili-opus-major.json");
        assert_eq!(
            newest(opus, Platform::Bilibili),
            (
                "1032688810800971792".into(),
                "2025-02-11T21:20:00+08:00".into(),
                true
            ),
            "the pinned dynamic (\" 置顶\", 2024-04-26) is older"
        );
        let ak1 = include_str!("testdata/weibo_ak_list_1.json");
        assert_eq!(
            newest(ak1, Platform::Weibo),
            ("KkBtUx2dv".into(), "2021-06-17T16:00:11+08:00".into(), true),
            "polled later, one post newer; the pinned post of Jun 08 is still first"
        );
        let bili = include_str!("testdata/bilibili-new.json");
        assert_eq!(
            newest(bili, Platform::Bilibili),
            (
                "917925942426337285".into(),
                "2024-04-08T15:01:28+08:00".into(),
                true
            ),
            "the pinned 置顶 dynamic (pub_ts 1712286300) is older"
        );
    }
}
