//! 告警与预警: which events the service tells an office about, and what it says.
//!
//! Pure like the rest of the analyzer: from the probes of a site or the judgement of a target, the
//! events that hold now, each with a key that stays the same while the event lasts (so that it is
//! sent once) and a text a department can act on: what, where, since when, by when. The
//! thresholds are the rule pack's (`svc.alert.*`, see [`Rules`]).

use chrono::NaiveDate;
use xunjian_model::alert::{Alert, AlertKind};
use xunjian_model::finding::{ColumnCondition, TargetReport};
use xunjian_model::observe::{FailKind, ProbeRecord};
use xunjian_model::seeds::Site;

use crate::rules::Rules;

/// Who answers for a target, as the alert names it.
#[derive(Debug, Clone, Copy)]
pub struct Addressee<'a> {
    /// The target's name.
    pub name: &'a str,
    /// The responsible unit's name (责任单位).
    pub unit: &'a str,
}

/// 站点无法访问: the site is down when its newest `rules.site_down_probes` probes all failed.
/// `probes` may come in any order; `None` when the site answers or there are too few probes.
pub fn site_down(
    site: &Site,
    to: Addressee,
    probes: &[ProbeRecord],
    rules: &Rules,
) -> Option<Alert> {
    let needed = rules.site_down_probes.max(1);
    let mut newest: Vec<&ProbeRecord> = probes.iter().collect();
    newest.sort_by(|a, b| b.probed_at.cmp(&a.probed_at));
    let failed: Vec<&ProbeRecord> = newest.iter().take_while(|p| !p.ok).copied().collect();
    if failed.len() < needed {
        return None;
    }
    let (last, first) = (failed[0], failed[failed.len() - 1]);
    let reason = last
        .reason
        .as_deref()
        .map(reason_zh)
        .unwrap_or("访问失败".into());
    Some(Alert {
        kind: AlertKind::SiteDown,
        key: format!("{}:{}", AlertKind::SiteDown.as_str(), site.id),
        target: site.id.clone(),
        title: format!("【网站巡检告警】{}无法访问", to.name),
        text: format!(
            "{name}（{url}）自{since}起连续{n}次访问失败（{reason}），最近一次{at}。\n\
             责任单位：{unit}。请立即排查；{days}天内访问失败达到{ratio}%将构成单项否决。",
            name = to.name,
            url = last.url,
            since = china_time(&first.probed_at),
            n = failed.len(),
            at = china_time(&last.probed_at),
            unit = to.unit,
            days = rules.unreachable_window_days,
            ratio = (rules.unreachable_fail_ratio * 1000.0).round() / 10.0,
        ),
        url: last.url.clone(),
    })
}

/// The events of a judgement as of `as_of`: each veto (单项否决) that holds, and each column due to
/// go stale within the pack's warning days (预警).
pub fn judgement(report: &TargetReport, to: Addressee, as_of: NaiveDate) -> Vec<Alert> {
    let mut out: Vec<Alert> = report
        .vetoes
        .iter()
        .map(|id| Alert {
            kind: AlertKind::Veto,
            key: format!("{}:{}:{id}", AlertKind::Veto.as_str(), report.id),
            target: report.id.clone(),
            title: format!("【网站巡检告警】{}：{}", to.name, report.veto_label(id)),
            text: format!(
                "{name}经{as_of}研判，单项否决指标「{label}」成立，共发现问题{n}项。\n\
                 责任单位：{unit}。请对照巡检结果核查整改。",
                name = to.name,
                label = report.veto_label(id),
                n = report.findings.len(),
                unit = to.unit,
            ),
            url: String::new(),
        })
        .collect();
    out.extend(
        report
            .columns
            .iter()
            .filter(|c| c.due_soon && c.state == ColumnCondition::Fresh)
            .filter_map(|c| {
                let (from, left) = (c.stale_from.as_deref()?, c.days_left?);
                let window =
                    xunjian_model::column::Window::of(c.window_days, c.window_months).label_zh()?;
                Some(Alert {
                    kind: AlertKind::ColumnDueSoon,
                    key: format!(
                        "{}:{}:{}:{from}",
                        AlertKind::ColumnDueSoon.as_str(),
                        report.id,
                        c.url
                    ),
                    target: report.id.clone(),
                    title: format!("【栏目更新预警】{}「{}」{left}天后超期", to.name, c.name),
                    text: format!(
                        "{name}「{col}」栏目（{url}）最近一条信息发布于{last}，更新期限{window}，\
                         如不更新将自{from}起计为栏目不更新（剩余{left}天，研判日期{as_of}）。\n\
                         责任单位：{unit}。",
                        name = to.name,
                        col = c.name,
                        url = c.url,
                        last = c.last_update.as_deref().unwrap_or("—"),
                        unit = to.unit,
                    ),
                    url: c.url.clone(),
                })
            }),
    );
    out
}

