-- 人工核验: what a person of the office saw on a new-media account no reader reaches: the newest
-- post (its day, and its time and URL when given), who looked and when, and where the record
-- came from (FILE:LINE of an imported CSV, or dashboard). One record per account and moment of
-- looking: importing the same file again replaces, never duplicates.
CREATE TABLE manual_checks (
    id           BIGSERIAL PRIMARY KEY,
    account      TEXT NOT NULL,
    last_post    TEXT NOT NULL,
    last_post_at TEXT,
    post_url     TEXT,
    checked_by   TEXT NOT NULL,
    checked_at   TEXT NOT NULL,
    source       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    UNIQUE (account, checked_at)
);
