//! The 运行 page in a real browser while a crawl runs: headless Chromium (Debian's `chromium`),
//! driven over its DevTools protocol, keeps the page open while the service's nightly crawl runs
//! and reads the crawl's row again and again. The row changes from 未运行 to 运行中 with per-site
//! progress to 已完成 without the page being loaded again (the server pushes it, Server-Sent
//! Events), and the page logs no error. Without Chromium the test says so and passes.

use std::process::Stdio;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::Message;
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};

mod common;
use common::{Manual, Running};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One page of a headless Chromium, spoken to over the DevTools protocol.
struct Page {
    socket: Socket,
    next: u64,
    /// Console errors and uncaught exceptions seen so far.
    errors: Vec<String>,
    _browser: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Page {
    /// Start Chromium on a blank page; `None` when there is no Chromium here.
    async fn open() -> Option<Page> {
        let profile = tempfile::tempdir().unwrap();
        let mut browser = tokio::process::Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .arg("--remote-debugging-port=0")
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .ok()?;
        let mut lines = BufReader::new(browser.stderr.take()?).lines();
        let endpoint = tokio::time::timeout(Duration::from_secs(30), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    return Some(url.trim().to_string());
                }
            }
            None
        })
        .await
        .ok()
        .flatten()?;
        // The page target of about:blank, from the browser's own list.
        let http = endpoint
            .trim_start_matches("ws://")
            .split('/')
            .next()?
            .to_string();
        let list: Value = reqwest::get(format!("http://{http}/json/list"))
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        let page_url = list.as_array()?.iter().find(|t| t["type"] == "page")?
            ["webSocketDebuggerUrl"]
            .as_str()?
            .to_string();
        let (socket, _) = tokio_tungstenite::connect_async(page_url).await.ok()?;
        let mut page = Page {
            socket,
            next: 0,
            errors: Vec::new(),
            _browser: browser,
            _profile: profile,
        };
        page.call("Runtime.enable", json!({})).await;
        Some(page)
    }

    /// Send a command and wait for its answer, noting console errors that arrive meanwhile.
    async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let text = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket.send(Message::text(text)).await.unwrap();
        loop {
            let message = tokio::time::timeout(Duration::from_secs(30), self.socket.next())
                .await
                .expect("Chromium answers")
                .expect("the socket stays open")
                .unwrap();
            let Message::Text(text) = message else {
                continue;
            };
            let v: Value = serde_json::from_str(&text).unwrap();
            if v["id"] == id {
                return v["result"].clone();
            }
            match v["method"].as_str() {
                Some("Runtime.exceptionThrown") => self.errors.push(v["params"].to_string()),
                Some("Runtime.consoleAPICalled") if v["params"]["type"] == "error" => {
                    self.errors.push(v["params"].to_string())
                }
                _ => {}
            }
        }
    }

    async fn text_of(&mut self, selector: &str) -> String {
        let expression = format!("document.querySelector({selector:?})?.innerText ?? ''");
        let r = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true}),
            )
            .await;
        r["result"]["value"].as_str().unwrap_or("").to_string()
    }

    /// How many times the document was loaded (a reload would start it again).
    async fn loads(&mut self) -> String {
        self.text_of("#loads").await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runs_page_follows_a_crawl_as_it_runs() {
    let Some(mut page) = Page::open().await else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: browser check: no chromium here; .ci/run installs it"
        );
        return;
    };
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = serve(&spec).await.unwrap();
    let work = tempfile::tempdir().unwrap();
    // A slower rate, so that the crawl lasts a few of the page's one-second updates.
    let seeds = district
        .seeds_toml
        .replacen("rate_per_host = 50.0", "rate_per_host = 4.0", 1);
    let clock = Manual::at("2025-10-01T00:40:00+08:00");
    let service = Running::start(work.path(), &seeds, district.as_of, clock.clone()).await;
    let addr = service.addr;

    page.call(
        "Page.navigate",
        json!({"url": format!("http://{addr}/runs")}),
    )
    .await;
    let started = Instant::now();
    while page.text_of("#job-crawl").await.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the page did not load"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Mark the document, so that a reload would show.
    page.call(
        "Runtime.evaluate",
        json!({"expression": "document.body.insertAdjacentHTML('beforeend', '<i id=\"loads\">once</i>')"}),
    )
    .await;
    assert!(page.text_of("#job-crawl").await.contains("未运行"));

    // 01:00: the nightly crawl starts; the open page follows it.
    clock.set("2025-10-01T01:00:05+08:00");
    let mut seen: Vec<String> = Vec::new();
    let started = Instant::now();
    loop {
        let row = page.text_of("#job-crawl").await;
        if seen.last() != Some(&row) {
            seen.push(row.clone());
        }
        if row.contains("已完成") {
            break;
        }
        assert!(!row.contains("失败\t"), "{row}");
        assert!(started.elapsed() < Duration::from_secs(120), "{seen:#?}");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let running: Vec<&String> = seen.iter().filter(|r| r.contains("运行中")).collect();
    assert!(
        !running.is_empty(),
        "the row showed the crawl running: {seen:#?}"
    );
    assert!(
        running.iter().any(|r| r.contains("已抓取")),
        "with per-site progress: {seen:#?}"
    );
    assert!(
        running.iter().any(|r| r.contains("预计剩余约")),
        "and an estimate of the time left: {seen:#?}"
    );
    let fetched = |r: &str| -> usize {
        r.split("已抓取")
            .skip(1)
            .filter_map(|s| s.split('，').next()?.parse::<usize>().ok())
            .sum()
    };
    assert!(
        running.windows(2).any(|w| fetched(w[1]) > fetched(w[0])),
        "the counts grew as pages were fetched: {seen:#?}"
    );
    assert_eq!(
        page.loads().await,
        "once",
        "updated in place, never reloaded"
    );
    assert!(page.errors.is_empty(), "{:?}", page.errors);

    service.stop().await.unwrap();
}
