use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use xunjian_model::finding::{BrokenReason, Mark, RuleLine};
use xunjian_model::seeds::{
    Account, Defaults, Disclosure, District, Platform, Site, SiteKind, Unit,
};
use xunjian_model::{ColumnClass, Finding, FindingsDoc, Seeds, TargetKind, TargetReport, Verdict};

use crate::view::{pass_rate, zh_number};
use crate::*;

const COLUMN_URL: &str = "http://www.laoshan.gov.cn/tzgg/index.html";
const BROKEN_URL: &str = "http://www.laoshan.gov.cn/missing.html";
const HOME_URL: &str = "http://www.laoshan.gov.cn/";

fn unit(id: &str, name: &str) -> Unit {
    Unit {
        id: id.into(),
        name: name.into(),
    }
}

fn site(id: &str, name: &str, unit: &str, url: &str) -> Site {
    Site {
        id: id.into(),
        name: name.into(),
        unit: unit.into(),
        url: url.into(),
        kind: SiteKind::Department,
        columns: vec![],
        rate_per_host: None,
    }
}

fn seeds() -> Seeds {
    Seeds {
        district: District {
            name: "青岛市崂山区".into(),
            office: "崂山区人民政府办公室".into(),
            province: Some("山东省".into()),
            ..District::default()
        },
        defaults: Defaults::default(),
        units: vec![
            unit("zfb", "崂山区人民政府办公室"),
            unit("jyj", "崂山区教育和体育局"),
            unit("wlj", "崂山区文化和旅游局"),
            unit("czj", "崂山区财政局"),
        ],
        sites: vec![
            site("portal", "崂山区人民政府门户网站", "zfb", HOME_URL),
            site("edu", "崂山区教育网", "jyj", "http://edu.laoshan.gov.cn/"),
        ],
        accounts: vec![Account {
            id: "ls-weibo".into(),
            name: "崂山文旅".into(),
            unit: "wlj".into(),
            platform: Platform::Weibo,
            feed: Some("http://127.0.0.1:8090/weibo/ls.xml".into()),
            uid: None,
        }],
        disclosures: vec![Disclosure {
            id: "budget-2025".into(),
            unit: "czj".into(),
            site: "portal".into(),
            name: "2025年部门预算".into(),
            column: "财政预决算".into(),
            r#match: "2025年.*预算".into(),
            due: NaiveDate::from_ymd_opt(2025, 3, 31),
            max_age_days: 0,
            schedule: Default::default(),
        }],
        schedule: Default::default(),
        alerts: Default::default(),
        platforms: vec![],
        relays: vec![],
    }
}

fn sources(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("http://www.laoshan.gov.cn/page{i}.html"))
        .collect()
}

/// Three targets: an unqualified site with three findings, a qualified site, an inconclusive account.
fn doc() -> FindingsDoc {
    FindingsDoc {
        schema: xunjian_model::finding::FINDINGS_SCHEMA.into(),
        district: "青岛市崂山区".into(),
        as_of: "2025-09-30".into(),
        period: "2025Q3".into(),
        complete: true,
        degraded: None,
        targets: vec![
            TargetReport {
                not_checked: Vec::new(),
                id: "portal".into(),
                kind: TargetKind::Site,
                unit: "zfb".into(),
                verdict: Verdict::Unqualified,
                vetoes: vec!["web.veto.columns_not_updated".into()],
                score: None,
                name: "崂山区人民政府门户网站".into(),
                inconclusive: vec![],
                rules: vec![RuleLine {
                    rule: "web.veto.columns_not_updated".into(),
                    kind: "veto".into(),
                    label_zh: "栏目不更新".into(),
                    source: "国办秘函〔2019〕19号".into(),
                    basis: None,
                    status: "confirmed".into(),
                    count: 1,
                    points: None,
                }],
                findings: vec![
                    Finding::ColumnStale {
                        url: COLUMN_URL.into(),
                        column: "通知公告".into(),
                        class: ColumnClass::Notice,
                        last_update: Some("2025-02-11".into()),
                        window_days: None,
                        window_months: Some(6),
                        evidence: "列表页最新一条信息日期为2025-02-11".into(),
                        seen: Some("2025-09-29T02:12:03Z".into()),
                    },
                    Finding::LinkBroken {
                        url: BROKEN_URL.into(),
                        sources: sources(5),
                        source_count: 5,
                        reason: BrokenReason::Http(404),
                        status: Some(404),
                        internal: true,
                        on_homepage: true,
                        evidence: "访问返回HTTP 404错误".into(),
                        seen: Some("2025-09-28T00:00:00Z".into()),
                    },
                    Finding::MarkMissing {
                        mark: Mark::Icp,
                        url: HOME_URL.into(),
                        evidence: "页面底部未找到ICP备案编号".into(),
                        seen: None,
                    },
                ],
                columns: vec![],
                account: None,
                homepage: None,
                marks: None,
                disclosures: vec![],
                dismissed: vec![],
                relays: vec![],
                matrix: None,
            },
            TargetReport {
                not_checked: Vec::new(),
                id: "edu".into(),
                kind: TargetKind::Site,
                unit: "jyj".into(),
                verdict: Verdict::Qualified,
                vetoes: vec![],
                score: Some(92.5),
                name: String::new(),
                inconclusive: vec![],
                rules: vec![],
                findings: vec![],
                columns: vec![],
                account: None,
                homepage: None,
                marks: None,
                disclosures: vec![],
                dismissed: vec![],
                relays: vec![],
                matrix: None,
            },
            TargetReport {
                not_checked: Vec::new(),
                id: "ls-weibo".into(),
                kind: TargetKind::Account,
                unit: "wlj".into(),
                verdict: Verdict::Inconclusive,
                vetoes: vec![],
                score: None,
                name: String::new(),
                rules: vec![],
                inconclusive: vec!["账号信息源（http://rss.example.cn/laoshan-wenlv）无法获取或无法解析（无法连接）".into()],
                findings: vec![],
                columns: vec![],
                account: None,
                homepage: None,
                marks: None,
                disclosures: vec![],
                dismissed: vec![],
                relays: vec![],
                matrix: None,
            },
        ],
    }
}

