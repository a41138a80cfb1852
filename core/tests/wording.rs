//! The rendered words of every veto and every finding category, under the national pack and
//! under a district's override: each category heading once, each veto by the pack's label, the
//! windows the findings were judged by (never a fixed 2周), and no rule id in any body.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::{json, Value};
use xunjian_analyzer::pack::{Kind, RulePack, Scope};
use xunjian_model::finding::RuleLine;
use xunjian_model::{ColumnClass, Finding, FindingsDoc, Seeds, TargetKind, TargetReport, Verdict};
use xunjian_reports::{render_notice_md, render_report_html, render_report_md, ReportOptions};

const SEEDS: &str = r#"
[district]
name = "示范区"
office = "示范区人民政府办公室"
[[unit]]
id = "zfb"
name = "示范区人民政府办公室"
[[unit]]
id = "wlj"
name = "示范区文化和旅游局"
[[site]]
id = "portal"
name = "示范区人民政府门户网站"
unit = "zfb"
url = "http://www.sfq.gov.cn/"
kind = "portal"
[[account]]
id = "wenlv"
name = "示范文旅"
unit = "wlj"
platform = "weibo"
feed = "http://rss.example.cn/wenlv"
"#;

/// A district's override: every window that reaches the text shortened, one veto relabelled.
const OVERRIDE: &str = r#"
[[rule]]
id = "web.veto.columns_not_updated"
news_column_window_days = 7
label_zh = "栏目不更新（本区要求动态要闻类7天）"
[[rule]]
id = "web.veto.homepage_not_updated"
window_days = 10
[[rule]]
id = "nm.veto.not_updated"
window_days = 9
"#;

/// The rules trace a target judged unqualified by every veto of `scope` carries.
fn vetoes(pack: &RulePack, scope: Scope) -> Vec<RuleLine> {
    pack.rules()
        .iter()
        .filter(|r| r.scope == scope && r.kind == Kind::Veto)
        .map(|r| RuleLine {
            rule: r.id.clone(),
            kind: r.kind.as_str().into(),
            label_zh: r.label_zh.clone(),
            source: r.source.clone(),
            basis: r.basis.clone(),
            status: r.status.as_str().into(),
            count: 1,
            points: None,
        })
        .collect()
}

