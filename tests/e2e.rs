//! End-to-end: `xunjian inspect` against fake districts served on loopback, compared with the
//! ground truth written beside each district (`tests/districts/*/truth.json`).
//!
//! The comparison is exact — every target's verdict, vetoes, score and findings with all their
//! fields — except `evidence` (free text for people) and `seen` (wall-clock time).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use xunjian_fixture::DistrictSpec;

#[path = "support/district.rs"]
mod district;
use district::{
    analyze_and_report, assert_same, districts_dir, normalize, serve_district, target, xunjian,
};

/// Serve a district, inspect it with the real binary, return (actual, expected) findings.
fn inspect_district(name: &str) -> (Value, Value, tempfile::TempDir) {
    inspect_district_with(name, &[])
}

/// The same, with extra arguments to `xunjian inspect`.
fn inspect_district_with(name: &str, extra: &[&str]) -> (Value, Value, tempfile::TempDir) {
    inspect_district_seeded(name, extra, "", &[])
}

/// The same, with `district_lines` added to the seeds' `[district]` table and `files` (name,
/// text) written beside the seeds file.
fn inspect_district_seeded(
    name: &str,
    extra: &[&str],
    district_lines: &str,
    files: &[(&str, &str)],
) -> (Value, Value, tempfile::TempDir) {
    let (rt, district, truth_text) = serve_district(name);
    let work = tempfile::tempdir().expect("tempdir");
    let seeds = work.path().join("seeds.toml");
    let seeds_text =
        district
            .seeds_toml
            .replacen("[district]\n", &format!("[district]\n{district_lines}"), 1);
    std::fs::write(&seeds, seeds_text).expect("seeds written");
    for (file, text) in files {
        let path = work.path().join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directory made");
        std::fs::write(path, text).expect("file written");
    }
    let out = work.path().join("out");
    let db = format!("sqlite://{}", work.path().join("x.db").display());
    let output = xunjian()
        .args(["inspect", "--seeds"])
        .arg(&seeds)
        .arg("--out")
        .arg(&out)
        .args(["--as-of", &district.as_of.to_string(), "--db", &db])
        .args(extra)
        .output()
        .expect("xunjian runs");
    assert!(
        output.status.success(),
        "inspect failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut actual: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("findings.json")).expect("findings.json written"),
    )
    .expect("findings.json is JSON");
    // Ports decide how URLs of different origins sort; order both sides the same way.
    xunjian_fixture::sort_findings(&mut actual);
    let expected = district
        .expected_findings(&truth_text)
        .expect("truth is JSON");
    rt.block_on(async { district.shutdown() });
    (normalize(actual), normalize(expected), work)
}

#[test]
fn alpha_district_findings_equal_the_truth() {
    let (actual, expected, work) = inspect_district("alpha");
    assert_same(&actual, &expected);
    let raw: Value = serde_json::from_str(
        &std::fs::read_to_string(work.path().join("out/findings.json")).expect("findings.json"),
    )
    .expect("JSON");
    columns_agree_with_the_findings(&raw);
}

/// The `key` of each element of the array `items` whose `field` is `value`, sorted.
fn picked(items: &Value, field: &str, value: &str, key: &str) -> Vec<String> {
    let mut v: Vec<String> = items
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i[field] == value)
        .filter_map(|i| i[key].as_str().map(str::to_string))
        .collect();
    v.sort();
    v
}