/// Issued on the inspection time point, due ten days later (the dates are the caller's to decide).
fn opts() -> ReportOptions {
    ReportOptions {
        issued: NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(),
        deadline: NaiveDate::from_ymd_opt(2025, 10, 10).unwrap(),
        states: Default::default(),
        previous: None,
    }
}

fn all_finding_urls(doc: &FindingsDoc) -> Vec<String> {
    doc.targets
        .iter()
        .flat_map(|t| t.findings.iter().filter_map(|f| f.url().map(String::from)))
        .collect()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn report_title_line_is_exact() {
    let md = render_report_md(&doc(), &seeds(), &opts()).unwrap();
    assert_eq!(
        md.lines().next().unwrap(),
        "# 青岛市崂山区2025年第三季度政府网站和政务新媒体检查情况的通报"
    );
    let html = render_report_html(&doc(), &seeds(), &opts()).unwrap();
    assert!(html.contains("<h1>青岛市崂山区2025年第三季度政府网站和政务新媒体检查情况的通报</h1>"));
    assert!(html.contains("<html lang=\"zh-CN\">"));
}

#[test]
fn report_states_pass_rates_and_counts() {
    let md = render_report_md(&doc(), &seeds(), &opts()).unwrap();
    assert!(md.contains("| 政府网站 | 2 | 1 | 1 | 0 | 50.00% |"), "{md}");
    // The only account is inconclusive: no denominator.
    assert!(md.contains("| 政务新媒体 | 1 | 0 | 0 | 1 | — |"), "{md}");
    assert!(!md.contains("{{"));
    assert!(md.contains("其中合格1个、不合格1个、无法判定0个，合格率为50.00%。"));
    assert!(md.contains("无法判定1个，均无法判定，不计算合格率。"));
    assert!(md.contains("不计入不合格"));
}

#[test]
fn pass_rate_rounds_to_two_decimals() {
    assert_eq!(pass_rate(2, 3), "66.67%");
    assert_eq!(pass_rate(1, 3), "33.33%");
    assert_eq!(pass_rate(1, 1), "100.00%");
    assert_eq!(pass_rate(0, 4), "0.00%");
    assert_eq!(pass_rate(0, 0), "—");
    assert_eq!(pass_rate(613, 617), "99.35%");
}

#[test]
fn chinese_numbers() {
    assert_eq!(zh_number(1), "一");
    assert_eq!(zh_number(10), "十");
    assert_eq!(zh_number(12), "十二");
    assert_eq!(zh_number(20), "二十");
    assert_eq!(zh_number(99), "九十九");
}

#[test]
fn every_finding_url_is_in_the_report_and_the_notice() {
    let (d, s, o) = (doc(), seeds(), opts());
    let urls = all_finding_urls(&d);
    assert_eq!(urls.len(), 3);
    let report_md = render_report_md(&d, &s, &o).unwrap();
    let report_html = render_report_html(&d, &s, &o).unwrap();
    let notice_md = render_notice_md(&d, &s, &o, "zfb").unwrap();
    let notice_html = render_notice_html(&d, &s, &o, "zfb").unwrap();
    for u in &urls {
        for (name, text) in [
            ("report.md", &report_md),
            ("report.html", &report_html),
            ("notice.md", &notice_md),
            ("notice.html", &notice_html),
        ] {
            assert!(text.contains(u.as_str()), "{u} missing from {name}");
        }
    }
}

#[test]
fn report_gives_concrete_evidence() {
    let md = render_report_md(&doc(), &seeds(), &opts()).unwrap();
    assert!(md.contains(
        "崂山区人民政府办公室「崂山区人民政府门户网站」：「通知公告」栏目（http://www.laoshan.gov.cn/tzgg/index.html）最后更新于2025-02-11"
    ));
    assert!(md.contains(
        "站内链接http://www.laoshan.gov.cn/missing.html（首页）不可用（返回HTTP 404错误）"
    ));
    assert!(md.contains(
        "所在页面：http://www.laoshan.gov.cn/page0.html、http://www.laoshan.gov.cn/page1.html、http://www.laoshan.gov.cn/page2.html等5个页面"
    ));
    assert!(!md.contains("page3.html"));
    assert!(md.contains("缺少ICP备案编号"));
    assert!(
        md.contains("（政府网站）：不合格，单项否决：栏目不更新\n"),
        "{md}"
    );
    assert!(
        !md[..md.find("附件3").unwrap_or(md.len())].contains("web.veto"),
        "{md}"
    );
    // Categories in the fixed order, the 不合格 list first.
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("### （一）不合格网站和政务新媒体") < pos("### （二）栏目更新不及时"));
    assert!(pos("### （二）栏目更新不及时") < pos("### （三）链接不可用"));
    assert!(pos("### （三）链接不可用") < pos("### （四）标识/备案信息不规范"));
    // 整改要求: only the unit with findings, by the deadline given.
    assert!(md.contains("请崂山区人民政府办公室对照附件1问题清单逐项整改，于2025年10月10日前"));
    // Issuer and date.
    assert!(md.contains("\n崂山区人民政府办公室\n\n2025年9月30日\n"));
    // 主送: every unit with a target.
    assert!(md.contains("崂山区人民政府办公室、崂山区教育和体育局、崂山区文化和旅游局："));
    // 附件1 rows: 发现时间 from `seen`, else the as-of date.
    assert!(md.contains("| 2025-09-29 |"));
    assert!(md.contains("| 2025-09-30 |"));
    assert!(md.contains("| 1 | 崂山区人民政府办公室 | 崂山区人民政府门户网站 | 栏目更新不及时 |"));
    // 附件2: the inconclusive account with its reason.
    assert!(md.contains("| 1 | 崂山区文化和旅游局 | 崂山文旅（微博） | 政务新媒体（微博） | 账号信息源（http://rss.example.cn/laoshan-wenlv）无法获取或无法解析（无法连接） |"));
    assert!(!md.contains("未能在预算时间内完成"));
}

