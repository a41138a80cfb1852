//! Store tests against a real SQLite file, and against PostgreSQL when `XUNJIAN_TEST_PG` names one
//! (`.ci/run` starts a server and sets it).

use chrono::NaiveDate;
use xunjian_model::finding::{BrokenReason, Finding};
use xunjian_model::observe::*;
use xunjian_model::{TargetKind, TargetReport, Verdict};

use super::*;

fn fetch(url: &str, status: Option<u16>, error: Option<FailKind>) -> FetchRecord {
    FetchRecord {
        url: url.into(),
        final_url: url.into(),
        redirects: vec![],
        status,
        error,
        blocked: None,
        elapsed_ms: 12,
        attempts: 1,
        bytes: 100,
        content_type: Some("text/html".into()),
        charset: Some("utf-8".into()),
        content_hash: Some("ab".into()),
        fetched_at: "2025-09-30T01:02:03Z".into(),
        etag: None,
        last_modified: None,
    }
}

fn facts() -> PageFacts {
    PageFacts {
        title: Some("通知公告".into()),
        kind: PageKind::List,
        published: None,
        published_source: None,
        breadcrumb: Vec::new(),
        column_name: Some("通知公告".into()),
        list: ListState::Items,
        items: vec![
            ListItem {
                title: "关于…的通知".into(),
                url: "http://a/tzgg/202509/t20250920_1.html".into(),
                date: NaiveDate::from_ymd_opt(2025, 9, 20),
                date_source: DateSource::List,
                reply: Some(Reply {
                    answered: true,
                    date: NaiveDate::from_ymd_opt(2025, 9, 25),
                }),
            },
            ListItem {
                title: "无日期".into(),
                url: "http://a/tzgg/x.html".into(),
                date: None,
                date_source: DateSource::None,
                reply: Some(Reply {
                    answered: false,
                    date: None,
                }),
            },
        ],
        marks: Default::default(),
        says_not_found: false,
        fingerprint: "ff".into(),
        content: Default::default(),
        // A 政务新媒体矩阵's entries are kept with the page's facts.
        matrix: Some(vec![xunjian_model::observe::MatrixEntry {
            name: "崂山发布".into(),
            platform: Some(xunjian_model::seeds::Platform::Wechat),
        }]),
    }
}

fn batch() -> Vec<Observation> {
    vec![
        Observation::Fetched {
            target: "portal".into(),
            depth: 1,
            purpose: Purpose::Page,
            fetch: fetch("http://a/tzgg/index.html", Some(200), None),
            facts: Some(facts()),
            links: vec![Link {
                target: "http://a/missing.html".into(),
                anchor: "坏链".into(),
                element: LinkElement::A,
                nav: false,
            }],
            unchanged: None,
        },
        Observation::Fetched {
            target: "portal".into(),
            depth: 2,
            purpose: Purpose::Check,
            fetch: fetch("http://b/x.png", None, Some(FailKind::Connect)),
            facts: None,
            links: vec![],
            unchanged: None,
        },
        Observation::Feed {
            account: "wb".into(),
            fetch: fetch("http://f/feed.xml", Some(200), None),
            posts: vec![Post {
                title: "p".into(),
                url: None,
                date: NaiveDate::from_ymd_opt(2025, 9, 1),
                id: Some("KkZmHd2rQ".into()),
                at: Some("2025-09-01T11:00:31+08:00".into()),
                flags: PostFlags {
                    pinned: true,
                    repost: true,
                    deleted: false,
                },
            }],
        },
        Observation::Probe(ProbeRecord {
            site: "portal".into(),
            url: "http://a/".into(),
            probed_at: "2025-09-30T01:00:00Z".into(),
            ok: false,
            elapsed_ms: 15000,
            reason: Some("timeout".into()),
        }),
        Observation::TargetDone {
            target: "portal".into(),
            complete: true,
            pages: 1,
            cut_by: None,
        },
    ]
}

