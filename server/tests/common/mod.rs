//! What the service tests share: a clock they move by hand, the service started on a district's
//! seeds, and its JSON API.

// Each test file uses the part it needs.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::Value;
use xunjian_core::Store;
use xunjian_model::clock::Clock;
use xunjian_model::Role;
use xunjian_server::{Bound, ServeError, Service};

/// A clock the test moves forward.
#[derive(Debug)]
pub struct Manual(Mutex<DateTime<Utc>>);

impl Clock for Manual {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

impl Manual {
    /// A clock standing at `rfc3339`.
    pub fn at(rfc3339: &str) -> Arc<Manual> {
        let clock = Arc::new(Manual(Mutex::new(Utc::now())));
        clock.set(rfc3339);
        clock
    }

    /// Move it to `rfc3339`; the instant it now says.
    pub fn set(&self, rfc3339: &str) -> DateTime<Utc> {
        let t = DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc);
        *self.0.lock().unwrap() = t;
        t
    }
}

/// The service running on loopback.
pub struct Running {
    /// Where its dashboard answers.
    pub addr: SocketAddr,
    /// Its store.
    pub store: Store,
    /// Its seeds file.
    pub seeds_path: PathBuf,
    /// Where its documents go.
    pub out: PathBuf,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<Result<(), ServeError>>,
}

impl Running {
    /// Start the service in `work` on `seeds` (the text of a seeds file), judged by the national
    /// pack, on `clock`. It returns once the scheduler has read the clock, so that the test may
    /// move it.
    pub async fn start(work: &Path, seeds: &str, as_of: NaiveDate, clock: Arc<Manual>) -> Running {
        let open = xunjian_server::Access {
            open: true,
            ..Default::default()
        };
        Running::start_with(work, seeds, as_of, clock, open).await
    }

    /// [`Running::start`] with sign-in set by `access`.
    pub async fn start_with(
        work: &Path,
        seeds: &str,
        as_of: NaiveDate,
        clock: Arc<Manual>,
        access: xunjian_server::Access,
    ) -> Running {
        let seeds_path = work.join("seeds.toml");
        std::fs::write(&seeds_path, seeds).unwrap();
        let mut settings = xunjian_core::Settings::new(
            xunjian_core::load_seeds(&seeds_path).unwrap(),
            xunjian_core::load_rules(None, &[]).unwrap(),
            as_of,
        );
        settings.clock = clock;
        let db = format!("sqlite://{}", work.join("x.db").display());
        let store = xunjian_core::open_store(Some(&db)).await.unwrap();
        let out = work.join("reports");
        let service = Service {
            settings,
            store: store.clone(),
            out: out.clone(),
            listen: "127.0.0.1:0".parse().unwrap(),
            inspect_now: None,
            tick: Duration::from_millis(20),
            access,
        };
        let bound = Bound::bind(service).await.unwrap();
        let addr = bound.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(bound.run(async {
            let _ = stopped.await;
        }));
        // The dashboard answers only once the scheduler has read the clock.
        let health = reqwest::get(format!("http://{addr}/healthz"))
            .await
            .unwrap();
        assert_eq!(health.status().as_u16(), 200);
        Running {
            addr,
            store,
            seeds_path,
            out,
            stop,
            server,
        }
    }

    /// Stop it, within ten seconds, and say how it ended.
    pub async fn stop(self) -> Result<(), ServeError> {
        self.stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), self.server)
            .await
            .expect("stopped within ten seconds")
            .unwrap()
    }
}

/// `GET path` as JSON; it must answer 200.
pub async fn json(addr: SocketAddr, path: &str) -> Value {
    let r = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().await.unwrap()
}

/// Wait until `job` has finished a run that ended at or after `at` (at most a minute); it must
/// not fail.
pub async fn finished_after(addr: SocketAddr, job: &str, at: DateTime<Utc>) -> Value {
    finished_after_as(addr, None, job, at).await
}

/// [`finished_after`], asked with `session` (`None`: of a service open to read).
pub async fn finished_after_as(
    addr: SocketAddr,
    session: Option<&str>,
    job: &str,
    at: DateTime<Utc>,
) -> Value {
    let mut last = Value::Null;
    for _ in 0..1200 {
        let runs = match session {
            Some(s) => json_as(addr, s, "/api/runs").await,
            None => json(addr, "/api/runs").await,
        };
        let j = runs["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["job"] == job)
            .cloned()
            .unwrap();
        let since = j["since"]
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        if j["state"] == "done" && since.is_some_and(|s| s >= at) {
            return j;
        }
        assert_ne!(j["state"], "failed", "{j}");
        last = j;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{job} did not finish after {at}: {last}");
}

/// A client that does not follow redirects (a 303 to /login is what is asserted).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of `name="csrf" value="…"` in a page.
pub fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..].split('"').next().unwrap().to_string()
}

/// The `name=value` of cookie `name` among a response's Set-Cookie headers, with its attributes.
pub fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// Sign in; the session cookie (`xunjian_session=…`) and the status of the attempt.
pub async fn sign_in(addr: SocketAddr, name: &str, password: &str) -> (u16, Option<String>) {
    sign_in_carrying(addr, name, password, None).await
}

/// [`sign_in`] from a browser that already carries the cookie `planted` (`name=value`), as an
/// attacker who set it would want (session fixation).
pub async fn sign_in_carrying(
    addr: SocketAddr,
    name: &str,
    password: &str,
    planted: Option<&str>,
) -> (u16, Option<String>) {
    let c = client();
    let mut ask = c.get(format!("http://{addr}/login"));
    if let Some(p) = planted {
        ask = ask.header(COOKIE, p);
    }
    let form = ask.send().await.unwrap();
    let login_cookie = set_cookie(&form, "xunjian_login").expect("the form's cookie");
    let mut pair = login_cookie.split(';').next().unwrap().to_string();
    if let Some(p) = planted {
        pair = format!("{pair}; {p}");
    }
    let csrf = csrf_in(&form.text().await.unwrap());
    let r = c
        .post(format!("http://{addr}/login"))
        .header(COOKIE, pair)
        .form(&[("name", name), ("password", password), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    let session = set_cookie(&r, "xunjian_session");
    (r.status().as_u16(), session)
}

/// `GET path` with a session cookie (`None`: without): status and body.
pub async fn get(addr: SocketAddr, session: Option<&str>, path: &str) -> (u16, String) {
    let mut req = client().get(format!("http://{addr}{path}"));
    if let Some(s) = session {
        req = req.header(COOKIE, s);
    }
    let r = req.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// `POST path` with a form: status and body.
pub async fn post(
    addr: SocketAddr,
    session: &str,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let r = client()
        .post(format!("http://{addr}{path}"))
        .header(COOKIE, session)
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Add the service's sign-in accounts (`name`, role, unit), each with the password 「a long secret」.
pub async fn add_users(
    service: &Running,
    as_of: chrono::NaiveDate,
    users: &[(&str, Role, Option<&str>)],
) {
    let settings = xunjian_core::Settings::new(
        xunjian_core::load_seeds(&service.seeds_path).unwrap(),
        xunjian_core::load_rules(None, &[]).unwrap(),
        as_of,
    );
    for &(name, role, unit) in users {
        let new = xunjian_core::accounts::NewUser {
            name,
            role,
            unit,
            password: "a long secret",
        };
        xunjian_core::accounts::add_user(&settings, &service.store, &new)
            .await
            .unwrap();
    }
}

/// `GET path` with a session, as JSON; it must answer 200.
pub async fn json_as(addr: SocketAddr, session: &str, path: &str) -> Value {
    let (status, body) = get(addr, Some(session), path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}
