//! 政务新媒体: one account judged from its newest answer.
//!
//! The account is dated by its newest *counted* post: the maximum over all posts of their own
//! dates, whatever their place in the list (a pinned 置顶 post counts by its own time, never as
//! the newest for coming first), leaving out deleted posts, undated ones, ones dated after the time
//! point and — when the rule pack says reposts (转发) do not count — reposts. What was left out is
//! recorded beside the newest post, so that a department sees what the judgement rests on.
//!
//! Only a readable answer is evidence: a block, a login wall, an unknown format, a failed fetch,
//! an answer with nothing counted and an account no reader reaches each leave the account
//! 无法判定 (需人工核验), never stale.
//!
//! Where no answer decides, the office's 人工核验 may: a person's record of the newest post they
//! saw and when they looked. With the time point T, the window W, the post's day P and the day of
//! the look C: a post within [T−W, T] shows the account fresh, whenever it was seen; a post older
//! than T−W shows it stale (or 僵尸号) only when the person looked on or after T, because an
//! earlier look cannot see what came between it and T; a post after T says nothing about the
//! window. A record that is no evidence is said, and the account stays 无法判定.

use chrono::NaiveDate;
use xunjian_model::finding::{AccountState, AccountStatus, PostEvidence, SkippedPosts};
use xunjian_model::observe::{FailKind, FetchRecord, ManualCheck, Post};
use xunjian_model::seeds::Account;
use xunjian_model::{Dismissals, Finding, TargetKind, TargetReport, Verdict};

use crate::columns;
use crate::rules::{veto, Rules};

/// The posts of an answer that count, and what did not.
struct Counted<'p> {
    /// The newest counted post.
    newest: Option<&'p Post>,
    /// Pinned posts seen.
    pinned: usize,
    /// What did not count.
    skipped: SkippedPosts,
}

/// Count `posts` as of `as_of` under `rules`.
fn count<'p>(posts: &'p [Post], as_of: NaiveDate, rules: &Rules) -> Counted<'p> {
    let mut c = Counted {
        newest: None,
        pinned: 0,
        skipped: SkippedPosts::default(),
    };
    for p in posts {
        c.pinned += usize::from(p.flags.pinned);
        let date = match p.date {
            _ if p.flags.deleted => {
                c.skipped.deleted += 1;
                continue;
            }
            _ if p.flags.repost && !rules.account_count_reposts => {
                c.skipped.reposts += 1;
                continue;
            }
            None => {
                c.skipped.undated += 1;
                continue;
            }
            Some(d) if d > as_of => {
                c.skipped.future += 1;
                continue;
            }
            Some(d) => d,
        };
        // The later day wins, then the later time (all RFC 3339 in China time); on a tie, the
        // first in the answer's own order.
        let newer = c
            .newest
            .is_none_or(|n| (Some(date), p.at.as_deref()) > (n.date, n.at.as_deref()));
        if newer {
            c.newest = Some(p);
        }
    }
    c
}

fn evidence(p: &Post) -> Option<PostEvidence> {
    Some(PostEvidence {
        id: p.id.clone(),
        title: p.title.clone(),
        url: p.url.clone(),
        date: p.date?.to_string(),
        at: p.at.clone(),
        pinned: p.flags.pinned,
        repost: p.flags.repost,
    })
}

/// The facts of an account no reader reaches (需人工核验): nothing read, nothing dated.
fn no_reader(window_days: u32) -> AccountStatus {
    AccountStatus {
        feed: String::new(),
        posts: 0,
        last_post: None,
        days_idle: None,
        window_days,
        stale_from: None,
        days_left: None,
        state: Some(AccountState::NoReader),
        newest: None,
        pinned: 0,
        skipped: Default::default(),
        manual: None,
    }
}