async fn round_trip(store: Store) {
    let run = store
        .create_run("seeds.toml", "hash", "2025-09-30", "2025-09-30T00:00:00Z")
        .await
        .unwrap();
    let resumable = store.resumable_run("hash", "2025-09-30").await.unwrap();
    assert_eq!(resumable.map(|r| r.id), Some(run));
    store.write(run, &batch()).await.unwrap();
    // Writing the same observations again (a resumed crawl) adds no rows, except the probe log.
    store.write(run, &batch()[..3]).await.unwrap();

    let site = store.site_records(run, "portal").await.unwrap();
    assert_eq!(site.pages.len(), 1);
    let page = &site.pages["http://a/tzgg/index.html"];
    assert_eq!(page.facts.as_deref().unwrap(), &facts());
    assert_eq!(page.links.len(), 1);
    assert_eq!(page.depth, 1);
    assert_eq!(site.checks["http://b/x.png"].error, Some(FailKind::Connect));
    assert_eq!(site.done, Some(true));
    assert_eq!(
        store.fetched_urls(run, "portal").await.unwrap().len(),
        2,
        "one page and one check"
    );
    assert_eq!(store.run_checks(run).await.unwrap().len(), 1);
    // What the run recorded of one page, for evidence: the fetch, and the page as read.
    let (f, read) = store
        .crawled(run, "http://a/tzgg/index.html")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(f.status, Some(200));
    assert_eq!(read.as_ref(), Some(&facts()));
    let (f, read) = store.crawled(run, "http://b/x.png").await.unwrap().unwrap();
    assert_eq!((f.error, read), (Some(FailKind::Connect), None));
    assert!(store.crawled(run, "http://a/none").await.unwrap().is_none());
    let first = store.first_seen(run, "portal").await.unwrap();
    assert_eq!(
        first
            .get("http://a/tzgg/202509/t20250920_1.html")
            .map(String::as_str),
        Some("2025-09-30T01:02:03Z"),
        "items are first seen when their list page was fetched"
    );
    assert_eq!(
        first.get("http://a/tzgg/index.html").map(String::as_str),
        Some("2025-09-30T01:02:03Z")
    );
    assert!(
        !first.contains_key("http://b/x.png"),
        "checks are not pages"
    );

    assert_eq!(
        store
            .link_sources(run, "portal", &["http://a/missing.html".to_string()])
            .await
            .unwrap(),
        vec![(
            "http://a/missing.html".to_string(),
            "http://a/tzgg/index.html".to_string()
        )]
    );
    // A second run that sees the same body shares its version: one more fetch row, no more
    // versions, URLs or items.
    let count = |table: &'static str| {
        let pool = store.pool.clone();
        async move {
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .unwrap()
                .try_get(0)
                .unwrap();
            n
        }
    };
    let before = (
        count("versions").await,
        count("urls").await,
        count("version_items").await,
    );
    let again = store
        .create_run("seeds.toml", "hash", "2025-10-31", "2025-10-31T00:00:00Z")
        .await
        .unwrap();
    store.write(again, &batch()[..1]).await.unwrap();
    let after = (
        count("versions").await,
        count("urls").await,
        count("version_items").await,
    );
    assert_eq!(before, after);
    assert_eq!(before, (1, 6, 2));
    let shared = store.site_records(again, "portal").await.unwrap();
    assert_eq!(shared.pages["http://a/tzgg/index.html"].facts, page.facts);
    assert_eq!(shared.pages["http://a/tzgg/index.html"].links, page.links);

    let (feed, posts) = store.account_records(run, "wb").await.unwrap().unwrap();
    assert_eq!(feed.status, Some(200));
    assert_eq!(posts.len(), 1);

    let probes = store
        .probes("portal", "2025-09-29T00:00:00Z", "2025-10-01T00:00:00Z")
        .await
        .unwrap();
    assert_eq!(probes.len(), 1);
    assert!(!probes[0].ok);

    let reports = vec![TargetReport {
        not_checked: Vec::new(),
        id: "portal".into(),
        kind: TargetKind::Site,
        unit: "zfb".into(),
        verdict: Verdict::Unqualified,
        vetoes: vec!["web.veto.blank_columns".into()],
        score: None,
        findings: vec![Finding::LinkBroken {
            url: "http://a/missing.html".into(),
            sources: vec!["http://a/tzgg/index.html".into()],
            source_count: 1,
            reason: BrokenReason::Http(404),
            status: Some(404),
            internal: true,
            on_homepage: false,
            evidence: "e".into(),
            seen: None,
        }],
        name: "门户".into(),
        inconclusive: vec![],
        rules: vec![],
        columns: vec![],
        account: None,
        homepage: None,
        marks: None,
        disclosures: vec![],
        dismissed: vec![],
        relays: vec![],
        matrix: None,
    }];
    store.save_reports(run, &reports).await.unwrap();
    store.save_reports(run, &reports).await.unwrap();
    assert_eq!(store.load_reports(run).await.unwrap(), reports);
    let history = store.target_history("portal", 10).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].findings,
            history[0].stale_columns,
            history[0].broken_links
        ),
        (1, 0, 1)
    );
    let trend = store.verdict_trend(10).await.unwrap();
    assert_eq!(trend.len(), 1);
    assert_eq!(
        (
            trend[0].qualified,
            trend[0].unqualified,
            trend[0].inconclusive
        ),
        (0, 1, 0)
    );

    store
        .set_run_status(run, "analyzed", "2025-09-30T02:00:00Z")
        .await
        .unwrap();
    assert_eq!(
        store.run(Some(run)).await.unwrap().unwrap().status,
        "analyzed"
    );
    assert!(store
        .resumable_run("hash", "2025-09-30")
        .await
        .unwrap()
        .is_none());
    assert!(matches!(
        store.set_run_status(run + 1000, "x", "y").await,
        Err(StoreError::NoRun(_))
    ));
}

