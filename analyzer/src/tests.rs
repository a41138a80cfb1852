//! Whole-site judgements over hand-built observations.

use super::*;
use xunjian_model::finding::{AccountState, BrokenReason, Mark};
use xunjian_model::observe::*;
use xunjian_model::seeds::{Platform, SiteKind};

const HOME: &str = "http://s.gov.cn/";

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn fetch(url: &str, status: Option<u16>, error: Option<FailKind>) -> FetchRecord {
    FetchRecord {
        status,
        error,
        ..testkit::fetch(url)
    }
}

fn all_marks() -> MarksSeen {
    MarksSeen {
        site_code: Some("3702120001".into()),
        icp: Some("鲁ICP备05000000号".into()),
        police: Some("鲁公网安备 37021202000123号".into()),
        badge: true,
        sponsor: Some("办公室".into()),
        contact: true,
        error_report: true,
        ..MarksSeen::default()
    }
}

fn facts(list: ListState, dates: &[&str]) -> PageFacts {
    PageFacts {
        items: dates
            .iter()
            .enumerate()
            .map(|(i, s)| ListItem {
                title: format!("信息{i}"),
                url: format!("http://s.gov.cn/item{i}.html"),
                date: Some(d(s)),
                date_source: DateSource::List,
                reply: None,
            })
            .collect(),
        marks: std::sync::Arc::new(all_marks()),
        fingerprint: format!("fp{}", dates.len()),
        ..PageFacts::new(PageKind::List, list)
    }
}

fn a(target: &str, anchor: &str, nav: bool) -> Link {
    Link {
        target: target.into(),
        anchor: anchor.into(),
        element: LinkElement::A,
        nav,
    }
}

use testkit::page;

fn site() -> Site {
    Site {
        id: "s".into(),
        name: "测试网站".into(),
        unit: "u".into(),
        url: HOME.into(),
        kind: SiteKind::Department,
        columns: vec![],
        rate_per_host: None,
    }
}

/// A homepage whose navigation lists `columns` (name, path), with one fresh item of its own.
fn records(columns: &[(&str, &str, PageRecord)]) -> SiteRecords {
    let mut r = SiteRecords {
        done: Some(true),
        ..Default::default()
    };
    let links = columns
        .iter()
        .map(|(name, path, _)| a(&format!("http://s.gov.cn/{path}"), name, true))
        .chain([a("http://s.gov.cn/hdjl/ldxx.html", "领导信箱", false)])
        .collect();
    r.pages.insert(
        HOME.into(),
        page(HOME, Some(facts(ListState::Items, &["2025-09-29"])), links),
    );
    for (_, path, p) in columns {
        let mut p = p.clone();
        p.fetch.url = format!("http://s.gov.cn/{path}");
        p.fetch.final_url = p.fetch.url.clone();
        r.pages.insert(p.fetch.url.clone(), p);
    }
    r
}

fn run(records: &SiteRecords) -> TargetReport {
    run_with(records, None)
}

/// [`run`] with working days counted by `calendar`.
fn run_with(records: &SiteRecords, calendar: Option<&calendar::WorkCalendar>) -> TargetReport {
    run_dismissing(records, calendar, &Dismissals::default())
}

/// [`run_with`], leaving out what the office `dismissed` as 误报.
fn run_dismissing(
    records: &SiteRecords,
    calendar: Option<&calendar::WorkCalendar>,
    dismissed: &Dismissals,
) -> TargetReport {
    let checks = BTreeMap::new();
    let site = site();
    analyze_site(
        &SiteInput {
            site: &site,
            records,
            run_checks: &checks,
            probes: &[],
            portal: None,
            disclosures: vec![],
            first_seen: &BTreeMap::new(),
            calendar,
            fault: None,
            dismissed,
            relays: &[],
            accounts: &[],
        },
        d("2025-09-30"),
        &Rules::default(),
    )
}

fn rules_of(r: &TargetReport) -> Vec<(&'static str, String)> {
    r.findings.iter().map(|f| (f.rule(), f.object())).collect()
}

fn list(dates: &[&str]) -> PageRecord {
    page("x", Some(facts(ListState::Items, dates)), vec![])
}

#[test]
fn five_stale_news_and_notice_columns_veto_the_site() {
    let cols = [
        ("工作动态", "a/", list(&["2025-09-01"])),
        ("政务要闻", "b/", list(&["2025-08-01"])),
        ("通知公告", "c/", list(&["2025-01-01"])),
        ("政策文件", "d/", list(&["2024-12-01"])),
        ("新闻发布", "e/", list(&["2025-09-10"])),
        ("人事信息", "f/", list(&["2025-01-01"])),
    ];
    let r = run(&records(&cols));
    assert_eq!(r.verdict, Verdict::Unqualified);
    assert_eq!(r.vetoes, [veto::COLUMNS_NOT_UPDATED]);
    assert_eq!(
        rules_of(&r),
        [
            ("column.stale", "http://s.gov.cn/a/".to_string()),
            ("column.stale", "http://s.gov.cn/b/".to_string()),
            ("column.stale", "http://s.gov.cn/c/".to_string()),
            ("column.stale", "http://s.gov.cn/d/".to_string()),
            ("column.stale", "http://s.gov.cn/e/".to_string()),
        ]
    );
    // Four are not enough.
    let r = run(&records(&cols[1..]));
    assert_eq!(r.verdict, Verdict::Qualified);
    assert!(r.vetoes.is_empty());
}

