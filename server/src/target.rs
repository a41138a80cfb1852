//! 网站/账号: one target's page and its JSON twin: the newest judgement with its findings and
//! columns, its availability over the unreachability window, and its history across runs.

use axum::extract::{Path, State};
use axum::response::Html;
use axum::Json;
use serde::Serialize;
use xunjian_model::column::Window;
use xunjian_model::finding::{
    AccountStatus, ColumnCondition, ColumnStatus, DisclosureStatus, HomepageStatus,
};
use xunjian_model::observe::DayAvailability;
use xunjian_model::observe::MarksSeen;
use xunjian_model::{Finding, TargetKind, Verdict};

use crate::auth::Who;
use crate::charts;
use crate::web::{page, row, shown, AppError, AppState, TargetRow};

/// A finding as the target page shows it: what, where, the evidence, when seen.
#[derive(Debug, Serialize)]
pub(crate) struct FindingRow {
    /// 序号, from 1.
    n: usize,
    category: &'static str,
    rule: &'static str,
    url: Option<String>,
    evidence: String,
    seen: Option<String>,
    /// `seen` in China time, as people read it.
    seen_zh: Option<String>,
    /// For a broken link: the pages that carry it (the first ones) and how many there are.
    sources: Vec<String>,
    source_count: usize,
}

/// The pages a broken link sits on, as the finding names them.
fn sources_of(f: &Finding) -> (Vec<String>, usize) {
    match f {
        Finding::LinkBroken {
            sources,
            source_count,
            ..
        } => (sources.clone(), (*source_count).max(sources.len())),
        _ => (Vec::new(), 0),
    }
}

/// A judged run of the target (历次结论).
#[derive(Debug, Serialize)]
pub(crate) struct HistoryRow {
    run: i64,
    as_of: String,
    started_at: String,
    /// `started_at` in China time.
    started_zh: String,
    verdict: String,
    verdict_zh: &'static str,
    findings: i64,
    stale_columns: i64,
    broken_links: i64,
}

/// One day of the site's homepage probes (可用性), as 站点无法访问 counts them.
#[derive(Debug, Serialize)]
pub(crate) struct DayRow {
    day: String,
    probes: usize,
    failures: usize,
    blocked: usize,
    /// Failed visits in percent of the judged ones.
    failure_rate: Option<f64>,
    median_ms: Option<u64>,
    max_ms: Option<u64>,
}

impl DayRow {
    fn of(d: &DayAvailability) -> DayRow {
        DayRow {
            day: d.day.to_string(),
            probes: d.probes,
            failures: d.failures,
            blocked: d.blocked,
            failure_rate: (d.probes > 0)
                .then(|| (d.failures as f64 * 1000.0 / d.probes as f64).round() / 10.0),
            median_ms: d.median_ms,
            max_ms: d.max_ms,
        }
    }
}

/// A column of the site as the target page shows it (栏目), with the early warning.
#[derive(Debug, Serialize)]
pub(crate) struct ColumnRow {
    name: String,
    url: String,
    class: &'static str,
    class_zh: &'static str,
    state: ColumnCondition,
    state_zh: &'static str,
    last_update: Option<String>,
    window_zh: String,
    stale_from: Option<String>,
    days_left: Option<i64>,
    days_left_zh: String,
    due_soon: bool,
    reason: Option<String>,
}

impl ColumnRow {
    fn of(c: &ColumnStatus) -> ColumnRow {
        ColumnRow {
            name: c.name.clone(),
            url: c.url.clone(),
            class: c.class.as_str(),
            class_zh: c.class.label_zh(),
            state: c.state,
            state_zh: c.state.label_zh(),
            last_update: c.last_update.clone(),
            window_zh: Window::of(c.window_days, c.window_months)
                .label_zh()
                .unwrap_or_else(|| "不限".into()),
            stale_from: c.stale_from.clone(),
            days_left: c.days_left,
            days_left_zh: match c.days_left {
                None => "—".into(),
                Some(n) if n > 0 => n.to_string(),
                Some(0) => "今日起超期".into(),
                Some(n) => format!("已超期{}天", -n),
            },
            due_soon: c.due_soon,
            reason: c.reason.clone(),
        }
    }

