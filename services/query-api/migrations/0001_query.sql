-- The query API's own tables. It reads the aggregator's, list-designation's and sanctions' schemas and never writes them.

-- The public change feed: one row per subject change and list change it has followed on Kafka, in commit order
-- (appends take one advisory lock, so seq is taken in the order rows become visible). Readers page by seq.
create table changes (
  seq bigserial primary key,
  event_id text not null unique,
  subject_code text not null,
  -- records (credit.subject-changes) or lists (credit.list-changes)
  source text not null check (source in ('records', 'lists')),
  -- What a public reader may know of the change (no identity numbers, no non-public list types).
  summary jsonb not null,
  at timestamptz not null,
  followed_at timestamptz not null default now()
);
create index changes_at on changes (at);

-- Every credit report issued: the exact content that was hashed, so a printed copy can be checked later.
create table reports (
  report_number text primary key,
  subject_code text not null,
  issued_to text not null,
  purpose text not null,
  issued_at timestamptz not null,
  content_hash text not null unique,
  verification_code text not null,
  report jsonb not null
);
create index reports_subject on reports (subject_code, issued_at desc);
create sequence report_numbers;

-- The audit log (packages/audit) lives in this schema too. Checks pass through to the sanctions service, which knows
-- them all as the query API's: which client made a check is found here, when that client records its decision.
-- (Created by migrateAudit before this file runs.)
create index audit_log_checks on audit_log ((detail ->> 'checkId')) where action = 'check';
