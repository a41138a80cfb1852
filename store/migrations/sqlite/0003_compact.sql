-- A compact store (keep in step with ../postgres/0003_compact.sql). A URL and an anchor text are
-- stored once, under an id. What a page holds (its facts, list items and links) is stored once per
-- distinct body as a page *version*, keyed by the URL it was read at, the body's hash and the year
-- it was read in (the year that month-day list dates take); every run that sees the same body
-- refers to the same version, so an unchanged page adds one short fetch row and nothing else. Existing
-- data is carried over: one version per stored page, shared where the key repeats.
CREATE TABLE urls (
    id  INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE
);

CREATE TABLE anchors (
    id   INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
);

CREATE TABLE versions (
    id       INTEGER PRIMARY KEY,
    base_id  BIGINT NOT NULL REFERENCES urls(id),
    hash     TEXT NOT NULL,
    ref_year BIGINT NOT NULL,
    facts    TEXT NOT NULL,
    -- The page's links, each `target_id:anchor_id:element:nav` (ids of urls and anchors), separated
    -- by spaces: one value per page rather than a row per link, which the crawl's writer and the
    -- analysis's reader spent most of their store time on.
    links    TEXT NOT NULL DEFAULT '',
    -- What the answer said of its body: a fetch that read this version leaves these NULL.
    content_type  TEXT,
    charset       TEXT,
    etag          TEXT,
    last_modified TEXT,
    UNIQUE (base_id, hash, ref_year)
);

CREATE TABLE version_items (
    version_id  BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL,
    url_id      BIGINT NOT NULL,
    date        TEXT,
    date_source TEXT NOT NULL,
    reply       TEXT,
    reply_date  TEXT,
    PRIMARY KEY (version_id, position)
) WITHOUT ROWID;

CREATE TABLE page_fetches (
    run_id        BIGINT NOT NULL REFERENCES runs(id),
    target_id     TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    url_id        BIGINT NOT NULL,
    final_id      BIGINT NOT NULL,
    redirects     TEXT NOT NULL,
    status        BIGINT,
    error         TEXT,
    blocked       TEXT,
    elapsed_ms    BIGINT NOT NULL,
    attempts      BIGINT NOT NULL,
    bytes         BIGINT NOT NULL,
    content_type  TEXT,
    charset       TEXT,
    content_hash  TEXT,
    fetched_at    TEXT NOT NULL,
    depth         BIGINT NOT NULL,
    version_id    BIGINT,
    etag          TEXT,
    last_modified TEXT,
    PRIMARY KEY (run_id, target_id, purpose, url_id)
) WITHOUT ROWID;

INSERT INTO urls (url)
SELECT url FROM fetches UNION SELECT final_url FROM fetches
UNION SELECT target FROM links UNION SELECT url FROM list_items;

INSERT INTO anchors (text) SELECT DISTINCT anchor FROM links;

CREATE TABLE migrate_page_keys AS
SELECT DISTINCT p.run_id, p.target_id, p.url, u.id AS base_id,
       COALESCE(f.content_hash, 'run' || p.run_id || ':' || p.url) AS hash,
       CAST(substr(f.fetched_at, 1, 4) AS INTEGER) AS ref_year, p.facts,
       f.content_type, f.charset
FROM pages p
JOIN fetches f ON f.run_id = p.run_id AND f.target_id = p.target_id AND f.url = p.url
     AND f.purpose IN ('page', 'probe404')
JOIN urls u ON u.url = f.final_url;

INSERT INTO versions (base_id, hash, ref_year, facts, content_type, charset)
SELECT base_id, hash, ref_year, MIN(facts), MIN(content_type), MIN(charset)
FROM migrate_page_keys GROUP BY base_id, hash, ref_year;

CREATE TABLE migrate_page_versions AS
SELECT DISTINCT k.run_id, k.target_id, k.url, v.id AS version_id
FROM migrate_page_keys k
JOIN versions v ON v.base_id = k.base_id AND v.hash = k.hash AND v.ref_year = k.ref_year;

UPDATE versions SET links = COALESCE((
    SELECT group_concat(x, ' ') FROM (
        SELECT DISTINCT t.id || ':' || a.id || ':' || l.element || ':' || l.nav AS x
        FROM links l
        JOIN migrate_page_versions pv ON pv.run_id = l.run_id AND pv.target_id = l.target_id
             AND pv.url = l.source
        JOIN urls t ON t.url = l.target
        JOIN anchors a ON a.text = l.anchor
        WHERE pv.version_id = versions.id)), '');

INSERT INTO version_items (version_id, position, title, url_id, date, date_source, reply, reply_date)
SELECT pv.version_id, li.position, li.title, u.id, li.date, li.date_source, li.reply, li.reply_date
FROM list_items li
JOIN migrate_page_versions pv ON pv.run_id = li.run_id AND pv.target_id = li.target_id AND pv.url = li.page_url
JOIN urls u ON u.url = li.url
WHERE true ON CONFLICT DO NOTHING;

INSERT INTO page_fetches (run_id, target_id, purpose, url_id, final_id, redirects, status, error, blocked,
    elapsed_ms, attempts, bytes, content_type, charset, content_hash, fetched_at, depth, version_id)
SELECT f.run_id, f.target_id, f.purpose, u.id, fu.id, f.redirects, f.status, f.error, f.blocked,
    f.elapsed_ms, f.attempts, f.bytes, f.content_type, f.charset, f.content_hash, f.fetched_at, f.depth,
    pv.version_id
FROM fetches f
JOIN urls u ON u.url = f.url
JOIN urls fu ON fu.url = f.final_url
LEFT JOIN migrate_page_versions pv ON pv.run_id = f.run_id AND pv.target_id = f.target_id AND pv.url = f.url
    AND f.purpose IN ('page', 'probe404')
WHERE true ON CONFLICT DO NOTHING;

DROP TABLE migrate_page_versions;
DROP TABLE migrate_page_keys;
DROP TABLE links;
DROP TABLE list_items;
DROP TABLE pages;
DROP TABLE fetches;
ALTER TABLE page_fetches RENAME TO fetches;
