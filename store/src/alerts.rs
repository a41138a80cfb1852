//! The alerts the service has sent: what makes "once per event" hold across runs and restarts.
//!
//! A row is an (event key, channel) pair that was delivered. Settling a kind of event with the keys
//! that hold now removes the rows of the events that ended, so an event that comes back is sent
//! again.

use std::collections::BTreeSet;

use sqlx::Row;

use crate::{Store, StoreError};

impl Store {
    /// The (key, channel) pairs of `kind` already delivered.
    pub async fn alerts_sent(&self, kind: &str) -> Result<BTreeSet<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT key, channel FROM alerts WHERE kind = $1")
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    /// Record that the event `key` of `kind` went out on `channel` at `at`.
    pub async fn mark_alert_sent(
        &self,
        kind: &str,
        key: &str,
        channel: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO alerts (kind, key, channel, sent_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key, channel) DO NOTHING",
        )
        .bind(kind)
        .bind(key)
        .bind(channel)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forget the events of `kind` that no longer hold (their keys are not in `holding`), in one
    /// transaction; returns the keys forgotten.
    pub async fn end_alerts(
        &self,
        kind: &str,
        holding: &BTreeSet<String>,
    ) -> Result<Vec<String>, StoreError> {
        let ended: BTreeSet<String> = self
            .alerts_sent(kind)
            .await?
            .into_iter()
            .map(|(key, _)| key)
            .filter(|k| !holding.contains(k))
            .collect();
        let mut tx = self.pool.begin().await?;
        for key in &ended {
            sqlx::query("DELETE FROM alerts WHERE kind = $1 AND key = $2")
                .bind(kind)
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(ended.into_iter().collect())
    }
}
