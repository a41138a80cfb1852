//! Polite HTTP fetching: per-host rate limits, robots.txt, retries with backoff, Retry-After, a body
//! cap, redirects followed one hop at a time (so that each hop is rate-limited and recorded), and a
//! cookie jar for WAF cookie challenges.
//!
//! A fetch never fails as a Rust error: however it ends, it ends in a [`FetchRecord`] that says how,
//! because "could not fetch" is an observation the analyzer must see (and must not mistake for "empty").

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::{
    HeaderMap, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
    RETRY_AFTER,
};
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};
use tokio::sync::{OnceCell, Semaphore};
use url::Url;
use xunjian_model::clock::{system_clock, SharedClock};
use xunjian_model::observe::{BlockKind, FailKind, FetchRecord};

use crate::guard::{is_refusal, GuardedResolver, Lookup, NetworkGuard, SystemLookup};
use crate::robots::Robots;

/// The User-Agent xunjian sends; it names itself so that site operators know who is visiting.
pub const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (compatible; xunjian/",
    env!("CARGO_PKG_VERSION"),
    "; government website inspection)"
);

/// The most of a robots.txt that is read (Google's limit, RFC 9309 asks for at least 500 KiB).
pub const ROBOTS_MAX_BYTES: usize = 500 * 1024;

/// The robots.txt product token.
pub const ROBOTS_AGENT: &str = "xunjian";

/// How the fetcher behaves.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Whole-request timeout (the national rule counts ≥ 15 s as a failed visit).
    pub timeout: Duration,
    /// Requests per second per host, unless a host has its own rate.
    pub rate_per_host: f64,
    /// Hosts (`host:port`) with their own rate.
    pub host_rates: HashMap<String, f64>,
    /// Whether robots.txt is honoured.
    pub respect_robots: bool,
    /// Requests in flight at most, over all hosts.
    pub concurrency: usize,
    /// Retries after a connection error, 429 or 503.
    pub retries: u32,
    /// First backoff; doubles with each retry.
    pub backoff: Duration,
    /// Longest Retry-After honoured; a longer one gives up instead of stalling the crawl.
    pub max_retry_after: Duration,
    /// Body bytes kept at most.
    pub max_body: u64,
    /// Redirect hops followed at most.
    pub max_redirects: usize,
    /// Skip politeness (rate limits, robots.txt and budgets): benchmarks against local servers
    /// only.
    pub impolite: bool,
    /// Fetches each host may be sent at most by this fetcher (a crawl: the host's daily budget);
    /// `None`: no limit. Past it, a URL is given up as [`FailKind::Skipped`] without a request.
    pub requests_per_host: Option<u64>,
    /// Where the fetch times (`fetched_at`) come from.
    pub clock: SharedClock,
    /// `Cookie` headers the operator configured, by host (`host:port`): sent to that host only
    /// (a platform's endpoint that needs its login cookies), never logged.
    pub cookies: HashMap<String, Secret>,
    /// Which internal addresses may be connected to (see [`crate::guard`]); the default trusts no
    /// host and refuses every internal address.
    pub guard: Arc<NetworkGuard>,
    /// Where names are resolved: the system's resolver, or a table (tests).
    pub lookup: Arc<dyn Lookup>,
}

/// A secret (a cookie): its value is never printed, in logs or in debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wrap `value`.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the request that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout: Duration::from_secs(15),
            rate_per_host: 1.0,
            host_rates: HashMap::new(),
            respect_robots: true,
            concurrency: 32,
            retries: 2,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(60),
            max_body: 16 * 1024 * 1024,
            max_redirects: 10,
            impolite: false,
            requests_per_host: None,
            clock: system_clock(),
            cookies: HashMap::new(),
            guard: Arc::new(NetworkGuard::default()),
            lookup: Arc::new(SystemLookup),
        }
    }
}

/// What an earlier answer said about its version of a page, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// Its `ETag`.
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
}

/// What to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// GET and read the body (pages).
    Get,
    /// HEAD (link checks).
    Head,
    /// GET, but stop after the status line and headers (link checks where HEAD is refused).
    GetStatus,
}

/// A fetch and, when it answered, its body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// How it went.
    pub record: FetchRecord,
    /// The body (up to the cap), for GETs that answered.
    pub body: Option<Vec<u8>>,
}

