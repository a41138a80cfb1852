//! The dashboard: server-rendered pages in Chinese and their JSON twins under `/api/`, all read
//! from the store's newest judgement (what the 通报 would say if it were issued that day) and the
//! scheduler's board. Handlers are short: they read, build a view, and render it.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::Stream;
use handlebars::Handlebars;
use serde::{Deserialize, Serialize};
use xunjian_core::Store;
use xunjian_model::{Finding, Seeds, TargetKind, TargetReport};
use xunjian_store::VerdictCounts;

use crate::auth::{district_wide, Who};
use crate::board::{Board, JobView};
use crate::charts;
use crate::target::{api_target, target_page};

/// What every handler reads.
#[derive(Clone)]
pub(crate) struct AppState {
    pub store: Store,
    pub seeds: Arc<Seeds>,
    /// The service's settings: the rule pack's windows and the clock.
    pub settings: Arc<xunjian_core::Settings>,
    /// The newest judgement, kept between page views.
    pub judged: Arc<crate::judged::JudgedCache>,
    pub board: Arc<Board>,
    pub templates: Arc<Handlebars<'static>>,
    /// Sign-in limits and the single-sign-on setting.
    pub gate: crate::auth::SharedGate,
    /// Where the quarterly documents are (the notices units download).
    pub out: std::path::PathBuf,
    /// Becomes true when the service stops: open event streams end, so that the graceful
    /// shutdown does not wait for a browser to close its 运行 page.
    pub stop: tokio::sync::watch::Receiver<bool>,
}

/// The routes.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(overview))
        .route("/runs", get(runs_page))
        .route("/targets/{id}", get(target_page))
        .route("/api/targets", get(api_targets))
        .route("/api/targets/{id}", get(api_target))
        .route("/api/runs", get(api_runs))
        .route("/api/trend", get(api_trend))
        .route("/api/jobs/stream", get(jobs_stream))
        .route(
            "/login",
            get(crate::auth::login_form).post(crate::auth::login),
        )
        .route("/logout", post(crate::auth::logout))
        .route("/problems", get(crate::problems::list_page))
        .route("/problems/{id}", get(crate::problems::detail_page))
        .route("/problems/{id}/act", post(crate::problems::act))
        .route(
            "/problems/{id}/evidence/{eid}",
            get(crate::problems::evidence),
        )
        .route("/recheck", post(crate::problems::start_recheck))
        .route("/notices", get(crate::notices::list_page))
        .route(
            "/manual",
            get(crate::manual::list_page).post(crate::manual::record),
        )
        .route("/notices/{as_of}/{file}", get(crate::notices::download))
        .route("/notices/{as_of}/{unit}/ack", post(crate::notices::ack))
        .route("/api/problems", get(crate::problems::api_list))
        .route("/api/problems/{id}", get(crate::problems::api_detail))
        .route("/assets/runs.js", get(runs_script))
        .route("/healthz", get(health))
        .layer(axum::middleware::from_fn(crate::auth::refuse_cross_site))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn(server_timing))
        .with_state(state)
}

/// The headers every answer carries: no script but the server's own (so a crawled title holding
/// `<script>` that escaped the templates still could not run), no framing (clickjacking), no
/// sniffing of types, and no Referer to the sites an inspector opens from the dashboard (its
/// internal addresses stay internal).
const SECURITY_HEADERS: [(&str, &str); 5] = [
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'",
    ),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
];

async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, axum::http::HeaderValue::from_static(value));
    }
    response
}

/// `GET /healthz`, the one answer given without sign-in (for a load balancer or systemd's
/// watchdog): `ok` when the store answers, 503 when it does not. It names nothing inspected.
async fn health(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.has_users().await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check: the store does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "store unavailable")
        }
    }
}

/// The runs page's script (job progress over Server-Sent Events), served from here rather than
/// inline so that the content security policy can forbid inline scripts.
async fn runs_script(who: Who) -> Result<Response, AppError> {
    district_wide(&who)?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/javascript; charset=utf-8",
        )],
        include_str!("../assets/runs.js"),
    )
        .into_response())
}

/// Every answer says how long the server took (`Server-Timing: app;dur=…` in milliseconds): what
/// the dashboard benchmark measures, and what a browser's developer tools show.
async fn server_timing(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let started = std::time::Instant::now();
    let mut response = next.run(request).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("app;dur={ms:.1}")) {
        response.headers_mut().insert("server-timing", v);
    }
    response
}

