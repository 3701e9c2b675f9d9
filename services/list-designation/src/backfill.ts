import { randomUUID } from 'node:crypto';
import { inTransaction } from '@credit/db';
import type pg from 'pg';
import { type ReconcileContext, reconcileSubjects } from './reconcile.ts';

export interface BackfillRow {
  id: string;
  rules_version: string;
  status: 'running' | 'paused' | 'done' | 'failed';
  cursor: string | null;
  subjects_done: string;
  entries_created: string;
  entries_exited: string;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  error: string | null;
}

/** The running backfill for these rules, or a new one. One runs at a time per rules version. */
export async function startBackfill(pool: pg.Pool, rulesVersion: string): Promise<BackfillRow> {
  return inTransaction(pool, async (client) => {
    await client.query(`select pg_advisory_xact_lock(hashtext('lists.backfill'))`);
    const running = await client.query<BackfillRow>(
      `select * from backfills where status in ('running', 'paused', 'failed') and rules_version = $1 order by started_at limit 1`,
      [rulesVersion],
    );
    if (running.rows[0] !== undefined) {
      const resumed = await client.query<BackfillRow>(
        `update backfills set status = 'running', error = null, updated_at = now() where id = $1 returning *`,
        [running.rows[0].id],
      );
      return resumed.rows[0] as BackfillRow;
    }
    const created = await client.query<BackfillRow>(
      `insert into backfills (id, rules_version, status) values ($1, $2, 'running') returning *`,
      [randomUUID(), rulesVersion],
    );
    return created.rows[0] as BackfillRow;
  });
}

export async function readBackfill(pool: pg.Pool, id: string): Promise<BackfillRow | undefined> {
  const result = await pool.query<BackfillRow>('select * from backfills where id = $1', [id]);
  return result.rows[0];
}

/** The latest backfill that finished: the rules version every subject was last evaluated under. */
export async function lastCompletedRulesVersion(pool: pg.Pool): Promise<string | null> {
  const result = await pool.query<{ rules_version: string }>(
    `select rules_version from backfills where status = 'done' order by finished_at desc limit 1`,
  );
  return result.rows[0]?.rules_version ?? null;
}

export interface BackfillRun {
  batchSize?: number;
  /** Checked between batches: a stopped run stays `running` and resumes from its cursor next time. */
  shouldStop?: () => boolean;
  onBatch?: (row: BackfillRow) => void;
}

/**
 * Re-evaluates every subject of the unified database in code order, a batch per transaction; the cursor moves in
 * the same transaction as the batch's effects, so a crash or a stop resumes exactly after the last batch done.
 */
export async function runBackfill(
  pool: pg.Pool,
  id: string,
  context: () => ReconcileContext,
  now: () => Date,
  options: BackfillRun = {},
): Promise<BackfillRow> {
  const batchSize = options.batchSize ?? 500;
  try {
    for (;;) {
      if (options.shouldStop?.()) break;
      const row = await inTransaction(pool, async (client) => {
        const current = await client.query<BackfillRow>('select * from backfills where id = $1 for update', [
          id,
        ]);
        const backfill = current.rows[0];
        if (backfill === undefined || backfill.status !== 'running') return backfill;
        const codes = await client.query<{ code: string }>(
          `select code from aggregator.subjects where $1::text is null or code > $1 order by code limit $2`,
          [backfill.cursor, batchSize],
        );
        const batch = codes.rows.map((r) => r.code);
        if (batch.length === 0) {
          const done = await client.query<BackfillRow>(
            `update backfills set status = 'done', finished_at = now(), updated_at = now() where id = $1 returning *`,
            [id],
          );
          return done.rows[0];
        }
        const result = await reconcileSubjects(client, batch, context(), now());
        const updated = await client.query<BackfillRow>(
          `update backfills set cursor = $2, subjects_done = subjects_done + $3, entries_created = entries_created + $4,
                  entries_exited = entries_exited + $5, updated_at = now()
            where id = $1 returning *`,
          [id, batch.at(-1), batch.length, result.created, result.exited],
        );
        return updated.rows[0];
      });
      if (row === undefined) throw new Error(`backfill ${id} does not exist`);
      options.onBatch?.(row);
      if (row.status !== 'running') return row;
    }
  } catch (error) {
    await pool.query(`update backfills set status = 'failed', error = $2, updated_at = now() where id = $1`, [
      id,
      (error as Error).message,
    ]);
    throw error;
  }
  const stopped = await readBackfill(pool, id);
  if (stopped === undefined) throw new Error(`backfill ${id} does not exist`);
  return stopped;
}
