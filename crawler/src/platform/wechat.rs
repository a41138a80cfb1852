//! WeChat 公众号 (微信): an article page, an album page and the homepage list, where an account
//! has them (WeChat has no public per-account list).
//!
//! An article page holds its time in script: `var ct = "1452149913"` (unix seconds; also
//! `window.ct = '…'`), else `var createTime = '2016-01-07 14:58'` (China time), else the older
//! `oriCreateTime`; `<em id="publish_time">` is empty in the served page and filled by script, so
//! it is never read. A page saying 已被发布者删除 is a deleted post. An album lists
//! `li[data-link]` with `.js_article_create_time` (unix seconds); the homepage list answers
//! `appmsg_list[]` with `sendtime` (unix seconds) and `link`. The 环境异常 wall is a block, read
//! before any adapter.

use std::sync::LazyLock;

use chrono::{NaiveDateTime, TimeZone};
use regex::Regex;
use scraper::{Html, Selector};
use serde_json::Value;
use xunjian_model::observe::{Post, PostFlags};

use super::{china, dated, int, string, title, unix, Answer, Reading};

static CT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:var\s+|window\.)ct\s*=\s*["']?(\d{9,11})"#).expect("valid regex")
});
static CREATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"var\s+createTime\s*=\s*["'](\d{4}-\d{2}-\d{2} \d{2}:\d{2})["']"#)
        .expect("valid regex")
});
static ORI_CREATE_TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"oriCreateTime\s*=\s*["']?(\d{9,11})"#).expect("valid regex"));
static META: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<meta\s+property="og:(title|url)"\s+content="([^"]*)""#).expect("valid regex")
});
static ARTICLE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"mp\.weixin\.qq\.com/s/([A-Za-z0-9_-]+)").expect("valid regex"));

/// Whether a page is WeChat's at all: its article script or its host.
fn is_wechat_page(text: &str) -> bool {
    let head: String = text.chars().take(512).collect();
    let feed = ["<rss", "<feed", "<rdf:RDF"]
        .iter()
        .any(|t| head.contains(t));
    !feed
        && (text.contains("mp.weixin.qq.com") || text.contains("var ct") || text.contains("appmsg"))
}

/// An article page: one post, or one deleted post.
pub(super) fn read_article(answer: &Answer, _: &Reading) -> Option<Vec<Post>> {
    let text = answer.text;
    if answer.json.is_some() || !is_wechat_page(text) {
        return None;
    }
    if text.contains("已被发布者删除") {
        return Some(vec![Post {
            title: "已被发布者删除的文章".into(),
            flags: PostFlags {
                deleted: true,
                ..PostFlags::default()
            },
            ..Post::default()
        }]);
    }
    let time = capture(&CT, text)
        .or_else(|| capture(&ORI_CREATE_TIME, text))
        .and_then(|s| s.parse().ok())
        .and_then(unix)
        .or_else(|| {
            let s = capture(&CREATE_TIME, text)?;
            let t = NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M").ok()?;
            china().from_local_datetime(&t).single()
        })?;
    let meta = |name: &str| {
        META.captures_iter(text)
            .find(|c| &c[1] == name)
            .map(|c| c[2].to_string())
    };
    let url = meta("url");
    let mut p = Post {
        title: title(meta("title").as_deref(), || "微信文章".into()),
        id: article_id(url.as_deref()),
        url,
        ..Post::default()
    };
    dated(&mut p, time);
    Some(vec![p])
}

fn capture(re: &Regex, text: &str) -> Option<String> {
    re.captures(text).map(|c| c[1].to_string())
}

/// The id of an article from its link (`mp.weixin.qq.com/s/<id>`).
fn article_id(link: Option<&str>) -> Option<String> {
    link.and_then(|u| ARTICLE_ID.captures(u))
        .map(|c| c[1].to_string())
}

/// One listed article: its title, link and unix time, as album and homepage lists give them.
fn listed(title: String, link: Option<String>, secs: Option<i64>) -> Post {
    let mut p = Post {
        title,
        id: article_id(link.as_deref()),
        url: link,
        ..Post::default()
    };
    if let Some(t) = secs.and_then(unix) {
        dated(&mut p, t);
    }
    p
}

/// An album page: its `li[data-link]` items.
pub(super) fn read_album(answer: &Answer, _: &Reading) -> Option<Vec<Post>> {
    let text = answer.text;
    if answer.json.is_some() || !text.contains("js_article_create_time") {
        return None;
    }
    let doc = Html::parse_document(text);
    let items = Selector::parse("li[data-link]").expect("valid selector");
    let time = Selector::parse(".js_article_create_time").expect("valid selector");
    let posts = doc
        .select(&items)
        .map(|li| {
            let title = title(li.value().attr("data-title"), || {
                li.text()
                    .collect::<String>()
                    .trim()
                    .chars()
                    .take(30)
                    .collect()
            });
            let secs = li
                .select(&time)
                .next()
                .and_then(|e| e.text().collect::<String>().trim().parse().ok());
            listed(
                title,
                li.value().attr("data-link").map(str::to_string),
                secs,
            )
        })
        .collect();
    Some(posts)
}

