-- List entries (红名单 / 黑名单 / 重点关注名单 / 信用预警名单) and their history. Written only by list-designation.
-- The service reads the unified database (schema aggregator) and never writes it.

create table entries (
  id text primary key,
  subject_code text not null,
  -- LEGAL_ENTITY, NATURAL_PERSON, INDIVIDUAL_BUSINESS (natural persons need prior notice).
  subject_category text not null,
  list_type text not null,
  colour text not null check (colour in ('red', 'black', 'watch', 'warning')),
  -- Key field (重点领域) of a watch entry.
  field text,
  state text not null check (state in ('proposed', 'notified', 'objected', 'confirmed', 'published', 'suspended', 'exited')),
  exit_reason text check ((state = 'exited') = (exit_reason is not null)),
  notice_channel text,
  -- department: the department's own designation record; rule: a platform rule; after-exit: black exit → watch.
  source text not null check (source in ('department', 'rule', 'after-exit')),
  rule_id text not null,
  rules_version text not null,
  -- What the rules designate (e.g. department:<dept>:<record id>). An identity is designated again only after its
  -- entry ran its course (expired) or its basis went and came back; each time a new generation.
  identity text not null,
  generation integer not null default 1,
  designating_department text not null,
  designated_on date not null,
  valid_from date not null,
  -- Exclusive; null = until revoked.
  valid_until date,
  repairable boolean not null,
  repairable_from date,
  -- [{department, sourceRecordId, version}] the entry rests on, and entry ids (warning, escalation, after-exit).
  basis jsonb not null,
  basis_entries text[] not null default '{}',
  explanation text not null,
  -- Department designations: when the record reached the platform, and working days from designation (7 allowed).
  reached_platform_at timestamptz,
  working_days_to_platform integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (subject_code, identity, generation)
);
create index entries_in_force on entries (subject_code) where state <> 'exited';
create index entries_expiry on entries (valid_until) where state in ('confirmed', 'published', 'suspended');
create index entries_review on entries (state, created_at) where state in ('proposed', 'notified', 'objected', 'confirmed');
create index entries_list on entries (list_type, state);

-- Every transition of every entry, append-only: who, when, why.
create table transitions (
  entry_id text not null,
  seq integer not null,
  event text not null,
  from_state text not null,
  to_state text not null,
  actor_id text not null,
  actor_role text not null,
  reason text not null,
  at timestamptz not null,
  primary key (entry_id, seq)
);

-- 退出公告: one per exit, published through the entry's original channel.
create table exit_announcements (
  entry_id text primary key,
  subject_code text not null,
  list_type text not null,
  exit_reason text not null,
  text text not null,
  at timestamptz not null
);

-- Designations a rule would have made but may not (e.g. red while black-listed): kept so they can be explained.
create table refusals (
  subject_code text not null,
  list_type text not null,
  rule_id text not null,
  rules_version text not null,
  basis jsonb not null,
  reason text not null,
  at timestamptz not null default now(),
  primary key (subject_code, list_type, rule_id)
);

-- Re-evaluation of every subject after a rule change; resumable from `cursor` (the last subject code done).
create table backfills (
  id text primary key,
  rules_version text not null,
  status text not null check (status in ('running', 'paused', 'done', 'failed')),
  cursor text,
  subjects_done bigint not null default 0,
  entries_created bigint not null default 0,
  entries_exited bigint not null default 0,
  started_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  error text
);


-- credit.list-changes, written in the transaction that made the change.
create table outbox (
  id bigserial primary key,
  subject_code text not null,
  event jsonb not null,
  created_at timestamptz not null default now()
);
