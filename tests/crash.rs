//! Crashes lose nothing (issue 14, item 2): `crawl`, `recheck` and `serve` are killed with SIGKILL
//! at random points (at least 50 kills that interrupted a running process), restarted as an
//! operator or systemd would (the same command; `crawl --resume`), and the end state is compared
//! with an uninterrupted run's: the same findings as the district's truth, one run, no act without
//! its evidence, and SQLite's own integrity check clean after every kill.
//!
//! The kill points come from a seeded generator: `XUNJIAN_KILL_SEED` replays a failing run (the
//! seed is printed). A disk that fills up mid-crawl is a clear error and leaves the database
//! whole; the crawl then resumes on a disk with room.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use xunjian_model::Action;

#[path = "support/district.rs"]
mod district;
use district::{analyze_and_report, assert_same, normalize, serve_district, xunjian};

/// Kill points that replay: xorshift64*, seeded.
struct Dice(u64);

impl Dice {
    fn new() -> Dice {
        let seed = std::env::var("XUNJIAN_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x1419_2025_u64);
        eprintln!("kill points from XUNJIAN_KILL_SEED={seed}");
        Dice(seed.max(1))
    }

    /// A delay uniform in `0..max`.
    fn delay(&mut self, max: Duration) -> Duration {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let r = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        max.mul_f64(r as f64 / (1u64 << 53) as f64)
    }
}

/// Start `cmd` and SIGKILL it after `delay`: whether it was still running then (a real
/// interruption), else it had finished by itself (and must have succeeded).
fn kill_after(mut cmd: Command, delay: Duration) -> bool {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("waits") {
            assert!(status.success(), "{cmd:?} failed by itself: {status}");
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    // Child::kill sends SIGKILL: no handler runs, nothing is flushed or rolled back by us.
    child.kill().expect("kill");
    child.wait().expect("reaped");
    true
}

/// The store at `db`, opened while no process uses it, for `f`.
fn with_store<T>(db: &str, f: impl AsyncFnOnce(&xunjian_core::Store) -> T) -> T {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = xunjian_core::open_store(Some(db)).await.expect("opens");
        let out = f(&store).await;
        store.close().await;
        out
    })
}

/// SQLite's integrity check of `db`, which must find nothing wrong.
fn assert_whole(db: &str, after: &str) {
    let wrong = with_store(db, async |s| s.integrity().await.unwrap());
    assert!(wrong.is_empty(), "after {after}: {wrong:?}");
}

/// The status of every run in `db`, oldest first.
fn runs(db: &str) -> Vec<String> {
    let mut runs = with_store(db, async |s| s.runs(1000).await.unwrap());
    runs.reverse();
    runs.into_iter().map(|r| r.status).collect()
}

fn sqlite(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// A district served, its seeds and its truth.
struct Fixture {
    _rt: tokio::runtime::Runtime,
    district: xunjian_fixture::RunningDistrict,
    truth: String,
    seeds: PathBuf,
    _work: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let (rt, district, truth) = serve_district("alpha");
        let work = tempfile::tempdir().unwrap();
        let seeds = work.path().join("seeds.toml");
        std::fs::write(&seeds, &district.seeds_toml).unwrap();
        Fixture {
            _rt: rt,
            district,
            truth,
            seeds,
            _work: work,
        }
    }

    fn crawl(&self, db: &str, resume: bool) -> Command {
        let mut c = xunjian();
        c.args(["crawl", "--quiet", "--seeds"])
            .arg(&self.seeds)
            .args(["--as-of", &self.district.as_of.to_string(), "--db", db]);
        if resume {
            c.arg("--resume");
        }
        c
    }

    fn expected(&self) -> Value {
        normalize(self.district.expected_findings(&self.truth).unwrap())
    }
}

/// How long `cmd` takes uninterrupted (it must succeed): the span kill points are drawn from.
fn timed(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let o = cmd.output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    started.elapsed()
}

#[test]
fn killed_crawls_resume_to_the_same_findings() {
    let f = Fixture::new();
    let mut dice = Dice::new();
    let calm = tempfile::tempdir().unwrap();
    let span = timed(f.crawl(&sqlite(calm.path(), "x.db"), false));
    let (mut kills, mut chains) = (0, 0);
    while kills < 30 {
        chains += 1;
        let dir = tempfile::tempdir().unwrap();
        let db = sqlite(dir.path(), "x.db");
        // Up to five kills, each restart resuming the same run; then one to its end.
        let (mut resume, mut finished) = (false, false);
        for _ in 0..5 {
            let delay = dice.delay(span);
            if !kill_after(f.crawl(&db, resume), delay) {
                finished = true;
                break;
            }
            kills += 1;
            if dir.path().join("x.db").exists() {
                assert_whole(&db, &format!("kill {kills} at {delay:?}"));
            }
            resume = true;
        }
        if !finished {
            assert!(f.crawl(&db, resume).status().unwrap().success());
        }
        assert_eq!(runs(&db), ["crawled"], "one run, resumed, never a second");
        let actual = analyze_and_report(&db, &dir.path().join("out"));
        assert_same(&normalize(actual), &f.expected());
        assert_whole(&db, "the report");
    }
    eprintln!("{kills} crawls killed in {chains} chains of a {span:?} crawl");
}