/// The polite fetcher, shared by all the crawl's tasks.
pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
    limiters: Mutex<HashMap<String, Arc<DefaultDirectRateLimiter>>>,
    robots: Mutex<HashMap<String, Arc<OnceCell<Robots>>>>,
    in_flight: Semaphore,
    /// Fetches sent so far, by host (counted only under a budget).
    spent: Mutex<HashMap<String, u64>>,
}

/// One attempt's outcome, before retries are decided.
enum Attempt {
    Answer {
        status: StatusCode,
        headers: HeaderMap,
        body: Option<Vec<u8>>,
        too_large: bool,
    },
    Failed(FailKind),
}

/// The `host:port` key politeness is kept under.
pub fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl Fetcher {
    /// A fetcher with this configuration.
    pub fn new(config: FetchConfig) -> Result<Fetcher, reqwest::Error> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .connect_timeout(config.timeout)
            // As many idle connections as requests in flight: fewer, and every burst of parallel
            // fetches to one host opens new connections (a fifth of a recrawl's requests did).
            .pool_max_idle_per_host(config.concurrency.max(1))
            // Every name is resolved through the guard, which drops internal answers: what it
            // lets through is what is connected to.
            .dns_resolver(Arc::new(GuardedResolver::new(
                config.lookup.clone(),
                config.guard.clone(),
            )))
            // A proxy from the environment would resolve names itself, past the guard.
            .no_proxy()
            .build()?;
        Ok(Fetcher {
            client,
            in_flight: Semaphore::new(config.concurrency.max(1)),
            config,
            limiters: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
            spent: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    fn limiter(&self, url: &Url) -> Arc<DefaultDirectRateLimiter> {
        let key = host_key(url);
        let mut map = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.clone())
            .or_insert_with(|| {
                let rate = self
                    .config
                    .host_rates
                    .get(&key)
                    .copied()
                    .unwrap_or(self.config.rate_per_host);
                Arc::new(RateLimiter::direct(quota(rate)))
            })
            .clone()
    }

    /// Slow a host down to at least `delay` between requests (robots.txt `Crawl-delay`).
    fn slow_down(&self, url: &Url, delay: Duration) {
        let key = host_key(url);
        let rate = self
            .config
            .host_rates
            .get(&key)
            .copied()
            .unwrap_or(self.config.rate_per_host);
        if delay.as_secs_f64() * rate > 1.0 {
            let mut map = self.limiters.lock().unwrap_or_else(|p| p.into_inner());
            map.insert(
                key,
                Arc::new(RateLimiter::direct(quota(1.0 / delay.as_secs_f64()))),
            );
        }
    }

    async fn polite_wait(&self, url: &Url) {
        if !self.config.impolite {
            self.limiter(url).until_ready().await;
        }
    }

    /// Whether robots.txt lets xunjian fetch `url` (always true when robots are not honoured).
    pub async fn allowed(&self, url: &Url) -> bool {
        if !self.config.respect_robots || self.config.impolite {
            return true;
        }
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut map = self.robots.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(origin.clone()).or_default().clone()
        };
        let robots = cell
            .get_or_init(|| async {
                let Ok(robots_url) = Url::parse(&format!("{origin}/robots.txt")) else {
                    return Robots::allow_all();
                };
                let fetched = self.get_raw(&robots_url, Mode::Get, None).await;
                let robots = match (fetched.record.status, fetched.body) {
                    (Some(s), Some(body)) if (200..300).contains(&s) => {
                        // As Google does: what lies past 500 KiB is not read.
                        Robots::parse(ROBOTS_AGENT, &body[..body.len().min(ROBOTS_MAX_BYTES)])
                    }
                    // 4xx: no robots.txt, everything allowed. 5xx or no answer: allowed too;
                    // the pages themselves will show whether the host answers.
                    _ => Robots::allow_all(),
                };
                if let Some(delay) = robots.crawl_delay() {
                    self.slow_down(url, delay);
                }
                robots
            })
            .await;
        robots.allowed(url.as_str())
    }

    /// A record for a URL that was not fetched at all (robots.txt, the budget), dated now.
    pub fn give_up(&self, url: &Url, kind: FailKind) -> FetchRecord {
        give_up_at(url, kind, self.config.clock.now_rfc3339())
    }

    /// The clock the fetch times come from.
    pub fn clock(&self) -> &SharedClock {
        &self.config.clock
    }

    /// GET (or HEAD) `url` politely: robots.txt first, then the per-host rate, retries and redirects.
    pub async fn fetch(&self, url: &Url, mode: Mode) -> Fetched {
        self.fetch_if_changed(url, mode, None).await
    }

    /// [`Fetcher::fetch`], asking the server to answer 304 Not Modified when the page still has
    /// the `validators` of an earlier answer (If-None-Match, If-Modified-Since).
    pub async fn fetch_if_changed(
        &self,
        url: &Url,
        mode: Mode,
        validators: Option<&Validators>,
    ) -> Fetched {
        if !self.allowed(url).await {
            return Fetched {
                record: self.give_up(url, FailKind::Disallowed),
                body: None,
            };
        }
        if !self.spend(url) {
            return Fetched {
                record: self.give_up(url, FailKind::Skipped),
                body: None,
            };
        }
        self.get_raw(url, mode, validators).await
    }

    /// Take one fetch from the host's budget: false when it is used up (never under `impolite`).
    fn spend(&self, url: &Url) -> bool {
        let Some(limit) = self
            .config
            .requests_per_host
            .filter(|_| !self.config.impolite)
        else {
            return true;
        };
        let mut spent = self.spent.lock().unwrap_or_else(|e| e.into_inner());
        let n = spent.entry(host_key(url)).or_default();
        if *n >= limit {
            return false;
        }
        *n += 1;
        true
    }

    /// Fetch without consulting robots.txt (used for robots.txt itself). Validators go with the
    /// first request only: a redirect target is another page.
    async fn get_raw(&self, url: &Url, mode: Mode, validators: Option<&Validators>) -> Fetched {
        let mut current = url.clone();
        let mut redirects: Vec<String> = Vec::new();
        let mut attempts = 0;
        loop {
            let started = Instant::now();
            let conditional = validators.filter(|_| redirects.is_empty());
            let (attempt, tries) = self.attempt_with_retries(&current, mode, conditional).await;
            attempts += tries;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let mut record = FetchRecord {
                url: url.to_string(),
                final_url: current.to_string(),
                redirects: redirects.clone(),
                status: None,
                error: None,
                blocked: None,
                elapsed_ms,
                attempts,
                bytes: 0,
                content_type: None,
                charset: None,
                content_hash: None,
                fetched_at: self.config.clock.now_rfc3339(),
                etag: None,
                last_modified: None,
            };
            match attempt {
                Attempt::Failed(kind) => {
                    record.error = Some(kind);
                    return Fetched { record, body: None };
                }
                Attempt::Answer {
                    status,
                    headers,
                    body,
                    too_large,
                } => {
                    record.status = Some(status.as_u16());
                    let header = |name| {
                        headers
                            .get(name)
                            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                            .map(str::to_string)
                    };
                    record.content_type = header(CONTENT_TYPE);
                    record.etag = header(ETAG);
                    record.last_modified = header(LAST_MODIFIED);
                    if status.is_redirection() {
                        let next = headers
                            .get(LOCATION)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|loc| current.join(loc).ok());
                        if let Some(mut next) = next {
                            next.set_fragment(None);
                            if redirects.len() >= self.config.max_redirects
                                || next == current
                                    && redirects.iter().filter(|r| **r == next.as_str()).count() > 1
                            {
                                record.error = Some(FailKind::RedirectLoop);
                                return Fetched { record, body: None };
                            }
                            redirects.push(next.to_string());
                            current = next;
                            continue;
                        }
                    }
                    if too_large {
                        record.error = Some(FailKind::TooLarge);
                    }
                    if let Some(b) = &body {
                        record.bytes = b.len() as u64;
                        record.content_hash = Some(hash(b));
                    }
                    record.blocked = classify_block(status, body.as_deref())
                        .or_else(|| come_back_later(status, &headers));
                    return Fetched { record, body };
                }
            }
        }
    }

    /// One hop, retried on connection errors, 429 and 503 (honouring Retry-After).
    async fn attempt_with_retries(
        &self,
        url: &Url,
        mode: Mode,
        validators: Option<&Validators>,
    ) -> (Attempt, u32) {
        let mut tries = 0;
        loop {
            tries += 1;
            self.polite_wait(url).await;
            let attempt = {
                let _permit = self.in_flight.acquire().await;
                self.attempt(url, mode, validators).await
            };
            let retry_after = match &attempt {
                Attempt::Failed(FailKind::Connect) => Some(None),
                Attempt::Answer {
                    status, headers, ..
                } if *status == StatusCode::TOO_MANY_REQUESTS
                    || *status == StatusCode::SERVICE_UNAVAILABLE =>
                {
                    Some(retry_after(headers, self.config.clock.now()))
                }
                _ => None,
            };
            let Some(hint) = retry_after else {
                return (attempt, tries);
            };
            if tries > self.config.retries {
                return (attempt, tries);
            }
            let backoff = self.config.backoff * 2u32.pow(tries - 1);
            let wait = match hint {
                Some(d) if d > self.config.max_retry_after => return (attempt, tries),
                Some(d) => d.max(backoff),
                None => backoff,
            };
            tracing::debug!(%url, ?wait, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(&self, url: &Url, mode: Mode, validators: Option<&Validators>) -> Attempt {
        if self.config.guard.refuses_url(url) {
            tracing::warn!(%url, "not connecting: an internal address");
            return Attempt::Failed(FailKind::Internal);
        }
        let method = if mode == Mode::Head {
            Method::HEAD
        } else {
            Method::GET
        };
        let mut request = self
            .client
            .request(method, url.clone())
            .timeout(self.config.timeout);
        // Most runs configure no platform cookies: skip building the host key on every request.
        let cookie = (!self.config.cookies.is_empty())
            .then(|| self.config.cookies.get(&host_key(url)))
            .flatten();
        if let Some(cookie) = cookie {
            if let Ok(mut value) = reqwest::header::HeaderValue::from_str(cookie.expose()) {
                value.set_sensitive(true);
                request = request.header(reqwest::header::COOKIE, value);
            }
        }
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &v.last_modified {
                request = request.header(IF_MODIFIED_SINCE, modified);
            }
        }
        let response = request.send().await;
        let mut response = match response {
            Ok(r) => r,
            Err(e) => return Attempt::Failed(classify_error(&e)),
        };
        let status = response.status();
        let headers = response.headers().clone();
        if mode != Mode::Get || status.is_redirection() {
            return Attempt::Answer {
                status,
                headers,
                body: None,
                too_large: false,
            };
        }
        let mut body = Vec::new();
        let mut too_large = false;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if (body.len() + chunk.len()) as u64 > self.config.max_body {
                        too_large = true;
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Attempt::Failed(classify_error(&e)),
            }
        }
        Attempt::Answer {
            status,
            headers,
            body: Some(body),
            too_large,
        }
    }
}