#[test]
fn no_staleness_or_emptiness_from_pages_that_failed_were_blocked_or_need_rendering() {
    let mut blocked = list(&[]);
    blocked.fetch.status = Some(403);
    blocked.fetch.blocked = Some(BlockKind::Forbidden);
    blocked.facts = Some(Box::new(facts(ListState::Empty, &[])));
    let mut challenge = page("x", Some(facts(ListState::Empty, &[])), vec![]);
    challenge.fetch.blocked = Some(BlockKind::Challenge);
    let mut timeout = list(&[]);
    timeout.fetch = fetch("x", None, Some(FailKind::Timeout));
    timeout.facts = None;
    let mut failed = list(&[]);
    failed.fetch.status = Some(503);
    failed.facts = None;
    let render = page("x", Some(facts(ListState::NeedsRender, &[])), vec![]);
    let cols = [
        ("工作动态", "a/", blocked),
        ("通知公告", "b/", challenge),
        ("政务要闻", "c/", timeout),
        ("政策文件", "d/", failed),
        ("新闻中心", "e/", render),
    ];
    let r = run(&records(&cols));
    assert!(
        r.findings
            .iter()
            .all(|f| !matches!(f, Finding::ColumnStale { .. } | Finding::ColumnEmpty { .. })),
        "{:?}",
        r.findings
    );
    assert!(r.vetoes.is_empty());
    // Five unjudged columns could reach the veto line of five: nothing can be said.
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert!(r.inconclusive.len() >= 5, "{:?}", r.inconclusive);
}

#[test]
fn an_unjudged_column_that_cannot_tip_a_veto_leaves_the_verdict() {
    let render = page("x", Some(facts(ListState::NeedsRender, &[])), vec![]);
    let cols = [
        ("工作动态", "a/", list(&["2025-09-29"])),
        ("通知公告", "b/", render),
    ];
    let r = run(&records(&cols));
    assert_eq!(r.verdict, Verdict::Qualified);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
}

#[test]
fn blocked_or_failed_homepage_is_inconclusive_not_stale() {
    let mut r = records(&[]);
    let home = r.pages.get_mut(HOME).unwrap();
    home.fetch.status = Some(403);
    home.fetch.blocked = Some(BlockKind::Forbidden);
    let report = run(&r);
    assert_eq!(report.verdict, Verdict::Inconclusive);
    assert!(report.findings.is_empty());

    let home = r.pages.get_mut(HOME).unwrap();
    home.fetch = fetch(HOME, None, Some(FailKind::Connect));
    home.facts = None;
    let report = run(&r);
    assert_eq!(report.verdict, Verdict::Inconclusive);
    assert_eq!(rules_of(&report), [("site.unreachable", HOME.to_string())]);
}

#[test]
fn blank_columns_and_stale_homepage() {
    let empty = || page("x", Some(facts(ListState::Empty, &[])), vec![]);
    let cols = [
        ("机构概况", "a/", empty()),
        ("工作动态", "b/", empty()),
        ("通知公告", "c/", empty()),
        ("规划计划", "d/", empty()),
        ("统计信息", "e/", empty()),
    ];
    let mut r = records(&cols);
    r.pages.get_mut(HOME).unwrap().facts = Some(Box::new(facts(ListState::Items, &["2025-08-01"])));
    let report = run(&r);
    assert_eq!(
        report.vetoes,
        [veto::BLANK_COLUMNS, veto::HOMEPAGE_NOT_UPDATED]
    );
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.rule() == "column.empty")
            .count(),
        5
    );
    assert!(report.findings.iter().any(|f| matches!(f,
        Finding::HomepageStale { last_update: Some(d), .. } if d == "2025-08-01")));

    // The office found one blank column and the stale homepage 误报: four blank columns are
    // under the line of five, and the homepage no longer vetoes; both stay listed as dismissed.
    let decided = |r: &TargetReport, pick: &dyn Fn(&Finding) -> bool| {
        Dismissals::new(
            r.findings
                .iter()
                .filter(|f| pick(f))
                .map(|f| (f.key(&r.id), f.evidence_hash())),
        )
    };
    let dismissals = decided(&report, &|f| {
        matches!(f, Finding::HomepageStale { .. })
            || matches!(f, Finding::ColumnEmpty { column, .. } if column == "工作动态")
    });
    let judged = run_dismissing(&r, None, &dismissals);
    assert!(
        !judged
            .vetoes
            .iter()
            .any(|v| v == veto::BLANK_COLUMNS || v == veto::HOMEPAGE_NOT_UPDATED),
        "{:?}",
        judged.vetoes
    );
    assert_eq!(judged.findings.len(), report.findings.len() - 2);
    assert_eq!(
        judged
            .dismissed
            .iter()
            .map(|f| f.rule())
            .collect::<Vec<_>>(),
        ["column.empty", "site.homepage_stale"]
    );
    // The homepage's evidence changes (a newer, still stale item): the 误报 no longer covers it.
    r.pages.get_mut(HOME).unwrap().facts = Some(Box::new(facts(ListState::Items, &["2025-08-20"])));
    let judged = run_dismissing(&r, None, &dismissals);
    assert!(judged
        .vetoes
        .iter()
        .any(|v| v == veto::HOMEPAGE_NOT_UPDATED));
    assert_eq!(judged.dismissed.len(), 1);
}

