import type pg from 'pg';
import type { RecordStatus } from './upsert.ts';

export const SUBJECT_CHANGE_SCHEMA = 'credit.subject-change/1';

/** One record's change within a subject change event. */
export interface RecordChange {
  /**
   * `moved`: in the event of the subject a corrected record no longer belongs to. `erased`: the record was
   * deleted with its natural person's data (src/erasure.ts); `version` is the version erased.
   */
  change: 'created' | 'corrected' | 'revoked' | 'expired' | 'moved' | 'erased';
  department: string;
  sourceRecordId: string;
  kind: string;
  version: number;
  previousVersion: number | null;
  status: RecordStatus | 'erased';
  severity: string;
  catalogueItemCode: string;
  /** The department's change reason (corrections, revocations), or why the platform changed it. */
  reason: string | null;
}

/**
 * The value of a credit.subject-changes message (JSON, key = subject code): what changed on one subject in one
 * transaction and why. `eventId` is unique per change and stays the same when the event is published again after
 * a crash, so consumers deduplicate on it.
 */
export interface SubjectChangeEvent {
  schema: typeof SUBJECT_CHANGE_SCHEMA;
  eventId: string;
  subjectCode: string;
  subjectCreated: boolean;
  changes: RecordChange[];
  /** When the change was committed (ISO 8601). */
  at: string;
}

export interface PendingChange {
  subjectCode: string;
  subjectCreated: boolean;
  changes: RecordChange[];
}

/**
 * Writes the events in the caller's transaction, so they exist exactly when the change does, and says how many.
 * The published form (eventId, at) is rendered from the stored row by the relay, in one place.
 */
export async function writeOutbox(client: pg.ClientBase, pending: PendingChange[]): Promise<number> {
  if (pending.length === 0) return 0;
  // One JSON document for all the events: cheaper than a jsonb[] literal, whose elements are quoted and escaped.
  const result = await client.query(
    `insert into outbox (subject_code, event)
     select e ->> 'subjectCode', e from jsonb_array_elements($1::jsonb) with ordinality as x(e, n) order by n`,
    [JSON.stringify(pending)],
  );
  return result.rowCount ?? 0;
}
