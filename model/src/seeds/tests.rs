//! Tests of seeds parsing: one valid file with every table, then every kind of error with its exact
//! position and key. Error cases are written as edits of numbered lines of [`VALID`].

use super::*;

/// Every table and key; line numbers are referred to by the tests below.
const VALID: &str = r#"# a seeds file with every table
[district]
name = "青岛市崂山区"
office = "崂山区人民政府办公室"
province = "山东省"

[defaults]
rate_per_host = 2
timeout_s = 1.5
respect_robots = false
max_pages = 500
max_depth = 4
max_site_seconds = 600

[[unit]]
id = "zfb"
name = "崂山区人民政府办公室"

[[unit]]
id = "jtj"
name = "青岛市崂山区教育和体育局"

[[site]]
id = "portal"
name = "崂山区人民政府门户网站"
unit = "zfb"
url = "http://www.laoshan.gov.cn/"
kind = "portal"
rate_per_host = 0.5

  [[site.column]]
  name = "通知公告"
  url = "http://www.laoshan.gov.cn/tzgg/index.html"
  class = "notice"

  [[site.column]]
  name = "工作动态"
  url = "https://www.laoshan.gov.cn/gzdt/"

[[site]]
id = "edu"
name = "崂山区教育和体育局网站"
unit = "jtj"
url = "https://edu.example.gov.cn/"
kind = "department"

[[account]]
id = "ls-weibo"
name = "崂山发布"
unit = "zfb"
platform = "weibo"
feed = "http://127.0.0.1:8090/weibo/ls.xml"

[[disclosure]]
id = "annual-report-2025"
unit = "zfb"
site = "portal"
name = "2025年政府信息公开工作年度报告"
column = "政府信息公开年报"
match = "2025年.*年度报告"
due = "2026-03-31"
max_age_days = 0

[[disclosure]]
id = "budget"
unit = "jtj"
site = "edu"
name = "部门预算"
column = "财政预决算"
match = "预算"
due = 2026-01-31
max_age_days = 400
"#;

fn parse(text: &str) -> Result<Seeds, SeedsError> {
    Seeds::parse(Path::new("seeds/t.toml"), text)
}