/// Each site's `columns` (extension) say what its column findings say, and count their days from
/// the time point: a stale column is one finding, an empty one another, a fresh one has days left.
fn columns_agree_with_the_findings(doc: &Value) {
    let as_of: chrono::NaiveDate = doc["as_of"].as_str().unwrap().parse().unwrap();
    let mut judged = 0;
    for t in doc["targets"].as_array().unwrap() {
        let columns = t["columns"].as_array().cloned().unwrap_or_default();
        let findings = |rule: &str, key: &str| picked(&t["findings"], "rule", rule, key);
        assert_eq!(
            picked(&t["columns"], "state", "stale", "url"),
            findings("column.stale", "url"),
            "{}",
            t["id"]
        );
        assert_eq!(
            picked(&t["columns"], "state", "empty", "url"),
            findings("column.empty", "url"),
            "{}",
            t["id"]
        );
        // Each disclosure row's state is what its findings say.
        for (state, rule) in [
            ("missing", "disclosure.missing"),
            ("late", "disclosure.late"),
        ] {
            assert_eq!(
                picked(&t["disclosures"], "state", state, "id"),
                findings(rule, "item"),
                "{}",
                t["id"]
            );
        }
        if let Some(home) = t.get("homepage") {
            let stale = home["days_left"].as_i64().is_none_or(|d| d <= 0);
            let flagged = !findings("site.homepage_stale", "url").is_empty();
            assert_eq!(stale, flagged, "{}: {home}", t["id"]);
        }
        for c in &columns {
            judged += 1;
            let (Some(from), Some(left)) = (c["stale_from"].as_str(), c["days_left"].as_i64())
            else {
                continue;
            };
            let from: chrono::NaiveDate = from.parse().unwrap();
            assert_eq!((from - as_of).num_days(), left, "{c}");
            match c["state"].as_str().unwrap() {
                "fresh" => assert!(left > 0, "{c}"),
                "stale" => assert!(left <= 0, "{c}"),
                other => panic!("days left on a {other} column: {c}"),
            }
        }
    }
    assert!(judged > 10, "the district's columns are listed: {judged}");
}

#[test]
fn beta_district_findings_equal_the_truth() {
    let (actual, expected, _work) = inspect_district("beta");
    assert_same(&actual, &expected);
}

#[test]
fn reports_and_notices_are_written() {
    let dir = districts_dir().join("alpha");
    let spec =
        DistrictSpec::from_toml(&std::fs::read_to_string(dir.join("district.toml")).unwrap())
            .unwrap();
    let (actual, _, work) = inspect_district("alpha");
    let out = work.path().join("out");
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(report.contains(&format!(
        "{}2025年第三季度政府网站和政务新媒体检查情况的通报",
        spec.district.name
    )));
    assert!(out.join("report.html").exists());
    // One notice per unit with findings, and none for the others. Disclosure findings go to the
    // unit the disclosure row names.
    let seeds = xunjian_model::Seeds::load(&work.path().join("seeds.toml")).expect("seeds");
    let mut with_findings: Vec<String> = Vec::new();
    for t in actual["targets"].as_array().unwrap() {
        for f in t["findings"].as_array().unwrap() {
            let unit = match f["item"].as_str() {
                Some(item) => seeds
                    .disclosures
                    .iter()
                    .find(|d| d.id == item)
                    .map(|d| d.unit.clone())
                    .expect("disclosure in seeds"),
                None => t["unit"].as_str().unwrap().to_string(),
            };
            with_findings.push(unit);
        }
    }
    with_findings.sort();
    with_findings.dedup();
    let mut notices: Vec<String> = std::fs::read_dir(out.join("notices"))
        .expect("notices dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.strip_suffix(".md").map(str::to_string)
        })
        .collect();
    notices.sort();
    assert_eq!(notices, with_findings);
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    office_documents_hold_the_findings(&out, &raw);
}