#[test]
fn incomplete_crawl_is_stated() {
    let mut d = doc();
    d.complete = false;
    let md = render_report_md(&d, &seeds(), &opts()).unwrap();
    assert!(md.contains(
        "抓取达到所设抓取上限（页面数、链接深度或抓取时长，见附件2）而未完成，部分栏目无法判定"
    ));
}

#[test]
fn notice_says_what_where_since_when_and_by_when() {
    let n = render_notice_md(&doc(), &seeds(), &opts(), "zfb").unwrap();
    assert_eq!(
        n.lines().next().unwrap(),
        "# 关于崂山区人民政府办公室网站和政务新媒体问题整改的通知"
    );
    assert!(n.contains("\n崂山区人民政府办公室：\n"));
    assert!(
        n.contains("检查结论：不合格（单项否决：栏目不更新）"),
        "{n}"
    );
    assert!(n.contains("- 位置：<http://www.laoshan.gov.cn/tzgg/index.html>"));
    assert!(n.contains("- 起始时间：最后更新于2025-02-11"));
    assert!(n.contains("- 证据：列表页最新一条信息日期为2025-02-11"));
    assert!(n.contains("- 发现时间：2025-09-29 10:12:03"));
    // The notice names every page that carries the broken link.
    assert!(n.contains("- 所在页面：http://www.laoshan.gov.cn/page0.html、"));
    assert!(n.contains("http://www.laoshan.gov.cn/page4.html\n"));
    assert!(n.contains("2025年10月10日前"));
    assert!(n.contains("共发现问题3个"));
    let err = render_notice_md(&doc(), &seeds(), &opts(), "jyj").unwrap_err();
    assert!(matches!(err, ReportError::NoFindings(ref u) if u == "jyj"));
}

/// `write_all` of the sample document into `dir`, with no source lists from a store.
fn write_sample(dir: &Path) -> Written {
    write_all(dir, &doc(), &seeds(), &opts(), &LinkSources::default()).unwrap()
}

#[test]
fn only_units_with_findings_get_notices() {
    let dir = tempfile::tempdir().unwrap();
    let w = write_sample(dir.path());
    let names: Vec<String> = w
        .notices
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["zfb.md", "zfb.html"]);
    let mut on_disk: Vec<String> = std::fs::read_dir(dir.path().join("notices"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, ["zfb.docx", "zfb.html", "zfb.md"]);
    assert_eq!(notice_units(&doc(), &seeds()), ["zfb"]);
}

