-- The service's scheduled jobs (xunjian serve): for each, the scheduled time it last started for,
-- so that a job is never started twice for one time and a restart catches up a missed one once.
CREATE TABLE jobs (
    name       TEXT PRIMARY KEY,
    due_at     TEXT NOT NULL,
    state      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    message    TEXT
);
