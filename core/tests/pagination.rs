//! A column's later list pages are the column itself: a 15-page list is crawled to its end, every
//! item of every page with it, under a depth limit of 2 (home 0, column 1, items 2), and the site's
//! crawl is complete; under a limit of 1 the pager is still followed, the items are not, and the
//! crawl says the depth limit cut it short.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;

mod common;

const PAGES: usize = 15;

/// List page `n` (0 is `index.html`): one item, a pager to the next page and the last.
fn list_page(n: usize) -> String {
    let next = if n + 1 < PAGES {
        format!(
            r#"<a href="/tzgg/index_{}.html">下一页</a> <a href="/tzgg/index_{}.html">尾页</a>"#,
            n + 1,
            PAGES - 1
        )
    } else {
        String::new()
    };
    format!(
        r#"<html><head><title>通知公告</title></head><body><ul class="list">
<li><a href="/tzgg/t{n}.html">第{n}号通知</a><span>2025-09-{:02}</span></li></ul>
<div class="page">{next}</div></body></html>"#,
        n % 28 + 1
    )
}

async fn tzgg(State(hits): State<Arc<AtomicUsize>>, Path(file): Path<String>) -> Html<String> {
    hits.fetch_add(1, Ordering::SeqCst);
    if let Some(n) = file.strip_prefix('t').and_then(|f| f.strip_suffix(".html")) {
        return Html(format!(
            "<html><head><title>第{n}号通知</title></head><body><p>发布时间：2025-09-01</p></body></html>"
        ));
    }
    let n = file
        .strip_prefix("index_")
        .and_then(|f| f.strip_suffix(".html"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    Html(list_page(n))
}

/// Crawl the site under `max_depth`: its records and address.
async fn crawl_with(max_depth: u32) -> (xunjian_model::observe::SiteRecords, std::net::SocketAddr) {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route(
            "/",
            get(|| async {
                Html(r#"<html><head><title>示范区</title></head><body><nav><a href="/tzgg/index.html">通知公告</a></nav></body></html>"#)
            }),
        )
        .route("/tzgg/{file}", get(tzgg))
        .with_state(hits.clone());
    let addr = common::serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = common::settings(dir.path(), addr, &format!("max_depth = {max_depth}"));
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let store = xunjian_core::open_store(Some(&db)).await.unwrap();
    let outcome = xunjian_core::crawl(&settings, &store).await.unwrap();
    let records = store.site_records(outcome.run, "portal").await.unwrap();
    (records, addr)
}

fn list_url(addr: std::net::SocketAddr, n: usize) -> String {
    if n == 0 {
        format!("http://{addr}/tzgg/index.html")
    } else {
        format!("http://{addr}/tzgg/index_{n}.html")
    }
}

#[tokio::test]
async fn a_long_pager_does_not_use_up_the_depth_limit() {
    let (records, addr) = crawl_with(2).await;
    assert_eq!(records.done, Some(true), "the crawl is complete");
    assert_eq!(records.cut_by, None);
    for n in 0..PAGES {
        let list = list_url(addr, n);
        assert!(records.pages.contains_key(&list), "{list} crawled");
        let item = format!("http://{addr}/tzgg/t{n}.html");
        assert!(records.pages.contains_key(&item), "{item} crawled");
    }
}

#[tokio::test]
async fn a_crawl_cut_by_the_depth_limit_says_so() {
    // The column is at the limit: its pager is still followed, its items are not.
    let (records, addr) = crawl_with(1).await;
    assert_eq!(records.done, Some(false));
    assert_eq!(
        records.cut_by,
        Some(xunjian_model::observe::CrawlLimit::Depth)
    );
    for n in 0..PAGES {
        assert!(records.pages.contains_key(&list_url(addr, n)));
    }
    assert!(!records
        .pages
        .contains_key(&format!("http://{addr}/tzgg/t0.html")));
}