    /// Stale columns first, then the fresh ones by the days they have left, then the rest.
    fn order(&self) -> (u8, i64) {
        match self.state {
            ColumnCondition::Stale => (0, 0),
            ColumnCondition::Empty => (1, 0),
            ColumnCondition::Fresh => (2, self.days_left.unwrap_or(i64::MAX)),
            ColumnCondition::Unknown => (3, 0),
            ColumnCondition::NotAList => (4, 0),
        }
    }
}

/// One mark the homepage must carry, as it showed it.
#[derive(Debug, Serialize)]
pub(crate) struct MarkRow {
    mark: &'static str,
    /// What the homepage showed; `None`: not found.
    shown: Option<String>,
}

fn mark_rows(m: &MarksSeen) -> Vec<MarkRow> {
    let yes = |b: bool| b.then(|| "有".to_string());
    [
        ("网站标识码", m.site_code.clone()),
        ("ICP备案编号", m.icp.clone()),
        ("公安机关备案号", m.police.clone()),
        ("党政机关网站标识", yes(m.badge)),
        ("主办单位", m.sponsor.clone()),
        ("联系方式", yes(m.contact)),
        ("“我为政府网站找错”入口", yes(m.error_report)),
    ]
    .into_iter()
    .map(|(mark, shown)| MarkRow { mark, shown })
    .collect()
}

/// One 主动公开事项 of the site, as judged.
#[derive(Debug, Serialize)]
pub(crate) struct DisclosureRow {
    id: String,
    name: String,
    column: String,
    state: String,
    state_zh: &'static str,
    reason: Option<String>,
}

impl DisclosureRow {
    fn of(d: &DisclosureStatus) -> DisclosureRow {
        DisclosureRow {
            id: d.id.clone(),
            name: d.name.clone(),
            column: d.column.clone(),
            state_zh: match d.state.as_str() {
                "ok" => "已公开",
                "missing" => "未公开",
                "late" => "未按时公开",
                _ => "无法判定",
            },
            state: d.state.clone(),
            reason: d.reason.clone(),
        }
    }
}

/// `GET /api/targets/{id}`: one target's newest judgement with its findings, its columns, and its
/// history.
#[derive(Debug, Serialize)]
pub(crate) struct TargetDetail {
    run: i64,
    as_of: String,
    target: TargetRow,
    findings: Vec<FindingRow>,
    columns: Vec<ColumnRow>,
    /// Columns within the warning days of going stale.
    due_soon: usize,
    /// An account's newest post and the days it has been quiet (accounts only).
    account: Option<AccountStatus>,
    /// What the account's answer amounted to, in words (正常更新, 平台要求登录…).
    account_state: Option<&'static str>,
    /// A site's homepage freshness (sites whose homepage was read).
    homepage: Option<HomepageStatus>,
    /// The marks the homepage showed (sites whose homepage was read).
    marks: Vec<MarkRow>,
    /// The site's 主动公开事项.
    disclosures: Vec<DisclosureRow>,
    /// 重要信息转发: where the target stands with each relay item meant for it.
    relays: Vec<RelayRow>,
    inconclusive: Vec<String>,
    /// The site's probes, day by day, over the unreachability window ending today (sites only).
    availability: Vec<DayRow>,
    history: Vec<HistoryRow>,
    /// Kept for the charts, not shown in the JSON (its rows are `availability`).
    #[serde(skip)]
    days: Vec<DayAvailability>,
}

/// One relay item as the target's page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct RelayRow {
    name: String,
    state: xunjian_model::finding::RelayState,
    state_zh: &'static str,
    date: Option<String>,
    url: Option<String>,
    evidence: String,
}

impl RelayRow {
    fn of(m: &xunjian_model::finding::RelayMark, seeds: &xunjian_model::Seeds) -> RelayRow {
        RelayRow {
            name: seeds
                .relays
                .iter()
                .find(|r| r.id == m.relay)
                .map_or_else(|| m.relay.clone(), |r| r.name.clone()),
            state: m.state,
            state_zh: m.state.label_zh(),
            date: m.date.clone(),
            url: m.url.clone(),
            evidence: m.evidence.clone(),
        }
    }
}

