//! What the end-to-end tests of the binary share: the fixed clock, the binary on it, the fixture
//! districts served on a runtime of their own, and the comparison of findings.json with a
//! district's truth.

// Each test file uses the part it needs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use xunjian_fixture::{serve, DistrictSpec};

/// The time the end-to-end runs happen at: after both fixture districts' inspection time points
/// (2025-09-30, 2026-03-31), so that fetch times, the date of issue and the deadline never depend
/// on the wall clock.
pub const NOW: &str = "2026-04-09T09:00:00+08:00";

/// The binary, on the fixed clock.
pub fn xunjian() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_xunjian"));
    c.env("XUNJIAN_NOW", NOW);
    c
}

pub fn districts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/districts")
}

/// Drop what the truth does not pin down.
pub fn normalize(mut doc: Value) -> Value {
    if let Some(targets) = doc.get_mut("targets").and_then(Value::as_array_mut) {
        for t in targets {
            if let Some(obj) = t.as_object_mut() {
                obj.remove("name");
                obj.remove("inconclusive");
                // Derived from the vetoes and findings compared below, through the rule pack.
                obj.remove("rules");
                // Every judged column, stale or not: checked against the findings on its own.
                obj.remove("columns");
                // Of an account's facts, its state is compared (fresh, stale, blocked…); the rest
                // (counts, deadlines, the newest post) is derived from the findings compared below.
                if let Some(state) = obj.remove("account").and_then(|a| a.get("state").cloned()) {
                    obj.insert("account".into(), serde_json::json!({ "state": state }));
                }
                obj.remove("homepage");
                obj.remove("marks");
                obj.remove("disclosures");
            }
            if let Some(findings) = t.get_mut("findings").and_then(Value::as_array_mut) {
                for f in findings {
                    if let Some(obj) = f.as_object_mut() {
                        obj.remove("evidence");
                        obj.remove("seen");
                    }
                }
            }
        }
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.remove("complete");
    }
    doc
}

/// The target `id` of a findings document.
pub fn target(doc: &Value, id: &str) -> Value {
    doc["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no target {id}"))
}

/// Compare target by target so that a failure says exactly what differs.
pub fn assert_same(actual: &Value, expected: &Value) {
    for key in ["schema", "district", "as_of", "period"] {
        assert_eq!(actual[key], expected[key], "{key}");
    }
    let a = actual["targets"].as_array().expect("targets");
    let e = expected["targets"].as_array().expect("targets");
    let ids = |v: &[Value]| v.iter().map(|t| t["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(a), ids(e), "target ids and order");
    // Every target's differences at once, so that one run shows all that is wrong.
    let mut report = String::new();
    for (ta, te) in a.iter().zip(e) {
        let id = &te["id"];
        let fa = ta["findings"].as_array().cloned().unwrap_or_default();
        let fe = te["findings"].as_array().cloned().unwrap_or_default();
        let missing: Vec<String> = fe
            .iter()
            .filter(|f| !fa.contains(f))
            .map(|f| f.to_string())
            .collect();
        let extra: Vec<String> = fa
            .iter()
            .filter(|f| !fe.contains(f))
            .map(|f| f.to_string())
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            report.push_str(&format!(
                "target {id}: missing findings\n  {}\nextra findings\n  {}\n",
                missing.join("\n  "),
                extra.join("\n  ")
            ));
        } else if ta != te {
            report.push_str(&format!("target {id}: expected {te:#}\nactual {ta:#}\n"));
        }
    }
    assert!(report.is_empty(), "{report}");
    assert_eq!(actual, expected);
}

/// `xunjian analyze` and `report` of the newest run in `db`; the findings.json written to `out`,
/// sorted as the truth is.
pub fn analyze_and_report(db: &str, out: &std::path::Path) -> Value {
    for args in [
        vec!["analyze", "--db", db],
        vec!["report", "--db", db, "--out", out.to_str().unwrap()],
    ] {
        let o = xunjian().args(&args).output().unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("findings.json")).unwrap()).unwrap();
    xunjian_fixture::sort_findings(&mut doc);
    doc
}

/// Serve a fixture district on a runtime of its own: (the runtime, which must outlive the
/// servers; the district; its truth file's text).
pub fn serve_district(
    name: &str,
) -> (
    tokio::runtime::Runtime,
    xunjian_fixture::RunningDistrict,
    String,
) {
    let dir = districts_dir().join(name);
    let spec_text = std::fs::read_to_string(dir.join("district.toml")).unwrap();
    let truth_text = std::fs::read_to_string(dir.join("truth.json")).unwrap();
    let spec = DistrictSpec::from_toml(&spec_text).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let district = rt.block_on(serve(&spec)).unwrap();
    (rt, district, truth_text)
}
