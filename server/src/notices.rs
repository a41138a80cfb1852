//! 整改通知 delivered in the dashboard: each unit sees and downloads its own notices (Word, HTML,
//! Markdown) of every quarterly time point, and acknowledges them (签收); the office sees who has.
//! The files are the ones the quarterly inspection wrote into the service's `--out`; nothing is
//! rendered here.

use std::path::PathBuf;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};
use xunjian_model::Role;

use crate::auth::Who;
use crate::web::{page, shown, AppError, AppState};

/// The formats a notice is downloaded in, with their content types.
const FORMATS: [(&str, &str); 3] = [
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("html", "text/html; charset=utf-8"),
    ("md", "text/markdown; charset=utf-8"),
];

/// One unit's notice of one time point.
#[derive(Debug, Serialize)]
struct NoticeRow {
    as_of: String,
    unit: String,
    unit_name: String,
    stem: String,
    acked_by: Option<String>,
    acked_at: Option<String>,
    can_ack: bool,
}

/// The quarterly time points the service wrote documents for, newest first.
fn time_points(out: &std::path::Path) -> Vec<String> {
    let mut points: Vec<String> = std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| chrono::NaiveDate::parse_from_str(n, "%Y-%m-%d").is_ok())
        .collect();
    points.sort_unstable_by(|a, b| b.cmp(a));
    points
}

/// Where a unit's notice of `as_of` is, in `ext`.
fn notice_path(state: &AppState, as_of: &str, unit: &str, ext: &str) -> PathBuf {
    let stem = xunjian_reports::notice_stem(unit);
    state
        .out
        .join(as_of)
        .join("notices")
        .join(format!("{stem}.{ext}"))
}

/// `GET /notices`: the notices the viewer may see, with their 签收.
pub(crate) async fn list_page(
    State(state): State<AppState>,
    who: Who,
) -> Result<Html<String>, AppError> {
    let acks = state.store.notice_acks().await?;
    let mut rows = Vec::new();
    for as_of in time_points(&state.out) {
        for unit in state.seeds.units.iter().filter(|u| who.sees_unit(&u.id)) {
            if !notice_path(&state, &as_of, &unit.id, "docx").exists() {
                continue;
            }
            let ack = acks.get(&(as_of.clone(), unit.id.clone()));
            rows.push(NoticeRow {
                as_of: as_of.clone(),
                unit: unit.id.clone(),
                unit_name: unit.name.clone(),
                stem: xunjian_reports::notice_stem(&unit.id),
                acked_by: ack.map(|(by, _)| by.clone()),
                acked_at: ack.map(|(_, at)| shown(at)),
                can_ack: ack.is_none() && is_unit_of(&who, &unit.id),
            });
        }
    }
    let data = serde_json::json!({ "rows": rows, "csrf": who.csrf() });
    page(&state, "notices", "整改通知", &who, data)
}

/// Whether `who` is a 单位 account of `unit` (only it acknowledges its notice).
fn is_unit_of(who: &Who, unit: &str) -> bool {
    matches!(who, Who::User { user, .. } if user.role == Role::Unit && user.unit.as_deref() == Some(unit))
}

/// The unit whose notices are stored under `stem`.
fn unit_of_stem(state: &AppState, stem: &str) -> Option<String> {
    state
        .seeds
        .units
        .iter()
        .find(|u| xunjian_reports::notice_stem(&u.id) == stem)
        .map(|u| u.id.clone())
}

/// `GET /notices/{as_of}/{file}`: one notice as a download, `file` being `{unit}.docx|html|md`;
/// another unit's is not found.
pub(crate) async fn download(
    State(state): State<AppState>,
    who: Who,
    Path((as_of, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let not_found = || AppError::NotFound(format!("整改通知 {as_of}/{file}"));
    let (stem, ext) = file.rsplit_once('.').ok_or_else(not_found)?;
    let content_type = FORMATS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, ct)| *ct)
        .ok_or_else(not_found)?;
    if chrono::NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").is_err() {
        return Err(not_found());
    }
    let unit = unit_of_stem(&state, stem)
        .filter(|u| who.sees_unit(u))
        .ok_or_else(not_found)?;
    let bytes = std::fs::read(notice_path(&state, &as_of, &unit, ext)).map_err(|_| not_found())?;
    let disposition = format!("attachment; filename=\"notice-{as_of}-{stem}.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The 签收 form.
#[derive(Debug, Deserialize)]
pub(crate) struct Ack {
    csrf: String,
}

/// `POST /notices/{as_of}/{unit}/ack`: the unit acknowledges its notice (签收), once.
pub(crate) async fn ack(
    State(state): State<AppState>,
    who: Who,
    Path((as_of, unit)): Path<(String, String)>,
    Form(form): Form<Ack>,
) -> Result<Response, AppError> {
    if !who.checks(&form.csrf) {
        return Ok((StatusCode::FORBIDDEN, "CSRF 校验失败，请刷新页面后重试").into_response());
    }
    let dated = chrono::NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").is_ok();
    if !dated || !who.sees_unit(&unit) || !notice_path(&state, &as_of, &unit, "docx").exists() {
        return Err(AppError::NotFound(format!("整改通知 {as_of}/{unit}")));
    }
    if !is_unit_of(&who, &unit) {
        return Ok((StatusCode::FORBIDDEN, "仅本单位账号可签收").into_response());
    }
    let at = state.settings.clock.now_rfc3339();
    if state
        .store
        .ack_notice(&as_of, &unit, who.name(), &at)
        .await?
    {
        tracing::info!(unit = %unit, as_of = %as_of, by = who.name(), "notice acknowledged");
    }
    Ok(Redirect::to("/notices").into_response())
}
