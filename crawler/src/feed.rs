//! Posts of a new-media account (政务新媒体), from its RSS 2.0, Atom or JSON Feed.
//!
//! An account's freshness is judged by the date of its newest post, in China time (a post at
//! 23:30 UTC on the 9th was published on the 10th in Beijing). Feeds of Weibo-style accounts often have
//! no titles, so a post without one is named by the first 30 characters of its text.

use std::sync::LazyLock;

use regex::Regex;
use xunjian_model::observe::Post;

/// Characters of content used as the title of an untitled post.
pub(crate) const TITLE_CHARS: usize = 30;

static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("valid regex"));

/// Why a feed could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The body is empty.
    #[error("the feed is empty")]
    Empty,
    /// The body is not an RSS, Atom or JSON feed.
    #[error("not an RSS, Atom or JSON feed: {0}")]
    Parse(#[from] feed_rs::parser::ParseFeedError),
}

/// The posts of a feed, in feed order.
pub fn parse_feed(body: &[u8]) -> Result<Vec<Post>, FeedError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(FeedError::Empty);
    }
    let feed = feed_rs::parser::parse(body)?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let title = e
                .title
                .as_ref()
                .map(|t| plain(&t.content))
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| {
                    let text = e
                        .content
                        .as_ref()
                        .and_then(|c| c.body.as_deref())
                        .map(plain)
                        .filter(|t| !t.is_empty())
                        .or_else(|| e.summary.as_ref().map(|s| plain(&s.content)))
                        .unwrap_or_default();
                    text.chars().take(TITLE_CHARS).collect()
                });
            let url = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.clone());
            Post {
                title,
                url,
                date: e.published.or(e.updated).map(china_date),
                ..Post::default()
            }
        })
        .collect())
}

pub use xunjian_model::clock::china_date;

/// Text without tags or entities' markup, whitespace collapsed.
pub(crate) fn plain(s: &str) -> String {
    let no_tags = TAG.replace_all(s, " ");
    let unescaped = no_tags
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    unescaped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<chrono::NaiveDate> {
        Some(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn rss_posts_in_china_time() {
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>崂山发布</title><link>http://weibo.com/laoshan</link><description>崂山发布的微博</description>
<item><title>崂山区召开防汛工作会议</title><link>http://weibo.com/1/A1</link><guid>http://weibo.com/1/A1</guid>
<pubDate>Wed, 10 Sep 2025 10:00:00 +0800</pubDate><description>崂山区召开防汛工作会议</description></item>
<item><title></title><link>http://weibo.com/1/A2</link>
<pubDate>Tue, 09 Sep 2025 23:30:00 GMT</pubDate><description><![CDATA[<p>【便民提示】9月10日起，崂山区部分路段实施交通管制，请市民合理安排出行路线，注意安全。</p>]]></description></item>
<item><title>无日期的帖子</title></item>
</channel></rss>"#;
        let posts = parse_feed(rss.as_bytes()).unwrap();
        assert_eq!(
            posts,
            vec![
                Post {
                    title: "崂山区召开防汛工作会议".into(),
                    url: Some("http://weibo.com/1/A1".into()),
                    date: d("2025-09-10"),
                    ..Post::default()
                },
                Post {
                    title: "【便民提示】9月10日起，崂山区部分路段实施交通管制，请市民".into(),
                    url: Some("http://weibo.com/1/A2".into()),
                    date: d("2025-09-10"),
                    ..Post::default()
                },
                Post {
                    title: "无日期的帖子".into(),
                    url: None,
                    date: None,
                    ..Post::default()
                },
            ]
        );
    }

    #[test]
    fn atom_published_or_updated() {
        let atom = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>崂山教育</title><id>http://x/u/jy</id><updated>2025-09-20T10:00:00+08:00</updated>
<entry><title>开学第一课</title><id>http://x/p/1</id><link href="http://x/p/1.html"/>
<published>2025-09-01T08:00:00+08:00</published><updated>2025-09-02T08:00:00+08:00</updated></entry>
<entry><title>教师节表彰</title><id>http://x/p/2</id><link rel="alternate" href="http://x/p/2.html"/>
<updated>2025-09-10T01:00:00+08:00</updated></entry>
</feed>"#;
        let posts = parse_feed(atom.as_bytes()).unwrap();
        assert_eq!(
            posts,
            vec![
                Post {
                    title: "开学第一课".into(),
                    url: Some("http://x/p/1.html".into()),
                    date: d("2025-09-01"),
                    ..Post::default()
                },
                Post {
                    title: "教师节表彰".into(),
                    url: Some("http://x/p/2.html".into()),
                    date: d("2025-09-10"),
                    ..Post::default()
                },
            ]
        );
    }

    #[test]
    fn json_feed() {
        let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "崂山政务抖音",
            "home_page_url": "http://x/u/dy", "items": [
            {"id": "1", "url": "http://x/posts/dy/1.html", "title": "崂山风光", "content_text": "崂山风光", "date_published": "2025-08-31T20:00:00+08:00"},
            {"id": "2", "url": "http://x/posts/dy/2.html", "content_text": "一段没有标题的短视频说明文字，介绍崂山区的秋季旅游线路和注意事项，欢迎大家前来游玩。", "date_published": "2025-08-30T17:00:00Z"}]}"#;
        let posts = parse_feed(json.as_bytes()).unwrap();
        assert_eq!(
            posts,
            vec![
                Post {
                    title: "崂山风光".into(),
                    url: Some("http://x/posts/dy/1.html".into()),
                    date: d("2025-08-31"),
                    ..Post::default()
                },
                Post {
                    title: "一段没有标题的短视频说明文字，介绍崂山区的秋季旅游线路和注意".into(),
                    url: Some("http://x/posts/dy/2.html".into()),
                    date: d("2025-08-31"),
                    ..Post::default()
                },
            ]
        );
    }

    #[test]
    fn not_a_feed() {
        assert!(matches!(parse_feed(b"  \n"), Err(FeedError::Empty)));
        assert!(matches!(
            parse_feed(b"<html><body>upstream error</body></html>"),
            Err(FeedError::Parse(_))
        ));
        assert!(parse_feed(b"upstream error").is_err());
    }
}
