import { DEAD_LETTER_HEADERS } from '@credit/kit';
import { listChange } from '@credit/list-designation/list-change';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QUERY_SCHEMA } from '../src/migrations.ts';
import {
  clock,
  type QueryHarness,
  seedEntry,
  seedRecord,
  seedSubject,
  startQueryHarness,
  TOKENS,
} from './harness.ts';

let h: QueryHarness;
const COMPANY = '91350100M000100Y43';
const headers = (token: string, purpose = '政府采购 供应商资格审查 2026-118号') => ({
  authorization: `Bearer ${token}`,
  'x-credit-purpose': encodeURIComponent(purpose),
});

beforeAll(async () => {
  h = await startQueryHarness();
  await seedSubject(h.pool, { code: COMPANY, name: '福州闽江智联科技有限公司' });
  await seedRecord(h.pool, {
    subjectCode: COMPANY,
    id: 'p-1',
    fields: { decisionDocumentNumber: '榕市监罚〔2026〕0001号' },
  });
  await seedRecord(h.pool, { subjectCode: COMPANY, id: 'p-hidden', severity: 'BASIC', window: 'never' });
  await seedEntry(h.pool, {
    id: 'black-1',
    subjectCode: COMPANY,
    listType: 'dishonest-judgment-debtor',
    colour: 'black',
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

async function until<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    value = await read();
  }
  return value;
}

describe('credit reports', () => {
  it('issues a numbered report anyone can verify by its code, as JSON and as PDF', async () => {
    const issued = await h.queryApi.app.inject({
      method: 'POST',
      url: `/v1/authorised/subjects/${COMPANY}/reports`,
      headers: headers(TOKENS.everything, '招标投标 资格预审'),
    });
    expect(issued.statusCode).toBe(201);
    const report = issued.json();
    expect(report.reportNumber).toMatch(/^XYBG-\d{8}-\d{10}$/);
    expect(report.verificationCode).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    expect(report.contentHash.slice(0, 4).toUpperCase()).toBe(report.verificationCode.slice(0, 4));
    expect(report.content.records.map((r: { sourceRecordId: string }) => r.sourceRecordId).sort()).toEqual([
      'p-1',
      'p-hidden',
    ]);
    expect(report.content.listEntries.map((e: { listName: string }) => e.listName)).toEqual([
      '失信被执行人名单',
    ]);

    const verified = await h.queryApi.app.inject({
      method: 'GET',
      url: `/v1/public/reports/${report.reportNumber}/verification?code=${report.verificationCode.toLowerCase()}`,
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({
      valid: true,
      contentHash: report.contentHash,
      subject: { name: '福州闽江智联科技有限公司' },
      summary: { listEntriesInForce: 1 },
    });

    const wrongCode = await h.queryApi.app.inject({
      method: 'GET',
      url: `/v1/public/reports/${report.reportNumber}/verification?code=0000-0000-0000-0000`,
    });
    expect(wrongCode.statusCode).toBe(404);
    expect(wrongCode.json().error.code).toBe('QUERY_REPORT_NOT_FOUND');

    const pdf = await h.queryApi.app.inject({
      method: 'GET',
      url: `/v1/authorised/reports/${report.reportNumber}`,
      headers: { ...headers(TOKENS.everything), accept: 'application/pdf' },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const otherClient = await h.queryApi.app.inject({
      method: 'GET',
      url: `/v1/authorised/reports/${report.reportNumber}`,
      headers: headers(TOKENS.historyOnly),
    });
    expect(otherClient.statusCode).toBe(403);
  });

  it('says a report whose stored content was altered is not valid', async () => {
    const report = (
      await h.queryApi.app.inject({
        method: 'POST',
        url: `/v1/authorised/subjects/${COMPANY}/reports`,
        headers: headers(TOKENS.everything),
      })
    ).json();
    await h.pool.query(
      `update ${QUERY_SCHEMA}.reports set report = jsonb_set(report, '{content,summary,listEntriesInForce}', '0')
        where report_number = $1`,
      [report.reportNumber],
    );
    const verified = await h.queryApi.app.inject({
      method: 'GET',
      url: `/v1/public/reports/${report.reportNumber}/verification?code=${report.verificationCode}`,
    });
    expect(verified.json().valid).toBe(false);
  });
});

describe('the check, passed through to the sanctions service', () => {
  it('answers with the entries and measures, audits it, and takes the decision from the client that checked', async () => {
    const at = new Date();
    const row = {
      id: 'black-check',
      subject_code: COMPANY,
      subject_category: 'LEGAL_ENTITY' as const,
      list_type: 'dishonest-judgment-debtor',
      colour: 'black' as const,
      field: null,
      state: 'published' as const,
      exit_reason: null,
      notice_channel: null,
      source: 'department' as const,
      rule_id: 'department-designation',
      rules_version: '2026.1',
      identity: 'department:test:black-check',
      generation: 1,
      designating_department: 'intermediate-court',
      // In force by the sanctions service's clock, which answers the check.
      designated_on: clock.daysFromToday(-330),
      valid_from: clock.daysFromToday(-330),
      valid_until: null,
      repairable: false,
      repairable_from: null,
      basis: [],
      basis_entries: [],
      explanation: 'test',
      reached_platform_at: null,
      working_days_to_platform: null,
    };
    const change = listChange(row as never, 1, {
      event: 'designate' as never,
      from: null,
      actor: { id: 'intermediate-court', role: 'designator' },
      reason: 'court designation',
      at,
    });
    await h.producer.send(h.topics.listChanges, [{ key: COMPANY, value: JSON.stringify(change) }]);

    const check = () =>
      h.queryApi.app.inject({
        method: 'POST',
        url: '/v1/authorised/checks',
        headers: headers(TOKENS.checker),
        payload: { subjectCode: COMPANY, matterType: 'government-procurement' },
      });
    const answered = await until(check, (r) => r.statusCode === 200 && r.json().entries.length > 0);
    const answer = answered.json();
    expect(answer.entries[0].entryId).toBe('black-check');
    expect(answer.measures.length).toBeGreaterThan(0);

    const audited = await h.pool.query(
      `select actor, purpose, subject_code, detail from ${QUERY_SCHEMA}.audit_log
        where action = 'check' and detail ->> 'checkId' = $1`,
      [answer.checkId],
    );
    expect(audited.rows[0]).toMatchObject({ actor: 'procurement-portal', subject_code: COMPANY });
    expect(audited.rows[0].detail.entries).toEqual(['black-check']);
    // The sanctions service keeps who really asked, and for which department (its statistics count per department).
    const logged = await h.pool.query(
      'select caller, caller_department from sanctions.checks where id = $1',
      [answer.checkId],
    );
    expect(logged.rows[0]).toEqual({ caller: 'query-api/procurement-portal', caller_department: 'finance' });

    const decision = { decision: 'refused', measuresApplied: [answer.measures[0].code] };
    const byOther = await h.queryApi.app.inject({
      method: 'POST',
      url: `/v1/authorised/checks/${answer.checkId}/decision`,
      headers: headers(TOKENS.otherChecker),
      payload: decision,
    });
    expect(byOther.statusCode).toBe(404);
    const bySame = await h.queryApi.app.inject({
      method: 'POST',
      url: `/v1/authorised/checks/${answer.checkId}/decision`,
      headers: headers(TOKENS.checker),
      payload: decision,
    });
    expect(bySame.statusCode).toBe(200);
    const twice = await h.queryApi.app.inject({
      method: 'POST',
      url: `/v1/authorised/checks/${answer.checkId}/decision`,
      headers: headers(TOKENS.checker),
      payload: decision,
    });
    expect(twice.statusCode).toBe(409);
  });

  it('passes the sanctions service’s refusal of an unknown matter through as a 400', async () => {
    const response = await h.queryApi.app.inject({
      method: 'POST',
      url: '/v1/authorised/checks',
      headers: headers(TOKENS.checker),
      payload: { subjectCode: COMPANY, matterType: 'no-such-matter' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('SANCTIONS_UNKNOWN_MATTER');
  });
});

describe('change feed', () => {
  it('follows subject and list changes once each, pages by cursor, and dead-letters what it cannot read', async () => {
    const subjectChange = (eventId: string, kind: string) => ({
      schema: 'credit.subject-change/1',
      eventId,
      subjectCode: COMPANY,
      subjectCreated: false,
      changes: [
        {
          change: 'created',
          department: 'market-regulation',
          sourceRecordId: eventId,
          kind,
          severity: kind === 'honour' ? 'POSITIVE' : 'GENERAL_DISHONESTY',
          version: 1,
        },
      ],
      at: new Date().toISOString(),
    });
    const start = (
      await h.queryApi.app.inject({ method: 'GET', url: '/v1/public/changes?since=2000-01-01T00:00:00Z' })
    ).json();
    const send = (value: unknown, key = COMPANY) =>
      h.producer.send(h.topics.subjectChanges, [
        { key, value: typeof value === 'string' ? value : JSON.stringify(value) },
      ]);
    await send(subjectChange('feed-1', 'administrative-penalty'));
    await send(subjectChange('feed-1', 'administrative-penalty'));
    await send(subjectChange('feed-2', 'honour'));
    await send({
      ...subjectChange('feed-warning', 'administrative-penalty'),
      changes: [{ change: 'created', kind: 'administrative-penalty', severity: 'BASIC' }],
    });
    await send('{not json');

    // The malformed message is last on the partition the others share (same key): once it is dead-lettered, every
    // message before it was handled, and what should not be in the feed can be looked for.
    const { readTopic } = await import('@credit/aggregator/testing');
    await vi.waitFor(
      async () => {
        const dead = await readTopic(h.bus, h.topics.deadLetters, 1, 20_000);
        const reasons = dead.map((m) => m.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString());
        expect(reasons).toContain('QUERY_FEED_NOT_JSON');
      },
      { timeout: 30_000, interval: 200 },
    );

    const read = (cursor: string, limit = '') =>
      h.queryApi.app.inject({ method: 'GET', url: `/v1/public/changes?cursor=${cursor}${limit}` });
    const first = await read(start.nextCursor, '&limit=1');
    expect(first.json().changes).toHaveLength(1);
    expect(first.json().changes[0]).toMatchObject({ subjectCode: COMPANY, source: 'records' });
    const rest = await read(first.json().nextCursor);
    const kinds = [first.json(), rest.json()].flatMap((page) =>
      page.changes
        .filter((c: { source: string }) => c.source === 'records')
        .map((c: { summary: { changes: { kind: string }[] } }) => c.summary.changes[0]!.kind),
    );
    expect(kinds).toEqual(['administrative-penalty', 'honour']);
    const warning = await h.pool.query(
      `select count(*)::int as n from ${QUERY_SCHEMA}.changes where event_id = 'feed-warning'`,
    );
    expect(warning.rows[0].n).toBe(0);
    const stored = await h.pool.query(
      `select count(*)::int as n from ${QUERY_SCHEMA}.changes where event_id = 'feed-1'`,
    );
    expect(stored.rows[0].n).toBe(1);
  });
});

describe('change feed and list entries', () => {
  it('announces an entry when it is published, not while it is proposed', async () => {
    const event = (seq: number, fromState: string | null, toState: string) => ({
      schema: 'credit.list-change/1',
      eventId: `feed-entry:${seq}`,
      subjectCode: COMPANY,
      subjectCategory: 'LEGAL_ENTITY',
      entryId: 'feed-entry',
      listType: 'joint-sanction',
      colour: 'black',
      event: toState === 'proposed' ? 'designate' : 'publish',
      fromState,
      toState,
      at: new Date().toISOString(),
    });
    await h.producer.send(h.topics.listChanges, [
      { key: COMPANY, value: JSON.stringify(event(1, null, 'proposed')) },
      { key: COMPANY, value: JSON.stringify(event(2, 'proposed', 'confirmed')) },
      { key: COMPANY, value: JSON.stringify(event(3, 'confirmed', 'published')) },
    ]);
    // The publication is the last of the three on their partition: once it is in, the two before it were handled.
    const rows = await until(
      () =>
        h.pool.query<{ event_id: string }>(
          `select event_id from ${QUERY_SCHEMA}.changes where event_id like 'list:feed-entry:%' order by seq`,
        ),
      (result) => result.rows.some((row) => row.event_id === 'list:feed-entry:3'),
    );
    expect(rows.rows.map((r) => r.event_id)).toEqual(['list:feed-entry:3']);
  });
});

describe('change feed and erasure', () => {
  it('publishes nothing about an erased person and takes their earlier rows out; later data shows again', async () => {
    const PERSON = 'p_feedtestaaaaaaaaaaaaaaaaa';
    const SEVERITY: Record<string, string> = {
      'administrative-penalty': 'GENERAL_DISHONESTY',
      'dishonest-judgment-debtor': 'SERIOUS_DISHONESTY',
      honour: 'POSITIVE',
    };
    const change = (n: number, kind: string, what = 'created') => ({
      key: PERSON,
      value: JSON.stringify({
        schema: 'credit.subject-change/1',
        eventId: `${PERSON}:${n}`,
        subjectCode: PERSON,
        subjectCreated: n === 1,
        changes: [
          {
            change: what,
            department: 'intermediate-court',
            sourceRecordId: `feed-erase-${n}`,
            kind,
            severity: SEVERITY[kind],
            version: 1,
            status: what === 'erased' ? 'erased' : 'active',
          },
        ],
        at: new Date().toISOString(),
      }),
    });
    const entry = (
      seq: number,
      fromState: string,
      toState: string,
      event: string,
      exitReason: string | null,
    ) => ({
      key: PERSON,
      value: JSON.stringify({
        schema: 'credit.list-change/1',
        eventId: `feed-erased-entry:${seq}`,
        subjectCode: PERSON,
        subjectCategory: 'NATURAL_PERSON',
        entryId: 'feed-erased-entry',
        listType: 'dishonest-judgment-debtor',
        colour: 'black',
        event,
        fromState,
        toState,
        exitReason,
        at: new Date().toISOString(),
      }),
    });
    const rowsOf = () =>
      h.pool.query<{ event_id: string; summary: { changes?: { change: string }[] } }>(
        `select event_id, summary from ${QUERY_SCHEMA}.changes where subject_code = $1 order by seq`,
        [PERSON],
      );
    await h.producer.send(h.topics.subjectChanges, [change(1, 'administrative-penalty')]);
    await h.producer.send(h.topics.listChanges, [entry(1, 'confirmed', 'published', 'publish', null)]);
    expect((await until(rowsOf, (result) => result.rows.length === 2)).rows).toHaveLength(2);

    // The erasure: the record changes up to it and the entry it ended leave the feed; nothing says why.
    await h.producer.send(h.topics.subjectChanges, [change(2, 'administrative-penalty', 'erased')]);
    await h.producer.send(h.topics.listChanges, [entry(2, 'published', 'exited', 'erase', 'erased')]);
    expect((await until(rowsOf, (result) => result.rows.length === 0)).rows).toEqual([]);

    // New data about the person after the erasure is shown; the erasure delivered again leaves it there.
    await h.producer.send(h.topics.subjectChanges, [change(3, 'dishonest-judgment-debtor')]);
    expect((await until(rowsOf, (result) => result.rows.length === 1)).rows).toHaveLength(1);
    await h.producer.send(h.topics.subjectChanges, [
      change(2, 'administrative-penalty', 'erased'),
      // A marker after it on the same partition: once it is in, the redelivered erasure was handled.
      change(4, 'honour', 'created'),
    ]);
    const after = await until(rowsOf, (result) => result.rows.length === 2);
    expect(after.rows.map((row) => row.event_id)).toEqual([`${PERSON}:3`, `${PERSON}:4`]);
    expect(after.rows.flatMap((row) => row.summary.changes?.map((c) => c.change))).toEqual([
      'created',
      'created',
    ]);
  });
});

describe('change feed order', () => {
  it('pages in numeric seq order past ten rows (not as text)', async () => {
    const sends = Array.from({ length: 12 }, (_, i) => ({
      key: COMPANY,
      value: JSON.stringify({
        schema: 'credit.subject-change/1',
        eventId: `order-${i}`,
        subjectCode: COMPANY,
        subjectCreated: false,
        changes: [{ change: 'created', kind: 'honour', severity: 'POSITIVE' }],
        at: new Date().toISOString(),
      }),
    }));
    await h.producer.send(h.topics.subjectChanges, sends);
    const page = await until(
      () =>
        h.queryApi.app.inject({
          method: 'GET',
          url: '/v1/public/changes?since=2000-01-01T00:00:00Z&limit=1000',
        }),
      (r) => r.json().changes.length >= 12,
    );
    const seqs = page.json().changes.map((c: { seq: string }) => Number(c.seq));
    expect(seqs.length).toBeGreaterThanOrEqual(12);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});

describe('OpenAPI', () => {
  it('documents the public and authorised routes', async () => {
    const doc = (await h.queryApi.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/public/subjects/{code}',
        '/v1/public/search',
        '/v1/public/lists',
        '/v1/public/changes',
        '/v1/authorised/subjects/{code}/history',
        '/v1/authorised/checks',
      ]),
    );
  });
});