async fn target_detail(state: &AppState, id: &str) -> Result<TargetDetail, AppError> {
    let not_found = || AppError::NotFound(format!("对象「{id}」尚无研判结果"));
    let judged = state
        .judged
        .newest(&state.store, &state.board)
        .await?
        .ok_or_else(not_found)?;
    let run = judged.run.clone();
    let t = judged.target(id).ok_or_else(not_found)?;
    let findings = t
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| FindingRow {
            n: i + 1,
            category: f.category_zh(),
            rule: f.rule(),
            url: f.url().map(str::to_string),
            evidence: f.evidence().to_string(),
            seen: f.seen().map(str::to_string),
            seen_zh: f.seen().map(shown),
            sources: sources_of(f).0,
            source_count: sources_of(f).1,
        })
        .collect();
    let mut columns: Vec<ColumnRow> = t.columns.iter().map(ColumnRow::of).collect();
    columns.sort_by_key(ColumnRow::order);
    let history = state
        .store
        .target_history(id, 100)
        .await?
        .into_iter()
        .map(|h| HistoryRow {
            verdict_zh: Verdict::parse(&h.verdict).map_or("未知", Verdict::label_zh),
            run: h.run,
            as_of: h.as_of,
            started_zh: shown(&h.started_at),
            started_at: h.started_at,
            verdict: h.verdict,
            findings: h.findings,
            stale_columns: h.stale_columns,
            broken_links: h.broken_links,
        })
        .collect();
    let days = match t.kind {
        TargetKind::Site => {
            let today = state.settings.clock.today_in_china();
            xunjian_core::availability(&state.settings, &state.store, id, today).await?
        }
        TargetKind::Account => Vec::new(),
    };
    Ok(TargetDetail {
        run: run.id,
        as_of: run.as_of,
        target: row(t, &state.seeds),
        findings,
        due_soon: columns.iter().filter(|c| c.due_soon).count(),
        account: t.account.clone(),
        account_state: t
            .account
            .as_ref()
            .and_then(|a| a.state)
            .map(|s| s.label_zh()),
        homepage: t.homepage.clone(),
        marks: t.marks.as_ref().map(mark_rows).unwrap_or_default(),
        disclosures: t.disclosures.iter().map(DisclosureRow::of).collect(),
        relays: t
            .relays
            .iter()
            .map(|m| RelayRow::of(m, &state.seeds))
            .collect(),
        columns,
        inconclusive: t.inconclusive.clone(),
        availability: days.iter().map(DayRow::of).collect(),
        history,
        days,
    })
}

/// The detail of target `id` when `who` may see it; another unit's target is not found.
async fn visible_detail(state: &AppState, who: &Who, id: &str) -> Result<TargetDetail, AppError> {
    let detail = target_detail(state, id).await?;
    if !who.sees_unit(&detail.target.unit) {
        return Err(AppError::NotFound(format!("对象 {id}")));
    }
    Ok(detail)
}

pub(crate) async fn api_target(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Json<TargetDetail>, AppError> {
    Ok(Json(visible_detail(&state, &who, &id).await?))
}

pub(crate) async fn target_page(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let detail = visible_detail(&state, &who, &id).await?;
    let title = detail.target.name.clone();
    let (probes_chart, times_chart) = charts::availability(&detail.days).unzip();
    let runs: Vec<(String, i64, i64, i64)> = detail
        .history
        .iter()
        .rev()
        .map(|h| {
            (
                format!("#{}", h.run),
                h.findings,
                h.stale_columns,
                h.broken_links,
            )
        })
        .collect();
    let mut data = serde_json::to_value(&detail)?;
    data["charts"] = serde_json::json!({
        "probes": probes_chart,
        "times": times_chart,
        "history": charts::history(&runs),
    });
    page(&state, "target", &title, &who, data)
}
