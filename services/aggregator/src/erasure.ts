import { appendAuditEntries } from '@credit/audit';
import { inTransaction } from '@credit/db';
import { maskIdentityNumbers } from '@credit/identifiers';
import type pg from 'pg';
import { compareText } from './byte-order.ts';
import {
  ErasureAlreadyDone,
  ErasureNotNaturalPerson,
  ErasureRequestInvalid,
  ErasureSubjectUnknown,
  ErasureTablesMissing,
} from './errors.ts';
import { SNAPSHOT_ERASURE_LOCK, snapshotSchemas } from './snapshot.ts';
import { type RecordChange, writeOutbox } from './subject-change.ts';
import type { RecordStatus } from './upsert.ts';

export interface ErasureRequest {
  /** The person's subject code: its token (`p_…` for a resident identity number), never the number. */
  subjectCode: string;
  /** The legal basis, e.g. "PIPL art. 47(1)(4); request 2026-118". Kept in the tombstone and the audit log. */
  basis: string;
  /** Who erases (an operator's id): the audit row's actor. */
  operator: string;
  now: Date;
}

/** What an erasure did; no number, no name. */
export interface Erasure {
  /** The tombstone's id in `erasures`. */
  tombstoneId: string;
  subjectCode: string;
  /** ISO 8601. */
  erasedAt: string;
  records: number;
  names: number;
  legacyCodes: number;
  /** Change events written to the outbox (one per erased record, in one event of the subject). */
  events: number;
  /** Snapshots of the unified database the person was deleted from too. */
  snapshots: number;
  /** The audit row's id. */
  auditId: string;
}

interface ErasedRow {
  department: string;
  source_record_id: string;
  version: string;
  kind: string;
  status: RecordStatus;
  severity: string;
  catalogue_item_code: string;
}

const MAX_TEXT = 2000;

/**
 * Erases a natural person from the unified database in one transaction: their subject, names, old codes, records
 * and summary are deleted, here and in every snapshot (src/snapshot.ts); a tombstone names the token and every
 * record version erased (so that those versions never come back: the version guard in src/upsert.ts); an `erased` change per
 * record goes to the outbox for downstream services; an audit row (actor = operator, purpose = basis) records it in
 * the hash-chained log.
 *
 * The subject's row is locked as upsert.ts locks it, so a batch about the person either commits before (and its
 * records are erased too) or waits and then finds them erased. Refuses, with a coded error, anything that is not a
 * natural person, an unknown subject, and a subject already erased (saying when).
 */
