import { loadCatalogue } from '@credit/catalogue';
import { testClock } from '@credit/testing';
import {
  ask,
  badDate,
  badTimestamp,
  expectWellFormed,
  fuzzRuns,
  type HostileRequest,
  type RouteSpec,
  refusalsStoreNothing,
} from '@credit/testing/hostile-http';
import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MonitorHarness, OPERATOR_TOKEN, startMonitorHarness } from './monitor-harness.ts';

let h: MonitorHarness;
const clock = testClock();
const DEPARTMENTS = loadCatalogue().departments.map((department) => department.code);

/**
 * Dead letters of two departments, none of which a replay may write back (their source topics are outside the
 * replay targets, credit.ingest.%): a valid replay request finds and counts them, and sends nothing.
 */
async function seed(pool: pg.Pool): Promise<void> {
  for (const [i, department] of ['market-regulation', 'tax', null].entries()) {
    await pool.query(
      `insert into ops.dead_letters (dlq_topic, dlq_partition, dlq_offset, source_topic, source_partition,
         source_offset, department, reason_code, reason, service, key, value, headers, dead_at)
       values ('fuzz.dlq', 0, $1, $2, 0, $1, $3, 'INTAKE_SCHEMA', 'a field is missing', 'aggregator', 'k', 'v', '{}',
               $4)`,
      [i, i === 2 ? null : `fuzz.source.${department}`, department, clock.now()],
    );
  }
}

beforeAll(async () => {
  h = await startMonitorHarness('fuzz', seed, { now: clock.now });
  await h.monitor.sampleLag();
  await h.monitor.refreshDepartments();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

const quarter = fc
  .tuple(
    fc.integer({ min: 2020, max: 2030 }),
    fc.integer({ min: 1, max: 4 }),
    fc.constantFrom('', '.csv', '.html'),
  )
  .map(([year, q, format]) => `${year}Q${q}${format}`);
const day = fc.integer({ min: -400, max: 2 }).map((days) => clock.daysFromToday(days));

function routes(): RouteSpec[] {
  const operator = [`Bearer ${OPERATOR_TOKEN}`];
  return [
    { method: 'GET', path: '/health/live' },
    { method: 'GET', path: '/health/ready' },
    { method: 'GET', path: '/metrics' },
    { method: 'GET', path: '/' },
    {
      method: 'GET',
      path: '/:file',
      params: { file: fc.constantFrom('index.html', 'dashboard.js', 'style.css', 'format.js') },
    },
    { method: 'GET', path: '/vendor/echarts.min.js' },
    { method: 'GET', path: '/v1/lag' },
    { method: 'GET', path: '/v1/lag/history' },
    {
      method: 'GET',
      path: '/v1/departments',
      query: { from: fc.oneof(day, badDate), to: fc.oneof(day, badDate) },
    },
    { method: 'GET', path: '/v1/reports/quarterly/:quarter', params: { quarter } },
    {
      method: 'GET',
      path: '/v1/dlq',
      query: {
        department: fc.constantFrom(...DEPARTMENTS),
        reason: fc.constantFrom('INTAKE_SCHEMA', 'OTHER'),
        replayed: fc.constantFrom('true', 'false'),
        limit: fc.integer({ min: 1, max: 500 }).map(String),
        before: fc.constantFrom('1', '2', '9223372036854775807'),
      },
      authorizations: operator,
    },
    {
      method: 'GET',
      path: '/v1/dlq/summary',
      query: {
        from: fc.oneof(
          day,
          day.map((date) => `${date}T00:00:00+08:00`),
          badTimestamp,
        ),
        to: fc.oneof(
          day,
          day.map((date) => `${date}T12:30:00Z`),
          badTimestamp,
        ),
      },
    },
    {
      method: 'POST',
      path: '/v1/dlq/replay',
      body: fc.record(
        {
          department: fc.constantFrom('market-regulation', 'tax'),
          reason: fc.constant('INTAKE_SCHEMA'),
          ids: fc.array(fc.constantFrom('1', '2', '3'), { minLength: 1, maxLength: 3 }),
          all: fc.boolean(),
          dryRun: fc.boolean(),
          limit: fc.integer({ min: 1, max: 100 }),
        },
        { requiredKeys: [] },
      ),
      authorizations: operator,
    },
  ];
}

/** What the API may write: the dead letters (a replay marks them replayed). */
async function stored(): Promise<unknown> {
  const { rows } = await h.pool.query(
    'select count(*)::int as letters, count(replayed_at)::int as replayed from ops.dead_letters',
  );
  return rows[0];
}

describe('the ops monitor under hostile HTTP input', () => {
  it('answers every route with a well-formed 4xx (or a 2xx), never a 5xx, and replays nothing it refused', async () => {
    await fc.assert(refusalsStoreNothing(h.monitor.app, routes(), stored), { numRuns: fuzzRuns(2000) });
  });

  it('refuses a period or a quarter that does not exist with a coded 400', async () => {
    const unreal = badDate.filter((date) => !isRealDate(date));
    // Shaped as a date, so that it is no timestamp either (2026-01-01T00:00:00Z is a real one).
    const unrealDay = unreal.filter((date) => /^\d{4}-\d{2}-\d{2}$/.test(date));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          unreal.map((date) => `/v1/departments?from=${encodeURIComponent(date)}`),
          unreal.map((date) => `/v1/departments?to=${encodeURIComponent(date)}`),
          unrealDay.map((date) => `/v1/dlq/summary?from=${encodeURIComponent(date)}`),
          unrealDay.map((date) => `/v1/dlq/summary?to=${encodeURIComponent(`${date}T00:00:00Z`)}`),
          fc
            .constantFrom('2026Q0', '2026Q5', '0000Q1', '2026q1', '2026-Q1', 'Q1', '２０２６Q1', '2026Q1.pdf')
            .map((name) => `/v1/reports/quarterly/${encodeURIComponent(name)}`),
        ),
        async (url) => {
          const request: HostileRequest = { method: 'GET', url, headers: {} };
          const answer = await ask(h.monitor.app, request);
          expectWellFormed(answer, request);
          expect(answer.status, answer.text).toBe(400);
        },
      ),
      { numRuns: fuzzRuns(150) },
    );
  });
});

/** A real YYYY-MM-DD date (there is no year 0000, which JavaScript's ISO dates have). */
function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text.startsWith('0000')) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}
