-- Erasures of natural persons (PIPL art. 47; the credit repair and disclosure rules): `credit erase-person`
-- deletes the person's rows and leaves one tombstone here (src/erasure.ts). The token is kept so that a second
-- request is answered "already erased"; no number, no name, no record content.
create table erasures (
  id bigserial primary key,
  subject_code text not null,
  erased_at timestamptz not null,
  legal_basis text not null,
  operator text not null,
  records_erased integer not null,
  names_erased integer not null
);
create index erasures_subject on erasures (subject_code, erased_at desc);

-- The exact record versions an erasure removed. A message of one of them that arrives again (a redelivery, a
-- replay from offset 0) at this version or below is ignored; a higher version is new data (src/upsert.ts).
create table erased_records (
  erasure_id bigint not null,
  department text not null,
  source_record_id text not null,
  version bigint not null,
  primary key (department, source_record_id, erasure_id)
);
