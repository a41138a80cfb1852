//! The command line's contract: exit codes and one clear message for bad input.

use std::process::Command;

fn xunjian(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .args(args)
        .output()
        .expect("xunjian runs")
}

fn write(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("seeds.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const GOOD: &str = r#"[district]
name = "示范区"
office = "示范区人民政府办公室"

[defaults]
rate_per_host = 1.0
timeout_s = 15
respect_robots = true

[[unit]]
id = "zfb"
name = "示范区人民政府办公室"

[[site]]
id = "portal"
name = "示范区人民政府门户网站"
unit = "zfb"
url = "http://www.example.gov.cn/"
kind = "portal"
"#;

#[test]
fn check_seeds_prints_what_it_would_inspect() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), GOOD);
    let out = xunjian(&["check-seeds", &path]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("portal"), "{stdout}");
    assert!(stdout.contains("http://www.example.gov.cn/"), "{stdout}");
    assert!(
        stdout.contains("schedule (serve) probe `0 0/30 * * * *`, crawl `0 0 1 * * *`"),
        "{stdout}"
    );
}

#[test]
fn bad_seeds_give_one_line_with_file_line_column_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = GOOD.replace("unit = \"zfb\"\nurl", "unit = \"nobody\"\nurl");
    let path = write(dir.path(), &bad);
    let out = xunjian(&["check-seeds", &path]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("{path}:17:")), "{stderr}");
    assert!(stderr.contains("site[0].unit"), "{stderr}");

    let out = xunjian(&[
        "inspect",
        "--seeds",
        &path,
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), GOOD);
    let out = xunjian(&[
        "inspect",
        "--seeds",
        &path,
        "--out",
        "x",
        "--as-of",
        "30/09/2025",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as-of"));
    let out = xunjian(&[
        "inspect",
        "--seeds",
        &path,
        "--out",
        "x",
        "--db",
        "mysql://x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = xunjian(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Seeds whose only site is on a loopback port nothing listens on: a crawl would fail fast, but
/// the checks below must stop the command before it starts.
fn unreachable_seeds(dir: &std::path::Path) -> String {
    write(
        dir,
        &GOOD.replace("http://www.example.gov.cn/", "http://127.0.0.1:9/"),
    )
}

/// A directory nobody may write into: a mode 0555 directory, or (where the tests run as root, who
/// may write anywhere the mode forbids) `/proc/self`, where no file can be created.
fn read_only_dir(parent: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = parent.join("read-only");
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.join("probe");
    if std::fs::write(&probe, "").is_ok() {
        let _ = std::fs::remove_file(&probe);
        return std::path::PathBuf::from("/proc/self");
    }
    dir
}

#[test]
fn a_bad_out_stops_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = unreachable_seeds(dir.path());
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let db = dir.path().join("x.db");
    let db_url = format!("sqlite://{}", db.display());
    for out in [
        file.clone(),
        file.join("sub"),
        read_only_dir(dir.path()).join("reports"),
    ] {
        let o = xunjian(&[
            "inspect",
            "--seeds",
            &seeds,
            "--db",
            &db_url,
            "--as-of",
            "2025-09-30",
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("--out"), "{stderr}");
        assert!(!db.exists(), "nothing was started: no database");
    }
}

#[test]
fn a_database_nothing_listens_on_is_one_line_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = unreachable_seeds(dir.path());
    let started = std::time::Instant::now();
    let o = xunjian(&[
        "inspect",
        "--seeds",
        &seeds,
        "--db",
        "postgres://xunjian@127.0.0.1:9/none",
        "--as-of",
        "2025-09-30",
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "{stderr}"
    );
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("cannot connect to the database"),
        "{stderr}"
    );
}

#[test]
fn reading_commands_never_create_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = write(dir.path(), GOOD);
    let db = dir.path().join("missing.db");
    let db_url = format!("sqlite://{}", db.display());
    let out = dir.path().join("out");
    for args in [
        vec!["analyze", "--db", &db_url, "--seeds", &seeds],
        vec![
            "report",
            "--db",
            &db_url,
            "--seeds",
            &seeds,
            "--out",
            out.to_str().unwrap(),
        ],
        vec!["prune", "--db", &db_url, "--keep-days", "400"],
    ] {
        let o = xunjian(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains("no database at"), "{stderr}");
        assert!(!db.exists(), "{args:?} created the database");
    }
}

#[test]
fn extract_refuses_what_is_not_html() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("random.bin");
    std::fs::write(&file, [0x89u8, 0x50, 0x4e, 0x47, 0, 0, 0x13, 0x37, 0xff, 0]).unwrap();
    let o = xunjian(&[
        "extract",
        "--url",
        "http://a.gov.cn/x.html",
        file.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not an HTML page"), "{stderr}");
    assert!(o.stdout.is_empty());
}

#[test]
fn extract_feed_prints_what_the_reader_sees_of_a_saved_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answer.json");
    std::fs::write(&file, r#"{"code":-352,"message":"风控校验失败","ttl":1}"#).unwrap();
    let args = |platform: &'static str| {
        vec![
            "extract-feed".to_string(),
            "--url".into(),
            "http://h/x/polymer/web-dynamic/v1/feed/space?host_mid=1".into(),
            "--platform".into(),
            platform.into(),
            "--as-of".into(),
            "2025-09-30".into(),
            file.to_str().unwrap().into(),
        ]
    };
    let run = |a: Vec<String>| xunjian(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let o = run(args("other"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["state"], "blocked");
    assert_eq!(v["verdict"], "inconclusive");
    assert!(v["findings"].as_array().unwrap().is_empty());
    let o = run(args("myspace"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--platform `myspace`"), "{stderr}");
}

/// `xunjian user …` with `password` on standard input.
fn user(args: &[&str], password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .arg("user")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xunjian runs");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{password}").unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn accounts_are_added_with_hashed_passwords_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = write(dir.path(), GOOD);
    let file = dir.path().join("u.db");
    let db = format!("sqlite://{}", file.display());
    let add = |args: &[&str], password: &str| {
        let mut all = vec!["add"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--seeds", &seeds, "--db", &db]);
        user(&all, password)
    };
    let ok = add(
        &["li", "--role", "unit", "--unit", "zfb"],
        "a long secret 1",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "user li added: 单位 (zfb)\n"
    );
    for (args, password, says) in [
        (
            &["li", "--role", "unit", "--unit", "zfb"][..],
            "a long secret 1",
            "exists already",
        ),
        (
            &["wang", "--role", "office"][..],
            "short",
            "at least 8 characters",
        ),
        (
            &["zhao", "--role", "unit", "--unit", "nope"][..],
            "a long secret 2",
            "--unit `nope`",
        ),
        (
            &["zhao", "--role", "unit"][..],
            "a long secret 2",
            "must name its unit",
        ),
        (
            &["zhao", "--role", "boss"][..],
            "a long secret 2",
            "--role `boss`",
        ),
        (
            &["zhao", "--role", "office", "--unit", "zfb"][..],
            "a long secret 2",
            "only a unit account",
        ),
    ] {
        let o = add(args, password);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let o = user(&["passwd", "li", "--db", &db], "another secret 3");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = user(&["disable", "li", "--db", &db], "");
    assert!(o.status.success());
    let o = user(&["disable", "nobody", "--db", &db], "");
    assert_eq!(o.status.code(), Some(2));
    // Neither password is anywhere in the database file, and the hash is argon2's.
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("a long secret 1") && !text.contains("another secret 3"));
    assert!(text.contains("$argon2id$"));
}
