//! The service under attack (issue 14, item 5), over loopback HTTP against a service that was not
//! started `--open`: every route of the router (read from its source, so that a route added later
//! is swept too) asks who is looking, before and after accounts exist, and with a forged session;
//! only `/healthz` and `/login` answer. A unit guessing another unit's ids finds nothing; a
//! session cookie planted before sign-in is never the session (fixation); a session ends after
//! 12 hours on the injected clock; every state-changing form refuses a forged or missing CSRF
//! token and a cross-site `Origin` or `Sec-Fetch-Site`, and changes nothing; sign-in is limited
//! per address; crawled markup in a column's name is shown as text on every page.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use reqwest::header::{COOKIE, LOCATION};
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};
use xunjian_model::{ProblemState, Role};

mod common;
use common::{
    add_users, client, csrf_in, finished_after_as, get, post, sign_in, sign_in_carrying, Manual,
    Running,
};

/// What a hacked page puts in a column's name.
const HOSTILE: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

/// Every route of the dashboard as `(method, path pattern)`, read from the router's source.
fn routes() -> Vec<(&'static str, String)> {
    let source = include_str!("../src/web.rs");
    let router = &source[source.find("Router::new()").expect("the router")..];
    let router = &router[..router.find(".with_state").expect("its end")];
    let mut found = Vec::new();
    for part in router.split(".route(").skip(1) {
        let path = part.split('"').nth(1).expect("a quoted path").to_string();
        let handlers = part.split(".layer(").next().unwrap_or(part);
        for (method, call) in [("GET", "get("), ("POST", "post(")] {
            if handlers.contains(call) {
                found.push((method, path.clone()));
            }
        }
    }
    assert!(found.len() >= 20, "the router was read: {found:?}");
    found
}

/// A pattern's `{name}` parameters replaced by `ids`.
fn fill(pattern: &str, ids: &BTreeMap<&str, String>) -> String {
    let mut path = pattern.to_string();
    for (name, value) in ids {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    assert!(
        !path.contains('{'),
        "{pattern}: a parameter without a value"
    );
    path
}

/// The ids a sweep fills in: problem `problem`, a notice of `unit` (`/targets/{id}` takes a site).
fn ids(problem: i64, unit: &str) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("id", problem.to_string()),
        ("eid", "1".to_string()),
        ("as_of", "2025-09-30".to_string()),
        ("file", format!("{unit}.docx")),
        ("unit", unit.to_string()),
    ])
}

