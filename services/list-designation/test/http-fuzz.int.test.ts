import type { Department } from '@credit/catalogue';
import { demoRecord, demoSubjects } from '@credit/sample-data';

type Subject = ReturnType<typeof demoSubjects>[number];

import type { RecordKind } from '@credit/schemas';
import {
  ask,
  badDate,
  badResidentId,
  badUscc,
  borderlineUscc,
  expectWellFormed,
  fuzzRuns,
  type HostileRequest,
  mixedCjkText,
  type RouteSpec,
  refusalsStoreNothing,
} from '@credit/testing/hostile-http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../src/lifecycle.ts';
import { type EntryView, type ListHarness, startListHarness, TOKENS } from './list-harness.ts';

let h: ListHarness;
const [who, other] = demoSubjects(9102).slice(9100) as [Subject, Subject];
/** The subjects' entries: black and published, red and superseded, red and proposed. */
let entries: EntryView[];
let backfillId: string;

function department(code: string): Department {
  const found = h.aggregator.catalogue.department(code);
  if (!found) throw new Error(`no department ${code}`);
  return found;
}

async function report(
  subject: Subject,
  kind: RecordKind,
  departmentCode: string,
  daysAgo: number,
  level?: string,
) {
  const value = demoRecord(
    kind,
    department(departmentCode),
    h.aggregator.catalogue,
    subject,
    `fuzz-${kind}-${subject.code}-${Date.now()}`,
    daysAgo,
  );
  if (level) Object.assign(value, { level });
  await h.aggregator.report(department(departmentCode), [{ kind, value }]);
}

beforeAll(async () => {
  h = await startListHarness();
  for (const code of ['tax', 'intermediate-court']) await h.aggregator.ingestTopic(code);
  await h.followed(['tax', 'intermediate-court']);
  await report(who, 'credit-grade', 'tax', 30, 'A');
  await h.entriesOf(who.code, (found) => found.some((entry) => entry.listType === 'a-level-taxpayer'));
  // The court's judgment puts the subject on the black list and supersedes its red entry; the other subject's red
  // entry stays proposed, for the reviewer's events.
  await report(who, 'dishonest-judgment-debtor', 'intermediate-court', 2);
  await report(other, 'credit-grade', 'tax', 30, 'A');
  entries = [
    ...(await h.entriesOf(who.code, (found) => found.some((entry) => entry.colour === 'black'))),
    ...(await h.entriesOf(other.code, (found) => found.length > 0)),
  ];
  const started = await h.lists.app.inject({
    method: 'POST',
    url: '/v1/backfills',
    headers: { authorization: `Bearer ${TOKENS.admin}` },
  });
  backfillId = started.json().id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const bearer = (...tokens: string[]) => tokens.map((token) => `Bearer ${token}`);
const everyone = bearer(
  TOKENS.reviewer,
  TOKENS.reviewer,
  TOKENS.court,
  TOKENS.tax,
  TOKENS.objections,
  TOKENS.admin,
);

function routes(): RouteSpec[] {
  const entryId = fc.constantFrom(...entries.map((entry) => entry.id));
  const subject = fc.oneof(fc.constantFrom(who.code, other.code), borderlineUscc, badUscc, badResidentId);
  const date = fc.integer({ min: -800, max: 0 }).map(shift);
  return [
    { method: 'GET', path: '/health/live' },
    { method: 'GET', path: '/health/ready' },
    { method: 'GET', path: '/metrics' },
    {
      method: 'GET',
      path: '/v1/entries',
      query: {
        subject,
        listType: fc.constantFrom('dishonest-judgment-debtor', 'a-level-taxpayer'),
        state: fc.constantFrom('proposed', 'published', 'exited'),
        limit: fc.integer({ min: 1, max: 500 }).map(String),
        after: entryId,
      },
      authorizations: everyone,
    },
    { method: 'GET', path: '/v1/review-queue', authorizations: everyone },
    { method: 'GET', path: '/v1/entries/:id', params: { id: entryId }, authorizations: everyone },
    {
      method: 'POST',
      path: '/v1/entries/:id/events',
      params: { id: entryId },
      body: fc.record(
        {
          type: fc.constantFrom(...EVENT_TYPES),
          reason: mixedCjkText.filter((text) => text.length > 0),
          channel: fc.constantFrom('notice', 'public-display'),
          outcome: fc.constantFrom('upheld', 'rejected'),
        },
        { requiredKeys: ['type', 'reason'] },
      ),
      authorizations: everyone,
    },
    { method: 'GET', path: '/v1/subjects/:code/lists', params: { code: subject }, authorizations: everyone },
    {
      method: 'GET',
      path: '/v1/timeliness',
      query: { from: fc.oneof(date, badDate), to: fc.oneof(date, badDate) },
      authorizations: everyone,
    },
    {
      method: 'GET',
      path: '/v1/backfills/:id',
      params: { id: fc.constant(backfillId) },
      authorizations: everyone,
    },
  ];
}

/** `days` after the list service's today (China date of its clock). */
function shift(days: number): string {
  const day = new Date(`${h.clock.now().toISOString().slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** What the reviewer API writes: entries' states and the transitions of their lifecycle. */
async function stored(): Promise<unknown> {
  const { rows } = await h.aggregator.pool.query(
    `select (select count(*)::int from lists.transitions) as transitions,
            (select md5(coalesce(string_agg(id || state || coalesce(notice_channel, ''), ',' order by id), ''))
               from lists.entries) as entries,
            (select count(*)::int from lists.exit_announcements) as announcements`,
  );
  return rows[0];
}

describe('the reviewer API under hostile HTTP input', () => {
  it('answers every route with a well-formed 4xx (or a 2xx), never a 5xx, and changes no entry it refused', async () => {
    await fc.assert(refusalsStoreNothing(h.lists.app, routes(), stored), { numRuns: fuzzRuns(2500) });
  });

  it('answers a re-evaluation request from anyone but an admin with a coded 403 and starts none', async () => {
    const started = async () =>
      Number((await h.aggregator.pool.query('select count(*)::int as n from lists.backfills')).rows[0].n);
    const before = await started();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ...bearer(TOKENS.reviewer, TOKENS.court, TOKENS.tax, TOKENS.objections),
          '',
          'Bearer x',
        ),
        fc.oneof(fc.constant(undefined), fc.constantFrom('{}', '{"all":true}', '[', 'null')),
        async (authorization, payload) => {
          const request: HostileRequest = {
            method: 'POST',
            url: '/v1/backfills',
            headers: { authorization, 'content-type': 'application/json' },
            ...(payload === undefined ? {} : { payload }),
          };
          const answer = await ask(h.lists.app, request);
          expectWellFormed(answer, request);
          expect(answer.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: fuzzRuns(40) },
    );
    expect(await started()).toBe(before);
  });
});
