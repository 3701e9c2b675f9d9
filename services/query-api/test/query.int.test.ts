import { verifyAuditChain } from '@credit/audit';
import { makeResidentId, maskResidentId, tokeniseResidentId } from '@credit/identifiers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_SCHEMA } from '../src/migrations.ts';
import {
  clock,
  type QueryHarness,
  seedEntry,
  seedRecord,
  seedSubject,
  startQueryHarness,
  TOKEN_KEY,
  TOKENS,
} from './harness.ts';

let h: QueryHarness;
/** The query API's today (the harness's clock), which windows and validities are judged against. */
const today = clock.today();
const daysFromToday = clock.daysFromToday;

const COMPANY = '91350100M000100Y43';
const LEGACY = '350100100012345';
const PERSON_NUMBER = makeResidentId({ division: '350102', birthDate: '1980-01-01', sequence: 123 });
const PERSON = tokeniseResidentId(PERSON_NUMBER, TOKEN_KEY);

const get = (url: string, headers: Record<string, string> = {}) =>
  h.queryApi.app.inject({ method: 'GET', url, headers });
const authorised = (token: string, purpose = '政府采购 供应商资格审查 2026-118号') => ({
  authorization: `Bearer ${token}`,
  'x-credit-purpose': encodeURIComponent(purpose),
});

