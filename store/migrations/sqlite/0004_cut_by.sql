-- The limit that cut a site's crawl short (pages, depth, time), so that the documents can name it.
ALTER TABLE targets ADD COLUMN cut_by TEXT;
-- Why an analyzed run cannot be signed (检查端网络异常：…), judged once by the analysis.
ALTER TABLE runs ADD COLUMN degraded TEXT;
