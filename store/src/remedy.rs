//! The remediation loop (整改) in the store: each problem (a finding's identity across runs), where
//! it stands, and the append-only log (全过程留痕) of everything done to it.
//!
//! A run's findings are *sightings*: [`Store::track`] folds them into the problems in one
//! transaction. A person's act ([`Store::act`]) checks that the problem is still in the state the
//! person saw, so two people answering at once cannot both move it. The log is only ever appended to.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sqlx::any::AnyRow;
use sqlx::Row;
use xunjian_model::{Action, Dismissals, Finding, FindingKey, ProblemState};

use crate::{Store, StoreError};

/// A tracked problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Its id (what the dashboard's address names).
    pub id: i64,
    /// Rule + target + object.
    pub key: FindingKey,
    /// The unit that must fix it.
    pub unit: String,
    /// Where it stands.
    pub state: ProblemState,
    /// The run that first found it, and when its evidence was seen then.
    pub first_run: i64,
    /// When it was first seen (RFC 3339).
    pub first_seen: String,
    /// The newest run that found it.
    pub last_run: i64,
    /// When it was last seen (RFC 3339).
    pub last_seen: String,
    /// The newest finding, as findings.json writes it.
    pub finding: Finding,
    /// The 整改期限 the newest notice gave, if any.
    pub deadline: Option<String>,
    /// When its state last changed.
    pub updated_at: String,
}

/// One line of a problem's audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemEvent {
    /// Its order in the log.
    pub id: i64,
    /// The problem.
    pub problem: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who: an account's name, or `xunjian`.
    pub actor: String,
    /// What was done.
    pub action: Action,
    /// The state before (none for the first sighting).
    pub before: Option<ProblemState>,
    /// The state after.
    pub after: ProblemState,
    /// The note given (整改说明, 申诉理由, 误报理由), if any.
    pub note: Option<String>,
    /// The run whose evidence it rests on, for xunjian's own acts.
    pub run: Option<i64>,
}

/// A finding of a run, as [`Store::track`] takes it.
#[derive(Debug, Clone)]
pub struct Sighting {
    /// Its identity.
    pub key: FindingKey,
    /// The unit that must fix it.
    pub unit: String,
    /// The finding.
    pub finding: Finding,
    /// When its evidence was seen (RFC 3339).
    pub seen: String,
    /// A digest of the evidence a 误报 decision rests on (the finding without its times).
    pub evidence_hash: String,
}

/// What [`Store::track`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tracked {
    /// Problems seen for the first time.
    pub found: usize,
    /// Problems seen again in the same state.
    pub seen_again: usize,
    /// Problems whose state a sighting or its absence changed, with the act.
    pub moved: Vec<(i64, Action)>,
}

/// The name xunjian's own acts are logged under.
pub const XUNJIAN: &str = "xunjian";

const COLUMNS: &str = "id, target, rule, object, unit, state, first_run, first_seen, last_run, \
                       last_seen, finding, deadline, updated_at, evidence_hash";

fn problem_of(r: &AnyRow) -> Result<(Problem, String), StoreError> {
    let state: String = r.try_get(5)?;
    let finding: String = r.try_get(10)?;
    let problem = Problem {
        id: r.try_get(0)?,
        key: FindingKey {
            target: r.try_get(1)?,
            rule: r.try_get(2)?,
            object: r.try_get(3)?,
        },
        unit: r.try_get(4)?,
        state: ProblemState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("problem state `{state}`")))?,
        first_run: r.try_get(6)?,
        first_seen: r.try_get(7)?,
        last_run: r.try_get(8)?,
        last_seen: r.try_get(9)?,
        finding: serde_json::from_str(&finding)?,
        deadline: r.try_get(11)?,
        updated_at: r.try_get(12)?,
    };
    Ok((problem, r.try_get(13)?))
}

