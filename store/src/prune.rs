//! Retention (保留期限): removing the runs older than a cutoff, with what only they used.
//!
//! A nightly crawl adds a run every day; an office keeps what it may have to show (a quarter's
//! 通报 and the runs behind it) and lets the rest go. Pages that did not change are shared between
//! runs as one stored version, so a version goes only when no kept run still points at it. The
//! newest run and any run still crawling are always kept: the next crawl reuses the newest one's
//! pages, and a crawling run may be resumed. URL and anchor ids stay (they are small, and a
//! version's links refer to them by id).

use crate::{Store, StoreError};

/// What [`Store::prune`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Runs removed, with their fetches, targets, posts, verdicts and findings.
    pub runs: u64,
    /// Probe records (探测记录) older than the cutoff removed.
    pub probes: u64,
    /// Stored page versions no kept run refers to any more, removed with their list items.
    pub versions: u64,
}

/// The tables holding one row set per run, in the order they are emptied (runs last).
const PER_RUN: [&str; 5] = ["findings", "verdicts", "posts", "targets", "fetches"];

impl Store {
    /// Remove, in one transaction, every run started before `before` (RFC 3339, UTC, as runs are
    /// stamped) other than the newest run and runs still crawling; the probes older than
    /// `before`; and the page versions no remaining run refers to.
    pub async fn prune(&self, before: &str) -> Result<Pruned, StoreError> {
        let doomed = "SELECT id FROM runs WHERE started_at < $1 AND status <> 'crawling' \
                      AND id <> (SELECT MAX(id) FROM runs)";
        let mut tx = self.pool.begin().await?;
        for table in PER_RUN {
            sqlx::query(&format!("DELETE FROM {table} WHERE run_id IN ({doomed})"))
                .bind(before)
                .execute(&mut *tx)
                .await?;
        }
        let runs = sqlx::query(&format!("DELETE FROM runs WHERE id IN ({doomed})"))
            .bind(before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let probes = sqlx::query("DELETE FROM probes WHERE probed_at < $1")
            .bind(before)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let orphan = "SELECT id FROM versions WHERE id NOT IN \
                      (SELECT version_id FROM fetches WHERE version_id IS NOT NULL)";
        sqlx::query(&format!(
            "DELETE FROM version_items WHERE version_id IN ({orphan})"
        ))
        .execute(&mut *tx)
        .await?;
        let versions = sqlx::query(&format!("DELETE FROM versions WHERE id IN ({orphan})"))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(Pruned {
            runs,
            probes,
            versions,
        })
    }
}
