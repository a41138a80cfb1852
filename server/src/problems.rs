//! 整改: the tracked problems, their pages and their JSON twins, and the forms that answer them.
//! A 单位 account sees and answers only its own unit's problems; another unit's is not found. Every
//! answer goes through the store's transition (which checks the state the person saw) and lands in
//! the audit log shown on the problem's page.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::{Deserialize, Serialize};
use xunjian_model::{Action, ProblemState};
use xunjian_store::{Problem, ProblemEvent, Refused};

use crate::auth::Who;
use crate::web::{page, shown, AppError, AppState};

/// A problem as the list and the API show it.
#[derive(Debug, Serialize)]
pub(crate) struct ProblemRow {
    id: i64,
    unit: String,
    unit_name: String,
    target: String,
    target_name: String,
    rule: String,
    category_zh: &'static str,
    object: String,
    url: Option<String>,
    evidence: String,
    state: &'static str,
    state_zh: &'static str,
    open: bool,
    first_seen: String,
    first_seen_zh: String,
    last_seen: String,
    last_seen_zh: String,
    deadline: Option<String>,
}

impl ProblemRow {
    fn of(p: &Problem, state: &AppState) -> ProblemRow {
        let seeds = &state.seeds;
        let target_name = seeds
            .site(&p.key.target)
            .map(|s| s.name.clone())
            .or_else(|| {
                seeds
                    .accounts
                    .iter()
                    .find(|a| a.id == p.key.target)
                    .map(|a| a.name.clone())
            })
            .unwrap_or_else(|| p.key.target.clone());
        ProblemRow {
            id: p.id,
            unit_name: seeds
                .unit(&p.unit)
                .map_or_else(|| p.unit.clone(), |u| u.name.clone()),
            unit: p.unit.clone(),
            target: p.key.target.clone(),
            target_name,
            rule: p.key.rule.clone(),
            category_zh: p.finding.category_zh(),
            object: p.key.object.clone(),
            url: p.finding.url().map(str::to_string),
            evidence: p.finding.evidence().to_string(),
            state: p.state.as_str(),
            state_zh: p.state.label_zh(),
            open: p.state.is_open(),
            first_seen_zh: shown(&p.first_seen),
            first_seen: p.first_seen.clone(),
            last_seen_zh: shown(&p.last_seen),
            last_seen: p.last_seen.clone(),
            deadline: p.deadline.clone(),
        }
    }
}

/// One line of the audit log as the page shows it.
#[derive(Debug, Serialize)]
pub(crate) struct EventRow {
    at: String,
    at_zh: String,
    actor: String,
    action: &'static str,
    action_zh: &'static str,
    before_zh: Option<&'static str>,
    after_zh: &'static str,
    note: Option<String>,
    run: Option<i64>,
}

impl EventRow {
    fn of(e: &ProblemEvent) -> EventRow {
        EventRow {
            at_zh: shown(&e.at),
            at: e.at.clone(),
            actor: e.actor.clone(),
            action: e.action.as_str(),
            action_zh: e.action.label_zh(),
            before_zh: e.before.map(ProblemState::label_zh),
            after_zh: e.after.label_zh(),
            note: e.note.clone(),
            run: e.run,
        }
    }
}

/// An answer the viewer may give now.
#[derive(Debug, Serialize)]
struct ActionForm {
    action: &'static str,
    label_zh: &'static str,
    needs_note: bool,
}

/// An answer kept as the problem's evidence (全过程留痕).
#[derive(Debug, Serialize)]
pub(crate) struct EvidenceView {
    id: i64,
    at_zh: String,
    kind_zh: &'static str,
    url: String,
    status: Option<i64>,
    bytes: i64,
}

/// `GET /api/problems/{id}`: a problem with its log and its evidence.
#[derive(Debug, Serialize)]
pub(crate) struct ProblemDetail {
    problem: ProblemRow,
    log: Vec<EventRow>,
    evidence: Vec<EvidenceView>,
}