fn event_of(r: &AnyRow) -> Result<ProblemEvent, StoreError> {
    let action: String = r.try_get(4)?;
    let before: Option<String> = r.try_get(5)?;
    let after: String = r.try_get(6)?;
    let state = |s: &str| {
        ProblemState::parse(s).ok_or_else(|| StoreError::Corrupt(format!("event state `{s}`")))
    };
    Ok(ProblemEvent {
        id: r.try_get(0)?,
        problem: r.try_get(1)?,
        at: r.try_get(2)?,
        actor: r.try_get(3)?,
        action: Action::parse(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("event action `{action}`")))?,
        before: before.as_deref().map(state).transpose()?,
        after: state(&after)?,
        note: r.try_get(7)?,
        run: r.try_get(8)?,
    })
}

/// Why a person's act was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No such problem.
    NoProblem,
    /// The act does not apply to the problem's state now (someone else moved it, or it never
    /// could).
    NotNow(ProblemState),
}

impl Store {
    /// Every problem, or those of `unit`, oldest first.
    pub async fn problems(&self, unit: Option<&str>) -> Result<Vec<Problem>, StoreError> {
        let rows = match unit {
            Some(unit) => {
                let sql = format!("SELECT {COLUMNS} FROM problems WHERE unit = $1 ORDER BY id");
                sqlx::query(&sql).bind(unit).fetch_all(&self.pool).await?
            }
            None => {
                let sql = format!("SELECT {COLUMNS} FROM problems ORDER BY id");
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        rows.iter().map(|r| Ok(problem_of(r)?.0)).collect()
    }

    /// The 误报 decisions: each false-positive problem's identity and the evidence hash it was
    /// decided on.
    pub async fn dismissals(&self) -> Result<Dismissals, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM problems WHERE state = $1");
        let rows = sqlx::query(&sql)
            .bind(ProblemState::FalsePositive.as_str())
            .fetch_all(&self.pool)
            .await?;
        let decided = rows
            .iter()
            .map(|r| problem_of(r).map(|(p, hash)| (p.key, hash)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Dismissals::new(decided))
    }

    /// One problem.
    pub async fn problem(&self, id: i64) -> Result<Option<Problem>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM problems WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(problem_of(&r)?.0)).transpose()
    }

