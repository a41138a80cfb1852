//! Dates as Chinese government pages write them.
//!
//! The date beside an item on a column page is the evidence inspectors use ("未注明发布时间的视为不更新"),
//! so it must be read in every house style: `2025-06-10`, `2025/6/10`, `2025.06.10`, `2025年06月10日`,
//! with or without a time, and the short `[06-10]` / `06-10` of many lists, whose year is implied.
//! TRS, Hanweb and other CMSs also put the date in the detail URL (`t20250610_123.html`,
//! `/art/2025/6/10/art_1_2.html`), a fallback when the list shows none.
//!
//! Lookalikes are rejected: the 索引号 `2025-02-00018` (a date followed by more digits), impossible
//! calendar dates, and years outside 1990..=2100. Digits must be ASCII.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

/// The earliest year accepted.
pub const MIN_YEAR: i32 = 1990;
/// The latest year accepted.
pub const MAX_YEAR: i32 = 2100;

static FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})|([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})|([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})|([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?",
    )
    .expect("valid regex")
});

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\[\s*([0-9]{1,2})-([0-9]{1,2})\s*\]|([0-9]{2})-([0-9]{2})|([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日",
    )
    .expect("valid regex")
});

static TIME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?").expect("valid regex"));

static URL_DATES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // TRS: /202506/t20250610_123.html
        r"(?:^|/)t([0-9]{4})([0-9]{2})([0-9]{2})[_-][0-9]+",
        // Hanweb: /art/2025/6/10/art_1_2.html
        r"/art/([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})/",
        // Xinhua style: /2025-06/10/c_123.htm
        r"/([0-9]{4})-([0-9]{2})/([0-9]{2})/",
        // people.cn style: /2025/0610/c1001-123.html
        r"/([0-9]{4})/([0-9]{2})([0-9]{2})/",
        // /2025/06/10/
        r"/([0-9]{4})/([0-9]{2})/([0-9]{2})/",
        // /20250610/
        r"/([0-9]{4})([0-9]{2})([0-9]{2})/",
    ]
    .iter()
    .map(|r| Regex::new(r).expect("valid regex"))
    .collect()
});

/// A date found in a text, with the byte range it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The date.
    pub date: NaiveDate,
    /// Byte offset where its text starts.
    pub start: usize,
    /// Byte offset where its text ends.
    pub end: usize,
}

/// A calendar date with a plausible year (1990..=2100), or `None`.
pub fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The date of a month-day (`06-10`) whose year is implied: the latest year such that the date is
/// not after `reference` (the day the page was fetched).
pub fn infer_year(month: u32, day: u32, reference: NaiveDate) -> Option<NaiveDate> {
    (0..=8)
        .map(|back| reference.year() - back)
        .filter_map(|y| ymd(y, month, day))
        .find(|d| *d <= reference)
}

fn num<T: std::str::FromStr>(c: &regex::Captures<'_>, i: usize) -> Option<T> {
    c.get(i)?.as_str().parse().ok()
}

fn digit_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn char_after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// The first date with a year in `text` (`2025-06-10`, `2025/6/10`, `2025.06.10`, `2025年6月10日`).
pub fn find_full(text: &str) -> Option<Found> {
    FULL.captures_iter(text).find_map(|c| {
        let m = c.get(0)?;
        if digit_before(text, m.start()).is_some_and(|ch| ch.is_ascii_digit())
            || char_after(text, m.end()).is_some_and(|ch| ch.is_ascii_digit())
        {
            return None;
        }
        let g = (0..4).map(|k| 1 + 3 * k).find(|&g| c.get(g).is_some())?;
        let date = ymd(num(&c, g)?, num(&c, g + 1)?, num(&c, g + 2)?)?;
        Some(Found {
            date,
            start: m.start(),
            end: m.end(),
        })
    })
}

