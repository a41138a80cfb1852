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