    /// A problem's audit log, in order.
    pub async fn problem_events(&self, id: i64) -> Result<Vec<ProblemEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, problem, at, actor, action, state_before, state_after, note, run \
             FROM problem_events WHERE problem = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_of).collect()
    }

    /// Every problem's audit log, by problem, each in order.
    pub async fn all_problem_events(&self) -> Result<BTreeMap<i64, Vec<ProblemEvent>>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, problem, at, actor, action, state_before, state_after, note, run \
             FROM problem_events ORDER BY problem, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: BTreeMap<i64, Vec<ProblemEvent>> = BTreeMap::new();
        for r in &rows {
            let e = event_of(r)?;
            out.entry(e.problem).or_default().push(e);
        }
        Ok(out)
    }

    /// Where every problem stands, by identity (what the reports print).
    pub async fn problem_states(&self) -> Result<BTreeMap<FindingKey, ProblemState>, StoreError> {
        Ok(self
            .problems(None)
            .await?
            .into_iter()
            .map(|p| (p.key, p.state))
            .collect())
    }

    /// Fold the findings of run `run` into the problems, in one transaction: a new finding is a
    /// problem 待整改; a 已销号 one found again is 待整改 again; one its unit reported fixed and found
    /// again on evidence seen after the report is 待整改 again; a 误报 whose evidence changed is
    /// 待整改 again. A problem of a target in `judged` (observed completely and judged) that the run
    /// did not find is 已销号. A target not in `judged` closes nothing: a failed fetch is never
    /// evidence that a problem is gone.
    pub async fn track(
        &self,
        run: i64,
        at: &str,
        sightings: &[Sighting],
        judged: &BTreeSet<String>,
    ) -> Result<Tracked, StoreError> {
        // Read before the transaction, whose first statement then writes (SQLite takes its write
        // lock waiting, not failing); every update below moves a problem only from the state
        // read here, so a person's answer given meanwhile is never overwritten.
        let sql = format!("SELECT {COLUMNS} FROM problems");
        let mut known: HashMap<FindingKey, (Problem, String)> = HashMap::new();
        for r in sqlx::query(&sql).fetch_all(&self.pool).await? {
            let (p, hash) = problem_of(&r)?;
            known.insert(p.key.clone(), (p, hash));
        }
        let mut tx = self.pool.begin().await?;
        let mut out = Tracked::default();
        let mut seen_keys = BTreeSet::new();
        for s in sightings {
            // One problem is one sighting a run, whatever a rule reports twice.
            if !seen_keys.insert(s.key.clone()) {
                continue;
            }
            let finding = serde_json::to_string(&s.finding)?;
            let Some((p, hash)) = known.get(&s.key) else {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO problems (target, rule, object, unit, state, first_run, \
                     first_seen, last_run, last_seen, finding, evidence_hash, updated_at) \
                     VALUES ($1, $2, $3, $4, 'open', $5, $6, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(&s.key.target)
                .bind(&s.key.rule)
                .bind(&s.key.object)
                .bind(&s.unit)
                .bind(run)
                .bind(&s.seen)
                .bind(&finding)
                .bind(&s.evidence_hash)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                log(
                    &mut tx,
                    id,
                    at,
                    XUNJIAN,
                    Action::Found,
                    None,
                    ProblemState::Open,
                    None,
                    Some(run),
                )
                .await?;
                out.found += 1;
                continue;
            };
            let act = match p.state {
                ProblemState::Closed => Some(Action::FoundAgain),
                ProblemState::Fixed if s.seen > p.updated_at => Some(Action::StillThere),
                ProblemState::FalsePositive if *hash != s.evidence_hash => {
                    Some(Action::EvidenceChanged)
                }
                _ => None,
            };
            let state = act.and_then(|a| a.apply(p.state)).unwrap_or(p.state);
            // A 误报 keeps the evidence it was decided on.
            let hash = if state == ProblemState::FalsePositive {
                hash.clone()
            } else {
                s.evidence_hash.clone()
            };
            let moved = sqlx::query(
                "UPDATE problems SET last_run = $1, last_seen = $2, finding = $3, \
                 evidence_hash = $4, unit = $5, state = $6, \
                 updated_at = CASE WHEN state = $6 THEN updated_at ELSE $7 END \
                 WHERE id = $8 AND state = $9",
            )
            .bind(run)
            .bind(&s.seen)
            .bind(&finding)
            .bind(&hash)
            .bind(&s.unit)
            .bind(state.as_str())
            .bind(at)
            .bind(p.id)
            .bind(p.state.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                // Answered meanwhile: the next run sees it again.
                continue;
            }
            match act {
                Some(a) => {
                    log(
                        &mut tx,
                        p.id,
                        at,
                        XUNJIAN,
                        a,
                        Some(p.state),
                        state,
                        None,
                        Some(run),
                    )
                    .await?;
                    out.moved.push((p.id, a));
                }
                None => out.seen_again += 1,
            }
        }
        for (key, (p, _)) in &known {
            let gone = judged.contains(&key.target) && !seen_keys.contains(key);
            let Some(closed) = gone.then(|| Action::Gone.apply(p.state)).flatten() else {
                continue;
            };
            if !set_state(&mut tx, p.id, p.state, closed, at).await? {
                continue;
            }
            log(
                &mut tx,
                p.id,
                at,
                XUNJIAN,
                Action::Gone,
                Some(p.state),
                closed,
                None,
                Some(run),
            )
            .await?;
            out.moved.push((p.id, Action::Gone));
        }
        tx.commit().await?;
        Ok(out)
    }

    /// A person's act on a problem (or xunjian's, for a 复查): the problem must still be in
    /// `expected` (the state the person saw) and the act must apply to it. The state moves and the
    /// log gains a line in one transaction.
    pub async fn act(
        &self,
        id: i64,
        expected: ProblemState,
        action: Action,
        actor: &str,
        note: Option<&str>,
        at: &str,
    ) -> Result<Result<ProblemState, Refused>, StoreError> {
        self.act_with_evidence(id, expected, action, actor, note, at, None)
            .await
    }

    /// [`Store::act`], keeping `evidence` (the answer the act rests on, a 复查's) in the same
    /// transaction: a crash leaves both or neither, never an act without its evidence.
    #[allow(clippy::too_many_arguments)]
    pub async fn act_with_evidence(
        &self,
        id: i64,
        expected: ProblemState,
        action: Action,
        actor: &str,
        note: Option<&str>,
        at: &str,
        evidence: Option<&NewEvidence<'_>>,
    ) -> Result<Result<ProblemState, Refused>, StoreError> {
        let Some(after) = action.apply(expected) else {
            return Ok(Err(self.refused(id).await?));
        };
        // The transaction's first statement writes, and only from the state the person saw.
        let mut tx = self.pool.begin().await?;
        if !set_state(&mut tx, id, expected, after, at).await? {
            drop(tx);
            return Ok(Err(self.refused(id).await?));
        }
        log(
            &mut tx,
            id,
            at,
            actor,
            action,
            Some(expected),
            after,
            note,
            None,
        )
        .await?;
        if let Some(e) = evidence {
            insert_evidence(&mut tx, id, e).await?;
        }
        tx.commit().await?;
        Ok(Ok(after))
    }

    /// Why an act on problem `id` cannot be taken: it is missing, or in another state.
    async fn refused(&self, id: i64) -> Result<Refused, StoreError> {
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM problems WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match state.as_deref().and_then(ProblemState::parse) {
            Some(now) => Refused::NotNow(now),
            None => Refused::NoProblem,
        })
    }

    /// Record that the 通报 of run `run`, issued at `at`, listed the problems `ids` (again: the
    /// newest list wins).
    pub async fn record_reported(&self, run: i64, ids: &[i64], at: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM report_problems WHERE run = $1")
            .bind(run)
            .execute(&mut *tx)
            .await?;
        for id in ids {
            sqlx::query("INSERT INTO report_problems (run, problem, at) VALUES ($1, $2, $3)")
                .bind(run)
                .bind(id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The newest run whose 通报 listed problems and whose time point precedes `before` (a
    /// `YYYY-MM-DD`): the run, its time point and when its 通报 was issued.
    pub async fn previous_report(
        &self,
        before: &str,
    ) -> Result<Option<(i64, String, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT r.id, r.as_of, MIN(p.at) FROM runs r JOIN report_problems p ON p.run = r.id \
             WHERE r.as_of < $1 GROUP BY r.id, r.as_of ORDER BY r.as_of DESC, r.id DESC LIMIT 1",
        )
        .bind(before)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .transpose()
    }

    /// The problems the 通报 of run `run` listed, as they stand now.
    pub async fn reported_problems(&self, run: i64) -> Result<Vec<Problem>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("p.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM problems p JOIN report_problems r ON r.problem = p.id \
             WHERE r.run = $1 ORDER BY p.id"
        );
        let rows = sqlx::query(&sql).bind(run).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(problem_of(r)?.0)).collect()
    }

    /// Record that `actor` of `unit` acknowledged (签收) its notice of time point `as_of`; `false`
    /// when it was acknowledged before (the first acknowledgement counts).
    pub async fn ack_notice(
        &self,
        as_of: &str,
        unit: &str,
        actor: &str,
        at: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO notice_acks (as_of, unit, actor, at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (as_of, unit) DO NOTHING",
        )
        .bind(as_of)
        .bind(unit)
        .bind(actor)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Every acknowledgement: (time point, unit) → (who, when).
    pub async fn notice_acks(
        &self,
    ) -> Result<BTreeMap<(String, String), (String, String)>, StoreError> {
        let rows = sqlx::query("SELECT as_of, unit, actor, at FROM notice_acks")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    (r.try_get(0)?, r.try_get(1)?),
                    (r.try_get(2)?, r.try_get(3)?),
                ))
            })
            .collect()
    }

    /// Record the 整改期限 a notice gave the open problems of `unit`.
    pub async fn set_deadline(&self, unit: &str, deadline: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE problems SET deadline = $1 WHERE unit = $2 AND state IN ('open', 'fixed', 'disputed')",
        )
        .bind(deadline)
        .bind(unit)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Move problem `id` from `from` to `to`; `false` when it was no longer in `from`.
