import { inTransaction } from '@credit/db';
import type pg from 'pg';
import { type RecordChange, writeOutbox } from './subject-change.ts';
import { recomputeSummaries } from './summaries.ts';

/**
 * Marks records whose public disclosure window closed before `today` as expired, in chunks, each chunk with its
 * summaries and change events in one transaction. Subjects are locked first, in the order batches lock them.
 */
export async function expireRecords(pool: pg.Pool, today: string, chunk = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = await inTransaction(pool, async (client) => {
      const due = await client.query<{ subject_code: string }>(
        `select distinct subject_code from records
          where status in ('active', 'corrected') and disclosure_public and disclosure_until < $1::date
          limit $2`,
        [today, chunk],
      );
      const subjects = due.rows.map((row) => row.subject_code).sort();
      if (subjects.length === 0) return 0;
      await client.query(
        'select code from subjects where code = any($1::text[]) order by code collate "C" for update',
        [subjects],
      );
      const rows = await client.query<{
        subject_code: string;
        department: string;
        source_record_id: string;
        kind: string;
        version: string;
        severity: string;
        catalogue_item_code: string;
        disclosure_until: string;
      }>(
        `update records set status = 'expired', stored_at = clock_timestamp()
          where subject_code = any($1::text[]) and status in ('active', 'corrected') and disclosure_public
            and disclosure_until < $2::date
          returning subject_code, department, source_record_id, kind, version, severity, catalogue_item_code,
                    to_char(disclosure_until, 'YYYY-MM-DD') as disclosure_until`,
        [subjects, today],
      );
      const changes = new Map<string, RecordChange[]>();
      for (const row of rows.rows) {
        const list = changes.get(row.subject_code) ?? [];
        list.push({
          change: 'expired',
          department: row.department,
          sourceRecordId: row.source_record_id,
          kind: row.kind,
          version: Number(row.version),
          previousVersion: Number(row.version),
          status: 'expired',
          severity: row.severity,
          catalogueItemCode: row.catalogue_item_code,
          reason: `public disclosure window ended on ${row.disclosure_until}`,
        });
        changes.set(row.subject_code, list);
      }
      await recomputeSummaries(client, subjects);
      await writeOutbox(
        client,
        [...changes.entries()].map(([subjectCode, list]) => ({
          subjectCode,
          subjectCreated: false,
          changes: list,
        })),
      );
      return rows.rows.length;
    });
    total += expired;
    if (expired === 0) return total;
  }
}
