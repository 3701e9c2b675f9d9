-- The audit log of one service, created in that service's schema (search_path is set to it).
-- Idempotent on purpose: migrateAudit() runs every file here on each start, and so may migrate() into a schema of its own.
create table if not exists audit_log (
  id bigserial primary key,
  at timestamptz not null,
  -- a client id, or 'public' for aggregated public queries
  actor text not null,
  -- the matter being decided; null for public queries
  purpose text,
  -- null for aggregated rows
  subject_code text,
  -- profile, history, report, check, search, ...
  action text not null,
  -- what was returned, compactly (counts for aggregated public rows)
  detail jsonb not null,
  prev_hash text not null,
  hash text not null unique
);

create index if not exists audit_log_subject_idx on audit_log (subject_code, id desc) where subject_code is not null;

-- Append-only: changing or removing rows needs a deliberate `alter table ... disable trigger` (or superuser work),
-- and the hash chain (verifyAuditChain) detects the result anyway.
create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end
$$;

create or replace trigger audit_log_append_only
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();

create or replace trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
