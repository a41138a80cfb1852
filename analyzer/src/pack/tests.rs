//! Rule-pack parsing, overrides, thresholds and scoring.

use std::path::{Path, PathBuf};

use super::*;

/// The real national pack, as shipped.
fn real_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds/rules/national-2019.toml")
}

fn real_text() -> String {
    std::fs::read_to_string(real_path()).unwrap()
}

fn real() -> RulePack {
    RulePack::load(&real_path()).unwrap_or_else(|e| panic!("{e}"))
}

/// The real pack text with `from` replaced by `to` (exactly once).
fn real_with(from: &str, to: &str) -> RulePack {
    let text = real_text();
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    let text = text.replacen(from, to, 1);
    RulePack::parse(Path::new("edited.toml"), &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The real pack text followed by `extra` (more `[[rule]]` tables).
fn real_plus(extra: &str) -> RulePack {
    let text = format!("{}\n{extra}", real_text());
    RulePack::parse(Path::new("plus.toml"), &text).unwrap_or_else(|e| panic!("{e}"))
}

/// A minimal valid pack: the scoring model and the rules whose parameters the analyzer needs.
const MINI: &str = r#"[meta]
pack = "mini"
version = "1"

[scoring.website]
deduct_max = 100
bonus_max = 30
fail_below = 60
bonus_gate_above = 80
per_indicator_cap = true
no_service_rescale = { base = 75, factor_num = 4, factor_den = 3, status = "secondary" }
status = "confirmed"
source = "s"

[[rule]]
id = "web.veto.site_unreachable"
scope = "website"
kind = "veto"
status = "confirmed"
label_zh = "站点无法访问"
source = "s"
window_days = 7
min_probes_per_day = 20
fail_ratio_threshold = 0.05

[[rule]]
id = "web.veto.homepage_not_updated"
scope = "website"
kind = "veto"
status = "confirmed"
label_zh = "首页不更新"
source = "s"
window_days = 14

[[rule]]
id = "web.veto.columns_not_updated"
scope = "website"
kind = "veto"
status = "confirmed"
label_zh = "栏目不更新"
source = "s"
news_column_window_days = 14
notice_policy_window_months = 6
cumulative_stale_threshold = 5

[[rule]]
id = "web.veto.should_update_stale"
scope = "website"
kind = "veto"
status = "confirmed"
label_zh = "应更新但长期未更新栏目"
source = "s"
threshold = 10
long_cycle_window_months = 12

[[rule]]
id = "web.veto.blank_columns"
scope = "website"
kind = "veto"
status = "confirmed"
label_zh = "空白栏目"
source = "s"
threshold = 5

[[rule]]
id = "nm.veto.not_updated"
scope = "newmedia"
kind = "veto"
status = "secondary"
label_zh = "内容不更新"
source = "s"
window_days = 14

[[rule]]
id = "web.veto.messages_unanswered"
scope = "website"
kind = "veto"
status = "confirmed"
label_zh = "超过3个月未回应"
source = "s"
lookback_months = 12
max_unanswered_months = 3

[[rule]]
id = "disc.policy_interpretation_sync"
scope = "disclosure"
kind = "deadline"
status = "secondary"
label_zh = "解读同步"
source = "s"
lookback_months = 12
max_lag_workdays = 3
"#;

fn mini_err(extra: &str) -> (String, PackError) {
    let text = format!("{MINI}{extra}");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    (text, e)
}

/// 1-based line and column of the first occurrence of `needle` (after `after`, if given).
fn at(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let from = text.find(after).expect("anchor present");
    let pos = from + text[from..].find(needle).expect("needle present");
    tree::line_col(text, pos)
}

fn ded(id: &str, count: u32) -> Deduction {
    Deduction {
        rule_id: id.into(),
        count,
    }
}

fn bon(id: &str, count: u32) -> Bonus {
    Bonus {
        rule_id: id.into(),
        count,
    }
}

const POLICY: &str = "web.deduct.policy_column_stale_6m"; // 5 points
const STATS: &str = "web.deduct.service_stats_stale_3m"; // 2 points
const REPLIES: &str = "web.deduct.message_replies_stale_2m"; // 3 points
const LINKS_HOME: &str = "web.deduct.broken_links_home"; // unconfirmed, no points

// ---------------------------------------------------------------------------------------------
// The real pack.

#[test]
fn real_pack_has_every_rule_of_the_draft() {
    let p = real();
    assert_eq!(p.rules().len(), 45);
    assert_eq!(p.meta().pack, "cn-gov-web-newmedia");
    assert_eq!(p.meta().version, "0.1.0-draft");
    assert_eq!(p.meta().basis.len(), 5);
    assert_eq!(p.meta().basis[0], "国办秘函〔2019〕19号");
    assert_eq!(p.rules()[0].id, "web.veto.security_incident");
    assert_eq!(p.rules()[44].id, "disc.grassroots_catalogue");

    let s = p.scoring(Scope::Website).unwrap();
    assert_eq!(
        (s.deduct_max, s.bonus_max, s.fail_below, s.bonus_gate_above),
        (100.0, 30.0, 60.0, 80.0)
    );
    assert!(s.veto_means_fail && s.per_indicator_cap);
    assert_eq!(
        s.no_service_rescale,
        Some(Rescale {
            base: 75.0,
            factor_num: 4.0,
            factor_den: 3.0,
            status: Status::Secondary
        })
    );
    assert_eq!(s.status, Status::Confirmed);
    assert_eq!(s.source, "http://sntec.org.cn/info/1015/4213.htm");
    assert!(p.scoring(Scope::Newmedia).is_none());

    let q = p.report().unwrap();
    assert_eq!(q.sections.len(), 6);
    assert_eq!(q.sections[1], "上季度问题整改复查");
    assert_eq!(q.pass_rate_decimals, 2);
    assert_eq!(q.remediation_deadline_days_default, 10);
    assert_eq!(q.attachments.len(), 3);
}

#[test]
fn real_pack_rules_carry_label_source_and_parameters() {
    let p = real();
    let r = p.rule("web.veto.site_unreachable").unwrap();
    assert_eq!(
        (r.scope, r.kind, r.status),
        (Scope::Website, Kind::Veto, Status::Confirmed)
    );
    assert_eq!(r.label_zh, "站点无法访问");
    assert_eq!(
        r.source,
        "https://www.kunmingchi.com/archives/06vrjeklp5eg0245my9w.html"
    );
    assert_eq!(r.get_u32("timeout_seconds"), Some(15));
    assert_eq!(r.get_f64("fail_ratio_threshold"), Some(0.05));
    assert_eq!(r.get_bool("inclusive"), Some(true));
    assert_eq!(r.get_str("inclusive"), None);
    assert_eq!(r.get_u32("missing"), None);

    let r = p.rule("web.veto.service_unusable").unwrap();
    assert_eq!(r.status, Status::Unconfirmed);
    assert_eq!(
        r.get_str_list("guide_elements_known"),
        Some(vec!["事项名称", "设定依据", "申请条件", "办理材料"])
    );
    assert_eq!(
        r.get_str("applies_to"),
        Some("portal_or_service_department")
    );

    let r = p.rule("disc.timeliness.general").unwrap();
    assert_eq!((r.scope, r.kind), (Scope::Disclosure, Kind::Deadline));
    assert_eq!(r.get_u32("workdays"), Some(20));
    assert_eq!(r.label_zh, "主动公开信息自形成或变更之日起20个工作日内公开");

    let r = p.rule("disc.mandatory_categories").unwrap();
    assert_eq!(r.get_str_list("categories").unwrap().len(), 15);
    assert_eq!(p.rule(POLICY).unwrap().points, Some(5.0));
    assert!(p.rule("no.such.rule").is_none());
}

#[test]
fn real_pack_thresholds_are_the_national_values() {
    let p = real();
    assert_eq!(p.thresholds(), crate::rules::Rules::default());
    assert_eq!(
        p.column_windows(),
        ColumnWindows {
            news_days: 14,
            notice_months: 6,
            long_months: 12
        }
    );
}

#[test]
fn only_three_rules_of_the_real_pack_are_scorable() {
    let p = real();
    let scorable: Vec<&str> = p
        .rules()
        .iter()
        .filter(|r| r.scorable())
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(scorable, [POLICY, STATS, REPLIES]);
    // A deduct rule without points, and an unconfirmed one, are reported but not scored.
    assert!(!p
        .rule("web.deduct.policy_interpretation_link")
        .unwrap()
        .scorable());
    assert!(!p.rule(LINKS_HOME).unwrap().scorable());
}

#[test]
fn a_changed_threshold_reaches_the_analyzer() {
    let p = real_with("threshold = 5\n", "threshold = 3\n");
    assert_eq!(p.thresholds().blank_columns_threshold, 3);
    let p = real_with("fail_ratio_threshold = 0.05", "fail_ratio_threshold = 0.1");
    assert_eq!(p.thresholds().unreachable_fail_ratio, 0.1);
}

// ---------------------------------------------------------------------------------------------
// Errors.

#[test]
fn error_display_names_file_line_column_and_key() {
    let (text, e) = mini_err(
        "\n[[rule]]\nid = \"x\"\nscope = \"website\"\nkind = \"deduct\"\nstatus = \"secondary\"\nlabel_zh = \"x\"\nsource = \"s\"\npoints = -1\n",
    );
    let (line, col) = at(&text, "id = \"x\"", "-1");
    assert_eq!(
        e.to_string(),
        format!(
            "p.toml:{line}:{col}: key `rule[8].points`: must be a number greater than 0, found -1"
        )
    );
}

#[test]
fn unknown_keys_in_meta_scoring_and_top_level_are_errors() {
    let text = MINI.replace("version = \"1\"\n", "version = \"1\"\nauthor = \"me\"\n");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!((e.line, e.column, e.key.as_str()), (4, 1, "meta.author"));
    assert!(
        e.message.starts_with("unknown key `author`"),
        "{}",
        e.message
    );

    let text = MINI.replace("fail_below = 60\n", "fail_below = 60\npass_above = 90\n");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "scoring.website.pass_above");
    assert_eq!((e.line, e.column), at(&text, "", "pass_above"));

    let (text, e) = mini_err("\n[rules]\nx = 1\n");
    assert_eq!(e.key, "rules");
    assert_eq!((e.line, e.column), at(&text, "", "rules]"));

    let text = MINI.replace("[scoring.website]", "[scoring.portal]");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "scoring.portal");
    assert!(e.message.starts_with("unknown scoring scope `portal`"));

    let text = MINI.replace(
        "status = \"secondary\" }",
        "status = \"secondary\", extra = 1 }",
    );
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "scoring.website.no_service_rescale.extra");
}

