//! The polite fetcher against real HTTP servers on loopback: robots.txt, Retry-After, redirects,
//! cookie challenges, timeouts, the body cap, per-host rate limits, and the guard on internal
//! addresses (names resolved through a table: no test sends a packet beyond loopback).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use url::Url;
use xunjian_crawler::fetch::{FetchConfig, Fetcher, Mode};
use xunjian_crawler::guard::{NetworkGuard, StaticLookup};
use xunjian_model::observe::FailKind;

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

fn app(hits: Arc<AtomicUsize>) -> Router {
    let busy_hits = hits.clone();
    Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route("/private/x.html", get(|| async { "secret" }))
        .route(
            "/ok.html",
            get(|| async { "<html><title>ok</title></html>" }),
        )
        .route(
            "/busy",
            get(move || {
                let n = busy_hits.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        (
                            StatusCode::SERVICE_UNAVAILABLE,
                            [(header::RETRY_AFTER, "1")],
                            "busy",
                        )
                            .into_response()
                    } else {
                        "fine".into_response()
                    }
                }
            }),
        )
        .route("/a", get(|| async { Redirect::temporary("/b") }))
        .route("/b", get(|| async { Redirect::permanent("/ok.html") }))
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .route(
            "/waf",
            get(|headers: HeaderMap| async move {
                let has_cookie = headers
                    .get(header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|c| c.contains("waf=passed"));
                if has_cookie {
                    "<html><title>通知公告</title></html>".into_response()
                } else {
                    (
                        StatusCode::FOUND,
                        [
                            (header::SET_COOKIE, "waf=passed; Path=/"),
                            (header::LOCATION, "/waf"),
                        ],
                        "",
                    )
                        .into_response()
                }
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                "late"
            }),
        )
        .route("/big", get(|| async { "x".repeat(64 * 1024) }))
        .route(
            "/count",
            get(move || {
                hits.fetch_add(1, Ordering::SeqCst);
                async { "counted" }
            }),
        )
}

fn config() -> FetchConfig {
    FetchConfig {
        timeout: Duration::from_secs(1),
        rate_per_host: 1000.0,
        backoff: Duration::from_millis(50),
        max_body: 16 * 1024,
        // The servers here are on 127.0.0.1, as a site the seeds name would be.
        guard: Arc::new(NetworkGuard::new(["127.0.0.1".to_string()], vec![])),
        ..FetchConfig::default()
    }
}

fn url(base: &str, path: &str) -> Url {
    Url::parse(&format!("{base}{path}")).unwrap()
}

#[tokio::test]
async fn robots_txt_is_honoured_unless_switched_off() {
    let base = serve(app(Arc::default())).await;
    let f = Fetcher::new(config()).unwrap();
    let r = f.fetch(&url(&base, "/private/x.html"), Mode::Get).await;
    assert_eq!(r.record.error, Some(FailKind::Disallowed));
    assert_eq!(r.record.status, None);
    assert!(f
        .fetch(&url(&base, "/ok.html"), Mode::Get)
        .await
        .record
        .is_success());
    let f = Fetcher::new(FetchConfig {
        respect_robots: false,
        ..config()
    })
    .unwrap();
    assert!(f
        .fetch(&url(&base, "/private/x.html"), Mode::Get)
        .await
        .record
        .is_success());
}

