import { makeResidentId, tokeniseResidentId } from '@credit/identifiers';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../src/content-digest.ts';
import { erasePerson } from '../src/erasure.ts';
import { AGGREGATOR_SCHEMA } from '../src/migrations.ts';
import { listSnapshots, SNAPSHOT_ERASURE_LOCK, type Snapshot, takeSnapshot } from '../src/snapshot.ts';
import { type AggregatorHarness, naturalPersonRecord, startAggregatorHarness } from './aggregator-harness.ts';

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

describe('snapshots and erasure', () => {
  let run = 0;

  /** A natural person with one stored penalty; their token. */
  async function storedPerson(): Promise<string> {
    run += 1;
    const department = sampleDepartment(h.catalogue, 'administrative-penalty');
    await h.ingestTopic(department.code);
    const number = makeResidentId({ division: '350102', birthDate: '1981-06-02', sequence: 600 + run });
    const person = { number, name: `赵${run}` };
    await h.report(department, [
      naturalPersonRecord(h.catalogue, {
        kind: 'administrative-penalty',
        department,
        person,
        id: `snap-erase-${run}`,
        daysAgo: 10,
      }),
    ]);
    const token = tokeniseResidentId(number, h.keys.tokenKey);
    await h.waitFor<{ n: string }>(
      `select count(*) as n from records where subject_code = '${token}'`,
      (rows) => rows[0]?.n === '1',
    );
    return token;
  }

  /** The person's rows in every unified table of `schema`. */
  async function rowsOf(schema: string, token: string): Promise<Record<string, number>> {
    const { rows } = await h.pool.query<Record<string, string>>(
      `select (select count(*) from ${schema}.subjects where code = $1) as subjects,
              (select count(*) from ${schema}.subject_names where subject_code = $1) as names,
              (select count(*) from ${schema}.records where subject_code = $1) as records,
              (select count(*) from ${schema}.subject_summaries where subject_code = $1) as summaries,
              (select count(*) from ${schema}.outbox where subject_code = $1) as outbox`,
      [token],
    );
    return Object.fromEntries(Object.entries(rows[0]!).map(([table, n]) => [table, Number(n)]));
  }
  const none = { subjects: 0, names: 0, records: 0, summaries: 0, outbox: 0 };

  async function snapshot(secondsAhead: number): Promise<Snapshot> {
    const admin = await h.bus.admin();
    try {
      // Schemas are named by the second: each test's snapshots are dated apart.
      const now = new Date(Date.now() + secondsAhead * 1000);
      return await takeSnapshot({ pool: h.pool, admin, groupId: h.groupId, topicPrefix: h.prefix, now });
    } finally {
      await admin.disconnect();
    }
  }

  /** Backends of this database waiting for an advisory lock. */
  async function waitingForAdvisoryLock(count: number): Promise<void> {
    await h.waitFor<{ n: string }>(
      `select count(*) as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`,
      (rows) => Number(rows[0]?.n) >= count,
    );
  }

  it('deletes the person from every snapshot, also one whose copy began before the erasure committed', async () => {
    const token = await storedPerson();
    const earlier = await snapshot(3600);
    expect((await rowsOf(earlier.schema, token)).records).toBe(1);

    // Order the race: a lock holder in front, then a snapshot queues for the lock, then the erasure (its live
    // deletes done) queues behind it. The snapshot copies while the erasure is not committed yet.
    const front = await h.pool.connect();
    let concurrent: Promise<Snapshot> | undefined;
    let erasure: ReturnType<typeof erasePerson> | undefined;
    try {
      await front.query('begin');
      await front.query('select pg_advisory_xact_lock(hashtext($1))', [SNAPSHOT_ERASURE_LOCK]);
      concurrent = snapshot(7200);
      await waitingForAdvisoryLock(1);
      erasure = erasePerson(h.pool, {
        subjectCode: token,
        basis: 'PIPL art. 47',
        operator: 'ops',
        now: new Date(),
      });
      await waitingForAdvisoryLock(2);
    } finally {
      await front.query('commit');
      front.release();
    }
    const during = await concurrent!;
    const erased = await erasure!;

    expect(erased.snapshots).toBeGreaterThanOrEqual(2);
    // The live outbox holds the erasure's own event until the relay publishes it.
    expect(await rowsOf(AGGREGATOR_SCHEMA, token)).toMatchObject({ ...none, outbox: expect.any(Number) });
    expect(await rowsOf(earlier.schema, token)).toEqual(none);
    expect(await rowsOf(during.schema, token)).toEqual(none);
  });

  it('a rebuild from a snapshot older than an erasure (restored from a backup) leaves the person out', async () => {
    const token = await storedPerson();
    const department = sampleDepartment(h.catalogue, 'administrative-penalty');
    const company = demoSubjects(40)[39]!;
    const record = demoRecord(
      'administrative-penalty',
      department,
      h.catalogue,
      company,
      'snap-erase-company',
      10,
    );
    await h.report(department, [{ kind: 'administrative-penalty', value: record }]);
    await h.waitFor<{ n: string }>(
      `select count(*) as n from records where source_record_id = 'snap-erase-company'`,
      (rows) => rows[0]?.n === '1',
    );
    const old = await snapshot(10_800);
    // Out of the erasure's reach while it runs, as a backup on tape would be.
    await h.pool.query(`alter schema ${old.schema} rename to backup_${old.schema}`);
    await erasePerson(h.pool, {
      subjectCode: token,
      basis: 'PIPL art. 47',
      operator: 'ops',
      now: new Date(),
    });
    await h.pool.query(`alter schema backup_${old.schema} rename to ${old.schema}`);
    expect((await rowsOf(old.schema, token)).records).toBe(1);

    const rebuilt = await h.replayInto('aggregator_after_erasure', { fromSnapshot: old.schema });
    expect(await rowsOf(rebuilt.schema, token)).toEqual(none);
    const tombstones = await h.pool.query(
      'select 1 from aggregator_after_erasure.erasures where subject_code = $1',
      [token],
    );
    expect(tombstones.rowCount).toBe(1);
    const kept = await h.pool.query(
      'select 1 from aggregator_after_erasure.records where subject_code = $1',
      [company.code],
    );
    expect(kept.rowCount).toBe(1);
  });
});