/// report.docx (its 附件1 a Word table), every notice's .docx, problems.xlsx and problems.csv hold
/// exactly the findings of findings.json: one row per finding, by category and URL.
fn office_documents_hold_the_findings(out: &std::path::Path, doc: &Value) {
    use calamine::Reader;
    let mut expected: Vec<(String, String)> = Vec::new();
    for t in doc["targets"].as_array().unwrap() {
        for f in t["findings"].as_array().unwrap() {
            let f: xunjian_model::Finding = serde_json::from_value(f.clone()).expect("finding");
            let url = f.url().unwrap_or_default().to_string();
            expected.push((f.category_zh().to_string(), url));
        }
    }
    expected.sort();
    let report = docx_text(&out.join("report.docx"));
    let annex = report
        .tables
        .iter()
        .find(|t| t[0].iter().any(|c| c == "问题描述"))
        .expect("附件1 is a table");
    let mut rows: Vec<(String, String)> = annex[1..]
        .iter()
        .map(|r| (r[3].clone(), r[5].clone()))
        .collect();
    rows.sort();
    assert_eq!(rows, expected, "report.docx 附件1");

    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("problems.xlsx")).expect("problems.xlsx");
    let sheet = book.worksheet_range("问题清单").expect("sheet 问题清单");
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        cells[0],
        [
            "单位",
            "网站或账号",
            "问题类别",
            "问题描述",
            "URL",
            "发现时间",
            "整改期限",
            "状态"
        ]
    );
    let mut rows: Vec<(String, String)> = cells[1..]
        .iter()
        .map(|r| (r[2].clone(), r[4].clone()))
        .collect();
    rows.sort();
    assert_eq!(rows, expected, "problems.xlsx");
    assert!(cells[1..].iter().all(|r| r[7] == "待整改"));

    let csv_bytes = std::fs::read(out.join("problems.csv")).expect("problems.csv");
    let mut reader =
        csv::Reader::from_reader(csv_bytes.strip_prefix("\u{feff}".as_bytes()).unwrap());
    let csv_rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("csv row").iter().map(String::from).collect())
        .collect();
    assert_eq!(
        csv_rows,
        cells[1..],
        "problems.csv holds the rows of problems.xlsx"
    );

    // Every notice's .docx is its Markdown's text: the same finding URLs.
    for entry in std::fs::read_dir(out.join("notices")).expect("notices") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let md = std::fs::read_to_string(&path).unwrap();
        let text = docx_text(&path.with_extension("docx")).text();
        for (_, url) in &expected {
            if !url.is_empty() {
                assert_eq!(
                    md.contains(url.as_str()),
                    text.contains(url.as_str()),
                    "{url} in {}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn probe_rounds_record_each_homepage_visit() {
    let dir = districts_dir().join("alpha");
    let spec =
        DistrictSpec::from_toml(&std::fs::read_to_string(dir.join("district.toml")).unwrap())
            .unwrap();
    let (_rt, district, _) = serve_district("alpha");
    let work = tempfile::tempdir().unwrap();
    let seeds = work.path().join("seeds.toml");
    std::fs::write(&seeds, &district.seeds_toml).unwrap();
    let db = format!("sqlite://{}", work.path().join("x.db").display());
    let sites = spec.sites.len();
    let down = spec.sites.iter().filter(|s| s.down).count();
    assert!(down > 0, "the alpha district has a down site");
    for _ in 0..2 {
        let o = xunjian()
            .args(["probe", "--seeds"])
            .arg(&seeds)
            .args(["--db", &db])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            stdout.contains(&format!("{sites} homepages probed, {down} failed")),
            "{stdout}"
        );
    }
}

#[test]
fn a_threshold_changed_in_the_rule_pack_changes_the_verdict() {
    // beta's portal has exactly 4 stale news/notice columns: qualified under the national pack.
    let (plain, _, _) = inspect_district("beta");
    let portal = |doc: &Value| target(doc, "portal");
    assert_eq!(portal(&plain)["verdict"], "qualified");
    let dir = tempfile::tempdir().unwrap();
    let override_file = dir.path().join("district-override.toml");
    std::fs::write(
        &override_file,
        "[[rule]]\nid = \"web.veto.columns_not_updated\"\ncumulative_stale_threshold = 4\n",
    )
    .unwrap();
    let path = override_file.to_str().unwrap();
    let (strict, _, _) = inspect_district_with("beta", &["--rules-override", path]);
    assert_eq!(portal(&strict)["verdict"], "unqualified");
    assert_eq!(
        portal(&strict)["vetoes"],
        serde_json::json!(["web.veto.columns_not_updated"])
    );
    // The same override named by the seeds file itself (relative to it).
    let (seeded, _, _) = inspect_district_seeded(
        "beta",
        &[],
        "rules_override = [\"rules/district.toml\"]\n",
        &[(
            "rules/district.toml",
            "[[rule]]\nid = \"web.veto.columns_not_updated\"\ncumulative_stale_threshold = 4\n",
        )],
    );
    assert_eq!(portal(&seeded)["verdict"], "unqualified");
}

#[test]
fn a_bad_rule_pack_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds.toml");
    std::fs::write(&seeds, "[district]\nname = \"x\"\noffice = \"y\"\n").unwrap();
    let pack = dir.path().join("pack.toml");
    std::fs::write(
        &pack,
        "[[rule]]\nid = \"web.veto.columns_not_updated\"\ncumulative_stale_threshold = \"five\"\n",
    )
    .unwrap();
    let o = xunjian()
        .args(["inspect", "--seeds"])
        .arg(&seeds)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg("--rules-override")
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", pack.display())),
        "{stderr}"
    );
    assert!(stderr.contains("cumulative_stale_threshold"), "{stderr}");
}