#[tokio::test]
async fn sqlite_round_trip_and_idempotent_writes() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Sqlite);
    round_trip(store.clone()).await;
    store.close().await;
    // Reopening runs no migration twice.
    let store = Store::open(&url).await.unwrap();
    assert!(store.run(None).await.unwrap().is_some());
}

/// Three runs of one page: the oldest is pruned with its probe, the page version it shares with
/// the kept runs stays, and the kept runs read as before.
async fn prune_keeps_what_later_runs_use(store: Store) {
    let mut runs = Vec::new();
    for (day, hash) in [("01", "v1"), ("02", "v2"), ("03", "v2")] {
        let started = format!("2025-09-{day}T00:00:00Z");
        let run = store
            .create_run("seeds.toml", "h", "2025-09-30", &started)
            .await
            .unwrap();
        let mut b = batch();
        if let Observation::Fetched { fetch, .. } = &mut b[0] {
            fetch.content_hash = Some(hash.into());
        }
        if let Observation::Probe(p) = &mut b[3] {
            p.probed_at = started.clone();
        }
        store.write(run, &b).await.unwrap();
        store
            .set_run_status(run, "reported", &started)
            .await
            .unwrap();
        runs.push(run);
    }
    let versions = || async {
        sqlx::query("SELECT COUNT(*) FROM versions")
            .fetch_one(&store.pool)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    };
    assert_eq!(versions().await, 2);
    let pruned = store.prune("2025-09-02T00:00:00Z").await.unwrap();
    assert_eq!(
        pruned,
        Pruned {
            runs: 1,
            probes: 1,
            versions: 1
        }
    );
    assert!(store.run(Some(runs[0])).await.unwrap().is_none());
    assert_eq!(versions().await, 1);
    for run in &runs[1..] {
        let site = store.site_records(*run, "portal").await.unwrap();
        assert_eq!(site.pages["http://a/tzgg/index.html"].links.len(), 1);
    }
    // The newest run is kept whatever the cutoff; pruning again removes only the middle one.
    let pruned = store.prune("2030-01-01T00:00:00Z").await.unwrap();
    assert_eq!((pruned.runs, pruned.versions), (1, 0));
    assert!(store.run(Some(runs[2])).await.unwrap().is_some());
    let site = store.site_records(runs[2], "portal").await.unwrap();
    assert_eq!(site.pages.len(), 1);
}