async fn set_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    from: ProblemState,
    to: ProblemState,
    at: &str,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("UPDATE problems SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
            .bind(to.as_str())
            .bind(at)
            .bind(id)
            .bind(from.as_str())
            .execute(&mut **tx)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Append a line to a problem's log.
#[allow(clippy::too_many_arguments)]
async fn log(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    problem: i64,
    at: &str,
    actor: &str,
    action: Action,
    before: Option<ProblemState>,
    after: ProblemState,
    note: Option<&str>,
    run: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO problem_events (problem, at, actor, action, state_before, state_after, note, run) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(problem)
    .bind(at)
    .bind(actor)
    .bind(action.as_str())
    .bind(before.map(ProblemState::as_str))
    .bind(after.as_str())
    .bind(note)
    .bind(run)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An answer kept as evidence of a problem (without its WARC bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRow {
    /// Its id.
    pub id: i64,
    /// The problem.
    pub problem: i64,
    /// When it was fetched (RFC 3339).
    pub at: String,
    /// Why it was kept: `found` (the first sighting) or `recheck` (a 复查).
    pub kind: String,
    /// The URL fetched.
    pub url: String,
    /// The HTTP status, when there was an answer.
    pub status: Option<i64>,
    /// The size of its WARC records in bytes.
    pub bytes: i64,
}

/// An answer to keep as evidence of a problem.
#[derive(Debug, Clone, Copy)]
pub struct NewEvidence<'a> {
    /// When it was fetched (RFC 3339).
    pub at: &'a str,
    /// Why it is kept: `found` or `recheck`.
    pub kind: &'a str,
    /// The URL fetched.
    pub url: &'a str,
    /// The HTTP status, when there was an answer.
    pub status: Option<i64>,
    /// Its WARC records.
    pub warc: &'a [u8],
}

async fn insert_evidence(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    problem: i64,
    e: &NewEvidence<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO problem_evidence (problem, at, kind, url, status, warc) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(problem)
    .bind(e.at)
    .bind(e.kind)
    .bind(e.url)
    .bind(e.status)
    .bind(e.warc.to_vec())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Keep `evidence` (the WARC records of one answer) as evidence of `problem`.
    pub async fn add_evidence(
        &self,
        problem: i64,
        evidence: &NewEvidence<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_evidence(&mut tx, problem, evidence).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The evidence kept of `problem`, oldest first.
    pub async fn evidence(&self, problem: i64) -> Result<Vec<EvidenceRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, problem, at, kind, url, status, LENGTH(warc) FROM problem_evidence \
             WHERE problem = $1 ORDER BY id",
        )
        .bind(problem)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EvidenceRow {
                    id: r.try_get(0)?,
                    problem: r.try_get(1)?,
                    at: r.try_get(2)?,
                    kind: r.try_get(3)?,
                    url: r.try_get(4)?,
                    status: r.try_get(5)?,
                    bytes: r
                        .try_get::<i32, _>(6)
                        .map(i64::from)
                        .or_else(|_| r.try_get(6))?,
                })
            })
            .collect()
    }

    /// The WARC bytes of evidence `id` and its problem.
    pub async fn evidence_warc(&self, id: i64) -> Result<Option<(i64, Vec<u8>)>, StoreError> {
        let row = sqlx::query("SELECT problem, warc FROM problem_evidence WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// Open problems with no evidence kept yet, oldest first, at most `limit`.
    pub async fn problems_without_evidence(&self, limit: i64) -> Result<Vec<Problem>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("p.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM problems p WHERE p.state IN ('open', 'fixed', 'disputed') \
             AND NOT EXISTS (SELECT 1 FROM problem_evidence e WHERE e.problem = p.id) \
             ORDER BY p.id LIMIT $1"
        );
        let rows = sqlx::query(&sql).bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(|r| Ok(problem_of(r)?.0)).collect()
    }
}
