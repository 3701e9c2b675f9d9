import { makeResidentId, tokeniseResidentId } from '@credit/identifiers';
import {
  badDate,
  badResidentId,
  badTimestamp,
  badUscc,
  borderlineUscc,
  fuzzRuns,
  type HostileRequest,
  hostileString,
  mixedCjkText,
  type RouteSpec,
  refusalsStoreNothing,
} from '@credit/testing/hostile-http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_SCHEMA } from '../src/migrations.ts';
import {
  type QueryHarness,
  seedEntry,
  seedRecord,
  seedSubject,
  startQueryHarness,
  TOKEN_KEY,
  TOKENS,
} from './harness.ts';

let h: QueryHarness;
const COMPANY = '91350100M000100Y43';
const LEGACY = '350100100012345';
const PERSON_NUMBER = makeResidentId({ division: '350102', birthDate: '1980-01-01', sequence: 123 });
const PERSON = tokeniseResidentId(PERSON_NUMBER, TOKEN_KEY);
const PURPOSE = encodeURIComponent('政府采购 供应商资格审查 2026-118号');
let report: { reportNumber: string; verificationCode: string };
let checkId: string;

const inject = (request: HostileRequest) => h.queryApi.app.inject(request);

beforeAll(async () => {
  h = await startQueryHarness();
  await seedSubject(h.pool, {
    code: COMPANY,
    name: '福州闽江智联科技有限公司',
    formerNames: ['福州闽江电子有限公司'],
    legacyCodes: [{ code: LEGACY, codeType: 'REGISTRATION_NUMBER' }],
  });
  await seedRecord(h.pool, { subjectCode: COMPANY, id: 'open-penalty' });
  await seedEntry(h.pool, {
    id: 'black-1',
    subjectCode: COMPANY,
    listType: 'dishonest-judgment-debtor',
    colour: 'black',
  });
  await seedSubject(h.pool, { code: PERSON, name: '林建华', category: 'NATURAL_PERSON', divisionCode: null });
  await seedRecord(h.pool, { subjectCode: PERSON, id: 'person-debt', kind: 'dishonest-judgment-debtor' });
  const authorised = { authorization: `Bearer ${TOKENS.everything}`, 'x-credit-purpose': PURPOSE };
  const issued = await inject({
    method: 'POST',
    url: `/v1/authorised/subjects/${COMPANY}/reports`,
    headers: authorised,
  });
  report = issued.json();
  const checked = await inject({
    method: 'POST',
    url: '/v1/authorised/checks',
    headers: { ...authorised, 'content-type': 'application/json' },
    payload: JSON.stringify({ subjectCode: COMPANY, matterType: 'government-procurement' }),
  });
  checkId = checked.json().checkId;
  expect([issued.statusCode, checked.statusCode]).toEqual([201, 200]);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** Subject codes as callers send them: the company's, its old code, a person's number and token, written loosely. */
const subjectCode = fc.oneof(
  fc.constantFrom(COMPANY, LEGACY, PERSON, PERSON_NUMBER, COMPANY.toLowerCase(), ` ${COMPANY} `),
  borderlineUscc,
  badUscc,
  badResidentId,
);
/** Keyset cursors as the API issues them (base64url JSON arrays) holding hostile keys: bad dates, huge numbers, NUL. */
const cursor = fc
  .array(
    fc.oneof(badDate, badTimestamp, hostileString, fc.double(), fc.bigInt().map(String), fc.constant(null)),
    {
      maxLength: 3,
    },
  )
  .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url'));
const smallNumber = fc.integer({ min: 1, max: 60 }).map(String);
// Mostly the client with every scope, so that requests reach what is behind the scope check.
const tokens = [TOKENS.everything, TOKENS.everything, ...Object.values(TOKENS)].map(
  (token) => `Bearer ${token}`,
);
/** The purpose header (percent-encoded), sometimes asking for a PDF; hostile ones come from hostile-http. */
const purpose = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ 'x-credit-purpose': PURPOSE }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('application/pdf', 'application/json', '*/*', 'text/html')
      .map((accept) => ({ 'x-credit-purpose': PURPOSE, accept })),
  },
);

