//! Chinese working days (工作日), from the official holiday calendar as data.
//!
//! Why: statutory deadlines are counted in working days — 条例第26条 "自形成或者变更之日起20个工作日内",
//! 双公示 "7个工作日内" — and a Chinese working day is not simply Monday–Friday: public holidays
//! are days off, and the State Council moves some weekend days to working days (调休上班). The
//! dates change every year with the 国务院办公厅关于…年部分节假日安排的通知, so they are data
//! (`seeds/calendar/cn-workdays.toml`), not code.
//!
//! A date outside the calendar's `covers` range is an error ([`OutOfRange`]) naming the date and
//! the range: guessing that an uncovered day is a working day would silently misjudge deadlines
//! around 春节 or 国庆.
//!
//! The calendar is pure: [`WorkCalendar::parse`] takes text; only [`WorkCalendar::load`] reads a
//! file. Counting follows the Chinese rule for periods (the start day is not counted): the n-th
//! working day *after* a date.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::pack::tree::{Cx, Tbl, Val};
use crate::pack::PackError;

/// A bad calendar file: where, which key, and what is wrong.
///
/// Displayed as ``file:line:col: key `holidays[3]`: message``.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{column}: key `{key}`: {message}", file.display())]
pub struct CalendarError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The dotted key, e.g. `workdays[2]`, or `(syntax)` / `(file)`.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl From<PackError> for CalendarError {
    fn from(e: PackError) -> Self {
        CalendarError {
            file: e.file,
            line: e.line,
            column: e.column,
            key: e.key,
            message: e.message,
        }
    }
}

/// A date the calendar does not cover.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{date} is outside the working-day calendar {} (it covers {start} to {end}); \
     add that year's 国务院办公厅关于部分节假日安排的通知 to it",
    file.display()
)]
pub struct OutOfRange {
    /// The date asked about (or the first uncovered date a count reached).
    pub date: NaiveDate,
    /// First covered date.
    pub start: NaiveDate,
    /// Last covered date.
    pub end: NaiveDate,
    /// The calendar file.
    pub file: PathBuf,
}

/// Working days over a covered range of dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    file: PathBuf,
    name: Option<String>,
    sources: Vec<String>,
    start: NaiveDate,
    end: NaiveDate,
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

const ROOT_KEYS: &[&str] = &["meta", "holidays", "workdays"];
const META_KEYS: &[&str] = &["name", "source", "covers", "note"];

/// The official calendar shipped in `seeds/calendar/cn-workdays.toml`, embedded in the binary.
const BUNDLED: &str = include_str!("../../seeds/calendar/cn-workdays.toml");

impl WorkCalendar {
    /// The official working-day calendar bundled with xunjian (`seeds/calendar/cn-workdays.toml`).
    pub fn bundled() -> Result<WorkCalendar, CalendarError> {
        WorkCalendar::parse(Path::new("seeds/calendar/cn-workdays.toml"), BUNDLED)
    }

    /// Read then [`parse`](WorkCalendar::parse) a calendar file.
    pub fn load(path: &Path) -> Result<WorkCalendar, CalendarError> {
        let text = crate::pack::read(path)?;
        WorkCalendar::parse(path, &text)
    }

