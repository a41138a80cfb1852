//! 人工核验 in the dashboard: the office records its own look at an account no reader reaches
//! (the same check as `xunjian manual import`, one record at a time), and everyone sees the
//! records of the accounts they may see. A record counts from the next analysis on; the page says
//! so rather than pretending the current judgement changed.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};
use xunjian_core::manual::{ManualEntry, Refusal};
use xunjian_model::observe::ManualCheck;

use crate::auth::Who;
use crate::web::{page, shown, AppError, AppState};

/// A record as the page shows it.
#[derive(Debug, Serialize)]
struct CheckRow {
    account: String,
    account_name: String,
    unit_name: String,
    last_post: String,
    post_url: Option<String>,
    checked_by: String,
    checked_at: String,
    source: String,
}

impl CheckRow {
    fn of(c: &ManualCheck, state: &AppState) -> CheckRow {
        let account = state.seeds.accounts.iter().find(|a| a.id == c.account);
        CheckRow {
            account: c.account.clone(),
            account_name: account.map_or_else(
                || c.account.clone(),
                |a| format!("{}（{}）", a.name, a.platform.label_zh()),
            ),
            unit_name: account
                .and_then(|a| state.seeds.unit(&a.unit))
                .map_or_else(String::new, |u| u.name.clone()),
            last_post: c
                .last_post_at
                .as_deref()
                .map_or_else(|| c.last_post.to_string(), shown),
            post_url: c.post_url.clone(),
            checked_by: c.checked_by.clone(),
            checked_at: shown(&c.checked_at),
            source: c.source.clone(),
        }
    }
}

/// The form's fields, as sent.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct EntryForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    last_post: String,
    #[serde(default)]
    post_url: String,
    #[serde(default)]
    checked_by: String,
    #[serde(default)]
    checked_at: String,
    #[serde(default)]
    csrf: String,
}

/// `?added=1` after a record was kept.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Added {
    added: Option<String>,
}

/// Render the page: the records `who` may see and, for the office, the form (with `form`'s
/// values and `refused`'s message after a refusal).
async fn render(
    state: &AppState,
    who: &Who,
    form: &EntryForm,
    refused: Option<&Refusal>,
    added: bool,
) -> Result<Html<String>, AppError> {
    let seeds = &state.seeds;
    let visible = |account: &str| {
        seeds
            .accounts
            .iter()
            .find(|a| a.id == account)
            .is_some_and(|a| who.sees_unit(&a.unit))
    };
    let rows: Vec<CheckRow> = state
        .store
        .manual_checks()
        .await?
        .iter()
        .filter(|c| visible(&c.account))
        .map(|c| CheckRow::of(c, state))
        .collect();
    let accounts: Vec<_> = seeds
        .accounts
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id,
                "label": format!("{}（{}）", a.name, a.platform.label_zh()),
                "selected": a.id == form.account,
            })
        })
        .collect();
    let checked_by = if form.checked_by.is_empty() && form.checked_at.is_empty() {
        who.name().to_string()
    } else {
        form.checked_by.clone()
    };
    let data = serde_json::json!({
        "rows": rows,
        "can_record": who.is_office(),
        "csrf": who.csrf(),
        "accounts": accounts,
        "form": form,
        "checked_by": checked_by,
        "refused": refused.map(|r| r.message_zh.clone()),
        "added": added,
    });
    page(state, "manual", "人工核验", who, data)
}

/// `GET /manual`: the 人工核验 records and, for the office, the form.
pub(crate) async fn list_page(
    State(state): State<AppState>,
    who: Who,
    Query(added): Query<Added>,
) -> Result<Html<String>, AppError> {
    let blank = EntryForm::default();
    render(&state, &who, &blank, None, added.added.is_some()).await
}

/// `POST /manual`: the office records one look; a refused entry comes back with its message and
/// the values given, and nothing is written.
pub(crate) async fn record(
    State(state): State<AppState>,
    who: Who,
    Form(form): Form<EntryForm>,
) -> Result<Response, AppError> {
    if !who.checks(&form.csrf) {
        return Ok((StatusCode::FORBIDDEN, "CSRF 校验失败，请刷新页面后重试").into_response());
    }
    if !who.is_office() {
        return Ok((StatusCode::FORBIDDEN, "仅办公室可录入人工核验").into_response());
    }
    let entry = ManualEntry {
        account: form.account.clone(),
        last_post: form.last_post.clone(),
        post_url: form.post_url.clone(),
        checked_by: form.checked_by.clone(),
        checked_at: form.checked_at.clone(),
    };
    match xunjian_core::manual::record_entry(&state.settings, &state.store, &entry).await? {
        Ok(check) => {
            tracing::info!(account = %check.account, by = who.name(), "人工核验 recorded");
            Ok(Redirect::to("/manual?added=1").into_response())
        }
        Err(refused) => {
            let html = render(&state, &who, &form, Some(&refused), false).await?;
            Ok((StatusCode::BAD_REQUEST, html).into_response())
        }
    }
}