#[test]
fn disclosure_findings_go_to_the_disclosure_unit() {
    let mut d = doc();
    d.targets[0].findings.push(Finding::DisclosureMissing {
        item: "budget-2025".into(),
        url: "http://www.laoshan.gov.cn/czyjs/index.html".into(),
        evidence: "栏目中无标题匹配“2025年.*预算”的信息".into(),
        seen: None,
    });
    let (s, o) = (seeds(), opts());
    assert_eq!(notice_units(&d, &s), ["zfb", "czj"]);
    let n = render_notice_md(&d, &s, &o, "czj").unwrap();
    assert!(n.contains("未找到法定主动公开内容「2025年部门预算」，应在"));
    assert!(!n.contains("budget-2025"), "no seed id in the body");
    assert!(n.contains("http://www.laoshan.gov.cn/czyjs/index.html"));
    assert!(n.contains("起始时间：应于2025-03-31前公开"));
    assert!(!n.contains(COLUMN_URL), "other units' findings stay out");
    let zfb = render_notice_md(&d, &s, &o, "zfb").unwrap();
    assert!(!zfb.contains("budget-2025"));
    let md = render_report_md(&d, &s, &o).unwrap();
    assert!(md.contains("| 崂山区财政局 | 崂山区人民政府门户网站 | 法定主动公开内容缺失 |"));
    assert!(md.contains("请崂山区人民政府办公室、崂山区财政局对照"));
}

#[test]
fn findings_json_round_trips() {
    let d = doc();
    let text = findings_json(&d);
    assert!(text.ends_with("}\n"));
    let back: FindingsDoc = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], "xunjian.findings.v1");
    assert_eq!(v["targets"][0]["findings"][1]["rule"], "link.broken");
    assert_eq!(v["targets"][0]["findings"][1]["reason"], "http_404");
    assert_eq!(v["targets"][0]["verdict"], "unqualified");
    assert!(v["targets"][0]["score"].is_null());
    // And what write_all wrote is the same text.
    let dir = tempfile::tempdir().unwrap();
    let w = write_all(dir.path(), &d, &seeds(), &opts(), &LinkSources::default()).unwrap();
    assert_eq!(std::fs::read_to_string(&w.findings_json).unwrap(), text);
}

#[test]
fn html_escapes_markup_from_crawled_pages() {
    let mut d = doc();
    if let Finding::ColumnStale { column, .. } = &mut d.targets[0].findings[0] {
        *column = "通知<script>alert(1)</script>公告".into();
    }
    let (s, o) = (seeds(), opts());
    for html in [
        render_report_html(&d, &s, &o).unwrap(),
        render_notice_html(&d, &s, &o, "zfb").unwrap(),
    ] {
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
    let md = render_report_md(&d, &s, &o).unwrap();
    // Every `<` is escaped, so no Markdown viewer turns it into an element.
    assert!(md.contains("通知\\<script>alert(1)\\</script>公告"));
    assert_eq!(
        md.matches("<script>").count(),
        md.matches("\\<script>").count()
    );
}

#[test]
fn markdown_cells_escape_pipes_and_newlines() {
    let mut d = doc();
    if let Finding::ColumnStale { column, .. } = &mut d.targets[0].findings[0] {
        *column = "通知|公告\n第二行".into();
    }
    let md = render_report_md(&d, &seeds(), &opts()).unwrap();
    assert!(md.contains("「通知\\|公告 第二行」栏目"));
    for line in md
        .lines()
        .filter(|l| l.starts_with("| 1 | 崂山区人民政府办公室"))
    {
        // 7 columns → 8 unescaped pipes.
        let pipes = line.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 8, "{line}");
    }
}

#[test]
fn write_all_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // Leftovers of an earlier, interrupted run with a unit that has no findings any more.
    std::fs::create_dir_all(out.join("notices")).unwrap();
    std::fs::write(out.join("notices/jyj.md"), "old").unwrap();
    std::fs::write(out.join(".xunjian-tmp-1-0-report.md"), "half").unwrap();
    std::fs::write(out.join("notices/.xunjian-tmp-1-1-zfb.md"), "half").unwrap();

    let w = write_sample(&out);
    let w2 = write_sample(&out);
    assert_eq!(w, w2);

    let files = files_under(&out);
    let mut expected = vec![
        w.findings_json.clone(),
        w.report_html.clone(),
        w.report_md.clone(),
        w.broken_links_csv.clone(),
        w.report_docx.clone(),
        w.problems_xlsx.clone(),
        w.problems_csv.clone(),
    ];
    expected.extend(w.notices.iter().cloned());
    expected.extend(w.notices_docx.iter().cloned());
    expected.sort();
    assert_eq!(files, expected);
    let binary = |f: &std::path::PathBuf| f.extension().is_some_and(|e| e == "docx" || e == "xlsx");
    for f in files.iter().filter(|f| !binary(f)) {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!text.is_empty());
        assert!(
            !text.contains("{{"),
            "{} has a template placeholder",
            f.display()
        );
    }
    assert_eq!(w.findings_json, out.join("findings.json"));
    assert_eq!(w.report_md, out.join("report.md"));
    assert_eq!(w.report_html, out.join("report.html"));
}

