//! 重要信息转发: whether a site or an account carried each important item the office lists in the
//! seeds (`[[relay]]`), judged from the lists and posts the crawl already read.
//!
//! A target carried an item when a list item, a page or a post of it has a title the item's
//! pattern matches, dated on or after the item's publication day and not after the time point;
//! the earliest such is the evidence, in time when dated within the days allowed. Not finding it
//! is evidence only where it could have been seen: the days allowed have passed, and the target's
//! own lists (a site's list pages, an account's readable posts) reach back to the publication day;
//! what has scrolled off a list cannot be seen, so otherwise the item is 无法判定. For review:
//! nothing here is scored.

use chrono::NaiveDate;
use regex::Regex;
use xunjian_model::finding::{RelayMark, RelayState};
use xunjian_model::observe::{FetchRecord, Post, SiteRecords};
use xunjian_model::seeds::{Relay, Site};

/// Something of a target that may carry an item: a title, its day, where it is.
struct Carrier<'a> {
    title: &'a str,
    date: NaiveDate,
    url: Option<&'a str>,
}

/// What a target offers: its dated titles, and whether what it shows reaches back to `day`.
struct Offer<'a> {
    carriers: Vec<Carrier<'a>>,
    /// The earliest day its lists show (a site: over the list pages; an account: over its posts).
    reaches_back_to: Option<NaiveDate>,
    /// Why nothing can be judged at all (the target was not read).
    unread: Option<String>,
}

/// The marks of a site for the relay items meant for its kind.
pub fn site_marks(
    relays: &[Relay],
    site: &Site,
    records: &SiteRecords,
    as_of: NaiveDate,
) -> Vec<RelayMark> {
    let wanted: Vec<&Relay> = relays.iter().filter(|r| r.for_site(site.kind)).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut carriers = Vec::new();
    let mut reaches: Option<NaiveDate> = None;
    for (url, page) in &records.pages {
        let Some(facts) = page.readable_facts() else {
            continue;
        };
        if let (Some(title), Some(date)) = (facts.title.as_deref(), facts.published) {
            carriers.push(Carrier {
                title,
                date,
                url: Some(url),
            });
        }
        for item in &facts.items {
            if let Some(date) = item.date {
                carriers.push(Carrier {
                    title: &item.title,
                    date,
                    url: Some(&item.url),
                });
                reaches = Some(reaches.map_or(date, |r| r.min(date)));
            }
        }
    }
    let unread = carriers
        .is_empty()
        .then(|| "本次未读取到该网站任何注明日期的信息".to_string());
    let offer = Offer {
        carriers,
        reaches_back_to: reaches,
        unread,
    };
    wanted.iter().map(|r| mark(r, &offer, as_of)).collect()
}

