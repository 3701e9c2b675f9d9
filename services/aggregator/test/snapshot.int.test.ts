import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../src/content-digest.ts';
import { AGGREGATOR_SCHEMA } from '../src/migrations.ts';
import { listSnapshots, takeSnapshot } from '../src/snapshot.ts';
import { type AggregatorHarness, startAggregatorHarness } from './aggregator-harness.ts';

let h: AggregatorHarness;

beforeAll(async () => {
  h = await startAggregatorHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('snapshots, for a rebuild after retention', () => {
  it('rebuilds from a snapshot and the offsets it recorded once the topics lost what it covers; refuses from offset 0', async () => {
    const department = sampleDepartment(h.catalogue, 'administrative-penalty');
    const topic = await h.ingestTopic(department.code);
    const subjects = demoSubjects(30);
    const batch = (from: number, to: number) =>
      subjects.slice(from, to).map((subject, i) => ({
        kind: 'administrative-penalty' as const,
        value: demoRecord(
          'administrative-penalty',
          department,
          h.catalogue,
          subject,
          `snap-${from + i}`,
          10 + i,
        ),
      }));
    const stored = (count: number) =>
      h.waitFor<{ n: string }>('select count(*) as n from records', (rows) => Number(rows[0]?.n) === count);
    const committedUpTo = async (count: number) => {
      const admin = await h.bus.admin();
      try {
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          const offsets = await admin.groupOffsets(h.groupId, [topic]);
          if (offsets.reduce((sum, o) => sum + Math.max(0, Number(o.offset)), 0) >= count) return;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error(`the aggregator did not commit ${count} offsets`);
      } finally {
        await admin.disconnect();
      }
    };

    const first = batch(0, 12);
    await h.report(department, first);
    await stored(12);
    await committedUpTo(12);
    const admin = await h.bus.admin();
    try {
      const snapshot = await takeSnapshot({ pool: h.pool, admin, groupId: h.groupId, topicPrefix: h.prefix });
      expect(snapshot.offsets.reduce((sum, o) => sum + Number(o.offset), 0)).toBe(12);
      expect((await listSnapshots(h.pool)).map((s) => s.schema)).toContain(snapshot.schema);

      // Later records, and a correction of an earlier one; then retention deletes what the snapshot covers.
      const correction = structuredClone(first[0]!);
      Object.assign(correction.value.envelope, { version: 2, changeReason: '更正' });
      await h.report(department, [...batch(12, 24), correction]);
      await stored(24);
      await committedUpTo(25);
      for (const partition of new Set(snapshot.offsets.map((o) => o.partition))) {
        const offset = snapshot.offsets.find((o) => o.partition === partition)!.offset;
        await admin.deleteRecordsBefore(topic, [{ partition, offset }]);
      }
      const live = await contentDigest(h.pool, AGGREGATOR_SCHEMA);

      await expect(h.replayInto('aggregator_from_zero')).rejects.toMatchObject({
        code: 'AGG_REPLAY_BEYOND_RETENTION',
        message: expect.stringContaining('credit replay --from-snapshot'),
      });
      const rebuilt = await h.replayInto('aggregator_from_snapshot', { fromSnapshot: snapshot.schema });
      expect(rebuilt.messages).toBe(13);
      expect(rebuilt.digest).toEqual(live);
    } finally {
      await admin.disconnect();
    }
  });
});
