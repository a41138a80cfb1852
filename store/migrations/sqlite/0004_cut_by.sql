-- The limit that cut a site's crawl short (pages, depth, time), so that the documents can name it.
ALTER TABLE targets ADD COLUMN cut_by TEXT;
