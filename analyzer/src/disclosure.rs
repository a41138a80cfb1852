//! 法定主动公开内容: is each catalogued item on its column, and was it on time?

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use xunjian_model::finding::Finding;
use xunjian_model::observe::ListItem;
use xunjian_model::seeds::{Disclosure, Schedule};

use crate::calendar::{OutOfRange, WorkCalendar};
use crate::columns::JudgedColumn;
use crate::view::{page_identity, SiteView};

/// The outcome for one disclosure row.
#[derive(Debug, Clone, PartialEq)]
pub enum DisclosureOutcome {
    /// Present (and on time where a deadline applies).
    Ok,
    /// A finding: missing or late.
    Finding(Finding),
    /// The column's page could not be read: nothing can be said.
    Unknown(String),
}

/// Judge one disclosure row against the site's columns.
///
/// - `due` / `max_age_days`: late when the first match is after `due`, or the newest match is more
///   than `max_age_days` calendar days old; a `due` still to come (on or after as-of) is not judged.
/// - yearly (`every = "year"`): the previous year's item is due on `due_month`-`due_day` of the
///   as-of year; before that day nothing is judged, after it a missing item is `disclosure.missing`
///   and a first match after it `disclosure.late` (with `due` the computed date).
/// - `within_workdays = N`: late when the newest match is more than N working days old (`due` is
///   the date N working days before as-of); needs `calendar`, and a date it does not cover makes the
///   row unknown, never a finding.
/// - `must_exist`: presence only.
pub fn judge(
    d: &Disclosure,
    view: &SiteView,
    columns: &[JudgedColumn],
    crawl_complete: bool,
    as_of: NaiveDate,
    calendar: Option<&WorkCalendar>,
) -> DisclosureOutcome {
    match effective_due(d, as_of, calendar) {
        Deadline::Judge(_) => {}
        Deadline::NotYet => return DisclosureOutcome::Ok,
        Deadline::Unknown(why) => return DisclosureOutcome::Unknown(why),
    }
    let column = find_column(d, columns);
    let (items, where_url, seen): (Vec<&ListItem>, String, Option<String>) = match column {
        Some(c) => {
            let Some(items) = view.column_items(&c.column.url) else {
                return DisclosureOutcome::Unknown(format!(
                    "栏目「{}」页面无法获取",
                    c.column.name
                ));
            };
            (items, c.column.url.clone(), c.seen.clone())
        }
        None => {
            // The column was not found: look through every list on the site before saying "missing".
            if !crawl_complete {
                return DisclosureOutcome::Unknown(format!(
                    "未找到栏目「{}」且抓取未完成",
                    d.column
                ));
            }
            let items = view
                .records
                .pages
                .values()
                .filter_map(|p| p.facts.as_ref())
                .flat_map(|f| f.items.iter())
                .collect();
            (
                items,
                view.home_url.clone(),
                view.home().map(|h| h.fetch.fetched_at.clone()),
            )
        }
    };
    let place = match column {
        Some(c) => format!("栏目「{}」（{}）", c.column.name, c.column.url),
        None => format!("网站（未找到栏目「{}」）", d.column),
    };
    judge_items(d, &items, &place, where_url, seen, as_of, calendar)
}