/// The first month-day in `text` (`[06-10]`, `06-10`, `6月10日`), its year inferred from `reference`.
/// A month-day that is the tail of a longer number or date (`2025-06-10`, `1985年6月10日`) is not one.
pub fn find_month_day(text: &str, reference: NaiveDate) -> Option<Found> {
    MONTH_DAY.captures_iter(text).find_map(|c| {
        let m = c.get(0)?;
        let before = digit_before(text, m.start());
        let after = char_after(text, m.end());
        if before.is_some_and(|ch| ch.is_ascii_digit() || "-/.年".contains(ch))
            || after.is_some_and(|ch| ch.is_ascii_digit() || "-/.".contains(ch))
        {
            return None;
        }
        let g = (0..3).map(|k| 1 + 2 * k).find(|&g| c.get(g).is_some())?;
        let date = infer_year(num(&c, g)?, num(&c, g + 1)?, reference)?;
        Some(Found {
            date,
            start: m.start(),
            end: m.end(),
        })
    })
}

/// The first date in `text`, with or without a year, and where it is written.
pub fn find_date_span(text: &str, reference: NaiveDate) -> Option<Found> {
    match (find_full(text), find_month_day(text, reference)) {
        (Some(f), Some(md)) => Some(if md.start < f.start { md } else { f }),
        (f, md) => f.or(md),
    }
}

/// The first date in `text`, with or without a year (a month-day's year is inferred from
/// `reference`, the fetch date).
pub fn find_date(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    find_date_span(text, reference).map(|f| f.date)
}

/// The first date with a year in `text` (a `PubDate` meta, `2026年09月24日 15:30`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    find_full(text).map(|f| f.date)
}

/// The date of a text that is nothing but a date: `2025-06-10`, `[06-10]`, `(2025年6月10日)`,
/// `发布时间：2025-06-10 10:19:59`. Anything else (a title containing a date) gives `None`.
pub fn parse_list_date(text: &str, reference: NaiveDate) -> Option<NaiveDate> {
    let found = find_date_span(text, reference)?;
    let rest = format!("{} {}", &text[..found.start], &text[found.end..]);
    let rest = TIME.replace_all(&rest, "");
    let leftover = rest
        .replace("发布时间", "")
        .replace("发布日期", "")
        .replace("日期", "")
        .replace("时间", "");
    leftover
        .chars()
        .all(|c| c.is_whitespace() || "[]【】()（）：:|丨".contains(c))
        .then_some(found.date)
}