#[test]
fn broken_links_soft_404_and_redirect_home() {
    let mut r = records(&[("工作动态", "a/", list(&["2025-09-29"]))]);
    let home = r.pages.get_mut(HOME).unwrap();
    home.links.extend(
        [
            a("http://s.gov.cn/gone.html", "坏链", false),
            a("http://s.gov.cn/soft.html", "软404", false),
            a("http://s.gov.cn/moved.html", "跳首页", false),
            a("http://other.test/x.html", "外链", false),
            a("http://s.gov.cn/private/x.html", "robots", false),
            a("http://walled.test/", "拦截", false),
        ]
        .map(std::sync::Arc::new),
    );
    let mut gone = page("http://s.gov.cn/gone.html", None, vec![]);
    gone.fetch.status = Some(404);
    let mut soft = page(
        "http://s.gov.cn/soft.html",
        Some(facts(ListState::None, &[])),
        vec![],
    );
    soft.facts.as_mut().unwrap().says_not_found = true;
    let mut moved = page("http://s.gov.cn/moved.html", None, vec![]);
    moved.fetch.final_url = HOME.into();
    moved.fetch.redirects = vec![HOME.into()];
    moved.facts = Some(Box::new(facts(ListState::Items, &["2025-09-29"])));
    let mut robots = page("http://s.gov.cn/private/x.html", None, vec![]);
    robots.fetch = fetch(
        "http://s.gov.cn/private/x.html",
        None,
        Some(FailKind::Disallowed),
    );
    for p in [gone, soft, moved, robots] {
        r.pages.insert(p.fetch.url.clone(), p);
    }
    let mut checks = BTreeMap::new();
    checks.insert(
        "http://other.test/x.html".to_string(),
        fetch("http://other.test/x.html", None, Some(FailKind::Connect)),
    );
    let mut walled = fetch("http://walled.test/", Some(403), None);
    walled.blocked = Some(BlockKind::Forbidden);
    checks.insert("http://walled.test/".to_string(), walled);
    let site = site();
    let report = analyze_site(
        &SiteInput {
            site: &site,
            records: &r,
            run_checks: &checks,
            probes: &[],
            portal: None,
            disclosures: vec![],
            first_seen: &BTreeMap::new(),
            calendar: None,
            fault: None,
            dismissed: &Dismissals::default(),
            relays: &[],
            accounts: &[],
        },
        d("2025-09-30"),
        &Rules::default(),
    );
    let broken: Vec<(String, BrokenReason, bool)> = report
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::LinkBroken {
                url,
                reason,
                internal,
                on_homepage,
                sources,
                ..
            } => {
                assert!(on_homepage);
                assert_eq!(sources, &[HOME.to_string()]);
                Some((url.clone(), reason.clone(), *internal))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        broken,
        [
            (
                "http://other.test/x.html".into(),
                BrokenReason::Connect,
                false
            ),
            (
                "http://s.gov.cn/gone.html".into(),
                BrokenReason::Http(404),
                true
            ),
            (
                "http://s.gov.cn/moved.html".into(),
                BrokenReason::Soft404,
                true
            ),
            (
                "http://s.gov.cn/soft.html".into(),
                BrokenReason::Soft404,
                true
            ),
        ]
    );
}

#[test]
fn missing_marks_are_reported_per_mark() {
    let mut r = records(&[]);
    let f = r.pages.get_mut(HOME).unwrap().facts.as_mut().unwrap();
    std::sync::Arc::make_mut(&mut f.marks).icp = None;
    std::sync::Arc::make_mut(&mut f.marks).badge = false;
    let report = run(&r);
    let marks: Vec<Mark> = report
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::MarkMissing { mark, .. } => Some(*mark),
            _ => None,
        })
        .collect();
    assert_eq!(marks, [Mark::Badge, Mark::Icp]);
}

