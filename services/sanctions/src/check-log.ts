import type pg from 'pg';

export interface CheckLogRow {
  id: string;
  subjectCode: string;
  matterType: string;
  caller: string;
  callerDepartment: string | null;
  at: Date;
  hit: boolean;
  answer: unknown;
}

export interface CheckLog {
  /** Resolves once the row is committed: a check is answered only after its proof is durable. */
  write(row: CheckLogRow): Promise<void>;
}

/**
 * Group commit for the proof of each check: rows that arrive while a write is in flight go out together in the next
 * one (one statement, one commit), so at a high rate a commit carries many checks instead of one each.
 */
export function createCheckLog(pool: pg.Pool, maxBatch = 500): CheckLog {
  let pending: { row: CheckLogRow; done: () => void; failed: (error: unknown) => void }[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      try {
        await pool.query(
          `insert into checks (id, subject_code, matter_type, caller, caller_department, at, hit, answer)
           select * from jsonb_to_recordset($1::jsonb) as t(id text, subject_code text, matter_type text, caller text,
              caller_department text, at timestamptz, hit boolean, answer jsonb)`,
          [
            JSON.stringify(
              batch.map(({ row }) => ({
                id: row.id,
                subject_code: row.subjectCode,
                matter_type: row.matterType,
                caller: row.caller,
                caller_department: row.callerDepartment,
                at: row.at.toISOString(),
                hit: row.hit,
                answer: row.answer,
              })),
            ),
          ],
        );
        for (const item of batch) item.done();
      } catch (error) {
        for (const item of batch) item.failed(error);
      }
    }
    writing = false;
  }

  return {
    write(row) {
      return new Promise((resolve, reject) => {
        pending.push({ row, done: resolve, failed: reject });
        if (!writing) void drain();
      });
    },
  };
}
