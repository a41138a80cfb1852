//! Hostile sites (issue: reliability): a raw TCP server on loopback that misbehaves in every way a
//! real site has been seen to, one fault per path, and the fetcher against it. For each fault:
//! the failure reason a department can be told, a bounded time, a bounded body, and never a
//! success that carries a cut or invented page (a cut list page would read as 栏目空白 or 不更新).
//! Extraction is fed the pathological bodies (10 MB on one line, markup nested 100,000 deep, NUL
//! bytes, lying and unknown charsets) and must finish, quickly, without a panic.
//!
//! The server is `xunjian_fixture::hostile`; whole inspections against it are `tests/hostile_crawl.rs`.
//! The table in the README ("Hostile sites") is these files' list.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use url::Url;
use xunjian_crawler::extract::extract_at;
use xunjian_crawler::fetch::{FetchConfig, Fetched, Fetcher, Mode};
use xunjian_crawler::guard::NetworkGuard;
use xunjian_fixture::hostile;
use xunjian_model::observe::{BlockKind, FailKind, PageKind};

/// The fetch timeout of these tests (the production rule is 15 s; the faults do not depend on it).
const TIMEOUT: Duration = Duration::from_secs(2);
/// The body cap of these tests.
const CAP: u64 = 1024 * 1024;

fn fetcher(robots: bool) -> Fetcher {
    Fetcher::new(config(robots)).unwrap()
}

fn config(robots: bool) -> FetchConfig {
    FetchConfig {
        timeout: TIMEOUT,
        rate_per_host: 1000.0,
        respect_robots: robots,
        retries: 2,
        backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(2),
        max_body: CAP,
        guard: Arc::new(NetworkGuard::new(["127.0.0.1".to_string()], vec![])),
        ..FetchConfig::default()
    }
}

/// Fetch `path` and say how long it took.
async fn get(f: &Fetcher, base: &str, path: &str, mode: Mode) -> (Fetched, Duration) {
    let url = Url::parse(&format!("{base}{path}")).unwrap();
    let started = Instant::now();
    let fetched = f.fetch(&url, mode).await;
    (fetched, started.elapsed())
}

#[tokio::test]
async fn broken_answers_fail_with_their_reason_in_bounded_time_and_never_succeed_cut() {
    // Made before the clock starts: compressing 64 MB is the test's work, not the fetch's.
    tokio::task::spawn_blocking(hostile::bomb).await.unwrap();
    let (base, _) = hostile::serve(false).await.unwrap();
    let f = fetcher(false);
    // (path, the failure, the longest it may take)
    let bound = TIMEOUT + Duration::from_secs(2);
    let cases: [(&str, FailKind, Duration); 7] = [
        ("/reset", FailKind::Connect, bound),
        ("/trickle", FailKind::Timeout, bound),
        ("/truncated", FailKind::Connect, bound),
        ("/silent", FailKind::Timeout, bound),
        ("/bomb", FailKind::TooLarge, bound),
        ("/endless", FailKind::TooLarge, bound),
        ("/garbage", FailKind::Other, bound),
    ];
    for (path, kind, most) in cases {
        let (r, took) = get(&f, &base, path, Mode::Get).await;
        assert_eq!(r.record.error, Some(kind), "{path}: {:?}", r.record);
        assert!(took <= most, "{path} took {took:?}");
        assert!(!r.record.is_success(), "{path} is never a success");
        let kept = r.body.as_ref().map_or(0, Vec::len) as u64;
        assert!(kept <= CAP, "{path}: {kept} bytes kept, the cap is {CAP}");
    }
}

#[tokio::test]
async fn redirect_chains_and_loops_end_at_the_hop_limit() {
    let (base, hits) = hostile::serve(false).await.unwrap();
    let f = fetcher(false);
    let (r, took) = get(&f, &base, "/chain/0", Mode::Head).await;
    assert_eq!(r.record.error, Some(FailKind::RedirectLoop));
    assert_eq!(
        r.record.redirects.len(),
        FetchConfig::default().max_redirects
    );
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        11,
        "ten hops followed, then given up"
    );
}

#[tokio::test]
async fn throttling_storms_are_retried_a_bounded_number_of_times_and_stay_blocked_not_broken() {
    let (base, hits) = hostile::serve(false).await.unwrap();
    let f = fetcher(false);
    let (r, took) = get(&f, &base, "/storm429", Mode::Get).await;
    assert_eq!(r.record.status, Some(429));
    assert_eq!(
        r.record.blocked,
        Some(BlockKind::Forbidden),
        "a 429 is a wall, not a fault"
    );
    assert_eq!(r.record.attempts, 3, "the first try and two retries");
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(5),
        "Retry-After honoured: {took:?}"
    );
    let (r, took) = get(&f, &base, "/storm503", Mode::Get).await;
    assert_eq!((r.record.status, r.record.attempts), (Some(503), 3));
    assert!(
        took < Duration::from_secs(2),
        "backoff without Retry-After: {took:?}"
    );
    let (r, took) = get(&f, &base, "/wait-a-day", Mode::Get).await;
    assert_eq!(
        (r.record.status, r.record.attempts),
        (Some(503), 1),
        "a day's wait is not waited"
    );
    assert!(took < Duration::from_secs(1));
    assert_eq!(hits.load(Ordering::SeqCst), 7);
}

