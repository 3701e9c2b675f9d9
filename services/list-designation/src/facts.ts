import type { RecordKind, Severity, SubjectCategory } from '@credit/schemas';
import type pg from 'pg';
import { ENTRY_COLUMNS, type EntryRow } from './entry-row.ts';
import type { FactRecord } from './rules/types.ts';
import type { LoadedEntry } from './work.ts';

export interface SubjectRow {
  code: string;
  category: SubjectCategory;
}

/** Subjects of the unified database (schema aggregator, read only), in code order. */
export async function readSubjects(client: pg.PoolClient, codes: readonly string[]): Promise<SubjectRow[]> {
  const result = await client.query<SubjectRow>(
    'select code, category from aggregator.subjects where code = any($1::text[]) order by code collate "C"',
    [codes],
  );
  return result.rows;
}

/**
 * The subjects' records that stand: active, corrected (a later version stands) or expired (its public disclosure
 * window closed: publication is not the rules' lookback, a breach still counts for 36 months of red eligibility).
 * Revoked records do not count. The payload fields the rules look at are taken out by the database. */
export async function readStandingRecords(
  client: pg.PoolClient,
  codes: readonly string[],
): Promise<Map<string, FactRecord[]>> {
  const result = await client.query<{
    subject_code: string;
    department: string;
    source_record_id: string;
    version: string;
    kind: RecordKind;
    catalogue_item_code: string;
    severity: Severity;
    decision_date: string;
    list_type_code: string | null;
    level: string | null;
    valid_from: string | null;
    valid_to: string | null;
  }>(
    `select subject_code, department, source_record_id, version, kind, catalogue_item_code, severity,
            decision_date::text as decision_date,
            payload ->> 'listTypeCode' as list_type_code, payload ->> 'level' as level,
            left(payload ->> 'validFrom', 10) as valid_from, left(payload ->> 'validTo', 10) as valid_to
       from aggregator.records
      where subject_code = any($1::text[]) and status in ('active', 'corrected', 'expired') and severity <> 'BASIC'
      order by subject_code, decision_date, department, source_record_id`,
    [codes],
  );
  const bySubject = new Map<string, FactRecord[]>();
  for (const row of result.rows) {
    const records = bySubject.get(row.subject_code) ?? [];
    records.push({
      department: row.department,
      sourceRecordId: row.source_record_id,
      version: Number(row.version),
      kind: row.kind,
      catalogueItemCode: row.catalogue_item_code,
      severity: row.severity,
      decisionDate: row.decision_date,
      listTypeCode: row.list_type_code,
      level: row.level,
      validFrom: row.valid_from,
      validTo: row.valid_to,
    });
    bySubject.set(row.subject_code, records);
  }
  return bySubject;
}

/** Every entry of the subjects (exited ones too: an identity is never designated twice), with its last transition. */
export async function readEntries(client: pg.PoolClient, codes: readonly string[]): Promise<LoadedEntry[]> {
  const result = await client.query<
    EntryRow & { seq: number; last_at: Date | null; last_actor_role: string | null }
  >(
    `select ${ENTRY_COLUMNS}, t.seq, t.at as last_at, t.actor_role as last_actor_role
       from entries e
       left join lateral (select seq, at, actor_role from transitions where entry_id = e.id order by seq desc limit 1) t on true
      where e.subject_code = any($1::text[])`,
    [codes],
  );
  return result.rows.map(({ seq, last_at, last_actor_role, ...row }) => ({
    row,
    seq: seq ?? 0,
    lastAt: last_at,
    lastActorRole: last_actor_role,
  }));
}

/** When department designation records first reached the platform (first stored, not the sender's claim). */
export async function readFirstStoredAt(
  client: pg.PoolClient,
  refs: readonly { department: string; sourceRecordId: string }[],
): Promise<Map<string, Date>> {
  if (refs.length === 0) return new Map();
  const result = await client.query<{ department: string; source_record_id: string; first_stored_at: Date }>(
    `select r.department, r.source_record_id, r.first_stored_at
       from aggregator.records r
       join jsonb_to_recordset($1::jsonb) as k(department text, "sourceRecordId" text)
         on r.department = k.department and r.source_record_id = k."sourceRecordId"`,
    [JSON.stringify(refs)],
  );
  return new Map(
    result.rows.map((row) => [`${row.department}:${row.source_record_id}`, row.first_stored_at]),
  );
}
