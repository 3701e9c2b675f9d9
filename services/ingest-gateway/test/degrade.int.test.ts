import path from 'node:path';
import { type DedicatedPostgres, RUN_DIR, startDedicatedPostgres } from '@credit/infra';
import {
  createTestDatabase,
  freePort,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  testBus,
  uniqueName,
} from '@credit/testing';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { departmentOf, envelopeOf, type Harness, startHarness, wire } from './gateway-harness.ts';

/**
 * The gateway while its database or its broker is down: it answers 503 with Retry-After within a bound, never 500
 * and never a hang, its readiness goes red, and it serves again by itself once the dependency is back. The database is
 * a dedicated server the test stops; the broker is the shared one, reached through a proxy the test cuts.
 */

/** PRODUCE_TIMEOUT_MS for this gateway (its default is 10 s; the bound is the same mechanism, shorter). */
const PRODUCE_TIMEOUT_MS = 3_000;
/** pg-pool's connectionTimeoutMillis is 5 s: the longest a request may wait for a connection that cannot be made. */
const DATABASE_BOUND_MS = 5_000;
const SLACK_MS = 3_000;
const RECOVERY_MS = 60_000;
const TEST_MS = 3 * RECOVERY_MS;

let server: DedicatedPostgres;
let database: TestDatabase;
let proxy: TcpProxy;
let h: Harness;
let key: string;
let department: string;

beforeAll(async () => {
  server = await startDedicatedPostgres({
    dir: path.join(RUN_DIR, 'dedicated-postgres', uniqueName('gateway-degrade')),
    port: await freePort(),
  });
  database = await createTestDatabase(server.url);
  const [host, port] = inject('kafkaBrokers').split(',')[0]!.split(':');
  proxy = await startTcpProxy({ host: host!, port: Number(port) });
  h = await startHarness(
    {},
    {
      database,
      // Every connection, the advertised broker's included, through the proxy.
      bus: testBus('gateway-degrade', { connectTo: () => ({ host: proxy.host, port: proxy.port }) }),
      produceTimeoutMs: PRODUCE_TIMEOUT_MS,
    },
  );
  department = departmentOf(h.catalogue, 'administrative-penalty').code;
  key = await h.keyFor(department);
});

afterAll(async () => {
  proxy?.restore();
  // Running again if a failed test left it stopped, so the database can be scanned and dropped.
  await server?.start().catch(() => {});
  await h?.close();
  await proxy?.close();
  await server?.remove();
});

function penalty(recordId: string) {
  return wire('administrative-penalty', (record) => {
    envelopeOf(record).sourceRecordId = recordId;
  });
}

async function post(body: unknown) {
  const began = Date.now();
  const response = await h.app.inject({
    method: 'POST',
    url: '/v1/records',
    headers: { authorization: `Bearer ${key}` },
    payload: body as object,
  });
  return { response, ms: Date.now() - began };
}

async function ready() {
  return h.app.inject({ method: 'GET', url: '/health/ready' });
}

/** Messages in the department's topic, from the broker's offsets. */
async function messagesInTopic(): Promise<bigint> {
  const admin = await h.bus.admin();
  try {
    const offsets = await admin.topicOffsets(h.topicOf(department));
    return offsets.reduce((sum, p) => sum + BigInt(p.high) - BigInt(p.low), 0n);
  } finally {
    await admin.disconnect();
  }
}