#[test]
fn bad_as_of_is_an_error() {
    let mut d = doc();
    d.as_of = "2025-13-01".into();
    let err = render_report_md(&d, &seeds(), &opts()).unwrap_err();
    assert!(matches!(err, ReportError::BadDate { field: "as_of", .. }));
}

#[test]
fn names_fall_back_to_ids() {
    let mut s = seeds();
    s.units.clear();
    s.sites.clear();
    s.accounts.clear();
    let mut d = doc();
    d.targets[0].name.clear();
    let md = render_report_md(&d, &s, &opts()).unwrap();
    assert!(md.contains("zfb「portal」：「通知公告」栏目"));
    let n = render_notice_md(&d, &s, &opts(), "zfb").unwrap();
    assert!(n.starts_with("# 关于zfb网站和政务新媒体问题整改的通知\n"));
}

#[test]
fn verdicts_trace_to_rule_pack_lines_in_the_report() {
    let mut d = doc();
    d.targets[0].rules = vec![xunjian_model::finding::RuleLine {
        rule: "web.veto.columns_not_updated".into(),
        kind: "veto".into(),
        label_zh: "栏目不更新(动态要闻/通知公告/政策文件)".into(),
        source: "19号 veto table".into(),
        basis: Some("《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）".into()),
        status: "confirmed".into(),
        count: 1,
        points: None,
    }];
    let md = render_report_md(&d, &seeds(), &opts()).unwrap();
    assert!(md.contains("## 附件3：判定依据"));
    assert!(md.contains(
        "| 1 | 崂山区人民政府门户网站 | web.veto.columns_not_updated | 栏目不更新(动态要闻/通知公告/政策文件) | 已确认 | 1 | — | 《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号） |"
    ), "{md}");
    // The pack's provenance (where its text was read) is not the citation.
    assert!(!md.contains("19号 veto table"));
    let html = render_report_html(&d, &seeds(), &opts()).unwrap();
    assert!(html.contains("<td>web.veto.columns_not_updated</td>"));
}

#[test]
fn the_broken_links_csv_lists_every_page_the_store_holds() {
    let dir = tempfile::tempdir().unwrap();
    // Without the store's list, the finding's own (first) pages.
    let w = write_sample(dir.path());
    let text = std::fs::read_to_string(&w.broken_links_csv).unwrap();
    assert!(
        text.starts_with("\u{feff}序号,责任单位,网站,不可用链接,原因,所在页面\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 5);
    assert!(text.contains(&format!(
        "1,崂山区人民政府办公室,崂山区人民政府门户网站,{BROKEN_URL},返回HTTP 404错误,http://www.laoshan.gov.cn/page0.html\n"
    )), "{text}");
    // With it, every page: 30 of them, where findings.json names 5.
    let mut all = LinkSources::default();
    all.0
        .insert(("portal".to_string(), BROKEN_URL.to_string()), sources(30));
    let w = write_all(dir.path(), &doc(), &seeds(), &opts(), &all).unwrap();
    let text = std::fs::read_to_string(&w.broken_links_csv).unwrap();
    assert_eq!(text.lines().count(), 1 + 30);
    assert!(text.contains("page29.html"));
}

#[test]
fn categories_outside_the_order_are_each_one_section() {
    let mut doc = doc();
    let future = |n: u32| Finding::ItemFutureDated {
        url: format!("http://www.laoshan.gov.cn/xw/{n}.html"),
        column: "政务要闻".into(),
        date: "2025-10-20".into(),
        evidence: "发布日期晚于抓取时间".into(),
        seen: None,
    };
    let hidden = |n: u32| Finding::HiddenLink {
        url: format!("http://www.laoshan.gov.cn/p/{n}.html"),
        target: "http://casino.example/".into(),
        how: "display:none".into(),
        evidence: "隐藏的外部链接".into(),
        seen: None,
    };
    // Interleaved across two targets: each category still gets one heading.
    for (i, t) in doc.targets.iter_mut().take(2).enumerate() {
        let n = i as u32;
        t.findings.extend([future(n), hidden(n), future(n + 10)]);
    }
    let md = render_report_md(&doc, &seeds(), &opts()).unwrap();
    for heading in [
        "发布日期晚于抓取时间（疑似伪造发稿日期）",
        "疑似暗链（待核实）",
    ] {
        let n = md
            .lines()
            .filter(|l| l.starts_with("### ") && l.ends_with(heading))
            .count();
        assert_eq!(n, 1, "{heading}:\n{md}");
    }
}

/// Compare `actual` with the golden text `name` under `tests/golden/` (set `UPDATE_GOLDEN=1` to
/// write it after reading the new text through).
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the rendered text:\n{actual}",
        path.display()
    );
}

