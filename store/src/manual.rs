//! 人工核验 records: the office's own look at accounts no reader reaches. They are kept apart
//! from runs (a look is evidence for whichever time point it covers) and written all or nothing:
//! an import that fails leaves the table as it was.

use sqlx::Row;
use xunjian_model::observe::ManualCheck;

use crate::{Store, StoreError};

impl Store {
    /// Record `checks` in one transaction at `at`; a record of the same account and moment of
    /// looking replaces the earlier one. Returns how many were written.
    pub async fn add_manual_checks(
        &self,
        checks: &[ManualCheck],
        at: &str,
    ) -> Result<usize, StoreError> {
        let mut tx = self.pool.begin().await?;
        for c in checks {
            sqlx::query(
                "INSERT INTO manual_checks (account, last_post, last_post_at, post_url, \
                 checked_by, checked_at, source, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (account, checked_at) DO UPDATE SET last_post = excluded.last_post, \
                 last_post_at = excluded.last_post_at, post_url = excluded.post_url, \
                 checked_by = excluded.checked_by, source = excluded.source, \
                 recorded_at = excluded.recorded_at",
            )
            .bind(&c.account)
            .bind(c.last_post.to_string())
            .bind(c.last_post_at.as_deref())
            .bind(c.post_url.as_deref())
            .bind(&c.checked_by)
            .bind(&c.checked_at)
            .bind(&c.source)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(checks.len())
    }

    /// Every record, by account and then by when the person looked.
    pub async fn manual_checks(&self) -> Result<Vec<ManualCheck>, StoreError> {
        let rows = sqlx::query(
            "SELECT account, last_post, last_post_at, post_url, checked_by, checked_at, source \
             FROM manual_checks ORDER BY account, checked_at",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let day: String = r.try_get(1)?;
                Ok(ManualCheck {
                    account: r.try_get(0)?,
                    last_post: day.parse().map_err(|_| {
                        StoreError::Corrupt(format!("manual_checks.last_post `{day}`"))
                    })?,
                    last_post_at: r.try_get(2)?,
                    post_url: r.try_get(3)?,
                    checked_by: r.try_get(4)?,
                    checked_at: r.try_get(5)?,
                    source: r.try_get(6)?,
                })
            })
            .collect()
    }
}
