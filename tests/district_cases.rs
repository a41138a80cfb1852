//! Four district cases the extraction once missed, end to end on a loopback street site: a column
//! whose list element is there with nothing in it (栏目空白), a column written only by
//! `document.writeln` that has not been updated (栏目不更新), an attachment answered by the site's
//! own 200 "page not found" template (链接不可用), and a policy on the second page of a 规范性文件
//! list that nothing interprets (政策文件未解读).

mod common;

use std::process::Command;

use common::{Reply, Request, SEEDS_HEAD};
use serde_json::Value;

const HOME: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范街道办事处</title></head>
<body><div class="nav"><a href="/gzdt/">工作动态</a> <a href="/tzgg/">通知公告</a>
<a href="/gfxwj/">规范性文件</a> <a href="/zcjd/">政策解读</a></div>
<div class="news"><h2>街道要闻</h2><ul>
<li><a href="/xw/1.html">街道召开安全生产会议</a><span>2025-09-28</span></li>
<li><a href="/xw/2.html">街道开展志愿服务活动</a><span>2025-09-26</span></li>
</ul></div>
<div class="footer"><a href="/hdjl/ldxx.html">主任信箱</a></div></body></html>"#;

/// 工作动态: a list element with nothing in it, and no script that could fill it.
const EMPTY: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>工作动态</title>
<meta name="ColumnName" content="工作动态"><script src="/js/jquery.min.js"></script></head>
<body><div class="nav"><a href="/">首页</a></div><div class="main"><h2>工作动态</h2>
<ul class="list"></ul></div></body></html>"#;

/// 通知公告: written whole by `document.writeln`; the newest item is from March, over six months ago.
const WRITTEN: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知公告</title>
<meta name="ColumnName" content="通知公告"></head>
<body><div class="nav"><a href="/">首页</a></div><div class="listbox"><script type="text/javascript">
document.writeln("<ul class=\"list\">");
document.writeln("<li><a href=\"/tzgg/t20250310_3.html\">关于防汛工作的通知</a><span>2025-03-10</span></li>");
document.writeln("<li><a href=\"/tzgg/t20250220_2.html\">关于春季防火的通知</a><span>2025-02-20</span></li>");
document.writeln("</ul>");
</script></div></body></html>"#;

/// 规范性文件, first page: one policy, interpreted; a pager to the second page.
const POLICIES: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>规范性文件</title>
<meta name="ColumnName" content="规范性文件"></head><body><div class="nav"><a href="/">首页</a></div>
<ul class="list"><li><a href="/gfxwj/p1.html">示范街道停车管理办法</a><span>2025-08-01</span></li></ul>
<div class="page"><a href="/gfxwj/index_1.html">下一页</a></div></body></html>"#;

/// 规范性文件, second page: a policy nothing interprets.
const POLICIES_2: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>规范性文件</title>
<meta name="ColumnName" content="规范性文件"></head><body><div class="nav"><a href="/">首页</a></div>
<ul class="list"><li><a href="/gfxwj/p2.html">示范街道户外广告管理办法</a><span>2025-07-01</span></li></ul>
<div class="page"><a href="/gfxwj/index.html">上一页</a></div></body></html>"#;

const INTERPRETATIONS: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>政策解读</title>
<meta name="ColumnName" content="政策解读"></head><body><div class="nav"><a href="/">首页</a></div>
<ul class="list"><li><a href="/zcjd/i1.html">《示范街道停车管理办法》解读</a><span>2025-08-01</span></li></ul></body></html>"#;

const POLICY_1: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范街道停车管理办法</title></head>
<body><h1>示范街道停车管理办法</h1><p>发布时间：2025-08-01</p><p>第一条 为规范停车管理……</p>
<p><a href="/zcjd/i1.html">政策解读</a></p></body></html>"#;

const INTERPRETATION_1: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>《示范街道停车管理办法》解读</title></head>
<body><h1>《示范街道停车管理办法》解读</h1><p>发布时间：2025-08-01</p><p><a href="/gfxwj/p1.html">原文</a></p></body></html>"#;

