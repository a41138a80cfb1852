//! Decoding stored rows back into model types, and the names stored for enums.

use sqlx::any::AnyRow;
use sqlx::Row;
use xunjian_model::observe::{
    BlockKind, DateSource, FailKind, FetchRecord, LinkElement, ListItem, Post, PostFlags,
    ProbeRecord, Purpose, Reply,
};

use crate::{RunInfo, StoreError};

/// A `SELECT` of fetches (aliased `f`) with their URLs and what their page version says of its
/// body, in the order [`fetch`] reads them; append a `WHERE`.
pub(crate) const FETCH_SELECT: &str =
    "SELECT u.url, fu.url, f.redirects, f.status, f.error, f.blocked, f.elapsed_ms, \
     f.attempts, f.bytes, COALESCE(f.content_type, v.content_type), COALESCE(f.charset, v.charset), \
     COALESCE(f.content_hash, NULLIF(v.hash, '')), f.fetched_at, f.purpose, f.depth, f.version_id, \
     COALESCE(f.etag, v.etag), COALESCE(f.last_modified, v.last_modified) \
     FROM fetches f JOIN urls u ON u.id = f.url_id JOIN urls fu ON fu.id = f.final_id \
     LEFT JOIN versions v ON v.id = f.version_id";

/// The head of a multi-row insert into `fetches`, in the order of `write::fetch_row`.
pub(crate) const FETCH_INSERT: &str =
    "INSERT INTO fetches (run_id, target_id, purpose, url_id, final_id, redirects, status, error, \
     blocked, elapsed_ms, attempts, bytes, content_type, charset, content_hash, fetched_at, depth, \
     version_id, etag, last_modified) ";

/// A fetch row with the fields that are not part of [`FetchRecord`].
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFetch {
    /// The fetch.
    pub record: FetchRecord,
    /// Why it was fetched.
    pub purpose: Purpose,
    /// Link depth from the homepage.
    pub depth: u32,
    /// The page version it was read as, when it was parsed.
    pub version: Option<i64>,
}

fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("unknown stored {what} `{value}`").into(),
    ))
}

pub(crate) fn fetch(r: &AnyRow) -> Result<StoredFetch, StoreError> {
    let redirects: String = r.try_get(2)?;
    let error: Option<String> = r.try_get(4)?;
    let blocked: Option<String> = r.try_get(5)?;
    let purpose: String = r.try_get(13)?;
    Ok(StoredFetch {
        record: FetchRecord {
            url: r.try_get(0)?,
            final_url: r.try_get(1)?,
            redirects: serde_json::from_str(&redirects)?,
            status: r.try_get::<Option<i64>, _>(3)?.map(|s| s as u16),
            error: error
                .map(|e| FailKind::parse(&e).ok_or_else(|| bad("error", &e)))
                .transpose()?,
            blocked: blocked
                .map(|b| parse_block(&b).ok_or_else(|| bad("block", &b)))
                .transpose()?,
            elapsed_ms: r.try_get::<i64, _>(6)? as u64,
            attempts: r.try_get::<i64, _>(7)? as u32,
            bytes: r.try_get::<i64, _>(8)? as u64,
            content_type: r.try_get(9)?,
            charset: r.try_get(10)?,
            content_hash: r.try_get(11)?,
            fetched_at: r.try_get(12)?,
            etag: r.try_get(16)?,
            last_modified: r.try_get(17)?,
        },
        purpose: Purpose::parse(&purpose).ok_or_else(|| bad("purpose", &purpose))?,
        depth: r.try_get::<i64, _>(14)? as u32,
        version: r.try_get(15)?,
    })
}

pub(crate) fn block_name(b: BlockKind) -> &'static str {
    match b {
        BlockKind::Forbidden => "forbidden",
        BlockKind::Challenge => "challenge",
        BlockKind::Captcha => "captcha",
        BlockKind::LoginRequired => "login_required",
    }
}

fn parse_block(s: &str) -> Option<BlockKind> {
    Some(match s {
        "forbidden" => BlockKind::Forbidden,
        "challenge" => BlockKind::Challenge,
        "captcha" => BlockKind::Captcha,
        "login_required" => BlockKind::LoginRequired,
        _ => return None,
    })
}

pub(crate) fn date_source_name(d: DateSource) -> &'static str {
    match d {
        DateSource::List => "list",
        DateSource::Url => "url",
        DateSource::Meta => "meta",
        DateSource::Text => "text",
        DateSource::None => "none",
    }
}

