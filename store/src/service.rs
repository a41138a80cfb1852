//! What the always-on service reads and records besides runs: the list of runs, the newest
//! judgement, and the marks of its scheduled jobs.

use sqlx::Row;

use crate::{rows, RunInfo, Store, StoreError};

/// A scheduled job's mark: the scheduled time it last started for, and how that went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobMark {
    /// The job's name (`probe`, `crawl`, `inspect`).
    pub name: String,
    /// The scheduled time (RFC 3339, UTC) it last started for.
    pub due_at: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// When the state last changed (RFC 3339, UTC).
    pub updated_at: String,
    /// What went wrong, when it failed.
    pub message: Option<String>,
}

/// One judged run of a target, for its history (历次结论).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetHistory {
    /// The run.
    pub run: i64,
    /// Its time point.
    pub as_of: String,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// The verdict (`qualified`, `unqualified`, `inconclusive`).
    pub verdict: String,
    /// How many findings it had.
    pub findings: i64,
}

const RUN_COLUMNS: &str = "id, seeds_path, seeds_hash, as_of, started_at, status";

impl Store {
    /// The newest runs first, at most `limit`.
    pub async fn runs(&self, limit: i64) -> Result<Vec<RunInfo>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::run_info).collect()
    }

    /// The newest run that has been judged (analyzed or reported), if any.
    pub async fn newest_judged_run(&self) -> Result<Option<RunInfo>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE status IN ('analyzed', 'reported') \
             ORDER BY id DESC LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| rows::run_info(&r)).transpose()
    }

    /// The judged runs of `target`, newest first, at most `limit`.
    pub async fn target_history(
        &self,
        target: &str,
        limit: i64,
    ) -> Result<Vec<TargetHistory>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.run_id, r.as_of, r.started_at, v.verdict,              (SELECT COUNT(*) FROM findings f WHERE f.run_id = v.run_id AND f.target_id = v.target_id)              FROM verdicts v JOIN runs r ON r.id = v.run_id WHERE v.target_id = $1              ORDER BY v.run_id DESC LIMIT $2",
        )
        .bind(target)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TargetHistory {
                    run: r.try_get(0)?,
                    as_of: r.try_get(1)?,
                    started_at: r.try_get(2)?,
                    verdict: r.try_get(3)?,
                    findings: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Every job's mark.
    pub async fn job_marks(&self) -> Result<Vec<JobMark>, StoreError> {
        let rows =
            sqlx::query("SELECT name, due_at, state, updated_at, message FROM jobs ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(JobMark {
                    name: r.try_get(0)?,
                    due_at: r.try_get(1)?,
                    state: r.try_get(2)?,
                    updated_at: r.try_get(3)?,
                    message: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Record a job's mark (replacing the one before).
    pub async fn set_job_mark(&self, mark: &JobMark) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO jobs (name, due_at, state, updated_at, message) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (name) DO UPDATE SET due_at = excluded.due_at, state = excluded.state, \
             updated_at = excluded.updated_at, message = excluded.message",
        )
        .bind(&mark.name)
        .bind(&mark.due_at)
        .bind(&mark.state)
        .bind(&mark.updated_at)
        .bind(mark.message.as_deref())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