/// Every problem's state and actions, and its evidence of 复查.
fn ledger(db: &str) -> Vec<(i64, String, Vec<Action>, usize)> {
    with_store(db, async |s| {
        let mut out = Vec::new();
        for p in s.problems(None).await.unwrap() {
            let actions = s
                .problem_events(p.id)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.action)
                .collect();
            let rechecked = s
                .evidence(p.id)
                .await
                .unwrap()
                .iter()
                .filter(|e| e.kind == "recheck")
                .count();
            out.push((p.id, p.state.as_str().to_string(), actions, rechecked));
        }
        out
    })
}

#[test]
fn killed_rechecks_leave_no_decision_without_its_evidence() {
    let f = Fixture::new();
    let mut dice = Dice::new();
    let dir = tempfile::tempdir().unwrap();
    // Two databases inspected alike: one rechecked once, one rechecked through kills.
    let (calm, victim) = (
        sqlite(dir.path(), "calm.db"),
        sqlite(dir.path(), "victim.db"),
    );
    for db in [&calm, &victim] {
        let status = f.crawl(db, false).status().unwrap();
        assert!(status.success());
        analyze_and_report(db, &dir.path().join("out"));
    }
    let recheck = |db: &str| {
        let mut c = xunjian();
        c.args(["recheck", "--seeds"])
            .arg(&f.seeds)
            .args(["--db", db]);
        c
    };
    let span = timed(recheck(&calm));
    let reference = ledger(&calm);
    assert!(
        reference
            .iter()
            .any(|(_, _, a, n)| a.contains(&Action::StillThere) && *n == 1),
        "the recheck decided something: {reference:?}"
    );
    let mut kills = 0;
    let mut started = 0;
    // Kill points across a whole recheck; one that ends first is a 复查 that happened.
    while kills < 10 {
        started += 1;
        let delay = dice.delay(span);
        if kill_after(recheck(&victim), delay) {
            kills += 1;
            assert_whole(&victim, &format!("recheck kill {kills} at {delay:?}"));
        }
    }
    assert!(recheck(&victim).status().unwrap().success());
    started += 1;
    let after = ledger(&victim);
    assert_eq!(after.len(), reference.len());
    for ((id, state, actions, rechecked), (_, ref_state, ref_actions, _)) in
        after.iter().zip(&reference)
    {
        assert_eq!(state, ref_state, "problem {id}");
        // A killed 复查 that decided is a 复查 that happened; each decision has its evidence.
        let decisions = actions
            .iter()
            .filter(|a| matches!(a, Action::StillThere | Action::Gone))
            .count();
        assert_eq!(decisions, *rechecked, "problem {id}: {actions:?}");
        // Rechecked where the calm 复查 decided (some findings have nothing to re-fetch), and at
        // most once per 复查 started.
        let decided = ref_actions
            .iter()
            .any(|a| matches!(a, Action::StillThere | Action::Gone));
        let allowed = if decided { 1..=started } else { 0..=0 };
        assert!(allowed.contains(&decisions), "problem {id}: {actions:?}");
        assert_eq!(actions[0], ref_actions[0], "problem {id}");
    }
    eprintln!("{kills} rechecks killed");
}

/// A plain HTTP/1.0 GET: the status and the body (`None` while nothing listens).
fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Some((status, body.to_string()))
}