/// The filter of the list: `?state=open|fixed|…` (all when absent).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StateFilter {
    state: Option<String>,
    /// Set after the office started a 复查: the page says it is running.
    rechecking: Option<String>,
}

/// The problems `who` may see, filtered.
async fn visible(
    state: &AppState,
    who: &Who,
    filter: &StateFilter,
) -> Result<Vec<ProblemRow>, AppError> {
    let want = filter.state.as_deref().filter(|s| !s.is_empty());
    Ok(state
        .store
        .problems(None)
        .await?
        .iter()
        .filter(|p| who.sees_unit(&p.unit))
        .filter(|p| want.is_none_or(|w| p.state.as_str() == w))
        .map(|p| ProblemRow::of(p, state))
        .collect())
}

/// Problem `id` when `who` may see it; another unit's is not found, exactly as a missing one.
async fn visible_one(state: &AppState, who: &Who, id: i64) -> Result<Problem, AppError> {
    match state.store.problem(id).await? {
        Some(p) if who.sees_unit(&p.unit) => Ok(p),
        _ => Err(AppError::NotFound(format!("问题 {id}"))),
    }
}

/// `GET /api/problems`.
pub(crate) async fn api_list(
    State(state): State<AppState>,
    who: Who,
    Query(filter): Query<StateFilter>,
) -> Result<Json<Vec<ProblemRow>>, AppError> {
    Ok(Json(visible(&state, &who, &filter).await?))
}

/// `GET /problems`: 整改台账.
pub(crate) async fn list_page(
    State(state): State<AppState>,
    who: Who,
    Query(filter): Query<StateFilter>,
) -> Result<Html<String>, AppError> {
    let rows = visible(&state, &who, &filter).await?;
    let states: Vec<_> = ProblemState::ALL
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": s.as_str(),
                "label": s.label_zh(),
                "selected": filter.state.as_deref() == Some(s.as_str()),
            })
        })
        .collect();
    let open = rows.iter().filter(|r| r.open).count();
    let data = serde_json::json!({
        "can_recheck": who.is_office(),
        "csrf": who.csrf(),
        "rechecking": filter.rechecking.is_some(),
        "count": rows.len(),
        "rows": rows,
        "states": states,
        "open": open,
    });
    page(&state, "problems", "整改", &who, data)
}

async fn detail(state: &AppState, who: &Who, id: i64) -> Result<ProblemDetail, AppError> {
    let p = visible_one(state, who, id).await?;
    let log = state.store.problem_events(id).await?;
    let evidence = state.store.evidence(id).await?;
    Ok(ProblemDetail {
        problem: ProblemRow::of(&p, state),
        log: log.iter().map(EventRow::of).collect(),
        evidence: evidence
            .into_iter()
            .map(|e| EvidenceView {
                id: e.id,
                at_zh: shown(&e.at),
                kind_zh: if e.kind == "recheck" {
                    "复查"
                } else {
                    "首次发现"
                },
                url: e.url,
                status: e.status,
                bytes: e.bytes,
            })
            .collect(),
    })
}

