//! The service under load (issue 14, item 7): TARGETS fixture sites served on loopback (each on a
//! port of its own, so that per-host politeness is per site, as in a district), crawled in full by
//! the core inside the running service, twice: once with nobody looking, once while USERS signed-in
//! people use the dashboard (each asks for a page, reads it for THINK seconds on average, asks for
//! the next). Prints both crawls' wall time and pages per second, and every answer's time: median,
//! p95, p99, max, and the number of errors (any answer but 200, or none). Run by `bench/load.sh`:
//!
//!     cargo run --release -p xunjian-server --example load_bench -- [TARGETS USERS THINK]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use xunjian_fixture::{serve, DistrictSpec};
use xunjian_model::Role;
use xunjian_server::{Bound, Service};

#[path = "support/mod.rs"]
mod support;
use support::{arg, peak_rss_mib};

/// A district of `targets` department sites, ten to a unit, each with a news, a notice and a
/// policy column of six items: 22 pages a site.
fn district(targets: usize) -> String {
    let mut s = String::from(
        "[district]\nname = \"负载区\"\noffice = \"负载区人民政府办公室\"\nas_of = \"2025-09-30\"\n\n",
    );
    for u in 0..targets.div_ceil(10) {
        s.push_str(&format!(
            "[[unit]]\nid = \"u{u:03}\"\nname = \"负载区第{u}局\"\n\n"
        ));
    }
    let dates = |days: &[u32]| -> String {
        let d: Vec<String> = days.iter().map(|d| format!("\"2025-09-{d:02}\"")).collect();
        d.join(", ")
    };
    for t in 0..targets {
        s.push_str(&format!(
            "[[site]]\nid = \"s{t:04}\"\nname = \"负载区第{t}号网站\"\nunit = \"u{:03}\"\nkind = \"department\"\n\
             home_items_from = \"gzdt\"\n\n\
             [[site.column]]\nname = \"工作动态\"\npath = \"gzdt\"\ndates = [{}]\n\n\
             [[site.column]]\nname = \"通知公告\"\npath = \"tzgg\"\ndates = [{}]\n\n\
             [[site.column]]\nname = \"政策文件\"\npath = \"zcwj\"\ndates = [{}]\n\n",
            t / 10,
            dates(&[28, 26, 22, 18, 12, 3]),
            dates(&[25, 20, 15, 10, 5, 1]),
            dates(&[29, 21, 14, 7, 2, 1]),
        ));
    }
    s
}

/// A full crawl of every site into the store, then its judgement: (run, pages, wall time).
async fn crawl(
    settings: &xunjian_core::Settings,
    store: &xunjian_core::Store,
) -> (i64, u64, Duration) {
    let started = Instant::now();
    let outcome = xunjian_core::crawl(settings, store).await.unwrap();
    let took = started.elapsed();
    xunjian_core::analyze(settings, store, outcome.run)
        .await
        .unwrap();
    (outcome.run, outcome.pages, took)
}

