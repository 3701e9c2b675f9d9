import { verifyAuditChain } from '@credit/audit';
import { chinaToday } from '@credit/calendar';
import type { Department } from '@credit/catalogue';
import { inTransaction } from '@credit/db';
import { makeResidentId, tokeniseResidentId } from '@credit/identifiers';
import { contracts } from '@credit/intake';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import type { RecordKind, RecordKinds } from '@credit/schemas';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasePerson } from '../src/erasure.ts';
import { type Normalised, normaliseMessages } from '../src/normalise.ts';
import type { SubjectChangeEvent } from '../src/subject-change.ts';
import { upsertBatch } from '../src/upsert.ts';
import { type AggregatorHarness, naturalPersonRecord, startAggregatorHarness } from './aggregator-harness.ts';
import { testTrust } from './trust-context.ts';

let h: AggregatorHarness;
let court: Department;
let penalties: Department;
let run = 0;

beforeAll(async () => {
  h = await startAggregatorHarness({ start: false });
  court = sampleDepartment(h.catalogue, 'dishonest-judgment-debtor');
  penalties = sampleDepartment(h.catalogue, 'administrative-penalty');
  await h.ingestTopic(court.code);
  await h.ingestTopic(penalties.code);
  await h.aggregator.start();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A resident no other test uses: the number, its token, a name. */
function person() {
  run += 1;
  const number = makeResidentId({ division: '350102', birthDate: '1979-03-14', sequence: 400 + run });
  return { number, token: tokeniseResidentId(number, h.keys.tokenKey), name: `王${run}` };
}

/** A record about `who` as a natural person, with a record id unique to the test. */
function about<K extends RecordKind>(kind: K, department: Department, who: ReturnType<typeof person>) {
  run += 1;
  return naturalPersonRecord(h.catalogue, {
    kind,
    department,
    person: who,
    id: `erase-${Date.now()}-${run}`,
    daysAgo: 10,
  });
}

function withVersion<K extends RecordKind>(record: { kind: K; value: RecordKinds[K] }, version: number) {
  const value = structuredClone(record.value);
  Object.assign(value.envelope, { version, changeReason: version > 1 ? `第${version}版` : null });
  return { kind: record.kind, value };
}

/** A person with a court record and a penalty (the penalty in version 2), stored and summarised. */
async function storedPerson() {
  const who = person();
  const judgment = about('dishonest-judgment-debtor', court, who);
  const penalty = about('administrative-penalty', penalties, who);
  await h.report(court, [judgment]);
  await h.report(penalties, [penalty, withVersion(penalty, 2)]);
  await h.waitFor<{ n: string }>(
    `select count(*) as n from records where subject_code = '${who.token}' and version = case
       when source_record_id = '${penalty.value.envelope.sourceRecordId}' then 2 else 1 end`,
    (rows) => rows[0]?.n === '2',
  );
  await h.waitFor(
    `select 1 from subject_summaries where subject_code = '${who.token}'`,
    (r) => r.length === 1,
  );
  return { who, judgment, penalty };
}

/** The change events of `subject` published so far, once `accept` holds for them. */
async function changesFor(
  subject: string,
  accept: (events: SubjectChangeEvent[]) => boolean,
): Promise<SubjectChangeEvent[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const events = (await h.readTopic(h.changesTopic, 1, 15_000))
      .map((m) => JSON.parse(m.value!.toString()) as SubjectChangeEvent)
      .filter((e) => e.subjectCode === subject);
    if (accept(events) || Date.now() > deadline) return events;
  }
}

async function rowsAbout(token: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, column] of [
    ['subjects', 'code'],
    ['subject_names', 'subject_code'],
    ['legacy_codes', 'subject_code'],
    ['records', 'subject_code'],
    ['subject_summaries', 'subject_code'],
  ] as const) {
    const { rows } = await h.pool.query<{ n: number }>(
      `select count(*)::int as n from ${table} where ${column} = $1`,
      [token],
    );
    counts[table] = rows[0]!.n;
  }
  return counts;
}

async function ignoredSoFar(): Promise<number> {
  const response = await h.aggregator.app.inject({ method: 'GET', url: '/metrics' });
  const line = response.body.split('\n').find((l) => l.startsWith('credit_aggregator_records_ignored_total'));
  return Number(line?.split(' ')[1] ?? 0);
}