#[test]
fn rule_fields_are_checked() {
    let rule = |body: &str| {
        format!("\n[[rule]]\nid = \"t.r\"\nscope = \"website\"\nkind = \"deduct\"\nstatus = \"secondary\"\nlabel_zh = \"x\"\nsource = \"s\"\n{body}")
    };
    let cases: &[(&str, &str, &str, &str)] = &[
        // (replace in the rule, with, expected key, message start)
        (
            "scope = \"website\"",
            "scope = \"portal\"",
            "rule[8].scope",
            "invalid value `portal` (expected one of `website`, `newmedia`, `disclosure`)",
        ),
        (
            "kind = \"deduct\"",
            "kind = \"penalty\"",
            "rule[8].kind",
            "invalid value `penalty`",
        ),
        (
            "status = \"secondary\"",
            "status = \"likely\"",
            "rule[8].status",
            "invalid value `likely`",
        ),
        (
            "label_zh = \"x\"\n",
            "",
            "rule[8].label_zh",
            "missing required key `label_zh`",
        ),
        (
            "source = \"s\"\n",
            "",
            "rule[8].source",
            "missing required key `source`",
        ),
        ("id = \"t.r\"", "id = \"t r\"", "rule[8].id", "invalid id"),
        (
            "id = \"t.r\"",
            "id = \"web.veto.blank_columns\"",
            "rule[8].id",
            "duplicate id `web.veto.blank_columns`: already used by rule[4] on line",
        ),
        (
            "label_zh = \"x\"",
            "label_zh = \"\"",
            "rule[8].label_zh",
            "must not be empty",
        ),
    ];
    for (from, to, key, msg) in cases {
        let (_, e) = mini_err(&rule("points = 1\n").replacen(from, to, 1));
        assert_eq!(e.key, *key, "{from} -> {to}: {e}");
        assert!(e.message.starts_with(msg), "{from} -> {to}: {}", e.message);
    }
    let (_, e) = mini_err(&rule("points = \"five\"\n"));
    assert_eq!(
        (e.key.as_str(), e.message.as_str()),
        ("rule[8].points", "expected a number, found a string")
    );
    let (_, e) = mini_err(&rule("points = 0\n"));
    assert_eq!(e.message, "must be a number greater than 0, found 0");
    let (_, e) = mini_err(&rule("points_each = -0.5\n"));
    assert_eq!(e.key, "rule[8].points_each");
    let (_, e) = mini_err(&rule("window_days = 1.5\n"));
    assert_eq!(
        (e.key.as_str(), e.message.as_str()),
        ("rule[8].window_days", "expected an integer, found a float")
    );
    let (_, e) = mini_err(&rule("lookback_months = -3\n"));
    assert_eq!(e.message, "must not be negative, found -3");
    // points on a veto.
    let (text, e) = mini_err(&rule("points = 2\n").replace("kind = \"deduct\"", "kind = \"veto\""));
    assert_eq!(e.key, "rule[8].points");
    assert_eq!((e.line, e.column), at(&text, "id = \"t.r\"", "2\n"));
    assert_eq!(
        e.message,
        "`points` only applies to `deduct` and `bonus` rules, not to a `veto` rule"
    );
    // Free-form parameters of any type are kept.
    let p = RulePack::parse(
        Path::new("p.toml"),
        &format!(
            "{MINI}{}",
            rule("note = \"n\"\nlist = [1, 2]\nt = { a = true }\n")
        ),
    )
    .unwrap();
    let r = p.rule("t.r").unwrap();
    assert_eq!(r.get_str("note"), Some("n"));
    assert_eq!(
        r.param("list"),
        Some(&ParamValue::Array(vec![
            ParamValue::Integer(1),
            ParamValue::Integer(2)
        ]))
    );
    assert!(
        matches!(r.param("t"), Some(ParamValue::Table(m)) if m["a"] == ParamValue::Boolean(true))
    );
    assert!(!r.scorable(), "no points");
}

