//! Never a tool against its own network: a portal on loopback (a host the seeds name) links to
//! the cloud metadata address, to a private address, and to an outside name that resolves to
//! loopback. Names resolve through a table, so nothing is sent beyond loopback. None of the three
//! is fetched or reported broken; the judgement says they were not checked. With the loopback
//! range allowed in the seeds, the outside name is checked like any link, and its 404 is found.

use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use xunjian_crawler::guard::StaticLookup;
use xunjian_model::finding::{Finding, TargetReport};

mod common;

/// The portal: a dated list and three links into internal networks.
fn home(port: u16) -> String {
    format!(
        r#"<html><head><title>示范区人民政府</title></head><body>
<div class="news"><ul>
<li><a href="/xw/1.html">区政府召开常务会议</a><span>2025-09-28</span></li>
</ul></div>
<div class="footer"><a href="http://metadata.test/latest/meta-data/">友情链接一</a>
<a href="http://10.1.2.3/admin">友情链接二</a>
<a href="http://intranet.test:{port}/gone.html">友情链接三</a></div></body></html>"#
    )
}

/// Judge the portal with `defaults` added to the seeds; also how often `/gone.html` was asked,
/// and the portal's port.
async fn judge(defaults: &str) -> (TargetReport, usize, u16) {
    let gone = Arc::new(AtomicUsize::new(0));
    let counted = gone.clone();
    let app = Router::new()
        .route(
            "/",
            get(|headers: HeaderMap| async move {
                let host = headers[header::HOST].to_str().unwrap_or_default();
                Html(home(host.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap_or(0)))
            }),
        )
        .route(
            "/xw/1.html",
            get(|| async {
                Html("<html><head><title>区政府召开常务会议</title></head><body><h1>区政府召开常务会议</h1><p>发布时间：2025-09-28</p></body></html>")
            }),
        )
        .route(
            "/gone.html",
            get(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { (StatusCode::NOT_FOUND, "not here") }
            }),
        );
    let addr = common::serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let mut settings = common::settings(dir.path(), addr, defaults);
    let loopback: IpAddr = "127.0.0.1".parse().unwrap();
    settings.lookup = Arc::new(StaticLookup::new([
        ("metadata.test", vec!["169.254.169.254".parse().unwrap()]),
        ("intranet.test", vec![loopback]),
    ]));
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let store = xunjian_core::open_store(Some(&db)).await.unwrap();
    let outcome = xunjian_core::crawl(&settings, &store).await.unwrap();
    let doc = xunjian_core::analyze(&settings, &store, outcome.run)
        .await
        .unwrap();
    let portal = doc.targets.into_iter().find(|t| t.id == "portal").unwrap();
    (portal, gone.load(Ordering::SeqCst), addr.port())
}

fn broken(report: &TargetReport) -> Vec<String> {
    report
        .findings
        .iter()
        .filter_map(|f| match f {
            Finding::LinkBroken { url, .. } => Some(url.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn links_into_internal_networks_are_not_fetched_and_never_broken() {
    let (portal, asked, port) = judge("").await;
    assert_eq!(asked, 0, "nothing was sent to the outside name on loopback");
    assert_eq!(broken(&portal), Vec::<String>::new());
    assert_eq!(
        portal.not_checked,
        vec![format!(
            "3个链接指向内部网络地址，出于安全未访问，未作检查：http://10.1.2.3/admin、\
             http://intranet.test:{port}/gone.html、http://metadata.test/latest/meta-data/"
        )]
    );
}

#[tokio::test]
async fn an_allowed_range_is_checked_like_any_link() {
    let (portal, asked, port) = judge("allow_networks = [\"127.0.0.0/8\"]").await;
    assert!(asked >= 1, "the allowed outside name was checked");
    assert_eq!(
        broken(&portal),
        vec![format!("http://intranet.test:{port}/gone.html")]
    );
    assert_eq!(portal.not_checked.len(), 1);
    assert!(portal.not_checked[0].starts_with("2个链接指向内部网络地址"));
}
