import type { Rejection } from '@credit/intake';
import type { Logger } from '@credit/kit';
import type pg from 'pg';

export interface RejectedRecord {
  kind?: string;
  recordId?: string;
  version?: number;
  rejections: Rejection[];
}

/**
 * Keeps every refused record's reasons (one row per reason), so operations see each department's error rate and
 * nothing a department sent disappears without a trace. If the database cannot take them, the log does.
 */
export async function recordRejections(
  pool: pg.Pool,
  logger: Logger,
  context: { department: string; requestId: string; channel: string },
  records: RejectedRecord[],
): Promise<void> {
  const rows = records.flatMap((record) =>
    record.rejections.map((rejection) => ({
      ...rejection,
      kind: record.kind,
      recordId: record.recordId,
      version: record.version,
    })),
  );
  if (rows.length === 0) return;
  try {
    await pool.query(
      `insert into intake.rejections
         (department, request_id, channel, kind, source_record_id, version, code, message, field, value, rule)
       select $1, $2, $3, r.kind, r.record_id, r.version, r.code, r.message, r.field, r.value, r.rule
         from unnest($4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           as r(kind, record_id, version, code, message, field, value, rule)`,
      [
        context.department,
        context.requestId,
        context.channel,
        rows.map((r) => r.kind ?? null),
        rows.map((r) => r.recordId ?? null),
        rows.map((r) => r.version ?? null),
        rows.map((r) => r.code),
        rows.map((r) => r.message),
        rows.map((r) => r.field ?? null),
        rows.map((r) => r.value ?? null),
        rows.map((r) => r.rule ?? null),
      ],
    );
  } catch (error) {
    logger.error(
      { err: error, ...context, rejections: rows },
      'could not store rejections; kept in this log line',
    );
  }
}