/// Judge one new-media account from its feed (`None`: the feed was never fetched) and, where
/// that decides nothing, from the office's 人工核验 records (`manual`, any account's; this one's
/// are used), leaving out what the office `dismissed` as 误报.
pub fn analyze_account(
    account: &Account,
    feed: Option<&(FetchRecord, Vec<Post>)>,
    manual: &[ManualCheck],
    as_of: NaiveDate,
    rules: &Rules,
    dismissed: &Dismissals,
) -> TargetReport {
    let report = read_account(account, feed, as_of, rules, dismissed);
    if report.verdict != Verdict::Inconclusive {
        return report;
    }
    let mine: Vec<&ManualCheck> = manual.iter().filter(|c| c.account == account.id).collect();
    match manual_decision(&mine, as_of, rules) {
        Some((check, state)) => by_hand(report, account, check, state, as_of, rules, dismissed),
        None => not_by_hand(report, &mine, as_of),
    }
}

/// Judge an account from its answer alone.
fn read_account(
    account: &Account,
    feed: Option<&(FetchRecord, Vec<Post>)>,
    as_of: NaiveDate,
    rules: &Rules,
    dismissed: &Dismissals,
) -> TargetReport {
    let mut report = TargetReport::new(
        &account.id,
        TargetKind::Account,
        &account.unit,
        &account.name,
    );
    let window = rules.account_window_days.max(0) as u64;
    let Some((fetch, posts)) = feed else {
        report.verdict = Verdict::Inconclusive;
        report.inconclusive.push(match &account.feed {
            Some(_) => "账号信息源未抓取".into(),
            None => {
                report.account = Some(no_reader(window as u32));
                format!(
                    "{}账号未配置可自动读取的信息源（{}），需人工核验",
                    account.platform.label_zh(),
                    AccountState::NoReader.label_zh()
                )
            }
        });
        return report;
    };
    let counted = count(posts, as_of, rules);
    let last = counted.newest.and_then(|p| p.date);
    let status = |state, last: Option<NaiveDate>| {
        let (stale_from, days_left) = match last {
            Some(_) => columns::days_deadline(last, window, as_of),
            None => (None, None),
        };
        AccountStatus {
            feed: fetch.url.clone(),
            posts: posts.len(),
            last_post: last.map(|d| d.to_string()),
            days_idle: last.map(|d| (as_of - d).num_days()),
            window_days: window as u32,
            stale_from,
            days_left,
            state: Some(state),
            newest: counted.newest.and_then(evidence),
            pinned: counted.pinned,
            skipped: counted.skipped,
            manual: None,
        }
    };
    let unread = unread_state(fetch).or(last.is_none().then_some(AccountState::Empty));
    if let Some(state) = unread {
        // Nothing an inspector could check: a person must look (需人工核验), never "not updated".
        report.verdict = Verdict::Inconclusive;
        report.inconclusive.push(format!(
            "账号信息源（{}）{}（{}），无法自动核验，需人工核验",
            fetch.url,
            state.label_zh(),
            unread_detail(fetch, posts.len(), &counted.skipped)
        ));
        report.account = Some(status(state, None));
        return report;
    }
    let start = as_of - chrono::Days::new(window);
    let zombie_start = as_of - chrono::Days::new(rules.account_zombie_days.max(0) as u64);
    let state = match last {
        Some(d) if d < zombie_start => AccountState::Zombie,
        Some(d) if d < start => AccountState::Stale,
        _ => AccountState::Fresh,
    };
    report.account = Some(status(state, last));
    if state.is_problem() {
        let finding = stale_finding(account, fetch, &counted, state, as_of, rules);
        record_quiet(&mut report, account, finding, dismissed);
    }
    report
}

/// What the 政务新媒体不更新 finding of a quiet account cites.
struct Quiet {
    /// The feed read, if any.
    url: Option<String>,
    /// The newest post.
    post: Option<PostEvidence>,
    /// How the post was seen, said before it: empty, or 经人工核验（…）.
    via: String,
    /// What else the judgement rests on (pinned posts, posts not counted).
    notes: Vec<String>,
    /// When the answer was fetched or the person looked.
    seen: Option<String>,
    /// The 人工核验 it rests on.
    manual: Option<ManualCheck>,
}