/// One finding of every kind, judged by the windows of `pack` (as the analyzer records them).
fn every_finding(pack: &RulePack) -> (Vec<Finding>, Finding) {
    let rules = pack.thresholds();
    let days = |class| match rules.columns.window(class) {
        xunjian_model::column::Window::Days(d) => json!(d),
        _ => json!(null),
    };
    let months = |class| match rules.columns.window(class) {
        xunjian_model::column::Window::Months(m) => json!(m),
        _ => json!(null),
    };
    let home = "http://www.sfq.gov.cn/";
    let col = "http://www.sfq.gov.cn/zwdt/";
    let page = "http://www.sfq.gov.cn/zwdt/t20250901_1.html";
    let seen = "2025-09-29T10:00:00+08:00";
    let site: Vec<Value> = vec![
        json!({"rule": "site.unreachable", "url": home, "probes": 140, "failures": 12,
               "reason": "timeout", "evidence": "7天内探测140次，失败12次", "seen": seen}),
        json!({"rule": "site.homepage_stale", "url": home, "last_update": "2025-08-01",
               "window_days": rules.homepage_window_days, "evidence": "首页最新信息2025-08-01"}),
        json!({"rule": "column.stale", "url": col, "column": "工作动态", "class": "news",
               "last_update": "2025-09-10", "window_days": days(ColumnClass::News),
               "window_months": months(ColumnClass::News), "evidence": "最新2025-09-10"}),
        json!({"rule": "column.stale", "url": "http://www.sfq.gov.cn/tzgg/", "column": "通知公告",
               "class": "notice", "last_update": "2025-02-01",
               "window_days": days(ColumnClass::Notice),
               "window_months": months(ColumnClass::Notice), "evidence": "最新2025-02-01"}),
        json!({"rule": "column.empty", "url": "http://www.sfq.gov.cn/kong/", "column": "专题专栏",
               "evidence": "列表页无任何信息"}),
        json!({"rule": "link.broken", "url": "http://www.sfq.gov.cn/missing.html",
               "sources": [home], "source_count": 1, "reason": "http_404", "status": 404,
               "internal": true, "on_homepage": true, "evidence": "访问返回HTTP 404错误"}),
        json!({"rule": "site.mark_missing", "mark": "icp", "url": home,
               "evidence": "页面底部未找到ICP备案编号"}),
        json!({"rule": "site.mark_invalid", "mark": "site_code", "value": "123", "url": home,
               "evidence": "网站标识码「123」不是10位数字"}),
        json!({"rule": "site.domain_nonstandard", "url": home, "host": "www.sfq.com",
               "expected": "以.gov.cn结尾的域名", "evidence": "域名不规范"}),
        json!({"rule": "disclosure.missing", "item": "2024年政府信息公开工作年度报告",
               "url": "http://www.sfq.gov.cn/xxgk/nb/", "evidence": "栏目内未找到该信息"}),
        json!({"rule": "disclosure.late", "item": "2025年部门预算", "published": "2025-04-30",
               "due": "2025-04-15", "url": "http://www.sfq.gov.cn/xxgk/ys/1.html",
               "evidence": "发布日期晚于公开时限"}),
        json!({"rule": "item.date_conflict", "url": page, "column": "工作动态",
               "list_date": "2025-09-01", "page_date": "2025-08-01", "evidence": "日期不一致"}),
        json!({"rule": "item.future_dated", "url": page, "column": "工作动态",
               "date": "2025-10-09", "evidence": "日期晚于抓取时间"}),
        json!({"rule": "column.backdated_burst", "url": col, "column": "工作动态",
               "items": [page], "first_seen": "2025-09-20", "evidence": "集中补发"}),
        json!({"rule": "content.privacy_leak", "url": page, "kind": "id_card",
               "masked": "3702**********1234", "context": "申请人身份证号", "evidence": "身份证号"}),
        json!({"rule": "content.wording_error", "url": page, "wrong": "中华人名共和国",
               "correct": "中华人民共和国", "context": "依据中华人名共和国", "evidence": "错字"}),
        json!({"rule": "content.hidden_link", "url": home, "target": "http://spam.example.com/",
               "how": "display:none", "evidence": "隐藏链接"}),
        json!({"rule": "content.bad_outside_link", "url": home,
               "target": "http://bet.example.com/", "keyword": "博彩", "evidence": "违规"}),
        json!({"rule": "policy.uninterpreted", "url": "http://www.sfq.gov.cn/zcwj/1.html",
               "title": "示范区关于促进就业的若干措施", "published": "2025-06-01",
               "column": "政策文件", "evidence": "未找到解读"}),
        json!({"rule": "policy.interpretation_late", "url": "http://www.sfq.gov.cn/zcjd/1.html",
               "policy_url": "http://www.sfq.gov.cn/zcwj/1.html", "policy_published": "2025-06-01",
               "published": "2025-06-20", "lag_workdays": 14, "evidence": "解读晚于文件"}),
        json!({"rule": "policy.link_one_way", "url": "http://www.sfq.gov.cn/zcwj/2.html",
               "interpretation_url": "http://www.sfq.gov.cn/zcjd/2.html",
               "direction": "policy_to_interpretation", "evidence": "文件页未链接解读"}),
        json!({"rule": "interaction.no_channel", "url": home, "broken": [],
               "evidence": "首页未找到网上咨询建言渠道"}),
        json!({"rule": "interaction.unanswered", "url": "http://www.sfq.gov.cn/hd/1.html",
               "list_url": "http://www.sfq.gov.cn/hd/", "title": "关于小区供暖的咨询",
               "asked": "2025-05-01", "replied": null, "evidence": "超过3个月未答复"}),
    ];
    let account = json!({"rule": "account.stale", "account": "wenlv", "last_post": "2025-09-01",
        "window_days": rules.account_window_days, "url": "http://rss.example.cn/wenlv",
        "evidence": "最近一条发布于2025-09-01"});
    let parse = |v: Value| -> Finding {
        serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
    };
    (site.into_iter().map(parse).collect(), parse(account))
}

fn doc(pack: &RulePack) -> FindingsDoc {
    let (site, account) = every_finding(pack);
    let target = |id: &str, kind, unit: &str, rules: Vec<RuleLine>, findings| TargetReport {
        not_checked: Vec::new(),
        id: id.into(),
        kind,
        unit: unit.into(),
        verdict: Verdict::Unqualified,
        vetoes: rules.iter().map(|r| r.rule.clone()).collect(),
        score: None,
        name: String::new(),
        inconclusive: vec![],
        rules,
        findings,
        columns: vec![],
        account: None,
        homepage: None,
        marks: None,
        disclosures: vec![],
        dismissed: vec![],
        relays: vec![],
        matrix: None,
    };
    FindingsDoc {
        schema: xunjian_model::finding::FINDINGS_SCHEMA.into(),
        district: "示范区".into(),
        as_of: "2025-09-30".into(),
        period: "2025Q3".into(),
        complete: true,
        degraded: None,
        targets: vec![
            target(
                "portal",
                TargetKind::Site,
                "zfb",
                vetoes(pack, Scope::Website),
                site,
            ),
            target(
                "wenlv",
                TargetKind::Account,
                "wlj",
                vetoes(pack, Scope::Newmedia),
                vec![account],
            ),
        ],
    }
}

