-- Name search for the query side (query-api): trigram indexes over every name a subject was reported under.
-- pg_trgm is a trusted extension (PostgreSQL 13+), so the schema owner may create it. CJK characters count as word
-- characters in a UTF-8 database, so Chinese names get trigrams like any other.
create extension if not exists pg_trgm schema public;
create index subject_names_trgm on subject_names using gin (name gin_trgm_ops);
