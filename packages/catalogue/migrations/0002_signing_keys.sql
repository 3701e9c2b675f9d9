-- The public keys that sign departments' ingest messages (packages/ingest-trust). A department registers the key
-- its SDK signs with; the ingest gateway has one per department it reports for over HTTPS. A key is never deleted:
-- it is revoked, and messages the broker took after the revocation are refused (their broker timestamp, as the
-- ingest topics use LogAppendTime). Written by `credit signing-keys` (the credit office) and, for the local
-- platform, by `pnpm start`; read by the aggregator.
create table signing_keys (
  key_id text primary key check (key_id ~ '^[0-9a-f]{32}$'),
  department text not null check (department ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  algorithm text not null check (algorithm in ('ed25519', 'sm2')),
  public_key text not null check (public_key like '-----BEGIN PUBLIC KEY-----%'),
  holder text not null check (holder in ('department', 'gateway')),
  registered_at timestamptz not null default now(),
  registered_by text not null check (registered_by <> ''),
  revoked_at timestamptz,
  revoked_by text,
  revocation_reason text,
  check ((revoked_at is null) = (revoked_by is null))
);
create index signing_keys_department on signing_keys (department);
