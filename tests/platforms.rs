//! Real platform answers replayed on loopback through the whole binary: the saved nonebot-bison
//! Weibo and Bilibili lists (see `crawler/src/platform/testdata/NOTICE`) served at the platforms'
//! own endpoints, read for accounts given by `uid` under `[platforms.<name>] base`. The Weibo
//! endpoint answers `ok:-100` (login needed) unless the operator's cookie, named by `cookie_env`,
//! is sent: with it the account is judged by its newest post, not by its older pinned first post;
//! without it the account is inconclusive (login_required), never stale.

mod common;

use std::process::Command;

use common::{Reply, Request, SEEDS_HEAD};

use serde_json::Value;

const WEIBO: &str = include_str!("../crawler/src/platform/testdata/weibo_ak_list_1.json");
const BILIBILI: &str = include_str!("../crawler/src/platform/testdata/bilibili-new.json");
const LOGIN: &str = r#"{"ok":-100,"url":"https://passport.weibo.cn/signin/welcome?entry=mweibo"}"#;
const HOME: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范区人民政府</title></head>
<body><div class="news"><h2>政务要闻</h2><ul><li><a href="/">区政府召开常务会议</a><span>2024-04-18</span></li></ul></div></body></html>"#;
/// The cookie the operator configured for the Weibo base.
const COOKIE: &str = "SUB=operator-session";

/// Whether the request carries the operator's cookie.
fn has_cookie(request: &Request) -> bool {
    request
        .headers
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("cookie:") && h.contains(COOKIE))
}

/// The platforms' endpoints and the portal's homepage.
fn route(request: &Request) -> Reply {
    match request.path.as_str() {
        "/" => ("200 OK", "text/html", HOME),
        p if p.starts_with("/api/container/getIndex?") && has_cookie(request) => {
            ("200 OK", "application/json", WEIBO)
        }
        p if p.starts_with("/api/container/getIndex?") => ("200 OK", "application/json", LOGIN),
        p if p.starts_with("/x/polymer/web-dynamic/v1/feed/space?host_mid=161775300") => {
            ("200 OK", "application/json", BILIBILI)
        }
        _ => (
            "404 Not Found",
            "text/html",
            "<html><body>页面不存在</body></html>",
        ),
    }
}

/// Inspect the accounts as of 2024-04-20, with the cookie variable set to `cookie` (or unset);
/// returns the targets of findings.json by id.
fn inspect(cookie: Option<&str>) -> Value {
    let port = common::serve(route);
    let dir = tempfile::tempdir().expect("temp dir");
    let base = format!("http://127.0.0.1:{port}");
    let seeds = dir.path().join("seeds.toml");
    std::fs::write(
        &seeds,
        format!(
            r#"{SEEDS_HEAD}[platforms.weibo]
base = "{base}"
cookie_env = "XUNJIAN_TEST_WEIBO_COOKIE"
[platforms.bilibili]
base = "{base}"
[[unit]]
id = "zfb"
name = "示范区人民政府办公室"
[[site]]
id = "portal"
name = "示范区人民政府门户网站"
unit = "zfb"
url = "{base}/"
kind = "portal"
[[account]]
id = "ak"
name = "示范区发布"
unit = "zfb"
platform = "weibo"
uid = "6279793937"
[[account]]
id = "bili"
name = "示范区发布"
unit = "zfb"
platform = "bilibili"
uid = "161775300"
"#
        ),
    )
    .expect("seeds written");
    let out = dir.path().join("out");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xunjian"));
    cmd.args(["inspect", "--quiet", "--as-of", "2024-04-20", "--seeds"])
        .arg(&seeds)
        .arg("--out")
        .arg(&out)
        .arg("--db")
        .arg(format!("sqlite://{}", dir.path().join("x.db").display()))
        .env_remove("XUNJIAN_TEST_WEIBO_COOKIE")
        // Every log line of every crate, so that a cookie logged anywhere would be seen.
        .env("XUNJIAN_LOG", "trace");
    if let Some(c) = cookie {
        cmd.env("XUNJIAN_TEST_WEIBO_COOKIE", c);
    }
    let o = cmd.output().expect("xunjian runs");
    let log = String::from_utf8_lossy(&o.stderr);
    assert!(log.contains("TRACE"), "the log was written");
    assert!(!log.contains("operator-session"), "the cookie was logged");
    let text = std::fs::read_to_string(out.join("findings.json"))
        .unwrap_or_else(|_| panic!("no findings.json: {}", String::from_utf8_lossy(&o.stderr)));
    let doc: Value = serde_json::from_str(&text).expect("findings.json parses");
    let mut by_id = serde_json::Map::new();
    for t in doc["targets"].as_array().expect("targets") {
        by_id.insert(t["id"].as_str().expect("id").to_string(), t.clone());
    }
    Value::Object(by_id)
}

#[test]
fn replayed_real_lists_give_their_newest_posts_and_the_cookie_opens_the_login_wall() {
    let t = inspect(Some(COOKIE));
    // Weibo: the pinned post of Jun 08 comes first; the newest is KkBtUx2dv of Jun 17, 2021,
    // over 90 days before the time point: a 僵尸号, cited by that post.
    let ak = &t["ak"];
    assert_eq!(ak["account"]["state"], "zombie", "{ak:#}");
    assert_eq!(ak["account"]["newest"]["id"], "KkBtUx2dv");
    assert_eq!(ak["account"]["newest"]["at"], "2021-06-17T16:00:11+08:00");
    assert_eq!(ak["account"]["pinned"], 1);
    assert_eq!(ak["verdict"], "unqualified");
    let f = &ak["findings"][0];
    assert_eq!(f["rule"], "account.stale");
    assert_eq!(f["zombie"], true);
    assert_eq!(f["post"]["url"], "https://m.weibo.cn/status/KkBtUx2dv");
    // Bilibili: the 置顶 dynamic (2024-04-05) comes first; the newest is of 2024-04-08: fresh.
    let bili = &t["bili"];
    assert_eq!(bili["account"]["state"], "fresh", "{bili:#}");
    assert_eq!(bili["account"]["newest"]["id"], "917925942426337285");
    assert_eq!(bili["account"]["newest"]["at"], "2024-04-08T15:01:28+08:00");
    assert_eq!(bili["account"]["pinned"], 1);
    assert_eq!(bili["verdict"], "qualified");

    // Without the operator's cookie the Weibo list is a login wall: inconclusive, never stale.
    let t = inspect(None);
    let ak = &t["ak"];
    assert_eq!(ak["account"]["state"], "login_required", "{ak:#}");
    assert_eq!(ak["verdict"], "inconclusive");
    assert!(ak["findings"].as_array().expect("findings").is_empty());
    assert_eq!(t["bili"]["account"]["state"], "fresh");
}
