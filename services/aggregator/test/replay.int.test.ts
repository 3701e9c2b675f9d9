import type { Department } from '@credit/catalogue';
import { contracts } from '@credit/intake';
import { demoRecord, demoSubjects } from '@credit/sample-data';
import { type RecordKind, samples } from '@credit/schemas';
import { testLogger } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../src/content-digest.ts';
import { AGGREGATOR_SCHEMA } from '../src/migrations.ts';
import { replay } from '../src/replay.ts';
import { type AggregatorHarness, startAggregatorHarness } from './aggregator-harness.ts';

let h: AggregatorHarness;

beforeAll(async () => {
  h = await startAggregatorHarness({ start: false });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

function departmentOf(kind: RecordKind): Department {
  return h.catalogue.departmentByUscc(samples[kind].envelope.reportingDepartmentCode)!;
}

describe('replay', () => {
  it('rebuilds from offset 0 a database equal to the one built live', async () => {
    const kinds: RecordKind[] = ['administrative-penalty', 'administrative-licence', 'honour'];
    for (const kind of kinds) await h.ingestTopic(departmentOf(kind).code);
    await h.aggregator.start();

    const subjects = demoSubjects(40);
    let expectedRecords = 0;
    for (const [k, kind] of kinds.entries()) {
      const department = departmentOf(kind);
      const records = subjects.map((subject, i) => {
        const value = demoRecord(kind, department, h.catalogue, subject, `replay-${kind}-${i}`, 5 + i);
        // Names change over time: some later records carry a new name.
        if (i % 7 === 0 && k > 0) value.envelope.subject.name = `${subject.name}（更名）`;
        return { kind, value };
      });
      expectedRecords += records.length;
      const corrections = records
        .filter((_, i) => i % 5 === 0)
        .map(({ kind: rk, value }) => {
          const next = structuredClone(value);
          Object.assign(next.envelope, { version: 2, changeReason: '更正处罚金额' });
          return { kind: rk, value: next };
        });
      const revokes = records
        .filter((_, i) => i % 9 === 0)
        .map(({ kind: rk, value }) => {
          const next = structuredClone(value);
          Object.assign(next.envelope, { version: 3, operation: 'REVOKE', changeReason: '复议撤销' });
          return { kind: rk, value: next };
        });
      const stale = records.filter((_, i) => i % 4 === 0);
      await h.report(department, [...records, ...corrections, ...revokes, ...stale]);
      await h.send(`${h.prefix}${department.code}`, [{ key: 'x', value: Buffer.from('garbage') }]);
    }
    const invalid = demoRecord(
      'honour',
      departmentOf('honour'),
      h.catalogue,
      subjects[0]!,
      'replay-invalid',
      3,
    );
    invalid.envelope.subject.code = '91350100M000100Y4X';
    await h.report(departmentOf('honour'), [{ kind: 'honour', value: invalid }]);

    await h.waitFor<{ n: string }>(
      'select count(*) as n from records',
      (rows) => Number(rows[0]?.n) === expectedRecords,
      30_000,
    );
    await h.waitFor<{ n: string }>(
      'select count(*) as n from ingest_errors',
      (rows) => Number(rows[0]?.n) === 4,
      30_000,
    );
    // Everything consumed (the error rows come with the last batches), so the live content is final.
    const live = await contentDigest(h.pool, AGGREGATOR_SCHEMA);

    const rebuilt = await replay({
      databaseUrl: h.database.url,
      schema: 'aggregator_replay',
      bus: h.bus,
      producer: h.producer,
      catalogue: h.catalogue,
      contracts: contracts(),
      keys: h.keys,
      trust: h.trust,
      logger: testLogger,
      topicPrefix: h.prefix,
      groupPrefix: h.groupId,
      timeoutMs: 60_000,
    });
    expect(rebuilt.topics).toEqual(
      [...new Set(kinds.map((kind) => `${h.prefix}${departmentOf(kind).code}`))].sort(),
    );
    expect(rebuilt.messages).toBeGreaterThan(expectedRecords);
    expect(rebuilt.digest.records!.rows).toBe(expectedRecords);
    expect(rebuilt.digest.ingest_errors!.rows).toBe(4);
    expect(rebuilt.digest).toEqual(live);
  }, 120_000);
});
