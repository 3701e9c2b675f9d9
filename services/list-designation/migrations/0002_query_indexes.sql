-- For the query side (query-api), which reads entries: every entry of a subject (authorised histories), and the
-- published lists newest first (public browsing, keyset-paged by valid_from desc, id desc).
create index entries_subject on entries (subject_code);
create index entries_published on entries (valid_from desc, id desc) where state = 'published';