#[test]
fn the_analyzer_parameters_must_be_present_and_valid() {
    let text = MINI.replace("\nthreshold = 5\n", "\n");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "rule[4].threshold");
    assert_eq!(
        (e.line, e.column),
        at(&text, "", "[[rule]]\nid = \"web.veto.blank_columns\"")
    );
    assert_eq!(
        e.message,
        "missing required parameter `threshold` of `web.veto.blank_columns`: the analyzer needs it"
    );

    let text = MINI.replace("id = \"nm.veto.not_updated\"", "id = \"nm.veto.stale\"");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!((e.line, e.column, e.key.as_str()), (1, 1, "rule"));
    assert!(e
        .message
        .starts_with("no [[rule]] has id `nm.veto.not_updated`"));

    let text = MINI.replace("window_days = 7\n", "window_days = \"7\"\n");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "rule[0].window_days");
    assert_eq!(e.message, "expected an integer, found a string");

    let text = MINI.replace(
        "cumulative_stale_threshold = 5",
        "cumulative_stale_threshold = 0",
    );
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.message, "must be a positive integer, found 0");

    let text = MINI.replace("fail_ratio_threshold = 0.05", "fail_ratio_threshold = 5");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "rule[0].fail_ratio_threshold");
    assert_eq!(
        e.message,
        "must be a ratio greater than 0 and at most 1, found 5"
    );
}