#[tokio::test]
async fn sqlite_prune_keeps_what_later_runs_use() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    prune_keeps_what_later_runs_use(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_prune_keeps_what_later_runs_use_when_configured() {
    let Some((admin, name, url)) = fresh_pg_database("prune").await else {
        skipped("PostgreSQL prune test");
        return;
    };
    let store = Store::open(&url).await.unwrap();
    prune_keeps_what_later_runs_use(store.clone()).await;
    store.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}

/// An event is kept per channel until it ends; ending one kind leaves the others alone.
async fn alerts_are_kept_until_their_event_ends(store: Store) {
    let at = "2025-10-01T01:00:00Z";
    store
        .mark_alert_sent("site_down", "site_down:a", "wecom:1", at)
        .await
        .unwrap();
    store
        .mark_alert_sent("site_down", "site_down:a", "wecom:1", at)
        .await
        .unwrap();
    store
        .mark_alert_sent("site_down", "site_down:a", "email:2", at)
        .await
        .unwrap();
    store
        .mark_alert_sent("site_down", "site_down:b", "wecom:1", at)
        .await
        .unwrap();
    store
        .mark_alert_sent("veto", "veto:a:x", "wecom:1", at)
        .await
        .unwrap();
    let sent = store.alerts_sent("site_down").await.unwrap();
    assert_eq!(sent.len(), 3);
    assert!(sent.contains(&("site_down:a".to_string(), "email:2".to_string())));
    let holding = ["site_down:a".to_string()].into_iter().collect();
    let ended = store.end_alerts("site_down", &holding).await.unwrap();
    assert_eq!(ended, ["site_down:b"]);
    assert_eq!(store.alerts_sent("site_down").await.unwrap().len(), 2);
    assert_eq!(
        store.alerts_sent("veto").await.unwrap().len(),
        1,
        "another kind"
    );
}

#[tokio::test]
async fn sqlite_alerts_are_kept_until_their_event_ends() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    alerts_are_kept_until_their_event_ends(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_alerts_are_kept_until_their_event_ends_when_configured() {
    let Some((admin, name, url)) = fresh_pg_database("alerts").await else {
        skipped("PostgreSQL alerts test");
        return;
    };
    let store = Store::open(&url).await.unwrap();
    alerts_are_kept_until_their_event_ends(store.clone()).await;
    store.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}

#[tokio::test]
async fn postgres_round_trip_when_configured() {
    // A fresh database per test run keeps the assertions exact.
    let Some((admin, name, url)) = fresh_pg_database("round_trip").await else {
        skipped("PostgreSQL store test");
        return;
    };
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    round_trip(store.clone()).await;
    store.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}

#[test]
fn rejects_unknown_urls() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt.block_on(Store::open("mysql://x")).unwrap_err();
    assert!(matches!(err, StoreError::Url(_)));
}

/// A database written by the schema before the compact store (migrations 1 and 2) is carried over
/// by migration 3: the same pages, links, items and checks read back.
#[tokio::test]
async fn the_compact_store_migration_carries_old_runs_over() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    migration_carries_over(&url, &SQLITE_MIGRATIONS).await;
}

#[tokio::test]
async fn the_compact_store_migration_carries_old_runs_over_on_postgres_when_configured() {
    let Some((admin, name, url)) = fresh_pg_database("migrate").await else {
        skipped("PostgreSQL migration test");
        return;
    };
    migration_carries_over(&url, &POSTGRES_MIGRATIONS).await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}