/// A probe's failure reason (`timeout`, `connect`, `http_503`…) in Chinese.
fn reason_zh(reason: &str) -> String {
    match reason.strip_prefix("http_") {
        Some(code) => format!("返回HTTP {code}错误"),
        None => FailKind::parse(reason)
            .map(|k| k.label_zh().to_string())
            .unwrap_or_else(|| reason.to_string()),
    }
}

/// An RFC 3339 time in China time, `2025-10-01 09:30`.
fn china_time(rfc3339: &str) -> String {
    xunjian_model::clock::china_time_of(rfc3339)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use xunjian_model::finding::ColumnStatus;
    use xunjian_model::ColumnClass;

    fn probe(at: &str, ok: bool) -> ProbeRecord {
        ProbeRecord {
            site: "portal".into(),
            url: "http://h/".into(),
            probed_at: at.into(),
            ok,
            elapsed_ms: 5,
            reason: (!ok).then(|| "http_503".into()),
        }
    }

    fn site() -> Site {
        Site {
            id: "portal".into(),
            name: "门户网站".into(),
            unit: "zfb".into(),
            url: "http://h/".into(),
            kind: xunjian_model::seeds::SiteKind::Portal,
            columns: vec![],
            rate_per_host: None,
        }
    }

    const TO: Addressee = Addressee {
        name: "门户网站",
        unit: "区政府办公室",
    };

    #[test]
    fn a_site_is_down_after_the_packs_failures_in_a_row() {
        let rules = Rules::default();
        let up_then_down = [
            probe("2025-10-01T01:00:00Z", true),
            probe("2025-10-01T01:30:00Z", false),
        ];
        assert_eq!(site_down(&site(), TO, &up_then_down, &rules), None);
        let mut down = up_then_down.to_vec();
        down.push(probe("2025-10-01T02:00:00Z", false));
        // Order does not matter: the newest probes decide.
        down.reverse();
        let a = site_down(&site(), TO, &down, &rules).expect("down");
        assert_eq!(a.key, "site_down:portal");
        assert_eq!(a.kind, AlertKind::SiteDown);
        assert!(
            a.text.contains(
                "自2025-10-01 09:30起连续2次访问失败（返回HTTP 503错误），最近一次2025-10-01 10:00"
            ),
            "{}",
            a.text
        );
        assert!(
            a.text.contains("7天内访问失败达到5%将构成单项否决"),
            "the pack's rule: {}",
            a.text
        );
        down.push(probe("2025-10-01T02:30:00Z", true));
        assert_eq!(site_down(&site(), TO, &down, &rules), None, "up again");
        let three = Rules {
            site_down_probes: 3,
            ..Rules::default()
        };
        down.pop();
        assert_eq!(site_down(&site(), TO, &down, &three), None);
    }

    fn column(state: ColumnCondition, left: i64, due_soon: bool) -> ColumnStatus {
        ColumnStatus {
            name: "工作动态".into(),
            url: "http://h/gzdt/".into(),
            class: ColumnClass::News,
            state,
            last_update: Some("2025-09-19".into()),
            window_days: Some(14),
            window_months: None,
            stale_from: Some("2025-10-04".into()),
            days_left: Some(left),
            due_soon,
            reason: None,
            seen: None,
        }
    }

    #[test]
    fn a_judgement_alerts_on_vetoes_and_columns_due_soon() {
        let report = TargetReport {
            not_checked: Vec::new(),
            id: "portal".into(),
            kind: xunjian_model::TargetKind::Site,
            unit: "zfb".into(),
            verdict: xunjian_model::Verdict::Unqualified,
            vetoes: vec!["web.veto.homepage_not_updated".into()],
            score: None,
            findings: vec![],
            name: "门户网站".into(),
            inconclusive: vec![],
            rules: vec![xunjian_model::finding::RuleLine {
                rule: "web.veto.homepage_not_updated".into(),
                kind: "veto".into(),
                label_zh: "首页不更新".into(),
                source: String::new(),
                basis: None,
                status: "confirmed".into(),
                count: 1,
                points: None,
            }],
            columns: vec![
                column(ColumnCondition::Fresh, 3, true),
                column(ColumnCondition::Fresh, 9, false),
                column(ColumnCondition::Stale, -2, false),
            ],
            account: None,
            homepage: None,
            marks: None,
            disclosures: vec![],
            dismissed: vec![],
            relays: vec![],
            matrix: None,
        };
        let as_of: NaiveDate = "2025-10-01".parse().unwrap();
        let alerts = judgement(&report, TO, as_of);
        let keys: Vec<&str> = alerts.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "veto:portal:web.veto.homepage_not_updated",
                "column_due_soon:portal:http://h/gzdt/:2025-10-04"
            ]
        );
        assert!(
            alerts[0].title.ends_with("门户网站：首页不更新"),
            "{}",
            alerts[0].title
        );
        assert!(
            alerts[1]
                .text
                .contains("更新期限14天，如不更新将自2025-10-04起计为栏目不更新（剩余3天"),
            "{}",
            alerts[1].text
        );
    }
}
