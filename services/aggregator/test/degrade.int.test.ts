import path from 'node:path';
import type { Department } from '@credit/catalogue';
import { type DedicatedPostgres, RUN_DIR, startDedicatedPostgres } from '@credit/infra';
import { DEAD_LETTER_HEADERS } from '@credit/kit';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import {
  type CapturedLogger,
  capturedLogger,
  createTestDatabase,
  freePort,
  type TestDatabase,
  testBus,
} from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type AggregatorHarness, startAggregatorHarness } from './aggregator-harness.ts';

/**
 * The aggregator while PostgreSQL is down: its consumer waits and retries the batch (it neither crashes nor skips
 * it), commits nothing it has not stored, dead-letters nothing for it, and stores everything sent meanwhile once the
 * database is back, each record once. The database is a dedicated server the test stops and crashes.
 */

const RECOVERY_MS = 90_000;
const TEST_MS = 2 * RECOVERY_MS;

let server: DedicatedPostgres;
let database: TestDatabase;
let log: CapturedLogger;
let h: AggregatorHarness;
let department: Department;
let topic: string;
let run = 0;

beforeAll(async () => {
  server = await startDedicatedPostgres({
    dir: path.join(RUN_DIR, 'dedicated-postgres', `aggregator-degrade-${process.pid}-${Date.now()}`),
    port: await freePort(),
  });
  database = await createTestDatabase(server.url);
  log = capturedLogger('aggregator-degrade-consumer');
  h = await startAggregatorHarness({
    start: false,
    database,
    bus: testBus('aggregator-degrade', { logger: log.logger }),
  });
  department = sampleDepartment(h.catalogue, 'administrative-penalty');
  topic = await h.ingestTopic(department.code);
  await h.aggregator.start();
}, 120_000);

afterAll(async () => {
  // Running again if a failed test left it stopped, so the database can be scanned and dropped.
  await server?.start().catch(() => {});
  await h?.close();
  await server?.remove();
});

/** Made once: each call computes every subject up to the count (check digits), too slow per record. */
const SUBJECTS = demoSubjects(400);

/** Records about subjects no other record of this file is about, with ids unique to the run. */
function penalties(count: number) {
  return Array.from({ length: count }, () => {
    const subject = SUBJECTS[run]!;
    run += 1;
    const id = `degrade-${process.pid}-${Date.now()}-${run}`;
    return {
      kind: 'administrative-penalty' as const,
      value: demoRecord('administrative-penalty', department, h.catalogue, subject, id, 10),
    };
  });
}

const idsOf = (records: ReturnType<typeof penalties>) => records.map((r) => r.value.envelope.sourceRecordId);

async function stored(ids: string[]): Promise<{ source_record_id: string; version: string }[]> {
  const { rows } = await h.pool.query<{ source_record_id: string; version: string }>(
    'select source_record_id, version from records where source_record_id = any($1::text[])',
    [ids],
  );
  return rows;
}

async function positions(): Promise<{ committed: Map<number, bigint>; high: Map<number, bigint> }> {
  const admin = await h.bus.admin();
  try {
    const committed = await admin.groupOffsets(h.groupId, [topic]);
    const high = await admin.topicOffsets(topic);
    return {
      committed: new Map(committed.map((p) => [p.partition, BigInt(p.offset)])),
      high: new Map(high.map((p) => [p.partition, BigInt(p.high)])),
    };
  } finally {
    await admin.disconnect();
  }
}

/** Partitions whose committed offset is behind their end (a partition never written to needs no commit). */
async function uncommitted(): Promise<number[]> {
  const { committed, high } = await positions();
  return [...high].filter(([partition, end]) => end > 0n && committed.get(partition) !== end).map(([p]) => p);
}

/** Lines the consumer logged since `from` saying a batch failed and waits for its retry. */
function retriesSince(from: number) {
  return log
    .lines()
    .slice(from)
    .filter((line) => String(line.msg).includes('the partition waits and retries'));
}