/// The marks of an account for the relay items meant for accounts, from its answer (`None`:
/// never read).
pub fn account_marks(
    relays: &[Relay],
    feed: Option<&(FetchRecord, Vec<Post>)>,
    as_of: NaiveDate,
) -> Vec<RelayMark> {
    let wanted: Vec<&Relay> = relays.iter().filter(|r| r.for_accounts()).collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let readable = feed.filter(|(f, _)| f.is_readable() && f.error.is_none());
    let carriers: Vec<Carrier> = readable
        .map(|(_, posts)| {
            posts
                .iter()
                .filter(|p| !p.flags.deleted)
                .filter_map(|p| {
                    Some(Carrier {
                        title: &p.title,
                        date: p.date?,
                        url: p.url.as_deref(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let offer = Offer {
        reaches_back_to: carriers.iter().map(|c| c.date).min(),
        unread: match (feed, readable) {
            (None, _) => Some("账号未读取（无可自动读取的信息源）".to_string()),
            (Some(_), None) => Some("账号信息源未能读取".to_string()),
            _ if carriers.is_empty() => Some("账号信息源中无注明日期的发布".to_string()),
            _ => None,
        },
        carriers,
    };
    wanted.iter().map(|r| mark(r, &offer, as_of)).collect()
}

/// Where a target stands with `relay` as of `as_of`.
fn mark(relay: &Relay, offer: &Offer, as_of: NaiveDate) -> RelayMark {
    let due = relay.due();
    let blank = |state, evidence: String| RelayMark {
        relay: relay.id.clone(),
        state,
        date: None,
        title: None,
        url: None,
        evidence,
    };
    // A pattern that does not compile matches nothing (the seeds are validated at load).
    let pattern = Regex::new(&relay.r#match).ok();
    let earliest = offer
        .carriers
        .iter()
        .filter(|c| c.date >= relay.published && c.date <= as_of)
        .filter(|c| pattern.as_ref().is_some_and(|p| p.is_match(c.title)))
        .min_by_key(|c| c.date);
    if let Some(c) = earliest {
        let in_time = c.date <= due;
        return RelayMark {
            relay: relay.id.clone(),
            state: if in_time {
                RelayState::Carried
            } else {
                RelayState::Late
            },
            date: Some(c.date.to_string()),
            title: Some(c.title.to_string()),
            url: c.url.map(str::to_string),
            evidence: format!(
                "「{}」于{}转载{}（应于{due}前转载）",
                c.title,
                c.date,
                if in_time { "" } else { "，晚于期限" }
            ),
        };
    }
    if let Some(why) = &offer.unread {
        return blank(RelayState::Unknown, why.clone());
    }
    if as_of < due {
        return blank(
            RelayState::Pending,
            format!("至监测时间点{as_of}未见转载，转载期限至{due}"),
        );
    }
    match offer.reaches_back_to {
        Some(d) if d <= relay.published => blank(
            RelayState::Missing,
            format!(
                "所读列表和发布最早至{d}，已涵盖{}的发布日，至{as_of}未见标题符合的信息（应于{due}前转载）",
                relay.name
            ),
        ),
        reach => blank(
            RelayState::Unknown,
            format!(
                "所读列表和发布最早至{}，未涵盖{}的发布日{}，无法确认是否转载",
                reach.map_or_else(|| "—".to_string(), |d| d.to_string()),
                relay.name,
                relay.published
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::{DateSource, ListItem, ListState, PageFacts, PageKind, PostFlags};
    use xunjian_model::seeds::SiteKind;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn relay(published: &str, within_days: u32) -> Relay {
        Relay {
            id: "plenum".into(),
            name: "区委全会精神".into(),
            r#match: "全会".into(),
            published: d(published),
            within_days,
            kinds: vec!["portal".into(), "account".into()],
        }
    }

    fn site(kind: SiteKind) -> Site {
        Site {
            id: "portal".into(),
            name: "门户".into(),
            unit: "zfb".into(),
            url: "http://a.test/".into(),
            kind,
            columns: vec![],
            rate_per_host: None,
        }
    }

    /// A site whose one list page lists `items` (title, date).
    fn records(items: &[(&str, &str)]) -> SiteRecords {
        let mut facts = PageFacts::new(PageKind::List, ListState::Items);
        facts.items = items
            .iter()
            .enumerate()
            .map(|(i, (title, date))| ListItem {
                title: title.to_string(),
                url: format!("http://a.test/xw/{i}.html"),
                date: Some(d(date)),
                date_source: DateSource::List,
                reply: None,
            })
            .collect();
        let mut r = SiteRecords::default();
        r.pages.insert(
            "http://a.test/xw/".into(),
            crate::testkit::page("http://a.test/xw/", Some(facts), vec![]),
        );
        r
    }

    fn state(relay: &Relay, items: &[(&str, &str)], as_of: &str) -> RelayMark {
        site_marks(
            std::slice::from_ref(relay),
            &site(SiteKind::Portal),
            &records(items),
            d(as_of),
        )
        .pop()
        .expect("meant for portals")
    }

    #[test]
    fn a_site_carried_it_in_time_late_not_at_all_or_cannot_be_told() {
        let r = relay("2025-09-10", 3);
        let m = state(
            &r,
            &[("区委全会精神宣讲", "2025-09-12"), ("动态", "2025-09-01")],
            "2025-09-30",
        );
        assert_eq!(
            (m.state, m.date.as_deref()),
            (RelayState::Carried, Some("2025-09-12"))
        );
        assert_eq!(m.url.as_deref(), Some("http://a.test/xw/0.html"));
        let m = state(
            &r,
            &[("区委全会精神宣讲", "2025-09-20"), ("动态", "2025-09-01")],
            "2025-09-30",
        );
        assert_eq!(m.state, RelayState::Late);
        assert!(m.evidence.contains("晚于期限"), "{}", m.evidence);
        // An older item of the same words is another thing: never the relay.
        let m = state(
            &r,
            &[("上届全会", "2025-08-01"), ("动态", "2025-09-20")],
            "2025-09-30",
        );
        assert_eq!(m.state, RelayState::Missing, "{m:?}");
    }

    #[test]
    fn not_seeing_it_is_evidence_only_where_it_could_have_been_seen() {
        let r = relay("2025-09-10", 3);
        // The list reaches back before the publication day: missing.
        let m = state(
            &r,
            &[("动态", "2025-09-20"), ("动态", "2025-09-05")],
            "2025-09-30",
        );
        assert_eq!(m.state, RelayState::Missing, "{m:?}");
        // It starts after the publication day: what scrolled off cannot be seen.
        let m = state(
            &r,
            &[("动态", "2025-09-25"), ("动态", "2025-09-20")],
            "2025-09-30",
        );
        assert_eq!(m.state, RelayState::Unknown, "{m:?}");
        assert!(m.evidence.contains("未涵盖"), "{}", m.evidence);
        // The days allowed have not passed.
        let m = state(&r, &[("动态", "2025-09-05")], "2025-09-12");
        assert_eq!(m.state, RelayState::Pending);
        // A site of a kind the item is not meant for has no mark.
        assert!(site_marks(
            &[r],
            &site(SiteKind::Street),
            &records(&[]),
            d("2025-09-30")
        )
        .is_empty());
    }

    #[test]
    fn an_account_is_judged_by_its_readable_posts_only() {
        let r = relay("2025-09-10", 3);
        let post = |title: &str, date: &str, deleted: bool| Post {
            title: title.into(),
            date: Some(d(date)),
            flags: PostFlags {
                deleted,
                ..PostFlags::default()
            },
            ..Post::default()
        };
        let ok = crate::testkit::fetch("http://f.test/wb");
        let judge = |fetch: &FetchRecord, posts: Vec<Post>| {
            account_marks(
                std::slice::from_ref(&r),
                Some(&(fetch.clone(), posts)),
                d("2025-09-30"),
            )
            .pop()
            .unwrap()
        };
        let m = judge(
            &ok,
            vec![
                post("学习全会精神", "2025-09-11", false),
                post("x", "2025-09-01", false),
            ],
        );
        assert_eq!(m.state, RelayState::Carried);
        // A deleted post carries nothing.
        let m = judge(
            &ok,
            vec![
                post("学习全会精神", "2025-09-11", true),
                post("x", "2025-09-01", false),
            ],
        );
        assert_eq!(m.state, RelayState::Missing);
        let mut blocked = ok.clone();
        blocked.blocked = Some(xunjian_model::observe::BlockKind::Captcha);
        assert_eq!(judge(&blocked, vec![]).state, RelayState::Unknown);
        let never = account_marks(std::slice::from_ref(&r), None, d("2025-09-30"));
        assert_eq!(never[0].state, RelayState::Unknown);
    }
}