#[test]
fn a_killed_service_restarted_inspects_to_the_same_findings() {
    let f = Fixture::new();
    let mut dice = Dice::new();
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "x.db");
    let out = dir.path().join("reports");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    // As systemd would start it: the same command every time.
    let serve = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_xunjian"));
        c.env("XUNJIAN_NOW", "2025-10-01T09:00:00+08:00")
            .args(["serve", "--open", "--inspect-now", "--seeds"])
            .arg(&f.seeds)
            .args(["--listen", &addr, "--db", &db, "--out"])
            .arg(&out);
        c
    };
    let mut kills = 0;
    while kills < 10 {
        let delay = dice.delay(Duration::from_millis(6000));
        assert!(kill_after(serve(), delay), "serve runs until stopped");
        kills += 1;
        assert_whole(&db, &format!("serve kill {kills} at {delay:?}"));
    }
    let mut child = serve()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let runs = get(&addr, "/api/runs")
            .filter(|(status, _)| *status == 200)
            .and_then(|(_, body)| serde_json::from_str::<Value>(&body).ok());
        let state = runs.as_ref().and_then(|r| {
            r["jobs"]
                .as_array()?
                .iter()
                .find(|j| j["job"] == "inspect")
                .map(|j| j["state"].clone())
        });
        if state.as_ref().is_some_and(|s| s == "done") {
            break;
        }
        assert!(state.as_ref().is_none_or(|s| s != "failed"), "{runs:?}");
        assert!(started.elapsed() < Duration::from_secs(120), "{runs:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: a signal to our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    assert!(child.wait().unwrap().success());
    assert_whole(&db, "the last start");
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("2025-09-30/findings.json")).unwrap(),
    )
    .unwrap();
    xunjian_fixture::sort_findings(&mut doc);
    assert_same(&normalize(doc), &f.expected());
    let statuses = runs(&db);
    assert!(
        statuses.iter().all(|s| s != "crawling"),
        "no run left half-done: {statuses:?}"
    );
    eprintln!("{kills} services killed; runs {statuses:?}");
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_crawl_resumes_on_a_disk_with_room() {
    let f = Fixture::new();
    let mount = tempfile::tempdir().unwrap();
    let small = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=600k", "tmpfs"])
        .arg(mount.path())
        .status();
    if !small.is_ok_and(|s| s.success()) {
        // Mounting needs root (CI runs as root); elsewhere the case is not tried.
        eprintln!("skipped: no tmpfs could be mounted here");
        return;
    }
    let unmount = || {
        let _ = Command::new("umount").arg(mount.path()).status();
    };
    let db = sqlite(mount.path(), "x.db");
    let o = f.crawl(&db, false).output().unwrap();
    let said = String::from_utf8_lossy(&o.stderr).to_string();
    let full = !o.status.success();
    // Move what was written to a disk with room and resume there.
    let roomy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(mount.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), roomy.path().join(entry.file_name())).unwrap();
    }
    unmount();
    assert!(full, "600 KiB held the whole crawl: make the disk smaller");
    assert!(
        said.contains("full") || said.contains("空间"),
        "a clear message: {said}"
    );
    assert!(said.lines().count() <= 3, "{said}");
    let db = sqlite(roomy.path(), "x.db");
    assert_whole(&db, "the full disk");
    assert!(f.crawl(&db, true).status().unwrap().success());
    assert_eq!(runs(&db), ["crawled"]);
    let actual = analyze_and_report(&db, &roomy.path().join("out"));
    assert_same(&normalize(actual), &f.expected());
}

/// `psql` against the server of `url`, running `sql`.
fn psql(url: &str, sql: &str) {
    let o = Command::new("psql")
        .args(["-qtAX", url, "-c", sql])
        .output()
        .expect("psql runs");
    assert!(
        o.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_crawl_into_postgresql_restarted_mid_run_resumes_to_the_same_findings() {
    let Ok(base) = std::env::var("XUNJIAN_TEST_PG") else {
        eprintln!("SKIPPED: XUNJIAN_TEST_PG is not set (.ci/run sets it and starts PostgreSQL)");
        return;
    };
    let restart = || {
        Command::new("pg_ctlcluster")
            .args(["15", "main", "restart", "--", "-m", "fast"])
            .status()
            .is_ok_and(|s| s.success())
    };
    let f = Fixture::new();
    let name = format!("xunjian_crash_{}", std::process::id());
    psql(&base, &format!("DROP DATABASE IF EXISTS {name}"));
    psql(&base, &format!("CREATE DATABASE {name}"));
    let url = match base.rfind('/') {
        Some(i) if base[..i].ends_with(|c: char| c != '/') => format!("{}/{name}", &base[..i]),
        _ => format!("{base}/{name}"),
    };
    let calm = tempfile::tempdir().unwrap();
    let span = timed(f.crawl(&sqlite(calm.path(), "x.db"), false));
    let child = f
        .crawl(&url, false)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(span / 3);
    assert!(restart(), "PostgreSQL restarted (pg_ctlcluster, as root)");
    let o = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&o.stderr);
    // The crawl either rode out the restart or stopped with a clear error; then it resumes.
    if !o.status.success() {
        assert!(said.contains("database"), "a clear error: {said}");
        assert!(f.crawl(&url, true).status().unwrap().success());
    }
    assert_eq!(runs(&url), ["crawled"], "{said}");
    assert_whole(&url, "the restart");
    let actual = analyze_and_report(&url, &calm.path().join("out"));
    assert_same(&normalize(actual), &f.expected());
    psql(&base, &format!("DROP DATABASE {name}"));
}
