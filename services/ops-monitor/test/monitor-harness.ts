import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { createMetricsRegistry, type MessageBus, type Producer, parseApiClients } from '@credit/kit';
import {
  createTestDatabase,
  createTestTopics,
  type TestDatabase,
  testBus,
  testKafkaSecurity,
  testLogger,
  uniqueName,
} from '@credit/testing';
import type pg from 'pg';
import { inject, vi } from 'vitest';
import { createOpsMonitor, type OpsMonitor } from '../src/app.ts';
import { createKafkajsLagAdmin } from '../src/lag-admin.ts';
import { MIGRATIONS_DIR, OPS_SCHEMA } from '../src/migrations.ts';

export const OPERATOR_TOKEN = 'ops-operator-token-0123456789abcdef';

export interface MonitorHarness {
  database: TestDatabase;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  monitor: OpsMonitor;
  /** A group of the platform's that consumed one message of `topic`, committed and went away: 3 messages behind. */
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  close(): Promise<void>;
}

/**
 * The ops monitor on a fresh database (aggregator schema to read, its own `ops` schema) and the test broker, watching
 * one consumer group with a known lag. Timers and the dead-letter follower are not started: tests sample when they
 * want (`monitor.sampleLag()`), or call `monitor.start()`. `now` is the monitor's clock (its today, its sample times).
 */
export async function startMonitorHarness(
  name: string,
  seed: (pool: pg.Pool) => Promise<void> = async () => {},
  options: { now?: () => Date } = {},
): Promise<MonitorHarness> {
  const database = await createTestDatabase();
  const pool = createPool(database.url, { max: 4, searchPath: OPS_SCHEMA });
  await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);
  await migrate(pool, OPS_SCHEMA, MIGRATIONS_DIR);
  await seed(pool);

  const bus = testBus(`ops-monitor-${name}`);
  const [topic = '', deadLetterTopic = ''] = await createTestTopics(bus, [
    { name: `ops-${name}`, partitions: 1 },
    { name: `ops-${name}-dlq`, partitions: 1 },
  ]);
  const producer = await bus.producer();
  const groupId = uniqueName(`ops-${name}-group`);
  await producer.send(topic, [{ key: null, value: 'first' }]);
  const consumer = await bus.consumer({ groupId, topics: [topic], fromBeginning: true, maxWaitTimeMs: 100 });
  await consumer.run(async () => {});
  // Gone only once the group has committed past the first message (a fixed wait raced the commit under load).
  const admin = await bus.admin();
  try {
    await vi.waitFor(
      async () => {
        const [committed] = await admin.groupOffsets(groupId, [topic]);
        if (committed?.offset !== '1') throw new Error(`${groupId} has committed ${committed?.offset}`);
      },
      { timeout: 30_000, interval: 100 },
    );
  } finally {
    await admin.disconnect();
  }
  await consumer.disconnect();
  await producer.send(
    topic,
    [1, 2, 3].map((i) => ({ key: null, value: `later-${i}` })),
  );

  const monitor = await createOpsMonitor({
    logger: testLogger,
    pool,
    bus,
    producer,
    clients: parseApiClients(
      JSON.stringify([{ token: OPERATOR_TOKEN, actor: 'ops-desk', roles: ['operator'] }]),
      {
        variable: 'OPS_API_TOKENS',
        roles: ['viewer', 'operator'],
      },
    ),
    dlq: { topic: deadLetterTopic, groupId: uniqueName('ops-dlq-group'), replayTargets: ['credit.ingest.%'] },
    lagAdmin: await createKafkajsLagAdmin({
      brokers: inject('kafkaBrokers').split(','),
      security: testKafkaSecurity(),
    }),
    calendar: loadCalendar(),
    rules: { default: { counting: 'working-days', deadlineDays: 7 } },
    departments: loadCatalogue().departments,
    metrics: createMetricsRegistry(`ops-${name}`, { defaults: false }),
    health: { shuttingDown: false },
    readiness: [],
    watches: (id) => id === groupId,
    lag: { sampleMs: 60_000, windowSize: 3, stopAfterMs: 60_000 },
    departmentsRefreshMs: 60_000,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    database,
    pool,
    bus,
    producer,
    monitor,
    groupId,
    topic,
    deadLetterTopic,
    async close() {
      await monitor.stop().catch(() => {});
      await producer.disconnect().catch(() => {});
      await pool.end();
      await database.drop();
    },
  };
}