#[tokio::test]
async fn retry_after_is_honoured_on_503() {
    let base = serve(app(Arc::default())).await;
    let f = Fetcher::new(config()).unwrap();
    let started = Instant::now();
    let r = f.fetch(&url(&base, "/busy"), Mode::Get).await;
    assert_eq!(r.record.status, Some(200));
    assert_eq!(r.record.attempts, 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn redirects_are_followed_and_recorded() {
    let base = serve(app(Arc::default())).await;
    let f = Fetcher::new(config()).unwrap();
    let r = f.fetch(&url(&base, "/a"), Mode::Get).await;
    assert_eq!(r.record.status, Some(200));
    assert_eq!(r.record.final_url, format!("{base}/ok.html"));
    assert_eq!(
        r.record.redirects,
        [format!("{base}/b"), format!("{base}/ok.html")]
    );
    let r = f.fetch(&url(&base, "/loop"), Mode::Get).await;
    assert_eq!(r.record.error, Some(FailKind::RedirectLoop));
}

#[tokio::test]
async fn waf_cookie_challenges_pass_with_the_cookie_jar() {
    let base = serve(app(Arc::default())).await;
    let f = Fetcher::new(config()).unwrap();
    let r = f.fetch(&url(&base, "/waf"), Mode::Get).await;
    assert_eq!(r.record.status, Some(200), "{:?}", r.record);
    assert_eq!(r.record.redirects.len(), 1);
}

#[tokio::test]
async fn timeouts_caps_and_refused_connections_are_recorded() {
    let base = serve(app(Arc::default())).await;
    let f = Fetcher::new(config()).unwrap();
    let r = f.fetch(&url(&base, "/slow"), Mode::Get).await;
    assert_eq!(r.record.error, Some(FailKind::Timeout));
    let r = f.fetch(&url(&base, "/big"), Mode::Get).await;
    assert_eq!(r.record.error, Some(FailKind::TooLarge));
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let r = f
        .fetch(
            &Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap(),
            Mode::Get,
        )
        .await;
    assert_eq!(r.record.error, Some(FailKind::Connect));
    assert_eq!(
        r.record.attempts, 3,
        "two retries after a refused connection"
    );
}

#[tokio::test]
async fn each_host_gets_its_rate() {
    let hits = Arc::new(AtomicUsize::new(0));
    let base = serve(app(hits.clone())).await;
    let f = Arc::new(
        Fetcher::new(FetchConfig {
            rate_per_host: 10.0,
            respect_robots: false,
            ..config()
        })
        .unwrap(),
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let (f, u) = (f.clone(), url(&base, "/count"));
        tasks.push(tokio::spawn(async move { f.fetch(&u, Mode::Get).await }));
    }
    for t in tasks {
        assert!(t.await.unwrap().record.is_success());
    }
    // Six requests at 10 a second: the first at once, then one every 100 ms.
    assert!(
        started.elapsed() >= Duration::from_millis(480),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(hits.load(Ordering::SeqCst), 6);
}

/// A fetcher whose names resolve through a table: `site.test` is the seeded site (trusted),
/// `intranet.test` an outside name on loopback, `metadata.test` the cloud metadata address and
/// `lan.test` a private one; nothing is ever sent to the last two, they are refused before any
/// connection is tried.
fn guarded(allowed: Vec<ipnet::IpNet>) -> Fetcher {
    let loopback: std::net::IpAddr = "127.0.0.1".parse().unwrap();
    let lookup = StaticLookup::new([
        ("site.test", vec![loopback]),
        ("intranet.test", vec![loopback]),
        ("metadata.test", vec!["169.254.169.254".parse().unwrap()]),
        (
            "lan.test",
            vec!["10.1.2.3".parse().unwrap(), "fd00::1".parse().unwrap()],
        ),
    ]);
    Fetcher::new(FetchConfig {
        respect_robots: false,
        guard: Arc::new(NetworkGuard::new(["site.test".to_string()], allowed)),
        lookup: Arc::new(lookup),
        ..config()
    })
    .unwrap()
}

/// A redirect to `/ok` on `host`, at the port the request came to.
fn to(headers: &HeaderMap, host: &str) -> Redirect {
    let port = headers[header::HOST]
        .to_str()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap();
    Redirect::temporary(&format!("http://{host}:{port}/ok"))
}

#[tokio::test]
async fn internal_addresses_are_refused_unless_seeded_or_allowed() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let app = Router::new()
        .route(
            "/go",
            get(|h: HeaderMap| async move { to(&h, "intranet.test") }),
        )
        .route(
            "/literal",
            get(|h: HeaderMap| async move { to(&h, "127.0.0.1") }),
        )
        .route(
            "/ok",
            get(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { "ok" }
            }),
        );
    let base = serve(app).await;
    let port = Url::parse(&base).unwrap().port().unwrap();
    let at = |host: &str, path: &str| Url::parse(&format!("http://{host}:{port}{path}")).unwrap();
    let f = guarded(vec![]);
    // The seeded site's own name is fetched, whatever it resolves to.
    assert!(f
        .fetch(&at("site.test", "/ok"), Mode::Get)
        .await
        .record
        .is_success());
    for (host, path) in [
        ("intranet.test", "/ok"),
        ("metadata.test", "/latest/meta-data/"),
        ("lan.test", "/admin"),
        ("127.0.0.1", "/ok"),
        ("[::1]", "/ok"),
        ("169.254.169.254", "/latest/meta-data/"),
    ] {
        let r = f.fetch(&at(host, path), Mode::Head).await;
        assert_eq!(r.record.error, Some(FailKind::Internal), "{host}{path}");
        assert_eq!(
            (r.record.status, r.record.attempts),
            (None, 1),
            "{host}: not retried"
        );
    }
    // A redirect from the site into the internal network stops at the hop, by name or literal.
    for path in ["/go", "/literal"] {
        let r = f.fetch(&at("site.test", path), Mode::Get).await;
        assert_eq!(r.record.error, Some(FailKind::Internal), "{path}");
        assert_eq!(r.record.redirects.len(), 1, "{path}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "only the seeded site's /ok was served"
    );
    // An allowed range is fetched like the public internet.
    let f = guarded(vec!["127.0.0.0/8".parse().unwrap()]);
    assert!(f
        .fetch(&at("intranet.test", "/ok"), Mode::Get)
        .await
        .record
        .is_success());
    assert!(f
        .fetch(&at("site.test", "/go"), Mode::Get)
        .await
        .record
        .is_success());
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    let r = f.fetch(&at("metadata.test", "/"), Mode::Head).await;
    assert_eq!(
        r.record.error,
        Some(FailKind::Internal),
        "still outside the allowed range"
    );
}
