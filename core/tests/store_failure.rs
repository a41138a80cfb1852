//! A store that fails stops the crawl with its error: nothing more is fetched that could not be
//! recorded. The site is an endless chain of pages on loopback; the store loses its `anchors` table
//! before the crawl starts, so the first write fails.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use xunjian_core::CoreError;

mod common;

async fn page(State(hits): State<Arc<AtomicUsize>>, Path(n): Path<u64>) -> Html<String> {
    hits.fetch_add(1, Ordering::SeqCst);
    let links: String = (1..=20)
        .map(|i| {
            format!(
                r#"<li><a href="/p/{}">第{}页</a></li>"#,
                n * 20 + i,
                n * 20 + i
            )
        })
        .collect();
    Html(format!(
        "<html><head><title>第{n}页</title></head><body><ul>{links}</ul></body></html>"
    ))
}

#[tokio::test]
async fn a_failing_store_stops_the_crawl_with_its_error() {
    let hits = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route("/", get(|s| page(s, Path(0))))
        .route("/p/{n}", get(page))
        .with_state(hits.clone());
    let addr = common::serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let settings = common::settings(dir.path(), addr, "");
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let store = xunjian_core::open_store(Some(&db)).await.unwrap();
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&db).await.unwrap();
        sqlx::query("DROP TABLE anchors")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let crawl = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        xunjian_core::crawl(&settings, &store),
    )
    .await
    .expect("the crawl stops instead of running on");
    let err = crawl.expect_err("the store's error is the crawl's");
    assert!(matches!(err, CoreError::StoreOp(_)), "{err}");
    assert!(err.to_string().contains("anchors"), "{err}");
    // The chain is endless: a crawl that ran on would fetch up to the page budget (100,000).
    let fetched = hits.load(Ordering::SeqCst);
    assert!(
        fetched < 2_000,
        "{fetched} pages fetched after the store failed"
    );
}