#[test]
fn the_whole_report_and_a_notice_equal_their_golden_text() {
    let mut seeds = seeds();
    seeds.district.doc_number = Some("崂政办字〔2025〕12号".into());
    seeds.district.contact = Some("王明".into());
    seeds.district.phone = Some("0532-88990000".into());
    seeds.district.cc = vec!["区委办公室".into(), "区人大常委会办公室".into()];
    let doc = doc();
    golden(
        "report.md",
        &render_report_md(&doc, &seeds, &opts()).unwrap(),
    );
    let unit = crate::view::units_with_findings(&doc, &seeds)
        .into_iter()
        .next()
        .expect("a unit with findings");
    golden(
        "notice.md",
        &render_notice_md(&doc, &seeds, &opts(), &unit).unwrap(),
    );
}

// ------------------------------------------------------------------------------------------------
// Word and Excel, read back

/// Every finding of a document with its target, in document order.
fn all_findings(d: &FindingsDoc) -> Vec<(&TargetReport, &Finding)> {
    d.targets
        .iter()
        .flat_map(|t| t.findings.iter().map(move |f| (t, f)))
        .collect()
}

#[test]
fn report_docx_says_what_report_md_says_in_the_gongwen_layout() {
    let (mut s, o, d) = (seeds(), opts(), doc());
    s.district.doc_number = Some("崂政办字〔2025〕7号".into());
    let bytes = render_report_docx(&d, &s, &o).unwrap();
    let text = readback::docx_text(&bytes).unwrap();
    let paragraphs = &text.paragraphs;
    // The 版头: the office, then the 发文字号 (once: not again under the title), then the title.
    assert_eq!(paragraphs[0], "崂山区人民政府办公室");
    assert_eq!(paragraphs[1], "崂政办字〔2025〕7号");
    assert_eq!(
        paragraphs
            .iter()
            .filter(|p| p.contains("〔2025〕7号"))
            .count(),
        1
    );
    assert!(paragraphs
        .contains(&"青岛市崂山区2025年第三季度政府网站和政务新媒体检查情况的通报".to_string()));
    // Every sentence of the Markdown body is a paragraph of the document.
    let md = render_report_md(&d, &s, &o).unwrap();
    for line in md
        .lines()
        .filter(|l| l.starts_with("根据") || l.starts_with("请"))
    {
        let plain = line.replace("**", "");
        assert!(paragraphs.contains(&plain), "missing: {plain}");
    }
    assert!(paragraphs.contains(&"2025年9月30日".to_string()));
    // 附件1 is a real table whose rows are the findings, each with its URL in its own cell.
    let annex = text
        .tables
        .iter()
        .find(|t| {
            t[0].first().map(String::as_str) == Some("序号") && t[0].contains(&"URL".to_string())
        })
        .expect("附件1 table");
    assert_eq!(
        annex[0],
        [
            "序号",
            "单位",
            "网站或账号",
            "问题类别",
            "问题描述",
            "URL",
            "发现时间"
        ]
    );
    let findings = all_findings(&d);
    assert_eq!(annex.len() - 1, findings.len());
    let mut urls: Vec<&str> = annex[1..].iter().map(|r| r[5].as_str()).collect();
    let mut expected: Vec<&str> = findings
        .iter()
        .map(|(_, f)| f.url().unwrap_or(""))
        .collect();
    urls.sort();
    expected.sort();
    assert_eq!(urls, expected);
    // No raw rule id in the body (before the technical 附件3).
    let body: Vec<&String> = paragraphs
        .iter()
        .take_while(|p| p.as_str() != "附件3")
        .collect();
    assert!(body.iter().all(|p| !p.contains("web.veto.")));
    // The 公文 fonts and page numbers are in the package.
    let doc = docx_rs::read_docx(&bytes).unwrap();
    let json = doc.json();
    for font in ["方正小标宋简体", "仿宋_GB2312", "黑体", "PAGE"] {
        assert!(json.contains(font), "{font} not in the document");
    }
}

#[test]
fn each_notice_docx_lists_its_units_findings() {
    let (s, o, d) = (seeds(), opts(), doc());
    for unit in notice_units(&d, &s) {
        let bytes = render_notice_docx(&d, &s, &o, &unit).unwrap();
        let text = readback::docx_text(&bytes).unwrap().text();
        let md = render_notice_md(&d, &s, &o, &unit).unwrap();
        let title = md.lines().next().unwrap().trim_start_matches("# ");
        assert!(text.contains(title));
        for (_, f) in all_findings(&d) {
            if let Some(url) = f.url() {
                assert_eq!(md.contains(url), text.contains(url), "{url}");
            }
        }
        assert!(text.contains("整改要求"));
    }
}

#[test]
fn problem_list_rows_are_the_findings() {
    use calamine::{Reader, Xlsx};
    let (s, o, d) = (seeds(), opts(), doc());
    let bytes = render_problems_xlsx(&d, &s, &o).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("问题清单").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0],
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
    let findings = all_findings(&d);
    assert_eq!(rows.len() - 1, findings.len());
    for (t, f) in &findings {
        let row = rows[1..]
            .iter()
            .find(|r| r[4] == f.url().unwrap_or("") && r[2] == f.category_zh())
            .unwrap_or_else(|| panic!("no row for {}", f.object()));
        assert_eq!(row[6], "2025年10月10日");
        assert_eq!(row[7], "待整改", "{}", t.id);
    }
    // The CSV holds the same rows.
    let csv = render_problems_csv(&d, &s, &o).unwrap();
    let mut r = csv::Reader::from_reader(&csv[3..]);
    let csv_rows: Vec<Vec<String>> = r
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(csv_rows, rows[1..]);
}