#[test]
fn scoring_values_are_checked() {
    let text = MINI.replace("fail_below = 60", "fail_below = 120");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "scoring.website.fail_below");
    assert_eq!(e.message, "must not exceed deduct_max (100), found 120");
    assert_eq!((e.line, e.column), at(&text, "", "120"));

    let text = MINI.replace("bonus_max = 30\n", "");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "scoring.website.bonus_max");
    assert_eq!((e.line, e.column), (5, 1));

    let text = MINI.replace("factor_den = 3", "factor_den = 0");
    let e = RulePack::parse(Path::new("p.toml"), &text).unwrap_err();
    assert_eq!(e.key, "scoring.website.no_service_rescale.factor_den");

    let e = RulePack::parse(Path::new("p.toml"), "pack = 1\n").unwrap_err();
    assert_eq!(e.key, "pack");
    let e = RulePack::parse(Path::new("p.toml"), "[meta\n").unwrap_err();
    assert_eq!((e.line, e.key.as_str()), (1, "(syntax)"));
    assert!(e.message.starts_with("invalid TOML"));
}

#[test]
fn load_of_a_missing_file_names_it() {
    let e = RulePack::load(Path::new("/nonexistent/pack.toml")).unwrap_err();
    assert_eq!((e.line, e.column, e.key.as_str()), (1, 1, "(file)"));
    assert!(e
        .to_string()
        .starts_with("/nonexistent/pack.toml:1:1: key `(file)`: cannot read"));
}

// ---------------------------------------------------------------------------------------------
// Overrides.

#[test]
fn a_district_override_tightens_a_window() {
    let mut p = real();
    p.apply_override(
        Path::new("district.toml"),
        "[meta]\nname = \"崂山区\"\n\n[[rule]]\nid = \"web.veto.columns_not_updated\"\nnews_column_window_days = 7\n",
    )
    .unwrap();
    assert_eq!(p.column_windows().news_days, 7);
    assert_eq!(p.column_windows().notice_months, 6);
    let r = p.rule("web.veto.columns_not_updated").unwrap();
    assert_eq!(r.overridden_by, vec![PathBuf::from("district.toml")]);
    assert_eq!(r.status, Status::Confirmed, "untouched");
    assert_eq!(p.overrides().len(), 1);
    assert_eq!(p.overrides()[0].name.as_deref(), Some("崂山区"));
    // Everything else is still the national value, and the analyzer gets the tighter window.
    let mut expected = crate::rules::Rules::default();
    expected.columns.news_days = 7;
    assert_eq!(p.thresholds(), expected);
}

#[test]
fn the_alert_settings_have_defaults_and_a_district_may_change_them() {
    // A pack without the service's advisory rules still parses, with the defaults.
    let mini = RulePack::parse(Path::new("p.toml"), MINI).unwrap();
    let t = mini.thresholds();
    assert_eq!((t.column_warn_days, t.site_down_probes), (3, 2));
    let mut p = real();
    p.apply_override(
        Path::new("district.toml"),
        "[[rule]]\nid = \"svc.alert.column_due_soon\"\nwarn_days = 5\n\n[[rule]]\nid = \"svc.alert.site_down\"\nconsecutive_failures = 4\n",
    )
    .unwrap();
    let t = p.thresholds();
    assert_eq!((t.column_warn_days, t.site_down_probes), (5, 4));
}

#[test]
fn a_province_override_confirms_a_rule_and_makes_it_score() {
    let mut p = real();
    assert!(!p.rule(LINKS_HOME).unwrap().scorable());
    let before = score(&p, &[], &[ded(LINKS_HOME, 4)], &[], true);
    assert_eq!(before.deduct_part, Some(100.0));
    assert_eq!(before.unscored, vec![LINKS_HOME.to_string()]);

    p.apply_override(
        Path::new("province.toml"),
        "[[rule]]\nid = \"web.deduct.broken_links_home\"\nstatus = \"confirmed\"\npoints = 1\nsource = \"省通知\"\n",
    )
    .unwrap();
    let r = p.rule(LINKS_HOME).unwrap();
    assert!(r.scorable());
    assert_eq!(r.source, "省通知");
    let after = score(&p, &[], &[ded(LINKS_HOME, 4)], &[], true);
    assert_eq!(after.deduct_part, Some(96.0));
    assert!(after.unscored.is_empty());
    assert_eq!(after.lines.len(), 1);
    assert_eq!(
        after.lines[0].label_zh,
        "首页链接不可用(含图片、附件、外部链接)"
    );
    assert_eq!((after.lines[0].points, after.lines[0].count), (4.0, 4));
}

