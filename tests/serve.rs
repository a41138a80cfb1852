//! `xunjian serve` as a process: it says where it listens, `--inspect-now` inspects the fixture
//! district at once, the dashboard's JSON equals the findings.json it wrote, SIGTERM stops it with
//! exit 0, and a port already taken is one line and exit 2.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use xunjian_fixture::{serve, DistrictSpec, DEMO_DISTRICT};

/// A plain HTTP/1.0 GET: the status and the body.
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string())
}

fn json(addr: &str, path: &str) -> Value {
    let (status, body) = get(addr, path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn serve_inspects_now_shows_what_it_found_and_stops_on_sigterm() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let spec = DistrictSpec::from_toml(DEMO_DISTRICT).unwrap();
    let district = rt.block_on(serve(&spec)).unwrap();
    let work = tempfile::tempdir().unwrap();
    let seeds = work.path().join("seeds.toml");
    std::fs::write(&seeds, &district.seeds_toml).unwrap();
    let out = work.path().join("reports");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xunjian"))
        // The morning after the quarter ended: quarter-end is the district's time point.
        .env("XUNJIAN_NOW", "2025-10-01T09:00:00+08:00")
        .args(["serve", "--seeds"])
        .arg(&seeds)
        .args(["--listen", "127.0.0.1:0", "--open", "--inspect-now", "--db"])
        .arg(format!("sqlite://{}", work.path().join("x.db").display()))
        .arg("--out")
        .arg(&out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("loopback only"), "{line}");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line}"))
        .to_string();

    let started = Instant::now();
    loop {
        let runs = json(&addr, "/api/runs");
        let inspect = runs["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["job"] == "inspect")
            .cloned()
            .unwrap();
        if inspect["state"] == "done" {
            break;
        }
        assert_ne!(inspect["state"], "failed", "{inspect}");
        assert!(started.elapsed() < Duration::from_secs(60), "{runs}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("2025-09-30/findings.json")).unwrap(),
    )
    .unwrap();
    let api = json(&addr, "/api/targets");
    assert_eq!(api["as_of"], "2025-09-30");
    let verdicts = |targets: &Value| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = targets
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].to_string(), t["verdict"].to_string()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(verdicts(&api["targets"]), verdicts(&doc["targets"]));
    let (status, page) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(page.contains("<title>总览"), "{page}");

    // A second server on the same port: one line, exit 2, before any work.
    let taken = Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .args(["serve", "--seeds"])
        .arg(&seeds)
        .args(["--listen", &addr, "--db"])
        .arg(format!("sqlite://{}", work.path().join("y.db").display()))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&taken.stderr);
    assert_eq!(taken.status.code(), Some(2), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("--listen"), "{said}");

    // SIGTERM: a clean stop.
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("stopping"), "{rest}");
}

/// `demo --serve`: the bundled district inspected, then its dashboard, until SIGTERM.
#[test]
fn demo_serve_shows_the_inspected_district_until_sigterm() {
    let work = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .args(["demo", "--serve", "--listen", "127.0.0.1:0", "--out"])
        .arg(work.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("dashboard on") {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "demo ended early");
    }
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_string();
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(work.path().join("findings.json")).unwrap())
            .unwrap();
    let api = json(&addr, "/api/targets");
    assert_eq!(api["as_of"], doc["as_of"]);
    assert_eq!(
        api["targets"].as_array().unwrap().len(),
        doc["targets"].as_array().unwrap().len()
    );
    let (status, page) = get(&addr, "/targets/portal");
    assert_eq!(status, 200);
    assert!(page.contains("<svg"), "the portal's charts");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}