async function codeOf(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('erasing a natural person', () => {
  it('deletes every row about the person, leaves a tombstone and a chained audit row, and announces each record', async () => {
    const { who, judgment, penalty } = await storedPerson();
    expect((await rowsAbout(who.token)).records).toBe(2);

    const now = new Date();
    const erased = await erasePerson(h.pool, {
      subjectCode: who.token,
      basis: 'PIPL art. 47; request 2026-118',
      operator: 'ops-desk-li',
      now,
    });
    expect(erased).toMatchObject({
      subjectCode: who.token,
      erasedAt: now.toISOString(),
      records: 2,
      names: 1,
      legacyCodes: 0,
      events: 1,
    });
    expect(await rowsAbout(who.token)).toEqual({
      subjects: 0,
      subject_names: 0,
      legacy_codes: 0,
      records: 0,
      subject_summaries: 0,
    });

    const { rows: tombstones } = await h.pool.query(
      `select id::text, subject_code, erased_at, legal_basis, operator, records_erased, names_erased
         from erasures where subject_code = $1`,
      [who.token],
    );
    expect(tombstones).toEqual([
      {
        id: erased.tombstoneId,
        subject_code: who.token,
        erased_at: now,
        legal_basis: 'PIPL art. 47; request 2026-118',
        operator: 'ops-desk-li',
        records_erased: 2,
        names_erased: 1,
      },
    ]);
    const { rows: versions } = await h.pool.query(
      `select department, source_record_id, version::int from erased_records where erasure_id = $1
        order by department, source_record_id`,
      [erased.tombstoneId],
    );
    expect(versions).toEqual(
      [
        { department: court.code, source_record_id: judgment.value.envelope.sourceRecordId, version: 1 },
        { department: penalties.code, source_record_id: penalty.value.envelope.sourceRecordId, version: 2 },
      ].sort((a, b) => (a.department < b.department ? -1 : 1)),
    );

    const { rows: audit } = await h.pool.query(
      `select id::text, actor, purpose, subject_code, action, detail, detail::text as text
         from audit_log where id = $1`,
      [erased.auditId],
    );
    expect(audit[0]).toMatchObject({
      actor: 'ops-desk-li',
      purpose: 'PIPL art. 47; request 2026-118',
      subject_code: who.token,
      action: 'erase',
      detail: { tombstone: erased.tombstoneId, records: 2, names: 1, legacyCodes: 0, events: 1 },
    });
    expect(audit[0].text).not.toContain(who.number);
    expect(audit[0].text).not.toContain(who.name);
    expect(await verifyAuditChain(h.pool)).toMatchObject({ ok: true, head: { id: erased.auditId } });

    const events = await changesFor(who.token, (all) => all.some((e) => e.changes[0]?.change === 'erased'));
    const erasure = events.find((e) => e.changes[0]?.change === 'erased')!;
    expect(
      erasure.changes.map((c) => [c.change, c.department, c.sourceRecordId, c.version, c.status]).sort(),
    ).toEqual(
      [
        ['erased', court.code, judgment.value.envelope.sourceRecordId, 1, 'erased'],
        ['erased', penalties.code, penalty.value.envelope.sourceRecordId, 2, 'erased'],
      ].sort(),
    );
    expect(JSON.stringify(erasure)).not.toContain(who.number);
    expect(JSON.stringify(erasure)).not.toContain(who.name);
  });

  it('answers a second erasure with the date of the first, and an unknown subject as unknown', async () => {
    const { who } = await storedPerson();
    const first = await erasePerson(h.pool, {
      subjectCode: who.token,
      basis: 'PIPL art. 47',
      operator: 'ops',
      now: new Date(),
    });
    const again = await codeOf(
      erasePerson(h.pool, {
        subjectCode: who.token,
        basis: 'PIPL art. 47',
        operator: 'ops',
        now: new Date(),
      }),
    );
    expect(again.code).toBe('AGG_ERASE_ALREADY_ERASED');
    expect(again.message).toContain(first.erasedAt);
    expect(again.message).toContain(`tombstone ${first.tombstoneId}`);

    const stranger = person();
    const unknown = await codeOf(
      erasePerson(h.pool, {
        subjectCode: stranger.token,
        basis: 'PIPL art. 47',
        operator: 'ops',
        now: new Date(),
      }),
    );
    expect(unknown.code).toBe('AGG_ERASE_UNKNOWN_SUBJECT');
    // A number given where a token belongs is never echoed.
    const number = await codeOf(
      erasePerson(h.pool, {
        subjectCode: stranger.number,
        basis: 'PIPL art. 47',
        operator: 'ops',
        now: new Date(),
      }),
    );
    expect(number.code).toBe('AGG_ERASE_UNKNOWN_SUBJECT');
    expect(number.message).not.toContain(stranger.number);
    const { rows } = await h.pool.query('select 1 from erasures where subject_code = any($1)', [
      [stranger.token, stranger.number],
    ]);
    expect(rows).toHaveLength(0);
  });

  it('refuses to erase an organisation and changes nothing', async () => {
    run += 1;
    const company = demoSubjects(9000 + run)[8999 + run]!;
    const value = demoRecord(
      'administrative-penalty',
      penalties,
      h.catalogue,
      company,
      `erase-org-${run}`,
      10,
    );
    await h.report(penalties, [{ kind: 'administrative-penalty', value }]);
    await h.waitFor(
      `select 1 from subject_summaries where subject_code = '${company.code}'`,
      (r) => r.length === 1,
    );
    const before = await rowsAbout(company.code);

    const refused = await codeOf(
      erasePerson(h.pool, {
        subjectCode: company.code,
        basis: 'PIPL art. 47',
        operator: 'ops',
        now: new Date(),
      }),
    );
    expect(refused.code).toBe('AGG_ERASE_NOT_NATURAL_PERSON');
    expect(refused.message).toContain('enterprise');
    expect(await rowsAbout(company.code)).toEqual(before);
    const { rows } = await h.pool.query('select 1 from erasures where subject_code = $1', [company.code]);
    expect(rows).toHaveLength(0);
  });

  it('refuses a request without a legal basis or an operator', async () => {
    const { who } = await storedPerson();
    for (const request of [
      { basis: ' ', operator: 'ops' },
      { basis: 'PIPL art. 47', operator: '' },
    ]) {
      const refused = await codeOf(
        erasePerson(h.pool, { subjectCode: who.token, now: new Date(), ...request }),
      );
      expect(refused.code).toBe('AGG_ERASE_INVALID_REQUEST');
    }
    expect((await rowsAbout(who.token)).records).toBe(2);
  });
});

describe('the version guard after an erasure', () => {
  it('ignores a redelivered erased version (not an error, not dead-lettered) and takes a higher one as new data', async () => {
    const { who, judgment, penalty } = await storedPerson();
    await erasePerson(h.pool, {
      subjectCode: who.token,
      basis: 'PIPL art. 47',
      operator: 'ops',
      now: new Date(),
    });
    const ignoredBefore = await ignoredSoFar();
    const deadBefore = await h.pool.query('select count(*)::int as n from ingest_errors');

    // The erased versions again (a redelivery, a department resending), then the penalty's version 3 on the same
    // partition (same key): once version 3 is in, the copies before it were consumed.
    await h.report(court, [judgment]);
    await h.report(penalties, [penalty, withVersion(penalty, 2), withVersion(penalty, 3)]);
    const penaltyId = penalty.value.envelope.sourceRecordId;
    await h.waitFor<{ version: string }>(
      `select version from records where source_record_id = '${penaltyId}'`,
      (rows) => rows[0]?.version === '3',
    );
    // The judgment's copy, alone on its partition: it is counted ignored once consumed.
    const deadline = Date.now() + 15_000;
    while ((await ignoredSoFar()) - ignoredBefore < 3 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await ignoredSoFar()) - ignoredBefore).toBe(3);

    const { rows } = await h.pool.query<{ source_record_id: string; version: string }>(
      'select source_record_id, version from records where subject_code = $1',
      [who.token],
    );
    expect(rows).toEqual([{ source_record_id: penaltyId, version: '3' }]);
    const deadAfter = await h.pool.query('select count(*)::int as n from ingest_errors');
    expect(deadAfter.rows[0].n).toBe(deadBefore.rows[0].n);
    // Version 3 is new data: a new subject row, a new summary, announced as created.
    const { rows: subject } = await h.pool.query('select kind, name from subjects where code = $1', [
      who.token,
    ]);
    expect(subject).toEqual([{ kind: 'natural_person', name: who.name }]);
    const { rows: summary } = await h.pool.query(
      'select records_total from subject_summaries where subject_code = $1',
      [who.token],
    );
    expect(summary).toEqual([{ records_total: 1 }]);
    const events = await changesFor(who.token, (all) => all.at(-1)?.changes[0]?.version === 3);
    expect(events.at(-1)).toMatchObject({
      subjectCreated: true,
      changes: [{ change: 'created', sourceRecordId: penaltyId, version: 3, previousVersion: null }],
    });
  });

  it('accepts a new record about the same person reported after the erasure', async () => {
    const { who } = await storedPerson();
    await erasePerson(h.pool, {
      subjectCode: who.token,
      basis: 'PIPL art. 47',
      operator: 'ops',
      now: new Date(),
    });
    const later = about('dishonest-judgment-debtor', court, who);
    await h.report(court, [later]);
    await h.waitFor(
      `select 1 from records where subject_code = '${who.token}' and source_record_id = '${later.value.envelope.sourceRecordId}'`,
      (rows) => rows.length === 1,
    );
    const { rows } = await h.pool.query(
      'select records_total from subject_summaries where subject_code = $1',
      [who.token],
    );
    expect(rows).toEqual([{ records_total: 1 }]);
  });

  it('an erasure waits for a batch holding the person, then erases what it wrote; the batch counts it ignored after', async () => {
    const who = person();
    const first = about('dishonest-judgment-debtor', court, who);
    const second = about('dishonest-judgment-debtor', court, who);
    const [one, two] = await normalised([first, second]);
    await inTransaction(h.pool, (client) => upsertBatch(client, [one!], chinaToday(new Date())));

    // A batch in flight: it has locked the person and written the second record, not committed yet.
    const batch = await h.pool.connect();
    let erasure: Promise<unknown> | undefined;
    try {
      await batch.query('begin');
      expect((await upsertBatch(batch, [two!], chinaToday(new Date()))).applied).toBe(1);
      erasure = erasePerson(h.pool, {
        subjectCode: who.token,
        basis: 'PIPL art. 47',
        operator: 'ops',
        now: new Date(),
      });
      await waitUntilBlocked(h.pool);
      await batch.query('commit');
    } catch (error) {
      await batch.query('rollback');
      throw error;
    } finally {
      batch.release();
    }
    expect(await erasure).toMatchObject({ records: 2 });
    expect((await rowsAbout(who.token)).records).toBe(0);
    // The same versions once more, after the erasure: nothing is written.
    const again = await inTransaction(h.pool, (client) =>
      upsertBatch(client, [one!, two!], chinaToday(new Date())),
    );
    expect(again).toEqual({ applied: 0, ignored: 2, events: 0 });
    expect((await rowsAbout(who.token)).subjects).toBe(0);
  });
});

/** The records as the consumer would hand them to the writer. */
async function normalised(
  records: { kind: RecordKind; value: RecordKinds[RecordKind] }[],
): Promise<Normalised[]> {
  const trusted = await testTrust(h.catalogue, h.prefix);
  try {
    const results = await normaliseMessages(
      records.map((r, i) =>
        trusted.sent(r.kind, r.value, court, {
          topic: `${h.prefix}${court.code}`,
          partition: 0,
          offset: String(i),
          timestamp: Date.now(),
        }),
      ),
      {
        catalogue: h.catalogue,
        contracts: contracts(),
        keys: h.keys,
        trust: trusted.trust,
        topicPrefix: h.prefix,
        now: () => new Date(),
      },
    );
    return results.map((result) => {
      if (!result.ok) throw new Error(`refused: ${result.reason.message}`);
      return result;
    });
  } finally {
    trusted.close();
  }
}

/** Until some session of this database waits on a row lock (the erasure behind the batch's lock). */
async function waitUntilBlocked(pool: pg.Pool): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await pool.query(
      `select 1 from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%for update%'`,
    );
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the erasure never waited for the batch');
}
