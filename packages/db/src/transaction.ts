import { isCodedError } from '@credit/errors';
import type pg from 'pg';

const RETRYABLE = new Set(['40001', '40P01']);

/** Runs `work` in a transaction, again (up to `attempts`) when Postgres aborts it for a deadlock or serialisation. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      if (attempt >= attempts || !RETRYABLE.has(sqlState(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt * Math.random()));
    } finally {
      client.release();
    }
  }
}

export function sqlState(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : '';
}

/**
 * Data exceptions (class 22) and integrity violations (class 23): the same rows would fail again, so retrying
 * the batch would stall the partition. Anything else (connection lost, database down) can succeed on retry.
 */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state.startsWith('22') || state.startsWith('23');
}

/**
 * Failures a redelivery would meet again: bad data for the database (classes 22, 23) and coded refusals. A lost
 * connection or a database that is down is not one: the batch is redelivered and succeeds later.
 */
export function failsAgain(error: unknown): boolean {
  return isDataError(error) || isCodedError(error);
}
