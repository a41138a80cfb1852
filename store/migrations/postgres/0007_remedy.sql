-- The remediation loop (整改): each problem, a finding's identity across runs (rule + target +
-- object), where it stands, and an append-only log of everything done to it; the people who sign in
-- and their sessions.
CREATE TABLE problems (
    id            BIGSERIAL PRIMARY KEY,
    target        TEXT NOT NULL,
    rule          TEXT NOT NULL,
    object        TEXT NOT NULL,
    unit          TEXT NOT NULL,
    state         TEXT NOT NULL,
    first_run     BIGINT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_run      BIGINT NOT NULL,
    last_seen     TEXT NOT NULL,
    finding       TEXT NOT NULL,
    evidence_hash TEXT NOT NULL,
    deadline      TEXT,
    updated_at    TEXT NOT NULL,
    UNIQUE (target, rule, object)
);
CREATE INDEX problems_unit ON problems (unit, state);

CREATE TABLE problem_events (
    id       BIGSERIAL PRIMARY KEY,
    problem  BIGINT NOT NULL,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    state_before TEXT,
    state_after  TEXT NOT NULL,
    note     TEXT,
    run      BIGINT
);
CREATE INDEX problem_events_problem ON problem_events (problem, id);

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    unit          TEXT,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- The problems each issued 通报 listed, so that the next quarter's says what became of them.
CREATE TABLE report_problems (
    run     BIGINT NOT NULL,
    problem BIGINT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (run, problem)
);

-- 签收: a unit's acknowledgement that it received its 整改通知 of a time point (the first counts).
CREATE TABLE notice_acks (
    as_of TEXT NOT NULL,
    unit  TEXT NOT NULL,
    actor TEXT NOT NULL,
    at    TEXT NOT NULL,
    PRIMARY KEY (as_of, unit)
);

-- 全过程留痕: the answers a problem rests on, kept as WARC records with the problem (the page, the
-- failed response, the page that links it), when first found and at each 复查.
CREATE TABLE problem_evidence (
    id      BIGSERIAL PRIMARY KEY,
    problem BIGINT NOT NULL,
    at      TEXT NOT NULL,
    kind    TEXT NOT NULL,
    url     TEXT NOT NULL,
    status  BIGINT,
    warc    BYTEA NOT NULL
);
CREATE INDEX problem_evidence_problem ON problem_evidence (problem, id);