/// Every route, asked by `session` (`None`: no cookie), must ask for a sign-in and show nothing of
/// the district (`secrets`): pages go to /login, the API says 401; only /healthz and /login answer.
async fn sweep(
    addr: SocketAddr,
    session: Option<&str>,
    problem: i64,
    site: &str,
    secrets: &[&str],
) {
    let ids = ids(problem, "zfb");
    for (method, pattern) in routes() {
        let mut ids = ids.clone();
        if pattern.contains("targets/") {
            ids.insert("id", site.to_string());
        }
        let path = fill(&pattern, &ids);
        let mut req = match method {
            "GET" => client().get(format!("http://{addr}{path}")),
            _ => client().post(format!("http://{addr}{path}")).form(&[
                ("csrf", "x"),
                ("action", "report_fixed"),
                ("expected", "open"),
                ("name", "office"),
                ("password", "a long secret"),
            ]),
        };
        if let Some(s) = session {
            req = req.header(COOKIE, s);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = r.text().await.unwrap();
        let said = format!("{method} {path} ({session:?}): {status} {body}");
        match (method, path.as_str()) {
            ("GET", "/healthz") => assert_eq!((status, body.as_str()), (200, "ok"), "{said}"),
            ("GET", "/login") => assert_eq!(status, 200, "{said}"),
            // No sign-in form's own cookie: the attempt is refused before any name is tried.
            ("POST", "/login") => assert_eq!(status, 403, "{said}"),
            (_, p) if p.starts_with("/api/") => assert_eq!(status, 401, "{said}"),
            _ => {
                assert_eq!(status, 303, "{said}");
                assert_eq!(location.as_deref(), Some("/login"), "{said}");
            }
        }
        for s in secrets {
            assert!(!body.contains(s), "{said} shows {s}");
        }
    }
}

/// `POST path` with `form` and extra headers: the status.
async fn post_with(
    addr: SocketAddr,
    session: &str,
    path: &str,
    form: &[(&str, &str)],
    headers: &[(&str, String)],
) -> u16 {
    let mut req = client()
        .post(format!("http://{addr}{path}"))
        .header(COOKIE, session)
        .form(form);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    req.send().await.unwrap().status().as_u16()
}

/// The `name=value` part of a Set-Cookie header.
fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

/// Every problem's state and the length of its log: what a refused request must not change.
async fn ledger(store: &xunjian_core::Store) -> Vec<(i64, ProblemState, usize)> {
    let mut out = Vec::new();
    for p in store.problems(None).await.unwrap() {
        let log = store.problem_events(p.id).await.unwrap().len();
        out.push((p.id, p.state, log));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_one_gets_in_where_they_do_not_belong() {
    let mut spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let portal = spec.sites.iter_mut().find(|s| s.id == "portal").unwrap();
    let column = portal
        .columns
        .iter_mut()
        .find(|c| c.name == "部门动态")
        .unwrap();
    column.name = format!("部门动态{HOSTILE}");
    let district = serve(&spec).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let clock = Manual::at("2025-09-30T23:10:00+08:00");
    let closed = xunjian_server::Access::default();
    let service = Running::start_with(
        work.path(),
        &district.seeds_toml,
        district.as_of,
        clock.clone(),
        closed,
    )
    .await;
    let addr = service.addr;
    let secrets = ["示范区人民政府门户网站", "部门动态", "示范区发展和改革局"];

    // No account yet, not --open: nothing but the health check and the sign-in page, which says
    // how to add one.
    sweep(addr, None, 1, "portal", &secrets).await;
    let (_, login) = get(addr, None, "/login").await;
    assert!(login.contains("xunjian user add"), "{login}");

    add_users(
        &service,
        district.as_of,
        &[
            ("office", Role::Office, None),
            ("li", Role::Unit, Some("zfb")),
        ],
    )
    .await;
    let office = pair(&sign_in(addr, "office", "a long secret").await.1.unwrap());
    finished_after_as(
        addr,
        Some(&office),
        "crawl",
        clock.set("2025-10-01T01:00:10+08:00"),
    )
    .await;
    let store = service.store.clone();
    let problems = store.problems(None).await.unwrap();
    let mine = problems.iter().find(|p| p.unit == "zfb").unwrap().id;
    let theirs = problems.iter().find(|p| p.unit != "zfb").unwrap();
    let (theirs_id, theirs_unit) = (theirs.id, theirs.unit.clone());

    // With accounts and real ids: the same, without a session and with a forged one.
    for session in [None, Some("xunjian_session=forged-token")] {
        sweep(addr, session, mine, "portal", &secrets).await;
        sweep(addr, session, theirs_id, "fgj", &secrets).await;
    }

    // A unit guessing another unit's ids finds nothing, by page, by API or by download.
    let li = pair(&sign_in(addr, "li", "a long secret").await.1.unwrap());
    let seeds = xunjian_core::load_seeds(&service.seeds_path).unwrap();
    let other_site = seeds.seeds.sites.iter().find(|s| s.unit != "zfb").unwrap();
    for path in [
        format!("/problems/{theirs_id}"),
        format!("/api/problems/{theirs_id}"),
        format!("/problems/{theirs_id}/evidence/1"),
        format!("/targets/{}", other_site.id),
        format!("/api/targets/{}", other_site.id),
        format!("/notices/2025-09-30/{theirs_unit}.docx"),
        format!("/notices/..%2F..%2Fx.db/{theirs_unit}.docx"),
        "/runs".to_string(),
    ] {
        let (status, body) = get(addr, Some(&li), &path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains(&other_site.name), "{path}: {body}");
    }

    // Session fixation: a cookie planted before sign-in is never the session.
    let planted = "xunjian_session=planted-by-someone-else";
    let (status, fresh) = sign_in_carrying(addr, "li", "a long secret", Some(planted)).await;
    assert_eq!(status, 303);
    let fresh = pair(&fresh.unwrap());
    assert_ne!(fresh, planted);
    assert_ne!(fresh, li, "each sign-in is a new session");
    assert_eq!(get(addr, Some(planted), "/api/problems").await.0, 401);
    assert_eq!(get(addr, Some(&fresh), "/api/problems").await.0, 200);

    // A session lasts 12 hours on the service's clock, then asks again.
    clock.set("2025-10-01T12:59:00+08:00");
    assert_eq!(get(addr, Some(&li), "/api/problems").await.0, 200);
    clock.set("2025-10-01T13:01:00+08:00");
    assert_eq!(get(addr, Some(&li), "/api/problems").await.0, 401);
    assert_eq!(get(addr, Some(&office), "/problems").await.0, 303);
    let li = pair(&sign_in(addr, "li", "a long secret").await.1.unwrap());
    let office = pair(&sign_in(addr, "office", "a long secret").await.1.unwrap());

    // CSRF: every state-changing form, posted by a signed-in account with a forged token or none,
    // is refused and changes nothing (the office's session survives a forged sign-out too).
    let before = ledger(&store).await;
    let ids = ids(mine, "zfb");
    for (method, pattern) in routes() {
        if method != "POST" || pattern == "/login" {
            continue;
        }
        let path = fill(&pattern, &ids);
        for session in [&office, &li] {
            for token in [Some("forged"), None] {
                let mut form = vec![
                    ("action", "report_fixed"),
                    ("expected", "open"),
                    ("note", "已整改"),
                    ("account", "weibo-zfb"),
                ];
                form.extend(token.map(|t| ("csrf", t)));
                let (status, body) = post(addr, session, &path, &form).await;
                assert!(
                    status == 403 || status == 422,
                    "{path} with token {token:?}: {status} {body}"
                );
            }
        }
    }
    assert_eq!(ledger(&store).await, before);
    assert_eq!(get(addr, Some(&office), "/api/problems").await.0, 200);
    assert!(store.manual_checks().await.unwrap().is_empty());

    // A right token from another site's page is refused too; from the dashboard's own, it acts.
    let (_, page) = get(addr, Some(&li), &format!("/problems/{mine}")).await;
    let csrf = csrf_in(&page);
    let answer = [
        ("action", "report_fixed"),
        ("expected", "open"),
        ("note", "已补发最新信息"),
        ("csrf", csrf.as_str()),
    ];
    let act = format!("/problems/{mine}/act");
    for forged in [
        ("origin", "http://evil.example".to_string()),
        ("origin", "null".to_string()),
        ("sec-fetch-site", "cross-site".to_string()),
    ] {
        let status = post_with(addr, &li, &act, &answer, std::slice::from_ref(&forged)).await;
        assert_eq!(status, 403, "{forged:?}");
    }
    assert_eq!(ledger(&store).await, before);
    let own = [
        ("origin", format!("http://{addr}")),
        ("sec-fetch-site", "same-origin".to_string()),
    ];
    assert_eq!(post_with(addr, &li, &act, &answer, &own).await, 303);
    assert_eq!(
        store.problem(mine).await.unwrap().unwrap().state,
        ProblemState::Fixed
    );

    // Crawled markup is text on every page that shows it, and never markup.
    let mut shown = 0;
    let mut pages = vec![
        "/".to_string(),
        "/targets/portal".to_string(),
        "/problems".to_string(),
    ];
    pages.extend(problems.iter().map(|p| format!("/problems/{}", p.id)));
    for path in &pages {
        let (status, html) = get(addr, Some(&office), path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !html.contains("<script>alert"),
            "{path} runs crawled script"
        );
        assert!(!html.contains("<img src=x"), "{path} holds crawled markup");
        shown += usize::from(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
    assert!(shown >= 2, "the hostile name reached the pages as text");

    // Sign-in is limited per address too: twenty tries a minute from one address (one more each
    // three seconds after the first twenty), whatever the names; then even a right password waits.
    let started = std::time::Instant::now();
    let mut allowed = 0;
    while allowed < 60 {
        let (status, _) = sign_in(addr, &format!("nobody{allowed}"), "wrong").await;
        if status == 429 {
            break;
        }
        assert_eq!(status, 401);
        allowed += 1;
    }
    let refilled = started.elapsed().as_secs() / 3;
    assert!(
        (15..=21 + refilled).contains(&allowed),
        "{allowed} tries allowed in {:?}",
        started.elapsed()
    );
    assert_eq!(sign_in(addr, "office", "a long secret").await.0, 429);
    service.stop().await.unwrap();
}
