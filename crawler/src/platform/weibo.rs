//! Weibo (微博): `m.weibo.cn/api/container/getIndex` with the posts container (`107603<uid>`
//! or `230413<uid>`), and `weibo.com/ajax/statuses/mymblog`.
//!
//! getIndex puts posts in `data.cards[]` with `card_type == 9` and the post in `.mblog`; the
//! `230413` container may wrap the newest post in a `card_type == 11` card's `card_group`, which is
//! unwrapped first. A pinned post (置顶) is recognised by any of the flags its eras used —
//! `mblog.isTop == 1`, `mblog.mblogtype == 2`, `mblog.title.text` 置顶, the card's
//! `profile_type_id` starting `proweibotop` — and keeps its own time. A post with
//! `retweeted_status` is a repost, dated by its own (outer) `created_at`. `created_at` is
//! `Thu Jun 17 11:00:31 +0800 2021`, or in older answers a relative form (`刚刚`, `5分钟前`,
//! `3小时前`, `昨天 10:20`, `06-17`, `2021-06-17`) read against the time of the fetch.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde_json::Value;
use xunjian_model::observe::{Post, PostFlags};

use super::{china, dated, int, string, title, Answer, Reading};

/// The posts of a getIndex or mymblog answer; `None` when the answer is neither.
pub(super) fn read(answer: &Answer, reading: &Reading) -> Option<Vec<Post>> {
    let v = answer.json.as_ref()?;
    if int(v.get("ok")) != Some(1) {
        return None;
    }
    let data = v.get("data")?;
    if let Some(cards) = data.get("cards").and_then(Value::as_array) {
        let mut posts = Vec::new();
        for card in cards {
            let group = card.get("card_group").and_then(Value::as_array);
            for c in group.into_iter().flatten().chain(std::iter::once(card)) {
                if int(c.get("card_type")) == Some(9) {
                    if let Some(m) = c.get("mblog") {
                        posts.push(post(m, Some(c), reading));
                    }
                }
            }
        }
        return Some(posts);
    }
    let list = data.get("list").and_then(Value::as_array)?;
    Some(list.iter().map(|m| post(m, None, reading)).collect())
}

/// One post (`mblog`) of `card`.
fn post(m: &Value, card: Option<&Value>, reading: &Reading) -> Post {
    let id = string(m.get("bid"))
        .or_else(|| string(m.get("mblogid")))
        .or_else(|| string(m.get("mid")))
        .or_else(|| string(m.get("id")));
    let url = id
        .as_ref()
        .map(|id| format!("https://m.weibo.cn/status/{id}"));
    let text = m
        .get("text")
        .or_else(|| m.get("text_raw"))
        .and_then(Value::as_str);
    let mut p = Post {
        title: title(text, || {
            format!("微博 {}", id.as_deref().unwrap_or("(无编号)"))
        }),
        url,
        id,
        flags: PostFlags {
            pinned: pinned(m, card),
            repost: m.get("retweeted_status").is_some_and(|r| !r.is_null()),
            deleted: int(m.get("deleted")) == Some(1),
        },
        ..Post::default()
    };
    match m.get("created_at").and_then(Value::as_str) {
        Some(s) => match created_at(s, reading.fetched) {
            Some(When::Time(t)) => dated(&mut p, t),
            Some(When::Day(d)) => p.date = Some(d),
            None => tracing::debug!(created_at = s, "a Weibo time in no known form"),
        },
        None => tracing::debug!("a Weibo post without created_at"),
    }
    p
}

/// Whether a post is pinned, by any flag Weibo has used.
fn pinned(m: &Value, card: Option<&Value>) -> bool {
    int(m.get("isTop")) == Some(1)
        || int(m.get("mblogtype")) == Some(2)
        || m.get("title")
            .and_then(|t| t.get("text"))
            .and_then(Value::as_str)
            .is_some_and(|t| t.contains("置顶"))
        || card
            .and_then(|c| c.get("profile_type_id"))
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("proweibotop"))
}

/// A post time: an instant, or only a day (`06-17`, `2021-06-17`).
#[derive(Debug, PartialEq)]
enum When {
    Time(DateTime<FixedOffset>),
    Day(NaiveDate),
}