#[tokio::test]
async fn an_http10_answer_without_length_is_read_to_its_end() {
    let (base, _) = hostile::serve(false).await.unwrap();
    let (r, _) = get(&fetcher(false), &base, "/http10", Mode::Get).await;
    assert!(r.record.is_success(), "{:?}", r.record);
    let body = String::from_utf8(r.body.unwrap()).unwrap();
    assert!(body.ends_with("</html>"), "the whole body");
}

#[tokio::test]
async fn a_robots_txt_that_never_comes_lets_the_crawl_go_on_after_one_timeout() {
    let (base, _) = hostile::serve(false).await.unwrap();
    let f = fetcher(true);
    let started = Instant::now();
    let (first, _) = get(&f, &base, "/page.html", Mode::Get).await;
    let (second, _) = get(&f, &base, "/other.html", Mode::Get).await;
    assert!(first.record.is_success() && second.record.is_success());
    assert!(
        started.elapsed() < TIMEOUT * 2 + Duration::from_secs(1),
        "robots.txt is waited for once per host: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_five_megabyte_robots_txt_is_read_to_500_kib() {
    let (base, _) = hostile::serve(true).await.unwrap();
    let f = Fetcher::new(FetchConfig {
        max_body: 16 * 1024 * 1024,
        ..config(true)
    })
    .unwrap();
    let started = Instant::now();
    let (private, _) = get(&f, &base, "/big/private/a.html", Mode::Get).await;
    assert_eq!(
        private.record.error,
        Some(FailKind::Disallowed),
        "the rule at its head holds"
    );
    let (late, _) = get(&f, &base, "/big/late/a.html", Mode::Get).await;
    assert!(
        late.record.is_success(),
        "a rule past 500 KiB is not read: {:?}",
        late.record
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn tls_to_a_plain_server_is_a_tls_failure() {
    let (base, _) = hostile::serve(false).await.unwrap();
    let url = base.replace("http://", "https://");
    let (r, took) = get(&fetcher(false), &url, "/page.html", Mode::Get).await;
    assert_eq!(r.record.error, Some(FailKind::Tls), "{:?}", r.record);
    assert_eq!(r.record.attempts, 1, "a TLS failure is not retried");
    assert!(took <= TIMEOUT + Duration::from_secs(1));
}

/// Extraction of a pathological body: finished within `most`, without a panic.
fn extract_within(body: &[u8], content_type: Option<&str>, most: Duration) -> PageKind {
    let url = Url::parse("http://127.0.0.1/tzgg/index.html").unwrap();
    let started = Instant::now();
    let e = extract_at(&url, body, content_type, "2025-09-30".parse().unwrap());
    assert!(started.elapsed() <= most, "took {:?}", started.elapsed());
    e.facts.kind
}

#[test]
fn ten_megabytes_on_one_line_are_extracted_in_bounded_time() {
    // A column list, then 10 MB of text on the same line (a minified page with an inlined blob).
    let mut body =
        String::from("<html><head><title>通知公告</title></head><body><ul class=\"list\">");
    for n in 0..20 {
        body.push_str(&format!(
            "<li><a href=\"/tzgg/{n}.html\">关于第{n}项工作的通知</a><span>2025-09-01</span></li>"
        ));
    }
    body.push_str("</ul><p>");
    while body.len() < 10 * 1024 * 1024 {
        body.push_str("本站内容由区政府办公室负责维护，发布日期以页面标注为准。");
    }
    body.push_str("</p></body></html>");
    assert_eq!(
        extract_within(body.as_bytes(), None, Duration::from_secs(60)),
        PageKind::List
    );
}

#[test]
fn markup_nested_a_hundred_thousand_deep_does_not_overflow_the_stack() {
    let depth: usize = std::env::var("DEPTH")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(100_000);
    let body = format!(
        "<html><head><title>深层嵌套</title></head><body>{}<p>发布时间：2025-09-01</p>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    // Run on a thread with the default 2 MiB stack a crawl task has.
    let kind = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || extract_within(body.as_bytes(), None, Duration::from_secs(60)))
        .unwrap()
        .join()
        .expect("no stack overflow, no panic");
    assert_ne!(kind, PageKind::List);
}

#[test]
fn nul_bytes_and_lying_or_unknown_charsets_are_read_without_a_panic() {
    let with_nul = b"<html><head><title>\x00\xe9\x80\x9a\xe7\x9f\xa5\x00</title></head><body>\x00\x00<p>2025-09-01</p></body></html>";
    extract_within(with_nul, Some("text/html"), Duration::from_secs(5));
    // GBK bytes under a header that says UTF-8 and a meta that says gb2312.
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "<html><head><meta charset=\"gb2312\"><title>通知公告</title></head><body><ul><li><a href=\"/a.html\">关于开展检查的通知</a><span>2025-09-01</span></li></ul></body></html>",
    );
    for ct in [
        Some("text/html; charset=utf-8"),
        Some("text/html; charset=x-no-such-charset"),
        None,
    ] {
        extract_within(&gbk, ct, Duration::from_secs(5));
    }
    // Random bytes of every value.
    let noise: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    extract_within(&noise, None, Duration::from_secs(10));
}