#[test]
fn the_problem_list_prints_each_findings_state() {
    let (s, mut o, d) = (seeds(), opts(), doc());
    let (t, f) = all_findings(&d)[1];
    o.states.0.insert(
        f.key(&t.id),
        Tracking::new(xunjian_model::ProblemState::Fixed, "2025-09-28T00:00:00Z"),
    );
    let csv = String::from_utf8(render_problems_csv(&d, &s, &o).unwrap()).unwrap();
    assert_eq!(csv.matches("已整改（待复查）").count(), 1);
    assert_eq!(csv.matches("待整改").count(), all_findings(&d).len() - 1);
}

#[test]
fn a_notice_says_when_each_problem_was_first_seen_and_what_was_done_to_it() {
    let (s, mut o, d) = (seeds(), opts(), doc());
    let (t, f) = all_findings(&d)[0];
    let mut tracked = Tracking::new(xunjian_model::ProblemState::Open, "2025-06-30T02:00:00Z");
    tracked.history = vec![
        "2025-07-03 单位报告已整改：已更新".to_string(),
        "2025-07-04 复查：问题仍存在：栏目最新信息日期仍为2025-02-11".to_string(),
    ];
    o.states.0.insert(f.key(&t.id), tracked);
    let n = render_notice_md(&d, &s, &o, "zfb").unwrap();
    assert!(n.contains("- 首次发现：2025-06-30\n- 状态：待整改（整改期限：2025年10月10日）\n- 处理记录：2025-07-03 单位报告已整改：已更新\n- 处理记录：2025-07-04 复查"), "{n}");
    let docx = readback::docx_text(&render_notice_docx(&d, &s, &o, "zfb").unwrap()).unwrap();
    assert!(docx
        .text()
        .contains("处理记录：2025-07-03 单位报告已整改：已更新"));
}

#[test]
fn the_new_media_part_is_the_table_real_notices_use() {
    use xunjian_model::observe::ManualCheck;
    let mut seeds = seeds();
    seeds.accounts.push(Account {
        id: "ls-douyin".into(),
        name: "崂山发布".into(),
        unit: "zfb".into(),
        platform: Platform::Douyin,
        feed: None,
        uid: None,
    });
    let mut doc = doc();
    let quiet = |account: &str, last: Option<&str>, zombie: bool, manual: Option<ManualCheck>| {
        Finding::AccountStale {
            account: account.into(),
            last_post: last.map(str::to_string),
            window_days: 7,
            url: None,
            zombie,
            post: None,
            manual: manual.map(Box::new),
            evidence: String::new(),
            seen: None,
        }
    };
    let look = ManualCheck {
        account: "ls-douyin".into(),
        last_post: "2025-09-01".parse().unwrap(),
        last_post_at: None,
        post_url: None,
        checked_by: "张三".into(),
        checked_at: "2025-10-02T10:00:00+08:00".into(),
        source: "dashboard".into(),
    };
    doc.targets[2].verdict = Verdict::Unqualified;
    doc.targets[2].findings = vec![quiet("ls-weibo", Some("2025-05-20"), true, None)];
    let mut douyin = doc.targets[2].clone();
    douyin.id = "ls-douyin".into();
    douyin.unit = "zfb".into();
    douyin.findings = vec![quiet("ls-douyin", Some("2025-09-01"), false, Some(look))];
    doc.targets.push(douyin);
    let md = render_report_md(&doc, &seeds, &opts()).unwrap();
    let part = md
        .split("### ")
        .find(|p| p.contains("政务新媒体更新不及时\n"))
        .and_then(|p| p.split("\n## ").next())
        .unwrap_or_else(|| panic!("no 政务新媒体 part:\n{md}"));
    let rows: Vec<&str> = part.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(
        rows,
        [
            "| 序号 | 新媒体类型 | 新媒体名称 | 责任单位 | 问题类别 | 检查时更新日期 |",
            "|---:|---|---|---|---|---|",
            "| 1 | 微博 | 崂山文旅 | 崂山区文化和旅游局 | 超过7天未更新（僵尸号） | 2025-05-20 |",
            "| 2 | 抖音 | 崂山发布 | 崂山区人民政府办公室 | 超过7天未更新 | 2025-09-01（人工核验） |",
        ],
        "{part}"
    );
    let html = render_report_html(&doc, &seeds, &opts()).unwrap();
    assert!(
        html.contains("<td>抖音</td><td>崂山发布</td><td>崂山区人民政府办公室</td><td>超过7天未更新</td><td>2025-09-01（人工核验）</td>"),
        "{html}"
    );
}

