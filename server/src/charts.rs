//! The dashboard's charts: the series each chart shows, drawn by the reports' SVG charts. A chart
//! shows what its page's table (and its JSON twin) already says; nothing is computed here that the
//! table does not show.

use xunjian_model::observe::DayAvailability;
use xunjian_reports::chart::{self, Series};
use xunjian_store::VerdictCounts;

const GREEN: (u8, u8, u8) = (26, 127, 55);
const RED: (u8, u8, u8) = (176, 0, 32);
const AMBER: (u8, u8, u8) = (138, 109, 0);
const BLUE: (u8, u8, u8) = (0, 90, 200);

fn drawn(svg: Result<String, chart::ChartError>) -> Option<String> {
    svg.inspect_err(|e| tracing::error!("dashboard: {e}")).ok()
}

/// Probes a day, succeeded and failed, and the median response time a day.
pub(crate) fn availability(days: &[DayAvailability]) -> Option<(String, String)> {
    if days.is_empty() {
        return None;
    }
    let labels: Vec<String> = days
        .iter()
        .map(|d| d.day.format("%m-%d").to_string())
        .collect();
    let count = |f: fn(&DayAvailability) -> usize| days.iter().map(|d| f(d) as f64).collect();
    let probes = chart::stacked_bars(
        &labels,
        &[
            Series {
                name: "成功".into(),
                color: GREEN,
                values: count(|d| d.probes - d.failures),
            },
            Series {
                name: "失败".into(),
                color: RED,
                values: count(|d| d.failures),
            },
        ],
        "探测次数",
    );
    let times = chart::lines(
        &labels,
        &[Series {
            name: "响应时间中位数".into(),
            color: BLUE,
            values: days
                .iter()
                .map(|d| d.median_ms.map_or(f64::NAN, |m| m as f64))
                .collect(),
        }],
        "毫秒",
    );
    Some((drawn(probes)?, drawn(times)?))
}

/// A target's findings across its judged runs (oldest first): all, 栏目不更新, broken links.
pub(crate) fn history(runs: &[(String, i64, i64, i64)]) -> Option<String> {
    if runs.len() < 2 {
        return None;
    }
    let labels: Vec<String> = runs.iter().map(|r| r.0.clone()).collect();
    let series = |name: &str, color, pick: fn(&(String, i64, i64, i64)) -> i64| Series {
        name: name.into(),
        color,
        values: runs.iter().map(|r| pick(r) as f64).collect(),
    };
    drawn(chart::lines(
        &labels,
        &[
            series("问题总数", RED, |r| r.1),
            series("栏目不更新", AMBER, |r| r.2),
            series("链接不可用", BLUE, |r| r.3),
        ],
        "个",
    ))
}

/// The district's verdicts across the newest judged runs: 合格, 不合格, 无法判定.
pub(crate) fn trend(counts: &[VerdictCounts]) -> Option<String> {
    if counts.is_empty() {
        return None;
    }
    let labels: Vec<String> = counts
        .iter()
        .map(|c| format!("#{} {}", c.run, c.as_of))
        .collect();
    let series = |name: &str, color, pick: fn(&VerdictCounts) -> i64| Series {
        name: name.into(),
        color,
        values: counts.iter().map(|c| pick(c) as f64).collect(),
    };
    drawn(chart::stacked_bars(
        &labels,
        &[
            series("合格", GREEN, |c| c.qualified),
            series("不合格", RED, |c| c.unqualified),
            series("无法判定", AMBER, |c| c.inconclusive),
        ],
        "对象数",
    ))
}
