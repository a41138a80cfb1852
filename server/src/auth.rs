//! Who is looking (登录与权限): sessions kept in the store behind an HttpOnly, SameSite=Strict
//! cookie (Secure when the request came over TLS through a proxy), a CSRF token on every form,
//! sign-in attempts limited per name and per address, and optionally a reverse proxy's
//! authenticated-user header for single sign-on (off unless `--trust-user-header` names it).
//!
//! Every page and every API answer asks who is looking; only `/healthz` and the sign-in page
//! itself do not. A 单位 account sees only its own unit's targets and problems: another unit's
//! is not found, whether asked for by page, by API or by guessing an id. Until the first account
//! is added (`xunjian user add`) nobody can sign in, so nothing can be read, unless the service
//! was started `--open`: then, while no account exists, anyone who reaches it may read (never
//! act). The demo runs so; an office's service should not.
//!
//! A state-changing request also has to come from the dashboard's own pages: besides its form's
//! CSRF token, a browser's `Origin` (or `Sec-Fetch-Site`) naming another site is refused
//! ([`same_origin`]).

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use governor::{DefaultKeyedRateLimiter, Quota};
use serde::Deserialize;
use xunjian_core::accounts;
use xunjian_model::{Action, Role};
use xunjian_store::User;

use crate::web::{page, AppError, AppState};

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "xunjian_session";
/// The sign-in form's own CSRF cookie (double submit: there is no session yet).
const LOGIN_COOKIE: &str = "xunjian_login";
/// How long a session lasts.
const SESSION_HOURS: i64 = 12;
/// Sign-in attempts allowed per account name, per minute.
const ATTEMPTS_PER_MINUTE: u32 = 5;
/// Sign-in attempts allowed per address, per minute (an office's people may share one address).
const ATTEMPTS_PER_ADDRESS: u32 = 20;

/// How people are recognised, fixed when the service starts.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// A reverse proxy's header naming the authenticated account (`X-Remote-User`…); `None`:
    /// sign in here. Only set it behind a proxy that strips the header from outside requests.
    pub user_header: Option<String>,
    /// While no account exists, let anyone who reaches the dashboard read it (`serve --open`, the
    /// demo). Off by default: a fresh service shows nothing until `xunjian user add`.
    pub open: bool,
}

/// The sign-in limiter and the secret the single-sign-on CSRF tokens derive from.
pub(crate) struct Gate {
    by_name: DefaultKeyedRateLimiter<String>,
    by_addr: DefaultKeyedRateLimiter<IpAddr>,
    secret: String,
    pub(crate) access: Access,
}

impl Gate {
    /// A gate with fresh limits.
    pub(crate) fn new(access: Access) -> Gate {
        let per_minute = |n| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Gate {
            by_name: DefaultKeyedRateLimiter::keyed(per_minute(ATTEMPTS_PER_MINUTE)),
            by_addr: DefaultKeyedRateLimiter::keyed(per_minute(ATTEMPTS_PER_ADDRESS)),
            secret: accounts::new_token(),
            access,
        }
    }

    /// Whether one more sign-in attempt for `name` from `addr` is allowed now.
    fn admit(&self, name: &str, addr: IpAddr) -> bool {
        // Both are counted, so neither a name nor an address can be tried past its limit.
        let name_ok = self.by_name.check_key(&name.to_string()).is_ok();
        let addr_ok = self.by_addr.check_key(&addr).is_ok();
        name_ok && addr_ok
    }
}

impl std::fmt::Debug for Gate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gate")
            .field("access", &self.access)
            .finish()
    }
}

/// Who is looking at a page.
#[derive(Debug, Clone)]
pub(crate) enum Who {
    /// No account exists yet: everything can be read, nothing done.
    Open,
    /// A signed-in account, with the CSRF token its forms must carry.
    User { user: User, csrf: String },
}

impl Who {
    /// Whether this viewer may see what belongs to `unit`.
    pub(crate) fn sees_unit(&self, unit: &str) -> bool {
        match self {
            Who::Open => true,
            Who::User { user, .. } => match user.role {
                Role::Unit => user.unit.as_deref() == Some(unit),
                Role::Office | Role::Viewer => true,
            },
        }
    }

    /// Whether this viewer sees every unit (the 运行 page, the whole district's trend).
    pub(crate) fn sees_all(&self) -> bool {
        match self {
            Who::Open => true,
            Who::User { user, .. } => user.role != Role::Unit,
        }
    }

    /// Whether this viewer may take `action` on a problem of `unit`.
    pub(crate) fn may(&self, action: Action, unit: &str) -> bool {
        match self {
            Who::Open => false,
            Who::User { user, .. } => action.by() == Some(user.role) && self.sees_unit(unit),
        }
    }