#[test]
fn override_errors_point_into_the_override_file_and_change_nothing() {
    let mut p = real();
    let before = p.clone();
    let text = "[[rule]]\nid = \"web.veto.columns_not_updated\"\nnews_column_window_days = 7\n\n[[rule]]\nid = \"web.veto.no_such\"\nwindow_days = 3\n";
    let e = p.apply_override(Path::new("o.toml"), text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "o.toml:6:6: key `rule[1].id`: unknown rule id `web.veto.no_such`: the pack `cn-gov-web-newmedia` has no such rule"
    );
    assert_eq!(p, before, "a failed override leaves the pack unchanged");

    let cases: &[(&str, &str, &str)] = &[
        ("[[rule]]\nid = \"web.veto.homepage_not_updated\"\nwindow_days = \"7\"\n", "rule[0].window_days", "expected an integer, found a string"),
        ("[[rule]]\nid = \"web.veto.homepage_not_updated\"\nwindow_days = 0\n", "rule[0].window_days", "must be a positive integer, found 0"),
        ("[[rule]]\nid = \"web.veto.homepage_not_updated\"\nkind = \"deduct\"\n", "rule[0].kind", "an override cannot change the kind"),
        ("[[rule]]\nid = \"web.veto.homepage_not_updated\"\nscope = \"newmedia\"\n", "rule[0].scope", "an override cannot change the scope"),
        ("[[rule]]\nid = \"web.veto.homepage_not_updated\"\npoints = 2\n", "rule[0].points", "`points` only applies"),
        ("[[rule]]\nid = \"web.deduct.broken_links_home\"\nstatus = \"sure\"\n", "rule[0].status", "invalid value `sure`"),
        ("[[rule]]\nwindow_days = 3\n", "rule[0].id", "missing required key `id`"),
        ("[[rule]]\nid = \"web.veto.blank_columns\"\n[[rule]]\nid = \"web.veto.blank_columns\"\n", "rule[1].id", "duplicate id `web.veto.blank_columns`: already overridden by rule[0] on line 2"),
        ("[rules]\n", "rules", "unknown key `rules`"),
        ("[meta]\npack = \"x\"\n", "meta.pack", "unknown key `pack`"),
        ("[scoring.website]\nfail_below = 101\n", "scoring.website.fail_below", "must not exceed deduct_max (100), found 101"),
        ("[scoring.newmedia]\nfail_below = 50\n", "scoring.newmedia", "the pack `cn-gov-web-newmedia` has no [scoring.newmedia] to override"),
    ];
    for (text, key, msg) in cases {
        let e = p.apply_override(Path::new("o.toml"), text).unwrap_err();
        assert_eq!(e.file, PathBuf::from("o.toml"));
        assert_eq!(e.key, *key, "{text}");
        assert!(e.message.starts_with(msg), "{text}: {}", e.message);
    }
    assert_eq!(p, before);
}

#[test]
fn overrides_apply_in_order() {
    let mut p = real();
    p.apply_override(
        Path::new("province.toml"),
        "[[rule]]\nid = \"nm.veto.not_updated\"\nwindow_days = 10\n",
    )
    .unwrap();
    p.apply_override(
        Path::new("district.toml"),
        "[[rule]]\nid = \"nm.veto.not_updated\"\nwindow_days = 7\n",
    )
    .unwrap();
    assert_eq!(p.thresholds().account_window_days, 7);
    assert_eq!(
        p.rule("nm.veto.not_updated").unwrap().overridden_by,
        vec![
            PathBuf::from("province.toml"),
            PathBuf::from("district.toml")
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Scoring.

#[test]
fn clean_site_scores_full_marks() {
    let s = score(&real(), &[], &[], &[], true);
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Qualified));
    assert_eq!(s.deduct_part, Some(100.0));
    assert_eq!(s.bonus_part, Some(0.0));
    assert_eq!(s.total, Some(100.0));
    assert!(s.lines.is_empty() && s.unscored.is_empty());
}

#[test]
fn any_veto_fails_and_nothing_else_is_scored() {
    let s = score(
        &real(),
        &["web.veto.blank_columns".into()],
        &[ded(POLICY, 1)],
        &[],
        true,
    );
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Unqualified));
    assert_eq!((s.deduct_part, s.bonus_part, s.total), (None, None, None));
    assert!(s.lines.is_empty());
}

#[test]
fn deductions_are_summed_per_rule_with_labels_and_sources() {
    let p = real();
    let s = score(
        &p,
        &[],
        &[
            ded(REPLIES, 1),
            ded(POLICY, 2),
            ded(STATS, 1),
            ded(POLICY, 1),
        ],
        &[],
        true,
    );
    // 100 − 3×5 − 2 − 3 = 80: qualified, but not above the 80 gate, so no bonus part.
    assert_eq!(s.deduct_part, Some(80.0));
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Qualified));
    assert_eq!(s.bonus_part, None);
    assert_eq!(s.total, Some(80.0));
    let got: Vec<(&str, f64, u32)> = s
        .lines
        .iter()
        .map(|l| (l.rule_id.as_str(), l.points, l.count))
        .collect();
    assert_eq!(got, [(POLICY, 15.0, 3), (STATS, 2.0, 1), (REPLIES, 3.0, 1)]);
    assert_eq!(
        s.lines[0].label_zh,
        "监测时间点前6个月内政策文件类一级栏目未更新"
    );
    assert_eq!(
        s.lines[0].source,
        "https://cpxtsg.com/gkml/wzcc/202102/t20210226_31892"
    );
    assert_eq!(s.lines[0].kind, Kind::Deduct);
}