/// `GET /api/problems/{id}`.
pub(crate) async fn api_detail(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Json<ProblemDetail>, AppError> {
    Ok(Json(detail(&state, &who, id).await?))
}

/// `GET /problems/{id}`: the problem, its evidence, its log, and the answers the viewer may give.
pub(crate) async fn detail_page(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let p = visible_one(&state, &who, id).await?;
    let d = detail(&state, &who, id).await?;
    let forms: Vec<ActionForm> = Action::ALL
        .into_iter()
        .filter(|a| who.may(*a, &p.unit) && a.apply(p.state).is_some())
        .map(|a| ActionForm {
            action: a.as_str(),
            label_zh: a.label_zh(),
            needs_note: a.needs_note(),
        })
        .collect();
    let title = format!("问题 {id}");
    let data = serde_json::json!({
        "detail": d,
        "forms": forms,
        "expected": p.state.as_str(),
        "csrf": who.csrf(),
    });
    page(&state, "problem", &title, &who, data)
}

/// An answer to a problem.
#[derive(Debug, Deserialize)]
pub(crate) struct Answer {
    action: String,
    /// The state the person saw when answering.
    expected: String,
    #[serde(default)]
    note: String,
    csrf: String,
}

/// `POST /problems/{id}/act`: the CSRF token must be the session's; the viewer must see the
/// problem and hold the role the answer needs; a note is required where the answer needs a reason.
pub(crate) async fn act(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<i64>,
    Form(form): Form<Answer>,
) -> Result<Response, AppError> {
    if !who.checks(&form.csrf) {
        return Ok((StatusCode::FORBIDDEN, "CSRF 校验失败，请刷新页面后重试").into_response());
    }
    let p = visible_one(&state, &who, id).await?;
    let (Some(action), Some(expected)) = (
        Action::parse(&form.action),
        ProblemState::parse(&form.expected),
    ) else {
        return Ok((StatusCode::BAD_REQUEST, "未知的操作").into_response());
    };
    if !who.may(action, &p.unit) {
        return Ok((StatusCode::FORBIDDEN, "无权进行此操作").into_response());
    }
    let note = form.note.trim();
    if action.needs_note() && note.is_empty() {
        return Ok((StatusCode::BAD_REQUEST, "请填写说明").into_response());
    }
    let at = state.settings.clock.now_rfc3339();
    let note = (!note.is_empty()).then_some(note);
    match state
        .store
        .act(id, expected, action, who.name(), note, &at)
        .await?
    {
        Ok(_) => {
            tracing::info!(
                problem = id,
                by = who.name(),
                action = action.as_str(),
                "problem answered"
            );
            Ok(Redirect::to(&format!("/problems/{id}")).into_response())
        }
        Err(Refused::NoProblem) => Err(AppError::NotFound(format!("问题 {id}"))),
        Err(Refused::NotNow(now)) => Ok((
            StatusCode::CONFLICT,
            format!("该问题当前状态为「{}」，无法进行此操作", now.label_zh()),
        )
            .into_response()),
    }
}

/// The 复查 button's form.
#[derive(Debug, Deserialize)]
pub(crate) struct StartRecheck {
    csrf: String,
}

/// `POST /recheck`: the office starts a 复查 of every open problem; it runs in the background
/// under the usual politeness and each problem's page shows what it found.
pub(crate) async fn start_recheck(
    State(state): State<AppState>,
    who: Who,
    Form(form): Form<StartRecheck>,
) -> Result<Response, AppError> {
    if !who.checks(&form.csrf) {
        return Ok((StatusCode::FORBIDDEN, "CSRF 校验失败，请刷新页面后重试").into_response());
    }
    if !who.is_office() {
        return Ok((StatusCode::FORBIDDEN, "仅办公室可发起复查").into_response());
    }
    let (settings, store) = ((*state.settings).clone(), state.store.clone());
    tracing::info!(by = who.name(), "复查 started");
    tokio::spawn(async move {
        match xunjian_core::recheck(&settings, &store).await {
            Ok(done) => tracing::info!("{done}"),
            Err(e) => tracing::error!("复查 failed: {e}"),
        }
    });
    Ok(Redirect::to("/problems?rechecking=1").into_response())
}

/// `GET /problems/{id}/evidence/{eid}`: one kept answer as a WARC file, for a problem the viewer
/// may see; evidence of another problem is not found.
pub(crate) async fn evidence(
    State(state): State<AppState>,
    who: Who,
    Path((id, eid)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    visible_one(&state, &who, id).await?;
    match state.store.evidence_warc(eid).await? {
        Some((problem, warc)) if problem == id => Ok((
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "application/warc".to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"problem-{id}-evidence-{eid}.warc\""),
                ),
            ],
            warc,
        )
            .into_response()),
        _ => Err(AppError::NotFound(format!("证据 {eid}"))),
    }
}
