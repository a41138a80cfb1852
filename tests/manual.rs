//! 人工核验 through the whole binary: the office imports its own look at accounts no reader
//! reaches (a Douyin and a Kuaishou account without a feed) or whose answer is a block (a Weibo
//! list answered with HTTP 432), and the next inspection judges them by it, citing who looked
//! and when. A record that cannot speak for the time point leaves the account 无法判定 and says
//! why; a file with one bad line is refused whole, with exit code 2 and the place named. A second
//! account of one unit on one platform is flagged 开设过多, for review.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Reply, Request, SEEDS_HEAD};
use serde_json::Value;

const HOME: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>示范区人民政府</title></head>
<body><div class="news"><h2>政务要闻</h2><ul><li><a href="/">区政府召开常务会议</a><span>2025-09-29</span></li></ul></div>
<div class="links"><a href="/xmtjz/">新媒体矩阵</a></div></body></html>"#;

/// The portal's 政务新媒体矩阵 page: two of the seeds' accounts and one the seeds do not have.
const MATRIX: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>政务新媒体矩阵_示范区人民政府</title></head>
<body><h2>政务新媒体矩阵</h2>
<h3>抖音</h3><ul><li><img src="/qr/1.png"><p>示范发布</p></li></ul>
<h3>微博</h3><ul><li><img src="/qr/2.png"><p>示范教育</p></li></ul>
<h3>微信</h3><ul><li><img src="/qr/3.png"><p>示范区卫健委</p></li><li><img src="/qr/4.png"><p>扫一扫关注</p></li></ul>
</body></html>"#;

fn route(request: &Request) -> Reply {
    match request.path.as_str() {
        "/" => ("200 OK", "text/html", HOME),
        "/xmtjz/" => ("200 OK", "text/html", MATRIX),
        p if p.starts_with("/api/container/getIndex?") => ("432 Unknown", "text/html", ""),
        _ => (
            "404 Not Found",
            "text/html",
            "<html><body>页面不存在</body></html>",
        ),
    }
}

/// The seeds: the portal and three accounts, the Weibo one read from loopback.
fn seeds(dir: &Path, base: &str) -> String {
    let path = dir.join("seeds.toml");
    std::fs::write(
        &path,
        format!(
            r#"{SEEDS_HEAD}[platforms.weibo]
base = "{base}"
[[unit]]
id = "zfb"
name = "示范区人民政府办公室"
[[unit]]
id = "jyj"
name = "示范区教育局"
[[site]]
id = "portal"
name = "示范区人民政府门户网站"
unit = "zfb"
url = "{base}/"
kind = "portal"
[[account]]
id = "dy"
name = "示范发布"
unit = "zfb"
platform = "douyin"
[[account]]
id = "wb"
name = "示范教育"
unit = "jyj"
platform = "weibo"
uid = "6279793937"
[[account]]
id = "ks"
name = "示范教育快手"
unit = "jyj"
platform = "kuaishou"
[[account]]
id = "ks2"
name = "示范教育快手二号"
unit = "jyj"
platform = "kuaishou"
[[relay]]
id = "meeting"
name = "区政府常务会议"
match = "常务会议"
published = 2025-09-28
within_days = 3
kinds = ["portal", "account"]
[[relay]]
id = "plenum"
name = "区委全会精神"
match = "全会"
published = 2025-09-29
within_days = 0
kinds = ["portal"]
"#
        ),
    )
    .expect("seeds written");
    path.display().to_string()
}

/// Run the binary at a fixed now (2025-10-08) with `args`.
fn xunjian(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xunjian"))
        .args(args)
        .env("XUNJIAN_NOW", "2025-10-08T00:00:00Z")
        .output()
        .expect("xunjian runs")
}