    /// Whether this viewer is the office (办公室).
    pub(crate) fn is_office(&self) -> bool {
        matches!(self, Who::User { user, .. } if user.role == Role::Office)
    }

    /// The account's name, for the audit log.
    pub(crate) fn name(&self) -> &str {
        match self {
            Who::Open => "",
            Who::User { user, .. } => &user.name,
        }
    }

    /// The CSRF token the viewer's forms carry.
    pub(crate) fn csrf(&self) -> &str {
        match self {
            Who::Open => "",
            Who::User { csrf, .. } => csrf,
        }
    }

    /// What the layout shows of the viewer.
    pub(crate) fn banner(&self) -> serde_json::Value {
        match self {
            Who::Open => serde_json::json!({
                "open": true, "name": null, "role_zh": null, "unit": null, "csrf": null,
            }),
            Who::User { user, csrf } => serde_json::json!({
                "open": false,
                "name": user.name,
                "role_zh": user.role.label_zh(),
                "unit": user.unit,
                "csrf": csrf,
            }),
        }
    }

    /// Whether a form's token is this viewer's.
    pub(crate) fn checks(&self, token: &str) -> bool {
        matches!(self, Who::User { csrf, .. } if accounts::same_secret(csrf, token))
    }
}

/// The value of cookie `name` in the request's headers.
pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether the request came over TLS (through a proxy that says so).
fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Secure over TLS.
fn set_cookie(name: &str, value: &str, path: &str, max_age: i64, tls: bool) -> HeaderValue {
    let secure = if tls { "; Secure" } else { "" };
    let v = format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Why a request was not let in: to the sign-in page (pages) or 401 (the API).
pub(crate) enum Denied {
    SignIn,
    Unauthorized,
    Failed(AppError),
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::SignIn => Redirect::to("/login").into_response(),
            Denied::Unauthorized => (StatusCode::UNAUTHORIZED, "请先登录").into_response(),
            Denied::Failed(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for Who {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Who, Denied> {
        let failed = |e: xunjian_store::StoreError| Denied::Failed(AppError::from(e));
        let store = &state.store;
        if let Some(h) = &state.gate.access.user_header {
            if let Some(name) = parts.headers.get(h).and_then(|v| v.to_str().ok()) {
                if let Some(user) = store.user(name).await.map_err(failed)? {
                    if !user.disabled {
                        let csrf = accounts::token_hash(&format!("{}:{name}", state.gate.secret));
                        return Ok(Who::User { user, csrf });
                    }
                }
            }
        }
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            let now = state.settings.clock.now_rfc3339();
            let found = store
                .session(&accounts::token_hash(token), &now)
                .await
                .map_err(failed)?;
            if let Some(s) = found {
                return Ok(Who::User {
                    user: s.user,
                    csrf: s.csrf,
                });
            }
        }
        if state.gate.access.open && !store.has_users().await.map_err(failed)? {
            return Ok(Who::Open);
        }
        if parts.uri.path().starts_with("/api/") {
            Err(Denied::Unauthorized)
        } else {
            Err(Denied::SignIn)
        }
    }
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub(crate) struct SignIn {
    name: String,
    password: String,
    csrf: String,
}

/// The sign-in page, with `error` when the last attempt failed.
fn login_page(state: &AppState, error: Option<&str>, tls: bool, status: StatusCode) -> Response {
    let token = accounts::new_token();
    let data = serde_json::json!({ "csrf": token, "error": error });
    match page(state, "login", "登录", &Who::Open, data) {
        Ok(html) => {
            let mut r = (status, html).into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                set_cookie(LOGIN_COOKIE, &token, "/login", 600, tls),
            );
            r
        }
        Err(e) => e.into_response(),
    }
}

/// What the sign-in page says before any account exists.
const NO_ACCOUNTS: &str = "尚未设置账号：请在服务器上运行 xunjian user add 添加账号";

/// `GET /login`.
pub(crate) async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let hint = match state.store.has_users().await {
        Ok(true) => None,
        Ok(false) => Some(NO_ACCOUNTS),
        Err(e) => return AppError::from(e).into_response(),
    };
    login_page(&state, hint, over_tls(&headers), StatusCode::OK)
}

/// Whether a request that changes something comes from the dashboard's own pages: a browser
/// names the page's origin in `Origin` and says `Sec-Fetch-Site`; either naming another site
/// refuses it (a forged form posted from elsewhere, beside the token it would also lack).
/// Requests without them (curl, older browsers) are judged by the CSRF token alone.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site").is_some_and(|v| v == "cross-site" || v == "same-site") {
        return false;
    }
    match (text("origin"), text("host")) {
        (None, _) => true,
        (Some(origin), Some(host)) => url::Url::parse(origin).is_ok_and(|u| {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            u.host_str().is_some_and(|h| format!("{h}{port}") == host)
        }),
        (Some(_), None) => false,
    }
}

