//! Hostile sites in a whole inspection (issue 14, item 1): for each fault of the misbehaving
//! server (`xunjian_fixture::hostile`), a site whose registered column is the faulty page and whose
//! homepage links to it is inspected by the real binary, beside a calm twin whose column answers.
//! For each: the inspection finishes in bounded time with the process's peak memory at most twice
//! the calm twin's (three times for the 10 MB page, read whole); the fault never becomes 栏目不更新, 栏目空白, 首页不更新 or 站点无法访问 (a
//! page that could not be read is not evidence); a link is reported broken only for a failure a
//! visitor would meet too (a timeout, a cut connection, an error status, an endless redirect), with
//! that reason, and never for a wall (429 and 503 storms are blocked, not broken).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use xunjian_fixture::hostile::{self, FAULTS};

/// The seeds of one site at `home` whose registered column is `column`.
fn seeds(home: &str, column: &str) -> String {
    format!(
        r#"[district]
name = "示范区"
office = "示范区人民政府办公室"
[defaults]
rate_per_host = 1000.0
timeout_s = 4
respect_robots = true
[[unit]]
id = "zfb"
name = "示范区人民政府办公室"
[[site]]
id = "h"
name = "示范区人民政府门户网站"
unit = "zfb"
url = "{home}"
kind = "portal"
  [[site.column]]
  name = "工作动态"
  url = "{column}"
  class = "news"
"#
    )
}

/// Inspect `seeds` with the binary: findings.json's one target, the process's peak resident
/// memory in KiB, and the wall time.
fn inspect(dir: &Path, seeds: &str) -> (Value, i64, Duration) {
    let path = dir.join("seeds.toml");
    std::fs::write(&path, seeds).unwrap();
    let out = dir.join("out");
    let started = Instant::now();
    // Reaped by wait4 below, which also reads its peak memory.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .env("XUNJIAN_NOW", "2025-09-12T09:00:00+08:00")
        .args(["inspect", "--quiet", "--as-of", "2025-09-10", "--seeds"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .arg("--db")
        .arg(format!("sqlite://{}", dir.join("x.db").display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 reaps our own child and fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child, with valid pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid);
    let took = started.elapsed();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{seeds}"
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    (doc["targets"][0].clone(), usage.ru_maxrss, took)
}

/// The findings a fault must never cause.
const JUDGED: [&str; 4] = [
    "column.stale",
    "column.empty",
    "site.homepage_stale",
    "site.unreachable",
];

/// The findings of `target` under `rule`.
fn findings<'a>(target: &'a Value, rule: &str) -> Vec<&'a Value> {
    target["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn no_fault_of_a_site_becomes_a_finding_and_memory_stays_bounded() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let origin = rt.block_on(hostile::serve(false)).unwrap().0;
    let calm_dir = tempfile::tempdir().unwrap();
    let calm_seeds = seeds(
        &format!("{origin}/home/good/news/"),
        &format!("{origin}/good/news"),
    );
    let (calm, calm_rss, calm_took) = inspect(calm_dir.path(), &calm_seeds);
    for rule in JUDGED {
        assert!(
            findings(&calm, rule).is_empty(),
            "{rule} of the calm site: {calm:#}"
        );
    }
    assert!(findings(&calm, "link.broken").is_empty(), "{calm:#}");
    let mut table = vec![format!("calm: {calm_rss} KiB, {calm_took:?}")];
    // Three at a time (each inspection is its own process, its memory its own).
    let check = |fault: &hostile::Fault, lines: &mut Vec<String>| {
        let dir = tempfile::tempdir().unwrap();
        let column = format!("{origin}{}", fault.path);
        let home = format!("{origin}/home{}/", fault.path);
        let (t, rss, took) = inspect(dir.path(), &seeds(&home, &column));
        let said = format!("{}: {t:#}", fault.path);
        for rule in JUDGED {
            assert!(findings(&t, rule).is_empty(), "{rule} from {said}");
        }
        let broken: Vec<String> = findings(&t, "link.broken")
            .iter()
            .filter(|f| f["url"].as_str().is_some_and(|u| u.starts_with(&column)))
            .map(|f| f["reason"].as_str().unwrap_or_default().to_string())
            .collect();
        let expected: Vec<String> = fault.broken.iter().map(|r| r.to_string()).collect();
        // A link to the faulty page is broken only as a visitor would find it.
        assert_eq!(broken, expected, "the broken link of {said}");
        // The 10 MB page is read whole (its list is real): about 6 bytes of memory a byte of page
        // on top of the calm peak, 2.2 × in all. Every other fault stays within 2 ×.
        let bound = if fault.path == "/oneline" { 3 } else { 2 };
        assert!(
            rss <= bound * calm_rss,
            "{}: {rss} KiB > {bound} × {calm_rss} KiB",
            fault.path
        );
        assert!(took < Duration::from_secs(60), "{}: {took:?}", fault.path);
        lines.push(format!(
            "{}: {rss} KiB, {took:?}, broken {broken:?}, verdict {}",
            fault.path, t["verdict"]
        ));
    };
    let groups: Vec<Vec<String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..3)
            .map(|k| {
                let check = &check;
                scope.spawn(move || {
                    let mut lines = Vec::new();
                    for fault in FAULTS.iter().skip(k).step_by(3) {
                        check(fault, &mut lines);
                    }
                    lines
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    table.extend(groups.into_iter().flatten());
    eprintln!("{}", table.join("\n"));
}