/// The judgement of a row over the items found where it must appear (`place` describes where, for
/// the evidence).
fn judge_items(
    d: &Disclosure,
    items: &[&ListItem],
    place: &str,
    where_url: String,
    seen: Option<String>,
    as_of: NaiveDate,
    calendar: Option<&WorkCalendar>,
) -> DisclosureOutcome {
    let due = match effective_due(d, as_of, calendar) {
        Deadline::Judge(due) => due,
        Deadline::NotYet => return DisclosureOutcome::Ok,
        Deadline::Unknown(why) => return DisclosureOutcome::Unknown(why),
    };
    let source = d.pattern_for(as_of.year());
    let Ok(pattern) = Regex::new(&source) else {
        return DisclosureOutcome::Unknown(format!("匹配规则无效：{source}"));
    };
    let matching: Vec<&ListItem> = items
        .iter()
        .copied()
        .filter(|i| pattern.is_match(&i.title))
        .collect();
    if matching.is_empty() {
        return DisclosureOutcome::Finding(Finding::DisclosureMissing {
            item: d.id.clone(),
            url: where_url,
            evidence: format!("在{place}中未找到标题匹配“{source}”的「{}」", d.name),
            seen,
        });
    }
    if d.schedule == Schedule::MustExist {
        return DisclosureOutcome::Ok;
    }
    if let Schedule::WithinWorkdays { workdays } = d.schedule {
        let Some(calendar) = calendar else {
            return DisclosureOutcome::Unknown("未提供工作日历，无法计算工作日".into());
        };
        let due = match workdays_before(calendar, as_of, workdays) {
            Ok(due) => due,
            Err(e) => return DisclosureOutcome::Unknown(format!("无法计算工作日：{e}")),
        };
        let newest = matching
            .iter()
            .filter_map(|i| i.date)
            .filter(|p| *p <= as_of)
            .max();
        if newest.is_none_or(|p| p < due) {
            return DisclosureOutcome::Finding(Finding::DisclosureLate {
                item: d.id.clone(),
                published: newest.map(|p| p.to_string()),
                due: due.to_string(),
                url: Some(where_url),
                evidence: format!(
                    "「{}」最近一次更新为{}，超过{workdays}个工作日未更新（应不早于{due}）",
                    d.name,
                    newest
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "未注明日期".into()),
                ),
                seen,
            });
        }
        return DisclosureOutcome::Ok;
    }
    if let Some(due) = due {
        let first = matching.iter().filter_map(|i| i.date).min();
        let late = first.is_none_or(|p| p > due);
        if late {
            return DisclosureOutcome::Finding(Finding::DisclosureLate {
                item: d.id.clone(),
                published: first.map(|p| p.to_string()),
                due: due.to_string(),
                url: Some(where_url),
                evidence: match first {
                    Some(p) => format!("「{}」发布于{p}，晚于规定期限{due}", d.name),
                    None => format!("「{}」未注明发布日期，无法证明在{due}前发布", d.name),
                },
                seen,
            });
        }
    }
    if d.max_age_days > 0 {
        let newest = matching
            .iter()
            .filter_map(|i| i.date)
            .filter(|p| *p <= as_of)
            .max();
        let due = as_of - chrono::Days::new(u64::from(d.max_age_days));
        if newest.is_none_or(|p| p < due) {
            return DisclosureOutcome::Finding(Finding::DisclosureLate {
                item: d.id.clone(),
                published: newest.map(|p| p.to_string()),
                due: due.to_string(),
                url: Some(where_url),
                evidence: format!(
                    "「{}」最近一次更新为{}，超过{}天未更新",
                    d.name,
                    newest
                        .map(|p| p.to_string())
                        .unwrap_or_else(|| "未注明日期".into()),
                    d.max_age_days
                ),
                seen,
            });
        }
    }
    DisclosureOutcome::Ok
}

/// What a row's schedule says at `as_of`, before any item is looked at.
enum Deadline {
    /// Judge the items, against this deadline if any (`due`, or a yearly row's computed date).
    Judge(Option<NaiveDate>),
    /// A yearly row before its due date: nothing to say.
    NotYet,
    /// Cannot be judged (a working-day row without a calendar).
    Unknown(String),
}

fn effective_due(d: &Disclosure, as_of: NaiveDate, calendar: Option<&WorkCalendar>) -> Deadline {
    match d.schedule {
        Schedule::Yearly { month, day } => {
            match NaiveDate::from_ymd_opt(as_of.year(), month, day) {
                None => Deadline::Unknown(format!("截止日期{month}月{day}日无效")),
                Some(due) if as_of <= due => Deadline::NotYet,
                Some(due) => Deadline::Judge(Some(due)),
            }
        }
        Schedule::WithinWorkdays { .. } if calendar.is_none() => {
            Deadline::Unknown("未提供工作日历，无法计算工作日".into())
        }
        // A fixed date still to come: nothing is missing or late yet.
        _ if d.due.is_some_and(|due| as_of <= due) => Deadline::NotYet,
        _ => Deadline::Judge(d.due),
    }
}

/// The earliest date that is at most `n` working days before `date`: a newest item on or after it
/// is within `n` working days (the start day is not counted, as in [`WorkCalendar`]).
fn workdays_before(cal: &WorkCalendar, date: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
    let mut d = date;
    let mut counted = 0;
    loop {
        if cal.is_workday(d)? {
            if counted == n {
                return Ok(d);
            }
            counted += 1;
        }
        let (start, end) = cal.covers();
        d = d.pred_opt().ok_or(OutOfRange {
            date: d,
            start,
            end,
            file: std::path::PathBuf::new(),
        })?;
    }
}

/// A column name as compared: spaces and a trailing 专栏/栏目 dropped, 年度报告 said as 年报
/// (「政府信息公开年度报告」 and 「政府信息公开年报」 are the same column).
fn column_key(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    let name = name.replace("年度报告", "年报");
    let name = name.trim_end_matches("专栏").trim_end_matches("栏目");
    name.to_string()
}