    /// Parse and validate calendar text; `path` is used in error messages.
    ///
    /// The file has `[meta]` with `source` (a string or a list) and `covers = [first, last]`, and
    /// top-level `holidays` (days off) and `workdays` (weekend days that are working days). Dates
    /// are `"YYYY-MM-DD"` strings or TOML dates. Checked: no unknown keys; every date inside
    /// `covers`; no date listed twice or in both lists; every `workdays` date a Saturday or Sunday.
    pub fn parse(path: &Path, text: &str) -> Result<WorkCalendar, CalendarError> {
        let cx = Cx { file: path, text };
        let entries = cx.root()?;
        let root = Tbl {
            path: String::new(),
            pos: 0,
            entries: &entries,
        };
        cx.known_keys(&root, ROOT_KEYS)?;
        let Some(meta) = cx.opt_table(&root, "meta")? else {
            return Err(cx.err(0, "meta", "missing required table `[meta]`").into());
        };
        if let Some(e) = meta.get("holidays").or(meta.get("workdays")) {
            return Err(cx
                .err(
                    e.pos,
                    meta.key(&e.key),
                    format!(
                        "`{}` is inside `[meta]`: put `holidays` and `workdays` before the \
                         `[meta]` header (in TOML a key after a header belongs to that table)",
                        e.key
                    ),
                )
                .into());
        }
        cx.known_keys(&meta, META_KEYS)?;
        let name = cx.opt_str(&meta, "name")?;
        cx.opt_str(&meta, "note")?;
        let sources = cx.str_list(&meta, cx.required(&meta, "source")?)?;
        let covers = cx.required(&meta, "covers")?;
        let (start, end) = match &covers.node.val {
            Val::Array(items) if items.len() == 2 => (
                cx.date(&items[0], "meta.covers[0]")?,
                cx.date(&items[1], "meta.covers[1]")?,
            ),
            _ => {
                return Err(cx
                    .err(
                        covers.node.pos,
                        "meta.covers",
                        "expected two dates: [first covered day, last covered day]",
                    )
                    .into())
            }
        };
        if end < start {
            return Err(cx
                .err(
                    covers.node.pos,
                    "meta.covers",
                    format!("the range ends ({end}) before it starts ({start})"),
                )
                .into());
        }

        let mut seen: HashMap<NaiveDate, String> = HashMap::new();
        let mut lists = [BTreeSet::new(), BTreeSet::new()];
        for (i, key) in ["holidays", "workdays"].into_iter().enumerate() {
            let Some(e) = root.get(key) else { continue };
            let Val::Array(items) = &e.node.val else {
                return Err(cx.type_error(&root, e, "a list of dates").into());
            };
            for (j, n) in items.iter().enumerate() {
                let k = format!("{key}[{j}]");
                let d = cx.date(n, &k)?;
                if d < start || d > end {
                    return Err(cx
                        .err(
                            n.pos,
                            &k,
                            format!("{d} is outside `meta.covers` ({start} to {end})"),
                        )
                        .into());
                }
                if let Some(first) = seen.get(&d) {
                    return Err(cx
                        .err(n.pos, &k, format!("{d} is already listed as {first}"))
                        .into());
                }
                if key == "workdays" && !is_weekend(d) {
                    return Err(cx
                        .err(
                            n.pos,
                            &k,
                            format!(
                                "{d} is a {:?}: a make-up working day (调休上班) must be a \
                                 Saturday or Sunday",
                                d.weekday()
                            ),
                        )
                        .into());
                }
                seen.insert(d, k);
                lists[i].insert(d);
            }
        }
        let [holidays, workdays] = lists;
        Ok(WorkCalendar {
            file: path.to_path_buf(),
            name,
            sources,
            start,
            end,
            holidays,
            workdays,
        })
    }

    /// The first and last covered dates.
    pub fn covers(&self) -> (NaiveDate, NaiveDate) {
        (self.start, self.end)
    }

    /// The calendar's `[meta] name`, if given.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The notices it was built from (`[meta] source`).
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    fn check(&self, date: NaiveDate) -> Result<(), OutOfRange> {
        if date < self.start || date > self.end {
            Err(OutOfRange {
                date,
                start: self.start,
                end: self.end,
                file: self.file.clone(),
            })
        } else {
            Ok(())
        }
    }

    /// Whether `date` is a working day: a listed make-up working day, or a Monday–Friday that is
    /// not a holiday.
    pub fn is_workday(&self, date: NaiveDate) -> Result<bool, OutOfRange> {
        self.check(date)?;
        Ok(self.workdays.contains(&date) || !(is_weekend(date) || self.holidays.contains(&date)))
    }