#[test]
fn disclosures_missing_late_and_on_time() {
    let mut col = list(&["2025-02-10", "2025-01-20"]);
    col.facts.as_mut().unwrap().items[0].title = "2024年部门预算公开".into();
    col.facts.as_mut().unwrap().items[1].title = "2024年政府信息公开工作年度报告".into();
    let r = records(&[("政府信息公开年报", "nb/", col)]);
    let mk = |id: &str, pattern: &str, due: Option<&str>| Disclosure {
        id: id.into(),
        unit: "u".into(),
        site: "s".into(),
        name: id.into(),
        column: "政府信息公开年报".into(),
        r#match: pattern.into(),
        due: due.map(d),
        max_age_days: 0,
        schedule: Default::default(),
    };
    let on_time = mk("annual", "2024年.*年度报告", Some("2025-01-31"));
    let late = mk("budget", "2024年.*预算", Some("2025-01-31"));
    let missing = mk("final", "2024年.*决算", None);
    let site = site();
    let checks = BTreeMap::new();
    let report = analyze_site(
        &SiteInput {
            site: &site,
            records: &r,
            run_checks: &checks,
            probes: &[],
            portal: None,
            disclosures: vec![&on_time, &late, &missing],
            first_seen: &BTreeMap::new(),
            calendar: None,
            fault: None,
            dismissed: &Dismissals::default(),
            relays: &[],
            accounts: &[],
        },
        d("2025-09-30"),
        &Rules::default(),
    );
    assert_eq!(
        rules_of(&report),
        [
            ("disclosure.late", "budget".to_string()),
            ("disclosure.missing", "final".to_string()),
        ]
    );
    assert!(report.findings.iter().any(|f| matches!(f,
        Finding::DisclosureLate { published: Some(p), due, .. } if p == "2025-02-10" && due == "2025-01-31")));
}

#[test]
fn unreachable_veto_needs_a_week_of_probes_every_day() {
    // Probes at 10:00 China time on each of the 7 days up to as_of.
    let probe = |day: u32, ok: bool| ProbeRecord {
        site: "s".into(),
        url: HOME.into(),
        probed_at: format!("2025-09-{day:02}T02:00:00Z"),
        ok,
        elapsed_ms: 1,
        reason: None,
    };
    let rules = Rules::default();
    let as_of = d("2025-09-30");
    let week = |failures: usize| -> Vec<ProbeRecord> {
        let mut v = Vec::new();
        for day in 24..=30 {
            for _ in 0..20 {
                v.push(probe(day, true));
            }
        }
        for p in v.iter_mut().take(failures) {
            p.ok = false;
        }
        v
    };
    assert_eq!(
        unreachable_veto(&week(7), as_of, &rules).as_deref(),
        Some(veto::SITE_UNREACHABLE),
        "7 of 140 is exactly 5%"
    );
    assert_eq!(unreachable_veto(&week(6), as_of, &rules), None);
    // A day with too few probes: the rule cannot be judged.
    let mut short = week(140);
    short.truncate(139);
    assert_eq!(unreachable_veto(&short, as_of, &rules), None);
    // Blocked visits count neither way.
    let mut walled = week(0);
    for p in walled.iter_mut().take(70) {
        p.ok = false;
        p.reason = Some("blocked".into());
    }
    assert_eq!(unreachable_veto(&walled, as_of, &rules), None);
    // Probes outside the window do not count.
    let mut late = week(140);
    for p in late.iter_mut() {
        p.probed_at = p.probed_at.replace("2025-09-", "2025-08-");
    }
    assert_eq!(unreachable_veto(&late, as_of, &rules), None);
}

#[test]
fn accounts_stale_fresh_and_failing() {
    let account = Account {
        id: "wb".into(),
        name: "发布".into(),
        unit: "u".into(),
        platform: Platform::Weibo,
        feed: Some("http://f.test/wb.xml".into()),
        uid: None,
    };
    let post = |s: &str| Post {
        title: "p".into(),
        url: None,
        date: Some(d(s)),
        ..Post::default()
    };
    let ok = fetch("http://f.test/wb.xml", Some(200), None);
    let rules = Rules::default();
    let fresh = (ok.clone(), vec![post("2025-09-16")]);
    let r = analyze_account(
        &account,
        Some(&fresh),
        &[],
        d("2025-09-30"),
        &rules,
        &Dismissals::default(),
    );
    assert_eq!(r.verdict, Verdict::Qualified);
    // The last day of the window: quiet 14 days, stale from tomorrow.
    let status = r.account.expect("the feed was read");
    assert_eq!(status.last_post.as_deref(), Some("2025-09-16"));
    assert_eq!((status.days_idle, status.days_left), (Some(14), Some(1)));
    assert_eq!(status.stale_from.as_deref(), Some("2025-10-01"));
    let stale = (ok.clone(), vec![post("2025-09-15"), post("2025-12-01")]);
    let r = analyze_account(
        &account,
        Some(&stale),
        &[],
        d("2025-09-30"),
        &rules,
        &Dismissals::default(),
    );
    assert_eq!(r.verdict, Verdict::Unqualified);
    assert!(
        matches!(&r.findings[0], Finding::AccountStale { last_post: Some(p), .. } if p == "2025-09-15")
    );
    let failing = (fetch("http://f.test/wb.xml", Some(500), None), vec![]);
    let r = analyze_account(
        &account,
        Some(&failing),
        &[],
        d("2025-09-30"),
        &rules,
        &Dismissals::default(),
    );
    assert_eq!(r.verdict, Verdict::Inconclusive);
    let status = r.account.as_ref().unwrap();
    assert!(
        r.findings.is_empty() && status.last_post.is_none(),
        "nothing read, nothing said"
    );
    assert_eq!(status.state, Some(AccountState::Unreachable));
}

