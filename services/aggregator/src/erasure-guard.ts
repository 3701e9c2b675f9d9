import type pg from 'pg';
import type { RecordRow } from './normalise.ts';

/**
 * The highest erased version of each record, in the order given (null: never erased). A message of an erased
 * record at that version or below is a redelivery or a replay of what the law had deleted, and changes nothing; a
 * higher version is new data. Read after the subjects are locked, as the stored versions are: an erasure holds the
 * person's subject lock until it commits.
 */
export async function erasedVersions(
  client: pg.ClientBase,
  records: readonly Pick<RecordRow, 'department' | 'sourceRecordId'>[],
): Promise<(number | null)[]> {
  if (records.length === 0) return [];
  const result = await client.query<{ n: string; version: string }>(
    `select k.n, e.version
       from unnest($1::text[], $2::text[]) with ordinality as k(department, source_record_id, n)
       cross join lateral (select max(version) as version from erased_records
                            where erased_records.department = k.department
                              and erased_records.source_record_id = k.source_record_id) as e
      where e.version is not null`,
    [records.map((r) => r.department), records.map((r) => r.sourceRecordId)],
  );
  const versions: (number | null)[] = records.map(() => null);
  for (const row of result.rows) versions[Number(row.n) - 1] = Number(row.version);
  return versions;
}
