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
    /// Of them, 栏目不更新 (`column.stale`).
    pub stale_columns: i64,
    /// Of them, broken links (`link.broken`).
    pub broken_links: i64,
}

/// How many targets a judged run found qualified, unqualified and inconclusive: the 总览's trend.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerdictCounts {
    /// The run.
    pub run: i64,
    /// Its time point.
    pub as_of: String,
    /// 合格.
    pub qualified: i64,
    /// 不合格.
    pub unqualified: i64,
    /// 无法判定.
    pub inconclusive: i64,
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
            "SELECT v.run_id, r.as_of, r.started_at, v.verdict, \
             COUNT(f.rule), \
             COALESCE(SUM(CASE WHEN f.rule = 'column.stale' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN f.rule = 'link.broken' THEN 1 ELSE 0 END), 0) \
             FROM verdicts v JOIN runs r ON r.id = v.run_id \
             LEFT JOIN findings f ON f.run_id = v.run_id AND f.target_id = v.target_id \
             WHERE v.target_id = $1 \
             GROUP BY v.run_id, r.as_of, r.started_at, v.verdict \
             ORDER BY v.run_id DESC LIMIT $2",
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
                    stale_columns: r.try_get(5)?,
                    broken_links: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// The verdicts of the newest `limit` judged runs, counted, oldest first.
    pub async fn verdict_trend(&self, limit: i64) -> Result<Vec<VerdictCounts>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.as_of, \
             SUM(CASE WHEN v.verdict = 'qualified' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN v.verdict = 'unqualified' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN v.verdict = 'inconclusive' THEN 1 ELSE 0 END) \
             FROM runs r JOIN verdicts v ON v.run_id = r.id \
             GROUP BY r.id, r.as_of ORDER BY r.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(VerdictCounts {
                    run: r.try_get(0)?,
                    as_of: r.try_get(1)?,
                    qualified: r.try_get(2)?,
                    unqualified: r.try_get(3)?,
                    inconclusive: r.try_get(4)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.reverse();
        Ok(out)
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
