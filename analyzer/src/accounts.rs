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

use chrono::NaiveDate;
use xunjian_model::finding::{AccountState, AccountStatus, PostEvidence, SkippedPosts};
use xunjian_model::observe::{FailKind, FetchRecord, Post};
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
    }
}

/// Judge one new-media account from its feed (`None`: the feed was never fetched), leaving out
/// what the office `dismissed` as 误报.
pub fn analyze_account(
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
        if dismissed.covers(&account.id, &finding) {
            report.dismissed.push(finding);
        } else {
            report.verdict = Verdict::Unqualified;
            report.vetoes.push(veto::ACCOUNT_NOT_UPDATED.to_string());
            report.findings.push(finding);
        }
    }
    report
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
    let zombie = state == AccountState::Zombie;
    let newest = counted.newest.and_then(evidence);
    let last = newest.as_ref().map(|p| p.date.clone());
    let post_note = newest
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
    let mut notes = Vec::new();
    if counted.pinned > 0 {
        notes.push(format!("置顶{}条按其发布时间计", counted.pinned));
    }
    if !counted.skipped.is_empty() {
        notes.push(format!("未计{}", counted.skipped.describe_zh()));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("（{}）", notes.join("；"))
    };
    Finding::AccountStale {
        account: account.id.clone(),
        last_post: last.clone(),
        window_days: rules.account_window_days as u32,
        url: Some(fetch.url.clone()),
        zombie,
        post: newest.map(Box::new),
        evidence: format!(
            "「{}」（{}）最近一次发布{}{post_note}，监测时间点{as_of}前{}天内无更新{}{notes}",
            account.name,
            account.platform.label_zh(),
            last.map(|d| format!("于{d}")).unwrap_or_default(),
            rules.account_window_days,
            if zombie {
                format!("，已超过{}天未更新（僵尸号）", rules.account_zombie_days)
            } else {
                String::new()
            }
        ),
        seen: Some(fetch.fetched_at.clone()),
    }
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