#[test]
fn a_portal_is_scored_only_where_the_pack_holds_its_whole_deduction_table() {
    // The raw findings.json of beta's portal (with its `rules` lines) under some overrides.
    let portal = |overrides: &[&std::path::Path]| -> Value {
        let args: Vec<&str> = overrides
            .iter()
            .flat_map(|p| ["--rules-override", p.to_str().unwrap()])
            .collect();
        let (_, _, work) = inspect_district_with("beta", &args);
        let raw = std::fs::read_to_string(work.path().join("out/findings.json")).unwrap();
        target(&serde_json::from_str(&raw).unwrap(), "portal")
    };
    let dir = tempfile::tempdir().unwrap();
    let complete = dir.path().join("complete.toml");
    std::fs::write(
        &complete,
        "[scoring.website]\ndeduct_table_complete = true\n",
    )
    .unwrap();
    let heavy = dir.path().join("heavy.toml");
    std::fs::write(
        &heavy,
        "[[rule]]\nid = \"web.deduct.policy_interpretation_link\"\npoints = 45\n",
    )
    .unwrap();
    let line = |t: &Value, id: &str| -> Value {
        t["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rule"] == id)
            .cloned()
            .unwrap_or(Value::Null)
    };
    // The national pack knows only part of the 扣分 table: no score (the truth files say null).
    // Declared complete: 100 − 5 for one 政策文件 column stale six months; the rules without points
    // are listed, not scored.
    let p = portal(&[&complete]);
    assert_eq!(p["score"], serde_json::json!(95.0));
    assert_eq!(p["verdict"], "qualified");
    assert_eq!(
        line(&p, "web.deduct.policy_column_stale_6m")["points"],
        serde_json::json!(5.0)
    );
    assert!(line(&p, "web.deduct.broken_links_home")["points"].is_null());
    // 45 points for its one policy without a 解读: a 扣分 part of 50, below 60 ⇒ 不合格, no veto.
    let f = portal(&[&complete, &heavy]);
    assert_eq!(f["score"], serde_json::json!(50.0));
    assert_eq!(f["verdict"], "unqualified");
    assert_eq!(f["vetoes"], serde_json::json!([]));
    assert_eq!(
        line(&f, "web.deduct.policy_interpretation_link")["points"],
        serde_json::json!(45.0)
    );
}

/// The text of the 通报 before its technical annex (附件3 lists rule ids beside their labels), and
/// of every notice.
fn rendered_bodies(out: &std::path::Path) -> Vec<(String, String)> {
    let mut bodies = Vec::new();
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    let body = report
        .split("## 附件3")
        .next()
        .unwrap_or_default()
        .to_string();
    bodies.push(("report.md".to_string(), body));
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    let body = html.split("附件3").next().unwrap_or_default().to_string();
    bodies.push(("report.html".to_string(), body));
    let docx = docx_text(&out.join("report.docx")).text();
    let body = docx.split("\n附件3").next().unwrap_or_default().to_string();
    bodies.push(("report.docx".to_string(), body));
    for entry in std::fs::read_dir(out.join("notices")).expect("notices") {
        let path = entry.expect("entry").path();
        let text = if path.extension().is_some_and(|e| e == "docx") {
            docx_text(&path).text()
        } else {
            std::fs::read_to_string(&path).expect("notice")
        };
        bodies.push((path.display().to_string(), text));
    }
    bodies
}

/// The text of a written .docx.
fn docx_text(path: &std::path::Path) -> xunjian_reports::readback::DocxText {
    let bytes = std::fs::read(path).expect("docx written");
    xunjian_reports::readback::docx_text(&bytes).expect("docx readable")
}

