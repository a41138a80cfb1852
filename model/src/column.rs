//! 栏目 classes and their update windows (contracts.md, "Column classes").

use serde::{Deserialize, Serialize};

/// The class of a column (栏目), which fixes how often it must be updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnClass {
    /// 动态/要闻类: must be updated within 2 weeks.
    News,
    /// 通知公告/政策文件类: within 6 months.
    Notice,
    /// 应更新 (人事, 规划, 计划, 财政, 统计, 年报…): within 12 months.
    Long,
    /// 概况, 简介, 职能, 领导…: never stale, may be empty.
    Static,
}

/// How long a column of a class may go without an update (the rule pack says how long for each class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// A number of calendar days.
    Days(u32),
    /// A number of calendar months.
    Months(u32),
    /// Never stale.
    Never,
}

impl Window {
    /// The window as a 通报 says it: `7天`, `6个月`; `None` for a class that never goes stale.
    pub fn label_zh(self) -> Option<String> {
        match self {
            Window::Days(n) => Some(format!("{n}天")),
            Window::Months(n) => Some(format!("{n}个月")),
            Window::Never => None,
        }
    }

    /// The window of a `column.stale` finding, from its `window_days` / `window_months`.
    pub fn of(days: Option<u32>, months: Option<u32>) -> Window {
        match (days, months) {
            (Some(d), _) => Window::Days(d),
            (None, Some(m)) => Window::Months(m),
            (None, None) => Window::Never,
        }
    }
}

impl ColumnClass {
    /// Keywords of each class, in the order in which they are tried (news, notice, long, static).
    const KEYWORDS: [(ColumnClass, &'static [&'static str]); 4] = [
        (ColumnClass::News, &["动态", "要闻", "新闻", "资讯", "快讯"]),
        (
            ColumnClass::Notice,
            &["通知", "公告", "公示", "政策", "文件", "法规"],
        ),
        (
            ColumnClass::Long,
            &[
                "人事", "规划", "计划", "财政", "预算", "决算", "统计", "年报",
            ],
        ),
        (
            ColumnClass::Static,
            &["概况", "简介", "职能", "领导", "机构", "指南", "联系"],
        ),
    ];

    /// The class of a column from its name: the first class whose keywords match, else `Long`.
    pub fn from_name(name: &str) -> ColumnClass {
        Self::KEYWORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| name.contains(w)))
            .map(|(class, _)| *class)
            .unwrap_or(ColumnClass::Long)
    }

    /// The class as written in seeds and findings.json.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnClass::News => "news",
            ColumnClass::Notice => "notice",
            ColumnClass::Long => "long",
            ColumnClass::Static => "static",
        }
    }

    /// The Chinese label used in reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            ColumnClass::News => "动态要闻类",
            ColumnClass::Notice => "通知公告/政策文件类",
            ColumnClass::Long => "应更新类",
            ColumnClass::Static => "静态类",
        }
    }

    /// Parse a class written in a seeds file.
    pub fn parse(s: &str) -> Option<ColumnClass> {
        match s {
            "news" => Some(ColumnClass::News),
            "notice" => Some(ColumnClass::Notice),
            "long" => Some(ColumnClass::Long),
            "static" => Some(ColumnClass::Static),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_keyword_order() {
        assert_eq!(ColumnClass::from_name("工作动态"), ColumnClass::News);
        assert_eq!(ColumnClass::from_name("通知公告"), ColumnClass::Notice);
        // "政策" (notice) is tried before "规划" (long).
        assert_eq!(ColumnClass::from_name("规划政策"), ColumnClass::Notice);
        assert_eq!(ColumnClass::from_name("人事信息"), ColumnClass::Long);
        assert_eq!(ColumnClass::from_name("机构概况"), ColumnClass::Static);
        assert_eq!(ColumnClass::from_name("专题专栏"), ColumnClass::Long);
        // "新闻" wins over "联系" because news is tried first.
        assert_eq!(ColumnClass::from_name("新闻联系"), ColumnClass::News);
    }

    #[test]
    fn windows() {
        assert_eq!(Window::Days(7).label_zh().as_deref(), Some("7天"));
        assert_eq!(
            Window::of(None, Some(6)).label_zh().as_deref(),
            Some("6个月")
        );
        assert_eq!(Window::of(None, None), Window::Never);
        assert_eq!(ColumnClass::parse("long"), Some(ColumnClass::Long));
        assert_eq!(ColumnClass::parse("weekly"), None);
    }
}