#[test]
fn an_account_ends_in_one_state_and_only_stale_and_zombie_are_problems() {
    use xunjian_model::observe::BlockKind;
    let account = Account {
        id: "wb".into(),
        name: "发布".into(),
        unit: "u".into(),
        platform: Platform::Weibo,
        feed: Some("http://f.test/wb.xml".into()),
        uid: None,
    };
    let post = |s: &str| Post {
        title: "p".into(),
        url: None,
        date: Some(d(s)),
        ..Post::default()
    };
    let ok = fetch("http://f.test/wb.xml", Some(200), None);
    let judge = |fetch: &FetchRecord, posts: Vec<Post>| {
        analyze_account(
            &account,
            Some(&(fetch.clone(), posts)),
            &[],
            d("2025-09-30"),
            &Rules::default(),
            &Dismissals::default(),
        )
    };
    let state = |r: &TargetReport| r.account.as_ref().and_then(|a| a.state);
    // 31 days quiet: stale; 120 days: a 僵尸号 as well, said in the evidence.
    let r = judge(&ok, vec![post("2025-08-30")]);
    assert_eq!(state(&r), Some(AccountState::Stale));
    assert!(matches!(
        &r.findings[..],
        [Finding::AccountStale { zombie: false, .. }]
    ));
    let r = judge(&ok, vec![post("2025-06-01")]);
    assert_eq!(state(&r), Some(AccountState::Zombie));
    assert_eq!(r.vetoes, [veto::ACCOUNT_NOT_UPDATED]);
    let Finding::AccountStale {
        zombie, evidence, ..
    } = &r.findings[0]
    else {
        panic!("{:?}", r.findings);
    };
    assert!(
        *zombie && evidence.contains("已超过90天未更新（僵尸号）"),
        "{evidence}"
    );
    // Nothing posted, or nothing dated: a person must look; never stale.
    for posts in [
        vec![],
        vec![Post {
            title: "无日期".into(),
            url: None,
            date: None,
            ..Post::default()
        }],
    ] {
        let r = judge(&ok, posts);
        assert_eq!(state(&r), Some(AccountState::Empty));
        assert_eq!(r.verdict, Verdict::Inconclusive);
        assert!(r.findings.is_empty() && r.vetoes.is_empty());
        assert!(
            r.inconclusive[0].contains("需人工核验"),
            "{:?}",
            r.inconclusive
        );
    }
    // A block, a login wall, an unknown format: inconclusive, never stale.
    for (blocked, error, want) in [
        (Some(BlockKind::Forbidden), None, AccountState::Blocked),
        (Some(BlockKind::Captcha), None, AccountState::Blocked),
        (
            Some(BlockKind::LoginRequired),
            None,
            AccountState::LoginRequired,
        ),
        (None, Some(FailKind::Format), AccountState::UnknownFormat),
    ] {
        let mut f = ok.clone();
        f.blocked = blocked;
        f.error = error;
        let r = judge(&f, vec![]);
        assert_eq!(state(&r), Some(want));
        assert_eq!(r.verdict, Verdict::Inconclusive, "{want:?}");
        assert!(r.findings.is_empty() && r.vetoes.is_empty());
        assert!(
            r.inconclusive[0].contains(want.label_zh()),
            "{:?}",
            r.inconclusive
        );
    }
    // No feed and no reader (a Douyin account): 需人工核验, in its own state.
    let douyin = Account {
        platform: Platform::Douyin,
        feed: None,
        ..account.clone()
    };
    let r = analyze_account(
        &douyin,
        None,
        &[],
        d("2025-09-30"),
        &Rules::default(),
        &Dismissals::default(),
    );
    assert_eq!(state(&r), Some(AccountState::NoReader));
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert!(r.findings.is_empty() && r.inconclusive[0].contains("需人工核验"));
}

/// A list page of `(title, path, date)` items.
fn titled(items: &[(&str, &str, &str)]) -> PageRecord {
    let mut f = facts(ListState::Items, &[]);
    f.items = items
        .iter()
        .map(|(title, path, date)| ListItem {
            title: title.to_string(),
            url: format!("http://s.gov.cn/{path}"),
            date: Some(d(date)),
            date_source: DateSource::List,
            reply: None,
        })
        .collect();
    page("x", Some(f), vec![])
}

/// A detail page at `path` linking to `targets`.
fn detail(r: &mut SiteRecords, path: &str, targets: &[&str]) {
    let url = format!("http://s.gov.cn/{path}");
    let mut f = facts(ListState::None, &[]);
    f.kind = PageKind::Detail;
    let links = targets
        .iter()
        .map(|t| a(&format!("http://s.gov.cn/{t}"), "相关链接", false))
        .collect();
    r.pages.insert(url.clone(), page(&url, Some(f), links));
}

