-- Joint rewards and sanctions (联合奖惩): the list entries as credit.list-changes reports them, the orders issued to
-- implementing departments, their history, the checks approval systems made, and the outbox of
-- credit.sanction-orders. Written only by the sanctions service.

-- The list entries, as the last list-change event of each says (a projection: the list service owns them).
create table list_entries (
  entry_id text primary key,
  subject_code text not null,
  subject_category text not null,
  list_type text not null,
  colour text not null,
  state text not null,
  exit_reason text,
  measures_apply boolean not null,
  designating_department text not null,
  valid_from date not null,
  valid_until date,
  basis jsonb not null,
  -- The seq of the last event applied (eventId = <entry>:<seq>): an older or repeated event changes nothing.
  last_seq integer not null,
  updated_at timestamptz not null
);
create index list_entries_subject on list_entries (subject_code) where measures_apply;

-- One order per (entry, measure, implementing department): 发起 → 响应 (acknowledged) → 反馈 (fed-back).
create table orders (
  id text primary key,
  entry_id text not null,
  subject_code text not null,
  list_type text not null,
  measure_code text not null,
  measure_kind text not null check (measure_kind in ('incentive', 'sanction')),
  measure_class text not null check (measure_class in ('mandatory', 'recommended')),
  department text not null,
  status text not null check (status in ('issued', 'acknowledged', 'fed-back', 'suspended', 'withdrawn', 'cancelled')),
  -- The status a suspended order returns to when the objection is rejected.
  suspended_from text,
  -- An organisation's legal representative / responsible persons the measure also binds (tokens, never numbers).
  responsible_persons jsonb not null default '[]',
  issued_at timestamptz not null,
  acknowledge_due date not null,
  acknowledged_at timestamptz,
  feedback_due date not null,
  feedback jsonb,
  fed_back_at timestamptz,
  ended_at timestamptz,
  end_reason text,
  updated_at timestamptz not null,
  unique (entry_id, measure_code, department)
);
create index orders_department on orders (department, status);
create index orders_subject on orders (subject_code);
create index orders_issued_at on orders (issued_at);

-- Every status change of every order, append-only.
create table order_events (
  order_id text not null,
  seq integer not null,
  status text not null,
  actor text not null,
  reason text not null,
  at timestamptz not null,
  primary key (order_id, seq)
);

-- 应查必查: every check an approval system made, what it was told, and the decision it reported against it.
create table checks (
  id text primary key,
  subject_code text not null,
  matter_type text not null,
  caller text not null,
  caller_department text,
  at timestamptz not null,
  hit boolean not null,
  -- What was answered, compactly: entry ids, measure and incentive codes, the catalogue version.
  answer jsonb not null,
  decision jsonb,
  decided_at timestamptz
);
create index checks_at on checks (at);

-- credit.sanction-orders, written in the transaction that made the change.
create table outbox (
  id bigserial primary key,
  department text not null,
  event jsonb not null,
  created_at timestamptz not null default now()
);