/// The 政务新媒体不更新 finding of a stale or zombie account, with its newest post as evidence.
fn stale_finding(
    account: &Account,
    fetch: &FetchRecord,
    counted: &Counted,
    state: AccountState,
    as_of: NaiveDate,
    rules: &Rules,
) -> Finding {
    let mut notes = Vec::new();
    if counted.pinned > 0 {
        notes.push(format!("置顶{}条按其发布时间计", counted.pinned));
    }
    if !counted.skipped.is_empty() {
        notes.push(format!("未计{}", counted.skipped.describe_zh()));
    }
    let quiet = Quiet {
        url: Some(fetch.url.clone()),
        post: counted.newest.and_then(evidence),
        via: String::new(),
        notes,
        seen: Some(fetch.fetched_at.clone()),
        manual: None,
    };
    quiet_finding(account, quiet, state, as_of, rules)
}

/// The finding of a quiet account from what it cites.
fn quiet_finding(
    account: &Account,
    quiet: Quiet,
    state: AccountState,
    as_of: NaiveDate,
    rules: &Rules,
) -> Finding {
    let zombie = state == AccountState::Zombie;
    let last = quiet.post.as_ref().map(|p| p.date.clone());
    let post_note = quiet
        .post
        .as_ref()
        .map(|p| {
            let mut parts: Vec<&str> = p.url.as_deref().into_iter().collect();
            parts.extend(
                [(p.pinned, "置顶"), (p.repost, "转发")]
                    .into_iter()
                    .filter_map(|(on, l)| on.then_some(l)),
            );
            if parts.is_empty() {
                String::new()
            } else {
                format!("（{}）", parts.join("，"))
            }
        })
        .unwrap_or_default();
    let notes = if quiet.notes.is_empty() {
        String::new()
    } else {
        format!("（{}）", quiet.notes.join("；"))
    };
    Finding::AccountStale {
        account: account.id.clone(),
        last_post: last.clone(),
        window_days: rules.account_window_days as u32,
        url: quiet.url,
        zombie,
        post: quiet.post.map(Box::new),
        manual: quiet.manual.map(Box::new),
        evidence: format!(
            "「{}」（{}）{}最近一次发布{}{post_note}，监测时间点{as_of}前{}天内无更新{}{notes}",
            account.name,
            account.platform.label_zh(),
            quiet.via,
            last.map(|d| format!("于{d}")).unwrap_or_default(),
            rules.account_window_days,
            if zombie {
                format!("，已超过{}天未更新（僵尸号）", rules.account_zombie_days)
            } else {
                String::new()
            }
        ),
        seen: quiet.seen,
    }
}

/// Record the finding of a quiet account: a problem with its veto, or 误报 the office dismissed.
fn record_quiet(
    report: &mut TargetReport,
    account: &Account,
    finding: Finding,
    dismissed: &Dismissals,
) {
    if dismissed.covers(&account.id, &finding) {
        report.dismissed.push(finding);
    } else {
        report.verdict = Verdict::Unqualified;
        report.vetoes.push(veto::ACCOUNT_NOT_UPDATED.to_string());
        report.findings.push(finding);
    }
}

/// What a 人工核验 record says of the account at the time point, if it is evidence at all (see
/// the module's rule).
fn manual_state(check: &ManualCheck, as_of: NaiveDate, rules: &Rules) -> Option<AccountState> {
    let start = as_of - chrono::Days::new(rules.account_window_days.max(0) as u64);
    let zombie_start = as_of - chrono::Days::new(rules.account_zombie_days.max(0) as u64);
    let p = check.last_post;
    if p > as_of {
        return None;
    }
    if p >= start {
        return Some(AccountState::Fresh);
    }
    if check.checked_on()? < as_of {
        return None;
    }
    Some(if p < zombie_start {
        AccountState::Zombie
    } else {
        AccountState::Stale
    })
}

/// The newest record (by when the person looked) that is evidence, and what it shows.
fn manual_decision<'c>(
    checks: &[&'c ManualCheck],
    as_of: NaiveDate,
    rules: &Rules,
) -> Option<(&'c ManualCheck, AccountState)> {
    let mut by_time: Vec<&ManualCheck> = checks.to_vec();
    by_time.sort_by_key(|c| std::cmp::Reverse(xunjian_model::clock::china_time_of(&c.checked_at)));
    by_time
        .into_iter()
        .find_map(|c| manual_state(c, as_of, rules).map(|s| (c, s)))
}

