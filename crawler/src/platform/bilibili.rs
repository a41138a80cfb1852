//! Bilibili (哔哩哔哩): space dynamics (`x/polymer/web-dynamic/v1/feed/space`) and the video list
//! (`x/space/wbi/arc/search`).
//!
//! A dynamic is dated by `modules.module_author.pub_ts` (unix seconds; `pub_time` is display text
//! such as `1分钟前` and never read). The pinned one carries `modules.module_tag.text` 置顶, in one
//! real answer with a leading space, so the tag is trimmed. A `DYNAMIC_TYPE_FORWARD` is a repost.
//! A video of `data.list.vlist` is dated by `created`.

use serde_json::Value;
use xunjian_model::observe::{Post, PostFlags};

use super::{dated, int, string, title, unix, Answer, Reading};

/// The posts of a dynamics or video-list answer; `None` when the answer is neither.
pub(super) fn read(answer: &Answer, _: &Reading) -> Option<Vec<Post>> {
    let v = answer.json.as_ref()?;
    if int(v.get("code")) != Some(0) {
        return None;
    }
    let data = v.get("data")?;
    if let Some(items) = data.get("items").and_then(Value::as_array) {
        return Some(items.iter().map(dynamic).collect());
    }
    let videos = data.pointer("/list/vlist").and_then(Value::as_array)?;
    Some(videos.iter().map(video).collect())
}

/// One dynamic.
fn dynamic(item: &Value) -> Post {
    let id = string(item.get("id_str"));
    let modules = item.get("modules");
    let module = |path: &str| modules.and_then(|m| m.pointer(path));
    let text = module("/module_dynamic/desc/text")
        .or_else(|| module("/module_dynamic/major/archive/title"))
        .or_else(|| module("/module_dynamic/major/opus/title"))
        .or_else(|| module("/module_dynamic/major/opus/summary/text"))
        .or_else(|| module("/module_dynamic/major/article/title"))
        .and_then(Value::as_str);
    let mut p = Post {
        title: title(text, || {
            format!("动态 {}", id.as_deref().unwrap_or("(无编号)"))
        }),
        url: id.as_ref().map(|id| format!("https://t.bilibili.com/{id}")),
        id,
        flags: PostFlags {
            pinned: module("/module_tag/text")
                .and_then(Value::as_str)
                .is_some_and(|t| t.trim() == "置顶"),
            repost: item.get("type").and_then(Value::as_str) == Some("DYNAMIC_TYPE_FORWARD"),
            deleted: false,
        },
        ..Post::default()
    };
    if let Some(t) = int(module("/module_author/pub_ts")).and_then(unix) {
        dated(&mut p, t);
    }
    p
}

/// One video of the video list.
fn video(v: &Value) -> Post {
    let id = string(v.get("bvid"));
    let mut p = Post {
        title: title(v.get("title").and_then(Value::as_str), || {
            format!("视频 {}", id.as_deref().unwrap_or("(无编号)"))
        }),
        url: id
            .as_ref()
            .map(|id| format!("https://www.bilibili.com/video/{id}")),
        id,
        ..Post::default()
    };
    if let Some(t) = int(v.get("created")).and_then(unix) {
        dated(&mut p, t);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use xunjian_model::seeds::Platform;

    fn read_str(body: &str) -> Option<Vec<Post>> {
        let at = chrono::Utc.with_ymd_and_hms(2024, 4, 10, 0, 0, 0).unwrap();
        read(&Answer::new(body), &Reading::new(Platform::Bilibili, at))
    }

    #[test]
    fn dynamics_dated_by_pub_ts_with_the_trimmed_pinned_tag_and_forwards() {
        let body = r#"{"code":0,"message":"0","data":{"has_more":true,"items":[
            {"id_str":"9001","type":"DYNAMIC_TYPE_DRAW","modules":{"module_author":{"pub_ts":1712286300,"pub_time":"04月05日"},"module_tag":{"text":" 置顶"},"module_dynamic":{"desc":{"text":"置顶的说明"}}}},
            {"id_str":"9002","type":"DYNAMIC_TYPE_FORWARD","modules":{"module_author":{"pub_ts":"1712559688","pub_time":"1分钟前"}}},
            {"id_str":"9003","type":"DYNAMIC_TYPE_AV","modules":{"module_author":{"pub_ts":1712400000},"module_dynamic":{"major":{"archive":{"title":"区长访谈"}}}}}
        ]}}"#;
        let posts = read_str(body).unwrap();
        assert_eq!(posts.len(), 3);
        assert!(posts[0].flags.pinned);
        assert_eq!(posts[0].title, "置顶的说明");
        assert_eq!(posts[0].at.as_deref(), Some("2024-04-05T11:05:00+08:00"));
        assert!(posts[1].flags.repost && !posts[1].flags.pinned);
        assert_eq!(posts[1].date.unwrap().to_string(), "2024-04-08");
        assert_eq!(posts[1].title, "动态 9002");
        assert_eq!(posts[1].url.as_deref(), Some("https://t.bilibili.com/9002"));
        assert_eq!(posts[2].title, "区长访谈");
    }

    #[test]
    fn videos_and_what_is_not_bilibili() {
        let body = r#"{"code":0,"data":{"list":{"vlist":[{"bvid":"BV1x","title":"政策解读","created":1712559688}]}}}"#;
        let posts = read_str(body).unwrap();
        assert_eq!(
            posts[0].url.as_deref(),
            Some("https://www.bilibili.com/video/BV1x")
        );
        assert_eq!(posts[0].date.unwrap().to_string(), "2024-04-08");
        assert_eq!(read_str(r#"{"code":0,"data":{"items":[]}}"#), Some(vec![]));
        assert_eq!(read_str(r#"{"code":-352,"data":{}}"#), None);
        assert_eq!(read_str(r#"{"ok":1,"data":{"cards":[]}}"#), None);
    }
}
