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
import {
  entry,
  listChange,
  type SanctionsHarness,
  startSanctionsHarness,
  TOKENS,
} from './sanctions-harness.ts';

let h: SanctionsHarness;
const SUBJECT = '91350100TEST900001';
const ENTRY = `fuzz-entry-${Date.now()}`;
/** Finance's orders for the entry (the department the procurement token belongs to), one kept for feedback. */
let orders: string[];
let checkId: string;

beforeAll(async () => {
  h = await startSanctionsHarness();
  // A black-list entry put in force, as the list service announces it: the measures' orders follow.
  let row = entry(SUBJECT, 'procurement-misconduct', 'black', ENTRY, h.clock.daysFromToday(-17));
  let from: string | null = null;
  const steps: [string, string][] = [
    ['designate', 'proposed'],
    ['confirm', 'confirmed'],
    ['publish', 'published'],
  ];
  await h.publish(
    steps.map(([event, to], i) => {
      row = { ...row, state: to as never };
      const change = listChange(row as never, i + 1, {
        event: event as never,
        from: from as never,
        actor: { id: 'intermediate-court', role: 'designator' },
        reason: event,
        at: h.clock.now(),
      });
      from = to;
      return change;
    }),
  );
  const deadline = Date.now() + 30_000;
  do {
    orders = (
      await h.pool.query<{ id: string }>(
        `select id from orders where entry_id = $1 and department = 'finance' order by id`,
        [ENTRY],
      )
    ).rows.map((order) => order.id);
    if (orders.length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 150));
  } while (Date.now() < deadline);
  expect(orders.length).toBeGreaterThan(0);
  const checked = await h.sanctions.app.inject({
    method: 'POST',
    url: '/v1/checks',
    headers: { authorization: `Bearer ${TOKENS.approvals}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ subjectCode: SUBJECT, matterType: 'government-procurement' }),
  });
  checkId = checked.json().checkId;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const bearer = (...tokens: string[]) => tokens.map((token) => `Bearer ${token}`);
const date = () => fc.integer({ min: -400, max: 0 }).map((days) => h.clock.daysFromToday(days));
const subjectCode = fc.oneof(
  fc.constantFrom(SUBJECT, SUBJECT.toLowerCase()),
  borderlineUscc,
  badUscc,
  badResidentId,
);

function routes(): RouteSpec[] {
  const orderId = fc.constantFrom(...orders);
  return [
    { method: 'GET', path: '/health/live' },
    { method: 'GET', path: '/health/ready' },
    { method: 'GET', path: '/metrics' },
    {
      method: 'GET',
      path: '/v1/orders',
      query: {
        status: fc.constantFrom('issued', 'acknowledged', 'fed-back'),
        limit: fc.integer({ min: 1, max: 500 }).map(String),
        after: orderId,
      },
      authorizations: bearer(TOKENS.procurement, TOKENS.office, TOKENS.market),
    },
    { method: 'GET', path: '/v1/orders/overdue', authorizations: bearer(TOKENS.procurement, TOKENS.office) },
    {
      method: 'GET',
      path: '/v1/orders/:id',
      params: { id: orderId },
      authorizations: bearer(TOKENS.procurement, TOKENS.office),
    },
    {
      method: 'POST',
      path: '/v1/orders/:id/acknowledge',
      params: { id: orderId },
      body: fc.oneof(fc.constant({}), fc.record({ note: mixedCjkText.filter((text) => text.length > 0) })),
      authorizations: bearer(TOKENS.procurement),
    },
    {
      method: 'POST',
      path: '/v1/orders/:id/feedback',
      params: { id: orderId },
      body: fc.record({
        measureApplied: fc.boolean(),
        matter: fc.constantFrom('2026年办公设备采购项目', 'procurement 2026-118'),
        outcome: fc.constantFrom('取消投标资格', 'excluded'),
        // The orders were issued today by the service's clock: feedback may be dated today only.
        date: fc.constant(h.clock.today()),
      }),
      authorizations: bearer(TOKENS.procurement),
    },
    {
      method: 'POST',
      path: '/v1/checks',
      body: fc.record(
        {
          subjectCode,
          matterType: fc.constantFrom('government-procurement', 'space-travel'),
          onBehalfOf: fc.record({ actor: fc.constant('portal'), department: fc.constant('finance') }),
        },
        { requiredKeys: ['subjectCode', 'matterType'] },
      ),
      authorizations: bearer(TOKENS.approvals, TOKENS.office),
    },
    {
      method: 'POST',
      path: '/v1/checks/:id/decision',
      params: { id: fc.constant(checkId) },
      body: fc.record(
        {
          decision: fc.constantFrom('refused', 'approved'),
          measuresApplied: fc.array(fc.constantFrom('procurement-exclusion', 'x'), { maxLength: 2 }),
          note: fc.constantFrom('审查', 'checked'),
        },
        { requiredKeys: ['decision', 'measuresApplied'] },
      ),
      authorizations: bearer(TOKENS.approvals),
    },
    ...(['/v1/statistics', '/v1/statistics.csv'] as const).map(
      (path): RouteSpec => ({
        method: 'GET',
        path,
        query: { from: date(), to: date() },
        authorizations: bearer(TOKENS.office, TOKENS.procurement),
      }),
    ),
  ];
}

/** What the API writes: order events (acknowledgements, feedback), the orders' answers, checks and decisions. */
async function stored(): Promise<unknown> {
  const { rows } = await h.pool.query(
    `select (select count(*)::int from order_events) as events,
            (select md5(coalesce(string_agg(id || status || coalesce(feedback::text, ''), ',' order by id), ''))
               from orders) as orders,
            (select count(*)::int from checks) as checks,
            (select count(decided_at)::int from checks) as decided`,
  );
  return rows[0];
}

describe('the sanctions API under hostile HTTP input', () => {
  it('answers every route with a well-formed 4xx (or a 2xx), never a 5xx, and stores nothing it refused', async () => {
    await fc.assert(refusalsStoreNothing(h.sanctions.app, routes(), stored), { numRuns: fuzzRuns(3000) });
  });

  it('refuses feedback dated on a day that does not exist, before the order or after today, and keeps the order as it was', async () => {
    const today = h.clock.today();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badDate.filter((text) => text !== today),
          fc.integer({ min: 1, max: 3000 }).map((days) => h.clock.daysFromToday(days)),
          fc.integer({ min: 1, max: 3000 }).map((days) => h.clock.daysFromToday(-days)),
        ),
        async (day) => {
          const before = await stored();
          const request: HostileRequest = {
            method: 'POST',
            url: `/v1/orders/${orders[0]}/feedback`,
            headers: { authorization: `Bearer ${TOKENS.procurement}`, 'content-type': 'application/json' },
            payload: JSON.stringify({
              measureApplied: true,
              matter: '采购项目',
              outcome: '取消投标资格',
              date: day,
            }),
          };
          const answer = await ask(h.sanctions.app, request);
          expectWellFormed(answer, request);
          expect(answer.status, answer.text).toBe(400);
          expect(['REQUEST_INVALID', 'SANCTIONS_INVALID_FEEDBACK_DATE']).toContain(
            (answer.json as { error: { code: string } }).error.code,
          );
          expect(await stored()).toEqual(before);
        },
      ),
      { numRuns: fuzzRuns(100) },
    );
  });
});
