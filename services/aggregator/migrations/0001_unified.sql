-- The unified public credit database (公共信用信息数据库). Written only by the aggregator; the query side reads.
-- No foreign keys between these tables: the aggregator writes a subject and its records in one transaction,
-- and the checks would cost a lookup per row on the hot path.

-- One row per credit subject, keyed by its code: the USCC of an organisation, a token for a natural person.
create table subjects (
  code text primary key,
  -- IdDocumentType of the code the department reported (USCC, RESIDENT_IDENTITY_CARD, PASSPORT, ...).
  code_type text not null,
  -- SubjectCategory: LEGAL_ENTITY, NATURAL_PERSON, INDIVIDUAL_BUSINESS.
  category text not null,
  -- Derived from the code: enterprise, individual_business, farmers_cooperative, public_institution,
  -- social_organisation, government_body, ..., natural_person.
  kind text not null,
  -- What may be shown: the USCC itself, or the masked identity number.
  display_code text not null,
  -- Natural persons: the full identity number, AES-256-GCM (see src/identity-cipher.ts). Null for organisations.
  identity_ciphertext text,
  division_code text,
  name text not null,
  -- reportedAt of the record the current name came from: an older record never renames the subject.
  name_reported_at timestamptz not null,
  first_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Every name a subject was reported under, with the earliest report under it (names change; records keep the
-- name of their time). The current name is subjects.name.
create table subject_names (
  subject_code text not null,
  name text not null,
  first_reported_at timestamptz not null,
  primary key (subject_code, name)
);

-- Old codes (注册号, 组织机构代码, 税务登记号, ...) → the subject, so a lookup by an old code finds it.
create table legacy_codes (
  legacy_code text primary key,
  code_type text not null,
  subject_code text not null,
  first_seen_at timestamptz not null default now()
);
create index legacy_codes_subject on legacy_codes (subject_code);

-- Every reported record, at its highest version. Identified by the reporting department and its own record id.
create table records (
  department text not null,
  source_record_id text not null,
  version bigint not null,
  subject_code text not null,
  kind text not null,
  -- Schema version the department wrote (the payload is always in the kind's current version).
  schema_version integer not null,
  catalogue_item_code text not null,
  severity text not null,
  operation text not null,
  status text not null check (status in ('active', 'revoked', 'corrected', 'repaired', 'expired')),
  decision_date date not null,
  reported_at timestamptz not null,
  disclosure_public boolean not null,
  disclosure_from date not null,
  -- Null: public with no end. Equal to disclosure_from when not public at all.
  disclosure_until date,
  change_reason text,
  -- The record in its JSON wire form; identity numbers replaced by their token / mask (see src/normalise.ts).
  payload jsonb not null,
  source_topic text not null,
  source_partition integer not null,
  source_offset bigint not null,
  first_stored_at timestamptz not null default clock_timestamp(),
  stored_at timestamptz not null default clock_timestamp(),
  primary key (department, source_record_id)
);
create index records_subject on records (subject_code);
-- The expiry sweep's search: public records whose window can still close.
create index records_open_window on records (disclosure_until)
  where status in ('active', 'corrected') and disclosure_public;

-- What the query side reads in one row per subject.
create table subject_summaries (
  subject_code text primary key,
  records_total integer not null,
  active_records integer not null,
  revoked_records integer not null,
  expired_records integer not null,
  -- {"administrative-penalty": 2, "honour": 1}: active (active or corrected) records by kind.
  active_by_kind jsonb not null,
  active_penalties integer not null,
  serious_dishonesty integer not null,
  positive_records integer not null,
  last_decision_date date,
  last_change_at timestamptz not null
);

-- Messages refused by the aggregator, also sent to credit.dlq; operators query this table.
create table ingest_errors (
  id bigserial primary key,
  source_topic text not null,
  source_partition integer not null,
  source_offset bigint not null,
  department text,
  reason_code text not null,
  reason text not null,
  message_key text,
  headers jsonb not null,
  value bytea,
  received_at timestamptz not null default now(),
  unique (source_topic, source_partition, source_offset)
);
create index ingest_errors_department on ingest_errors (department, reason_code, received_at);

-- Change events written in the same transaction as the change, published to credit.subject-changes by the relay,
-- then deleted. A crash between publish and delete publishes the event again: consumers dedupe on event_id.
create table outbox (
  id bigserial primary key,
  subject_code text not null,
  event jsonb not null,
  created_at timestamptz not null default now()
);
