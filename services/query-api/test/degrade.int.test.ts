import path from 'node:path';
import { readTopic } from '@credit/aggregator/testing';
import { type DedicatedPostgres, RUN_DIR, startDedicatedPostgres } from '@credit/infra';
import {
  type CapturedLogger,
  capturedLogger,
  createTestDatabase,
  freePort,
  type TestDatabase,
  testBus,
} from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QUERY_SCHEMA } from '../src/migrations.ts';
import { type QueryHarness, seedRecord, seedSubject, startQueryHarness } from './harness.ts';

/**
 * The query API while PostgreSQL is down: every route that needs the database answers 503 DATABASE_UNAVAILABLE with
 * Retry-After within the pool's connection timeout (never a 500, never a hang), readiness goes red, and both come
 * back by themselves once the server is up again; the change feed's consumer waits and then stores what was
 * published meanwhile, once each. The database is a dedicated server the test stops and crashes.
 */

const COMPANY = '91350100M000100Y43';
/** pg-pool's connectionTimeoutMillis. */
const DATABASE_BOUND_MS = 5_000;
const SLACK_MS = 3_000;
const RECOVERY_MS = 60_000;
const TEST_MS = 3 * RECOVERY_MS;

let server: DedicatedPostgres;
let database: TestDatabase;
let log: CapturedLogger;
let h: QueryHarness;

beforeAll(async () => {
  server = await startDedicatedPostgres({
    dir: path.join(RUN_DIR, 'dedicated-postgres', `query-degrade-${process.pid}-${Date.now()}`),
    port: await freePort(),
  });
  database = await createTestDatabase(server.url);
  log = capturedLogger('query-degrade-consumer');
  h = await startQueryHarness({ database, bus: testBus('query-degrade', { logger: log.logger }) });
  await seedSubject(h.pool, { code: COMPANY, name: '福州降级测试有限公司' });
  await seedRecord(h.pool, { subjectCode: COMPANY, id: 'degrade-1' });
}, 120_000);

afterAll(async () => {
  // Running again if a failed test left it stopped, so the database can be scanned and dropped.
  await server?.start().catch(() => {});
  await h?.close();
  await server?.remove();
});

async function get(url: string) {
  const began = Date.now();
  const response = await h.queryApi.app.inject({ method: 'GET', url });
  return { response, ms: Date.now() - began };
}

const PROFILE = `/v1/public/subjects/${COMPANY}`;
const SEARCH = `/v1/public/search?q=${encodeURIComponent('降级测试')}`;

function expectUnavailable({ response, ms }: Awaited<ReturnType<typeof get>>) {
  expect(response.statusCode).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
  expect(ms).toBeLessThan(DATABASE_BOUND_MS + SLACK_MS);
}

function subjectChange(eventId: string) {
  return {
    schema: 'credit.subject-change/1',
    eventId,
    subjectCode: COMPANY,
    subjectCreated: false,
    changes: [
      {
        change: 'created',
        department: 'market-regulation',
        sourceRecordId: eventId,
        kind: 'administrative-penalty',
        severity: 'GENERAL_DISHONESTY',
        version: 1,
      },
    ],
    at: new Date().toISOString(),
  };
}

async function feedRows(eventIds: string[]): Promise<string[]> {
  const { rows } = await h.pool.query<{ event_id: string }>(
    `select event_id from ${QUERY_SCHEMA}.changes where event_id = any($1::text[])`,
    [eventIds],
  );
  return rows.map((row) => row.event_id);
}

describe('the query API while PostgreSQL is down', () => {
  it(
    'answers 503 with Retry-After and goes unready while it is stopped, and serves again by itself after',
    async () => {
      expect((await get(PROFILE)).response.statusCode).toBe(200);
      expect((await get('/health/ready')).response.statusCode).toBe(200);

      await server.stop('fast');
      expectUnavailable(await get(PROFILE));
      expectUnavailable(await get(SEARCH));
      expectUnavailable(await get('/v1/public/changes?since=2000-01-01T00:00:00Z'));
      const notReady = (await get('/health/ready')).response;
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json().checks.database).not.toBe('ok');

      // What the platform publishes meanwhile waits in Kafka for the feed's consumer.
      const mark = log.lines().length;
      const events = ['degrade-feed-1', 'degrade-feed-2', 'degrade-feed-3'];
      await h.producer.send(
        h.topics.subjectChanges,
        events.map((eventId) => ({ key: COMPANY, value: JSON.stringify(subjectChange(eventId)) })),
      );
      await vi.waitFor(
        () =>
          expect(
            log
              .lines()
              .slice(mark)
              .filter((line) => String(line.msg).includes('the partition waits and retries')).length,
          ).toBeGreaterThanOrEqual(2),
        { timeout: RECOVERY_MS, interval: 100 },
      );

      await server.start();
      await vi.waitFor(async () => expect((await get('/health/ready')).response.statusCode).toBe(200), {
        timeout: RECOVERY_MS,
        interval: 250,
      });
      expect((await get(PROFILE)).response.statusCode).toBe(200);
      expect((await get(SEARCH)).response.statusCode).toBe(200);
      await vi.waitFor(async () => expect((await feedRows(events)).sort()).toEqual(events), {
        timeout: RECOVERY_MS,
        interval: 250,
      });
      const dead = await readTopic(h.bus, h.topics.deadLetters, 0, 30_000);
      expect(dead.filter((m) => events.some((id) => m.value?.toString().includes(id)))).toHaveLength(0);
    },
    TEST_MS,
  );

  it(
    'answers 503 after a crash of PostgreSQL too, and recovers by itself',
    async () => {
      expect((await get(PROFILE)).response.statusCode).toBe(200);
      await server.kill();
      expectUnavailable(await get(PROFILE));
      expect((await get('/health/ready')).response.statusCode).toBe(503);
      await server.start();
      await vi.waitFor(async () => expect((await get(PROFILE)).response.statusCode).toBe(200), {
        timeout: RECOVERY_MS,
        interval: 250,
      });
      expect((await get('/health/ready')).response.statusCode).toBe(200);
    },
    TEST_MS,
  );
});