/// The body of each document: the 通报 before its technical annex (附件3), and every notice.
fn bodies(pack: &RulePack) -> (String, Vec<String>) {
    let seeds = Seeds::parse(Path::new("seeds.toml"), SEEDS).expect("seeds");
    let doc = doc(pack);
    let opts = ReportOptions {
        issued: NaiveDate::from_ymd_opt(2025, 10, 9).unwrap(),
        deadline: NaiveDate::from_ymd_opt(2025, 10, 23).unwrap(),
        states: Default::default(),
        previous: None,
    };
    let before_annex = |s: String| s.split("附件3").next().unwrap_or_default().to_string();
    let md = before_annex(render_report_md(&doc, &seeds, &opts).expect("report.md"));
    let html = before_annex(render_report_html(&doc, &seeds, &opts).expect("report.html"));
    let mut docs = vec![html];
    for unit in ["zfb", "wlj"] {
        docs.push(render_notice_md(&doc, &seeds, &opts, unit).expect("notice"));
    }
    (md, docs)
}

fn national() -> RulePack {
    xunjian_core::load_rules(None, &[]).expect("national pack")
}

fn overridden() -> RulePack {
    let mut pack = national();
    pack.apply_override(Path::new("district.toml"), OVERRIDE)
        .expect("override");
    pack
}

/// Every rule id the pack knows: none may appear in a body.
fn ids(pack: &RulePack) -> Vec<String> {
    pack.rules().iter().map(|r| r.id.clone()).collect()
}

fn check_every_heading_once_and_no_id(pack: &RulePack) -> String {
    let (md, others) = bodies(pack);
    let (site, account) = every_finding(pack);
    let categories: BTreeSet<&str> = site
        .iter()
        .chain([&account])
        .map(Finding::category_zh)
        .collect();
    for cat in &categories {
        let headings = md
            .lines()
            .filter(|l| l.starts_with("### ") && l.ends_with(&format!("）{cat}")))
            .count();
        assert_eq!(headings, 1, "heading 「{cat}」 in:\n{md}");
    }
    // Nothing else is a heading of 主要问题 than the unqualified list and the categories.
    let all_headings = md.lines().filter(|l| l.starts_with("### ")).count();
    assert_eq!(all_headings, categories.len() + 1, "{md}");
    for body in others.iter().chain([&md]) {
        for id in ids(pack) {
            assert!(!body.contains(&id), "rule id {id} in a body:\n{body}");
        }
        for raw in [
            "http_404",
            "timeout",
            "site_code",
            "id_card",
            "policy_to_interpretation",
        ] {
            assert!(!body.contains(raw), "raw code {raw} in a body:\n{body}");
        }
    }
    md
}

#[test]
fn under_the_national_pack_every_veto_and_category_is_said_in_its_words() {
    let pack = national();
    let md = check_every_heading_once_and_no_id(&pack);
    for line in vetoes(&pack, Scope::Website)
        .iter()
        .chain(&vetoes(&pack, Scope::Newmedia))
    {
        assert!(
            md.contains(&line.label_zh),
            "veto 「{}」:\n{md}",
            line.label_zh
        );
    }
    assert!(md.contains("超过动态要闻类栏目14天的更新时限"), "{md}");
    assert!(
        md.contains("超过通知公告/政策文件类栏目6个月的更新时限"),
        "{md}"
    );
    assert!(md.contains("超过14天未更新"), "{md}");
}

#[test]
fn under_an_override_the_text_says_the_districts_windows_and_labels() {
    let pack = overridden();
    let md = check_every_heading_once_and_no_id(&pack);
    assert!(md.contains("栏目不更新（本区要求动态要闻类7天）"), "{md}");
    assert!(
        !md.contains("栏目不更新(动态要闻/通知公告/政策文件)"),
        "{md}"
    );
    assert!(md.contains("超过动态要闻类栏目7天的更新时限"), "{md}");
    assert!(!md.contains("动态要闻类栏目14天"), "{md}");
    assert!(md.contains("超过10天未更新"), "{md}");
    let (_, notices) = bodies(&pack);
    let all = notices.join("\n");
    assert!(
        all.contains("9天"),
        "the account's window of 9 days:\n{all}"
    );
    assert!(!all.contains("2周") && !md.contains("2周"), "{md}");
}