#[test]
fn below_sixty_fails() {
    let s = score(&real(), &[], &[ded(POLICY, 9)], &[], true);
    assert_eq!(s.deduct_part, Some(55.0));
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Unqualified));
    assert_eq!(s.total, Some(55.0));
    let s = score(&real(), &[], &[ded(POLICY, 8)], &[], true);
    assert_eq!(s.deduct_part, Some(60.0));
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Qualified));
    // Never below 0.
    let s = score(&real(), &[], &[ded(POLICY, 30)], &[], true);
    assert_eq!(s.deduct_part, Some(0.0));
}

#[test]
fn changing_fail_below_in_the_pack_text_changes_the_verdict() {
    let deductions = [ded(POLICY, 2), ded(STATS, 1)]; // 100 − 12 = 88
    let national = score(&real(), &[], &deductions, &[], true);
    assert_eq!(national.deduct_part, Some(88.0));
    assert_eq!(national.verdict_from_score, Some(ScoreVerdict::Qualified));

    let strict = real_with("fail_below = 60", "fail_below = 90");
    let s = score(&strict, &[], &deductions, &[], true);
    assert_eq!(s.deduct_part, Some(88.0));
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Unqualified));
    assert_eq!(s.bonus_part, None);

    // And points come from the pack too.
    let heavier = real_with("points = 5\n", "points = 20\n");
    let s = score(&heavier, &[], &deductions, &[], true);
    assert_eq!(s.deduct_part, Some(58.0));
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Unqualified));
}

#[test]
fn an_unconfirmed_rule_never_enters_a_score_even_with_points() {
    let p = real_plus(
        "[[rule]]\nid = \"web.deduct.guess\"\nscope = \"website\"\nkind = \"deduct\"\nstatus = \"unconfirmed\"\nlabel_zh = \"猜测\"\npoints = 10\nsource = \"none\"\n\n\
         [[rule]]\nid = \"web.bonus.guess\"\nscope = \"website\"\nkind = \"bonus\"\nstatus = \"unconfirmed\"\nlabel_zh = \"猜测加分\"\npoints = 10\nsource = \"none\"\n",
    );
    assert!(!p.rule("web.deduct.guess").unwrap().scorable());
    let s = score(
        &p,
        &[],
        &[
            ded("web.deduct.guess", 3),
            ded("web.deduct.policy_interpretation_link", 2),
        ],
        &[bon("web.bonus.guess", 1)],
        true,
    );
    assert_eq!(s.deduct_part, Some(100.0));
    assert_eq!(s.bonus_part, Some(0.0));
    assert_eq!(s.total, Some(100.0));
    assert!(s.lines.is_empty());
    assert_eq!(
        s.unscored,
        [
            "web.bonus.guess",
            "web.deduct.guess",
            "web.deduct.policy_interpretation_link"
        ]
    );
}

#[test]
fn unknown_and_non_website_rules_are_unscored() {
    let s = score(
        &real(),
        &[],
        &[
            ded("web.deduct.nonexistent", 1),
            ded("nm.deduct.update_lag", 1),
            ded(STATS, 0),
        ],
        &[],
        true,
    );
    assert_eq!(s.deduct_part, Some(100.0));
    assert_eq!(
        s.unscored,
        ["nm.deduct.update_lag", "web.deduct.nonexistent"]
    );
    assert!(s.lines.is_empty(), "a count of 0 is no line");
}

#[test]
fn departments_without_services_are_rescaled_over_75() {
    let p = real();
    // (75 − 15) × 4/3 = 80.
    let s = score(&p, &[], &[ded(POLICY, 3)], &[], false);
    assert_eq!(s.deduct_part, Some(80.0));
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Qualified));
    // (75 − 0) × 4/3 = 100.
    assert_eq!(score(&p, &[], &[], &[], false).deduct_part, Some(100.0));
    // (75 − 2) × 4/3 = 97.333333.
    assert_eq!(
        score(&p, &[], &[ded(STATS, 1)], &[], false).deduct_part,
        Some(97.333333)
    );
    // (75 − 35) × 4/3 = 53.333333 < 60; with services: 65.
    let s = score(&p, &[], &[ded(POLICY, 7)], &[], false);
    assert_eq!(s.deduct_part, Some(53.333333));
    assert_eq!(s.verdict_from_score, Some(ScoreVerdict::Unqualified));
    assert_eq!(
        score(&p, &[], &[ded(POLICY, 7)], &[], true).verdict_from_score,
        Some(ScoreVerdict::Qualified)
    );
    // The rescale is pack data as well.
    let p = real_with("base = 75", "base = 80");
    assert_eq!(
        score(&p, &[], &[ded(POLICY, 3)], &[], false).deduct_part,
        Some(86.666667)
    );
}

const BONUS_RULES: &str = "[[rule]]\nid = \"web.bonus.search\"\nscope = \"website\"\nkind = \"bonus\"\nstatus = \"secondary\"\nlabel_zh = \"智能搜索\"\npoints = 10\nsource = \"b\"\n\n\
[[rule]]\nid = \"web.bonus.interpretation\"\nscope = \"website\"\nkind = \"bonus\"\nstatus = \"confirmed\"\nlabel_zh = \"政策解读\"\npoints = 8\nsource = \"b\"\n";