/// Sign in over HTTP: the session cookie's `name=value`.
async fn sign_in(addr: SocketAddr, name: &str) -> String {
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = c.get(format!("http://{addr}/login")).send().await.unwrap();
    let pick = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
            .unwrap()
    };
    let login = pick(&form, "xunjian_login");
    let html = form.text().await.unwrap();
    let at = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = html[at..].split('"').next().unwrap().to_string();
    let r = c
        .post(format!("http://{addr}/login"))
        .header(reqwest::header::COOKIE, login)
        .form(&[
            ("name", name),
            ("password", "a long secret"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    pick(&r, "xunjian_session")
}

/// One person at the dashboard until `stop`: the time of each answer, and the failures.
async fn user(
    n: usize,
    addr: SocketAddr,
    session: String,
    pages: Arc<Vec<String>>,
    think: f64,
    stop: Arc<AtomicBool>,
) -> (Vec<f64>, Vec<String>) {
    let client = reqwest::Client::new();
    let (mut times, mut errors) = (Vec::new(), Vec::new());
    // A fixed walk per person (a multiplicative hash of the step), so runs compare.
    let mut step = n as u64 * 7919 + 1;
    // Arrivals spread over the first think time, not all at once.
    tokio::time::sleep(Duration::from_secs_f64(think * (n % 100) as f64 / 100.0)).await;
    while !stop.load(Ordering::Relaxed) {
        step = step
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let path = &pages[(step >> 33) as usize % pages.len()];
        let started = Instant::now();
        let answer = client
            .get(format!("http://{addr}{path}"))
            .header(reqwest::header::COOKIE, &session)
            .send()
            .await;
        match answer {
            Ok(r) if r.status() == 200 => match r.bytes().await {
                Ok(_) => times.push(started.elapsed().as_secs_f64() * 1000.0),
                Err(e) => errors.push(format!("{path}: {e}")),
            },
            Ok(r) => errors.push(format!("{path}: {}", r.status())),
            Err(e) => errors.push(format!("{path}: {e}")),
        }
        let pause = think * (0.5 + ((step >> 20) % 1000) as f64 / 1000.0);
        tokio::time::sleep(Duration::from_secs_f64(pause)).await;
    }
    (times, errors)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let (targets, users, think): (usize, usize, f64) = (arg(1, 1000), arg(2, 200), arg(3, 3.0));
    let spec = DistrictSpec::from_toml(&district(targets)).unwrap();
    let served = serve(&spec).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let seeds_path = work.path().join("seeds.toml");
    let seeds = served.seeds_toml.clone()
        + "\n[schedule]\nprobe = \"0 0 0 1 1 * 2099\"\ncrawl = \"0 0 0 1 1 * 2099\"\ninspect = \"0 0 0 1 1 * 2099\"\n";
    std::fs::write(&seeds_path, seeds).unwrap();
    let mut settings = xunjian_core::Settings::new(
        xunjian_core::load_seeds(&seeds_path).unwrap(),
        xunjian_core::load_rules(None, &[]).unwrap(),
        served.as_of,
    );
    settings.full = true;
    let db = format!("sqlite://{}", work.path().join("load.db").display());
    let store = xunjian_core::open_store(Some(&db)).await.unwrap();
    // A first crawl, so that the dashboard has a judgement to show.
    let (_, pages, first) = crawl(&settings, &store).await;
    println!(
        "{targets} sites, {pages} pages: first crawl {:.1} s",
        first.as_secs_f64()
    );
    for (name, role, unit) in [
        ("office", Role::Office, None),
        ("viewer", Role::Viewer, None),
        ("unit0", Role::Unit, Some("u000")),
        ("unit1", Role::Unit, Some("u001")),
    ] {
        let new = xunjian_core::accounts::NewUser {
            name,
            role,
            unit,
            password: "a long secret",
        };
        xunjian_core::accounts::add_user(&settings, &store, &new)
            .await
            .unwrap();
    }
    let service = Service {
        settings: settings.clone(),
        store: store.clone(),
        out: work.path().join("reports"),
        listen: "127.0.0.1:0".parse().unwrap(),
        inspect_now: None,
        tick: Duration::from_secs(1),
        access: Default::default(),
    };
    let bound = Bound::bind(service).await.unwrap();
    let addr = bound.local_addr().unwrap();
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bound.run(async {
        let _ = stopped.await;
    }));
    let mut sessions = Vec::new();
    for name in ["office", "viewer", "unit0", "unit1"] {
        sessions.push(sign_in(addr, name).await);
    }
    // What each account may open: the office and the viewer every page, a unit its own sites.
    let pages_of = |own: Option<usize>| {
        let mut pages = vec![
            "/".to_string(),
            "/api/targets".into(),
            "/?verdict=unqualified".into(),
            "/problems".into(),
            "/api/problems".into(),
            "/notices".into(),
        ];
        let sites: Vec<usize> = match own {
            Some(u) => (u * 10..(u * 10 + 10).min(targets)).collect(),
            None => {
                pages.push("/api/runs".into());
                (0..targets).step_by(targets.div_ceil(20).max(1)).collect()
            }
        };
        for t in sites {
            pages.push(format!("/targets/s{t:04}"));
            pages.push(format!("/api/targets/s{t:04}"));
        }
        Arc::new(pages)
    };
    let pages = [
        pages_of(None),
        pages_of(None),
        pages_of(Some(0)),
        pages_of(Some(1)),
    ];

    // The same full crawl, with nobody looking and then under load.
    let (_, pages_alone, alone) = crawl(&settings, &store).await;
    let stop = Arc::new(AtomicBool::new(false));
    let people: Vec<_> = (0..users)
        .map(|n| {
            tokio::spawn(user(
                n,
                addr,
                sessions[n % sessions.len()].clone(),
                pages[n % pages.len()].clone(),
                think,
                stop.clone(),
            ))
        })
        .collect();
    let (_, pages_loaded, loaded) = crawl(&settings, &store).await;
    stop.store(true, Ordering::Relaxed);
    let (mut times, mut errors) = (Vec::new(), Vec::new());
    for p in people {
        let (t, e) = p.await.unwrap();
        times.extend(t);
        errors.extend(e);
    }
    times.sort_by(f64::total_cmp);
    let rate = |pages: u64, d: Duration| pages as f64 / d.as_secs_f64();
    let (r_alone, r_loaded) = (rate(pages_alone, alone), rate(pages_loaded, loaded));
    println!("| | wall s | pages | pages/s |\n|---|---|---|---|");
    println!(
        "| crawl, nobody looking | {:.1} | {pages_alone} | {r_alone:.0} |",
        alone.as_secs_f64()
    );
    println!(
        "| crawl, {users} people at the dashboard | {:.1} | {pages_loaded} | {r_loaded:.0} |",
        loaded.as_secs_f64()
    );
    println!(
        "throughput under load / alone: {:.3} (goal ≥ 0.90)",
        r_loaded / r_alone
    );
    println!(
        "dashboard: {} answers in {:.1} s ({:.0}/s), {users} people, think time {think} s: \
         median {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; errors {}",
        times.len(),
        loaded.as_secs_f64(),
        times.len() as f64 / loaded.as_secs_f64(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(f64::NAN),
        errors.len()
    );
    for e in errors.iter().take(5) {
        println!("  error: {e}");
    }
    println!(
        "peak RSS of the service (crawl, dashboard and the people): {:.0} MiB",
        peak_rss_mib()
    );
    let _ = stop_server.send(());
    let _ = server.await;
    if !errors.is_empty() {
        std::process::exit(1);
    }
}