/// A `created_at` in any form Weibo has served, relative forms read against `fetched`.
fn created_at(s: &str, fetched: DateTime<FixedOffset>) -> Option<When> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y") {
        return Some(When::Time(t));
    }
    let now = fetched.with_timezone(&china());
    if s == "刚刚" {
        return Some(When::Time(now));
    }
    if let Some(n) = s.strip_suffix("分钟前").and_then(|n| n.trim().parse().ok()) {
        return Some(When::Time(now - Duration::minutes(n)));
    }
    if let Some(n) = s.strip_suffix("小时前").and_then(|n| n.trim().parse().ok()) {
        return Some(When::Time(now - Duration::hours(n)));
    }
    for (word, back) in [("今天", 0), ("昨天", 1)] {
        if let Some(hm) = s.strip_prefix(word) {
            let time = NaiveTime::parse_from_str(hm.trim(), "%H:%M").ok()?;
            let day = now.date_naive() - Duration::days(back);
            return china()
                .from_local_datetime(&day.and_time(time))
                .single()
                .map(When::Time);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(When::Day(d));
    }
    // `MM-DD`: this year's, or last year's when that day is still to come.
    let (m, d) = s.split_once('-')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    let this = NaiveDate::from_ymd_opt(now.year(), m, d);
    match this {
        Some(day) if day <= now.date_naive() => Some(When::Day(day)),
        _ => NaiveDate::from_ymd_opt(now.year() - 1, m, d).map(When::Day),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::seeds::Platform;

    fn fetched() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2021-06-17T12:30:00+08:00").unwrap()
    }

    fn at(s: &str) -> Option<When> {
        Some(When::Time(DateTime::parse_from_rfc3339(s).unwrap()))
    }

    fn day(s: &str) -> Option<When> {
        Some(When::Day(s.parse().unwrap()))
    }

    #[test]
    fn every_created_at_form_against_the_fetch_time() {
        let f = fetched();
        assert_eq!(
            created_at("Thu Jun 17 11:00:31 +0800 2021", f),
            at("2021-06-17T11:00:31+08:00")
        );
        assert_eq!(created_at("刚刚", f), at("2021-06-17T12:30:00+08:00"));
        assert_eq!(created_at("5分钟前", f), at("2021-06-17T12:25:00+08:00"));
        assert_eq!(created_at("13小时前", f), at("2021-06-16T23:30:00+08:00"));
        assert_eq!(created_at("今天 08:05", f), at("2021-06-17T08:05:00+08:00"));
        assert_eq!(created_at("昨天 23:59", f), at("2021-06-16T23:59:00+08:00"));
        assert_eq!(created_at("06-08", f), day("2021-06-08"));
        assert_eq!(
            created_at("12-30", f),
            day("2020-12-30"),
            "not yet this year"
        );
        assert_eq!(created_at("2010-06-18", f), day("2010-06-18"));
        assert_eq!(created_at("上周", f), None);
    }

    #[test]
    fn a_fetch_just_after_midnight_utc_is_the_same_china_day() {
        // 16:30 UTC on the 16th is 00:30 on the 17th in Beijing: 昨天 is the 16th.
        let f = DateTime::parse_from_rfc3339("2021-06-16T16:30:00+00:00").unwrap();
        assert_eq!(created_at("昨天 10:00", f), at("2021-06-16T10:00:00+08:00"));
    }

    fn read_str(body: &str) -> Option<Vec<Post>> {
        let r = Reading {
            platform: Platform::Weibo,
            fetched: fetched(),
        };
        read(&Answer::new(body), &r)
    }

    #[test]
    fn card_group_is_unwrapped_and_pinned_flags_of_every_era_are_seen() {
        let body = r#"{"ok":1,"data":{"cards":[
            {"card_type":11,"card_group":[{"card_type":9,"mblog":{"bid":"N1","created_at":"Wed Aug 24 22:03:13 +0800 2022","text":"<a>新</a>帖"}}]},
            {"card_type":9,"profile_type_id":"proweibotop_1","mblog":{"bid":"P1","created_at":"Tue Jun 08 10:00:00 +0800 2021","text":""}},
            {"card_type":9,"mblog":{"bid":"P2","isTop":1,"created_at":"Tue Jun 01 10:00:00 +0800 2021"}},
            {"card_type":9,"mblog":{"bid":"P3","mblogtype":2,"created_at":"Mon May 31 10:00:00 +0800 2021"}},
            {"card_type":9,"mblog":{"bid":"P4","title":{"text":"置顶"},"created_at":"Sun May 30 10:00:00 +0800 2021"}},
            {"card_type":9,"mblog":{"bid":"R1","created_at":"Sat May 29 10:00:00 +0800 2021","retweeted_status":{"user":null,"created_at":"Mon Jan 01 10:00:00 +0800 2018"}}},
            {"card_type":9,"mblog":{"bid":"D1","deleted":"1","created_at":"Fri May 28 10:00:00 +0800 2021"}},
            {"card_type":58,"name":"暂无微博"}
        ]}}"#;
        let posts = read_str(body).unwrap();
        let ids: Vec<_> = posts.iter().map(|p| p.id.clone().unwrap()).collect();
        assert_eq!(ids, ["N1", "P1", "P2", "P3", "P4", "R1", "D1"]);
        assert_eq!(posts[0].title, "新 帖");
        assert_eq!(posts[0].date.unwrap().to_string(), "2022-08-24");
        assert_eq!(posts[0].at.as_deref(), Some("2022-08-24T22:03:13+08:00"));
        assert_eq!(
            posts[0].url.as_deref(),
            Some("https://m.weibo.cn/status/N1")
        );
        assert_eq!(
            posts[1].title, "微博 P1",
            "a post without text is named by its id"
        );
        let pinned: Vec<bool> = posts.iter().map(|p| p.flags.pinned).collect();
        assert_eq!(pinned, [false, true, true, true, true, false, false]);
        assert!(posts[5].flags.repost);
        assert_eq!(
            posts[5].date.unwrap().to_string(),
            "2021-05-29",
            "a repost is dated by its own time, not the original's"
        );
        assert!(posts[6].flags.deleted);
    }

    #[test]
    fn a_list_of_no_posts_is_read_as_none_and_other_json_is_not_weibo() {
        assert_eq!(
            read_str(r#"{"ok":1,"data":{"cards":[{"card_type":58}]}}"#),
            Some(vec![])
        );
        assert_eq!(read_str(r#"{"ok":1,"data":{"user":{}}}"#), None);
        assert_eq!(read_str(r#"{"code":0,"data":{"items":[]}}"#), None);
        let mymblog = r#"{"ok":1,"data":{"list":[{"mblogid":"M1","created_at":"Thu Jun 17 11:00:31 +0800 2021","text_raw":"正文"}]}}"#;
        let posts = read_str(mymblog).unwrap();
        assert_eq!(posts[0].id.as_deref(), Some("M1"));
        assert_eq!(posts[0].title, "正文");
    }
}