#[test]
fn policies_paired_with_interpretations_by_link_and_title() {
    let mut r = records(&[
        (
            "规范性文件",
            "gfxwj/",
            titled(&[
                (
                    "示范区城镇老旧小区改造实施办法",
                    "gfxwj/p1.html",
                    "2025-09-01",
                ),
                ("示范区住房租赁市场管理办法", "gfxwj/p2.html", "2025-08-05"),
                ("示范区建筑垃圾管理规定", "gfxwj/p3.html", "2025-07-10"),
                ("示范区物业服务收费管理办法", "gfxwj/p4.html", "2025-06-20"),
                ("示范区招标投标管理办法", "gfxwj/p5.html", "2024-06-20"),
                ("示范区停车管理办法", "gfxwj/p6.html", "2025-09-29"),
            ]),
        ),
        (
            "政策解读",
            "zcjd/",
            titled(&[
                (
                    "《示范区城镇老旧小区改造实施办法》政策解读",
                    "zcjd/i1.html",
                    "2025-09-17",
                ),
                (
                    "《示范区住房租赁市场管理办法》解读",
                    "zcjd/i2.html",
                    "2025-08-05",
                ),
                ("图解建筑垃圾管理", "zcjd/i3.html", "2025-07-10"),
            ]),
        ),
    ]);
    // p1 ⇄ i1 but i1 came 12 working days later; p2 → i2 only; p3 ⇄ i3 by links alone (the title
    // does not name it); p4 has nothing; p5 is older than the look-back; p6 is within its lag.
    detail(&mut r, "gfxwj/p1.html", &["zcjd/i1.html"]);
    detail(&mut r, "zcjd/i1.html", &["gfxwj/p1.html"]);
    detail(&mut r, "gfxwj/p2.html", &["zcjd/i2.html"]);
    detail(&mut r, "zcjd/i2.html", &[]);
    detail(&mut r, "gfxwj/p3.html", &["zcjd/i3.html"]);
    detail(&mut r, "zcjd/i3.html", &["gfxwj/p3.html"]);
    detail(&mut r, "gfxwj/p4.html", &[]);
    detail(&mut r, "gfxwj/p5.html", &[]);
    detail(&mut r, "gfxwj/p6.html", &[]);
    let report = run_with(&r, Some(&calendar::WorkCalendar::bundled().unwrap()));
    let policy: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule().starts_with("policy."))
        .collect();
    assert_eq!(
        policy
            .iter()
            .map(|f| (f.rule(), f.object()))
            .collect::<Vec<_>>(),
        [
            (
                "policy.interpretation_late",
                "http://s.gov.cn/zcjd/i1.html".to_string()
            ),
            (
                "policy.link_one_way",
                "http://s.gov.cn/gfxwj/p2.html".to_string()
            ),
            (
                "policy.uninterpreted",
                "http://s.gov.cn/gfxwj/p4.html".to_string()
            ),
        ]
    );
    assert!(matches!(
        policy[0],
        Finding::InterpretationLate {
            lag_workdays: 12,
            ..
        }
    ));
    assert!(
        matches!(policy[1], Finding::PolicyLinkOneWay { direction, .. }
        if direction == "policy_to_interpretation")
    );
    assert_eq!(report.verdict, Verdict::Qualified, "not a veto");

    // Without the policy's page there is no judging it; without a calendar, no lag.
    r.pages.remove("http://s.gov.cn/gfxwj/p4.html");
    let report = run(&r);
    let rules: Vec<_> = report.findings.iter().map(Finding::rule).collect();
    assert_eq!(rules, ["policy.link_one_way"]);
    assert_eq!(
        report.verdict,
        Verdict::Qualified,
        "an unread policy page is a note only"
    );

    // A later page of the 解读 column that could not be read may hold p4's 解读: not judged then.
    let mut paged = r.clone();
    detail(&mut paged, "gfxwj/p4.html", &[]);
    let policy_rules = |records: &SiteRecords| -> Vec<&'static str> {
        run(records)
            .findings
            .iter()
            .map(Finding::rule)
            .filter(|r| r.starts_with("policy."))
            .collect()
    };
    assert_eq!(
        policy_rules(&paged),
        ["policy.link_one_way", "policy.uninterpreted"]
    );
    paged
        .pages
        .get_mut("http://s.gov.cn/zcjd/")
        .unwrap()
        .links
        .push(
            Link {
                target: "http://s.gov.cn/zcjd/index_1.html".into(),
                anchor: "下一页".into(),
                element: LinkElement::Pagination,
                nav: false,
            }
            .into(),
        );
    assert_eq!(policy_rules(&paged), ["policy.link_one_way"]);

    // A site without an interpretation column is not judged.
    let mut bare = r.clone();
    bare.pages.remove("http://s.gov.cn/zcjd/");
    let rules: Vec<_> = run(&bare)
        .findings
        .iter()
        .map(Finding::rule)
        .collect::<Vec<_>>();
    assert!(!rules.iter().any(|r| r.starts_with("policy.")), "{rules:?}");
}