/// The column a row must appear in, among every column discovered: by its registered URL (under
/// any of its names), else by its name, exactly or, failing that, as compared by [`column_key`].
fn find_column<'c>(d: &Disclosure, columns: &'c [JudgedColumn]) -> Option<&'c JudgedColumn> {
    let by_url = columns
        .iter()
        .find(|c| page_identity(&c.column.url) == page_identity(&d.column));
    let key = column_key(&d.column);
    by_url
        .or_else(|| columns.iter().find(|c| c.column.name == d.column))
        .or_else(|| {
            columns
                .iter()
                .find(|c| !key.is_empty() && column_key(&c.column.name) == key)
        })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use xunjian_model::observe::DateSource;

    use super::*;

    /// 2025-09-01 to 2025-10-31 with 国庆/中秋 (10/1–10/8 off, 9/28 and 10/11 worked).
    const CAL: &str = r#"
holidays = ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06",
            "2025-10-07", "2025-10-08"]
workdays = ["2025-09-28", "2025-10-11"]
[meta]
source = "国办发明电〔2024〕12号"
covers = ["2025-09-01", "2025-10-31"]
"#;

    fn cal() -> WorkCalendar {
        WorkCalendar::parse(Path::new("cal.toml"), CAL).unwrap_or_else(|e| panic!("{e}"))
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn row(pattern: &str, schedule: Schedule) -> Disclosure {
        Disclosure {
            id: "row".into(),
            unit: "zfb".into(),
            site: "portal".into(),
            name: "事项".into(),
            column: "栏目".into(),
            r#match: pattern.into(),
            due: None,
            max_age_days: 0,
            schedule,
        }
    }

    fn item(title: &str, date: Option<&str>) -> ListItem {
        ListItem {
            title: title.into(),
            url: format!("http://s.test/{}.html", title.len()),
            date: date.map(d),
            date_source: DateSource::List,
            reply: None,
        }
    }

    fn run(
        row: &Disclosure,
        items: &[ListItem],
        as_of: &str,
        cal: Option<&WorkCalendar>,
    ) -> DisclosureOutcome {
        let items: Vec<&ListItem> = items.iter().collect();
        judge_items(
            row,
            &items,
            "栏目「栏目」",
            "http://s.test/lm/".into(),
            None,
            d(as_of),
            cal,
        )
    }

    fn late(outcome: &DisclosureOutcome) -> (Option<String>, String) {
        match outcome {
            DisclosureOutcome::Finding(Finding::DisclosureLate { published, due, .. }) => {
                (published.clone(), due.clone())
            }
            other => panic!("expected disclosure.late, got {other:?}"),
        }
    }

    fn is_missing(outcome: &DisclosureOutcome) -> bool {
        matches!(
            outcome,
            DisclosureOutcome::Finding(Finding::DisclosureMissing { .. })
        )
    }

    const YEARLY: Schedule = Schedule::Yearly { month: 1, day: 31 };

    fn annual_reports() -> Vec<ListItem> {
        vec![
            item("2023年部门工作年度报告", Some("2024-01-20")),
            item("2024年部门工作年度报告", Some("2025-01-24")),
        ]
    }

    #[test]
    fn yearly_on_time_uses_the_previous_year() {
        let r = row("{year}年.*年度报告", YEARLY);
        assert_eq!(
            run(&r, &annual_reports(), "2025-09-30", None),
            DisclosureOutcome::Ok
        );
    }

    #[test]
    fn yearly_late_reports_the_computed_due_date() {
        let r = row("{year}年.*年度报告", YEARLY);
        let items = vec![item("2024年部门工作年度报告", Some("2025-02-10"))];
        let out = run(&r, &items, "2025-09-30", None);
        assert_eq!(late(&out), (Some("2025-02-10".into()), "2025-01-31".into()));
    }

    #[test]
    fn yearly_missing_after_the_due_date() {
        // Only the report for 2023 is there: in 2026 the one for 2025 is looked for.
        let r = row("{year}年.*年度报告", YEARLY);
        let out = run(&r, &annual_reports(), "2026-02-01", None);
        assert!(is_missing(&out), "{out:?}");
        let DisclosureOutcome::Finding(Finding::DisclosureMissing { evidence, .. }) = out else {
            unreachable!()
        };
        assert!(evidence.contains("2025年.*年度报告"), "{evidence}");
    }

    #[test]
    fn yearly_before_or_on_the_due_date_says_nothing() {
        let r = row("{year}年.*年度报告", YEARLY);
        assert_eq!(run(&r, &[], "2026-01-15", None), DisclosureOutcome::Ok);
        assert_eq!(run(&r, &[], "2026-01-31", None), DisclosureOutcome::Ok);
        let march = row("{year}年.*年度报告", Schedule::Yearly { month: 3, day: 31 });
        assert_eq!(run(&march, &[], "2026-03-31", None), DisclosureOutcome::Ok);
        assert!(is_missing(&run(&march, &[], "2026-04-01", None)));
    }

    #[test]
    fn column_names_are_compared_as_people_write_them() {
        assert_eq!(
            column_key("政府信息公开年度报告"),
            column_key("政府信息公开年报")
        );
        assert_eq!(
            column_key(" 政府信息公开年报专栏 "),
            column_key("政府信息公开年报")
        );
        assert_ne!(column_key("财政预决算"), column_key("政府信息公开年报"));
    }

    #[test]
    fn a_fixed_due_date_still_to_come_says_nothing() {
        let r = Disclosure {
            due: Some(d("2026-03-31")),
            ..row("2025年.*年度报告", Schedule::default())
        };
        assert_eq!(run(&r, &[], "2025-09-30", None), DisclosureOutcome::Ok);
        assert_eq!(run(&r, &[], "2026-03-31", None), DisclosureOutcome::Ok);
        assert!(is_missing(&run(&r, &[], "2026-04-01", None)));
    }

    #[test]
    fn workdays_before_skips_national_day_and_counts_make_up_days() {
        let c = cal();
        let due = workdays_before(&c, d("2025-10-15"), 7).unwrap();
        assert_eq!(due, d("2025-09-29"));
        assert_eq!(c.workdays_between(due, d("2025-10-15")).unwrap(), 7);
        // A Sunday as-of with N = 0: the last working day before it.
        assert_eq!(
            workdays_before(&c, d("2025-10-19"), 0).unwrap(),
            d("2025-10-17")
        );
    }

    #[test]
    fn within_workdays_on_time_at_the_boundary() {
        let c = cal();
        let r = row("双公示", Schedule::WithinWorkdays { workdays: 7 });
        let items = vec![
            item("行政许可双公示", Some("2025-09-10")),
            item("行政处罚双公示", Some("2025-09-29")),
        ];
        assert_eq!(
            run(&r, &items, "2025-10-15", Some(&c)),
            DisclosureOutcome::Ok
        );
    }

    #[test]
    fn within_workdays_late() {
        let c = cal();
        let r = row("双公示", Schedule::WithinWorkdays { workdays: 7 });
        let items = vec![item("行政许可双公示", Some("2025-09-26"))];
        let out = run(&r, &items, "2025-10-15", Some(&c));
        assert_eq!(late(&out), (Some("2025-09-26".into()), "2025-09-29".into()));
    }

    #[test]
    fn within_workdays_missing() {
        let c = cal();
        let r = row("双公示", Schedule::WithinWorkdays { workdays: 7 });
        let items = vec![item("通知", Some("2025-10-14"))];
        assert!(is_missing(&run(&r, &items, "2025-10-15", Some(&c))));
    }

    #[test]
    fn within_workdays_outside_the_calendar_is_unknown() {
        let c = cal();
        let r = row("双公示", Schedule::WithinWorkdays { workdays: 7 });
        let items = vec![item("行政许可双公示", Some("2025-08-01"))];
        for as_of in ["2025-09-03", "2025-12-01"] {
            match run(&r, &items, as_of, Some(&c)) {
                DisclosureOutcome::Unknown(why) => {
                    assert!(why.contains("outside the working-day calendar"), "{why}")
                }
                other => panic!("{as_of}: expected unknown, got {other:?}"),
            }
        }
        // No calendar at all: unknown too, never a finding.
        assert!(matches!(
            run(&r, &items, "2025-10-15", None),
            DisclosureOutcome::Unknown(_)
        ));
    }

    #[test]
    fn must_exist_is_presence_only() {
        let r = row("政府信息公开指南", Schedule::MustExist);
        let old = vec![item("崂山区政府信息公开指南", Some("2019-05-01"))];
        assert_eq!(run(&r, &old, "2025-09-30", None), DisclosureOutcome::Ok);
        let undated = vec![item("崂山区政府信息公开指南", None)];
        assert_eq!(run(&r, &undated, "2025-09-30", None), DisclosureOutcome::Ok);
        assert!(is_missing(&run(&r, &[], "2025-09-30", None)));
    }
}