/// Middleware: a request other than GET/HEAD from another site is refused (403) before any
/// handler reads it.
pub(crate) async fn refuse_cross_site(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    if !safe && !same_origin(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "跨站请求已拒绝").into_response();
    }
    next.run(request).await
}

/// `POST /login`: at most [`ATTEMPTS_PER_MINUTE`] tries a minute per name and
/// [`ATTEMPTS_PER_ADDRESS`] per address; a right password starts a session.
pub(crate) async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let tls = over_tls(&headers);
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !accounts::same_secret(expected, &form.csrf) {
        return login_page(
            &state,
            Some("表单已过期，请重新登录"),
            tls,
            StatusCode::FORBIDDEN,
        );
    }
    if !state.gate.admit(&form.name, addr.ip()) {
        tracing::warn!(name = %form.name, addr = %addr.ip(), "sign-in attempts limited");
        return login_page(
            &state,
            Some("登录尝试过于频繁，请一分钟后再试"),
            tls,
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let user = match accounts::sign_in(&state.store, &form.name, &form.password).await {
        Ok(Some(u)) => u,
        Ok(None) => {
            tracing::info!(name = %form.name, "sign-in refused");
            return login_page(
                &state,
                Some("用户名或密码错误"),
                tls,
                StatusCode::UNAUTHORIZED,
            );
        }
        Err(e) => return AppError::from(e).into_response(),
    };
    match start_session(&state, &user).await {
        Ok(token) => {
            tracing::info!(name = %user.name, "signed in");
            let mut r = Redirect::to("/problems").into_response();
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, "/", SESSION_HOURS * 3600, tls),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(LOGIN_COOKIE, "", "/login", 0, tls),
            );
            r
        }
        Err(e) => e.into_response(),
    }
}

/// A new session of `user`: its token (for the cookie; the store keeps its digest).
async fn start_session(state: &AppState, user: &User) -> Result<String, AppError> {
    let token = accounts::new_token();
    let now = state.settings.clock.now();
    let expires = now + chrono::Duration::hours(SESSION_HOURS);
    let rfc =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state
        .store
        .create_session(
            &accounts::token_hash(&token),
            user.id,
            &accounts::new_token(),
            &rfc(now),
            &rfc(expires),
        )
        .await?;
    Ok(token)
}

/// The sign-out form.
#[derive(Debug, Deserialize)]
pub(crate) struct SignOut {
    csrf: String,
}

/// `POST /logout`.
pub(crate) async fn logout(
    State(state): State<AppState>,
    who: Who,
    headers: HeaderMap,
    Form(form): Form<SignOut>,
) -> Response {
    if !who.checks(&form.csrf) {
        return (StatusCode::FORBIDDEN, "CSRF 校验失败").into_response();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = state.store.end_session(&accounts::token_hash(token)).await {
            return AppError::from(e).into_response();
        }
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", "/", 0, over_tls(&headers)),
    );
    r
}

/// The gate, shared by the handlers.
pub(crate) type SharedGate = Arc<Gate>;

/// A page only for viewers who see every unit.
pub(crate) fn district_wide(who: &Who) -> Result<(), AppError> {
    if who.sees_all() {
        Ok(())
    } else {
        Err(AppError::NotFound("本页面".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_the_dashboards_own_pages_may_post() {
        let own = [("host", "127.0.0.1:8080")];
        assert!(same_origin(&headers(&own)), "no Origin: the token decides");
        assert!(same_origin(&headers(&[
            own[0],
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(same_origin(&headers(&[
            ("host", "xunjian.example.gov.cn"),
            ("origin", "https://xunjian.example.gov.cn")
        ])));
        for forged in [
            [own[0], ("origin", "http://evil.example")],
            [own[0], ("origin", "http://127.0.0.1:9090")],
            [own[0], ("origin", "null")],
            [own[0], ("sec-fetch-site", "cross-site")],
            [own[0], ("sec-fetch-site", "same-site")],
        ] {
            assert!(!same_origin(&headers(&forged)), "{forged:?}");
        }
        assert!(!same_origin(&headers(&[(
            "origin",
            "http://127.0.0.1:8080"
        )])));
    }
}