    /// The `n`-th working day after `date` (the start day itself is not counted; `n = 0` gives
    /// `date`). E.g. 20 working days after 2025-09-26 is 2025-10-30 (国庆 skipped, the make-up
    /// days 9/28 and 10/11 counted). Errors if the count leaves the covered range.
    pub fn add_workdays(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        self.check(date)?;
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().ok_or(OutOfRange {
                date: d,
                start: self.start,
                end: self.end,
                file: self.file.clone(),
            })?;
            if self.is_workday(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The working days after `a` up to and including `b`, negative when `b` is before `a`: so
    /// `workdays_between(a, add_workdays(a, n)?) == n`. Both dates must be covered.
    pub fn workdays_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, OutOfRange> {
        self.check(a)?;
        self.check(b)?;
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut count = 0i64;
        for d in lo.iter_days().skip(1).take_while(|d| *d <= hi) {
            if self.is_workday(d)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn real() -> WorkCalendar {
        WorkCalendar::bundled().unwrap_or_else(|e| panic!("{e}"))
    }

    fn small(body: &str) -> Result<WorkCalendar, CalendarError> {
        WorkCalendar::parse(
            Path::new("cal.toml"),
            &format!(
                "{body}[meta]\nsource = \"test\"\ncovers = [\"2025-01-01\", \"2025-12-31\"]\n"
            ),
        )
    }

    #[test]
    fn real_calendar_covers_2024_to_2026() {
        let c = real();
        assert_eq!(c.covers(), (d("2024-01-01"), d("2026-12-31")));
        assert_eq!(c.sources().len(), 3);
        assert_eq!(c.holidays.len(), 28 + 28 + 33);
        assert_eq!(c.workdays.len(), 8 + 5 + 6);
    }

    #[test]
    fn known_holidays_are_days_off() {
        let c = real();
        for day in [
            "2024-01-01", // 元旦, a Monday
            "2024-02-16", // 春节, a Friday
            "2024-04-04", // 清明
            "2024-06-10", // 端午, a Monday
            "2024-09-16", // 中秋, a Monday
            "2025-01-28", // 除夕
            "2025-05-02", // 劳动节, a Friday
            "2025-06-02", // 端午, a Monday
            "2025-10-08", // 国庆·中秋 day 8, a Wednesday
            "2026-01-02", // 元旦, a Friday
            "2026-02-23", // 春节 初七, a Monday
            "2026-05-05", // 劳动节, a Tuesday
            "2026-06-19", // 端午, a Friday
            "2026-09-25", // 中秋, a Friday
            "2026-10-07", // 国庆, a Wednesday
        ] {
            assert_eq!(c.is_workday(d(day)), Ok(false), "{day}");
        }
    }

    #[test]
    fn make_up_weekend_days_are_working_days() {
        let c = real();
        for day in [
            "2024-02-04", // Sunday
            "2024-02-18", // Sunday
            "2024-04-07", // Sunday
            "2024-04-28", // Sunday
            "2024-05-11", // Saturday
            "2024-09-14", // Saturday
            "2024-09-29", // Sunday
            "2024-10-12", // Saturday
            "2025-01-26", // Sunday
            "2025-02-08", // Saturday
            "2025-04-27", // Sunday
            "2025-09-28", // Sunday
            "2025-10-11", // Saturday
            "2026-01-04", // Sunday
            "2026-02-14", // Saturday
            "2026-02-28", // Saturday
            "2026-05-09", // Saturday
            "2026-09-20", // Sunday
            "2026-10-10", // Saturday
        ] {
            assert!(is_weekend(d(day)), "{day} should be a weekend day");
            assert_eq!(c.is_workday(d(day)), Ok(true), "{day}");
        }
    }

    #[test]
    fn ordinary_days() {
        let c = real();
        assert_eq!(c.is_workday(d("2025-09-26")), Ok(true)); // Friday
        assert_eq!(c.is_workday(d("2025-09-27")), Ok(false)); // Saturday
        assert_eq!(c.is_workday(d("2025-10-12")), Ok(false)); // Sunday after 10/11 make-up
        assert_eq!(c.is_workday(d("2025-10-09")), Ok(true)); // Thursday after 国庆
    }

    #[test]
    fn twenty_working_days_after_2025_09_26_skip_national_day() {
        let c = real();
        assert_eq!(c.add_workdays(d("2025-09-26"), 20), Ok(d("2025-10-30")));
        assert_eq!(c.add_workdays(d("2025-09-26"), 1), Ok(d("2025-09-28")));
        assert_eq!(c.add_workdays(d("2025-09-26"), 3), Ok(d("2025-09-30")));
        assert_eq!(c.add_workdays(d("2025-09-26"), 4), Ok(d("2025-10-09")));
        assert_eq!(c.add_workdays(d("2025-09-26"), 0), Ok(d("2025-09-26")));
        assert_eq!(c.workdays_between(d("2025-09-26"), d("2025-10-30")), Ok(20));
        assert_eq!(
            c.workdays_between(d("2025-10-30"), d("2025-09-26")),
            Ok(-20)
        );
    }

    #[test]
    fn spring_festival_counts() {
        let c = real();
        // 2026: 2/14 (Sat) works, 2/15–2/23 off, so from Friday 2/13 the next working days are
        // 2/14, 2/24, 2/25.
        assert_eq!(c.add_workdays(d("2026-02-13"), 1), Ok(d("2026-02-14")));
        assert_eq!(c.add_workdays(d("2026-02-13"), 2), Ok(d("2026-02-24")));
        // 7 working days after 2024-02-08 (Thu): 2/9, 2/18 (Sun), 2/19, 2/20, 2/21, 2/22, 2/23.
        assert_eq!(c.add_workdays(d("2024-02-08"), 7), Ok(d("2024-02-23")));
        // 2025: 261 weekdays − 18 holidays on weekdays + 5 make-up days = 248 working days.
        assert_eq!(
            c.workdays_between(d("2024-12-31"), d("2025-12-31")),
            Ok(248)
        );
    }

    #[test]
    fn outside_the_range_is_an_error_naming_date_and_range() {
        let c = real();
        let e = c.is_workday(d("2027-01-04")).unwrap_err();
        assert_eq!(e.date, d("2027-01-04"));
        assert_eq!((e.start, e.end), (d("2024-01-01"), d("2026-12-31")));
        let msg = e.to_string();
        assert!(
            msg.starts_with("2027-01-04 is outside the working-day calendar "),
            "{msg}"
        );
        assert!(msg.contains("it covers 2024-01-01 to 2026-12-31"), "{msg}");
        assert_eq!(
            c.is_workday(d("2023-12-29")).unwrap_err().date,
            d("2023-12-29")
        );
        // A count that runs past the end names the first uncovered day.
        let e = c.add_workdays(d("2026-12-30"), 5).unwrap_err();
        assert_eq!(e.date, d("2027-01-01"));
        assert!(c
            .workdays_between(d("2026-12-01"), d("2027-01-10"))
            .is_err());
    }

    #[test]
    fn parse_errors_carry_file_line_column_key() {
        let e = small("holidays = [\"2025-10-01\", \"2026-01-01\"]\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cal.toml:1:27: key `holidays[1]`: 2026-01-01 is outside `meta.covers` (2025-01-01 to 2025-12-31)"
        );
        let e = small("workdays = [\"2025-09-29\"]\n").unwrap_err();
        assert_eq!((e.line, e.column, e.key.as_str()), (1, 13, "workdays[0]"));
        assert!(
            e.message.contains("must be a Saturday or Sunday"),
            "{}",
            e.message
        );
        let e = small("holidays = [\"2025-10-04\"]\nworkdays = [\"2025-10-04\"]\n").unwrap_err();
        assert_eq!(e.key, "workdays[0]");
        assert_eq!(e.message, "2025-10-04 is already listed as holidays[0]");
        let e = small("holidays = [\"2025-13-01\"]\n").unwrap_err();
        assert_eq!(e.key, "holidays[0]");
        let e = small("weekends = []\n").unwrap_err();
        assert_eq!((e.line, e.column, e.key.as_str()), (1, 1, "weekends"));
        let e = WorkCalendar::parse(Path::new("c.toml"), "[meta]\nsource = \"x\"\n").unwrap_err();
        assert_eq!(e.key, "meta.covers");
        let e = WorkCalendar::parse(
            Path::new("c.toml"),
            "[meta]\nsource = \"x\"\ncovers = [\"2025-01-01\", \"2025-12-31\"]\nholidays = []\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (4, "meta.holidays"));
        assert!(
            e.message.contains("before the `[meta]` header"),
            "{}",
            e.message
        );
        let e = WorkCalendar::parse(Path::new("c.toml"), "holidays = [").unwrap_err();
        assert_eq!(e.key, "(syntax)");
    }

    #[test]
    fn toml_dates_are_accepted_too() {
        let c = small("holidays = [2025-10-01]\nworkdays = [2025-09-28]\n").unwrap();
        assert_eq!(c.is_workday(d("2025-10-01")), Ok(false));
        assert_eq!(c.is_workday(d("2025-09-28")), Ok(true));
        assert_eq!(c.is_workday(d("2025-10-02")), Ok(true));
    }
}