#[test]
fn bonus_is_added_above_eighty_and_capped_at_thirty() {
    let p = real_plus(BONUS_RULES);
    // 100 − 5 = 95 > 80: 10 + 8 = 18 added.
    let s = score(
        &p,
        &[],
        &[ded(POLICY, 1)],
        &[
            bon("web.bonus.search", 1),
            bon("web.bonus.interpretation", 1),
        ],
        true,
    );
    assert_eq!(s.bonus_part, Some(18.0));
    assert_eq!(s.total, Some(113.0));
    assert_eq!(s.lines.len(), 3);
    assert_eq!(s.lines[2].kind, Kind::Bonus);
    // 3 × 10 + 8 = 38 → capped at bonus_max 30: total 130.
    let s = score(
        &p,
        &[],
        &[],
        &[
            bon("web.bonus.search", 3),
            bon("web.bonus.interpretation", 1),
        ],
        true,
    );
    assert_eq!((s.bonus_part, s.total), (Some(30.0), Some(130.0)));
    // Exactly 80 is not above the gate: no bonus.
    let s = score(
        &p,
        &[],
        &[ded(POLICY, 4)],
        &[bon("web.bonus.search", 1)],
        true,
    );
    assert_eq!(
        (s.deduct_part, s.bonus_part, s.total),
        (Some(80.0), None, Some(80.0))
    );
    assert_eq!(
        s.lines.len(),
        1,
        "bonus lines only when the bonus is scored"
    );
    // The gate comes from the pack.
    let p = real_plus(BONUS_RULES);
    let text = format!("{}\n{BONUS_RULES}", real_text()).replacen(
        "bonus_gate_above = 80",
        "bonus_gate_above = 70",
        1,
    );
    let low_gate = RulePack::parse(Path::new("g.toml"), &text).unwrap();
    assert_eq!(
        score(
            &low_gate,
            &[],
            &[ded(POLICY, 4)],
            &[bon("web.bonus.search", 1)],
            true
        )
        .total,
        Some(90.0)
    );
    assert_eq!(
        score(
            &p,
            &[],
            &[ded(POLICY, 4)],
            &[bon("web.bonus.search", 1)],
            true
        )
        .total,
        Some(80.0)
    );
}

#[test]
fn per_indicator_cap_limits_a_rule_to_its_total() {
    // A province supplies per-link points: 0.5 each, indicator total 4, or an explicit cap.
    let mut p = real();
    p.apply_override(
        Path::new("province.toml"),
        "[[rule]]\nid = \"web.deduct.broken_links_home\"\nstatus = \"confirmed\"\npoints = 4\npoints_each = 0.5\n\n\
         [[rule]]\nid = \"web.deduct.broken_links_other\"\nstatus = \"confirmed\"\npoints = 0.1\ncap = 2\n",
    )
    .unwrap();
    let s = score(
        &p,
        &[],
        &[ded(LINKS_HOME, 3), ded("web.deduct.broken_links_other", 7)],
        &[],
        true,
    );
    assert_eq!(s.lines[0].points, 1.5);
    assert!(!s.lines[0].capped);
    assert_eq!(s.lines[1].points, 0.7);
    assert_eq!(s.deduct_part, Some(97.8));

    let s = score(
        &p,
        &[],
        &[
            ded(LINKS_HOME, 20),
            ded("web.deduct.broken_links_other", 50),
        ],
        &[],
        true,
    );
    assert_eq!((s.lines[0].points, s.lines[0].count), (4.0, 20));
    assert!(s.lines[0].capped);
    assert_eq!((s.lines[1].points, s.lines[1].count), (2.0, 50));
    assert_eq!(s.deduct_part, Some(94.0));

    // Without per_indicator_cap the same counts deduct 10 + 5.
    p.apply_override(
        Path::new("no-cap.toml"),
        "[scoring.website]\nper_indicator_cap = false\n",
    )
    .unwrap();
    let s = score(
        &p,
        &[],
        &[
            ded(LINKS_HOME, 20),
            ded("web.deduct.broken_links_other", 50),
        ],
        &[],
        true,
    );
    assert_eq!(s.deduct_part, Some(85.0));
}

#[test]
fn a_pack_without_scoring_scores_nothing() {
    let text = MINI.replace(
        MINI.split("[[rule]]").next().unwrap(),
        "[meta]\npack = \"mini\"\nversion = \"1\"\n\n",
    );
    let p = RulePack::parse(Path::new("p.toml"), &text).unwrap();
    assert!(p.scoring(Scope::Website).is_none());
    let s = score(
        &p,
        &["web.veto.blank_columns".into()],
        &[ded("x", 1)],
        &[],
        true,
    );
    assert_eq!(s.verdict_from_score, None);
    assert_eq!(s.total, None);
    assert_eq!(s.unscored, ["x"]);
}

#[test]
fn mini_pack_parses() {
    let p = RulePack::parse(Path::new("p.toml"), MINI).unwrap();
    assert_eq!(p.rules().len(), 8);
    assert_eq!(p.thresholds(), crate::rules::Rules::default());
    assert!(p.report().is_none());
    assert_eq!(p.file(), Path::new("p.toml"));
}

#[test]
fn the_readme_override_example_applies() {
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds/rules/README.md"),
    )
    .unwrap();
    let example = readme
        .rsplit("```toml\n")
        .next()
        .and_then(|b| b.split("```").next())
        .unwrap();
    let mut p = real();
    p.apply_override(Path::new("README.md"), example)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.column_windows().news_days, 7);
    let r = p.rule(LINKS_HOME).unwrap();
    assert!(r.scorable());
    assert_eq!(r.points_per_occurrence(), Some(1.0));
    // 6 broken homepage links: 6 points, capped at the indicator's 4.
    let s = score(&p, &[], &[ded(LINKS_HOME, 6)], &[], true);
    assert_eq!(s.deduct_part, Some(96.0));
}