fn quota(rate: f64) -> Quota {
    if !rate.is_finite() || rate >= 1000.0 {
        return Quota::per_second(NonZeroU32::MAX);
    }
    let period = Duration::from_secs_f64(1.0 / rate.max(0.001));
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
        .allow_burst(NonZeroU32::MIN)
}

/// A record for a URL that was not fetched at all, as of `fetched_at`.
pub fn give_up_at(url: &Url, kind: FailKind, fetched_at: String) -> FetchRecord {
    FetchRecord {
        url: url.to_string(),
        final_url: url.to_string(),
        redirects: vec![],
        status: None,
        error: Some(kind),
        blocked: None,
        elapsed_ms: 0,
        attempts: 0,
        bytes: 0,
        content_type: None,
        charset: None,
        content_hash: None,
        fetched_at,
        etag: None,
        last_modified: None,
    }
}

fn hash(body: &[u8]) -> String {
    hex::encode(&Sha256::digest(body)[..16])
}

fn retry_after(headers: &HeaderMap, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - now).num_seconds();
    Some(Duration::from_secs(secs.max(0) as u64))
}

/// Map a reqwest error to what an inspector would call it.
/// What rustls and hyper say of a failed TLS handshake (a plain-HTTP server on the TLS port answers
/// "corrupt message"; a bad certificate "invalid peer certificate").
const TLS_MARKERS: &[&str] = &[
    "certificate",
    "tls",
    "handshake",
    "corrupt message",
    "fatal alert",
    "invalidcontenttype",
];

