import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, MessageBus, Producer } from '@credit/kit';
import { createTestTopics, testBus, testKafkaSecurity, uniqueName } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLagSampler, type GroupSnapshot, type LagSampler, type LagSnapshot } from '../src/lag.ts';
import { createKafkajsLagAdmin, type LagAdmin } from '../src/lag-admin.ts';
import { describeGroupWithKafkaCli } from './kafka-cli.ts';

const PARTITIONS = [0, 1, 2];
const SAMPLE_EVERY_MS = 300;
const WINDOW = 5;

let bus: MessageBus;
let admin: LagAdmin;
let producer: Producer;
let consumer: Consumer;
let sampler: LagSampler;
let topic: string;
let groupId: string;
/** Message timestamps are set by the test, so the age of the oldest unconsumed message is known exactly. */
const base = Date.now();
let nextTimestamp = base - 120_000;

beforeAll(async () => {
  bus = testBus('ops-monitor-lag');
  [topic = ''] = await createTestTopics(bus, [{ name: 'ops-lag', partitions: PARTITIONS.length }]);
  groupId = uniqueName('ops-lag-group');
  admin = await createKafkajsLagAdmin({
    brokers: inject('kafkaBrokers').split(','),
    security: testKafkaSecurity(),
  });
  producer = await bus.producer();
  sampler = createLagSampler({ admin, groups: [groupId], windowSize: WINDOW });
  await produceOnEachPartition(10);
  consumer = await bus.consumer({
    groupId,
    topics: [topic],
    fromBeginning: true,
    maxWaitTimeMs: 100,
    sessionTimeoutMs: 10_000,
  });
  await consumer.run(async () => {});
});

afterAll(async () => {
  await consumer?.disconnect().catch(() => {});
  await producer?.disconnect();
  await admin?.disconnect();
});

/** Produces `count` messages on each partition; returns the timestamp of the first one per partition. */
async function produceOnEachPartition(count: number): Promise<Map<number, number>> {
  const firsts = new Map<number, number>();
  const messages = PARTITIONS.flatMap((partition) =>
    Array.from({ length: count }, (_, i) => {
      nextTimestamp += 1;
      if (i === 0) firsts.set(partition, nextTimestamp);
      return { key: null, value: `m${nextTimestamp}`, partition, timestamp: nextTimestamp };
    }),
  );
  await producer.send(topic, messages);
  return firsts;
}

function ourGroup(snapshot: LagSnapshot): GroupSnapshot {
  const group = snapshot.groups.find((g) => g.groupId === groupId);
  if (group === undefined) throw new Error(`group ${groupId} missing from the snapshot`);
  if (group.error) throw new Error(`${group.error.code}: ${group.error.message}`);
  return group;
}

/** Samples at the monitor's pace until `done` holds; `between` runs before each sample (e.g. to produce). */
async function sampleUntil(
  done: (group: GroupSnapshot) => boolean,
  { timeoutMs = 20_000, between }: { timeoutMs?: number; between?: () => Promise<unknown> } = {},
): Promise<{ snapshot: LagSnapshot; group: GroupSnapshot }> {
  const deadline = Date.now() + timeoutMs;
  let last: GroupSnapshot | undefined;
  while (Date.now() < deadline) {
    await between?.();
    const snapshot = await sampler.sample();
    last = ourGroup(snapshot);
    if (done(last)) return { snapshot, group: last };
    await sleep(SAMPLE_EVERY_MS);
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last sample: ${JSON.stringify(last, bigints)}`);
}

const bigints = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString() : value;

describe('consumer lag against a real broker', () => {
  it('is OK with no lag once the consumer has read everything', async () => {
    const { group } = await sampleUntil((g) => g.partitions.length === 3 && g.totalLag === 0n);
    expect(group.status).toBe('OK');
    expect(group.partitions.map((p) => [p.committed, p.end, p.lag, p.lagMs])).toEqual(
      PARTITIONS.map(() => [10n, 10n, 0n, 0]),
    );
  });

  let firstUnconsumed: Map<number, number>;

  it('shows lag growing and STALL within the window while a live consumer is paused', async () => {
    // Nothing is unconsumed (the test before saw lag 0), and kafkajs drops what a fetch already in flight brings back
    // for a paused partition (consumerGroup.fetch filters on isPaused): from here on nothing is consumed, no wait needed.
    consumer.pause([topic]);
    let produced = 0;
    const { snapshot, group } = await sampleUntil((g) => g.status !== 'OK', {
      between: async () => {
        const firsts = await produceOnEachPartition(1);
        if (produced++ === 0) firstUnconsumed = firsts;
      },
    });
    expect(group.status).toBe('STALL');
    // The first sample after pausing already has lag, so a full window of lag is exactly WINDOW samples.
    expect(produced).toBe(WINDOW);
    for (const partition of group.partitions) {
      expect(partition).toMatchObject({ status: 'STALL', reason: 'STALLED', owned: true, committed: 10n });
      expect(partition.lag).toBe(BigInt(WINDOW));
      // The oldest unconsumed message is the first produced after the pause, stamped by the test.
      expect(partition.lagMs).toBe(snapshot.at - (firstUnconsumed.get(partition.partition) ?? 0));
      const lags = sampler.window(groupId, topic, partition.partition).map((s) => BigInt(s.end) - 10n);
      expect(lags).toEqual([1n, 2n, 3n, 4n, 5n]);
    }
  });

  it('agrees with the Kafka consumer-groups command on every partition', async () => {
    // The consumer is paused and nothing is produced, so both read the same stable offsets.
    const cli = await describeGroupWithKafkaCli(inject('kafkaBrokers'), inject('kafkaEnv'), groupId);
    const { group } = await sampleUntil(() => true);
    expect(cli).toHaveLength(PARTITIONS.length);
    expect(group.partitions.map((p) => ({ topic: p.topic, partition: p.partition, lag: p.lag }))).toEqual(
      cli.map((row) => ({ topic: row.topic, partition: row.partition, lag: row.lag })),
    );
    expect(group.partitions.map((p) => [p.committed, p.end])).toEqual(
      cli.map((row) => [row.currentOffset, row.logEndOffset]),
    );
    expect(cli.every((row) => row.lag === BigInt(WINDOW))).toBe(true);
  });

  it('recovers to OK once the consumer resumes and catches up', async () => {
    consumer.resume([topic]);
    const { group } = await sampleUntil((g) => g.totalLag === 0n);
    expect(group.status).toBe('OK');
    expect(group.partitions.every((p) => p.reason === 'CAUGHT_UP' && p.lagMs === 0)).toBe(true);
  });

  it('shows STOP within the window once the consumer has left with lag behind it', async () => {
    await consumer.disconnect();
    let produced = 0;
    const { group } = await sampleUntil((g) => g.status !== 'OK', {
      between: async () => {
        produced += 1;
        await produceOnEachPartition(1);
      },
    });
    expect(group.status).toBe('STOP');
    expect(produced).toBe(WINDOW);
    expect(group.partitions.every((p) => p.reason === 'STOPPED' && !p.owned)).toBe(true);
  });
});
