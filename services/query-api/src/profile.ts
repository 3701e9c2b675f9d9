import type pg from 'pg';
import { SubjectNotFound } from './errors.ts';
import { allEntriesOf, publicEntriesOf } from './list-entries.ts';
import type { Presentation } from './presentation.ts';
import { publicRecordsWhere, RECORD_COLUMNS, type RecordRow, recordView } from './record-view.ts';
import { subjectFacts } from './subjects.ts';

/** Records shown on one public profile at most (newest first); the count says when there are more. */
const PUBLIC_RECORDS_SHOWN = 200;

/**
 * A subject's public profile today: its basic facts, the records whose disclosure window is open (双公示 licences and
 * penalties, honours, commitments, ...) and the list entries published and valid today.
 */
export async function publicProfile(pool: pg.Pool, code: string, today: string, names: Presentation) {
  const subject = await subjectFacts(pool, code, names);
  if (subject === undefined) throw SubjectNotFound(code);
  const [records, lists] = await Promise.all([
    pool.query<RecordRow & { total: number }>(
      `select ${RECORD_COLUMNS}, count(*) over ()::int as total from aggregator.records
        where subject_code = $1 and ${publicRecordsWhere('$2')}
        order by decision_date desc, department, source_record_id limit ${PUBLIC_RECORDS_SHOWN}`,
      [code, today],
    ),
    publicEntriesOf(pool, code, today, names),
  ]);
  return {
    subject,
    asOf: today,
    lists,
    records: records.rows.map((row) => recordView(row, today, names)),
    recordsTotal: records.rows[0]?.total ?? 0,
  };
}

/** Everything the platform holds on a subject, for authorised readers: every record (any status or window). */
export async function fullHistory(pool: pg.Pool, code: string, today: string, names: Presentation) {
  const subject = await subjectFacts(pool, code, names);
  if (subject === undefined) throw SubjectNotFound(code);
  const [records, lists] = await Promise.all([
    pool.query<RecordRow>(
      `select ${RECORD_COLUMNS} from aggregator.records where subject_code = $1
        order by decision_date desc, department, source_record_id`,
      [code],
    ),
    allEntriesOf(pool, code, names),
  ]);
  return {
    subject,
    asOf: today,
    lists,
    records: records.rows.map((row) => ({
      ...recordView(row, today, names),
      version: Number(row.version),
      disclosureFrom: row.disclosure_from,
      disclosureUntil: row.disclosure_until,
      storedAt: row.stored_at.toISOString(),
    })),
  };
}
