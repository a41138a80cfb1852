//! Alerts from `xunjian serve` on the fixture district, delivered to loopback receivers: a 企业微信
//! robot's webhook and an SMTP server. A site that goes down is told once, however long it stays
//! down; when it comes back and goes down again, that is a new event. A nightly judgement tells each
//! veto once. The SMTP password, the robot's key and every log line the service writes meanwhile
//! (captured at TRACE, every crate) are compared: the secrets are used, and never logged.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};

mod common;
use common::{finished_after, json, Manual, Running};

type Inbox = Arc<Mutex<Vec<String>>>;

/// Everything logged in this test process, at every level of every crate.
fn logged() -> Arc<Mutex<Vec<u8>>> {
    static LOG: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    LOG.get_or_init(|| {
        let log: Arc<Mutex<Vec<u8>>> = Arc::default();
        let kept = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
            .with_ansi(false)
            .with_writer(move || Capture(kept.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        log
    })
    .clone()
}

/// A writer into the captured log.
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The robot's key, a secret of its URL.
const ROBOT_KEY: &str = "robot-key-never-logged";

/// A group robot on loopback that takes every message and answers as 企业微信 does.
async fn robot() -> (String, Inbox) {
    async fn take(State(inbox): State<Inbox>, Json(body): Json<Value>) -> Json<Value> {
        assert_eq!(body["msgtype"], "text", "{body}");
        let content = body["text"]["content"].as_str().unwrap().to_string();
        inbox.lock().unwrap().push(content);
        Json(json!({"errcode": 0, "errmsg": "ok"}))
    }
    let inbox = Inbox::default();
    let app = axum::Router::new()
        .route("/cgi-bin/webhook/send", axum::routing::post(take))
        .with_state(inbox.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://{}/cgi-bin/webhook/send?key={ROBOT_KEY}",
        l.local_addr().unwrap()
    );
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (url, inbox)
}

/// A mail server on loopback that speaks just enough SMTP and keeps each message it is given.
async fn mail_server() -> (u16, Inbox, Inbox) {
    let inbox = Inbox::default();
    let auths = Inbox::default();
    let auths_kept = auths.clone();
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = l.accept().await {
            let kept = kept.clone();
            let auths = auths_kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 localhost ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n",
                        "AUTH" => {
                            auths.lock().unwrap().push(line.clone());
                            b"235 2.7.0 accepted\r\n"
                        }
                        "DATA" => {
                            write.write_all(b"354 go on\r\n").await.unwrap();
                            let mut message = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                message.push_str(&l);
                                message.push('\n');
                            }
                            kept.lock().unwrap().push(message);
                            b"250 kept\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, inbox, auths)
}

/// (target, veto) of every veto the dashboard shows.
fn held_vetoes(targets: &Value) -> std::collections::BTreeSet<(String, String)> {
    targets["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            let id = t["id"].as_str().unwrap().to_string();
            t["vetoes"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |v| (id.clone(), v.as_str().unwrap().to_string()))
        })
        .collect()
}

fn mentioning(inbox: &Inbox, what: &str) -> usize {
    inbox
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.contains(what))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_that_goes_down_is_told_once_per_outage_and_each_veto_once() {
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = serve(&spec).await.unwrap();
    let (robot_url, robot_inbox) = robot().await;
    let (smtp_port, mail_inbox, auths) = mail_server().await;
    let log = logged();
    const PASSWORD: &str = "smtp-Pa55-never-logged";
    std::env::set_var("XUNJIAN_TEST_SMTP_PASSWORD", PASSWORD);
    let work = tempfile::tempdir().unwrap();
    let seeds = format!(
        "{}\n[[alerts.webhook]]\nkind = \"wecom\"\nurl = \"{robot_url}\"\n\n\
         [alerts.email]\nserver = \"127.0.0.1\"\nport = {smtp_port}\nsecurity = \"none\"\n\
         user = \"xunjian\"\npassword_env = \"XUNJIAN_TEST_SMTP_PASSWORD\"\n\
         from = \"巡检 <xunjian@example.gov.cn>\"\nto = [\"office@example.gov.cn\"]\n",
        district.seeds_toml
    );
    let clock = Manual::at("2025-10-01T09:10:00+08:00");
    let set = |t: &str| clock.set(t);
    let service = Running::start(work.path(), &seeds, district.as_of, clock.clone()).await;
    let addr = service.addr;
    let portal = format!("{}/", district.origins["portal"]);
    let down_alerts = |inbox: &Inbox| mentioning(inbox, &format!("（{portal}）自"));

    // The dashboard answers once the scheduler has read the clock (09:10): only then move it on.
    reqwest::get(format!("http://{addr}/api/runs"))
        .await
        .unwrap();
    // 09:30, everything up; 10:00 the portal fails once: not yet down.
    finished_after(addr, "probe", set("2025-10-01T09:30:01+08:00")).await;
    assert!(district.set_outage("portal", true));
    finished_after(addr, "probe", set("2025-10-01T10:00:01+08:00")).await;
    assert_eq!(down_alerts(&robot_inbox), 0, "one failure is not an outage");
    // 10:30, the second failure in a row: told once on each channel, and not again at 11:00.
    let j = finished_after(addr, "probe", set("2025-10-01T10:30:01+08:00")).await;
    assert!(j["message"].as_str().unwrap().contains("alerts: "), "{j}");
    finished_after(addr, "probe", set("2025-10-01T11:00:01+08:00")).await;
    assert_eq!(
        down_alerts(&robot_inbox),
        1,
        "{:?}",
        robot_inbox.lock().unwrap()
    );
    let told = robot_inbox.lock().unwrap().clone();
    let told = told.iter().find(|m| m.contains(&portal)).unwrap();
    assert!(
        told.contains(
            "自2025-10-01 10:00起连续3次访问失败（返回HTTP 503错误），最近一次2025-10-01 11:00"
        ) || told.contains(
            "自2025-10-01 10:00起连续2次访问失败（返回HTTP 503错误），最近一次2025-10-01 10:30"
        ),
        "{told}"
    );
    assert_eq!(
        mail_inbox.lock().unwrap().len(),
        robot_inbox.lock().unwrap().len()
    );
    let mail = mail_inbox.lock().unwrap()[0].clone();
    assert!(
        mail.contains("Subject: ") && mail.contains("To: office@example.gov.cn"),
        "{mail}"
    );
    // The site that was down from the start is told too, once.
    let sjj = format!("{}/", district.origins["sjj"]);
    assert_eq!(mentioning(&robot_inbox, &format!("（{sjj}）自")), 1);

    // 11:30 up again: the outage has ended. 12:00 and 12:30 down again: a new event, told again.
    district.set_outage("portal", false);
    finished_after(addr, "probe", set("2025-10-01T11:30:01+08:00")).await;
    district.set_outage("portal", true);
    finished_after(addr, "probe", set("2025-10-01T12:00:01+08:00")).await;
    assert_eq!(down_alerts(&robot_inbox), 1);
    finished_after(addr, "probe", set("2025-10-01T12:30:01+08:00")).await;
    assert_eq!(down_alerts(&robot_inbox), 2);
    district.set_outage("portal", false);

    // The nightly crawl of 10 October (the first since the start: one catch-up): each veto of the
    // judgement told once, and each column due to go stale within the pack's three days (政务要闻,
    // last updated 29 September, stale from 13 October); the next night tells none of them again.
    let before = robot_inbox.lock().unwrap().len();
    finished_after(addr, "crawl", set("2025-10-10T01:00:05+08:00")).await;
    let judged = json(addr, "/api/targets").await;
    let mut vetoes = held_vetoes(&judged);
    assert!(
        !vetoes.is_empty(),
        "the fixture district has vetoes: {judged}"
    );
    let veto_alerts = |inbox: &Inbox| mentioning(inbox, "单项否决指标「");
    assert_eq!(veto_alerts(&robot_inbox), vetoes.len());
    // And each column due to go stale within the pack's three days, once.
    let mut due_soon = 0;
    for t in judged["targets"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let detail = json(addr, &format!("/api/targets/{id}")).await;
        due_soon += detail["columns"]
            .as_array()
            .map_or(0, |c| c.iter().filter(|c| c["due_soon"] == true).count());
    }
    assert!(due_soon > 0);
    assert_eq!(mentioning(&robot_inbox, "【栏目更新预警】"), due_soon);
    assert_eq!(
        mentioning(&robot_inbox, "「政务要闻」栏目"),
        1,
        "{:?}",
        robot_inbox.lock().unwrap()
    );
    let page = reqwest::get(format!("http://{addr}/targets/portal"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let row = page
        .split("政务要闻</a>")
        .nth(1)
        .unwrap_or_else(|| panic!("{page}"))
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        row.contains("正常（预警）") && row.contains("2025-10-13") && row.contains(">3<"),
        "{row}"
    );
    let after_first = robot_inbox.lock().unwrap().len();
    assert!(after_first > before);
    finished_after(addr, "crawl", set("2025-10-11T01:00:05+08:00")).await;
    // A veto that holds again is not told again; one that holds from this night on is.
    vetoes.extend(held_vetoes(&json(addr, "/api/targets").await));
    assert_eq!(veto_alerts(&robot_inbox), vetoes.len());
    assert_eq!(
        mentioning(&robot_inbox, "【栏目更新预警】"),
        due_soon,
        "nor the same deadlines"
    );
    assert_eq!(
        mail_inbox.lock().unwrap().len(),
        robot_inbox.lock().unwrap().len()
    );

    service.stop().await.unwrap();
    // The password was given to the mail server (AUTH PLAIN, base64 of it) and the robot's key
    // was in every request; neither is in any log line.
    let auth = auths.lock().unwrap().first().cloned().expect("an AUTH");
    let credentials = auth.trim_start_matches("AUTH PLAIN").trim().to_string();
    assert!(!credentials.is_empty(), "{auth}");
    let log = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    assert!(log.len() > 10_000, "the log was captured: {}", log.len());
    for secret in [PASSWORD, &credentials, ROBOT_KEY] {
        assert!(!log.contains(secret), "logged: {secret}");
    }
}

/// The quarterly inspection tells each unit that received a 整改通知 that it is waiting in the
/// dashboard, once per unit, naming the unit, the quarter and the deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_unit_is_told_once_that_its_notice_is_waiting() {
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = serve(&spec).await.unwrap();
    let (robot_url, robot_inbox) = robot().await;
    logged();
    let work = tempfile::tempdir().unwrap();
    let seeds = format!(
        "{}\n[[alerts.webhook]]\nkind = \"wecom\"\nurl = \"{robot_url}\"\n",
        district.seeds_toml
    );
    let clock = Manual::at("2025-09-30T23:10:00+08:00");
    let service = Running::start(work.path(), &seeds, district.as_of, clock.clone()).await;
    let addr = service.addr;
    reqwest::get(format!("http://{addr}/api/runs"))
        .await
        .unwrap();
    let job = finished_after(addr, "inspect", clock.set("2025-10-01T03:00:10+08:00")).await;
    assert_eq!(job["state"], "done", "{job}");
    let notices = service.out.join("2025-09-30").join("notices");
    let mut units: Vec<String> = std::fs::read_dir(&notices)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".md").map(str::to_string)
        })
        .collect();
    units.sort();
    assert!(!units.is_empty(), "the fixture district has findings");
    let told: Vec<String> = robot_inbox
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.contains("【整改通知】"))
        .cloned()
        .collect();
    assert_eq!(told.len(), units.len(), "{told:?}");
    let parsed =
        xunjian_model::Seeds::parse(std::path::Path::new("seeds.toml"), &district.seeds_toml)
            .unwrap();
    for unit in &units {
        let name = &parsed.unit(unit).unwrap().name;
        let mine: Vec<_> = told
            .iter()
            .filter(|m| m.contains(&format!("【整改通知】{name}：")))
            .collect();
        assert_eq!(mine.len(), 1, "{unit}: {told:?}");
        assert!(
            mine[0].contains("2025年第三季度") && mine[0].contains("整改期限2025年"),
            "{}",
            mine[0]
        );
    }
    service.stop().await.unwrap();
}
