import type pg from 'pg';
import { SubjectNotFound } from './errors.ts';
import { allEntriesOf, ENTRY_COLUMNS, type EntryRow, PUBLISHED_TODAY, publicView } from './list-entries.ts';
import type { Presentation } from './presentation.ts';
import { publicRecordsWhere, RECORD_COLUMNS, type RecordRow, recordView } from './record-view.ts';
import { SUBJECT_COLUMNS, type SubjectRow, subjectFacts, subjectView } from './subjects.ts';

/** Records shown on one public profile at most (newest first); the count says when there are more. */
const PUBLIC_RECORDS_SHOWN = 200;

function designationIsPublic(row: RecordRow, category: string, names: Presentation): boolean {
  if (row.kind !== 'list-designation') return true;
  const rule = names.listPublication(String(row.payload.listTypeCode));
  return rule === 'public' || (rule === 'selective' && category !== 'NATURAL_PERSON');
}

/**
 * A subject's public profile today: its basic facts, the records whose disclosure window is open (双公示 licences and
 * penalties, honours, commitments, ...) and the list entries published and valid today — in one round trip, the
 * database building the nested parts. Undefined when no subject has this code (it may be an old code).
 */
export async function publicProfile(pool: pg.Pool, code: string, today: string, names: Presentation) {
  const result = await pool.query<
    SubjectRow & { records: RecordRow[]; records_total: number; entries: EntryRow[] }
  >({
    // Named: each connection parses and plans it once (the nested JSON makes planning a real part of its cost).
    name: 'public-profile',
    text: `select ${SUBJECT_COLUMNS},
       coalesce((select jsonb_agg(to_jsonb(r)) from (
          select ${RECORD_COLUMNS} from aggregator.records
           where subject_code = s.code and ${publicRecordsWhere('$2')}
           order by decision_date desc, department, source_record_id limit ${PUBLIC_RECORDS_SHOWN}) r), '[]') as records,
       (select count(*)::int from aggregator.records where subject_code = s.code and ${publicRecordsWhere('$2')})
         as records_total,
       coalesce((select jsonb_agg(to_jsonb(e)) from (
          select ${ENTRY_COLUMNS} from lists.entries e
           where e.subject_code = s.code and ${PUBLISHED_TODAY}
           order by e.colour, e.valid_from desc, e.id) e), '[]') as entries
     from aggregator.subjects s where s.code = $1`,
    values: [code, today],
  });
  const row = result.rows[0];
  if (row === undefined) return undefined;
  const subject = subjectView(row, names);
  // A department's designation record follows its list's publication rule, like the entry it leads to.
  const shown = row.records.filter((record) => designationIsPublic(record, subject.category, names));
  return {
    subject,
    asOf: today,
    lists: row.entries.flatMap((entry) => publicView(entry, names) ?? []),
    records: shown.map((record) => recordView(record, today, names)),
    recordsTotal: row.records_total - (row.records.length - shown.length),
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
