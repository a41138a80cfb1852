-- The reply status a 留言/信箱 list row shows: 'answered' or 'pending' (NULL: not a message), and
-- the reply date when the row gives one.
ALTER TABLE list_items ADD COLUMN reply TEXT;
ALTER TABLE list_items ADD COLUMN reply_date TEXT;