describe('the aggregator while PostgreSQL is down', () => {
  it(
    'waits, commits nothing, dead-letters no good record, and stores everything once when it is back',
    async () => {
      const before = penalties(3);
      await h.report(department, before);
      await vi.waitFor(async () => expect(await stored(idsOf(before))).toHaveLength(3), { timeout: 30_000 });
      await vi.waitFor(async () => expect(await uncommitted()).toEqual([]), { timeout: 30_000 });
      const committedBefore = (await positions()).committed;

      await server.stop('fast');
      const mark = log.lines().length;
      const during = penalties(20);
      await h.report(department, during);
      // One message no department signed: refused, dead-lettered once, whatever the outage does to its batch.
      await h.send(topic, [{ key: 'unsigned-during-outage', value: Buffer.from('not signed by anyone') }]);
      // The consumer tried, failed and tried again (a batch per partition that got records), and is still there.
      await vi.waitFor(() => expect(retriesSince(mark).length).toBeGreaterThanOrEqual(6), {
        timeout: RECOVERY_MS,
        interval: 100,
      });
      const retried = retriesSince(mark);
      expect(retried.every((line) => line.groupId === h.groupId)).toBe(true);
      expect(log.lines().some((line) => String(line.msg).startsWith('Crash'))).toBe(false);
      // Nothing committed past what was stored before the outage, though the batches were fetched.
      expect((await positions()).committed).toEqual(committedBefore);
      expect(await readDeadLetters()).toHaveLength(0);

      await server.start();
      const ids = idsOf(during);
      await vi.waitFor(async () => expect(await stored(ids)).toHaveLength(20), {
        timeout: RECOVERY_MS,
        interval: 250,
      });
      expect((await stored(ids)).every((row) => row.version === '1')).toBe(true);
      const { rows: summaries } = await h.pool.query<{ records_total: number }>(
        `select s.records_total from subject_summaries s
         join records r on r.subject_code = s.subject_code where r.source_record_id = any($1::text[])`,
        [ids],
      );
      expect(summaries.map((s) => s.records_total)).toEqual(ids.map(() => 1));
      await vi.waitFor(async () => expect(await uncommitted()).toEqual([]), { timeout: 30_000 });
      const dead = await readDeadLetters(1);
      expect(dead).toHaveLength(1);
      expect(dead[0]!.key?.toString()).toBe('unsigned-during-outage');
      const { rows: errors } = await h.pool.query(
        'select reason_code from ingest_errors where source_topic = $1',
        [topic],
      );
      expect(errors).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'stores every record exactly once when PostgreSQL crashes while records flow',
    async () => {
      const records = penalties(300);
      const ids = idsOf(records);
      const sending = (async () => {
        for (let at = 0; at < records.length; at += 20)
          await h.report(department, records.slice(at, at + 20));
      })();
      // Crash once the consumer is writing: some records stored, the rest in flight or still to come.
      await vi.waitFor(async () => expect((await stored(ids)).length).toBeGreaterThan(0), {
        timeout: 30_000,
        interval: 20,
      });
      await server.kill();
      await sending;
      await server.start();
      await vi.waitFor(async () => expect(await stored(ids)).toHaveLength(300), {
        timeout: RECOVERY_MS,
        interval: 250,
      });
      expect((await stored(ids)).every((row) => row.version === '1')).toBe(true);
      const dead = await readDeadLetters();
      expect(dead.filter((m) => ids.includes(m.key?.toString() ?? ''))).toHaveLength(0);
      expect(dead.map((m) => m.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString())).not.toContain(
        'AGG_DATABASE_REJECTED',
      );
    },
    TEST_MS,
  );
});

/** The dead letters so far (at least `atLeast`, waiting for them). */
async function readDeadLetters(atLeast = 0) {
  return h.readTopic(h.deadLetterTopic, atLeast, 30_000);
}