beforeAll(async () => {
  h = await startQueryHarness();
  await seedSubject(h.pool, {
    code: COMPANY,
    name: '福州闽江智联科技有限公司',
    formerNames: ['福州闽江电子有限公司'],
    legacyCodes: [{ code: LEGACY, codeType: 'REGISTRATION_NUMBER' }],
  });
  const records: Parameters<typeof seedRecord>[1][] = [
    {
      subjectCode: COMPANY,
      id: 'open-penalty',
      fields: { decisionDocumentNumber: '榕市监罚〔2026〕0001号' },
    },
    { subjectCode: COMPANY, id: 'closed-penalty', window: { from: daysFromToday(-400), until: today } },
    { subjectCode: COMPANY, id: 'future-window', window: { from: daysFromToday(3), until: null } },
    { subjectCode: COMPANY, id: 'repaired-penalty', status: 'repaired' },
    { subjectCode: COMPANY, id: 'revoked-penalty', status: 'revoked' },
    { subjectCode: COMPANY, id: 'warning-only', severity: 'BASIC', window: 'never' },
    {
      subjectCode: COMPANY,
      id: 'corrected-licence',
      kind: 'administrative-licence',
      status: 'corrected',
      severity: 'BASIC',
      fields: { decisionDocumentNumber: '榕食许〔2026〕88号' },
    },
  ];
  for (const record of records) await seedRecord(h.pool, record);
  await seedEntry(h.pool, {
    id: 'black-1',
    subjectCode: COMPANY,
    listType: 'dishonest-judgment-debtor',
    colour: 'black',
  });
  await seedEntry(h.pool, {
    id: 'black-expired',
    subjectCode: COMPANY,
    listType: 'joint-sanction',
    colour: 'black',
    validUntil: today,
  });
  await seedEntry(h.pool, {
    id: 'black-proposed',
    subjectCode: COMPANY,
    listType: 'joint-sanction',
    colour: 'black',
    state: 'proposed',
  });

  await seedSubject(h.pool, {
    code: PERSON,
    name: '林建华',
    category: 'NATURAL_PERSON',
    displayCode: maskResidentId(PERSON_NUMBER),
    divisionCode: null,
  });
  await seedRecord(h.pool, {
    subjectCode: PERSON,
    id: 'person-debt',
    kind: 'dishonest-judgment-debtor',
    severity: 'SERIOUS_DISHONESTY',
  });
  await seedEntry(h.pool, {
    id: 'person-watch',
    subjectCode: PERSON,
    listType: 'key-attention',
    colour: 'watch',
    category: 'NATURAL_PERSON',
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('public profile', () => {
  it('shows only records whose disclosure window is open today, corrected ones included', async () => {
    const response = await get(`/v1/public/subjects/${COMPANY}`);
    expect(response.statusCode).toBe(200);
    const profile = response.json();
    expect(profile.subject).toMatchObject({
      code: COMPANY,
      name: '福州闽江智联科技有限公司',
      kindName: '企业',
    });
    expect(profile.subject.formerNames).toEqual(['福州闽江电子有限公司']);
    const ids = profile.records.map((r: { sourceRecordId: string }) => r.sourceRecordId).sort();
    expect(ids).toEqual(['corrected-licence', 'open-penalty']);
    expect(profile.recordsTotal).toBe(2);
    const penalty = profile.records.find(
      (r: { sourceRecordId: string }) => r.sourceRecordId === 'open-penalty',
    );
    expect(penalty.title).toContain('榕市监罚〔2026〕0001号');
    expect(penalty.kindName).toBe('行政处罚');
    expect(penalty.details.map((d: { label: string }) => d.label)).toContain('违法行为类型');
    expect(JSON.stringify(profile)).not.toContain('envelope');
  });

  it('lists only entries published and valid today', async () => {
    const profile = (await get(`/v1/public/subjects/${COMPANY}`)).json();
    expect(profile.lists.map((e: { entryId: string }) => e.entryId)).toEqual(['black-1']);
    expect(profile.lists[0]).toMatchObject({ listName: '失信被执行人名单', colour: 'black' });
  });

  it('redirects an old code to the canonical one', async () => {
    const response = await get(`/v1/public/subjects/${LEGACY}`);
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(`/v1/public/subjects/${COMPANY}`);
  });

  it('refuses a person lookup by identity number publicly, shows the person by token with the number masked', async () => {
    // A public number lookup would confirm a masked number's missing birth date by trial: authorised only.
    const refused = await get(`/v1/public/subjects/${PERSON_NUMBER}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('QUERY_PERSON_LOOKUP_AUTHORISED');
    expect(refused.body).not.toContain(PERSON_NUMBER);
    const profile = await get(`/v1/public/subjects/${PERSON}`);
    expect(profile.statusCode).toBe(200);
    expect(profile.body).not.toContain(PERSON_NUMBER);
    expect(profile.json().subject.displayCode).toBe(maskResidentId(PERSON_NUMBER));
    expect(profile.json().subject.displayCode).toMatch(/\*{8}/);
    // 重点关注 is selectively public: not for natural persons.
    expect(profile.json().lists).toEqual([]);
  });

  it('never quotes a malformed identity number back', async () => {
    const wrongCheck = `${PERSON_NUMBER.slice(0, 17)}${PERSON_NUMBER.endsWith('0') ? '1' : '0'}`;
    const response = await get(`/v1/public/subjects/${wrongCheck}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('QUERY_SUBJECT_NOT_FOUND');
    expect(response.body).not.toContain(wrongCheck);
    const check = await h.queryApi.app.inject({
      method: 'POST',
      url: '/v1/authorised/checks',
      headers: authorised(TOKENS.everything),
      payload: { subjectCode: wrongCheck, matterType: 'government-procurement' },
    });
    expect(check.statusCode).toBe(400);
    expect(check.json().error.code).toBe('QUERY_INVALID_CODE');
    expect(check.body).not.toContain(wrongCheck);
  });

  it('answers unknown and malformed codes with clear 4xx errors, no stack traces', async () => {
    const unknown = await get('/v1/public/subjects/91350100MA00000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('QUERY_SUBJECT_NOT_FOUND');
    const malformed = await get(`/v1/public/subjects/${encodeURIComponent('a b;--')}`);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('QUERY_INVALID_CODE');
    expect(malformed.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers 304 to a repeated request with the ETag it was given', async () => {
    const first = await get(`/v1/public/subjects/${COMPANY}`);
    expect(first.headers.etag).toBeTruthy();
    expect(first.headers['cache-control']).toContain('max-age');
    const again = await get(`/v1/public/subjects/${COMPANY}`, {
      'if-none-match': String(first.headers.etag),
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });
});

describe('authorised history and scopes', () => {
  it('refuses without a token, without the scope and without a purpose', async () => {
    const url = `/v1/authorised/subjects/${COMPANY}/history`;
    const none = await get(url);
    expect(none.statusCode).toBe(401);
    const wrongScope = await get(url, authorised(TOKENS.checker));
    expect(wrongScope.statusCode).toBe(403);
    expect(wrongScope.json().error.code).toBe('QUERY_SCOPE_MISSING');
    const noPurpose = await get(url, { authorization: `Bearer ${TOKENS.historyOnly}` });
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().error.code).toBe('QUERY_PURPOSE_REQUIRED');
  });

  it('finds a person by identity number for an authorised client, answering with the token only', async () => {
    const response = await get(
      `/v1/authorised/subjects/${PERSON_NUMBER}/history`,
      authorised(TOKENS.historyOnly),
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().subject.code).toBe(PERSON);
    expect(response.body).not.toContain(PERSON_NUMBER);
  });

  it('shows every record with its disclosure class, and audits the call with who, why and what', async () => {
    const purpose = '保障性住房 资格审核 2026-77';
    const response = await get(
      `/v1/authorised/subjects/${LEGACY}/history`,
      authorised(TOKENS.historyOnly, purpose),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const history = response.json();
    const disclosure = Object.fromEntries(
      history.records.map((r: { sourceRecordId: string; disclosure: string }) => [
        r.sourceRecordId,
        r.disclosure,
      ]),
    );
    expect(disclosure).toEqual({
      'open-penalty': 'public',
      'corrected-licence': 'public',
      'closed-penalty': 'closed',
      'future-window': 'closed',
      'repaired-penalty': 'closed',
      'revoked-penalty': 'closed',
      'warning-only': 'authorised',
    });
    expect(history.lists.map((e: { entryId: string }) => e.entryId).sort()).toEqual([
      'black-1',
      'black-expired',
      'black-proposed',
    ]);
    const rows = await h.pool.query(
      `select actor, purpose, subject_code, action, detail from ${QUERY_SCHEMA}.audit_log
        where action = 'history' and subject_code = $1`,
      [COMPANY],
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]).toMatchObject({ actor: 'housing-approvals', purpose, subject_code: COMPANY });
    expect(rows.rows[0].detail.records).toBe(7);
  });
});

describe('search', () => {
  beforeAll(async () => {
    const companies: [string, string, string[]?][] = [
      ['91350100MA2Y000011', '福州智联物流有限公司'],
      ['91350100MA2Y000022', '智联科技'],
      ['91350100MA2Y000033', '厦门智联科技有限公司'],
      ['91350100MA2Y000044', '福州市鼓楼区示例食品有限公司', ['福州市示例食品厂']],
      ['91350100MA2Y000055', '福建省建工集团有限责任公司'],
    ];
    for (const [code, name, formerNames] of companies) {
      await seedSubject(h.pool, { code, name, ...(formerNames ? { formerNames } : {}) });
    }
  });

  const search = async (q: string, extra = '') => {
    const response = await get(`/v1/public/search?q=${encodeURIComponent(q)}${extra}`);
    expect(response.statusCode).toBe(200);
    return response.json() as {
      hasMore: boolean;
      results: { code: string; name: string; match: string; matchedName: string }[];
    };
  };

  it('ranks the exact name first, then names starting with it, then names containing it, shorter first', async () => {
    const { results } = await search('智联科技');
    expect(results.map((r) => r.name)).toEqual([
      '智联科技',
      '厦门智联科技有限公司',
      '福州闽江智联科技有限公司',
    ]);
    expect(results.map((r) => r.match)).toEqual(['exact', 'contains', 'contains']);
  });

  it('finds a company by a former name and says which name matched', async () => {
    const { results } = await search('示例食品厂');
    expect(results[0]).toMatchObject({ code: '91350100MA2Y000044', matchedName: '福州市示例食品厂' });
  });

  it('finds a name with one wrong character (fuzzy)', async () => {
    const { results } = await search('福州闽江智连科技有限公司');
    expect(results[0]?.code).toBe(COMPANY);
    expect(results[0]?.match).toBe('similar');
  });

  it('never finds natural persons by name', async () => {
    const { results } = await search('林建华');
    expect(results).toEqual([]);
  });

  it('pages in a stable order', async () => {
    const all = await search('有限公司', '&pageSize=50');
    const first = await search('有限公司', '&pageSize=2&page=1');
    const second = await search('有限公司', '&pageSize=2&page=2');
    expect(first.hasMore).toBe(true);
    expect([...first.results, ...second.results].map((r) => r.code)).toEqual(
      all.results.slice(0, 4).map((r) => r.code),
    );
  });

  it('finds names containing a two-character word (the bigram index)', async () => {
    const { results } = await search('智联');
    expect(results.map((r) => r.name)).toEqual([
      '智联科技',
      // Same length: name order.
      '厦门智联科技有限公司',
      '福州智联物流有限公司',
      '福州闽江智联科技有限公司',
    ]);
    expect(results.map((r) => r.match)).toEqual(['prefix', 'contains', 'contains', 'contains']);
  });

  it('refuses a one-character query', async () => {
    const response = await get(`/v1/public/search?q=${encodeURIComponent('福')}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('QUERY_INVALID_SEARCH');
  });
});

describe('lists', () => {
  it('browses published entries by colour, region and department, with cursors', async () => {
    for (let i = 0; i < 3; i += 1) {
      const code = `91350200MA2Z00000${i}`;
      await seedSubject(h.pool, { code, name: `厦门测试红名单企业${i}`, divisionCode: '350203' });
      await seedEntry(h.pool, {
        id: `red-${i}`,
        subjectCode: code,
        listType: 'a-level-taxpayer',
        colour: 'red',
        department: 'tax',
        // Newest last: red-2 was designated most recently.
        validFrom: daysFromToday(30 * i - 90),
      });
    }
    const page1 = (await get('/v1/public/lists?colour=red&region=3502&limit=2')).json();
    expect(page1.entries.map((e: { entryId: string }) => e.entryId)).toEqual(['red-2', 'red-1']);
    expect(page1.entries[0].subject.name).toBe('厦门测试红名单企业2');
    const page2 = (
      await get(`/v1/public/lists?colour=red&region=3502&limit=2&cursor=${page1.nextCursor}`)
    ).json();
    expect(page2.entries.map((e: { entryId: string }) => e.entryId)).toEqual(['red-0']);
    expect(page2.nextCursor).toBeNull();
    const black = (await get('/v1/public/lists?colour=black&department=intermediate-court')).json();
    expect(black.entries.map((e: { entryId: string }) => e.entryId)).toEqual(['black-1']);
    const watch = (await get('/v1/public/lists?colour=watch')).json();
    expect(watch.entries).toEqual([]);
    const badCursor = await get('/v1/public/lists?cursor=not-a-cursor');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.code).toBe('QUERY_INVALID_CURSOR');
  });
});

describe('audit', () => {
  it('counts public lookups per subject and shows a subject who looked at it', async () => {
    await get(`/v1/public/subjects/${COMPANY}`);
    await h.queryApi.audit.flush();
    const response = await get(
      `/v1/authorised/subjects/${COMPANY}/audit`,
      authorised(TOKENS.everything, '信用主体查询记录申请 2026-5'),
    );
    expect(response.statusCode).toBe(200);
    const queries = response.json().queries as {
      actor: string;
      action: string;
      purpose: string | null;
      detail: { count?: number };
    }[];
    const publicProfile = queries.find((q) => q.actor === 'public' && q.action === 'profile');
    expect(publicProfile?.detail.count).toBeGreaterThanOrEqual(1);
    expect(
      queries.some((q) => q.actor === 'housing-approvals' && q.purpose === '保障性住房 资格审核 2026-77'),
    ).toBe(true);
  });

  it('keeps an intact chain, and the verifier finds a row edited behind its back', async () => {
    const before = await verifyAuditChain(h.pool, { schema: QUERY_SCHEMA });
    expect(before.ok).toBe(true);
    const target = await h.pool.query<{ id: string }>(
      `select id::text from ${QUERY_SCHEMA}.audit_log where action = 'history' limit 1`,
    );
    const id = target.rows[0]!.id;
    const edit = `update ${QUERY_SCHEMA}.audit_log set purpose = 'nothing to see' where id = ${id}`;
    await expect(h.pool.query(edit)).rejects.toThrow(/append-only/);
    await h.pool.query(`alter table ${QUERY_SCHEMA}.audit_log disable trigger audit_log_append_only`);
    await h.pool.query(edit);
    await h.pool.query(`alter table ${QUERY_SCHEMA}.audit_log enable trigger audit_log_append_only`);
    const after = await verifyAuditChain(h.pool, { schema: QUERY_SCHEMA });
    expect(after).toMatchObject({ ok: false, brokenAt: id, reason: 'hash-mismatch' });
  });
});
