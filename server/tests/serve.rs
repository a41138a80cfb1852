//! `xunjian serve` on the fixture district with an injected clock: probes every half hour, the
//! nightly crawl, the quarterly inspection after the quarter's end; and a dashboard whose numbers
//! are the inspection's findings.json.

use std::time::Duration;

use serde_json::Value;
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};
use xunjian_server::{Bound, Service};

mod common;
use common::{finished_after, json, Manual, Running};

async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let r = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn probes(store: &xunjian_core::Store) -> usize {
    store
        .probes("portal", "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")
        .await
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schedule_runs_and_the_dashboard_says_what_the_inspection_found() {
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = serve(&spec).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    let clock = Manual::at("2025-09-30T23:10:00+08:00");
    // One 重要信息转发 item for the portal, so that its page shows where the portal stands.
    let seeds = format!(
        "{}\n[[relay]]\nid = \"any\"\nname = \"九月要闻\"\nmatch = \".\"\npublished = 2025-09-01\nwithin_days = 29\nkinds = [\"portal\"]\n",
        district.seeds_toml
    );
    let service = Running::start(work.path(), &seeds, district.as_of, clock.clone()).await;
    let (addr, store, out) = (service.addr, service.store.clone(), service.out.clone());
    let seeds_path = service.seeds_path.clone();

    // Nothing has been judged yet: the dashboard says so, and nothing runs at the first start.
    let (status, page) = get(addr, "/").await;
    assert_eq!(status, 200);
    // Every answer carries the security headers, and no page holds an inline script.
    for path in [
        "/",
        "/runs",
        "/api/targets",
        "/assets/runs.js",
        "/no-such-page",
    ] {
        let r = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        let body = r.text().await.unwrap();
        assert!(
            !body.contains("<script>"),
            "{path}: an inline script would be refused"
        );
    }
    assert!(page.contains("尚无研判结果"), "{page}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(probes(&store).await, 0);

    // 23:30: a probe round.
    finished_after(addr, "probe", clock.set("2025-09-30T23:30:05+08:00")).await;
    let sites = district.origins.len() - 1;
    assert!(probes(&store).await >= 1, "a probe of the portal");
    // 01:00: the nightly crawl (judged as of that day), and the 01:00 probe.
    let crawl = finished_after(addr, "crawl", clock.set("2025-10-01T01:00:10+08:00")).await;
    assert_eq!(crawl["state"], "done", "{crawl}");
    let runs = json(addr, "/api/runs").await;
    assert_eq!(runs["runs"][0]["as_of"], "2025-10-01", "{runs}");
    assert_eq!(runs["runs"][0]["status"], "analyzed", "{runs}");
    // 03:00 on the quarter's first day: the inspection as of its last day, with its documents.
    let at = clock.set("2025-10-01T03:00:10+08:00");
    let inspect = finished_after(addr, "inspect", at).await;
    assert_eq!(inspect["state"], "done", "{inspect}");
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("2025-09-30").join("findings.json")).unwrap(),
    )
    .unwrap();
    assert!(out.join("2025-09-30").join("report.html").exists());
    assert!(
        probes(&store).await >= 2,
        "probes at 23:30 and 01:00 (and 03:00)"
    );

    // The dashboard shows the newest judgement: the inspection's, target for target.
    let api = json(addr, "/api/targets").await;
    assert_eq!(api["as_of"], "2025-09-30");
    let shown = api["targets"].as_array().unwrap();
    let judged = doc["targets"].as_array().unwrap();
    assert_eq!(shown.len(), judged.len());
    assert!(judged.len() >= sites);
    for t in judged {
        let s = shown.iter().find(|s| s["id"] == t["id"]).unwrap();
        assert_eq!(s["verdict"], t["verdict"], "{}", t["id"]);
        assert_eq!(s["vetoes"], t["vetoes"], "{}", t["id"]);
        let findings = t["findings"].as_array().map_or(0, Vec::len);
        assert_eq!(s["open_findings"], findings, "{}", t["id"]);
    }
    let (_, page) = get(addr, "/").await;
    rows_count_the_findings(&page, judged);
    // A target's page: its findings with their evidence, and its verdict in every judged run.
    let portal = judged.iter().find(|t| t["id"] == "portal").unwrap();
    let detail = json(addr, "/api/targets/portal").await;
    let findings = portal["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(detail["findings"].as_array().unwrap().len(), findings.len());
    let history = detail["history"].as_array().unwrap();
    assert_eq!(
        history.len(),
        2,
        "the nightly run and the inspection: {detail}"
    );
    assert_eq!(history[0]["as_of"], "2025-09-30");
    assert_eq!(history[0]["verdict"], portal["verdict"]);
    assert_eq!(history[1]["as_of"], "2025-10-01");
    let (status, page) = get(addr, "/targets/portal").await;
    assert_eq!(status, 200);
    // The relay item: judged by the analysis, shown as judged.
    let relays = detail["relays"]
        .as_array()
        .expect("the portal's relay marks");
    assert_eq!(relays.len(), 1, "{detail}");
    assert_eq!(relays[0]["state"], portal["relays"][0]["state"]);
    let relay_row = format!(
        "<tr class=\"relay-{}\"><td>九月要闻</td><td>{}</td>",
        relays[0]["state"].as_str().unwrap(),
        relays[0]["state_zh"].as_str().unwrap()
    );
    assert!(
        page.contains("重要信息转发（供核实）") && page.contains(&relay_row),
        "{page}"
    );
    for f in &findings {
        let evidence = f["evidence"].as_str().unwrap();
        let escaped = evidence
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(page.contains(&escaped), "{evidence} not on the page");
        // A broken link names the pages it sits on.
        if f["rule"] == "link.broken" {
            let count = f["source_count"].as_u64().unwrap();
            assert!(page.contains(&format!("所在页面（共{count}个）")), "{f}");
            for source in f["sources"].as_array().unwrap() {
                assert!(page.contains(source.as_str().unwrap()), "{source}");
            }
        }
    }
    // Its availability: the probes of each day as the store holds them, drawn as SVG charts; its
    // findings across the two judged runs, drawn too.
    let days = detail["availability"].as_array().unwrap();
    let probed: u64 = days
        .iter()
        .map(|d| d["probes"].as_u64().unwrap() + d["blocked"].as_u64().unwrap())
        .sum();
    assert_eq!(probed as usize, probes(&store).await, "{days:?}");
    assert!(
        days.iter().all(|d| d["failures"] == 0),
        "the portal answers: {days:?}"
    );
    for chart in ["chart-probes", "chart-times", "chart-history"] {
        let figure = page
            .split(&format!("id=\"{chart}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("no {chart}"));
        assert!(
            figure.trim_start_matches('>').starts_with("<svg"),
            "{chart}: {figure}"
        );
    }
    assert!(
        page.contains("栏目不更新") && page.contains("剩余天数"),
        "the column table"
    );
    // The marks its homepage showed, and its 主动公开事项.
    let icp = portal["marks"]["icp"].as_str().unwrap();
    assert!(page.contains("标识与备案") && page.contains(icp), "{icp}");
    for d in portal["disclosures"].as_array().into_iter().flatten() {
        assert!(page.contains(d["name"].as_str().unwrap()), "{d}");
    }
    let home = &portal["homepage"];
    assert!(
        page.contains(&format!(
            "首页：最近更新{}",
            home["last_update"].as_str().unwrap()
        )),
        "the homepage's freshness: {home}"
    );
    // The 总览's trend: each judged run's verdicts, counted, with its JSON twin.
    let trend = json(addr, "/api/trend").await;
    let trend = trend.as_array().unwrap();
    assert_eq!(trend.len(), 2, "{trend:?}");
    let newest = &trend[1];
    let count = |v: &str| judged.iter().filter(|t| t["verdict"] == v).count() as u64;
    for v in ["qualified", "unqualified", "inconclusive"] {
        assert_eq!(newest[v].as_u64().unwrap(), count(v), "{v}: {newest}");
    }
    let (_, front) = get(addr, "/").await;
    assert!(front.contains("id=\"chart-trend\"><svg"), "{front}");
    assert_eq!(get(addr, "/targets/nobody").await.0, 404);
    assert_eq!(get(addr, "/api/targets/nobody").await.0, 404);

    // A filter keeps only what it names.
    let unqualified = json(addr, "/api/targets?verdict=unqualified").await;
    let want = judged
        .iter()
        .filter(|t| t["verdict"] == "unqualified")
        .count();
    assert_eq!(unqualified["targets"].as_array().unwrap().len(), want);
    let (status, runs_page) = get(addr, "/runs").await;
    assert_eq!(status, 200);
    assert!(
        runs_page.contains("季度检查") && runs_page.contains("已出具通报"),
        "{runs_page}"
    );

    // In a real browser: every page renders with the same numbers, without console errors.
    let pages = tokio::task::spawn_blocking(move || {
        ["/", "/runs", "/targets/portal"].map(|p| in_chromium(&format!("http://{addr}{p}")))
    })
    .await
    .unwrap();
    if let [Some((overview, log1)), Some((runs_dom, log2)), Some((target_dom, log3))] = &pages {
        for log in [log1, log2, log3] {
            assert!(console_errors(log).is_empty(), "{log}");
        }
        rows_count_the_findings(overview, judged);
        assert!(runs_dom.contains("已完成"), "{runs_dom}");
        assert!(target_dom.contains("历次结论"), "{target_dom}");
        assert!(
            target_dom.contains("<svg"),
            "the charts render: {target_dom}"
        );
    }

    // The 运行 page's event stream pushes every job's state; an open one does not hold up a stop.
    let mut events = reqwest::get(format!("http://{addr}/api/jobs/stream"))
        .await
        .unwrap();
    assert_eq!(
        events.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let first = events.chunk().await.unwrap().unwrap();
    let first = String::from_utf8_lossy(&first).to_string();
    assert!(first.starts_with("event: jobs\ndata: ["), "{first}");
    assert!(
        first.contains("\"job\":\"inspect\",\"label_zh\":\"季度检查\",\"state\":\"done\""),
        "{first}"
    );

    // Stopped and started again at the same time: nothing is due twice.
    // (Within ten seconds, with an event stream open.)
    service.stop().await.unwrap();
    drop(events);
    let marks = store.job_marks().await.unwrap();
    assert_eq!(
        marks.iter().filter(|m| m.state == "done").count(),
        3,
        "{marks:?}"
    );
    let runs_before = store.runs(100).await.unwrap().len();
    let again = Service {
        settings: {
            let seeds = xunjian_core::load_seeds(&seeds_path).unwrap();
            let mut s = xunjian_core::Settings::new(
                seeds,
                xunjian_core::load_rules(None, &[]).unwrap(),
                district.as_of,
            );
            s.clock = clock.clone();
            s
        },
        store: store.clone(),
        out,
        listen: "127.0.0.1:0".parse().unwrap(),
        inspect_now: None,
        tick: Duration::from_millis(20),
        access: xunjian_server::Access {
            open: true,
            ..Default::default()
        },
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(Bound::bind(again).await.unwrap().run(async {
        let _ = stopped.await;
    }));
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert_eq!(store.runs(100).await.unwrap().len(), runs_before);
}

/// What headless Chromium (Debian's `chromium`) makes of a page three seconds after it loaded, its
/// scripts run: the DOM and the console lines. `None` when there is no Chromium here (the test
/// says so on stderr).
fn in_chromium(url: &str) -> Option<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("timeout")
        .args([
            "60",
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args(["--enable-logging=stderr", "--v=0", "--timeout=3000"])
        .arg(format!("--user-data-dir={}", dir.path().display()))
        .args(["--dump-dom", url])
        .output()
        .ok()
        .filter(|o| o.status.code() != Some(127));
    match out {
        Some(o) => Some((
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )),
        None => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: browser check: no chromium here; .ci/run installs it"
            );
            None
        }
    }
}

/// Every judged target's row on the 总览 shows its number of findings.
fn rows_count_the_findings(page: &str, judged: &[Value]) {
    for t in judged {
        let findings = t["findings"].as_array().map_or(0, Vec::len);
        let row = page
            .split(&format!("id=\"target-{}\"", t["id"].as_str().unwrap()))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_else(|| panic!("no row for {} in {page}", t["id"]));
        assert!(
            row.contains(&format!("class=\"num findings\">{findings}<")),
            "{}: {row}",
            t["id"]
        );
    }
}

/// Console messages and script errors Chromium logged for the page.
fn console_errors(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect()
}