/// The post a 人工核验 record saw, as evidence.
fn manual_post(check: &ManualCheck) -> PostEvidence {
    PostEvidence {
        id: None,
        title: String::new(),
        url: check.post_url.clone(),
        date: check.last_post.to_string(),
        at: check.last_post_at.clone(),
        pinned: false,
        repost: false,
    }
}

/// Judge the account by the 人工核验 `check` that shows `state`, in place of the answer that
/// decided nothing: the feed read and its post count stay; the state, dates and newest post are
/// the record's.
fn by_hand(
    mut report: TargetReport,
    account: &Account,
    check: &ManualCheck,
    state: AccountState,
    as_of: NaiveDate,
    rules: &Rules,
    dismissed: &Dismissals,
) -> TargetReport {
    let window = rules.account_window_days.max(0) as u64;
    let last = Some(check.last_post);
    let (stale_from, days_left) = columns::days_deadline(last, window, as_of);
    let read = report.account.take();
    report.account = Some(AccountStatus {
        feed: read.as_ref().map(|a| a.feed.clone()).unwrap_or_default(),
        posts: read.as_ref().map_or(0, |a| a.posts),
        last_post: last.map(|d| d.to_string()),
        days_idle: last.map(|d| (as_of - d).num_days()),
        window_days: window as u32,
        stale_from,
        days_left,
        state: Some(state),
        newest: Some(manual_post(check)),
        pinned: 0,
        skipped: SkippedPosts::default(),
        manual: Some(check.clone()),
    });
    report.verdict = Verdict::Qualified;
    report.inconclusive.clear();
    if state.is_problem() {
        let quiet = Quiet {
            url: account.feed.clone(),
            post: Some(manual_post(check)),
            via: format!(
                "经人工核验（{}于{}核验），",
                check.checked_by,
                xunjian_model::clock::china_minute_of(&check.checked_at)
            ),
            notes: Vec::new(),
            seen: Some(check.checked_at.clone()),
            manual: Some(check.clone()),
        };
        let finding = quiet_finding(account, quiet, state, as_of, rules);
        record_quiet(&mut report, account, finding, dismissed);
    }
    report
}

/// Say why the account's 人工核验 records, if it has any, decide nothing.
fn not_by_hand(
    mut report: TargetReport,
    checks: &[&ManualCheck],
    as_of: NaiveDate,
) -> TargetReport {
    if let Some(newest) = checks
        .iter()
        .max_by_key(|c| xunjian_model::clock::china_time_of(&c.checked_at))
    {
        let why = if newest.last_post > as_of {
            "所记最近一次发布晚于监测时间点"
        } else {
            "核验时间早于监测时间点，所记最近一次发布不在监测时间点前的更新期限内"
        };
        report.inconclusive.push(format!(
            "人工核验记录（{}于{}核验，最近一次发布于{}）不足以判定：{why}",
            newest.checked_by,
            xunjian_model::clock::china_minute_of(&newest.checked_at),
            newest.last_post
        ));
    }
    report
}

/// 开设过多 (for review): `account` when its unit already has the rule pack's number of accounts
/// on its platform before it in `all` (the seeds' accounts, in order), naming those.
pub fn duplicate(account: &Account, all: &[Account], rules: &Rules) -> Option<Finding> {
    let before: Vec<&Account> = all
        .iter()
        .take_while(|a| a.id != account.id)
        .filter(|a| a.unit == account.unit && a.platform == account.platform)
        .collect();
    let limit = rules.accounts_per_platform.max(1);
    if before.len() < limit as usize {
        return None;
    }
    let names: Vec<String> = before.iter().map(|a| format!("「{}」", a.name)).collect();
    Some(Finding::AccountDuplicate {
        account: account.id.clone(),
        platform: account.platform.key().to_string(),
        others: before.iter().map(|a| a.id.clone()).collect(),
        limit,
        evidence: format!(
            "{}账号「{}」与{}同属一个单位，该单位在{}平台开设{}个账号，超过{}个",
            account.platform.label_zh(),
            account.name,
            names.join("、"),
            account.platform.label_zh(),
            before.len() + 1,
            limit
        ),
        seen: None,
    })
}

