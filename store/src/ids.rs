//! Ids of URLs and anchor texts: each distinct string is stored once and rows refer to it by id.
//!
//! The writer asks for the ids of a batch's strings; those it has seen before come from a cache,
//! the rest are inserted (`ON CONFLICT DO NOTHING`, so several writers may race) and read back.
//! New ids join the cache only after their transaction commits: a rolled-back batch leaves no id in
//! the cache that the database does not hold.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::Row;

use crate::rows::{self, Value};
use crate::{Backend, StoreError};

/// A table of distinct strings: `urls(id, url)` or `anchors(id, text)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    name: &'static str,
    column: &'static str,
}

/// `urls (id, url)`.
pub(crate) const URLS: Table = Table {
    name: "urls",
    column: "url",
};

/// `anchors (id, text)`.
pub(crate) const ANCHORS: Table = Table {
    name: "anchors",
    column: "text",
};

/// Strings already known to have an id, per table; and the other way round, ids whose strings
/// were read back (at most [`NAMES_MAX`] a table).
#[derive(Debug, Default)]
pub(crate) struct IdCache {
    urls: Mutex<HashMap<String, i64>>,
    anchors: Mutex<HashMap<String, i64>>,
    url_names: Mutex<HashMap<i64, Arc<str>>>,
    anchor_names: Mutex<HashMap<i64, Arc<str>>>,
}

/// Ids remembered per table at most while writing (a district's URLs run to hundreds of thousands).
pub(crate) const IDS_MAX: usize = 65_536;

/// Read-back strings remembered per table at most; past it the memory starts again.
pub(crate) const NAMES_MAX: usize = 200_000;

impl IdCache {
    /// The strings read back for ids of `table` (`urls` or `anchors`).
    pub(crate) fn names(&self, table: &str) -> &Mutex<HashMap<i64, Arc<str>>> {
        if table == URLS.name {
            &self.url_names
        } else {
            &self.anchor_names
        }
    }

    fn of(&self, table: Table) -> &Mutex<HashMap<String, i64>> {
        if table.name == URLS.name {
            &self.urls
        } else {
            &self.anchors
        }
    }

    /// Forget everything remembered (the memory goes back; ids are read from the tables again).
    pub(crate) fn clear(&self) {
        for m in [&self.urls, &self.anchors] {
            if let Ok(mut m) = m.lock() {
                *m = HashMap::new();
            }
        }
        for m in [&self.url_names, &self.anchor_names] {
            if let Ok(mut m) = m.lock() {
                *m = HashMap::new();
            }
        }
    }

    /// Remember ids whose rows have been committed, up to [`IDS_MAX`] a table (past it the memory
    /// starts again: a site's navigation and footer are learnt back within a batch).
    pub(crate) fn learn(&self, table: Table, fresh: HashMap<String, i64>) {
        if let Ok(mut cache) = self.of(table).lock() {
            if cache.len() + fresh.len() > IDS_MAX {
                *cache = HashMap::new();
            }
            cache.extend(fresh);
        }
    }
}

/// The ids of `wanted` in `table` (inserting what is missing) and, apart, the ids new to the cache
/// (to [`IdCache::learn`] once the transaction commits).
pub(crate) async fn ids<'s>(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    cache: &IdCache,
    table: Table,
    wanted: &[&'s str],
) -> Result<(HashMap<&'s str, i64>, HashMap<String, i64>), StoreError> {
    let mut out: HashMap<&'s str, i64> = HashMap::new();
    let mut missing: Vec<&'s str> = Vec::new();
    {
        let known = cache.of(table).lock().map_err(|_| StoreError::Poisoned)?;
        for &s in wanted {
            if out.contains_key(s) {
                continue;
            }
            match known.get(s) {
                Some(id) => {
                    out.insert(s, *id);
                }
                None => {
                    out.insert(s, -1);
                    missing.push(s);
                }
            }
        }
    }
    let mut fresh = HashMap::new();
    if missing.is_empty() {
        return Ok((out, fresh));
    }
    let rows: Vec<Vec<Value>> = missing.iter().map(|s| vec![Value::from(*s)]).collect();
    let head = format!("INSERT INTO {} ({}) ", table.name, table.column);
    rows::insert(tx, backend, &head, rows).await?;
    for chunk in missing.chunks(900) {
        let marks = rows::placeholders(backend, chunk.len());
        let sql = format!(
            "SELECT id, {c} FROM {t} WHERE {c} IN ({})",
            marks,
            c = table.column,
            t = table.name
        );
        let mut q = sqlx::query(&sql);
        for s in chunk {
            q = q.bind(s.to_string());
        }
        for r in q.fetch_all(&mut **tx).await? {
            let id: i64 = r.try_get(0)?;
            let s: String = r.try_get(1)?;
            fresh.insert(s, id);
        }
    }
    for s in missing {
        match fresh.get(s) {
            Some(id) => {
                out.insert(s, *id);
            }
            None => return Err(StoreError::Lost(s.to_string())),
        }
    }
    Ok((out, fresh))
}