fn classify_error(e: &reqwest::Error) -> FailKind {
    if is_refusal(e) {
        return FailKind::Internal;
    }
    if e.is_timeout() {
        return FailKind::Timeout;
    }
    if e.is_redirect() {
        return FailKind::RedirectLoop;
    }
    let chain = error_chain(e).to_ascii_lowercase();
    if chain.contains("dns error") || chain.contains("failed to lookup") {
        FailKind::Dns
    } else if TLS_MARKERS.iter().any(|m| chain.contains(m)) {
        FailKind::Tls
    } else if e.is_connect() || chain.contains("connection") {
        FailKind::Connect
    } else if chain.contains("timed out") {
        FailKind::Timeout
    } else {
        FailKind::Other
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// Whether an answer is an anti-bot wall rather than the page: a forbidden status, a captcha, or a
/// tiny script-only shell.
pub fn classify_block(status: StatusCode, body: Option<&[u8]>) -> Option<BlockKind> {
    if matches!(status.as_u16(), 401 | 403 | 429 | 451) {
        return Some(BlockKind::Forbidden);
    }
    let body = body?;
    if !status.is_success() || body.len() > 4096 {
        return None;
    }
    let raw = String::from_utf8_lossy(body);
    let text = raw.to_ascii_lowercase();
    if text.contains("captcha") || raw.contains("验证码") {
        return Some(BlockKind::Captcha);
    }
    // A script-only shell that sets a cookie or moves on; the visible text is looked at last, as
    // it is the costly test.
    if text.contains("<script")
        && (text.contains("document.cookie") || text.contains("location"))
        && strip_tags(&text).trim().is_empty()
    {
        return Some(BlockKind::Challenge);
    }
    None
}

/// A 503 that says when to come back (`Retry-After`, longer than the crawl waits or still there
/// after the retries): the site, or its WAF, turns the visit away for now. A wall, like a 429,
/// never evidence that the page is gone; a 503 without it is a server error a visitor meets too.
fn come_back_later(status: StatusCode, headers: &HeaderMap) -> Option<BlockKind> {
    (status == StatusCode::SERVICE_UNAVAILABLE && headers.contains_key(RETRY_AFTER))
        .then_some(BlockKind::Forbidden)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut in_script = false;
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if bytes[i..].starts_with(b"<script") {
            in_script = true;
        }
        if in_script {
            if bytes[i..].starts_with(b"</script>") {
                in_script = false;
                i += "</script>".len();
                continue;
            }
            i += 1;
            continue;
        }
        let c = bytes[i];
        if c == b'<' {
            in_tag = true;
        } else if c == b'>' {
            in_tag = false;
        } else if !in_tag && !c.is_ascii_whitespace() {
            out.push('x');
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_are_sane() {
        // 1 request per second, burst 1.
        let limiter = RateLimiter::direct(quota(1.0));
        assert!(limiter.check().is_ok());
        assert!(limiter.check().is_err());
        let unlimited = RateLimiter::direct(quota(f64::INFINITY));
        for _ in 0..100 {
            assert!(unlimited.check().is_ok());
        }
    }

    #[test]
    fn blocks_are_recognised() {
        assert_eq!(
            classify_block(StatusCode::FORBIDDEN, None),
            Some(BlockKind::Forbidden)
        );
        let shell = b"<html><script>document.cookie='a=b';location.reload()</script></html>";
        assert_eq!(
            classify_block(StatusCode::OK, Some(shell)),
            Some(BlockKind::Challenge)
        );
        let captcha = "<html><body>请输入验证码</body></html>".as_bytes();
        assert_eq!(
            classify_block(StatusCode::OK, Some(captcha)),
            Some(BlockKind::Captcha)
        );
        let page = "<html><body><p>通知公告</p><script>var a=1;</script></body></html>".as_bytes();
        assert_eq!(classify_block(StatusCode::OK, Some(page)), None);
        assert_eq!(classify_block(StatusCode::NOT_FOUND, Some(shell)), None);
        let mut later = HeaderMap::new();
        later.insert(RETRY_AFTER, "86400".parse().unwrap());
        assert_eq!(
            come_back_later(StatusCode::SERVICE_UNAVAILABLE, &later),
            Some(BlockKind::Forbidden)
        );
        assert_eq!(
            come_back_later(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new()),
            None
        );
        assert_eq!(come_back_later(StatusCode::NOT_FOUND, &later), None);
    }

    #[test]
    fn retry_after_seconds() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(
            retry_after(&h, chrono::Utc::now()),
            Some(Duration::from_secs(3))
        );
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h, chrono::Utc::now()), None);
    }

    #[test]
    fn host_keys_include_ports() {
        let u = Url::parse("http://127.0.0.1:8080/a").unwrap();
        assert_eq!(host_key(&u), "127.0.0.1:8080");
        let u = Url::parse("https://www.laoshan.gov.cn/").unwrap();
        assert_eq!(host_key(&u), "www.laoshan.gov.cn:443");
    }
}
