import type { Logger, Producer } from '@credit/kit';
import type pg from 'pg';
import { SUBJECT_CHANGE_SCHEMA } from './subject-change.ts';

export interface OutboxRelay {
  /** Publishes everything pending now; resolves with how many events went out. */
  drain(): Promise<number>;
  /** Asks for a drain soon (after a batch committed); calls coalesce. */
  nudge(): void;
  /** Drains every `intervalMs` too, for events a crashed process left behind. */
  start(): void;
  stop(): Promise<void>;
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  producer: Producer;
  topic: string;
  logger: Logger;
  batchSize?: number;
  intervalMs?: number;
  onPublished?: (count: number) => void;
}

/**
 * Moves change events from the outbox table to credit.subject-changes: read in id order, produce (acks=all),
 * delete, commit. A crash after the produce and before the commit publishes those events again, with the same
 * event ids; nothing is lost. One relay publishes at a time (an advisory lock), so per-subject order holds even
 * with several aggregator processes.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const batchSize = options.batchSize ?? 2000;
  const intervalMs = options.intervalMs ?? 1000;
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function publishOnce(): Promise<number> {
    const client = await options.pool.connect();
    try {
      await client.query('begin');
      const locked = await client.query<{ ok: boolean }>(
        `select pg_try_advisory_xact_lock(hashtext('aggregator.outbox')) as ok`,
      );
      if (!locked.rows[0]?.ok) {
        await client.query('rollback');
        return 0;
      }
      // The event's JSON is made by the database from the stored row: no parse and re-serialise here.
      const rows = await client.query<{ id: string; subject_code: string; event_id: string; value: string }>(
        `select id, subject_code, subject_code || ':' || id as event_id,
                jsonb_build_object('schema', $2::text, 'eventId', subject_code || ':' || id,
                  'subjectCode', subject_code, 'subjectCreated', event -> 'subjectCreated',
                  'changes', event -> 'changes',
                  'at', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text as value
           from outbox order by id limit $1`,
        [batchSize, SUBJECT_CHANGE_SCHEMA],
      );
      if (rows.rows.length === 0) {
        await client.query('commit');
        return 0;
      }
      await options.producer.send(
        options.topic,
        rows.rows.map((row) => ({
          key: row.subject_code,
          value: row.value,
          headers: {
            'content-type': 'application/json',
            'event-id': row.event_id,
            schema: SUBJECT_CHANGE_SCHEMA,
          },
        })),
      );
      await client.query('delete from outbox where id = any($1::bigint[])', [rows.rows.map((row) => row.id)]);
      await client.query('commit');
      options.onPublished?.(rows.rows.length);
      return rows.rows.length;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function drainLoop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      for (;;) {
        const published = await publishOnce();
        total += published;
        if (published < batchSize) break;
      }
    } while (again && !stopped);
    return total;
  }

  function drain(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drainLoop().finally(() => {
      running = undefined;
    });
    return running;
  }

  function nudge(): void {
    if (stopped) return;
    drain().catch((error: unknown) => options.logger.warn({ err: error }, 'outbox relay failed; will retry'));
  }

  return {
    drain,
    nudge,
    start() {
      timer = setInterval(nudge, intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => 0);
    },
  };
}
