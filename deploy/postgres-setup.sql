-- PostgreSQL for several xunjian machines sharing one store. Run as the postgres superuser:
--   psql -f deploy/postgres-setup.sql
-- then point every machine at it: --db postgres://xunjian:CHANGE_ME@db-host/xunjian
-- xunjian creates its tables itself (embedded migrations) on first start.
CREATE ROLE xunjian LOGIN PASSWORD 'CHANGE_ME';
CREATE DATABASE xunjian OWNER xunjian ENCODING 'UTF8';
