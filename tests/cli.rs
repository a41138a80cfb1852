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
