import type { Logger, Producer } from '@credit/kit';
import type pg from 'pg';

export interface OutboxRelay {
  /** Publishes everything pending now; resolves with how many events went out. */
  drain(): Promise<number>;
  /** Asks for a drain soon (after a batch committed); calls coalesce. */
  nudge(): void;
  /** Drains every `intervalMs` too, for events a crashed process left behind. */
  start(): void;
  stop(): Promise<void>;
}

/** One pending event as the outbox's select returns it. */
export interface OutboxRow {
  id: string;
  key: string;
  event_id: string;
  /** The event's JSON text. */
  value: string;
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  producer: Producer;
  /** The topic of every event, or the topic of each event's key (one topic per department, say). */
  topic: string | ((key: string) => string);
  logger: Logger;
  /** Names the advisory lock: one relay per outbox publishes at a time. */
  lockName: string;
  /** The outbox table, schema-qualified if needed; rows are deleted from it by id once produced. */
  table: string;
  /** The select of the next pending rows in id order; `$1` is the batch size. */
  selectSql: string;
  /** The `schema` header of every event. */
  eventSchema: string;
  batchSize?: number;
  intervalMs?: number;
  onPublished?: (count: number) => void;
}

/**
 * Moves events from an outbox table to their topic: read in id order, produce (acks=all), delete, commit. A crash
 * after the produce and before the commit publishes those events again, with the same event ids; nothing is lost.
 * One relay publishes at a time (an advisory lock), so per-key order holds even with several service processes.
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
        'select pg_try_advisory_xact_lock(hashtext($1)) as ok',
        [options.lockName],
      );
      if (!locked.rows[0]?.ok) {
        await client.query('rollback');
        return 0;
      }
      const rows = await client.query<OutboxRow>(options.selectSql, [batchSize]);
      if (rows.rows.length === 0) {
        await client.query('commit');
        return 0;
      }
      // A key's events all go to one topic, in id order; topics are sent one after the other.
      for (const [topic, events] of byTopic(rows.rows, options.topic)) {
        await options.producer.send(
          topic,
          events.map((row) => ({
            key: row.key,
            value: row.value,
            headers: {
              'content-type': 'application/json',
              'event-id': row.event_id,
              schema: options.eventSchema,
            },
          })),
        );
      }
      await client.query(`delete from ${options.table} where id = any($1::bigint[])`, [
        rows.rows.map((row) => row.id),
      ]);
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

/**
 * The select for an outbox whose rows hold each event's JSON whole (`event` jsonb with an `eventId`), keyed by
 * `keyColumn`: what the relay produces is exactly what the transaction wrote.
 */
export function jsonEventsSelect(keyColumn: string, table = 'outbox'): string {
  return `select id, ${keyColumn} as key, event ->> 'eventId' as event_id, event::text as value
            from ${table} order by id limit $1`;
}

function byTopic(rows: OutboxRow[], topic: string | ((key: string) => string)): Map<string, OutboxRow[]> {
  const groups = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const name = typeof topic === 'string' ? topic : topic(row.key);
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  return groups;
}