/// Say that a test was skipped, where the test output shows it: straight to the process's stderr,
/// which the test harness does not capture (it captures `eprintln!`).
fn skipped(what: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {what}: XUNJIAN_TEST_PG is not set (.ci/run sets it and starts PostgreSQL)"
    );
}

/// A new, empty PostgreSQL database under `XUNJIAN_TEST_PG`: (admin connection, name, URL).
async fn fresh_pg_database(tag: &str) -> Option<(sqlx::AnyPool, String, String)> {
    let base = std::env::var("XUNJIAN_TEST_PG").ok()?;
    // A plain connection: the server's own database is not migrated.
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&base).await.unwrap();
    let name = format!("xunjian_test_{tag}_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&admin)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
        .unwrap();
    let url = match base.rfind('/') {
        Some(i) if base[..i].ends_with(|c: char| c != '/') => format!("{}/{name}", &base[..i]),
        _ => format!("{base}/{name}"),
    };
    Some((admin, name, url))
}

async fn migration_carries_over(url: &str, all: &sqlx::migrate::Migrator) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let old = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(
            all.migrations
                .iter()
                .filter(|m| m.version <= 2)
                .cloned()
                .collect(),
        ),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    old.run(&pool).await.unwrap();
    let f = |url: &str, purpose: &str, status: &str, hash: &str| {
        format!(
            "(1, 'portal', '{purpose}', '{url}', '{url}', '[]', {status}, NULL, NULL, 5, 1, 10, \
             'text/html', 'utf-8', {hash}, '2025-09-30T01:02:03Z', 1)"
        )
    };
    let facts = serde_json::to_string(&PageFacts {
        items: vec![],
        ..facts()
    })
    .unwrap();
    for sql in [
        "INSERT INTO runs (id, seeds_path, seeds_hash, as_of, started_at, status) \
         VALUES (1, 's.toml', 'h', '2025-09-30', '2025-09-30T00:00:00Z', 'analyzed')"
            .to_string(),
        format!(
            "INSERT INTO fetches VALUES {}, {}, {}",
            f("http://a/", "page", "200", "'h1'"),
            f("http://a/tzgg/index.html", "page", "200", "'h2'"),
            f("http://b/x.png", "check", "404", "NULL")
        ),
        format!("INSERT INTO pages VALUES (1, 'portal', 'http://a/', '{facts}'), (1, 'portal', 'http://a/tzgg/index.html', '{facts}')"),
        "INSERT INTO links VALUES (1, 'portal', 'http://a/', 'http://a/tzgg/index.html', 'a', '通知公告', 1), \
         (1, 'portal', 'http://a/', 'http://b/x.png', 'img', '', 0), \
         (1, 'portal', 'http://a/tzgg/index.html', 'http://a/tzgg/1.html', 'a', '通知', 0)"
            .to_string(),
        "INSERT INTO list_items VALUES (1, 'portal', 'http://a/tzgg/index.html', 0, '通知公告', '通知', \
         'http://a/tzgg/1.html', '2025-09-20', 'list', 'answered', '2025-09-25')"
            .to_string(),
    ] {
        sqlx::query(&sql).execute(&pool).await.unwrap();
    }
    pool.close().await;

    let store = Store::open(url).await.unwrap();
    let site = store.site_records(1, "portal").await.unwrap();
    assert_eq!(site.pages.len(), 2);
    let home = &site.pages["http://a/"];
    let targets: Vec<(&str, &str)> = home
        .links
        .iter()
        .map(|l| (l.target.as_str(), l.anchor.as_str()))
        .collect();
    assert_eq!(
        targets,
        [
            ("http://a/tzgg/index.html", "通知公告"),
            ("http://b/x.png", "")
        ]
    );
    assert!(home.links[0].nav && home.links[0].element == LinkElement::A);
    let list = &site.pages["http://a/tzgg/index.html"];
    let items = &list.facts.as_ref().unwrap().items;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].url, "http://a/tzgg/1.html");
    assert_eq!(items[0].date, NaiveDate::from_ymd_opt(2025, 9, 20));
    assert_eq!(
        items[0].reply,
        Some(Reply {
            answered: true,
            date: NaiveDate::from_ymd_opt(2025, 9, 25)
        })
    );
    assert_eq!(list.links.len(), 1);
    assert_eq!(site.checks["http://b/x.png"].status, Some(404));
    // New writes after the migration go on from the carried-over ids.
    store.write(1, &batch()[..1]).await.unwrap();
    assert!(store.site_records(1, "portal").await.unwrap().pages.len() == 2);
    store.close().await;
}