/// [`VALID`] with 1-based line `n` replaced by `new` (several lines if it contains `\n`; none if
/// empty).
fn edit(n: usize, new: &str) -> String {
    let mut lines: Vec<&str> = VALID.lines().collect();
    assert!(n >= 1 && n <= lines.len(), "no line {n}");
    if new.is_empty() {
        lines.remove(n - 1);
    } else {
        lines[n - 1] = new;
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// [`VALID`] with several lines replaced as [`edit`] does (line numbers of [`VALID`]).
fn edits(changes: &[(usize, &str)]) -> String {
    let mut lines: Vec<String> = VALID.lines().map(str::to_owned).collect();
    let mut changes = changes.to_vec();
    changes.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    for (n, new) in changes {
        assert!(n >= 1 && n <= lines.len(), "no line {n}");
        if new.is_empty() {
            lines.remove(n - 1);
        } else {
            lines[n - 1] = new.to_owned();
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// The error of `text`, which must not parse.
fn error(text: &str) -> SeedsError {
    match parse(text) {
        Ok(seeds) => panic!("parsed, but should not have: {seeds:?}"),
        Err(e) => e,
    }
}

/// Assert the exact line, column, key and message of the error of `text`.
#[track_caller]
fn assert_error(text: &str, line: usize, column: usize, key: &str, message: &str) {
    let e = error(text);
    assert_eq!(e.file, PathBuf::from("seeds/t.toml"));
    assert_eq!(
        (e.line, e.column, e.key.as_str(), e.message.as_str()),
        (line, column, key, message),
        "{e}"
    );
}

fn date(y: i32, m: u32, d: u32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

// ---------------------------------------------------------------------------------------------
// Valid files.

#[test]
fn valid_file_with_every_table() {
    let seeds = parse(VALID).unwrap();
    assert_eq!(
        seeds.district,
        District {
            name: "青岛市崂山区".into(),
            office: "崂山区人民政府办公室".into(),
            province: Some("山东省".into()),
            rules: None,
            rules_override: vec![],
            deadline_workdays: None,
            doc_number: None,
            contact: None,
            phone: None,
            cc: vec![],
        }
    );
    assert_eq!(
        seeds.defaults,
        Defaults {
            rate_per_host: 2.0,
            timeout_s: 1.5,
            respect_robots: false,
            max_pages: 500,
            max_depth: 4,
            max_site_seconds: 600,
            reference_urls: vec![],
            daily_requests_per_host: None,
            recheck_days: 7,
            allow_networks: vec![],
        }
    );
    assert_eq!(
        seeds.defaults.requests_per_host(),
        1200,
        "2 a second for 600 s"
    );
    assert_eq!(
        seeds.units,
        vec![
            Unit {
                id: "zfb".into(),
                name: "崂山区人民政府办公室".into()
            },
            Unit {
                id: "jtj".into(),
                name: "青岛市崂山区教育和体育局".into()
            },
        ]
    );
    assert_eq!(
        seeds.sites,
        vec![
            Site {
                id: "portal".into(),
                name: "崂山区人民政府门户网站".into(),
                unit: "zfb".into(),
                url: "http://www.laoshan.gov.cn/".into(),
                kind: SiteKind::Portal,
                columns: vec![
                    SeedColumn {
                        name: "通知公告".into(),
                        url: "http://www.laoshan.gov.cn/tzgg/index.html".into(),
                        class: Some(ColumnClass::Notice),
                    },
                    SeedColumn {
                        name: "工作动态".into(),
                        url: "https://www.laoshan.gov.cn/gzdt/".into(),
                        class: None,
                    },
                ],
                rate_per_host: Some(0.5),
            },
            Site {
                id: "edu".into(),
                name: "崂山区教育和体育局网站".into(),
                unit: "jtj".into(),
                url: "https://edu.example.gov.cn/".into(),
                kind: SiteKind::Department,
                columns: vec![],
                rate_per_host: None,
            },
        ]
    );
    assert_eq!(
        seeds.accounts,
        vec![Account {
            id: "ls-weibo".into(),
            name: "崂山发布".into(),
            unit: "zfb".into(),
            platform: Platform::Weibo,
            feed: Some("http://127.0.0.1:8090/weibo/ls.xml".into()),
            uid: None,
        }]
    );
    assert_eq!(
        seeds.disclosures,
        vec![
            Disclosure {
                id: "annual-report-2025".into(),
                unit: "zfb".into(),
                site: "portal".into(),
                name: "2025年政府信息公开工作年度报告".into(),
                column: "政府信息公开年报".into(),
                r#match: "2025年.*年度报告".into(),
                due: date(2026, 3, 31),
                max_age_days: 0,
                schedule: Schedule::Fixed,
            },
            Disclosure {
                id: "budget".into(),
                unit: "jtj".into(),
                site: "edu".into(),
                name: "部门预算".into(),
                column: "财政预决算".into(),
                r#match: "预算".into(),
                due: date(2026, 1, 31),
                max_age_days: 400,
                schedule: Schedule::Fixed,
            },
        ]
    );
    assert_eq!(seeds.unit("jtj").unwrap().name, "青岛市崂山区教育和体育局");
    assert_eq!(seeds.site("edu").unwrap().kind, SiteKind::Department);
    assert!(seeds.site("ls-weibo").is_none());
}

#[test]
fn minimal_file_takes_the_defaults() {
    let seeds =
        parse("[district]\nname = \"示范区\"\noffice = \"示范区人民政府办公室\"\n").unwrap();
    assert_eq!(seeds.district.province, None);
    assert_eq!(seeds.defaults, Defaults::default());
    assert!(seeds.units.is_empty() && seeds.sites.is_empty());
    assert!(seeds.accounts.is_empty() && seeds.disclosures.is_empty());
}

#[test]
fn integer_timeout_and_partial_defaults() {
    let text = "[district]\nname = \"a\"\noffice = \"b\"\n[defaults]\ntimeout_s = 15\nrate_per_host = 0.25\n";
    let d = parse(text).unwrap().defaults;
    let budgeted = parse(&format!(
        "{text}daily_requests_per_host = 5000\nrecheck_days = 3\n"
    ))
    .unwrap()
    .defaults;
    assert_eq!(
        (budgeted.requests_per_host(), budgeted.recheck_days),
        (5000, 3)
    );
    let e = parse(&format!("{text}recheck_days = 0\n")).unwrap_err();
    assert_eq!(e.key, "defaults.recheck_days");
    assert_eq!((d.timeout_s, d.rate_per_host), (15.0, 0.25));
    assert_eq!(d.max_depth, Defaults::default().max_depth);
    assert!(d.respect_robots);
}

#[test]
fn inline_tables_and_dotted_keys_are_accepted() {
    let text = r#"district.name = "a"
district.office = "b"
unit = [{ id = "u", name = "单位" }]
site = [{ id = "s", name = "站", unit = "u", url = "https://a.gov.cn", kind = "street" }]
"#;
    let seeds = parse(text).unwrap();
    assert_eq!(seeds.district.office, "b");
    assert_eq!(seeds.units[0].id, "u");
    assert_eq!(seeds.sites[0].kind, SiteKind::Street);
    assert_eq!(seeds.sites[0].url, "https://a.gov.cn");
}

#[test]
fn laoshan_seeds_load() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds/laoshan.toml");
    let seeds = Seeds::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(seeds.district.name, "青岛市崂山区");
    assert_eq!(seeds.district.office, "崂山区人民政府办公室");
    // No provincial pack ships: the sample names none.
    assert_eq!(seeds.district.province, None);
    assert_eq!(seeds.district.deadline_workdays, Some(10));
    assert_eq!(seeds.defaults.rate_per_host, 0.5);
    assert_eq!(seeds.defaults.timeout_s, 15.0);
    assert!(seeds.defaults.respect_robots);
    let portal = seeds.site("portal").unwrap();
    assert_eq!(portal.url, "http://www.laoshan.gov.cn/");
    assert_eq!(portal.kind, SiteKind::Portal);
    assert_eq!(
        seeds.unit(&portal.unit).unwrap().name,
        "崂山区人民政府办公室"
    );
    for id in [
        "zfb", "xzsp", "jtj", "wjj", "sfj", "fgj", "jtysj", "wlj", "dsj",
    ] {
        assert!(seeds.unit(id).is_some(), "unit {id}");
    }
    for id in [
        "zhonghan",
        "shazikou",
        "wanggezhuang",
        "beizhai",
        "jinjialing",
    ] {
        assert!(
            seeds.unit(id).unwrap().name.ends_with("街道办事处"),
            "unit {id}"
        );
    }
    // Feeds of the accounts are unknown: none is registered rather than an invented URL.
    assert!(seeds.accounts.is_empty());
    // The 2024 report (what a check on 2025-09-30 judges) and the 2025 one (judged from its due day).
    assert_eq!(seeds.disclosures.len(), 2);
    let d = &seeds.disclosures[0];
    assert_eq!(d.name, "2024年政府信息公开工作年度报告");
    assert_eq!(d.r#match, "2024年.*年度报告");
    assert_eq!(d.due, date(2025, 3, 31));
    let d = &seeds.disclosures[1];
    assert_eq!(d.name, "2025年政府信息公开工作年度报告");
    assert_eq!(d.column, "政府信息公开年报");
    assert_eq!(d.r#match, "2025年.*年度报告");
    assert_eq!(d.due, date(2026, 3, 31));
    assert_eq!((d.site.as_str(), d.unit.as_str()), ("portal", "zfb"));
}

// ---------------------------------------------------------------------------------------------
// The error's form.

#[test]
fn error_display_is_one_line_with_file_line_column_key() {
    let e = error(&edit(26, "unit = \"nobody\""));
    assert_eq!(
        e.to_string(),
        "seeds/t.toml:26:8: key `site[0].unit`: unknown unit `nobody`: no [[unit]] has this id"
    );
}

#[test]
fn unreadable_file() {
    let e = Seeds::load(Path::new("/nonexistent/seeds.toml")).unwrap_err();
    assert_eq!((e.line, e.column, e.key.as_str()), (1, 1, "(file)"));
    assert!(e.message.starts_with("cannot read: "), "{e}");
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = "district = { name = \"崂山区\", office = \"办公室\", colour = \"red\" }\n";
    assert_error(
        text,
        1,
        44,
        "district.colour",
        "unknown key `colour` (expected one of `name`, `office`, `province`, `rules`, `rules_override`, `deadline_workdays`, `doc_number`, `contact`, `phone`, `cc`)",
    );
    assert_eq!(parse::line_col("a\n崂山x", 8), (2, 3));
    assert_eq!(parse::line_col("\u{feff}ab", 4), (1, 2));
}

// ---------------------------------------------------------------------------------------------
// Syntax.

#[test]
fn syntax_error_unterminated_string() {
    assert_error(
        &edit(26, "unit = \"zfb"),
        26,
        12,
        "(syntax)",
        "invalid TOML: invalid basic string",
    );
}

#[test]
fn syntax_error_bad_header() {
    assert_error(
        &edit(23, "[[site]"),
        23,
        7,
        "(syntax)",
        "invalid TOML: invalid table header; expected `.`, `]]`",
    );
}

#[test]
fn syntax_error_duplicate_key() {
    assert_error(
        &edit(17, "name = \"a\"\nname = \"b\""),
        18,
        1,
        "(syntax)",
        "invalid TOML: duplicate key `name` in table `unit`",
    );
}

// ---------------------------------------------------------------------------------------------
// Unknown keys.

#[test]
fn unknown_top_level_key() {
    assert_error(
        &edit(1, "title = \"x\""),
        1,
        1,
        "title",
        "unknown key `title` (expected one of `district`, `defaults`, `unit`, `site`, `account`, `disclosure`, `schedule`, `alerts`, `platforms`, `relay`)",
    );
}

#[test]
fn unknown_top_level_table() {
    assert_error(
        &edit(47, "[[acount]]"),
        47,
        3,
        "acount",
        "unknown key `acount` (expected one of `district`, `defaults`, `unit`, `site`, `account`, `disclosure`, `schedule`, `alerts`, `platforms`, `relay`)",
    );
}

#[test]
fn unknown_key_in_district() {
    assert_error(
        &edit(5, "provinse = \"山东省\""),
        5,
        1,
        "district.provinse",
        "unknown key `provinse` (expected one of `name`, `office`, `province`, `rules`, `rules_override`, `deadline_workdays`, `doc_number`, `contact`, `phone`, `cc`)",
    );
}

#[test]
fn unknown_key_in_defaults() {
    assert_error(
        &edit(13, "max_sites = 3"),
        13,
        1,
        "defaults.max_sites",
        "unknown key `max_sites` (expected one of `rate_per_host`, `timeout_s`, `respect_robots`, `max_pages`, `max_depth`, `max_site_seconds`, `reference_urls`, `daily_requests_per_host`, `recheck_days`, `allow_networks`)",
    );
}

#[test]
fn unknown_key_in_unit() {
    assert_error(
        &edit(21, "nmae = \"x\""),
        21,
        1,
        "unit[1].nmae",
        "unknown key `nmae` (expected one of `id`, `name`)",
    );
}

#[test]
fn unknown_key_in_site() {
    assert_error(
        &edit(29, "rate = 0.5"),
        29,
        1,
        "site[0].rate",
        "unknown key `rate` (expected one of `id`, `name`, `unit`, `url`, `kind`, `rate_per_host`, `column`)",
    );
}

#[test]
fn unknown_key_in_site_column() {
    assert_error(
        &edit(
            38,
            "  url = \"https://www.laoshan.gov.cn/gzdt/\"\n  colour = \"red\"",
        ),
        39,
        3,
        "site[0].column[1].colour",
        "unknown key `colour` (expected one of `name`, `url`, `class`)",
    );
}

#[test]
fn unknown_key_in_account() {
    assert_error(
        &edit(52, "feeds = \"http://127.0.0.1/a.xml\""),
        52,
        1,
        "account[0].feeds",
        "unknown key `feeds` (expected one of `id`, `name`, `unit`, `platform`, `feed`, `uid`)",
    );
}

#[test]
fn unknown_key_in_disclosure() {
    assert_error(
        &edit(72, "max_age = 400"),
        72,
        1,
        "disclosure[1].max_age",
        "unknown key `max_age` (expected one of `id`, `unit`, `site`, `name`, `column`, `match`, `due`, `max_age_days`, `every`, `due_month`, `due_day`, `within_workdays`, `must_exist`)",
    );
}

// ---------------------------------------------------------------------------------------------
// Missing keys: at the header of the table that lacks them.

#[test]
fn missing_district_table() {
    let text = VALID.replacen("[district]", "[old]", 1);
    assert_error(&text, 2, 2, "old", "unknown key `old` (expected one of `district`, `defaults`, `unit`, `site`, `account`, `disclosure`, `schedule`, `alerts`, `platforms`, `relay`)");
    let text = "[[unit]]\nid = \"a\"\nname = \"b\"\n";
    assert_error(
        text,
        1,
        1,
        "district",
        "missing required table `[district]`",
    );
}

#[test]
fn missing_key_in_district() {
    assert_error(
        &edit(4, ""),
        2,
        1,
        "district.office",
        "missing required key `office` in this table",
    );
}

#[test]
fn missing_key_in_dotted_district() {
    assert_error(
        "district.name = \"a\"\n",
        1,
        1,
        "district.office",
        "missing required key `office` in this table",
    );
}

#[test]
fn missing_key_in_second_site() {
    assert_error(
        &edit(43, ""),
        40,
        1,
        "site[1].unit",
        "missing required key `unit` in this table",
    );
}

#[test]
fn missing_key_in_site_column() {
    assert_error(
        &edit(38, ""),
        36,
        3,
        "site[0].column[1].url",
        "missing required key `url` in this table",
    );
}

#[test]
fn missing_key_in_account() {
    assert_error(
        &edit(51, ""),
        47,
        1,
        "account[0].platform",
        "missing required key `platform` in this table",
    );
}

#[test]
fn missing_key_in_disclosure() {
    assert_error(
        &edit(60, ""),
        54,
        1,
        "disclosure[0].match",
        "missing required key `match` in this table",
    );
}

// ---------------------------------------------------------------------------------------------
// Wrong types and invalid values.

#[test]
fn wrong_type_rate() {
    assert_error(
        &edit(8, "rate_per_host = \"fast\""),
        8,
        17,
        "defaults.rate_per_host",
        "expected a number, found a string",
    );
}

#[test]
fn wrong_type_bool() {
    assert_error(
        &edit(10, "respect_robots = \"yes\""),
        10,
        18,
        "defaults.respect_robots",
        "expected a boolean (true or false), found a string",
    );
}

#[test]
fn wrong_type_float_for_integer() {
    assert_error(
        &edit(12, "max_depth = 2.5"),
        12,
        13,
        "defaults.max_depth",
        "expected an integer, found a float",
    );
}

#[test]
fn wrong_type_id() {
    assert_error(
        &edit(24, "id = 7"),
        24,
        6,
        "site[0].id",
        "expected a string, found an integer",
    );
}

#[test]
fn wrong_type_district() {
    assert_error(
        &edit(2, "[[district]]"),
        2,
        1,
        "district",
        "expected a table, found an array",
    );
}

#[test]
fn site_as_plain_table() {
    let text = "[district]\nname = \"a\"\noffice = \"b\"\n\n[site]\nid = \"x\"\n";
    assert_error(
        text,
        5,
        1,
        "site",
        "expected an array of tables (`[[site]]`), found a table",
    );
}

#[test]
fn site_column_as_plain_table() {
    let text = r#"[district]
name = "a"
office = "b"
[[unit]]
id = "u"
name = "c"
[[site]]
id = "s"
name = "d"
unit = "u"
url = "http://a.gov.cn/"
kind = "other"
  [site.column]
  name = "通知公告"
"#;
    assert_error(
        text,
        13,
        3,
        "site[0].column",
        "expected an array of tables (`[[site.column]]`), found a table",
    );
}

#[test]
fn invalid_site_kind() {
    assert_error(
        &edit(28, "kind = \"portl\""),
        28,
        8,
        "site[0].kind",
        "invalid value `portl` (expected one of `portal`, `department`, `street`, `other`)",
    );
}

#[test]
fn invalid_platform() {
    assert_error(
        &edit(51, "platform = \"weixin\""),
        51,
        12,
        "account[0].platform",
        "invalid value `weixin` (expected one of `wechat`, `weibo`, `douyin`, `toutiao`, `kuaishou`, `bilibili`, `other`)",
    );
}

#[test]
fn invalid_column_class() {
    assert_error(
        &edit(34, "  class = \"urgent\""),
        34,
        11,
        "site[0].column[0].class",
        "invalid value `urgent` (expected one of `news`, `notice`, `long`, `static`)",
    );
}

// ---------------------------------------------------------------------------------------------
// Duplicate ids: at the second occurrence.

#[test]
fn duplicate_unit_id() {
    assert_error(
        &edit(20, "id = \"zfb\""),
        20,
        6,
        "unit[1].id",
        "duplicate id `zfb`: already used by unit[0] on line 16",
    );
}

#[test]
fn duplicate_site_id() {
    assert_error(
        &edit(41, "id = \"portal\""),
        41,
        6,
        "site[1].id",
        "duplicate id `portal`: already used by site[0] on line 24 (sites and accounts share one set of ids)",
    );
}

#[test]
fn account_id_may_not_repeat_a_site_id() {
    assert_error(
        &edit(48, "id = \"edu\""),
        48,
        6,
        "account[0].id",
        "duplicate id `edu`: already used by site[1] on line 41 (sites and accounts share one set of ids)",
    );
}

#[test]
fn duplicate_disclosure_id() {
    assert_error(
        &edit(65, "id = \"annual-report-2025\""),
        65,
        6,
        "disclosure[1].id",
        "duplicate id `annual-report-2025`: already used by disclosure[0] on line 55",
    );
}

// ---------------------------------------------------------------------------------------------
// References.

#[test]
fn site_names_unknown_unit() {
    assert_error(
        &edit(43, "unit = \"edu\""),
        43,
        8,
        "site[1].unit",
        "unknown unit `edu`: no [[unit]] has this id",
    );
}

#[test]
fn account_names_unknown_unit() {
    assert_error(
        &edit(50, "unit = \"xcb\""),
        50,
        8,
        "account[0].unit",
        "unknown unit `xcb`: no [[unit]] has this id",
    );
}

#[test]
fn disclosure_names_unknown_unit() {
    assert_error(
        &edit(66, "unit = \"JTJ\""),
        66,
        8,
        "disclosure[1].unit",
        "unknown unit `JTJ`: no [[unit]] has this id",
    );
}

#[test]
fn disclosure_names_unknown_site() {
    assert_error(
        &edit(67, "site = \"school\""),
        67,
        8,
        "disclosure[1].site",
        "unknown site `school`: no [[site]] has this id",
    );
    assert_error(
        &edit(67, "site = \"ls-weibo\""),
        67,
        8,
        "disclosure[1].site",
        "unknown site `ls-weibo`: it is an [[account]], not a [[site]]",
    );
}

// ---------------------------------------------------------------------------------------------
// URLs.

#[test]
fn site_url_without_scheme() {
    assert_error(
        &edit(27, "url = \"www.laoshan.gov.cn\""),
        27,
        7,
        "site[0].url",
        "invalid URL `www.laoshan.gov.cn`: relative URL without a base",
    );
}

#[test]
fn relative_column_url() {
    assert_error(
        &edit(33, "  url = \"/tzgg/index.html\""),
        33,
        9,
        "site[0].column[0].url",
        "invalid URL `/tzgg/index.html`: relative URL without a base",
    );
}

#[test]
fn feed_url_with_other_scheme() {
    assert_error(
        &edit(52, "feed = \"ftp://127.0.0.1/ls.xml\""),
        52,
        8,
        "account[0].feed",
        "invalid URL `ftp://127.0.0.1/ls.xml`: the scheme must be http or https, not `ftp`",
    );
}

#[test]
fn url_without_host() {
    assert_error(
        &edit(44, "url = \"http://\""),
        44,
        7,
        "site[1].url",
        "invalid URL `http://`: empty host",
    );
}

// ---------------------------------------------------------------------------------------------
// Numbers.

#[test]
fn zero_rate() {
    assert_error(
        &edit(8, "rate_per_host = 0"),
        8,
        17,
        "defaults.rate_per_host",
        "must be a finite number greater than 0, found 0",
    );
}

#[test]
fn nan_rate() {
    assert_error(
        &edit(8, "rate_per_host = nan"),
        8,
        17,
        "defaults.rate_per_host",
        "must be a finite number greater than 0, found NaN",
    );
}

#[test]
fn negative_timeout() {
    assert_error(
        &edit(9, "timeout_s = -1.5"),
        9,
        13,
        "defaults.timeout_s",
        "must be a finite number greater than 0, found -1.5",
    );
}

#[test]
fn zero_site_rate() {
    assert_error(
        &edit(29, "rate_per_host = 0.0"),
        29,
        17,
        "site[0].rate_per_host",
        "must be a finite number greater than 0, found 0",
    );
}

#[test]
fn zero_max_pages() {
    assert_error(
        &edit(11, "max_pages = 0"),
        11,
        13,
        "defaults.max_pages",
        "must be a positive integer, found 0",
    );
}

#[test]
fn zero_max_site_seconds() {
    assert_error(
        &edit(13, "max_site_seconds = 0"),
        13,
        20,
        "defaults.max_site_seconds",
        "must be a positive integer, found 0",
    );
}

#[test]
fn max_depth_too_large() {
    assert_error(
        &edit(12, "max_depth = 5000000000"),
        12,
        13,
        "defaults.max_depth",
        "must be at most 4294967295, found 5000000000",
    );
}

#[test]
fn negative_max_age_days() {
    assert_error(
        &edit(62, "max_age_days = -1"),
        62,
        16,
        "disclosure[0].max_age_days",
        "must not be negative, found -1",
    );
}

// ---------------------------------------------------------------------------------------------
// Regexes and dates.

#[test]
fn invalid_regex() {
    assert_error(
        &edit(60, "match = \"2025年(.*\""),
        60,
        9,
        "disclosure[0].match",
        "invalid regex `2025年(.*`: unclosed group",
    );
}

#[test]
fn impossible_due_date() {
    assert_error(
        &edit(61, "due = \"2026-02-30\""),
        61,
        7,
        "disclosure[0].due",
        "invalid date `2026-02-30`: expected a calendar date as YYYY-MM-DD",
    );
}

#[test]
fn due_date_in_other_format() {
    assert_error(
        &edit(61, "due = \"2026/3/31\""),
        61,
        7,
        "disclosure[0].due",
        "invalid date `2026/3/31`: expected a calendar date as YYYY-MM-DD",
    );
}

#[test]
fn due_date_with_time() {
    assert_error(
        &edit(71, "due = 2026-01-31T12:00:00"),
        71,
        7,
        "disclosure[1].due",
        "expected a date as YYYY-MM-DD, found the date-time `2026-01-31T12:00:00`",
    );
}

#[test]
fn due_date_of_wrong_type() {
    assert_error(
        &edit(71, "due = 20260131"),
        71,
        7,
        "disclosure[1].due",
        "expected a date as YYYY-MM-DD, found an integer",
    );
}

// ---------------------------------------------------------------------------------------------
// Empty strings and bad ids.

#[test]
fn empty_id() {
    assert_error(
        &edit(16, "id = \"\""),
        16,
        6,
        "unit[0].id",
        "must not be empty",
    );
}

#[test]
fn blank_name() {
    assert_error(
        &edit(25, "name = \"  \""),
        25,
        8,
        "site[0].name",
        "must not be empty",
    );
}

#[test]
fn empty_district_name() {
    assert_error(
        &edit(3, "name = \"\""),
        3,
        8,
        "district.name",
        "must not be empty",
    );
}

#[test]
fn id_with_a_slash() {
    assert_error(
        &edit(55, "id = \"reports/2025\""),
        55,
        6,
        "disclosure[0].id",
        "invalid id `reports/2025`: no whitespace, control characters, `/` or `\\` allowed",
    );
}

#[test]
fn array_element_that_is_not_a_table() {
    let text = "unit = [\"zfb\"]\n[district]\nname = \"a\"\noffice = \"b\"\n";
    assert_error(text, 1, 9, "unit[0]", "expected a table, found a string");
}

#[test]
fn max_age_days_too_large() {
    assert_error(
        &edit(72, "max_age_days = 4294967296"),
        72,
        16,
        "disclosure[1].max_age_days",
        "must be at most 4294967295, found 4294967296",
    );
}

// ---------------------------------------------------------------------------------------------
// Recurring and presence-only disclosures: `every`, `within_workdays`, `must_exist`.

#[test]
fn yearly_disclosure() {
    let text = edits(&[
        (60, "match = \"{year}年.*年度报告\""),
        (61, "every = \"year\""),
        (62, "due_month = 3\ndue_day = 31"),
    ]);
    let seeds = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let d = &seeds.disclosures[0];
    assert_eq!(d.schedule, Schedule::Yearly { month: 3, day: 31 });
    assert_eq!((d.due, d.max_age_days), (None, 0));
    assert_eq!(d.r#match, "{year}年.*年度报告");
    assert_eq!(d.pattern_for(2026), "2025年.*年度报告");
}

#[test]
fn within_workdays_and_must_exist_disclosures() {
    let seeds = parse(&edits(&[(71, "within_workdays = 7"), (72, "")])).unwrap();
    assert_eq!(
        seeds.disclosures[1].schedule,
        Schedule::WithinWorkdays { workdays: 7 }
    );
    let seeds = parse(&edits(&[(71, "must_exist = true"), (72, "")])).unwrap();
    assert_eq!(seeds.disclosures[1].schedule, Schedule::MustExist);
    assert_eq!(seeds.disclosures[1].pattern_for(2026), "预算");
    // `must_exist = false` says nothing: `due` and `max_age_days` still apply.
    let seeds = parse(&edit(72, "must_exist = false\nmax_age_days = 400")).unwrap();
    assert_eq!(seeds.disclosures[1].schedule, Schedule::Fixed);
    assert_eq!(seeds.disclosures[1].due, date(2026, 1, 31));
}

#[test]
fn yearly_disclosure_without_due_day() {
    assert_error(
        &edits(&[(61, "every = \"year\""), (62, "due_month = 1")]),
        54,
        1,
        "disclosure[0].due_day",
        "missing required key `due_day` in this table (`every = \"year\"` needs `due_month` and `due_day`)",
    );
}

#[test]
fn yearly_disclosure_with_a_fixed_due_date() {
    assert_error(
        &edit(62, "every = \"year\"\ndue_month = 1\ndue_day = 31"),
        61,
        1,
        "disclosure[0].due",
        "`due` contradicts `every`: remove one (`due` is for a one-off deadline or a calendar-day age)",
    );
}

#[test]
fn within_workdays_with_max_age_days() {
    assert_error(
        &edit(71, "within_workdays = 7"),
        72,
        1,
        "disclosure[1].max_age_days",
        "`max_age_days` contradicts `within_workdays`: remove one (`max_age_days` is for a one-off deadline or a calendar-day age)",
    );
}

#[test]
fn two_kinds_in_one_disclosure() {
    assert_error(
        &edits(&[(71, "within_workdays = 7\nmust_exist = true"), (72, "")]),
        72,
        1,
        "disclosure[1].must_exist",
        "`must_exist` contradicts `within_workdays`: a row is yearly (`every`), refreshed (`within_workdays`) or presence-only (`must_exist`), not several",
    );
}

#[test]
fn due_month_without_every() {
    assert_error(
        &edit(72, "due_month = 1"),
        72,
        1,
        "disclosure[1].due_month",
        "`due_month` needs `every = \"year\"`",
    );
}

#[test]
fn every_other_than_year() {
    assert_error(
        &edits(&[
            (61, "every = \"month\""),
            (62, "due_month = 1\ndue_day = 31"),
        ]),
        61,
        9,
        "disclosure[0].every",
        "invalid value `month` (expected one of `year`)",
    );
}

#[test]
fn yearly_due_day_not_in_the_month() {
    assert_error(
        &edits(&[
            (61, "every = \"year\""),
            (62, "due_month = 2\ndue_day = 29"),
        ]),
        63,
        11,
        "disclosure[0].due_day",
        "month 2 has no day 29 (in every year)",
    );
    assert_error(
        &edits(&[
            (61, "every = \"year\""),
            (62, "due_month = 13\ndue_day = 1"),
        ]),
        62,
        13,
        "disclosure[0].due_month",
        "must be at most 12, found 13",
    );
}

#[test]
fn zero_within_workdays() {
    assert_error(
        &edits(&[(71, "within_workdays = 0"), (72, "")]),
        71,
        19,
        "disclosure[1].within_workdays",
        "must be a positive integer, found 0",
    );
}

#[test]
fn must_exist_of_wrong_type() {
    assert_error(
        &edits(&[(71, "must_exist = \"yes\""), (72, "")]),
        71,
        14,
        "disclosure[1].must_exist",
        "expected a boolean (true or false), found a string",
    );
}

#[test]
fn year_placeholder_needs_every() {
    assert_error(
        &edit(60, "match = \"{year}年.*年度报告\""),
        60,
        9,
        "disclosure[0].match",
        "`{year}` is only replaced in a yearly item: add `every = \"year\"` with `due_month` and `due_day`",
    );
}

#[test]
fn article20_catalog_loads_when_pasted() {
    let catalog = include_str!("../../../seeds/catalog/district-article20.toml");
    let text = format!(
        "[district]\nname = \"示范区\"\noffice = \"示范区人民政府办公室\"\n\n\
         [[unit]]\nid = \"zfb\"\nname = \"示范区人民政府办公室\"\n\n\
         [[site]]\nid = \"portal\"\nname = \"示范区人民政府门户网站\"\nunit = \"zfb\"\n\
         url = \"https://www.example.gov.cn/\"\nkind = \"portal\"\n\n{catalog}"
    );
    let seeds = parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let kinds =
        |f: fn(&Schedule) -> bool| seeds.disclosures.iter().filter(|d| f(&d.schedule)).count();
    assert!(seeds.disclosures.len() >= 15, "{}", seeds.disclosures.len());
    assert!(kinds(|s| *s == Schedule::MustExist) >= 10);
    assert_eq!(
        kinds(|s| matches!(s, Schedule::WithinWorkdays { workdays: 7 })),
        2
    );
    assert_eq!(kinds(|s| matches!(s, Schedule::Yearly { .. })), 2);
    assert_eq!(kinds(|s| *s == Schedule::Fixed), 0);
    for column in [
        "政府信息公开指南",
        "机构职能",
        "权责清单",
        "财政预决算",
        "政府信息公开年报",
        "政府网站工作年度报表",
        "行政许可",
        "行政处罚",
    ] {
        assert!(
            seeds.disclosures.iter().any(|d| d.column == column),
            "no row in {column}"
        );
    }
    let report = seeds
        .disclosures
        .iter()
        .find(|d| d.id == "a49-annual-report")
        .unwrap();
    assert_eq!(report.schedule, Schedule::Yearly { month: 3, day: 31 });
    assert_eq!(report.pattern_for(2026), "2025年.*政府信息公开工作年度报告");
}

#[test]
fn district_names_its_rule_pack_and_overrides_relative_to_the_seeds_file() {
    let text = "[district]\nname = \"d\"\noffice = \"o\"\nrules = \"rules/pack.toml\"\nrules_override = [\"rules/shandong.toml\", \"rules/district.toml\"]\n";
    let seeds = parse(text).unwrap();
    assert_eq!(
        seeds.district.rules,
        Some(Path::new("seeds/rules/pack.toml").into())
    );
    assert_eq!(
        seeds.district.rules_override,
        [
            Path::new("seeds/rules/shandong.toml"),
            Path::new("seeds/rules/district.toml")
        ]
    );
    assert_error(
        "[district]\nname = \"d\"\noffice = \"o\"\nrules_override = [\"a.toml\", 3]\n",
        4,
        29,
        "district.rules_override[1]",
        "expected a file path (a string), found an integer",
    );
}

#[test]
fn the_documents_optional_keys_are_read_and_checked() {
    let text = VALID.replace(
        "[district]\n",
        "[district]\ndeadline_workdays = 15\ndoc_number = \"崂政办字〔2025〕12号\"\n\
         contact = \"张三\"\nphone = \"0532-88990000\"\ncc = [\"区委办公室\", \"区人大常委会办公室\"]\n",
    );
    let seeds = Seeds::parse(Path::new("s.toml"), &text).unwrap();
    let d = &seeds.district;
    assert_eq!(d.deadline_workdays, Some(15));
    assert_eq!(d.doc_number.as_deref(), Some("崂政办字〔2025〕12号"));
    assert_eq!(d.contact.as_deref(), Some("张三"));
    assert_eq!(d.phone.as_deref(), Some("0532-88990000"));
    assert_eq!(d.cc, ["区委办公室", "区人大常委会办公室"]);

    let bad = VALID.replace("[district]\n", "[district]\ncc = [\"区委办公室\", 3]\n");
    let e = Seeds::parse(Path::new("s.toml"), &bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("district.cc[1]"), "{e}");
    let bad = VALID.replace("[district]\n", "[district]\ndeadline_workdays = 0\n");
    let e = Seeds::parse(Path::new("s.toml"), &bad)
        .unwrap_err()
        .to_string();
    assert!(e.contains("district.deadline_workdays"), "{e}");
}

#[test]
fn reference_urls_are_urls() {
    let text = VALID.replace(
        "max_site_seconds = 600\n",
        "max_site_seconds = 600\nreference_urls = [\"https://www.gov.cn/\"]\n",
    );
    let seeds = Seeds::parse(Path::new("s.toml"), &text).unwrap();
    assert_eq!(seeds.defaults.reference_urls, ["https://www.gov.cn/"]);
    let bad = VALID.replace(
        "max_site_seconds = 600\n",
        "max_site_seconds = 600\nreference_urls = [\"https://www.gov.cn/\", \"ftp://x\"]\n",
    );
    let e = Seeds::parse(Path::new("s.toml"), &bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("defaults.reference_urls[1]") && e.contains("http or https"),
        "{e}"
    );
}

#[test]
fn allowed_networks_are_address_ranges_and_a_bad_one_is_pointed_at() {
    let text = VALID.replace(
        "max_site_seconds = 600\n",
        "max_site_seconds = 600\nallow_networks = [\"10.20.0.0/16\", \"fd00::/8\"]\n",
    );
    let seeds = Seeds::parse(Path::new("s.toml"), &text).unwrap();
    assert_eq!(
        seeds.defaults.allow_networks,
        vec![
            "10.20.0.0/16".parse::<ipnet::IpNet>().unwrap(),
            "fd00::/8".parse().unwrap()
        ]
    );
    let bad = VALID.replace(
        "max_site_seconds = 600\n",
        "max_site_seconds = 600\nallow_networks = [\"10.20.0.0/16\", \"intranet\"]\n",
    );
    let e = Seeds::parse(Path::new("s.toml"), &bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("defaults.allow_networks[1]") && e.contains("`intranet`") && e.contains("CIDR"),
        "{e}"
    );
}

#[test]
fn a_schedule_overrides_the_default_times_and_a_bad_expression_is_pointed_at() {
    let base = "[district]\nname = \"a\"\noffice = \"b\"\n";
    assert_eq!(parse(base).unwrap().schedule, Timetable::default());
    let seeds = parse(&format!(
        "{base}[schedule]\nprobe = \"0 0/20 * * * *\"\nkeep_days = 400\n"
    ))
    .unwrap();
    assert_eq!(seeds.schedule.probe, "0 0/20 * * * *");
    assert_eq!(seeds.schedule.crawl, Timetable::default().crawl);
    assert_eq!(seeds.schedule.keep_days, 400);
    let bad = format!("{base}[schedule]\ncrawl = \"every night\"\n");
    let e = parse(&bad).unwrap_err();
    assert_eq!((e.line, e.column, e.key.as_str()), (5, 9, "schedule.crawl"));
    assert!(e.message.contains("is not a cron expression"), "{e}");
    let e = parse(&format!("{base}[schedule]\naccounts = \"0 0 7 * * *\"\n")).unwrap_err();
    assert_eq!(e.key, "schedule.accounts");
    let e = parse(&format!("{base}[schedule]\nkeep_days = 0\n")).unwrap_err();
    assert_eq!(e.key, "schedule.keep_days");
}

#[test]
fn alerts_name_their_channels_and_a_slip_is_pointed_at() {
    let base = "[district]\nname = \"a\"\noffice = \"b\"\n";
    assert!(parse(base).unwrap().alerts.is_empty());
    let seeds = parse(&format!(
        "{base}[[alerts.webhook]]\nkind = \"wecom\"\nurl = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k\"\n\
         [[alerts.webhook]]\nkind = \"dingtalk\"\nurl = \"https://oapi.dingtalk.com/robot/send?access_token=t\"\nsecret_env = \"DING_SECRET\"\n\
         [alerts.email]\nserver = \"smtp.example.gov.cn\"\nfrom = \"巡检 <xunjian@example.gov.cn>\"\nto = [\"office@example.gov.cn\"]\npassword_env = \"SMTP_PASSWORD\"\n"
    ))
    .unwrap();
    let a = &seeds.alerts;
    assert_eq!(a.webhooks.len(), 2);
    assert_eq!(a.webhooks[0].kind, WebhookKind::Wecom);
    assert_eq!(a.webhooks[1].secret_env.as_deref(), Some("DING_SECRET"));
    let email = a.email.as_ref().unwrap();
    assert_eq!((email.port, email.security), (465, SmtpSecurity::Tls));
    assert_eq!(email.to, ["office@example.gov.cn"]);

    let e = parse(&format!(
        "{base}[[alerts.webhook]]\nkind = \"slack\"\nurl = \"http://h/\"\n"
    ))
    .unwrap_err();
    assert_eq!((e.line, e.key.as_str()), (5, "alerts.webhook[0].kind"));
    assert!(
        e.message
            .contains("expected one of `wecom`, `dingtalk`, `feishu`"),
        "{e}"
    );
    let e = parse(&format!(
        "{base}[alerts.email]\nserver = \"s\"\nfrom = \"x@example.gov.cn\"\nto = [\"a@example.gov.cn\", \"office\"]\n"
    ))
    .unwrap_err();
    assert_eq!(
        (e.line, e.column, e.key.as_str()),
        (7, 27, "alerts.email.to[1]")
    );
    assert_eq!(e.message, "`office` is not a mail address");
    let e = parse(&format!("{base}[alerts]\nsms = \"1\"\n")).unwrap_err();
    assert_eq!(e.key, "alerts.sms");
    let e = parse(&format!(
        "{base}[alerts.email]\nserver = \"s\"\nfrom = \"x@example.gov.cn\"\n"
    ))
    .unwrap_err();
    assert_eq!(e.key, "alerts.email.to");
}

#[test]
fn an_account_by_uid_reads_its_platforms_endpoint_under_the_configured_base() {
    let s = parse(&edit(52, "uid = \"6279793937\"")).unwrap();
    assert_eq!(
        s.accounts[0].feed.as_deref(),
        Some("https://m.weibo.cn/api/container/getIndex?type=uid&value=6279793937&containerid=1076036279793937")
    );
    assert_eq!(s.accounts[0].uid.as_deref(), Some("6279793937"));
    let mut text = edits(&[(51, "platform = \"bilibili\""), (52, "uid = \"12345\"")]);
    text.push_str(
        "\n[platforms.bilibili]\nbase = \"http://127.0.0.1:9/\"\ncookie_env = \"XUNJIAN_BILI_COOKIE\"\n",
    );
    let s = parse(&text).unwrap();
    assert_eq!(
        s.accounts[0].feed.as_deref(),
        Some("http://127.0.0.1:9/x/polymer/web-dynamic/v1/feed/space?host_mid=12345&timezone_offset=-480&features=itemOpusStyle")
    );
    assert_eq!(
        s.platforms,
        [PlatformSetup {
            platform: Platform::Bilibili,
            base: "http://127.0.0.1:9/".into(),
            cookie_env: Some("XUNJIAN_BILI_COOKIE".into()),
        }]
    );
}

#[test]
fn an_account_without_feed_or_uid_is_left_to_a_person() {
    let s = parse(&edits(&[(51, "platform = \"douyin\""), (52, "")])).unwrap();
    assert_eq!(s.accounts[0].feed, None);
}

#[test]
fn uid_errors_name_the_key() {
    assert_error(
        &edit(52, "feed = \"http://127.0.0.1/a.xml\"\nuid = \"1\""),
        53,
        7,
        "account[0].uid",
        "give either `feed` or `uid`, not both",
    );
    assert_error(
        &edits(&[(51, "platform = \"douyin\""), (52, "uid = \"1\"")]),
        52,
        7,
        "account[0].uid",
        "xunjian reads a `uid` only on weibo and bilibili, not on douyin: give a `feed`",
    );
    let mut text = VALID.to_string();
    text.push_str("\n[platforms.weixin]\nbase = \"http://127.0.0.1:9/\"\n");
    let e = error(&text);
    assert_eq!(e.key, "platforms.weixin", "{e}");
    let mut text = VALID.to_string();
    text.push_str("\n[platforms.weibo]\nbase = \"http://127.0.0.1:9/\"\ncookie = \"SUB=x\"\n");
    let e = error(&text);
    assert_eq!(e.key, "platforms.weibo.cookie", "{e}");
}

/// A minimal file with `relay` appended as one `[[relay]]` table (line 5 on).
fn with_relay(relay: &str) -> String {
    format!(
        "[district]\nname = \"示范区\"\noffice = \"示范区人民政府办公室\"\n\n[[relay]]\n{relay}"
    )
}

#[test]
fn relay_items_are_read_and_checked() {
    let seeds = parse(&with_relay(
        "id = \"plenum\"\nname = \"区委全会精神\"\nmatch = \"全会\"\npublished = 2025-09-10\nkinds = [\"portal\", \"account\"]\n",
    ))
    .unwrap();
    let r = &seeds.relays[0];
    assert_eq!(
        (r.id.as_str(), r.within_days),
        ("plenum", 3),
        "3 days by default"
    );
    assert_eq!(r.due().to_string(), "2025-09-13");
    assert!(r.for_site(SiteKind::Portal) && !r.for_site(SiteKind::Street) && r.for_accounts());
    let head = "id = \"plenum\"\nname = \"区委全会精神\"\n";
    assert_error(
        &with_relay(&format!(
            "{head}match = \"全会(\"\npublished = 2025-09-10\nkinds = [\"portal\"]\n"
        )),
        8,
        9,
        "relay[0].match",
        "invalid regex `全会(`: unclosed group",
    );
    assert_error(
        &with_relay(&format!("{head}match = \"全会\"\nkinds = [\"portal\"]\n")),
        5,
        1,
        "relay[0].published",
        "missing required key `published` in this table",
    );
    assert_error(
        &with_relay(&format!(
            "{head}match = \"全会\"\npublished = 2025-09-10\nkinds = [\"portal\", \"weibo\"]\n"
        )),
        10,
        9,
        "relay[0].kinds[1]",
        "unknown kind `weibo`: one of `portal`, `department`, `street`, `other`, `account`",
    );
    assert_error(
        &with_relay(&format!(
            "{head}match = \"全会\"\npublished = 2025-09-10\nkinds = [\"portal\"]\nsites = 2\n"
        )),
        11,
        1,
        "relay[0].sites",
        "unknown key `sites` (expected one of `id`, `name`, `match`, `published`, `within_days`, `kinds`)",
    );
}
