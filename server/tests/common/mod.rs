//! What the service tests share: a clock they move by hand, the service started on a district's
//! seeds, and its JSON API.

// Each test file uses the part it needs.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use xunjian_core::Store;
use xunjian_model::clock::Clock;
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
            access: Default::default(),
        };
        let bound = Bound::bind(service).await.unwrap();
        let addr = bound.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(bound.run(async {
            let _ = stopped.await;
        }));
        // The dashboard answers only once the scheduler has read the clock.
        json(addr, "/api/runs").await;
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
    let mut last = Value::Null;
    for _ in 0..1200 {
        let runs = json(addr, "/api/runs").await;
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