/// A sighting of a column finding on `target` with `evidence`, seen at `seen`.
fn sighting(target: &str, column_url: &str, evidence: &str, seen: &str) -> crate::Sighting {
    let finding = xunjian_model::Finding::ColumnEmpty {
        url: column_url.into(),
        column: "通知公告".into(),
        evidence: evidence.into(),
        seen: Some(seen.into()),
    };
    crate::Sighting {
        key: finding.key(target),
        unit: "zfb".into(),
        finding,
        seen: seen.into(),
        evidence_hash: evidence.into(),
    }
}

/// The remediation loop: found, reported fixed, found again (still there), gone; a dispute
/// decided 误报 stays quiet until its evidence changes; an unjudged target closes nothing; every
/// step is in the log.
async fn the_remediation_loop_is_tracked_and_logged(store: Store) {
    use xunjian_model::{Action, ProblemState};
    let judged: std::collections::BTreeSet<String> = ["portal".to_string()].into();
    let (a, b) = ("https://x.gov.cn/a/", "https://x.gov.cn/b/");
    let t = store
        .track(
            1,
            "2025-10-01T02:00:00Z",
            &[
                sighting("portal", a, "empty", "2025-10-01T01:00:00Z"),
                sighting("portal", b, "empty", "2025-10-01T01:00:00Z"),
            ],
            &judged,
        )
        .await
        .unwrap();
    assert_eq!(t.found, 2);
    let problems = store.problems(Some("zfb")).await.unwrap();
    let (pa, pb) = (problems[0].id, problems[1].id);
    assert!(store.problems(Some("jyj")).await.unwrap().is_empty());
    // The unit reports A fixed; disputes B; the office marks B 误报.
    let at = "2025-10-02T09:00:00Z";
    let fixed = store
        .act(
            pa,
            ProblemState::Open,
            Action::ReportFixed,
            "zfb-li",
            Some("已补发"),
            at,
        )
        .await
        .unwrap();
    assert_eq!(fixed, Ok(ProblemState::Fixed));
    // Acting on what someone else already moved is refused.
    let again = store
        .act(
            pa,
            ProblemState::Open,
            Action::ReportFixed,
            "zfb-li",
            Some("x"),
            at,
        )
        .await
        .unwrap();
    assert_eq!(again, Err(crate::Refused::NotNow(ProblemState::Fixed)));
    store
        .act(
            pb,
            ProblemState::Open,
            Action::Dispute,
            "zfb-li",
            Some("有更新"),
            at,
        )
        .await
        .unwrap()
        .unwrap();
    store
        .act(
            pb,
            ProblemState::Disputed,
            Action::MarkFalsePositive,
            "office",
            Some("核实"),
            at,
        )
        .await
        .unwrap()
        .unwrap();
    // Night 2: both seen again with the same evidence. A (seen after the report) is still there;
    // B stays 误报.
    let t = store
        .track(
            2,
            "2025-10-03T02:00:00Z",
            &[
                sighting("portal", a, "empty", "2025-10-03T01:00:00Z"),
                sighting("portal", b, "empty", "2025-10-03T01:00:00Z"),
            ],
            &judged,
        )
        .await
        .unwrap();
    assert_eq!(t.moved, [(pa, Action::StillThere)]);
    let state = |id| {
        let store = store.clone();
        async move { store.problem(id).await.unwrap().unwrap().state }
    };
    assert_eq!(state(pa).await, ProblemState::Open);
    assert_eq!(state(pb).await, ProblemState::FalsePositive);
    // Night 3: the site is not judged (inconclusive): nothing closes though nothing was found.
    let t = store
        .track(3, "2025-10-04T02:00:00Z", &[], &Default::default())
        .await
        .unwrap();
    assert!(t.moved.is_empty());
    // Night 4: judged, A gone; B's evidence changed: a problem again.
    let t = store
        .track(
            4,
            "2025-10-05T02:00:00Z",
            &[sighting("portal", b, "still empty", "2025-10-05T01:00:00Z")],
            &judged,
        )
        .await
        .unwrap();
    assert!(t.moved.contains(&(pa, Action::Gone)));
    assert!(t.moved.contains(&(pb, Action::EvidenceChanged)));
    assert_eq!(state(pa).await, ProblemState::Closed);
    assert_eq!(state(pb).await, ProblemState::Open);
    let log: Vec<(String, Action)> = store
        .problem_events(pa)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action))
        .collect();
    assert_eq!(
        log,
        [
            ("xunjian".to_string(), Action::Found),
            ("zfb-li".to_string(), Action::ReportFixed),
            ("xunjian".to_string(), Action::StillThere),
            ("xunjian".to_string(), Action::Gone),
        ]
    );
    let b_log = store.problem_events(pb).await.unwrap();
    assert_eq!(b_log[2].note.as_deref(), Some("核实"));
    assert_eq!(b_log[2].before, Some(ProblemState::Disputed));
    assert_eq!(b_log[2].after, ProblemState::FalsePositive);
    let states = store.problem_states().await.unwrap();
    assert_eq!(states.len(), 2);
}