/// The homepage list: `appmsg_list[]`.
pub(super) fn read_homepage(answer: &Answer, _: &Reading) -> Option<Vec<Post>> {
    let v = answer.json.as_ref()?;
    let list = v
        .get("appmsg_list")
        .or_else(|| v.pointer("/data/appmsg_list"))
        .and_then(Value::as_array)?;
    Some(
        list.iter()
            .map(|m| {
                let title = title(m.get("title").and_then(Value::as_str), || "微信文章".into());
                listed(title, string(m.get("link")), int(m.get("sendtime")))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::seeds::Platform;

    fn reading() -> Reading {
        Reading::new(
            Platform::Wechat,
            chrono::Utc.with_ymd_and_hms(2025, 10, 1, 0, 0, 0).unwrap(),
        )
    }

    /// An article page as the project's notes describe it (no licensed real page exists).
    const ARTICLE: &str = r#"<!DOCTYPE html><html><head>
<meta property="og:title" content="崂山区召开2025年防汛工作会议" />
<meta property="og:url" content="https://mp.weixin.qq.com/s/AbC-12_x" />
</head><body><div id="js_content"><p>正文</p></div>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
<script>var item_show_type = "0"; var ct = "1758600000"; var createTime = '2025-09-23 12:00';</script>
</body></html>"#;

    #[test]
    fn an_article_is_dated_by_ct_then_create_time() {
        let posts = read_article(&Answer::new(ARTICLE), &reading()).unwrap();
        assert_eq!(posts.len(), 1);
        let p = &posts[0];
        assert_eq!(p.title, "崂山区召开2025年防汛工作会议");
        assert_eq!(p.id.as_deref(), Some("AbC-12_x"));
        assert_eq!(p.at.as_deref(), Some("2025-09-23T12:00:00+08:00"));
        let only_create_time = ARTICLE.replace(r#"var ct = "1758600000";"#, "");
        let posts = read_article(&Answer::new(&only_create_time), &reading()).unwrap();
        assert_eq!(posts[0].at.as_deref(), Some("2025-09-23T12:00:00+08:00"));
        let window_ct = ARTICLE.replace(r#"var ct = "1758600000";"#, "window.ct = '1452149913';");
        let posts = read_article(&Answer::new(&window_ct), &reading()).unwrap();
        assert_eq!(posts[0].at.as_deref(), Some("2016-01-07T14:58:33+08:00"));
    }

    #[test]
    fn a_deleted_article_is_a_deleted_post_and_other_pages_are_not_articles() {
        let deleted = r#"<html><body><div class="weui-msg"><p>该内容已被发布者删除</p></div><script src="https://res.wx.qq.com/mmbizappmsg/x.js"></script><a href="https://mp.weixin.qq.com/">公众平台</a></body></html>"#;
        let posts = read_article(&Answer::new(deleted), &reading()).unwrap();
        assert!(posts[0].flags.deleted);
        assert_eq!(posts[0].date, None);
        assert!(read_article(
            &Answer::new("<html><body>别的网站</body></html>"),
            &reading()
        )
        .is_none());
        assert!(
            read_article(
                &Answer::new("<html><body>mp.weixin.qq.com 没有时间</body></html>"),
                &reading()
            )
            .is_none(),
            "a WeChat page with no time is no article"
        );
    }

    #[test]
    fn album_and_homepage_lists() {
        let album = r#"<html><body><ul>
<li class="album__list-item" data-link="https://mp.weixin.qq.com/s/A1" data-title="第一篇"><span class="js_article_create_time">1758600000</span></li>
<li class="album__list-item" data-link="https://mp.weixin.qq.com/s/A2" data-title="第二篇"><span class="js_article_create_time">1758000000</span></li>
</ul></body></html>"#;
        let posts = read_album(&Answer::new(album), &reading()).unwrap();
        let got: Vec<_> = posts
            .iter()
            .map(|p| (p.id.clone().unwrap(), p.date.unwrap().to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("A1".into(), "2025-09-23".into()),
                ("A2".into(), "2025-09-16".into())
            ]
        );
        let home = r#"{"base_resp":{"ret":0},"appmsg_list":[{"title":"通知","link":"https://mp.weixin.qq.com/s/H1","sendtime":1758600000}]}"#;
        let posts = read_homepage(&Answer::new(home), &reading()).unwrap();
        assert_eq!(posts[0].title, "通知");
        assert_eq!(posts[0].date.unwrap().to_string(), "2025-09-23");
        assert!(read_homepage(&Answer::new(r#"{"ok":1}"#), &reading()).is_none());
    }
}