fn parse_date_source(s: &str) -> Option<DateSource> {
    Some(match s {
        "list" => DateSource::List,
        "url" => DateSource::Url,
        "meta" => DateSource::Meta,
        "text" => DateSource::Text,
        "none" => DateSource::None,
        _ => return None,
    })
}

fn parse_date(s: Option<String>) -> Result<Option<chrono::NaiveDate>, StoreError> {
    s.map(|d| d.parse().map_err(|_| bad("date", &d)))
        .transpose()
}

/// Columns: (the version or page), title, url, date, date_source, reply, reply_date.
pub(crate) fn list_item(r: &AnyRow) -> Result<ListItem, StoreError> {
    let source: String = r.try_get(4)?;
    let reply: Option<String> = r.try_get(5)?;
    let reply = match reply.as_deref() {
        None => None,
        Some(name) => Some(Reply {
            answered: match name {
                "answered" => true,
                "pending" => false,
                other => return Err(bad("reply", other)),
            },
            date: parse_date(r.try_get(6)?)?,
        }),
    };
    Ok(ListItem {
        title: r.try_get(1)?,
        url: r.try_get(2)?,
        date: parse_date(r.try_get(3)?)?,
        date_source: parse_date_source(&source).ok_or_else(|| bad("date source", &source))?,
        reply,
    })
}

/// How a reply status is stored.
pub(crate) fn reply_name(r: Reply) -> &'static str {
    if r.answered {
        "answered"
    } else {
        "pending"
    }
}

/// A stored link element name.
pub(crate) fn element(s: &str) -> Result<LinkElement, StoreError> {
    LinkElement::parse(s).ok_or_else(|| bad("element", s))
}

/// Columns: title, url, date.
pub(crate) fn post(r: &AnyRow) -> Result<Post, StoreError> {
    Ok(Post {
        title: r.try_get(0)?,
        url: r.try_get(1)?,
        date: parse_date(r.try_get(2)?)?,
        id: r.try_get(3)?,
        at: r.try_get(4)?,
        flags: PostFlags::from_bits(r.try_get(5)?),
    })
}

/// Columns: site_id, url, probed_at, ok, elapsed_ms, reason.
pub(crate) fn probe(r: &AnyRow) -> Result<ProbeRecord, StoreError> {
    Ok(ProbeRecord {
        site: r.try_get(0)?,
        url: r.try_get(1)?,
        probed_at: r.try_get(2)?,
        ok: r.try_get::<i64, _>(3)? != 0,
        elapsed_ms: r.try_get::<i64, _>(4)? as u64,
        reason: r.try_get(5)?,
    })
}

/// Columns: id, seeds_path, seeds_hash, as_of, started_at, status.
pub(crate) fn run_info(r: &AnyRow) -> Result<RunInfo, StoreError> {
    Ok(RunInfo {
        id: r.try_get(0)?,
        seeds_path: r.try_get(1)?,
        seeds_hash: r.try_get(2)?,
        as_of: r.try_get(3)?,
        started_at: r.try_get(4)?,
        status: r.try_get(5)?,
    })
}

/// `n` placeholders for an `IN (…)` list, in the backend's style (`$1,$2…` or `?,?…`).
pub(crate) fn placeholders(backend: crate::Backend, n: usize) -> String {
    let marks: Vec<String> = (1..=n)
        .map(|i| match backend {
            crate::Backend::Postgres => format!("${i}"),
            crate::Backend::Sqlite => "?".to_string(),
        })
        .collect();
    marks.join(",")
}

/// A value bound into a multi-row INSERT.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_string()))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_string))
    }
}

/// Insert rows in chunks that stay below the bind limits, ignoring rows whose key is already stored.
///
/// PostgreSQL needs numbered placeholders (`$1`; sqlx's `QueryBuilder<Any>` writes `?`, which it
/// rejects). SQLite gets plain `?`: sqlx resolves each `$N` there by asking SQLite for every
/// parameter's name, which is quadratic in the row count and was half of a 10,000-page crawl's time.
pub(crate) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: crate::Backend,
    head: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    const MAX_BINDS: usize = 3000;
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    for chunk in rows.chunks((MAX_BINDS / width.max(1)).max(1)) {
        let mut sql = String::with_capacity(head.len() + chunk.len() * width * 5);
        sql.push_str(head);
        sql.push_str(" VALUES ");
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for j in 0..row.len() {
                if j > 0 {
                    sql.push(',');
                }
                n += 1;
                if backend == crate::Backend::Postgres {
                    sql.push('$');
                    sql.push_str(&n.to_string());
                } else {
                    sql.push('?');
                }
            }
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT DO NOTHING");
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Int(i) => q.bind(*i),
                    Value::Text(t) => q.bind(t.clone()),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
