-- Every message dead-lettered on credit.dlq, once (its DLQ position is unique), with where it came from, why it was
-- refused and, once re-injected, where the replay landed.
create table dead_letters (
  id bigint generated always as identity primary key,
  dlq_topic text not null,
  dlq_partition integer not null,
  dlq_offset bigint not null,
  source_topic text,
  source_partition integer,
  source_offset bigint,
  -- From a source topic credit.ingest.<department>; null for other topics (the refusing service is in service).
  department text,
  reason_code text not null,
  reason text not null default '',
  service text,
  key bytea,
  value bytea,
  -- The original message's headers only (the dlq-* ones are in the columns above): a string when the bytes are
  -- UTF-8, else {"base64": "..."}.
  headers jsonb not null default '{}',
  dead_at timestamptz not null,
  received_at timestamptz not null default now(),
  replayed_at timestamptz,
  replayed_to_partition integer,
  replayed_to_offset bigint,
  unique (dlq_topic, dlq_partition, dlq_offset)
);

create index dead_letters_department_reason on dead_letters (department, reason_code, id desc);
create index dead_letters_reason on dead_letters (reason_code, id desc);
create index dead_letters_dead_at on dead_letters (dead_at);
create index dead_letters_pending on dead_letters (id) where replayed_at is null;