/// The page templates, compiled once.
pub(crate) fn templates() -> Result<Handlebars<'static>, Box<handlebars::TemplateError>> {
    let mut h = Handlebars::new();
    h.set_strict_mode(true);
    for (name, text) in [
        ("layout", include_str!("../templates/layout.html.hbs")),
        ("overview", include_str!("../templates/overview.html.hbs")),
        ("runs", include_str!("../templates/runs.html.hbs")),
        ("target", include_str!("../templates/target.html.hbs")),
        ("login", include_str!("../templates/login.html.hbs")),
        ("problems", include_str!("../templates/problems.html.hbs")),
        ("problem", include_str!("../templates/problem.html.hbs")),
        ("notices", include_str!("../templates/notices.html.hbs")),
        ("manual", include_str!("../templates/manual.html.hbs")),
    ] {
        h.register_template_string(name, text).map_err(Box::new)?;
    }
    Ok(h)
}

/// A failure to answer: a target nobody judged (404), or the store or a template (500, with the
/// reason).
pub(crate) enum AppError {
    NotFound(String),
    Internal(String),
}

impl<E: std::fmt::Display> From<E> for AppError {
    fn from(e: E) -> AppError {
        AppError::Internal(e.to_string())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound(what) => {
                (StatusCode::NOT_FOUND, format!("未找到：{what}")).into_response()
            }
            AppError::Internal(why) => {
                tracing::error!("dashboard: {why}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("内部错误：{why}"),
                )
                    .into_response()
            }
        }
    }
}

/// The filters of the 总览 (all optional): `?unit=…&kind=site|account&verdict=…`.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct Filter {
    unit: Option<String>,
    kind: Option<String>,
    verdict: Option<String>,
}

impl Filter {
    fn keeps(&self, t: &TargetRow) -> bool {
        let is = |want: &Option<String>, have: &str| match want.as_deref() {
            None | Some("") => true,
            Some(w) => w == have,
        };
        is(&self.unit, &t.unit) && is(&self.kind, t.kind) && is(&self.verdict, t.verdict)
    }
}

/// One target as of the newest judgement.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TargetRow {
    id: String,
    pub(crate) name: String,
    kind: &'static str,
    kind_zh: &'static str,
    pub(crate) unit: String,
    unit_name: String,
    verdict: &'static str,
    verdict_zh: &'static str,
    vetoes: Vec<String>,
    veto_labels: Vec<String>,
    open_findings: usize,
    by_category: BTreeMap<&'static str, usize>,
}

/// `GET /api/targets`: the newest judgement of every target.
#[derive(Debug, Serialize)]
pub(crate) struct TargetsView {
    /// The run judged, when there is one.
    run: Option<i64>,
    /// Its time point.
    as_of: Option<String>,
    targets: Vec<TargetRow>,
}

pub(crate) fn row(t: &TargetReport, seeds: &Seeds) -> TargetRow {
    let (kind, kind_zh) = match t.kind {
        TargetKind::Site => ("site", "政府网站"),
        TargetKind::Account => ("account", "政务新媒体"),
    };
    let name = seeds
        .sites
        .iter()
        .find(|s| s.id == t.id)
        .map(|s| s.name.clone())
        .or_else(|| {
            seeds
                .accounts
                .iter()
                .find(|a| a.id == t.id)
                .map(|a| a.name.clone())
        })
        .unwrap_or_else(|| t.id.clone());
    let unit_name = seeds
        .unit(&t.unit)
        .map_or_else(|| t.unit.clone(), |u| u.name.clone());
    let mut by_category = BTreeMap::new();
    for f in &t.findings {
        *by_category.entry(Finding::category_zh(f)).or_insert(0) += 1;
    }
    let veto_labels = t.veto_labels();
    TargetRow {
        id: t.id.clone(),
        name,
        kind,
        kind_zh,
        unit: t.unit.clone(),
        unit_name,
        verdict: t.verdict.as_str(),
        verdict_zh: t.verdict.label_zh(),
        vetoes: t.vetoes.clone(),
        veto_labels,
        open_findings: t.findings.len(),
        by_category,
    }
}

async fn targets(state: &AppState, who: &Who) -> Result<TargetsView, AppError> {
    let Some(judged) = state.judged.newest(&state.store, &state.board).await? else {
        return Ok(TargetsView {
            run: None,
            as_of: None,
            targets: vec![],
        });
    };
    Ok(TargetsView {
        run: Some(judged.run.id),
        as_of: Some(judged.run.as_of.clone()),
        targets: judged
            .reports
            .iter()
            .filter(|t| who.sees_unit(&t.unit))
            .map(|t| row(t, &state.seeds))
            .collect(),
    })
}

async fn api_targets(
    State(state): State<AppState>,
    who: Who,
    Query(filter): Query<Filter>,
) -> Result<Json<TargetsView>, AppError> {
    let mut view = targets(&state, &who).await?;
    view.targets.retain(|t| filter.keeps(t));
    Ok(Json(view))
}

