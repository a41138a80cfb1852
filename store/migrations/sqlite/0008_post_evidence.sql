-- 政务新媒体 evidence: a post's platform id, its full time and what the platform marks it as
-- (bits: 1 pinned 置顶, 2 repost 转发, 4 deleted). Earlier posts have none of them.
ALTER TABLE posts ADD COLUMN post_id TEXT;
ALTER TABLE posts ADD COLUMN posted_at TEXT;
ALTER TABLE posts ADD COLUMN flags BIGINT NOT NULL DEFAULT 0;