#[test]
fn a_policy_on_the_second_list_page_is_paired_too() {
    let mut r = records(&[
        (
            "规范性文件",
            "gfxwj/",
            titled(&[("示范区停车管理办法", "gfxwj/p1.html", "2025-08-01")]),
        ),
        (
            "政策解读",
            "zcjd/",
            titled(&[("《示范区停车管理办法》解读", "zcjd/i1.html", "2025-08-01")]),
        ),
    ]);
    detail(&mut r, "gfxwj/p1.html", &["zcjd/i1.html"]);
    detail(&mut r, "zcjd/i1.html", &["gfxwj/p1.html"]);
    detail(&mut r, "gfxwj/p2.html", &[]);
    let policy_rules = |records: &SiteRecords| -> Vec<(&'static str, String)> {
        run_with(records, Some(&calendar::WorkCalendar::bundled().unwrap()))
            .findings
            .iter()
            .filter(|f| f.rule().starts_with("policy."))
            .map(|f| (f.rule(), f.object()))
            .collect()
    };
    assert_eq!(policy_rules(&r), []);
    // The list's second page holds p2, which nothing interprets.
    let second = "http://s.gov.cn/gfxwj/index_1.html";
    let mut later = titled(&[("示范区户外广告管理办法", "gfxwj/p2.html", "2025-07-01")]);
    later.fetch.url = second.into();
    later.fetch.final_url = second.into();
    r.pages.insert(second.into(), later);
    r.pages
        .get_mut("http://s.gov.cn/gfxwj/")
        .unwrap()
        .links
        .push(
            Link {
                target: second.into(),
                anchor: "下一页".into(),
                element: LinkElement::Pagination,
                nav: false,
            }
            .into(),
        );
    assert_eq!(
        policy_rules(&r),
        [(
            "policy.uninterpreted",
            "http://s.gov.cn/gfxwj/p2.html".to_string()
        )]
    );
}

#[test]
fn consultation_channel_present_missing_broken_or_unjudgeable() {
    let mut r = records(&[("工作动态", "gzdt/", list(&["2025-09-29"]))]);
    assert!(run(&r).vetoes.is_empty());

    // Twelve ordinary links and no channel: a veto.
    let home = r.pages.get_mut(HOME).unwrap();
    home.links.retain(|l| l.anchor != "领导信箱");
    for i in 0..11 {
        home.links
            .push(a(&format!("http://s.gov.cn/x{i}.html"), "政务公开", false).into());
    }
    home.links
        .push(a("http://s.gov.cn/xf.html", "网上信访", false).into());
    let report = run(&r);
    assert_eq!(report.vetoes, [veto::NO_CONSULT_CHANNEL]);
    assert_eq!(
        rules_of(&report),
        [("interaction.no_channel", HOME.to_string())]
    );

    // A channel whose only link is broken is no channel.
    let mut broken = r.clone();
    let home = broken.pages.get_mut(HOME).unwrap();
    home.links
        .push(a("http://s.gov.cn/ldxx/", "区长信箱", false).into());
    broken.pages.insert(
        "http://s.gov.cn/ldxx/".into(),
        PageRecord {
            fetch: fetch("http://s.gov.cn/ldxx/", Some(404), None),
            depth: 1,
            facts: None,
            links: vec![],
        },
    );
    let report = run(&broken);
    assert_eq!(report.vetoes, [veto::NO_CONSULT_CHANNEL]);
    assert!(report.findings.iter().any(|f| matches!(f,
        Finding::NoConsultChannel { broken, .. } if broken == &["http://s.gov.cn/ldxx/"])));

    // A channel one level down, on a page the navigation leads to, is a channel.
    let mut deeper = r.clone();
    deeper
        .pages
        .get_mut(HOME)
        .unwrap()
        .links
        .push(a("http://s.gov.cn/ggfw/", "公共服务", true).into());
    deeper.pages.insert(
        "http://s.gov.cn/ggfw/".into(),
        page(
            "http://s.gov.cn/ggfw/",
            Some(facts(ListState::None, &[])),
            vec![a("http://s.gov.cn/ggfw/xx.html", "区长信箱", false)],
        ),
    );
    assert!(run(&deeper).vetoes.is_empty());
    // A navigation page that could not be read leaves the question open.
    let mut unread = r.clone();
    unread
        .pages
        .get_mut(HOME)
        .unwrap()
        .links
        .push(a("http://s.gov.cn/hdjl/", "政民服务", true).into());
    unread.pages.insert(
        "http://s.gov.cn/hdjl/".into(),
        PageRecord {
            fetch: fetch("http://s.gov.cn/hdjl/", Some(503), None),
            depth: 1,
            facts: None,
            links: vec![],
        },
    );
    let report = run(&unread);
    assert!(report.vetoes.is_empty());
    assert_eq!(report.verdict, Verdict::Inconclusive);
    // So does it when the only channel found is broken: the unread page may hold another.
    let mut broken_unread = broken.clone();
    for (url, page) in &unread.pages {
        broken_unread
            .pages
            .entry(url.clone())
            .or_insert(page.clone());
    }
    broken_unread
        .pages
        .get_mut(HOME)
        .unwrap()
        .links
        .push(a("http://s.gov.cn/hdjl/", "政民服务", true).into());
    let report = run(&broken_unread);
    assert!(report.vetoes.is_empty());
    assert_eq!(report.verdict, Verdict::Inconclusive);

    // A homepage of three links (drawn by script) cannot say.
    let home = r.pages.get_mut(HOME).unwrap();
    home.links.truncate(3);
    let report = run(&r);
    assert!(report.vetoes.is_empty());
    assert_eq!(report.verdict, Verdict::Inconclusive);
}

