//! Spider traps: a portal that writes a new session id into every link it serves (each visit a
//! new set of URLs for the same pages) and an endless calendar (each day links the next). The crawl
//! ends on its own, fetches each real page once (session ids are taken out of links), stays within
//! its depth on the calendar, and no finding comes from the trap itself.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use xunjian_model::finding::Finding;

mod common;

/// A fresh session id for each answer.
fn session(counter: &AtomicUsize) -> String {
    format!("{:08X}", counter.fetch_add(1, Ordering::SeqCst))
}

async fn home(State(n): State<Arc<AtomicUsize>>) -> Html<String> {
    let (a, b) = (session(&n), session(&n));
    Html(format!(
        r#"<html><head><title>示范区人民政府</title></head><body>
<nav><a href="/tzgg/list.jsp;jsessionid={a}">通知公告</a> <a href="/cal?d=2025-09-01">活动日历</a></nav>
<div class="news"><ul>
<li><a href="/tzgg/show.jsp;jsessionid={b}?id=1">关于开展秋季检查的通知</a><span>2025-09-28</span></li>
</ul></div></body></html>"#
    ))
}

async fn list(State(n): State<Arc<AtomicUsize>>) -> Html<String> {
    let rows: String = (1..=3)
        .map(|i| {
            format!(
                r#"<li><a href="/tzgg/show.jsp;jsessionid={}?id={i}">第{i}号通知</a><span>2025-09-2{i}</span></li>"#,
                session(&n)
            )
        })
        .collect();
    Html(format!(
        r#"<html><head><title>通知公告</title><meta name="ColumnName" content="通知公告"></head><body>
<ul class="list">{rows}</ul><a href="/tzgg/list.jsp;jsessionid={}">刷新</a></body></html>"#,
        session(&n)
    ))
}

async fn show(State(n): State<Arc<AtomicUsize>>) -> Html<String> {
    Html(format!(
        r#"<html><head><title>通知</title></head><body><h1>通知</h1><p>发布时间：2025-09-21</p>
<p>正文。</p><a href="/tzgg/list.jsp;jsessionid={}">返回列表</a></body></html>"#,
        session(&n)
    ))
}

/// An endless calendar: every day links the next and the one before.
async fn calendar(Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let day: NaiveDate = q
        .get("d")
        .and_then(|d| d.parse().ok())
        .unwrap_or(NaiveDate::MIN);
    let next = day.succ_opt().unwrap_or(day);
    let prev = day.pred_opt().unwrap_or(day);
    Html(format!(
        r#"<html><head><title>活动日历</title></head><body><p>{day} 无活动</p>
<a href="/cal?d={prev}">前一天</a> <a href="/cal?d={next}">后一天</a></body></html>"#
    ))
}

#[tokio::test]
async fn session_ids_and_an_endless_calendar_do_not_trap_the_crawl() {
    let sessions = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/", get(home))
        .route("/tzgg/list.jsp", get(list))
        .route("/tzgg/show.jsp", get(show))
        .route("/cal", get(calendar))
        .with_state(sessions);
    let addr = common::serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = common::settings(dir.path(), addr, "max_depth = 6");
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let store = xunjian_core::open_store(Some(&db)).await.unwrap();
    let started = std::time::Instant::now();
    let outcome = xunjian_core::crawl(&settings, &store).await.unwrap();
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    let records = store.site_records(outcome.run, "portal").await.unwrap();
    let urls: Vec<&String> = records.pages.keys().collect();
    assert!(
        urls.iter()
            .all(|u| !u.to_ascii_lowercase().contains("jsessionid")),
        "{urls:#?}"
    );
    let notices: Vec<_> = urls.iter().filter(|u| u.contains("/tzgg/")).collect();
    assert_eq!(
        notices.len(),
        4,
        "the list and its three notices, once each: {notices:#?}"
    );
    let days = urls.iter().filter(|u| u.contains("/cal?")).count();
    assert!(
        (1..=12).contains(&days),
        "the calendar is followed only to the depth limit: {days} days"
    );
    let doc = xunjian_core::analyze(&settings, &store, outcome.run)
        .await
        .unwrap();
    let portal = doc.targets.iter().find(|t| t.id == "portal").unwrap();
    let from_trap: Vec<&Finding> = portal
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f,
                Finding::LinkBroken { .. }
                    | Finding::ColumnStale { .. }
                    | Finding::ColumnEmpty { .. }
            )
        })
        .collect();
    assert!(from_trap.is_empty(), "{from_trap:#?}");
}