export async function erasePerson(pool: pg.Pool, request: ErasureRequest): Promise<Erasure> {
  const { subjectCode, basis, operator, now } = checked(request);
  // Error messages may reach a terminal or a log: a number passed where a token belongs is never shown.
  const shown = maskIdentityNumbers(subjectCode);
  return inTransaction(pool, async (client) => {
    await requireErasureTables(client);
    const subject = await client.query<{ kind: string }>(
      'select kind from subjects where code = $1 for update',
      [subjectCode],
    );
    const kind = subject.rows[0]?.kind;
    if (kind === undefined) throw await unknownOrErased(client, subjectCode, shown);
    if (kind !== 'natural_person') throw ErasureNotNaturalPerson(shown, kind);

    const deleted = await deleteSubjectRows(client, [subjectCode]);
    const records = deleted.records.sort(
      (a, b) =>
        compareText(a.department, b.department) || compareText(a.source_record_id, b.source_record_id),
    );
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [SNAPSHOT_ERASURE_LOCK]);
    const snapshots = await snapshotSchemas(client);
    for (const snapshot of snapshots) await eraseFromCopy(client, snapshot, [subjectCode]);

    const tombstone = await client.query<{ id: string }>(
      `insert into erasures (subject_code, erased_at, legal_basis, operator, records_erased, names_erased)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [subjectCode, now, basis, operator, records.length, deleted.names],
    );
    const tombstoneId = tombstone.rows[0]!.id;
    await client.query(
      `insert into erased_records (erasure_id, department, source_record_id, version)
       select $1, department, source_record_id, version
         from jsonb_to_recordset($2::jsonb) as r(department text, source_record_id text, version bigint)`,
      [
        tombstoneId,
        JSON.stringify(
          records.map((r) => ({
            department: r.department,
            source_record_id: r.source_record_id,
            version: Number(r.version),
          })),
        ),
      ],
    );
    const events = await writeOutbox(
      client,
      records.length === 0
        ? []
        : [{ subjectCode, subjectCreated: false, changes: records.map((r) => erasedChange(r, tombstoneId)) }],
    );
    const counts = {
      records: records.length,
      names: deleted.names,
      legacyCodes: deleted.legacyCodes,
      events,
      snapshots: snapshots.length,
    };
    const [audit] = await appendAuditEntries(client, [
      {
        actor: operator,
        purpose: basis,
        subjectCode,
        action: 'erase',
        detail: { tombstone: tombstoneId, ...counts },
      },
    ]);
    return { tombstoneId, subjectCode, erasedAt: now.toISOString(), ...counts, auditId: audit!.id };
  });
}

/**
 * Deletes the persons erased so far (the tombstones in `schema`'s own erasures table) from `schema`: a rebuild
 * that starts from a snapshot older than an erasure must not bring the person back.
 */
export async function forgetErasedSubjects(pool: pg.Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ subject_code: string }>(
      `select distinct subject_code from ${schema}.erasures`,
    );
    if (rows.length > 0)
      await eraseFromCopy(
        client,
        schema,
        rows.map((row) => row.subject_code),
      );
  });
}

interface DeletedRows {
  records: ErasedRow[];
  names: number;
  legacyCodes: number;
}

/** Deletes the subjects' rows from the unified tables of `schema` (by default the search path's), children first. */
async function deleteSubjectRows(
  client: pg.ClientBase,
  subjectCodes: readonly string[],
  schema?: string,
): Promise<DeletedRows> {
  const table = (name: string) => (schema === undefined ? name : `${schema}.${name}`);
  const records = await client.query<ErasedRow>(
    `delete from ${table('records')} where subject_code = any($1)
     returning department, source_record_id, version, kind, status, severity, catalogue_item_code`,
    [subjectCodes],
  );
  const names = await client.query(`delete from ${table('subject_names')} where subject_code = any($1)`, [
    subjectCodes,
  ]);
  const legacy = await client.query(`delete from ${table('legacy_codes')} where subject_code = any($1)`, [
    subjectCodes,
  ]);
  await client.query(`delete from ${table('subject_summaries')} where subject_code = any($1)`, [
    subjectCodes,
  ]);
  await client.query(`delete from ${table('subjects')} where code = any($1)`, [subjectCodes]);
  return { records: records.rows, names: names.rowCount ?? 0, legacyCodes: legacy.rowCount ?? 0 };
}

/**
 * A copy of the unified database (a snapshot, or a schema rebuilt from one) loses the subjects' rows, and its
 * outbox the change events about them not yet published when it was copied (they carry the person's records).
 */
async function eraseFromCopy(
  client: pg.ClientBase,
  schema: string,
  subjectCodes: readonly string[],
): Promise<void> {
  await deleteSubjectRows(client, subjectCodes, schema);
  await client.query(`delete from ${schema}.outbox where subject_code = any($1)`, [subjectCodes]);
}

function checked(request: ErasureRequest): ErasureRequest {
  const subjectCode = typeof request.subjectCode === 'string' ? request.subjectCode.trim() : '';
  if (subjectCode === '') throw ErasureRequestInvalid('the subject code (token) is empty');
  for (const [field, value] of [
    ['basis', request.basis],
    ['operator', request.operator],
  ] as const) {
    if (typeof value !== 'string' || value.trim() === '')
      throw ErasureRequestInvalid(`${field} is required (the tombstone and the audit row name it)`);
    if (value.length > MAX_TEXT)
      throw ErasureRequestInvalid(`${field} is ${value.length} characters; at most ${MAX_TEXT}`);
  }
  if (!(request.now instanceof Date) || Number.isNaN(request.now.getTime()))
    throw ErasureRequestInvalid('now is not a valid date');
  return { subjectCode, basis: request.basis.trim(), operator: request.operator.trim(), now: request.now };
}

async function requireErasureTables(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ ready: boolean; schema: string | null }>(
    `select to_regclass('erasures') is not null and to_regclass('erased_records') is not null
            and to_regclass('audit_log') is not null as ready, current_schema() as schema`,
  );
  if (!rows[0]?.ready) throw ErasureTablesMissing(rows[0]?.schema ?? '(none)');
}

/** Why there is no subject to lock: it was erased (when, by which tombstone), or it never was here. */
async function unknownOrErased(client: pg.ClientBase, subjectCode: string, shown: string): Promise<Error> {
  const { rows } = await client.query<{ id: string; erased_at: Date }>(
    'select id, erased_at from erasures where subject_code = $1 order by erased_at desc, id desc limit 1',
    [subjectCode],
  );
  const last = rows[0];
  if (last === undefined) return ErasureSubjectUnknown(shown);
  return ErasureAlreadyDone.with(
    { tombstoneId: last.id, erasedAt: last.erased_at.toISOString() },
    undefined,
    shown,
    last.erased_at.toISOString(),
    last.id,
  );
}

function erasedChange(row: ErasedRow, tombstoneId: string): RecordChange {
  const version = Number(row.version);
  return {
    change: 'erased',
    department: row.department,
    sourceRecordId: row.source_record_id,
    kind: row.kind,
    version,
    previousVersion: version,
    status: 'erased',
    severity: row.severity,
    catalogueItemCode: row.catalogue_item_code,
    reason: `the natural person's data was erased (tombstone ${tombstoneId})`,
  };
}
