import { verifyAuditChain } from '@credit/audit';
import { makeResidentId, tokeniseResidentId } from '@credit/identifiers';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import type { RecordKind } from '@credit/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../src/content-digest.ts';
import { erasePerson } from '../src/erasure.ts';
import { AGGREGATOR_SCHEMA } from '../src/migrations.ts';
import { type AggregatorHarness, naturalPersonRecord, startAggregatorHarness } from './aggregator-harness.ts';

let h: AggregatorHarness;

beforeAll(async () => {
  h = await startAggregatorHarness({ start: false });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** Rows of the tombstone tables and the audit log of `schema`, in order. */
async function kept(schema: string) {
  const erasures = await h.pool.query(`select * from ${schema}.erasures order by id`);
  const versions = await h.pool.query(
    `select * from ${schema}.erased_records order by department, source_record_id, erasure_id`,
  );
  const audit = await h.pool.query(`select id::text, hash from ${schema}.audit_log order by id`);
  return { erasures: erasures.rows, versions: versions.rows, audit: audit.rows };
}

describe('replay', () => {
  it('rebuilds from offset 0 a database equal to the one built live', async () => {
    const kinds: RecordKind[] = ['administrative-penalty', 'administrative-licence', 'honour'];
    for (const kind of kinds) await h.ingestTopic(sampleDepartment(h.catalogue, kind).code);
    await h.aggregator.start();

    const subjects = demoSubjects(40);
    let expectedRecords = 0;
    for (const [k, kind] of kinds.entries()) {
      const department = sampleDepartment(h.catalogue, kind);
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
      sampleDepartment(h.catalogue, 'honour'),
      h.catalogue,
      subjects[0]!,
      'replay-invalid',
      3,
    );
    invalid.envelope.subject.code = '91350100M000100Y4X';
    await h.report(sampleDepartment(h.catalogue, 'honour'), [{ kind: 'honour', value: invalid }]);

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

    const rebuilt = await h.replayInto('aggregator_replay');
    expect(rebuilt.topics).toEqual(
      [...new Set(kinds.map((kind) => `${h.prefix}${sampleDepartment(h.catalogue, kind).code}`))].sort(),
    );
    expect(rebuilt.messages).toBeGreaterThan(expectedRecords);
    expect(rebuilt.digest.records!.rows).toBe(expectedRecords);
    expect(rebuilt.digest.ingest_errors!.rows).toBe(4);
    expect(rebuilt.digest).toEqual(live);
  }, 120_000);

  it('does not bring an erased person back, into another schema or into the live one', async () => {
    const court = sampleDepartment(h.catalogue, 'dishonest-judgment-debtor');
    await h.ingestTopic(court.code);
    const number = makeResidentId({ division: '350102', birthDate: '1984-11-02', sequence: 515 });
    const token = tokeniseResidentId(number, h.keys.tokenKey);
    const records = [1, 2].map((n) =>
      naturalPersonRecord(h.catalogue, {
        kind: 'dishonest-judgment-debtor',
        department: court,
        person: { number, name: '赵某' },
        id: `replay-person-${n}`,
        daysAgo: 9,
      }),
    );
    await h.report(court, records);
    await h.waitFor(
      `select 1 from records where subject_code = '${token}'`,
      (rows) => rows.length === 2,
      30_000,
    );
    await erasePerson(h.pool, {
      subjectCode: token,
      basis: 'PIPL art. 47',
      operator: 'ops',
      now: new Date(),
    });
    const live = await contentDigest(h.pool, AGGREGATOR_SCHEMA);
    const liveKept = await kept(AGGREGATOR_SCHEMA);
    expect(liveKept.versions).toHaveLength(2);

    const rebuilt = await h.replayInto('aggregator_replay');
    expect(rebuilt.digest).toEqual(live);
    const { rows } = await h.pool.query('select 1 from aggregator_replay.records where subject_code = $1', [
      token,
    ]);
    expect(rows).toHaveLength(0);
    expect(await kept('aggregator_replay')).toEqual(liveKept);

    // --schema aggregator --force: the live schema rebuilt (aggregator stopped) keeps its tombstones and audit log.
    await h.aggregator.stop();
    const inPlace = await h.replayInto(AGGREGATOR_SCHEMA);
    expect(inPlace.digest).toEqual(live);
    expect(await kept(AGGREGATOR_SCHEMA)).toEqual(liveKept);
    expect(await verifyAuditChain(h.pool, { schema: AGGREGATOR_SCHEMA })).toMatchObject({
      ok: true,
      rows: liveKept.audit.length,
    });
    const holding = await h.pool.query(
      `select nspname from pg_namespace where nspname in ('aggregator_kept', 'aggregator_replay_kept')`,
    );
    expect(holding.rows).toEqual([]);
    // The id sequences go on after the copied rows.
    for (const table of ['erasures', 'audit_log']) {
      const { rows: ids } = await h.pool.query<{ next: string; max: string }>(
        `select nextval(pg_get_serial_sequence($1, 'id'))::text as next, (select max(id) from ${table})::text as max`,
        [`${AGGREGATOR_SCHEMA}.${table}`],
      );
      expect(BigInt(ids[0]!.next)).toBeGreaterThan(BigInt(ids[0]!.max));
    }
  }, 120_000);
});
