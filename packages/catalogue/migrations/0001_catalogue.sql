-- Owned by @credit/catalogue (schema "catalogue"). The tables hold the content of one catalogue version, the
-- current one; every version ever loaded is recorded with a hash of its content, and a version string never
-- gets other content (loadCatalogueIntoDatabase refuses it).

create table versions (
  version text primary key check (version ~ '^[0-9]{4}\.[1-9][0-9]*$'),
  content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
  loaded_at timestamptz not null default now(),
  is_current boolean not null default false
);
-- At most one current version.
create unique index versions_one_current on versions ((true)) where is_current;

create table record_kinds (
  kind text primary key check (kind in (
    'administrative-licence', 'administrative-penalty', 'dishonest-judgment-debtor', 'credit-grade',
    'honour', 'credit-commitment', 'list-designation'
  )),
  name text not null check (name <> ''),
  abbreviation text not null check (abbreviation ~ '^[A-Z]{2,8}$'),
  disclosure text not null check (disclosure in ('public', 'authorised')),
  -- Deferred, so a new version may swap abbreviations between kinds within its transaction.
  constraint record_kinds_abbreviation_key unique (abbreviation) deferrable initially deferred
);

create table disclosure_windows (
  kind text not null references record_kinds (kind) on delete cascade,
  severity text not null check (severity in ('BASIC', 'POSITIVE', 'GENERAL_DISHONESTY', 'SERIOUS_DISHONESTY')),
  months integer check (months >= 0),
  minimum_months integer check (minimum_months >= 0),
  basis text not null check (basis <> ''),
  primary key (kind, severity),
  check (minimum_months is null or months is null or minimum_months <= months),
  check (months is distinct from 0 or minimum_months is null)
);

create table departments (
  code text primary key check (code ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  name text not null check (name <> ''),
  uscc text not null check (uscc ~ '^[0-9A-HJ-NP-RTUWXY]{18}$'),
  region text not null check (region ~ '^[0-9]{6}$'),
  region_name text not null check (region_name <> ''),
  -- Deferred, so a new version may move a USCC from one department code to another.
  constraint departments_uscc_key unique (uscc) deferrable initially deferred,
  check (substr(uscc, 3, 6) = region)
);

create table items (
  code text primary key check (code ~ '^[0-9]{6}-[A-Z]{2,8}-[0-9]{4}$'),
  department text not null references departments (code) on delete cascade,
  kind text not null references record_kinds (kind),
  name text not null check (name <> ''),
  list text not null check (list in ('data', 'behaviour')),
  severities text[] not null check (
    cardinality(severities) > 0
    and severities <@ array['BASIC', 'POSITIVE', 'GENERAL_DISHONESTY', 'SERIOUS_DISHONESTY']
  )
);
create index items_department_kind on items (department, kind);