#[tokio::test]
async fn sqlite_the_remediation_loop_is_tracked_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    the_remediation_loop_is_tracked_and_logged(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_the_remediation_loop_is_tracked_and_logged_when_configured() {
    let Some((admin, name, url)) = fresh_pg_database("remedy").await else {
        skipped("PostgreSQL remediation test");
        return;
    };
    let store = Store::open(&url).await.unwrap();
    the_remediation_loop_is_tracked_and_logged(store.clone()).await;
    store.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}

/// 人工核验 records: one per account and moment of looking (a second import replaces).
async fn manual_checks_replace_by_account_and_moment(store: Store) {
    use xunjian_model::observe::ManualCheck;
    let look = |account: &str, last: &str, at: &str, by: &str| ManualCheck {
        account: account.into(),
        last_post: last.parse().unwrap(),
        last_post_at: None,
        post_url: None,
        checked_by: by.into(),
        checked_at: at.into(),
        source: "checks.csv:2".into(),
    };
    let first = [
        look("dy", "2025-09-20", "2025-10-02T10:00:00+08:00", "张三"),
        look("ks", "2025-09-01", "2025-10-02T11:00:00+08:00", "张三"),
    ];
    let at = "2025-10-03T01:00:00Z";
    assert_eq!(store.add_manual_checks(&first, at).await.unwrap(), 2);
    let again = [look(
        "dy",
        "2025-09-22",
        "2025-10-02T10:00:00+08:00",
        "李四",
    )];
    store.add_manual_checks(&again, at).await.unwrap();
    let kept = store.manual_checks().await.unwrap();
    assert_eq!(kept, [again[0].clone(), first[1].clone()]);
}

#[tokio::test]
async fn sqlite_manual_checks_replace_by_account_and_moment() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    manual_checks_replace_by_account_and_moment(Store::open(&url).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_manual_checks_replace_by_account_and_moment_when_configured() {
    let Some((admin, name, url)) = fresh_pg_database("manual").await else {
        skipped("PostgreSQL 人工核验 test");
        return;
    };
    let store = Store::open(&url).await.unwrap();
    manual_checks_replace_by_account_and_moment(store.clone()).await;
    store.close().await;
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&admin)
        .await
        .unwrap();
}
