//! The dashboard at district scale: a store holding TARGETS sites of COLUMNS columns each, RUNS
//! judged runs of history and a week of half-hourly probes; every page and API is asked for
//! REQUESTS times and the server's own time (its `Server-Timing` header) is printed, with the
//! process's peak memory. Run by `bench/dashboard.sh` (release build):
//!
//!     cargo run --release -p xunjian-server --example dashboard_bench -- [TARGETS COLUMNS RUNS REQUESTS]

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use xunjian_model::finding::{BrokenReason, ColumnCondition, ColumnStatus, Finding};
use xunjian_model::observe::{Observation, ProbeRecord};
use xunjian_model::{ColumnClass, TargetKind, TargetReport, Verdict};
use xunjian_server::{Bound, Service};

#[path = "support/mod.rs"]
mod support;
use support::{arg, peak_rss_mib};

fn seeds_toml(targets: usize) -> String {
    let mut s = String::from(
        "[district]\nname = \"基准区\"\noffice = \"基准区人民政府办公室\"\n\n\
         [schedule]\nprobe = \"0 0 0 1 1 * 2099\"\ncrawl = \"0 0 0 1 1 * 2099\"\ninspect = \"0 0 0 1 1 * 2099\"\n\n",
    );
    for u in 0..targets.div_ceil(10) {
        s.push_str(&format!(
            "[[unit]]\nid = \"u{u:03}\"\nname = \"基准区第{u}局\"\n\n"
        ));
    }
    for t in 0..targets {
        s.push_str(&format!(
            "[[site]]\nid = \"s{t:04}\"\nname = \"基准区第{t}号网站\"\nunit = \"u{:03}\"\nurl = \"http://127.0.0.1:9/s{t:04}/\"\nkind = \"department\"\n\n",
            t / 10
        ));
    }
    s
}

fn report(t: usize, columns: usize, run: usize, as_of: NaiveDate) -> TargetReport {
    let url = |p: &str| format!("http://127.0.0.1:9/s{t:04}/{p}");
    let columns: Vec<ColumnStatus> = (0..columns)
        .map(|c| {
            let stale = (t + c + run).is_multiple_of(9);
            let last = as_of - chrono::Days::new(if stale { 40 } else { (c % 12) as u64 });
            let from = last + chrono::Days::new(15);
            ColumnStatus {
                name: format!("栏目{c}"),
                url: url(&format!("col{c}/")),
                class: ColumnClass::News,
                state: if stale {
                    ColumnCondition::Stale
                } else {
                    ColumnCondition::Fresh
                },
                last_update: Some(last.to_string()),
                window_days: Some(14),
                window_months: None,
                stale_from: Some(from.to_string()),
                days_left: Some((from - as_of).num_days()),
                due_soon: !stale && (from - as_of).num_days() <= 3,
                reason: None,
                seen: Some(format!("{as_of}T01:00:00Z")),
            }
        })
        .collect();
    let mut findings: Vec<Finding> = columns
        .iter()
        .filter(|c| c.state == ColumnCondition::Stale)
        .map(|c| Finding::ColumnStale {
            url: c.url.clone(),
            column: c.name.clone(),
            class: c.class,
            last_update: c.last_update.clone(),
            window_days: Some(14),
            window_months: None,
            evidence: format!(
                "「{}」栏目最近一条信息发布于{}",
                c.name,
                c.last_update.as_deref().unwrap_or("")
            ),
            seen: c.seen.clone(),
        })
        .collect();
    findings.extend((0..(t + run) % 6).map(|i| Finding::LinkBroken {
        url: url(&format!("gone{i}.pdf")),
        sources: (0..20).map(|p| url(&format!("p{p}.html"))).collect(),
        source_count: 200,
        reason: BrokenReason::Http(404),
        status: Some(404),
        internal: true,
        on_homepage: false,
        evidence: format!("链接{}返回HTTP 404错误", url(&format!("gone{i}.pdf"))),
        seen: Some(format!("{as_of}T01:00:00Z")),
    }));
    let vetoes: Vec<String> = if findings.len() > 8 {
        vec!["web.veto.columns_not_updated".into()]
    } else {
        vec![]
    };
    TargetReport {
        not_checked: Vec::new(),
        id: format!("s{t:04}"),
        kind: TargetKind::Site,
        unit: format!("u{:03}", t / 10),
        verdict: if vetoes.is_empty() {
            Verdict::Qualified
        } else {
            Verdict::Unqualified
        },
        vetoes,
        score: None,
        findings,
        name: format!("基准区第{t}号网站"),
        inconclusive: vec![],
        rules: vec![],
        columns,
        account: None,
        homepage: None,
        marks: None,
        disclosures: vec![],
        dismissed: vec![],
        relays: vec![],
        matrix: None,
    }
}

