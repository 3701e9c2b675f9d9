import type { Department } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { makeResidentId } from '@credit/identifiers';
import { createMetricsRegistry, DEAD_LETTER_HEADERS } from '@credit/kit';
import { demoRecord, demoSubjects } from '@credit/sample-data';
import type { RecordKind, RecordKinds, Severity } from '@credit/schemas';
import { createTestTopics, shiftDate, testLogger, uniqueName } from '@credit/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListApiClients } from '../src/api-clients.ts';
import { createListDesignation } from '../src/app.ts';
import { runBackfill, startBackfill } from '../src/backfill.ts';
import { MIGRATIONS_DIR } from '../src/migrations.ts';
import type { ReconcileContext } from '../src/reconcile.ts';
import { ListRulesInvalid } from '../src/rules/index.ts';
import { createSubjectChangesHandler } from '../src/subject-changes.ts';
import { type ListHarness, startListHarness, TOKENS } from './list-harness.ts';

let h: ListHarness;
let run = 0;
const DEPARTMENTS = ['tax', 'ecology-environment', 'statistics', 'intermediate-court', 'market-regulation'];

beforeAll(async () => {
  h = await startListHarness();
  for (const code of DEPARTMENTS) await h.aggregator.ingestTopic(code);
  // New topics are read from their beginning, so records sent before the aggregator's topic scan sees a topic are
  // not lost; waiting for the scan only keeps the first test's timings like the others'.
  await h.followed(DEPARTMENTS);
}, 90_000);
afterAll(async () => {
  await h?.close();
});

function department(code: string): Department {
  const found = h.aggregator.catalogue.department(code);
  if (!found) throw new Error(`no department ${code}`);
  return found;
}

function subject() {
  run += 1;
  return demoSubjects(9000 + run)[8999 + run]!;
}

async function report<K extends RecordKind>(
  kind: K,
  departmentCode: string,
  who: { code: string; name: string },
  daysAgo: number,
  severity?: Severity,
): Promise<RecordKinds[K]> {
  run += 1;
  const value = demoRecord(
    kind,
    department(departmentCode),
    h.aggregator.catalogue,
    who,
    `flow-${Date.now()}-${run}`,
    daysAgo,
  );
  if (severity) value.envelope.severity = severity;
  await h.aggregator.report(department(departmentCode), [{ kind, value }]);
  return value;
}

interface Row {
  id: string;
  list_type: string;
  field: string | null;
  state: string;
  exit_reason: string | null;
  identity: string;
  generation: number;
  rule_id: string;
  valid_until: string | null;
}