/// A run, as the API shows it.
#[derive(Debug, Serialize)]
pub(crate) struct RunRow {
    id: i64,
    as_of: String,
    started_at: String,
    /// `started_at` in China time.
    started_zh: String,
    status: String,
    status_zh: &'static str,
}

/// `GET /api/runs`: the newest runs and what every job is doing now.
#[derive(Debug, Serialize)]
pub(crate) struct RunsView {
    runs: Vec<RunRow>,
    jobs: Vec<JobView>,
}

fn status_zh(s: &str) -> &'static str {
    match s {
        "crawling" => "抓取中",
        "crawled" => "已抓取",
        "analyzed" => "已研判",
        "reported" => "已出具通报",
        _ => "未知",
    }
}

async fn runs(state: &AppState) -> Result<RunsView, AppError> {
    let runs = state.store.runs(50).await?;
    Ok(RunsView {
        runs: runs
            .into_iter()
            .map(|r| RunRow {
                status_zh: status_zh(&r.status),
                id: r.id,
                as_of: r.as_of,
                started_zh: shown(&r.started_at),
                started_at: r.started_at,
                status: r.status,
            })
            .collect(),
        jobs: state.board.view(),
    })
}

async fn api_runs(State(state): State<AppState>, who: Who) -> Result<Json<RunsView>, AppError> {
    district_wide(&who)?;
    Ok(Json(runs(&state).await?))
}

/// How often the jobs' progress is pushed to an open 运行 page.
const PUSH_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// `GET /api/jobs/stream`: Server-Sent Events, one `jobs` event a second with every job's state
/// and per-site progress (the JSON of `jobs` in `/api/runs`): the 运行 page updates from it.
async fn jobs_stream(
    State(state): State<AppState>,
    who: Who,
) -> Result<Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>>, AppError> {
    district_wide(&who)?;
    let stream = futures_util::stream::unfold((state, true), |(mut state, first)| async move {
        if !first {
            tokio::select! {
                _ = tokio::time::sleep(PUSH_EVERY) => {}
                _ = state.stop.wait_for(|stopped| *stopped) => return None,
            }
        }
        if *state.stop.borrow() {
            return None;
        }
        let data = serde_json::to_string(&state.board.view()).unwrap_or_else(|_| "[]".into());
        Some((
            Ok(Event::default().event("jobs").data(data)),
            (state, false),
        ))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// A stored time (RFC 3339, UTC) as people read it: China time to the minute.
pub(crate) fn shown(rfc3339: &str) -> String {
    xunjian_model::clock::china_minute_of(rfc3339)
}

/// A page: `name`'s template with `data`, in the layout, which shows who is looking.
pub(crate) fn page(
    state: &AppState,
    name: &str,
    title: &str,
    who: &Who,
    data: serde_json::Value,
) -> Result<Html<String>, AppError> {
    let body = state.templates.render(name, &data)?;
    let html = state.templates.render(
        "layout",
        &serde_json::json!({
            "title": title,
            "district": state.seeds.district.name,
            "body": body,
            "who": who.banner(),
            "district_wide": who.sees_all(),
        }),
    )?;
    Ok(Html(html))
}

async fn overview(
    State(state): State<AppState>,
    who: Who,
    Query(filter): Query<Filter>,
) -> Result<Html<String>, AppError> {
    let mut view = targets(&state, &who).await?;
    let total = view.targets.len();
    view.targets.retain(|t| filter.keeps(t));
    let units: Vec<_> = state
        .seeds
        .units
        .iter()
        .filter(|u| who.sees_unit(&u.id))
        .map(|u| serde_json::json!({ "id": u.id, "name": u.name, "selected": filter.unit.as_deref() == Some(u.id.as_str()) }))
        .collect();
    let trend = if who.sees_all() {
        state.store.verdict_trend(TREND_RUNS).await?
    } else {
        Vec::new()
    };
    let data = serde_json::json!({
        "view": view,
        "shown": view.targets.len(),
        "total": total,
        "units": units,
        "filter": filter,
        "trend": charts::trend(&trend),
    });
    page(&state, "overview", "总览", &who, data)
}

/// How many judged runs the 总览's trend shows.
const TREND_RUNS: i64 = 12;

/// `GET /api/trend`: the verdicts of the newest judged runs, counted, oldest first (the 总览's
/// trend chart).
async fn api_trend(
    State(state): State<AppState>,
    who: Who,
) -> Result<Json<Vec<VerdictCounts>>, AppError> {
    district_wide(&who)?;
    Ok(Json(state.store.verdict_trend(TREND_RUNS).await?))
}

async fn runs_page(State(state): State<AppState>, who: Who) -> Result<Html<String>, AppError> {
    district_wide(&who)?;
    let view = runs(&state).await?;
    page(&state, "runs", "运行", &who, serde_json::to_value(view)?)
}