async fn fill(store: &xunjian_core::Store, targets: usize, columns: usize, runs: usize) {
    let today = Utc::now().date_naive();
    for run in 0..runs {
        let as_of = today - chrono::Days::new((runs - 1 - run) as u64);
        let id = store
            .create_run(
                "bench.toml",
                "bench",
                &as_of.to_string(),
                &format!("{as_of}T17:00:00Z"),
            )
            .await
            .unwrap();
        let reports: Vec<TargetReport> = (0..targets)
            .map(|t| report(t, columns, run, as_of))
            .collect();
        store.save_reports(id, &reports).await.unwrap();
        store
            .set_run_status(id, "analyzed", &format!("{as_of}T18:00:00Z"))
            .await
            .unwrap();
    }
    // A week of probes every half hour.
    let now: DateTime<Utc> = Utc::now();
    let mut batch = Vec::new();
    for t in 0..targets {
        for i in 0..(7 * 48) {
            let at = now - chrono::Duration::minutes(30 * i);
            batch.push(Observation::Probe(ProbeRecord {
                site: format!("s{t:04}"),
                url: format!("http://127.0.0.1:9/s{t:04}/"),
                probed_at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ok: !(t + i as usize).is_multiple_of(50),
                elapsed_ms: 20 + (i as u64 * 7) % 300,
                reason: None,
            }));
        }
        if batch.len() > 5000 {
            store.write(0, &batch).await.unwrap();
            batch.clear();
        }
    }
    store.write(0, &batch).await.unwrap();
}

/// The server's time for `path`, from its Server-Timing header, in milliseconds.
async fn timed(client: &reqwest::Client, addr: std::net::SocketAddr, path: &str) -> f64 {
    let r = client
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    let ms = r.headers()["server-timing"]
        .to_str()
        .unwrap()
        .trim_start_matches("app;dur=")
        .parse()
        .unwrap();
    r.bytes().await.unwrap();
    ms
}

#[tokio::main]
async fn main() {
    let (targets, columns, runs, requests) = (
        arg(1, 1000usize),
        arg(2, 50usize),
        arg(3, 10usize),
        arg(4, 20usize),
    );
    let work = tempfile::tempdir().unwrap();
    let seeds_path = work.path().join("bench.toml");
    std::fs::write(&seeds_path, seeds_toml(targets)).unwrap();
    let db = format!("sqlite://{}", work.path().join("bench.db").display());
    let store = xunjian_core::open_store(Some(&db)).await.unwrap();
    let started = Instant::now();
    fill(&store, targets, columns, runs).await;
    println!(
        "store: {targets} sites × {columns} columns, {runs} judged runs, a week of probes: filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let seeds = xunjian_core::load_seeds(&seeds_path).unwrap();
    let pack = xunjian_core::load_rules(None, &[]).unwrap();
    let settings = xunjian_core::Settings::new(seeds, pack, Utc::now().date_naive());
    let service = Service {
        settings,
        store: store.clone(),
        out: work.path().join("reports"),
        listen: "127.0.0.1:0".parse().unwrap(),
        inspect_now: None,
        tick: Duration::from_secs(3600),
        access: xunjian_server::Access {
            open: true,
            ..Default::default()
        },
    };
    let bound = Bound::bind(service).await.unwrap();
    let addr = bound.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(bound.run(async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();
    // The service reads the newest judgement once at its start and after each job; a page asked
    // for at that moment waits for it.
    let cold = timed(&client, addr, "/").await;
    println!("first `/` the moment the service started (the judgement read once): {cold:.1} ms");
    let middle = format!("s{:04}", targets / 2);
    let pages = [
        "/".to_string(),
        "/api/targets".into(),
        "/?verdict=unqualified".into(),
        format!("/targets/{middle}"),
        format!("/api/targets/{middle}"),
        "/runs".into(),
        "/api/runs".into(),
        "/api/trend".into(),
    ];
    println!("| page | median ms | max ms |\n|---|---|---|");
    let mut worst: f64 = 0.0;
    for path in &pages {
        let mut times = Vec::with_capacity(requests);
        for _ in 0..requests {
            times.push(timed(&client, addr, path).await);
        }
        times.sort_by(f64::total_cmp);
        let (median, max) = (times[times.len() / 2], times[times.len() - 1]);
        worst = worst.max(max);
        println!("| `{path}` | {median:.1} | {max:.1} |");
    }
    println!(
        "slowest page {worst:.1} ms (goal ≤ 200 ms); peak RSS of the process {:.0} MB (goal ≤ 300 MB)",
        peak_rss_mib()
    );
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