/// The state of an account whose answer could not be read: a block, a login wall, an unknown
/// format, or no answer at all.
fn unread_state(fetch: &FetchRecord) -> Option<AccountState> {
    use xunjian_model::observe::BlockKind;
    Some(match (fetch.blocked, fetch.error) {
        (Some(BlockKind::LoginRequired), _) => AccountState::LoginRequired,
        (Some(_), _) => AccountState::Blocked,
        (None, Some(FailKind::Format)) => AccountState::UnknownFormat,
        _ if !fetch.is_readable() => AccountState::Unreachable,
        _ => return None,
    })
}

/// What the answer of an unread account showed, for its 无法判定 line.
fn unread_detail(fetch: &FetchRecord, posts: usize, skipped: &SkippedPosts) -> String {
    match (fetch.error, fetch.status) {
        (Some(e), _) if e != FailKind::Format => e.label_zh().to_string(),
        (_, Some(_)) if fetch.is_readable() && fetch.error.is_none() => match posts {
            0 => "信息源中无任何发布".to_string(),
            n if skipped.is_empty() => format!("信息源中{n}条发布均无注明日期"),
            n => format!("信息源中{n}条发布均不计入（{}）", skipped.describe_zh()),
        },
        (_, Some(s)) => format!("返回HTTP {s}"),
        _ => "未能访问".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::observe::PostFlags;

    fn post(id: &str, date: &str, at: Option<&str>, flags: PostFlags) -> Post {
        Post {
            title: id.into(),
            id: Some(id.into()),
            date: Some(date.parse().unwrap()),
            at: at.map(str::to_string),
            flags,
            ..Post::default()
        }
    }

    const PINNED: PostFlags = PostFlags {
        pinned: true,
        repost: false,
        deleted: false,
    };
    const REPOST: PostFlags = PostFlags {
        repost: true,
        ..PLAIN
    };
    const DELETED: PostFlags = PostFlags {
        deleted: true,
        ..PLAIN
    };
    const PLAIN: PostFlags = PostFlags {
        pinned: false,
        repost: false,
        deleted: false,
    };

    #[test]
    fn the_newest_is_a_maximum_with_pinned_posts_by_their_own_time() {
        let as_of: NaiveDate = "2021-06-30".parse().unwrap();
        let rules = Rules::default();
        // An old pinned post first: not the newest.
        let posts = [
            post("old-pinned", "2021-06-08", None, PINNED),
            post("a", "2021-06-17", Some("2021-06-17T11:00:31+08:00"), PLAIN),
            post("b", "2021-06-17", Some("2021-06-17T16:00:11+08:00"), PLAIN),
            post("c", "2021-06-16", None, PLAIN),
        ];
        let c = count(&posts, as_of, &rules);
        assert_eq!(
            c.newest.unwrap().id.as_deref(),
            Some("b"),
            "the later time on one day"
        );
        assert_eq!(c.pinned, 1);
        // A post pinned yesterday is yesterday's post.
        let posts = [
            post("new-pinned", "2021-06-29", None, PINNED),
            post("a", "2021-06-01", None, PLAIN),
        ];
        assert_eq!(
            count(&posts, as_of, &rules).newest.unwrap().id.as_deref(),
            Some("new-pinned")
        );
    }

    fn check(account: &str, last_post: &str, checked_at: &str) -> ManualCheck {
        ManualCheck {
            account: account.into(),
            last_post: last_post.parse().unwrap(),
            last_post_at: None,
            post_url: Some("https://www.douyin.com/video/7".into()),
            checked_by: "张三".into(),
            checked_at: checked_at.into(),
            source: "checks.csv:2".into(),
        }
    }

    fn account(feed: Option<&str>) -> Account {
        Account {
            id: "dy".into(),
            name: "示范发布".into(),
            unit: "u".into(),
            platform: xunjian_model::seeds::Platform::Douyin,
            feed: feed.map(str::to_string),
            uid: None,
        }
    }

    /// Judge `account` as of 2025-09-30 (window 14 days: from 2025-09-16; 僵尸号 before
    /// 2025-07-02) with `checks`.
    fn by_checks(
        account: &Account,
        feed: Option<&(FetchRecord, Vec<Post>)>,
        checks: &[ManualCheck],
    ) -> TargetReport {
        let as_of = "2025-09-30".parse().unwrap();
        analyze_account(
            account,
            feed,
            checks,
            as_of,
            &Rules::default(),
            &Dismissals::default(),
        )
    }

    fn state(r: &TargetReport) -> Option<AccountState> {
        r.account.as_ref().and_then(|a| a.state)
    }

    #[test]
    fn a_manual_check_decides_only_what_it_could_have_seen() {
        let dy = account(None);
        // A post within the window: fresh, whenever the person looked.
        let r = by_checks(
            &dy,
            None,
            &[check("dy", "2025-09-20", "2025-09-25T10:00:00+08:00")],
        );
        assert_eq!(
            (r.verdict, state(&r)),
            (Verdict::Qualified, Some(AccountState::Fresh))
        );
        assert!(r.inconclusive.is_empty());
        let status = r.account.as_ref().unwrap();
        assert_eq!(
            status.manual.as_ref().map(|m| m.checked_by.as_str()),
            Some("张三")
        );
        assert_eq!(status.last_post.as_deref(), Some("2025-09-20"));
        // An older post seen on or after the time point: stale, citing who looked and when.
        let r = by_checks(
            &dy,
            None,
            &[check("dy", "2025-09-01", "2025-10-02T10:00:00+08:00")],
        );
        assert_eq!(
            (r.verdict, state(&r)),
            (Verdict::Unqualified, Some(AccountState::Stale))
        );
        assert_eq!(r.vetoes, [veto::ACCOUNT_NOT_UPDATED]);
        let Finding::AccountStale {
            evidence,
            manual,
            seen,
            post,
            ..
        } = &r.findings[0]
        else {
            panic!("{:?}", r.findings);
        };
        assert_eq!(
            evidence,
            "「示范发布」（抖音）经人工核验（张三于2025-10-02 10:00核验），最近一次发布于2025-09-01\
             （https://www.douyin.com/video/7），监测时间点2025-09-30前14天内无更新"
        );
        assert!(manual.is_some() && post.as_ref().is_some_and(|p| p.date == "2025-09-01"));
        assert_eq!(seen.as_deref(), Some("2025-10-02T10:00:00+08:00"));
        // Seen on the time point itself still covers the window; 120 days quiet is a 僵尸号.
        let r = by_checks(
            &dy,
            None,
            &[check("dy", "2025-06-01", "2025-09-30T09:00:00+08:00")],
        );
        assert_eq!(state(&r), Some(AccountState::Zombie));
        // An older post seen before the time point, or a post after it: no evidence, said.
        for c in [
            check("dy", "2025-09-01", "2025-09-25T10:00:00+08:00"),
            check("dy", "2025-10-01", "2025-10-02T10:00:00+08:00"),
        ] {
            let r = by_checks(&dy, None, &[c]);
            assert_eq!(
                (r.verdict, state(&r)),
                (Verdict::Inconclusive, Some(AccountState::NoReader))
            );
            assert!(r.findings.is_empty());
            assert!(
                r.inconclusive[1].contains("不足以判定"),
                "{:?}",
                r.inconclusive
            );
        }
        // Another account's record is not this one's.
        let r = by_checks(
            &dy,
            None,
            &[check("wb", "2025-09-01", "2025-10-02T10:00:00+08:00")],
        );
        assert_eq!(
            (r.verdict, r.inconclusive.len()),
            (Verdict::Inconclusive, 1)
        );
    }

    #[test]
    fn a_manual_check_stands_in_for_a_blocked_answer_never_for_a_readable_one() {
        let feed = "http://f.test/dy.json";
        let wb = account(Some(feed));
        let mut blocked = crate::testkit::fetch(feed);
        blocked.blocked = Some(xunjian_model::observe::BlockKind::Captcha);
        let stale_look = check("dy", "2025-09-01", "2025-10-02T10:00:00+08:00");
        let r = by_checks(
            &wb,
            Some(&(blocked, vec![])),
            std::slice::from_ref(&stale_look),
        );
        assert_eq!(state(&r), Some(AccountState::Stale));
        assert!(matches!(&r.findings[0], Finding::AccountStale { url: Some(u), .. } if u == feed));
        assert_eq!(r.account.as_ref().map(|a| a.feed.as_str()), Some(feed));
        // A readable answer with a post in the window decides; the record does not override it.
        let ok = crate::testkit::fetch(feed);
        let posts = vec![post("p", "2025-09-29", None, PLAIN)];
        let r = by_checks(&wb, Some(&(ok, posts)), std::slice::from_ref(&stale_look));
        assert_eq!(state(&r), Some(AccountState::Fresh));
        assert!(r.account.as_ref().unwrap().manual.is_none());
        // Of several records, the newest look that is evidence decides.
        let older_fresh = check("dy", "2025-09-20", "2025-09-21T10:00:00+08:00");
        let newer_none = check("dy", "2025-09-01", "2025-09-29T10:00:00+08:00");
        let r = by_checks(&account(None), None, &[older_fresh, newer_none, stale_look]);
        assert_eq!(state(&r), Some(AccountState::Stale));
    }

    #[test]
    fn accounts_of_one_unit_on_one_platform_beyond_the_limit_are_flagged_for_review() {
        use xunjian_model::seeds::Platform;
        let acct = |id: &str, unit: &str, platform: Platform| Account {
            id: id.into(),
            name: format!("{id}号"),
            unit: unit.into(),
            platform,
            feed: None,
            uid: None,
        };
        let all = [
            acct("a", "u", Platform::Weibo),
            acct("b", "u", Platform::Wechat),
            acct("c", "v", Platform::Weibo),
            acct("d", "u", Platform::Weibo),
            acct("e", "u", Platform::Weibo),
        ];
        let rules = Rules::default();
        let flagged: Vec<&str> = all
            .iter()
            .filter(|a| duplicate(a, &all, &rules).is_some())
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(
            flagged,
            ["d", "e"],
            "the first of each unit and platform is not"
        );
        let Some(Finding::AccountDuplicate {
            others,
            limit,
            evidence,
            ..
        }) = duplicate(&all[4], &all, &rules)
        else {
            panic!("e is flagged");
        };
        assert_eq!(
            (others.as_slice(), limit),
            (["a".to_string(), "d".to_string()].as_slice(), 1)
        );
        assert_eq!(
            evidence,
            "微博账号「e号」与「a号」、「d号」同属一个单位，该单位在微博平台开设3个账号，超过1个"
        );
        // A pack that allows two flags only the third.
        let two = Rules {
            accounts_per_platform: 2,
            ..Rules::default()
        };
        let flagged: Vec<&str> = all
            .iter()
            .filter(|a| duplicate(a, &all, &two).is_some())
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(flagged, ["e"]);
    }

    #[test]
    fn deleted_future_and_uncounted_reposts_are_skipped_and_said() {
        let as_of: NaiveDate = "2021-06-30".parse().unwrap();
        let posts = [
            post("deleted", "2021-06-29", None, DELETED),
            post("future", "2021-07-02", None, PLAIN),
            post("repost", "2021-06-28", None, REPOST),
            post("a", "2021-06-01", None, PLAIN),
        ];
        let counting = Rules::default();
        let c = count(&posts, as_of, &counting);
        assert_eq!(
            c.newest.unwrap().id.as_deref(),
            Some("repost"),
            "reposts count by default"
        );
        assert_eq!(c.skipped.deleted, 1);
        assert_eq!(c.skipped.future, 1);
        let not_counting = Rules {
            account_count_reposts: false,
            ..Rules::default()
        };
        let c = count(&posts, as_of, &not_counting);
        assert_eq!(c.newest.unwrap().id.as_deref(), Some("a"));
        assert_eq!(
            c.skipped.describe_zh(),
            "已删除1条、转发1条、晚于监测时间点1条"
        );
    }
}