#[test]
fn an_override_changes_the_wording_of_the_reports_and_no_body_names_a_rule_id() {
    // Under the national pack a news column goes stale after 14 days; a district's 7 days must be
    // what the 通报 and the notices say, and what findings.json records.
    let (plain, _, work) = inspect_district("beta");
    let news = |doc: &Value| -> Vec<Value> {
        doc["targets"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["findings"].as_array().cloned().unwrap_or_default())
            .filter(|f| f["rule"] == "column.stale" && f["class"] == "news")
            .collect()
    };
    assert!(news(&plain).iter().all(|f| f["window_days"] == 14));
    let mut said = 0;
    for (file, body) in rendered_bodies(&work.path().join("out")) {
        assert!(
            !body.contains("web.veto.") && !body.contains("nm.veto."),
            "{file}: {body}"
        );
        said += body.matches("超过动态要闻类栏目14天的更新时限").count();
    }
    assert!(said >= news(&plain).len(), "{said}");
    let (strict, _, work) = inspect_district_seeded(
        "beta",
        &[],
        "rules_override = [\"rules/district.toml\"]\n",
        &[(
            "rules/district.toml",
            "[[rule]]\nid = \"web.veto.columns_not_updated\"\nnews_column_window_days = 7\n",
        )],
    );
    let stale = news(&strict);
    assert!(stale.len() >= news(&plain).len() && !stale.is_empty());
    assert!(stale.iter().all(|f| f["window_days"] == 7), "{stale:?}");
    let bodies = rendered_bodies(&work.path().join("out"));
    let mut said = 0;
    for (file, body) in &bodies {
        assert!(
            !body.contains("web.veto.") && !body.contains("nm.veto."),
            "{file}: {body}"
        );
        let wrong: Vec<&str> = body
            .lines()
            .filter(|l| l.contains("动态要闻类栏目14天") || l.contains("栏目") && l.contains("2周"))
            .collect();
        assert!(wrong.is_empty(), "{file}: {wrong:?}");
        said += body.matches("超过动态要闻类栏目7天的更新时限").count();
    }
    assert!(
        said >= stale.len(),
        "each stale news column is said to exceed 7 days: {said}"
    );
}

