import type pg from 'pg';

/**
 * What the unified database holds, as one digest per table: every column that follows from the records,
 * none that records when or how they were processed (timestamps of processing, outbox ids, the random IV of an
 * encrypted number). Two databases built from the same topics, live or by replay, have equal digests.
 */
const CONTENT: Record<string, string> = {
  subjects: `select code, code_type, category, kind, display_code, identity_ciphertext is not null, division_code,
                    name, name_reported_at from subjects order by code`,
  subject_names: 'select subject_code, name, first_reported_at from subject_names order by 1, 2',
  legacy_codes: 'select legacy_code, code_type, subject_code from legacy_codes order by 1',
  records: `select department, source_record_id, version, subject_code, kind, schema_version, catalogue_item_code,
                   severity, operation, status, decision_date, reported_at, disclosure_public, disclosure_from,
                   disclosure_until, change_reason, payload, source_topic, source_partition, source_offset
              from records order by department, source_record_id`,
  subject_summaries: `select subject_code, records_total, active_records, revoked_records, expired_records,
                             active_by_kind, active_penalties, serious_dishonesty, positive_records,
                             last_decision_date from subject_summaries order by subject_code`,
  ingest_errors: `select source_topic, source_partition, source_offset, department, reason_code, reason,
                         message_key, headers, value from ingest_errors order by 1, 2, 3`,
};

export type ContentDigest = Record<string, { rows: number; md5: string }>;

export async function contentDigest(pool: pg.Pool, schema: string): Promise<ContentDigest> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    await client.query(`set local search_path to ${schema}`);
    const digest: ContentDigest = {};
    for (const [table, sql] of Object.entries(CONTENT)) {
      // Hashed in the database, row by row in the query's order: nothing of the table travels to the client.
      const result = await client.query<{ rows: string; md5: string | null }>(
        `select count(*) as rows, md5(string_agg(md5(t::text), '' order by n)) as md5
           from (select row_number() over () as n, q.* from (${sql}) as q) as t`,
      );
      digest[table] = { rows: Number(result.rows[0]?.rows ?? 0), md5: result.rows[0]?.md5 ?? '' };
    }
    await client.query('commit');
    return digest;
  } finally {
    client.release();
  }
}
