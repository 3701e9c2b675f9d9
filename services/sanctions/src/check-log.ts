import { createGroupCommit } from '@credit/db';
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
 * The proof of each check, group-committed: at a high rate one commit carries many checks instead of one each.
 */
export function createCheckLog(pool: pg.Pool, maxBatch = 500): CheckLog {
  const commit = createGroupCommit<CheckLogRow>(async (batch) => {
    await pool.query(
      `insert into checks (id, subject_code, matter_type, caller, caller_department, at, hit, answer)
       select * from jsonb_to_recordset($1::jsonb) as t(id text, subject_code text, matter_type text, caller text,
          caller_department text, at timestamptz, hit boolean, answer jsonb)`,
      [
        JSON.stringify(
          batch.map((row) => ({
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
  }, maxBatch);
  return { write: (row) => commit.submit(row) };
}