async function entries(
  pool: pg.Pool,
  schema: string,
  codes: string[],
  accept: (rows: Row[]) => boolean = () => true,
) {
  const deadline = Date.now() + 20_000;
  let rows: Row[] = [];
  while (Date.now() < deadline) {
    rows = (
      await pool.query<Row>(
        `select id, list_type, field, state, exit_reason, identity, generation, rule_id, valid_until::text as valid_until
           from ${schema}.entries where subject_code = any($1::text[]) order by subject_code, identity, generation`,
        [codes],
      )
    ).rows;
    if (accept(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out; entries: ${JSON.stringify(rows)}`);
}

async function event(entryId: string, token: string, body: Record<string, unknown>) {
  const response = await h.lists.app.inject({
    method: 'POST',
    url: `/v1/entries/${entryId}/events`,
    headers: { authorization: `Bearer ${token}` },
    payload: body,
  });
  return response;
}

async function confirmAndPublish(entryId: string) {
  expect((await event(entryId, TOKENS.reviewer, { type: 'confirm', reason: '审核通过' })).statusCode).toBe(
    200,
  );
  expect((await event(entryId, TOKENS.reviewer, { type: 'publish', reason: '发布' })).statusCode).toBe(200);
}

const snapshot = (rows: Row[]) =>
  rows.map(({ list_type, field, state, exit_reason, identity }) => ({
    list_type,
    field,
    state,
    exit_reason,
    identity,
  }));

describe('rules over the unified database', () => {
  const subjects: string[] = [];

  it('serious breaches in 3 key fields: 3 watch proposals; once confirmed, the credit-warning list and the black list', async () => {
    const who = subject();
    subjects.push(who.code);
    await report('administrative-penalty', 'tax', who, 30, 'SERIOUS_DISHONESTY');
    await report('administrative-penalty', 'ecology-environment', who, 20, 'SERIOUS_DISHONESTY');
    await report('administrative-penalty', 'statistics', who, 10, 'SERIOUS_DISHONESTY');
    const watch = await entries(h.aggregator.pool, 'lists', [who.code], (rows) => rows.length === 3);
    expect(watch.map((row) => [row.list_type, row.field, row.state])).toEqual([
      ['key-attention', 'eco-environment', 'proposed'],
      ['key-attention', 'statistics', 'proposed'],
      ['key-attention', 'taxation', 'proposed'],
    ]);
    for (const row of watch) await confirmAndPublish(row.id);
    const all = await entries(h.aggregator.pool, 'lists', [who.code], (rows) => rows.length === 6);
    expect(all.find((row) => row.list_type === 'credit-warning')).toMatchObject({
      state: 'proposed',
      rule_id: 'derived-warning',
    });
    // The 2nd and 3rd breach fell within the first watch entry's validity (严重失信 during 重点关注 → 黑名单).
    expect(
      all.filter((row) => row.rule_id === 'escalation').map((row) => [row.list_type, row.state]),
    ).toEqual([
      ['joint-sanction', 'proposed'],
      ['joint-sanction', 'proposed'],
    ]);
  });

  it('a serious breach while watch-listed proposes the black list', async () => {
    const who = subject();
    subjects.push(who.code);
    await report('administrative-penalty', 'tax', who, 60, 'SERIOUS_DISHONESTY');
    const [watch] = await entries(h.aggregator.pool, 'lists', [who.code], (rows) => rows.length === 1);
    await confirmAndPublish(watch!.id);
    await report('administrative-penalty', 'tax', who, 5, 'SERIOUS_DISHONESTY');
    const rows = await entries(h.aggregator.pool, 'lists', [who.code], (r) =>
      r.some((x) => x.list_type === 'joint-sanction'),
    );
    expect(rows.find((x) => x.list_type === 'joint-sanction')).toMatchObject({
      state: 'proposed',
      rule_id: 'escalation',
    });
  });

  it('a natural person is notified before confirmation: confirming without notice is refused', async () => {
    const person = {
      code: makeResidentId({ division: '350102', birthDate: '1980-05-17', sequence: 123 + run }),
      name: '张某',
    };
    run += 1;
    const value = demoRecord(
      'administrative-penalty',
      department('tax'),
      h.aggregator.catalogue,
      { code: 'x', name: 'x' },
      `person-${Date.now()}`,
      15,
    );
    value.envelope.severity = 'SERIOUS_DISHONESTY';
    Object.assign(value.envelope.subject, {
      code: person.code,
      name: person.name,
      category: 'NATURAL_PERSON',
      codeType: 'RESIDENT_IDENTITY_CARD',
      legalRepresentative: null,
    });
    await h.aggregator.report(department('tax'), [{ kind: 'administrative-penalty', value }]);
    const tokens = await h.aggregator.waitFor<{ code: string }>(
      `select code from aggregator.subjects where category = 'NATURAL_PERSON' and name = '张某'`,
      (rows) => rows.length > 0,
    );
    const code = tokens[0]!.code;
    const [watch] = await entries(h.aggregator.pool, 'lists', [code], (rows) => rows.length === 1);
    const refused = await event(watch!.id, TOKENS.reviewer, { type: 'confirm', reason: '审核通过' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('LIST_NOTICE_REQUIRED');
    const taxDesignator = await event(watch!.id, TOKENS.tax, {
      type: 'notify',
      channel: 'notice',
      reason: '书面告知',
    });
    // The watch entry is designated by development-reform: the tax designator may not notify for it.
    expect(taxDesignator.statusCode).toBe(403);
  });

  it('a re-reported designation after a revocation designates again', async () => {
    const who = subject();
    subjects.push(who.code);
    const designation = await report('dishonest-judgment-debtor', 'intermediate-court', who, 4);
    await entries(h.aggregator.pool, 'lists', [who.code], (rows) => rows.length === 1);
    const revoke = structuredClone(designation);
    Object.assign(revoke.envelope, { version: 2, operation: 'REVOKE', changeReason: '撤销' });
    await h.aggregator.report(department('intermediate-court'), [
      { kind: 'dishonest-judgment-debtor', value: revoke },
    ]);
    await entries(h.aggregator.pool, 'lists', [who.code], (rows) => rows.some((r) => r.state === 'exited'));
    const again = structuredClone(designation);
    Object.assign(again.envelope, { version: 3, operation: 'UPSERT', changeReason: '撤销有误，恢复' });
    await h.aggregator.report(department('intermediate-court'), [
      { kind: 'dishonest-judgment-debtor', value: again },
    ]);
    const rows = await entries(
      h.aggregator.pool,
      'lists',
      [who.code],
      (r) => r.filter((x) => x.list_type === 'dishonest-judgment-debtor').length === 2,
    );
    const judgments = rows.filter((x) => x.list_type === 'dishonest-judgment-debtor');
    expect(judgments.map((x) => [x.generation, x.state])).toEqual([
      [1, 'exited'],
      [2, 'published'],
    ]);
    expect(new Set(judgments.map((x) => x.identity)).size).toBe(1);
  });

  it("a department's corrected designation amends the entry's validity; a future one waits for its first day", async () => {
    const who = subject();
    const designation = await report('list-designation', 'tax', who, 10);
    // The correction must find the first version's entry: were both versions in one batch, the aggregator would
    // keep only version 2, and the list service would see one designation, never an amendment.
    await entries(h.aggregator.pool, 'lists', [who.code], (rows) =>
      rows.some((row) => row.state === 'published'),
    );
    // Dates by the list service's clock, the one it judges validity by.
    const validTo = h.clock.daysFromToday(400);
    const validUntil = shiftDate(validTo, 1);
    Object.assign(designation, { validFrom: designation.envelope.decisionDate, validTo });
    designation.envelope.version = 2;
    designation.envelope.changeReason = '有效期更正';
    await h.aggregator.report(department('tax'), [{ kind: 'list-designation', value: designation }]);
    const [amended] = await entries(h.aggregator.pool, 'lists', [who.code], (rows) =>
      rows.some((row) => row.valid_until === validUntil),
    );
    expect(amended).toMatchObject({ list_type: 'major-tax-violation', state: 'published', generation: 1 });
    const events = await h.aggregator.pool.query<{ event: string }>(
      'select event from lists.transitions where entry_id = $1 order by seq',
      [amended!.id],
    );
    expect(events.rows.map((row) => row.event)).toEqual(['designate', 'confirm', 'publish', 'amend']);

    const later = subject();
    const future = demoRecord(
      'list-designation',
      department('tax'),
      h.aggregator.catalogue,
      later,
      `future-${Date.now()}`,
      1,
    );
    const starts = h.clock.daysFromToday(20);
    Object.assign(future, { validFrom: starts, validTo: null });
    await h.aggregator.report(department('tax'), [{ kind: 'list-designation', value: future }]);
    const [waiting] = await entries(h.aggregator.pool, 'lists', [later.code], (rows) => rows.length === 1);
    expect(waiting).toMatchObject({ state: 'confirmed' });
    const swept = await h.lists.sweep();
    expect(swept.transitions).toBe(0);
  });

  it('a subject whose evaluation fails for good is dead-lettered; the others in its batch go through', async () => {
    const poisoned = subject();
    const healthy = subject();
    const poisonedRecord = await report('dishonest-judgment-debtor', 'intermediate-court', poisoned, 6);
    await report('dishonest-judgment-debtor', 'intermediate-court', healthy, 5);
    await entries(h.aggregator.pool, 'lists', [poisoned.code, healthy.code], (rows) => rows.length === 2);
    const pool = createPool(h.aggregator.database.url, { max: 2, searchPath: 'lists_poison' });
    await migrate(pool, 'lists_poison', MIGRATIONS_DIR);
    const [deadLetters] = await createTestTopics(h.aggregator.bus, [
      { name: 'lists-poison-dlq', partitions: 1 },
    ]);
    // The record's own date, not one computed again from the real clock (which may have passed midnight since).
    const poisonDate = poisonedRecord.envelope.decisionDate;
    const context: ReconcileContext = {
      ...h.context,
      // A failure that would recur on every redelivery, for the poisoned subject's designation date only.
      workingDays: (from, to) => {
        if (from === poisonDate) throw ListRulesInvalid('test', 1, 'poison');
        return h.context.workingDays(from, to);
      },
    };
    const handler = createSubjectChangesHandler({
      pool,
      producer: h.aggregator.producer,
      context: () => context,
      deadLetterTopic: deadLetters!,
      service: 'list-designation',
      logger: testLogger,
      now: h.clock.now,
    });
    const message = (code: string, offset: number) => ({
      topic: 'credit.subject-changes',
      partition: 0,
      offset: String(offset),
      key: Buffer.from(code),
      value: Buffer.from(
        JSON.stringify({ schema: 'credit.subject-change/1', subjectCode: code, changes: [] }),
      ),
      headers: {},
      timestamp: Date.now(),
    });
    try {
      await handler(
        {
          topic: 'credit.subject-changes',
          partition: 0,
          highWatermark: '2',
          messages: [message(poisoned.code, 0), message(healthy.code, 1)],
        },
        { heartbeat: async () => {}, isRunning: () => true, isStale: () => false },
      );
      const stored = await pool.query<{ subject_code: string }>('select subject_code from entries');
      expect(stored.rows.map((row) => row.subject_code)).toEqual([healthy.code]);
      const [dead] = await h.aggregator.readTopic(deadLetters!, 1);
      expect(dead?.key?.toString()).toBe(poisoned.code);
      expect(dead?.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString()).toBe('LIST_EVALUATION_FAILED');
    } finally {
      await pool.end();
    }
  });

  it('replaying credit.subject-changes into an empty list store gives the same lists', async () => {
    const others: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const who = subject();
      others.push(who.code);
      await report('dishonest-judgment-debtor', 'intermediate-court', who, 3);
      await report('administrative-penalty', 'ecology-environment', who, 9, 'SERIOUS_DISHONESTY');
    }
    const live = await entries(h.aggregator.pool, 'lists', others, (rows) => rows.length === 6);
    await h.lists.relay.drain();

    const replayPool = createPool(h.aggregator.database.url, { max: 4, searchPath: 'lists_replay' });
    await migrate(replayPool, 'lists_replay', MIGRATIONS_DIR);
    const replay = await createListDesignation({
      logger: testLogger,
      pool: replayPool,
      bus: h.aggregator.bus,
      producer: h.aggregator.producer,
      context: h.context,
      clients: parseListApiClients(JSON.stringify([{ token: TOKENS.admin, actor: 'ops', roles: ['admin'] }])),
      metrics: createMetricsRegistry('replay', { defaults: false }),
      health: { shuttingDown: false },
      readiness: [],
      service: 'list-designation-replay',
      groupId: uniqueName('lists-replay'),
      subjectChangesTopic: h.aggregator.changesTopic,
      listChangesTopic: h.listChangesTopic,
      deadLetterTopic: h.deadLetterTopic,
      expirySweepMs: 3_600_000,
      timelyWorkingDays: 7,
      backfillOnRulesChange: false,
      // The live service's clock: both judge the same day.
      now: h.clock.now,
    });
    try {
      await replay.start();
      const replayed = await entries(
        replayPool,
        'lists_replay',
        others,
        (rows) => rows.length === live.length,
      );
      // Subjects no reviewer touched: the records alone decide their lists.
      expect(snapshot(replayed)).toEqual(snapshot(live));
    } finally {
      await replay.stop();
      await replayPool.end();
    }
  });

  it('a backfill re-evaluates every subject, resumes after a stop, and a rule change exits what no longer qualifies', async () => {
    const pool = createPool(h.aggregator.database.url, { max: 4, searchPath: 'lists_backfill' });
    await migrate(pool, 'lists_backfill', MIGRATIONS_DIR);
    try {
      const started = await startBackfill(pool, h.context.rules.version);
      let batches = 0;
      const stopped = await runBackfill(pool, started.id, () => h.context, h.clock.now, {
        batchSize: 3,
        shouldStop: () => batches >= 1,
        onBatch: () => {
          batches += 1;
        },
      });
      expect(stopped).toMatchObject({ status: 'running', subjects_done: '3' });
      const resumed = await startBackfill(pool, h.context.rules.version);
      expect(resumed.id).toBe(started.id);
      const done = await runBackfill(pool, started.id, () => h.context, h.clock.now, { batchSize: 3 });
      const total = await h.aggregator.pool.query<{ count: string }>(
        'select count(*) from aggregator.subjects',
      );
      expect(done).toMatchObject({ status: 'done', subjects_done: total.rows[0]!.count });
      const watchBefore = await pool.query<{ count: string }>(
        `select count(*) from entries where rule_id = 'key-field-breach' and state <> 'exited'`,
      );
      expect(Number(watchBefore.rows[0]!.count)).toBeGreaterThan(0);

      // Rules 2026.x-test drop the key-field watch criterion: a new backfill ends those entries as standard-changed.
      const changed: ReconcileContext = {
        ...h.context,
        rules: {
          ...h.context.rules,
          version: 'test-without-key-field',
          rules: h.context.rules.rules.filter((r) => r.type !== 'key-field-breach'),
        },
      };
      const second = await startBackfill(pool, changed.rules.version);
      await runBackfill(pool, second.id, () => changed, h.clock.now, { batchSize: 50 });
      const after = await pool.query<{ state: string; exit_reason: string | null }>(
        `select distinct state, exit_reason from entries where rule_id = 'key-field-breach'`,
      );
      expect(after.rows).toEqual([{ state: 'exited', exit_reason: 'standard-changed' }]);
    } finally {
      await pool.end();
    }
  });
});
