import { setTimeout as sleep } from 'node:timers/promises';
import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { createMetricsRegistry, type MessageBus, type Producer } from '@credit/kit';
import {
  createTestDatabase,
  createTestTopics,
  type TestDatabase,
  testBus,
  testLogger,
  uniqueName,
} from '@credit/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOpsMonitor, type OpsMonitor } from '../src/app.ts';
import { createKafkajsLagAdmin } from '../src/lag-admin.ts';

let database: TestDatabase;
let pool: pg.Pool;
let bus: MessageBus;
let producer: Producer;
let monitor: OpsMonitor;
let topic: string;
const groupId = uniqueName('credit-ops-app');

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, { max: 4 });
  await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);
  await pool.query(
    `insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
       catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
       disclosure_from, disclosure_until, payload, source_topic, source_partition, source_offset)
     values ('market-regulation', 'ops-1', 1, '91350100M000100Y43', 'administrative-penalty', 1, 'item', 'GENERAL_DISHONESTY',
             'UPSERT', 'active', (now() at time zone 'Asia/Shanghai')::date, now(), true,
             (now() at time zone 'Asia/Shanghai')::date, null, '{}', 'test', 0, 0)`,
  );
  bus = testBus('ops-monitor-app');
  [topic = ''] = await createTestTopics(bus, [{ name: 'ops-app', partitions: 1 }]);
  producer = await bus.producer();
  await producer.send(topic, [{ key: null, value: 'first' }]);
  // A group that consumed the first message and committed, then went away: everything produced after is lag.
  const consumer = await bus.consumer({ groupId, topics: [topic], fromBeginning: true, maxWaitTimeMs: 100 });
  let seen = 0;
  await consumer.run(async (batch) => {
    seen += batch.messages.length;
  });
  while (seen < 1) await sleep(100);
  await sleep(500);
  await consumer.disconnect();
  await producer.send(
    topic,
    [1, 2, 3].map((i) => ({ key: null, value: `later-${i}` })),
  );

  const catalogue = loadCatalogue();
  monitor = await createOpsMonitor({
    logger: testLogger,
    pool,
    lagAdmin: await createKafkajsLagAdmin({ brokers: inject('kafkaBrokers').split(',') }),
    calendar: loadCalendar(),
    rules: { default: { counting: 'working-days', deadlineDays: 7 } },
    departments: catalogue.departments,
    metrics: createMetricsRegistry('ops-test', { defaults: false }),
    health: { shuttingDown: false },
    readiness: [],
    watches: (id) => id === groupId,
    lag: { sampleMs: 60_000, windowSize: 3, stopAfterMs: 60_000 },
    departmentsRefreshMs: 60_000,
  });
}, 90_000);

afterAll(async () => {
  await monitor?.stop();
  await producer?.disconnect();
  await pool?.end();
  await database?.drop();
});

describe('ops monitor API and metrics', () => {
  it('serves each watched group’s lag with its status, and exposes it to Prometheus', async () => {
    const before = await monitor.app.inject({ method: 'GET', url: '/v1/lag' });
    expect(before.statusCode).toBe(503);
    await monitor.sampleLag();
    const lag = (await monitor.app.inject({ method: 'GET', url: '/v1/lag' })).json();
    const group = lag.groups.find((g: { groupId: string }) => g.groupId === groupId);
    expect(group.totalLag).toBe('3');
    expect(group.partitions[0]).toMatchObject({ topic, partition: 0, committed: '1', end: '4', lag: '3' });
    const history = (await monitor.app.inject({ method: 'GET', url: '/v1/lag/history' })).json();
    expect(history.points.at(-1).groups).toEqual([
      expect.objectContaining({ groupId, totalLag: 3, status: group.status }),
    ]);
    const metrics = (await monitor.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(
      `credit_consumer_lag_messages{group="${groupId}",topic="${topic}",partition="0",service="ops-test"} 3`,
    );
    expect(metrics).toMatch(
      new RegExp(`credit_consumer_group_status\\{group="${groupId}",status="OK",service="ops-test"\\} 1`),
    );
  });

  it('serves departments’ reporting and the quarterly report as JSON, CSV and a printable page', async () => {
    await monitor.refreshDepartments();
    const metrics = (await monitor.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(
      'credit_department_records_received_today{department="market-regulation",service="ops-test"} 1',
    );
    const departments = (await monitor.app.inject({ method: 'GET', url: '/v1/departments' })).json();
    const market = departments.departments.find(
      (d: { department: string }) => d.department === 'market-regulation',
    );
    expect(market).toMatchObject({ received: 1, name: '福州市市场监督管理局' });
    expect(market.doublePublicity.onTime).toBe(1);

    const quarter = `${new Date().getUTCFullYear()}Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`;
    const csv = await monitor.app.inject({ method: 'GET', url: `/v1/reports/quarterly/${quarter}.csv` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('market-regulation');
    const page = await monitor.app.inject({ method: 'GET', url: `/v1/reports/quarterly/${quarter}.html` });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('福州市市场监督管理局');
    const wrong = await monitor.app.inject({ method: 'GET', url: '/v1/reports/quarterly/2026Q5' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('OPS_INVALID_QUARTER');
  });
});
