-- xunjian store, SQLite dialect. Keep in step with ../postgres/0001_init.sql.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    seeds_path  TEXT NOT NULL,
    seeds_hash  TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    status      TEXT NOT NULL,
    finished_at TEXT
);

CREATE TABLE targets (
    run_id    BIGINT NOT NULL REFERENCES runs(id),
    target_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    complete  BIGINT NOT NULL,
    pages     BIGINT NOT NULL,
    done_at   TEXT NOT NULL,
    PRIMARY KEY (run_id, target_id)
);

CREATE TABLE fetches (
    run_id       BIGINT NOT NULL REFERENCES runs(id),
    target_id    TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    url          TEXT NOT NULL,
    final_url    TEXT NOT NULL,
    redirects    TEXT NOT NULL,
    status       BIGINT,
    error        TEXT,
    blocked      TEXT,
    elapsed_ms   BIGINT NOT NULL,
    attempts     BIGINT NOT NULL,
    bytes        BIGINT NOT NULL,
    content_type TEXT,
    charset      TEXT,
    content_hash TEXT,
    fetched_at   TEXT NOT NULL,
    depth        BIGINT NOT NULL,
    PRIMARY KEY (run_id, target_id, purpose, url)
);

CREATE TABLE pages (
    run_id    BIGINT NOT NULL REFERENCES runs(id),
    target_id TEXT NOT NULL,
    url       TEXT NOT NULL,
    facts     TEXT NOT NULL,
    PRIMARY KEY (run_id, target_id, url)
);

CREATE TABLE links (
    run_id    BIGINT NOT NULL REFERENCES runs(id),
    target_id TEXT NOT NULL,
    source    TEXT NOT NULL,
    target    TEXT NOT NULL,
    element   TEXT NOT NULL,
    anchor    TEXT NOT NULL,
    nav       BIGINT NOT NULL,
    PRIMARY KEY (run_id, target_id, source, target, element)
);

CREATE TABLE list_items (
    run_id      BIGINT NOT NULL REFERENCES runs(id),
    target_id   TEXT NOT NULL,
    page_url    TEXT NOT NULL,
    position    BIGINT NOT NULL,
    column_name TEXT,
    title       TEXT NOT NULL,
    url         TEXT NOT NULL,
    date        TEXT,
    date_source TEXT NOT NULL,
    PRIMARY KEY (run_id, target_id, page_url, position)
);

CREATE TABLE posts (
    run_id     BIGINT NOT NULL REFERENCES runs(id),
    account_id TEXT NOT NULL,
    position   BIGINT NOT NULL,
    title      TEXT NOT NULL,
    url        TEXT,
    date       TEXT,
    PRIMARY KEY (run_id, account_id, position)
);

CREATE TABLE probes (
    id         INTEGER PRIMARY KEY,
    site_id    TEXT NOT NULL,
    url        TEXT NOT NULL,
    probed_at  TEXT NOT NULL,
    ok         BIGINT NOT NULL,
    elapsed_ms BIGINT NOT NULL,
    reason     TEXT
);
CREATE INDEX probes_by_site ON probes (site_id, probed_at);

CREATE TABLE verdicts (
    run_id    BIGINT NOT NULL REFERENCES runs(id),
    target_id TEXT NOT NULL,
    position  BIGINT NOT NULL,
    verdict   TEXT NOT NULL,
    report    TEXT NOT NULL,
    PRIMARY KEY (run_id, target_id)
);

CREATE TABLE findings (
    run_id    BIGINT NOT NULL REFERENCES runs(id),
    target_id TEXT NOT NULL,
    position  BIGINT NOT NULL,
    rule      TEXT NOT NULL,
    object    TEXT NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (run_id, target_id, position)
);