/// A policy page with its attachment, which the site answers with its not-found template.
const POLICY_2: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范街道户外广告管理办法</title></head>
<body><h1>示范街道户外广告管理办法</h1><p>发布时间：2025-07-01</p><p>第一条 为规范户外广告……</p>
<p>附件：<a href="/uploads/2025/ggbf.docx">示范街道户外广告管理办法.docx</a></p></body></html>"#;

const NOTICE_MARCH: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于防汛工作的通知</title></head>
<body><h1>关于防汛工作的通知</h1><p>发布时间：2025-03-10</p><p>各社区：……</p></body></html>"#;

const NOTICE_FEBRUARY: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于春季防火的通知</title></head>
<body><h1>关于春季防火的通知</h1><p>发布时间：2025-02-20</p><p>各社区：……</p></body></html>"#;

const ARTICLE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>街道召开安全生产会议</title></head>
<body><h1>街道召开安全生产会议</h1><p>发布时间：2025-09-28</p><p>会议研究了有关事项。</p></body></html>"#;

/// The site's answer to anything it does not have: 200 and a styled "not found" page.
const NOT_FOUND: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范街道办事处</title></head>
<body><div class="nav"><a href="/">首页</a></div><div class="err"><p>抱歉，您访问的页面不存在或已被删除！</p>
<p><a href="/">返回首页</a></p></div></body></html>"#;

fn route(request: &Request) -> Reply {
    let html = |body| ("200 OK", "text/html", body);
    match request.path.as_str() {
        "/" => html(HOME),
        "/robots.txt" => ("404 Not Found", "text/plain", ""),
        "/gzdt/" => html(EMPTY),
        "/tzgg/" => html(WRITTEN),
        "/gfxwj/" | "/gfxwj/index.html" => html(POLICIES),
        "/gfxwj/index_1.html" => html(POLICIES_2),
        "/gfxwj/p1.html" => html(POLICY_1),
        "/gfxwj/p2.html" => html(POLICY_2),
        "/zcjd/" => html(INTERPRETATIONS),
        "/zcjd/i1.html" => html(INTERPRETATION_1),
        "/js/jquery.min.js" => ("200 OK", "application/javascript", "/* jQuery */"),
        "/tzgg/t20250310_3.html" => html(NOTICE_MARCH),
        "/tzgg/t20250220_2.html" => html(NOTICE_FEBRUARY),
        p if p.starts_with("/xw/") || p.starts_with("/hdjl/") => html(ARTICLE),
        _ => html(NOT_FOUND),
    }
}

#[test]
fn empty_written_attachment_and_second_page_cases_are_found() {
    let port = common::serve(route);
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = dir.path().join("seeds.toml");
    std::fs::write(
        &seeds,
        format!(
            r#"{SEEDS_HEAD}
[[unit]]
id = "jd"
name = "示范街道办事处"
[[site]]
id = "jd"
name = "示范街道办事处网站"
unit = "jd"
url = "http://127.0.0.1:{port}/"
kind = "street"
"#
        ),
    )
    .expect("seeds written");
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .args(["inspect", "--seeds"])
        .arg(&seeds)
        .args(["--as-of", "2025-09-30", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(format!("sqlite://{}", dir.path().join("x.db").display()))
        .output()
        .expect("xunjian runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    let text = std::fs::read_to_string(out.join("findings.json")).expect("findings.json");
    let doc: Value = serde_json::from_str(&text).expect("findings.json parses");
    let findings: Vec<(String, String)> = doc["targets"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["url"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let at = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let has = |rule: &str, url: &str| findings.iter().any(|(r, u)| r == rule && *u == at(url));
    assert!(has("column.empty", "/gzdt/"), "{findings:?}\n{stderr}");
    assert!(has("column.stale", "/tzgg/"), "{findings:?}");
    assert!(
        has("link.broken", "/uploads/2025/ggbf.docx"),
        "{findings:?}"
    );
    assert!(
        has("policy.uninterpreted", "/gfxwj/p2.html"),
        "{findings:?}"
    );
    // The interpreted policy on the first page, the template page itself and the live pages
    // are no findings.
    assert!(
        !has("policy.uninterpreted", "/gfxwj/p1.html"),
        "{findings:?}"
    );
    let broken: Vec<&(String, String)> = findings
        .iter()
        .filter(|(r, _)| r == "link.broken")
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
}