#[test]
fn imported_checks_decide_the_accounts_no_reader_could_and_only_those() {
    let port = common::serve(route);
    let dir = tempfile::tempdir().expect("temp dir");
    let seeds = seeds(dir.path(), &format!("http://127.0.0.1:{port}"));
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let csv = dir.path().join("checks.csv");
    std::fs::write(
        &csv,
        "account,last_post,post_url,checked_by,checked_at\n\
         dy,2025-09-01,https://www.douyin.com/video/7551,张三,2025-10-02 10:00\n\
         wb,2025-09-25 18:30,https://m.weibo.cn/status/Q1,李四,2025-09-26 09:00\n\
         ks,2025-09-01,,李四,2025-09-26 09:00\n",
    )
    .unwrap();
    let o = xunjian(&[
        "manual",
        "import",
        &csv.display().to_string(),
        "--seeds",
        &seeds,
        "--db",
        &db,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("3 人工核验 records imported from {}", csv.display())
    );

    // One bad line refuses the whole file: exit 2, the place named, nothing written.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "account,last_post,post_url,checked_by,checked_at\n\
         dy,2025-09-30,,王五,2025-10-03 10:00\n\
         tt,2025-09-30,,王五,2025-10-03 10:00\n",
    )
    .unwrap();
    let o = xunjian(&[
        "manual",
        "import",
        &bad.display().to_string(),
        "--seeds",
        &seeds,
        "--db",
        &db,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "{}:3:1: key `account`: no account `tt` in the seeds",
            bad.display()
        )),
        "{err}"
    );
    let o = xunjian(&["manual", "list", "--db", &db]);
    let listed = String::from_utf8_lossy(&o.stdout);
    assert_eq!(listed.lines().count(), 4, "{listed}");
    assert!(!listed.contains("王五"), "{listed}");

    let out = dir.path().join("out");
    let o = xunjian(&[
        "inspect",
        "--quiet",
        "--as-of",
        "2025-09-30",
        "--seeds",
        &seeds,
        "--db",
        &db,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    let t = |id: &str| {
        doc["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no target {id}"))
    };
    // Douyin: seen after the time point, newest post 29 days before it: stale, by hand.
    let dy = t("dy");
    assert_eq!(dy["verdict"], "unqualified", "{dy:#}");
    assert_eq!(dy["account"]["state"], "stale");
    assert_eq!(dy["account"]["manual"]["checked_by"], "张三");
    let f = &dy["findings"][0];
    assert_eq!(f["rule"], "account.stale");
    assert_eq!(f["manual"]["checked_at"], "2025-10-02T10:00:00+08:00");
    assert_eq!(f["post"]["url"], "https://www.douyin.com/video/7551");
    assert_eq!(f["seen"], "2025-10-02T10:00:00+08:00");
    let evidence =
        "「示范发布」（抖音）经人工核验（张三于2025-10-02 10:00核验），最近一次发布于2025-09-01\
                    （https://www.douyin.com/video/7551），监测时间点2025-09-30前14天内无更新";
    assert_eq!(f["evidence"], evidence);
    // Weibo: blocked (432), but the look saw a post within the window: fresh, by hand.
    let wb = t("wb");
    assert_eq!(wb["verdict"], "qualified", "{wb:#}");
    assert_eq!(wb["account"]["state"], "fresh");
    assert_eq!(wb["account"]["newest"]["at"], "2025-09-25T18:30:00+08:00");
    assert!(wb["account"]["feed"]
        .as_str()
        .unwrap()
        .contains("containerid=1076036279793937"));
    // Kuaishou: looked before the time point at an old post: no evidence, and said so.
    let ks = t("ks");
    assert_eq!(ks["verdict"], "inconclusive", "{ks:#}");
    assert_eq!(ks["account"]["state"], "no_reader");
    let lines = ks["inconclusive"].as_array().unwrap();
    assert!(
        lines.iter().any(|l| l.as_str().unwrap().starts_with(
            "人工核验记录（李四于2025-09-26 09:00核验，最近一次发布于2025-09-01）不足以判定"
        )),
        "{lines:?}"
    );
    // A second Kuaishou account of the same unit: 开设过多, for review, naming the first; the
    // account stays inconclusive (no reader, no record) and the finding weighs on nothing.
    let ks2 = t("ks2");
    assert_eq!(ks2["verdict"], "inconclusive", "{ks2:#}");
    let dup = &ks2["findings"][0];
    assert_eq!(dup["rule"], "account.duplicate");
    assert_eq!(dup["others"], serde_json::json!(["ks"]));
    assert_eq!(dup["limit"], 1);
    assert!(ks2["vetoes"].as_array().unwrap().is_empty());
    // 重要信息转发: the portal's homepage lists the meeting on 2025-09-29 (in time); it lists
    // nothing of the plenum though its list reaches back to that day (missing); the accounts
    // cannot be told (no reader, or a block).
    let portal = t("portal");
    let relays = portal["relays"]
        .as_array()
        .expect("the portal's relay marks");
    assert_eq!(relays[0]["state"], "carried", "{relays:?}");
    assert_eq!(relays[0]["date"], "2025-09-29");
    assert_eq!(relays[1]["state"], "missing", "{relays:?}");
    assert_eq!(t("wb")["relays"][0]["state"], "unknown");
    assert_eq!(
        t("wb")["relays"].as_array().unwrap().len(),
        1,
        "the plenum is for the portal only"
    );
    // The matrix page beside the seeds: the Kuaishou accounts are not on it, and it lists an
    // account the seeds do not have.
    let matrix = &portal["matrix"];
    assert_eq!(matrix["entries"], 3, "{matrix:#}");
    assert_eq!(matrix["not_listed"], serde_json::json!(["ks", "ks2"]));
    assert_eq!(
        matrix["not_in_seeds"],
        serde_json::json!([{"name": "示范区卫健委", "platform": "wechat"}])
    );
    // The 通报 and the unit's notice cite the look and the post the person saw.
    let cited = "抖音账号「示范发布」最后发布于2025-09-01（https://www.douyin.com/video/7551），\
                 超过14天未更新（人工核验：张三，2025-10-02 10:00）";
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains(cited), "{md}");
    assert!(
        md.contains(
            "1. 「区政府常务会议」（2025-09-28发布，应于2025-10-01前转载）：已按时转载1个：\
         示范区人民政府门户网站（2025-09-29）；无法判定4个："
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "政务新媒体矩阵核对（供核实）\n\n1. 「示范区人民政府门户网站」政务新媒体矩阵页面"
        ),
        "{md}"
    );
    assert!(md.contains("2. 已登记但矩阵未列出的账号2个：示范教育快手（快手）、示范教育快手二号（快手）\n3. 矩阵列出但未登记的账号1个：示范区卫健委（微信）"), "{md}");
    assert!(md.contains("2. 「区委全会精神」（2025-09-29发布，应于2025-09-29前转载）：未转载1个：示范区人民政府门户网站"), "{md}");
    assert!(
        md.contains("| 1 | 抖音 | 示范发布 | 示范区人民政府办公室 | 超过14天未更新 | 2025-09-01（人工核验） |"),
        "{md}"
    );
    let notice = std::fs::read_dir(out.join("notices"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "md") && p.to_string_lossy().contains("zfb"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .expect("the office's own notice");
    assert!(notice.contains(cited), "{notice}");
    assert!(
        md.contains(
            "政务新媒体开设过多（待核实）\n\n1. 示范区教育局「示范教育快手二号（快手）」：\
         快手账号「示范教育快手二号」与「示范教育快手」同属一个单位，该单位在快手平台开设2个账号，\
         超过1个，请核实是否需要整合或关停"
        ),
        "{md}"
    );
}