#[test]
fn messages_unanswered_for_more_than_three_months() {
    let reply = |answered: bool, date: Option<&str>| {
        Some(Reply {
            answered,
            date: date.map(d),
        })
    };
    let mut box_page = titled(&[
        ("咨询公租房申请", "ldxx/1.html", "2025-08-20"),
        ("反映供暖不达标", "ldxx/2.html", "2025-05-10"),
        ("建议增设公交站", "ldxx/3.html", "2025-03-01"),
        ("咨询落户政策", "ldxx/4.html", "2025-02-01"),
        ("反映噪音扰民", "ldxx/5.html", "2024-08-01"),
    ]);
    let replies = [
        reply(false, None),              // pending, but within 3 months
        reply(false, None),              // pending for more than 3 months
        reply(true, Some("2025-07-15")), // answered after 4 months
        reply(true, Some("2025-02-20")), // answered in time
        reply(false, None),              // older than the look-back year
    ];
    let facts = box_page.facts.as_mut().unwrap();
    facts.title = Some("区长信箱-测试网站".into());
    for (item, r) in facts.items.iter_mut().zip(replies) {
        item.reply = r;
    }
    let r = records(&[("领导信箱", "ldxx/", box_page.clone())]);
    let report = run(&r);
    assert_eq!(report.vetoes, [veto::MESSAGES_UNANSWERED]);
    let found: Vec<_> = report
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::MessageUnanswered { url, replied, .. } => {
                Some((url.as_str(), replied.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        found,
        [
            ("http://s.gov.cn/ldxx/2.html", None),
            (
                "http://s.gov.cn/ldxx/3.html",
                Some("2025-07-15".to_string())
            ),
        ]
    );

    // The same rows in a 网上信访 list are not counted, nor in a list that is not a 政务咨询 list
    // (办件公示: 办理中 there is an application, not a message).
    let mut xf = box_page.clone();
    xf.facts.as_mut().unwrap().column_name = Some("网上信访".into());
    let report = run(&records(&[("网上信访", "xf/", xf)]));
    assert!(report.vetoes.is_empty());
    box_page.facts.as_mut().unwrap().title = Some("办件公示-测试网站".into());
    let report = run(&records(&[("办件公示", "bjgs/", box_page)]));
    assert!(report.vetoes.is_empty());
}

/// A list whose items carry no date on the list: judged by their own pages when those were read.
fn undated_list(items: &[&str]) -> PageRecord {
    let mut f = facts(ListState::Items, &[]);
    f.items = items
        .iter()
        .map(|path| ListItem {
            title: "信息".into(),
            url: format!("http://s.gov.cn/{path}"),
            date: None,
            date_source: DateSource::List,
            reply: None,
        })
        .collect();
    page("x", Some(f), vec![])
}

#[test]
fn undated_items_whose_pages_were_not_read_leave_the_column_unjudged() {
    let column = |r: &TargetReport| -> Vec<(&'static str, String)> {
        rules_of(r)
            .into_iter()
            .filter(|(rule, _)| rule.starts_with("column."))
            .collect()
    };
    let mut r = records(&[("通知公告", "tzgg/", undated_list(&["tzgg/1.html"]))]);
    // The item page answered without a date: 19号 counts the column as not updated.
    let undated = facts(ListState::None, &[]);
    r.pages.insert(
        "http://s.gov.cn/tzgg/1.html".into(),
        page("http://s.gov.cn/tzgg/1.html", Some(undated), vec![]),
    );
    let stale = run(&r);
    assert_eq!(
        column(&stale),
        [("column.stale", "http://s.gov.cn/tzgg/".into())]
    );
    // Its page timed out: no verdict on the column.
    let item = r.pages.get_mut("http://s.gov.cn/tzgg/1.html").unwrap();
    item.fetch.error = Some(FailKind::Timeout);
    item.fetch.status = None;
    item.facts = None;
    let failed = run(&r);
    assert!(column(&failed).is_empty(), "{:?}", column(&failed));
    let status = failed
        .columns
        .iter()
        .find(|c| c.name == "通知公告")
        .unwrap();
    assert_eq!(
        status.state,
        xunjian_model::finding::ColumnCondition::Unknown
    );
    // Not reached by a crawl cut short: no verdict either; reached by none in a finished crawl
    // (an item outside the site): undated, so not updated.
    r.pages.remove("http://s.gov.cn/tzgg/1.html");
    r.done = Some(false);
    assert!(column(&run(&r)).is_empty());
    r.done = Some(true);
    assert_eq!(
        column(&run(&r)),
        [("column.stale", "http://s.gov.cn/tzgg/".into())]
    );
}
