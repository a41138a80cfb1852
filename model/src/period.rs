//! The inspection period (季度) of an as-of date.

use chrono::{Datelike, NaiveDate};

/// The quarter an as-of date falls in, e.g. `2025Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    /// The year.
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
}

impl Quarter {
    /// The quarter containing `date`.
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            quarter: (date.month() - 1) / 3 + 1,
        }
    }

    /// The quarter's first day (`2025-07-01` for 2025Q3).
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.quarter - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The quarter's last day (`2025-09-30` for 2025Q3).
    pub fn last_day(&self) -> NaiveDate {
        let (y, m) = if self.quarter >= 4 {
            (self.year + 1, 1)
        } else {
            (self.year, self.quarter * 3 + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The latest quarter's last day on or before `date`: the inspection time point of the
    /// quarterly check run on or after that day (a run resumed after midnight keeps it).
    pub fn latest_end(date: NaiveDate) -> NaiveDate {
        let this = Quarter::of(date).last_day();
        if this == date {
            return date;
        }
        let q = Quarter::of(date);
        let prev = if q.quarter == 1 {
            Quarter {
                year: q.year - 1,
                quarter: 4,
            }
        } else {
            Quarter {
                year: q.year,
                quarter: q.quarter - 1,
            }
        };
        prev.last_day()
    }

    /// The Chinese name used in report titles: `2025年第三季度`.
    pub fn label_zh(&self) -> String {
        let n = ["一", "二", "三", "四"]
            .get((self.quarter as usize).saturating_sub(1))
            .copied()
            .unwrap_or("一");
        format!("{}年第{n}季度", self.year)
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}Q{}", self.year, self.quarter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_ends() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(Quarter::of(d("2025-08-01")).last_day(), d("2025-09-30"));
        assert_eq!(Quarter::of(d("2025-12-01")).last_day(), d("2025-12-31"));
        assert_eq!(Quarter::of(d("2024-02-10")).last_day(), d("2024-03-31"));
        assert_eq!(Quarter::latest_end(d("2025-09-30")), d("2025-09-30"));
        assert_eq!(Quarter::latest_end(d("2025-10-01")), d("2025-09-30"));
        assert_eq!(Quarter::latest_end(d("2025-12-30")), d("2025-09-30"));
        assert_eq!(Quarter::latest_end(d("2026-01-01")), d("2025-12-31"));
        assert_eq!(Quarter::latest_end(d("2026-03-31")), d("2026-03-31"));
    }

    #[test]
    fn quarter_of_dates() {
        let q = Quarter::of(NaiveDate::from_ymd_opt(2025, 9, 30).unwrap());
        assert_eq!(q.to_string(), "2025Q3");
        assert_eq!(q.label_zh(), "2025年第三季度");
        let q = Quarter::of(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(q.to_string(), "2026Q1");
        let q = Quarter::of(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(q.to_string(), "2026Q4");
    }
}
