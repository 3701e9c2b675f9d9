-- Owned by the ingest gateway (schema "intake").

-- Per-department API keys. Only a hash of the secret is kept; a department may hold several valid keys at once,
-- so a new key is issued, deployed, and the old one revoked without downtime.
create table credentials (
  key_id text primary key,
  department text not null,
  secret_sha256 bytea not null,
  label text not null default '',
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz
);
create index credentials_department on credentials (department);

-- Idempotency: one row per (department, source record id, version). A request claims the row before producing
-- ('pending'), and confirms it with the Kafka position once every in-sync replica has the message ('accepted').
create table submissions (
  department text not null,
  source_record_id text not null,
  version bigint not null,
  kind text not null,
  state text not null check (state in ('pending', 'accepted')),
  topic text,
  kafka_partition int,
  kafka_offset bigint,
  claimed_at timestamptz not null default now(),
  accepted_at timestamptz,
  primary key (department, source_record_id, version)
);

-- Every refused record, so nothing a department sent disappears without a trace.
create table rejections (
  id bigserial primary key,
  department text not null,
  received_at timestamptz not null default now(),
  request_id text not null,
  channel text not null,
  kind text,
  source_record_id text,
  version bigint,
  code text not null,
  message text not null,
  field text,
  value text,
  rule text
);
create index rejections_department_time on rejections (department, received_at);
create index rejections_code on rejections (code);