#[test]
fn trace_lists_vetoes_and_deductions_with_pack_points() {
    use xunjian_model::finding::{BrokenReason, Finding};
    use xunjian_model::{ColumnClass, TargetKind, TargetReport, Verdict};
    let stale = |name: &str| Finding::ColumnStale {
        url: format!("http://a/{name}/"),
        column: name.into(),
        class: ColumnClass::Notice,
        last_update: None,
        window_days: Some(14),
        window_months: None,
        evidence: String::new(),
        seen: None,
    };
    let broken = |home: bool| Finding::LinkBroken {
        url: format!("http://a/x{home}.html"),
        sources: vec![],
        source_count: 0,
        reason: BrokenReason::Http(404),
        status: Some(404),
        internal: true,
        on_homepage: home,
        evidence: String::new(),
        seen: None,
    };
    let report = TargetReport {
        not_checked: Vec::new(),
        id: "a".into(),
        kind: TargetKind::Site,
        unit: "u".into(),
        verdict: Verdict::Unqualified,
        vetoes: vec!["web.veto.columns_not_updated".into()],
        score: None,
        findings: vec![
            stale("政策文件"),
            stale("通知公告"),
            broken(true),
            broken(false),
            broken(false),
            Finding::PolicyUninterpreted {
                url: "http://a/p.html".into(),
                title: "办法".into(),
                published: None,
                column: "规范性文件".into(),
                evidence: String::new(),
                seen: None,
            },
            Finding::InterpretationLate {
                url: "http://a/i.html".into(),
                policy_url: "http://a/p2.html".into(),
                policy_published: "2025-01-02".into(),
                published: "2025-02-02".into(),
                lag_workdays: 18,
                evidence: String::new(),
                seen: None,
            },
        ],
        name: String::new(),
        inconclusive: vec![],
        rules: vec![],
        columns: vec![],
        account: None,
        homepage: None,
        marks: None,
        disclosures: vec![],
        dismissed: vec![],
        relays: vec![],
        matrix: None,
    };
    let lines = trace(&report, &real());
    let got: Vec<(&str, &str, u32, Option<f64>)> = lines
        .iter()
        .map(|l| (l.rule.as_str(), l.kind.as_str(), l.count, l.points))
        .collect();
    assert_eq!(
        got,
        [
            ("web.veto.columns_not_updated", "veto", 1, None),
            ("web.deduct.policy_column_stale_6m", "deduct", 1, Some(5.0)),
            ("web.deduct.broken_links_home", "deduct", 1, None),
            ("web.deduct.broken_links_other", "deduct", 2, None),
            ("web.deduct.policy_interpretation_link", "deduct", 1, None),
            ("disc.policy_interpretation_sync", "deadline", 1, None),
        ]
    );
    assert_eq!(lines[0].label_zh, "栏目不更新(动态要闻/通知公告/政策文件)");
    assert_eq!(lines[2].status, "unconfirmed", "reported, not scored");
}

#[test]
fn apply_score_only_for_portals_without_veto_and_with_a_complete_table() {
    use xunjian_model::finding::RuleLine;
    use xunjian_model::{TargetKind, TargetReport, Verdict};
    let report = |vetoes: Vec<String>| TargetReport {
        not_checked: Vec::new(),
        id: "a".into(),
        kind: TargetKind::Site,
        unit: "u".into(),
        verdict: if vetoes.is_empty() {
            Verdict::Qualified
        } else {
            Verdict::Unqualified
        },
        vetoes,
        score: None,
        findings: vec![],
        name: String::new(),
        inconclusive: vec![],
        rules: vec![RuleLine {
            rule: "web.deduct.policy_column_stale_6m".into(),
            kind: "deduct".into(),
            label_zh: String::new(),
            source: String::new(),
            basis: None,
            status: "secondary".into(),
            count: 3,
            points: Some(15.0),
        }],
        columns: vec![],
        account: None,
        homepage: None,
        marks: None,
        disclosures: vec![],
        dismissed: vec![],
        relays: vec![],
        matrix: None,
    };
    let national = real();
    let mut r = report(vec![]);
    apply_score(&mut r, &national, true);
    assert_eq!(r.score, None, "the national table is partial");

    let mut complete = real();
    complete
        .apply_override(
            Path::new("o.toml"),
            "[scoring.website]\ndeduct_table_complete = true\n",
        )
        .unwrap();
    let mut r = report(vec![]);
    apply_score(&mut r, &complete, true);
    // Three stale policy columns at 5 points each (`points` without `points_each` counts per
    // occurrence).
    assert_eq!(r.score, Some(85.0));
    assert_eq!(r.rules[0].points, Some(15.0));
    let mut dept = report(vec![]);
    apply_score(&mut dept, &complete, false);
    assert_eq!(dept.score, None, "Parts 2 and 3 score portals");
    let mut vetoed = report(vec!["web.veto.blank_columns".into()]);
    apply_score(&mut vetoed, &complete, true);
    assert_eq!(vetoed.score, None, "a veto means nothing else is scored");
}