#[test]
fn each_relay_item_gets_one_line_of_who_carried_it() {
    use xunjian_model::finding::{RelayMark, RelayState};
    let mut seeds = seeds();
    seeds.relays = vec![xunjian_model::seeds::Relay {
        id: "plenum".into(),
        name: "区委全会精神".into(),
        r#match: "全会".into(),
        published: "2025-09-10".parse().unwrap(),
        within_days: 3,
        kinds: vec!["portal".into(), "department".into(), "account".into()],
    }];
    let mark = |state, date: Option<&str>| RelayMark {
        relay: "plenum".into(),
        state,
        date: date.map(str::to_string),
        title: None,
        url: None,
        evidence: String::new(),
    };
    let mut doc = doc();
    doc.targets[0].relays = vec![mark(RelayState::Carried, Some("2025-09-11"))];
    doc.targets[1].relays = vec![mark(RelayState::Missing, None)];
    doc.targets[2].relays = vec![mark(RelayState::Unknown, None)];
    let md = render_report_md(&doc, &seeds, &opts()).unwrap();
    assert!(
        md.contains(
            "重要信息转发情况（供核实）\n\n1. 「区委全会精神」（2025-09-10发布，应于2025-09-13前转载）：\
             已按时转载1个：崂山区人民政府门户网站（2025-09-11）；未转载1个：崂山区教育网；\
             无法判定1个：崂山文旅（微博）\n"
        ),
        "{md}"
    );
    // Without relay items in the seeds, no such part.
    let md = render_report_md(&doc, &self::seeds(), &opts()).unwrap();
    assert!(!md.contains("重要信息转发"), "{md}");
}

#[test]
fn the_matrix_check_is_a_part_for_review_after_the_problems() {
    use xunjian_model::finding::MatrixCheck;
    use xunjian_model::observe::MatrixEntry;
    let mut doc = doc();
    doc.targets[0].matrix = Some(MatrixCheck {
        url: "http://www.laoshan.gov.cn/xmtjz/".into(),
        entries: 2,
        not_listed: vec!["ls-weibo".into()],
        not_in_seeds: vec![MatrixEntry {
            name: "崂山公安".into(),
            platform: Some(Platform::Douyin),
        }],
    });
    let md = render_report_md(&doc, &seeds(), &opts()).unwrap();
    // The sample's problems fill parts (一) to (四); the matrix comes fifth.
    let part = md
        .split("### ")
        .find(|p| p.starts_with("（五）政务新媒体矩阵核对（供核实）"))
        .and_then(|p| p.split("\n## ").next())
        .unwrap_or_else(|| panic!("no matrix part:\n{md}"));
    let lines: Vec<&str> = part
        .lines()
        .filter(|l| l.starts_with(char::is_numeric))
        .collect();
    assert_eq!(
        lines,
        [
            "1. 「崂山区人民政府门户网站」政务新媒体矩阵页面（http://www.laoshan.gov.cn/xmtjz/）列出账号2个",
            "2. 已登记但矩阵未列出的账号1个：崂山文旅（微博）",
            "3. 矩阵列出但未登记的账号1个：崂山公安（抖音）（请核实是否已备案、是否需纳入检查）",
        ],
        "{part}"
    );
}

#[test]
fn crawled_markup_and_formulas_are_inert_in_every_document() {
    // A hacked column's name and evidence, as crawled: markup, a script, a formula.
    const HOSTILE: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>=cmd|' /C calc'!A0";
    let (mut s, o, mut d) = (seeds(), opts(), doc());
    // A site name uploaded with a formula in it.
    s.sites[0].name = "=1+1门户网站".into();
    for f in &mut d.targets[0].findings {
        if let Finding::ColumnStale {
            column, evidence, ..
        } = f
        {
            *column = format!("=HYPERLINK(\"http://evil\"){HOSTILE}");
            *evidence = HOSTILE.to_string();
        }
    }
    for (name, html) in [
        ("report.html", render_report_html(&d, &s, &o).unwrap()),
        (
            "notice.html",
            render_notice_html(&d, &s, &o, "zfb").unwrap(),
        ),
    ] {
        assert!(
            !html.contains("<script>alert"),
            "{name} runs a crawled script"
        );
        assert!(!html.contains("<img src=x"), "{name} holds crawled markup");
        assert!(
            html.contains("&lt;script&gt;alert(1)"),
            "{name} shows it as text"
        );
    }
    let docx = readback::docx_text(&render_report_docx(&d, &s, &o).unwrap()).unwrap();
    assert!(
        docx.paragraphs
            .iter()
            .any(|p| p.contains("<script>alert(1)</script>")),
        "the 通报 .docx shows the text as text (its XML escapes it)"
    );
    let csv = String::from_utf8(render_problems_csv(&d, &s, &o).unwrap()).unwrap();
    let mut r = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    for row in r.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a cell a spreadsheet would run: {cell}"
            );
        }
    }
    assert!(csv.contains("'=1+1"), "the formula is kept, as text: {csv}");
}
