//! 检查端网络异常: the inspecting machine's own network faults are not the sites' faults.
//!
//! A site on loopback answers; its footer links to national filing sites, and a second site of
//! the seeds, are on names under `.invalid`, which never resolve (RFC 6761): to the run, exactly
//! a machine whose resolver fails for every outside name. Then no site is reported unreachable and
//! no link broken for it, the run is marked degraded, the documents say they cannot be signed, and
//! the command exits 3. When a name does resolve (`localhost`), the same failures are the sites'
//! own findings again.

mod common;

use std::process::Command;

use common::{Reply, Request, SEEDS_HEAD};

use serde_json::Value;

/// The homepage: a dated news list and a footer of outside links.
const HOME: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范区人民政府</title></head>
<body><div class="news"><h2>政务要闻</h2><ul>
<li><a href="/xw/1.html">区政府召开常务会议</a><span>2025-09-28</span></li>
<li><a href="/xw/2.html">区领导调研重点项目</a><span>2025-09-26</span></li>
</ul></div>
<div class="footer"><a href="https://beian.miit.invalid/">鲁ICP备05000000号</a>
<a href="https://beian.mps.invalid/">鲁公网安备 37021202000123号</a>
<a href="https://zfwzzc.invalid/">我为政府网站找错</a></div></body></html>"#;

/// Any other page.
const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>区政府召开常务会议</title></head>
<body><h1>区政府召开常务会议</h1><p>发布时间：2025-09-28</p><p>会议研究了有关事项。</p></body></html>"#;

/// Serve the site with this homepage on loopback, for the life of the test process.
fn serve(home: &'static str) -> u16 {
    common::serve(move |request: &Request| -> Reply {
        match request.path.as_str() {
            "/" => ("200 OK", "text/html", home),
            "/robots.txt" => ("404 Not Found", "text/html", ""),
            p if p.starts_with("/xw/") => ("200 OK", "text/html", PAGE),
            _ => (
                "404 Not Found",
                "text/html",
                "<html><body>页面不存在</body></html>",
            ),
        }
    })
}

fn seeds(dir: &std::path::Path, portal: &str) -> String {
    seeds_with(dir, portal, "")
}

/// The seeds, with `defaults` lines added to `[defaults]`.
fn seeds_with(dir: &std::path::Path, portal: &str, defaults: &str) -> String {
    let path = dir.join("seeds.toml");
    std::fs::write(
        &path,
        format!(
            r#"{SEEDS_HEAD}{defaults}
[[unit]]
id = "zfb"
name = "示范区人民政府办公室"
[[unit]]
id = "fgj"
name = "示范区发展和改革局"
[[site]]
id = "portal"
name = "示范区人民政府门户网站"
unit = "zfb"
url = "{portal}"
kind = "portal"
[[site]]
id = "fgj"
name = "示范区发展和改革局网站"
unit = "fgj"
url = "http://www.fgj.invalid/"
kind = "department"
"#
        ),
    )
    .expect("seeds written");
    path.display().to_string()
}

/// Run `inspect` on the seeds: exit code, stderr, findings.json, report.html.
fn inspect(dir: &std::path::Path, seeds: &str) -> (i32, String, Value, String) {
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .args([
            "inspect",
            "--seeds",
            seeds,
            "--as-of",
            "2025-09-30",
            "--out",
        ])
        .arg(&out)
        .arg("--db")
        .arg(format!("sqlite://{}", dir.join("x.db").display()))
        .output()
        .expect("xunjian runs");
    let findings = std::fs::read_to_string(out.join("findings.json")).expect("findings.json");
    let report = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        serde_json::from_str(&findings).expect("findings.json parses"),
        report,
    )
}

/// The rules of every finding of the run, with the URL each is about.
fn findings(doc: &Value) -> Vec<(String, String)> {
    doc["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["findings"].as_array().into_iter().flatten())
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["url"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn target<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["targets"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["id"] == id))
        .expect("target present")
}

#[test]
fn without_a_resolver_nothing_outside_is_blamed_and_the_run_is_degraded() {
    let port = serve(HOME);
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = seeds(dir.path(), &format!("http://127.0.0.1:{port}/"));
    let (code, stderr, doc, report) = inspect(dir.path(), &seeds);

    assert_eq!(code, 3, "degraded runs exit 3; stderr: {stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.contains("检查端网络异常"), "last line: {last}");
    let degraded = doc["degraded"].as_str().expect("degraded mark");
    assert!(degraded.contains("个外部域名均无法解析"), "{degraded}");

    let found = findings(&doc);
    assert!(
        !found
            .iter()
            .any(|(rule, url)| rule == "site.unreachable" || url.contains(".invalid")),
        "no finding from the inspector's fault: {found:?}"
    );
    let fgj = target(&doc, "fgj");
    assert_eq!(fgj["verdict"], "inconclusive");
    assert!(fgj["inconclusive"][0]
        .as_str()
        .is_some_and(|r| r.starts_with("检查端网络异常")));
    // The loopback site was still judged on what it answered.
    assert!(found
        .iter()
        .any(|(rule, url)| rule == "site.mark_missing"
            && url == &format!("http://127.0.0.1:{port}/")));

    assert!(report.contains("【本稿不可签发】检查端网络异常"));
    assert!(
        !report.contains(r#"<div class="sign">"#),
        "no signature block"
    );
}

#[test]
fn one_outside_site_failing_is_that_sites_finding() {
    // The footer's filing links left out: one outside host, the department's site, fails.
    let home: &'static str = HOME.split(r#"<div class="footer">"#).next().unwrap_or(HOME);
    let port = serve(home);
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = seeds(dir.path(), &format!("http://127.0.0.1:{port}/"));
    let (code, stderr, doc, report) = inspect(dir.path(), &seeds);

    assert_eq!(code, 0, "stderr: {stderr}");
    assert!(doc.get("degraded").is_none());
    let found = findings(&doc);
    assert!(
        found.contains(&("site.unreachable".into(), "http://www.fgj.invalid/".into())),
        "{found:?}"
    );
    let fgj = target(&doc, "fgj");
    assert!(fgj["findings"][0]["evidence"]
        .as_str()
        .is_some_and(|e| e.contains("首页无法访问")));
    assert!(!report.contains("本稿不可签发"));
    assert!(report.contains(r#"<div class="sign">"#));
}

#[test]
fn a_reference_address_that_does_not_answer_blames_the_inspector_however_few_sites() {
    // The same single failing site as above, but the seeds name a reference address, which fails
    // as well: the department is not blamed.
    let home: &'static str = HOME.split(r#"<div class="footer">"#).next().unwrap_or(HOME);
    let port = serve(home);
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = seeds_with(
        dir.path(),
        &format!("http://127.0.0.1:{port}/"),
        r#"reference_urls = ["https://www.reference.invalid/"]"#,
    );
    let (code, stderr, doc, _) = inspect(dir.path(), &seeds);
    assert_eq!(code, 3, "stderr: {stderr}");
    assert!(doc["degraded"]
        .as_str()
        .is_some_and(|d| d.contains("检查端网络异常")));
    assert!(!findings(&doc)
        .iter()
        .any(|(rule, _)| rule == "site.unreachable"));
    assert_eq!(target(&doc, "fgj")["verdict"], "inconclusive");
}