/// A date written in a URL's path: `t20250610_123.html`, `/art/2025/6/10/art_1_2.html`,
/// `/2025-06/10/`, `/2025/0610/`, `/2025/06/10/`, `/20250610/`. A month alone (`/202506/`) is not a date.
pub fn date_in_url(url: &str) -> Option<NaiveDate> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    URL_DATES.iter().find_map(|re| {
        re.captures_iter(path)
            .find_map(|c| ymd(num(&c, 1)?, num(&c, 2)?, num(&c, 3)?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const REF: &str = "2025-09-30";

    #[test]
    fn full_date_formats() {
        let r = d(REF);
        for (text, want) in [
            ("2025-06-10", "2025-06-10"),
            ("2025/6/10", "2025-06-10"),
            ("2025.06.10", "2025-06-10"),
            ("2025年06月10日", "2025-06-10"),
            ("2025年6月10日 15:30", "2025-06-10"),
            ("2025-06-10 10:19:59", "2025-06-10"),
            ("发布时间：2026-01-22 11:40:11", "2026-01-22"),
            ("2025 年 6 月 1 日", "2025-06-01"),
            ("firstpublishedtime 2025-06-10-10:00:00", "2025-06-10"),
        ] {
            assert_eq!(find_date(text, r), Some(d(want)), "{text}");
        }
    }

    #[test]
    fn month_day_takes_latest_year_not_after_reference() {
        let r = d(REF);
        assert_eq!(find_date("[06-10]", r), Some(d("2025-06-10")));
        assert_eq!(find_date("06-10", r), Some(d("2025-06-10")));
        assert_eq!(find_date("12-31", r), Some(d("2024-12-31")));
        assert_eq!(find_date("09-30", r), Some(d("2025-09-30")));
        assert_eq!(find_date("[ 6-1 ]", r), Some(d("2025-06-01")));
        assert_eq!(find_date("10月8日", r), Some(d("2024-10-08")));
        assert_eq!(find_date("02-29", r), Some(d("2024-02-29")));
        assert_eq!(find_date("13-45", r), None);
    }

    #[test]
    fn rejects_index_numbers_bad_dates_and_years() {
        let r = d(REF);
        assert_eq!(find_date("索引号：2025-02-00018", r), None);
        assert_eq!(
            find_date("索引号：2025-02-00018 发布日期：2025-02-14", r),
            Some(d("2025-02-14"))
        );
        assert_eq!(find_date("2025-02-30", r), None);
        assert_eq!(find_date("1985-06-10", r), None);
        assert_eq!(find_date("1985年6月10日", r), None);
        assert_eq!(find_date("2101-01-01", r), None);
        assert_eq!(find_date("电话：0532-88991000", r), None);
        assert_eq!(find_date("12025-06-10", r), None);
        assert_eq!(find_date("鄂政发〔2025〕12号", r), None);
    }

    #[test]
    fn first_date_wins() {
        let r = d(REF);
        assert_eq!(
            find_date("成文日期：2025-05-01 发布日期：2025-06-10", r),
            Some(d("2025-05-01"))
        );
        assert_eq!(find_date("[08-01] 2025-06-10", r), Some(d("2025-08-01")));
        let f = find_date_span("标题 2025-06-10", r).unwrap();
        assert_eq!((f.start, f.end), (7, 17));
    }

    #[test]
    fn list_date_must_be_the_whole_text() {
        let r = d(REF);
        assert_eq!(parse_list_date(" [2025-06-10] ", r), Some(d("2025-06-10")));
        assert_eq!(
            parse_list_date("（2025年6月10日）", r),
            Some(d("2025-06-10"))
        );
        assert_eq!(
            parse_list_date("发布时间：2025-06-10 10:19:59", r),
            Some(d("2025-06-10"))
        );
        assert_eq!(parse_list_date("06-10", r), Some(d("2025-06-10")));
        assert_eq!(parse_list_date("关于2025年6月10日停电的通知", r), None);
    }

    #[test]
    fn parse_date_needs_a_year() {
        assert_eq!(parse_date("2026年09月24日 15:30"), Some(d("2026-09-24")));
        assert_eq!(parse_date("2026-05-18 10:19"), Some(d("2026-05-18")));
        assert_eq!(parse_date("06-10"), None);
    }

    #[test]
    fn dates_in_urls() {
        for (url, want) in [
            (
                "http://www.wuhan.gov.cn/zwgk/202602/t20260214_2730572.shtml",
                Some("2026-02-14"),
            ),
            ("./202506/t20250610_123.html", Some("2025-06-10")),
            (
                "http://www.zj.gov.cn/art/2025/6/10/art_1229_5432.html",
                Some("2025-06-10"),
            ),
            (
                "http://www.news.cn/politics/2025-06/10/c_1130.htm",
                Some("2025-06-10"),
            ),
            (
                "http://politics.people.com.cn/n1/2025/0610/c1001-4032.html",
                Some("2025-06-10"),
            ),
            ("http://x.gov.cn/xwzx/20250610/123.html", Some("2025-06-10")),
            (
                "http://x.gov.cn/xwzx/2025/06/10/123.html",
                Some("2025-06-10"),
            ),
            (
                "https://www.gov.cn/zhengce/content/202506/content_7030001.htm",
                None,
            ),
            ("http://x.gov.cn/202506/t20250631_1.html", None),
            ("http://x.gov.cn/art/2025/art_1_2.html", None),
            ("http://x.gov.cn/list.html?date=/20250610/", None),
        ] {
            assert_eq!(date_in_url(url), want.map(d), "{url}");
        }
    }
}