describe('the ingest gateway while a dependency is down', () => {
  it(
    'answers 503 DATABASE_UNAVAILABLE with Retry-After while PostgreSQL is down, and accepts again once it is back',
    async () => {
      expect((await post(penalty(uniqueName('DB-BEFORE')))).response.statusCode).toBe(202);
      expect((await ready()).statusCode).toBe(200);
      const before = await messagesInTopic();

      await server.stop('fast');
      const recordId = uniqueName('DB-DOWN');
      const { response, ms } = await post(penalty(recordId));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(response.body).not.toContain(String(server.port));
      expect(ms).toBeLessThan(DATABASE_BOUND_MS + SLACK_MS);
      const notReady = await ready();
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json().checks.database).not.toBe('ok');
      expect(notReady.json().checks.kafka).toBe('ok');

      await server.start();
      // The same record, sent again: nothing of the first attempt was kept, so it is accepted now, once.
      await vi.waitFor(
        async () => {
          const again = await post(penalty(recordId));
          expect(again.response.statusCode).toBe(202);
        },
        { timeout: RECOVERY_MS, interval: 250 },
      );
      expect((await ready()).statusCode).toBe(200);
      expect(await messagesInTopic()).toBe(before + 1n);
      const duplicate = await post(penalty(recordId));
      expect(duplicate.response.statusCode).toBe(200);
      expect(duplicate.response.json().status).toBe('duplicate');
    },
    TEST_MS,
  );

  it(
    'answers 503 DATABASE_UNAVAILABLE after a crash of PostgreSQL too, and recovers by itself',
    async () => {
      await server.kill();
      const { response, ms } = await post(penalty(uniqueName('DB-CRASH')));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
      expect(ms).toBeLessThan(DATABASE_BOUND_MS + SLACK_MS);
      await server.start();
      await vi.waitFor(async () => expect((await ready()).statusCode).toBe(200), {
        timeout: RECOVERY_MS,
        interval: 250,
      });
      expect((await post(penalty(uniqueName('DB-AFTER-CRASH')))).response.statusCode).toBe(202);
    },
    TEST_MS,
  );

  it(
    'refuses with 503 and Retry-After within its produce bound while the broker is unreachable, and accepts once it is back',
    async () => {
      const before = await messagesInTopic();
      proxy.cut('reset');
      const recordId = uniqueName('BROKER-DOWN');
      const { response, ms } = await post(penalty(recordId));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toMatchObject({
        status: 'retry',
        error: { code: 'INTAKE_BROKER_UNAVAILABLE' },
      });
      expect(ms).toBeLessThan(PRODUCE_TIMEOUT_MS + SLACK_MS);
      const notReady = await ready();
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json().checks.kafka).not.toBe('ok');

      proxy.restore();
      let accepted: { partition: number; offset: string } | undefined;
      await vi.waitFor(
        async () => {
          const again = (await post(penalty(recordId))).response;
          // 200 duplicate is no answer here: the first attempt was refused, so it was never confirmed as accepted.
          expect(again.statusCode).toBe(202);
          accepted = again.json();
        },
        { timeout: RECOVERY_MS, interval: 500 },
      );
      await vi.waitFor(async () => expect((await ready()).statusCode).toBe(200), {
        timeout: RECOVERY_MS,
        interval: 250,
      });
      // Accepted means the broker has it at the position answered. The refused attempt may have reached the broker
      // late (its send was abandoned at the bound, not cancelled): at most one more copy, which consumers drop as a
      // duplicate of record id and version.
      const admin = await h.bus.admin();
      const offsets = await admin.topicOffsets(h.topicOf(department));
      await admin.disconnect();
      expect(BigInt(offsets.find((p) => p.partition === accepted!.partition)!.high)).toBeGreaterThan(
        BigInt(accepted!.offset),
      );
      const after = await messagesInTopic();
      expect(after === before + 1n || after === before + 2n).toBe(true);
    },
    TEST_MS,
  );

  it(
    'is bounded even when the broker hangs instead of refusing',
    async () => {
      proxy.cut('hang');
      try {
        const { response, ms } = await post(penalty(uniqueName('BROKER-HANG')));
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        expect(ms).toBeLessThan(PRODUCE_TIMEOUT_MS + SLACK_MS);
      } finally {
        proxy.restore();
      }
      await vi.waitFor(
        async () => expect((await post(penalty(uniqueName('BROKER-BACK')))).response.statusCode).toBe(202),
        { timeout: RECOVERY_MS, interval: 500 },
      );
    },
    TEST_MS,
  );
});