#[test]
fn a_recrawl_asks_conditionally_reuses_unchanged_pages_and_finds_the_same() {
    let (_rt, district, truth_text) = serve_district("alpha");
    let work = tempfile::tempdir().unwrap();
    let seeds = work.path().join("seeds.toml");
    std::fs::write(&seeds, &district.seeds_toml).unwrap();
    let db = format!("sqlite://{}", work.path().join("x.db").display());
    let as_of = district.as_of.to_string();
    let expected = normalize(district.expected_findings(&truth_text).unwrap());
    let inspect = |name: &str, extra: &[&str]| -> (Value, String) {
        let out = work.path().join(name);
        let o = xunjian()
            .args(["crawl", "--seeds"])
            .arg(&seeds)
            .args(["--as-of", &as_of, "--db", &db])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let said = String::from_utf8_lossy(&o.stdout).to_string();
        (normalize(analyze_and_report(&db, &out)), said)
    };
    let (first, said) = inspect("first", &[]);
    assert_same(&first, &expected);
    assert!(said.contains(" 0 unchanged"), "{said}");
    assert_eq!(
        district.not_modified(),
        0,
        "a first crawl asks nothing conditionally"
    );
    let pages = |said: &str| -> u64 {
        said.split("crawled: ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };

    let (second, said) = inspect("second", &[]);
    assert_same(&second, &expected);
    assert!(
        said.contains("link checks carried forward"),
        "checked today and fine: not sent again the same day: {said}"
    );
    let answered_304 = district.not_modified();
    assert!(answered_304 > 20, "{answered_304} answers were 304: {said}");
    assert!(
        said.contains(&format!("({answered_304} answered 304 Not Modified)")),
        "the crawl counts the 304s the servers sent: {said} vs {answered_304}"
    );
    let unchanged: u64 = said
        .split(", ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        unchanged >= answered_304 && unchanged <= pages(&said),
        "{said}"
    );

    // --full parses every page anew: no conditional request, the same findings.
    let (third, said) = inspect("third", &["--full"]);
    assert_same(&third, &expected);
    assert!(said.contains(" 0 unchanged"), "{said}");
    assert!(
        !said.contains("carried forward"),
        "--full checks every link: {said}"
    );
    assert_eq!(district.not_modified(), answered_304);

    // Retention: ten days on, keeping a week removes the first two runs, never the newest, and
    // the next crawl is still incremental against it with the same findings.
    let o = xunjian()
        .env("XUNJIAN_NOW", "2026-04-19T09:00:00+08:00")
        .args(["prune", "--db", &db, "--keep-days", "7"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(said.starts_with("pruned 2 runs, "), "{said}");
    let (fourth, said) = inspect("fourth", &[]);
    assert_same(&fourth, &expected);
    assert!(!said.contains(" 0 unchanged"), "{said}");
}

#[test]
fn every_category_heading_appears_once_and_every_veto_by_its_label() {
    for name in ["alpha", "beta"] {
        let (_, _, work) = inspect_district(name);
        let out = work.path().join("out");
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap())
                .unwrap();
        let report = std::fs::read_to_string(out.join("report.md")).unwrap();
        let body = report.split("## 附件3").next().unwrap_or_default();
        let headings: Vec<&str> = body.lines().filter(|l| l.starts_with("### （")).collect();
        let mut seen = std::collections::BTreeSet::new();
        for h in &headings {
            let title = h.split('）').nth(1).unwrap_or_default();
            assert!(
                seen.insert(title.to_string()),
                "{name}: heading {title} twice: {headings:?}"
            );
        }
        for t in doc["targets"].as_array().unwrap() {
            for veto in t["vetoes"].as_array().unwrap() {
                let label = t["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["rule"] == *veto)
                    .and_then(|r| r["label_zh"].as_str())
                    .unwrap_or_else(|| panic!("{name}: veto {veto} has no rule line"));
                assert!(
                    body.contains(label),
                    "{name}: veto label {label} not in the 通报"
                );
            }
        }
        assert!(
            !body.contains("web.veto.") && !body.contains("nm.veto."),
            "{name}"
        );
    }
}

#[test]
fn the_documents_are_dated_by_their_issue_and_due_in_working_days() {
    let (_rt, district, _) = serve_district("alpha");
    let work = tempfile::tempdir().unwrap();
    let seeds = work.path().join("seeds.toml");
    std::fs::write(&seeds, &district.seeds_toml).unwrap();
    let db = format!("sqlite://{}", work.path().join("x.db").display());
    let as_of = district.as_of.to_string();
    let o = xunjian()
        .args(["crawl", "--seeds"])
        .arg(&seeds)
        .args(["--as-of", &as_of, "--db", &db])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = xunjian().args(["analyze", "--db", &db]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let out = work.path().join("out");
    let report = |issued: &str| {
        xunjian()
            .args(["report", "--db", &db, "--issued", issued, "--out"])
            .arg(&out)
            .output()
            .unwrap()
    };
    // Issued on Friday 2026-04-10: ten working days later is Friday 2026-04-24.
    let o = report("2026-04-10");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("2025年第三季度"), "{md}");
    assert!(md.contains("于2026年4月24日前"), "{md}");
    assert!(md.contains("\n2026年4月10日\n"), "{md}");
    assert!(!md.contains("2026年4月9日前"));

    // Before the pages were seen (fetched 2026-04-09 by the fixed clock): refused, one line.
    let o = report("2026-04-08");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--issued 2026-04-08"), "{stderr}");
}

#[test]
fn a_crawl_shows_progress_logs_by_rust_log_and_is_silent_with_quiet() {
    let (_rt, district, _) = serve_district("alpha");
    let work = tempfile::tempdir().unwrap();
    let seeds = work.path().join("seeds.toml");
    std::fs::write(&seeds, &district.seeds_toml).unwrap();
    let as_of = district.as_of.to_string();
    let crawl = |db: &str, quiet: bool| {
        let mut c = xunjian();
        c.env("XUNJIAN_PROGRESS_EVERY", "0.2")
            .env("RUST_LOG", "xunjian_core=info")
            .env_remove("XUNJIAN_LOG")
            .args(["crawl", "--seeds"])
            .arg(&seeds)
            .args(["--as-of", &as_of, "--db", db]);
        if quiet {
            c.arg("--quiet");
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let db = format!("sqlite://{}", work.path().join("a.db").display());
    let stderr = crawl(&db, false);
    let progress: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("xunjian: ") && l.contains(" s: ") && l.contains("portal "))
        .collect();
    assert!(!progress.is_empty(), "{stderr}");
    assert!(progress[0].contains(" fetched, ") && progress[0].contains(" queued, "));
    assert!(stderr.contains("site crawled"), "RUST_LOG works: {stderr}");

    let db = format!("sqlite://{}", work.path().join("b.db").display());
    let stderr = crawl(&db, true);
    assert!(!stderr.contains(" fetched, "), "{stderr}");
}

/// The rolling re-check over nights: the next night carries most good links forward and checks a
/// share of them again; a week on, every link is checked again. The findings never change.
#[test]
fn good_links_are_checked_again_within_a_week_and_failed_ones_every_night() {
    let (_rt, district, truth_text) = serve_district("alpha");
    let work = tempfile::tempdir().unwrap();
    let seeds = work.path().join("seeds.toml");
    std::fs::write(&seeds, &district.seeds_toml).unwrap();
    let db = format!("sqlite://{}", work.path().join("x.db").display());
    let as_of = district.as_of.to_string();
    let expected = normalize(district.expected_findings(&truth_text).unwrap());
    let night = |now: &str, name: &str| -> u64 {
        let o = xunjian()
            .env("XUNJIAN_NOW", now)
            .args(["crawl", "--seeds"])
            .arg(&seeds)
            .args(["--as-of", &as_of, "--db", &db])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_same(
            &normalize(analyze_and_report(&db, &work.path().join(name))),
            &expected,
        );
        let said = String::from_utf8_lossy(&o.stdout).to_string();
        said.lines()
            .find_map(|l| {
                l.strip_suffix(
                    " link checks carried forward (answered within recheck_days, not due tonight)",
                )
            })
            .map_or(0, |n| n.parse().unwrap())
    };
    assert_eq!(
        night("2025-10-01T01:00:00+08:00", "n0"),
        0,
        "nothing known yet"
    );
    let carried = night("2025-10-02T01:00:00+08:00", "n1");
    // What the store holds: the carried checks keep the first night's time (their evidence says
    // how old it is); the rest were checked again on the second night.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (first, second) = rt.block_on(async {
        let store = xunjian_core::open_existing_store(Some(&db)).await.unwrap();
        let runs = (
            store.run_checks(1).await.unwrap(),
            store.run_checks(2).await.unwrap(),
        );
        store.close().await;
        runs
    });
    let good: Vec<&String> = first
        .iter()
        .filter(|(_, r)| r.is_success() && r.blocked.is_none())
        .map(|(u, _)| u)
        .collect();
    let kept = good
        .iter()
        .filter(|u| second[**u].fetched_at == first[**u].fetched_at)
        .count() as u64;
    assert_eq!(
        kept, carried,
        "each carried check keeps the time it was made"
    );
    assert!(
        carried > 0 && carried < good.len() as u64,
        "most good links are carried forward the next night, a share is checked again: {carried} of {}",
        good.len()
    );
    let failed: Vec<&String> = first
        .iter()
        .filter(|(_, r)| !r.is_success())
        .map(|(u, _)| u)
        .collect();
    assert!(!failed.is_empty());
    for u in failed {
        assert_ne!(
            second[u].fetched_at, first[u].fetched_at,
            "{u} failed: checked again"
        );
    }
    assert_eq!(
        night("2025-10-09T01:00:00+08:00", "n8"),
        0,
        "a week on, every link is checked again"
    );
}

/// A host's request budget cut a crawl short: what was not fetched is never evidence. Every
/// finding is one the full crawl makes too, and the run says it was cut and by what.
#[test]
fn a_spent_budget_cuts_the_crawl_and_invents_no_finding() {
    // Budgets that cut the crawl at different places: in the columns, in their items, in checks.
    for budget in [8, 25, 45] {
        spent_budget_invents_no_finding(budget);
    }
}

fn spent_budget_invents_no_finding(budget: u32) {
    let (_rt, district, truth_text) = serve_district("alpha");
    let work = tempfile::tempdir().unwrap();
    let seeds = work.path().join("seeds.toml");
    let text = district.seeds_toml.replacen(
        "[defaults]\n",
        &format!("[defaults]\ndaily_requests_per_host = {budget}\n"),
        1,
    );
    assert_ne!(
        text, district.seeds_toml,
        "the seeds have a [defaults] table"
    );
    std::fs::write(&seeds, text).unwrap();
    let out = work.path().join("out");
    let o = xunjian()
        .args(["inspect", "--seeds"])
        .arg(&seeds)
        .arg("--out")
        .arg(&out)
        .args(["--as-of", &district.as_of.to_string(), "--db"])
        .arg(format!("sqlite://{}", work.path().join("x.db").display()))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    assert_eq!(raw["complete"], false);
    // Where a cut site's verdict rests on what was not reached, it says which limit cut it.
    for t in raw["targets"].as_array().unwrap() {
        for note in t["inconclusive"].as_array().into_iter().flatten() {
            let note = note.as_str().unwrap_or("");
            if note.starts_with("抓取达到") {
                assert!(
                    note.contains("daily_requests_per_host"),
                    "budget {budget}: {note}"
                );
            }
        }
    }
    let mut actual = raw.clone();
    xunjian_fixture::sort_findings(&mut actual);
    let actual = normalize(actual);
    let expected = normalize(district.expected_findings(&truth_text).unwrap());
    for t in actual["targets"].as_array().unwrap() {
        let full = expected["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == t["id"])
            .unwrap();
        let known = full["findings"].as_array().cloned().unwrap_or_default();
        for f in t["findings"].as_array().cloned().unwrap_or_default() {
            assert!(
                known.contains(&f),
                "{}: not a finding of the full crawl: {f}",
                t["id"]
            );
        }
    }
}

/// LibreOffice (Debian's `libreoffice-writer` and `libreoffice-calc`, headless) converts `file` to
/// `filter` in `out`, with a profile of its own; the converted file, or `None` without LibreOffice.
fn libreoffice(file: &std::path::Path, filter: &str, out: &std::path::Path) -> Option<PathBuf> {
    let profile = format!("file://{}", out.join("profile").display());
    let run = Command::new("soffice")
        .args(["--headless", "--norestore"])
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--convert-to", filter, "--outdir"])
        .arg(out)
        .arg(file)
        .output();
    let Ok(run) = run else {
        eprintln!("SKIPPED: LibreOffice check: no soffice here; .ci/run installs it");
        return None;
    };
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let ext = filter.split(':').next().unwrap_or(filter);
    let stem = file.file_stem().unwrap().to_string_lossy();
    Some(out.join(format!("{stem}.{ext}")))
}

#[test]
fn libreoffice_opens_the_documents_and_reads_the_findings() {
    let (_, _, work) = inspect_district("alpha");
    let out = work.path().join("out");
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    let lo = work.path().join("lo");
    // The 通报 as LibreOffice reads it: its title, and every finding's URL.
    let Some(txt) = libreoffice(&out.join("report.docx"), "txt:Text (encoded):UTF8", &lo) else {
        return;
    };
    let text = std::fs::read_to_string(txt).expect("converted text");
    assert!(text.contains("2025年第三季度政府网站和政务新媒体检查情况的通报"));
    for t in raw["targets"].as_array().unwrap() {
        for f in t["findings"].as_array().unwrap() {
            let f: xunjian_model::Finding = serde_json::from_value(f.clone()).unwrap();
            if let Some(url) = f.url() {
                assert!(
                    text.contains(url),
                    "{url} not in the 通报 as LibreOffice reads it"
                );
            }
        }
    }
    // And as a PDF, the way an office prints it.
    let pdf = libreoffice(&out.join("report.docx"), "pdf", &lo).expect("soffice");
    assert!(std::fs::read(pdf).unwrap().starts_with(b"%PDF"));
    // The problem list as LibreOffice Calc reads it: the rows of problems.csv.
    let csv_out = libreoffice(
        &out.join("problems.xlsx"),
        "csv:Text - txt - csv (StarCalc):44,34,76",
        &lo,
    )
    .expect("soffice");
    let rows = |bytes: Vec<u8>| -> Vec<Vec<String>> {
        let bytes = bytes
            .strip_prefix("\u{feff}".as_bytes())
            .unwrap_or(&bytes)
            .to_vec();
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(bytes.as_slice())
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    };
    let calc = rows(std::fs::read(csv_out).unwrap());
    let ours = rows(std::fs::read(out.join("problems.csv")).unwrap());
    assert_eq!(calc, ours);
    assert!(calc.len() > 1);
}
