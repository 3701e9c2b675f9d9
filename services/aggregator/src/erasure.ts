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
 * and summary are deleted; a tombstone names the token and every record version erased (so that those versions
 * never come back: src/erasure-guard.ts); an `erased` change per record goes to the outbox for downstream
 * services; an audit row (actor = operator, purpose = basis) records it in the hash-chained log.
 *
 * The subject's row is locked as upsert.ts locks it, so a batch about the person either commits before (and its
 * records are erased too) or waits and then finds them erased. Refuses, with a coded error, anything that is not a
 * natural person, an unknown subject, and a subject already erased (saying when).
 */
export async function erasePerson(pool: pg.Pool, request: ErasureRequest): Promise<Erasure> {
  const { subjectCode, now } = checked(request);
  const basis = request.basis.trim();
  const operator = request.operator.trim();
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

    const erased = await client.query<ErasedRow>(
      `delete from records where subject_code = $1
       returning department, source_record_id, version, kind, status, severity, catalogue_item_code`,
      [subjectCode],
    );
    const records = erased.rows.sort(
      (a, b) =>
        compareText(a.department, b.department) || compareText(a.source_record_id, b.source_record_id),
    );
    const names = await client.query('delete from subject_names where subject_code = $1', [subjectCode]);
    const legacy = await client.query('delete from legacy_codes where subject_code = $1', [subjectCode]);
    await client.query('delete from subject_summaries where subject_code = $1', [subjectCode]);
    await client.query('delete from subjects where code = $1', [subjectCode]);

    const tombstone = await client.query<{ id: string }>(
      `insert into erasures (subject_code, erased_at, legal_basis, operator, records_erased, names_erased)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [subjectCode, now, basis, operator, records.length, names.rowCount ?? 0],
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
      names: names.rowCount ?? 0,
      legacyCodes: legacy.rowCount ?? 0,
      events,
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

function checked(request: ErasureRequest): { subjectCode: string; now: Date } {
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
  return { subjectCode, now: request.now };
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
