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
        marks: MarksSeen::default(),
        says_not_found: false,
        fingerprint: "ff".into(),
        content: Default::default(),
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
        },
        Observation::Fetched {
            target: "portal".into(),
            depth: 2,
            purpose: Purpose::Check,
            fetch: fetch("http://b/x.png", None, Some(FailKind::Connect)),
            facts: None,
            links: vec![],
        },
        Observation::Feed {
            account: "wb".into(),
            fetch: fetch("http://f/feed.xml", Some(200), None),
            posts: vec![Post {
                title: "p".into(),
                url: None,
                date: NaiveDate::from_ymd_opt(2025, 9, 1),
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
    assert_eq!(page.facts.as_ref().unwrap(), &facts());
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
    }];
    store.save_reports(run, &reports).await.unwrap();
    store.save_reports(run, &reports).await.unwrap();
    assert_eq!(store.load_reports(run).await.unwrap(), reports);

    store
        .set_run_status(run, "analyzed", "2025-09-30T02:00:00Z")
        .await
        .unwrap();
    assert_eq!(store.run(None).await.unwrap().unwrap().status, "analyzed");
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

#[tokio::test]
async fn postgres_round_trip_when_configured() {
    let Ok(base) = std::env::var("XUNJIAN_TEST_PG") else {
        eprintln!("XUNJIAN_TEST_PG not set: PostgreSQL store test skipped");
        return;
    };
    // A fresh database per test run keeps the assertions exact.
    let admin = Store::open(&base).await.unwrap();
    let name = format!("xunjian_test_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&admin.pool)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin.pool)
        .await
        .unwrap();
    let url = match base.rfind('/') {
        Some(i) if base[..i].ends_with(|c: char| c != '/') => format!("{}/{name}", &base[..i]),
        _ => format!("{base}/{name}"),
    };
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    round_trip(store.clone()).await;
    store.close().await;
    sqlx::query(&format!("DROP DATABASE {name}"))
        .execute(&admin.pool)
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