function routes(): RouteSpec[] {
  const authorised = { authorizations: tokens, headers: purpose };
  return [
    { method: 'GET', path: '/health/live' },
    { method: 'GET', path: '/health/ready' },
    { method: 'GET', path: '/metrics' },
    { method: 'GET', path: '/openapi.json' },
    { method: 'GET', path: '/' },
    {
      method: 'GET',
      path: '/:file',
      params: { file: fc.constantFrom('index.html', 'app.js', 'style.css', 'api.js') },
    },
    { method: 'GET', path: '/v1/public/subjects/:code', params: { code: subjectCode } },
    {
      method: 'GET',
      path: '/v1/public/search',
      query: {
        q: fc.oneof(fc.constantFrom('福州闽江', '智联科技', '有限公司', '闽江', 'ab'), mixedCjkText),
        page: smallNumber,
        pageSize: smallNumber,
      },
    },
    {
      method: 'GET',
      path: '/v1/public/lists',
      query: {
        colour: fc.constantFrom('red', 'black', 'watch', 'warning'),
        listType: fc.constantFrom('dishonest-judgment-debtor', 'joint-sanction'),
        department: fc.constantFrom('intermediate-court', 'market-regulation'),
        region: fc.constantFrom('35', '3501', '350102'),
        cursor: fc.oneof(
          fc.constantFrom(Buffer.from('["2026-01-10","black-1"]').toString('base64url')),
          cursor,
        ),
        limit: smallNumber,
      },
    },
    {
      method: 'GET',
      path: '/v1/public/changes',
      query: {
        cursor: fc.oneof(fc.constantFrom('WzBd', Buffer.from('[1e300]').toString('base64url')), cursor),
        since: fc.constantFrom('2026-01-01T00:00:00+08:00', '2026-12-01T00:00:00Z'),
        limit: smallNumber,
      },
    },
    {
      method: 'GET',
      path: '/v1/public/reports/:number/verification',
      params: { number: fc.constant(report.reportNumber) },
      query: { code: fc.constantFrom(report.verificationCode, report.verificationCode.toLowerCase()) },
    },
    { method: 'GET', path: '/v1/public/reference' },
    {
      method: 'GET',
      path: '/v1/authorised/subjects/:code/history',
      params: { code: subjectCode },
      ...authorised,
    },
    {
      method: 'POST',
      path: '/v1/authorised/subjects/:code/reports',
      params: { code: subjectCode },
      ...authorised,
    },
    {
      method: 'GET',
      path: '/v1/authorised/reports/:number',
      params: { number: fc.constant(report.reportNumber) },
      ...authorised,
    },
    {
      method: 'POST',
      path: '/v1/authorised/checks',
      body: fc.record({
        subjectCode,
        matterType: fc.constantFrom('government-procurement', 'no-such-matter'),
      }),
      ...authorised,
    },
    {
      method: 'POST',
      path: '/v1/authorised/checks/:id/decision',
      params: { id: fc.constant(checkId) },
      body: fc.record(
        {
          decision: fc.constantFrom('refused', 'approved'),
          measuresApplied: fc.array(fc.constantFrom('procurement-exclusion', 'x'), { maxLength: 2 }),
          note: fc.string({ maxLength: 20 }),
        },
        { requiredKeys: ['decision', 'measuresApplied'] },
      ),
      ...authorised,
    },
    {
      method: 'GET',
      path: '/v1/authorised/subjects/:code/audit',
      params: { code: subjectCode },
      query: { before: fc.constantFrom('1', '99999'), limit: smallNumber },
      ...authorised,
    },
  ];
}

/** What the query API and the sanctions service it calls write: reports, authorised audit rows, checks, decisions. */
async function stored(): Promise<number[]> {
  const { rows } = await h.pool.query<{ reports: number; audit: number; checks: number; decided: number }>(
    `select (select count(*)::int from ${QUERY_SCHEMA}.reports) as reports,
            (select count(*)::int from ${QUERY_SCHEMA}.audit_log where actor <> 'public') as audit,
            (select count(*)::int from sanctions.checks) as checks,
            (select count(decided_at)::int from sanctions.checks) as decided`,
  );
  const row = rows[0]!;
  return [row.reports, row.audit, row.checks, row.decided];
}

describe('the query API under hostile HTTP input', () => {
  it('answers every public and authorised route with a well-formed 4xx (or a 2xx), never a 5xx, and stores nothing it refused', async () => {
    await fc.assert(refusalsStoreNothing(h.queryApi.app, routes(), stored), { numRuns: fuzzRuns(3000) });
  });
});
