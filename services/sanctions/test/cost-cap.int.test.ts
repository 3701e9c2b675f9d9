import {
  byOutcome,
  latencies,
  percentile,
  roundMs,
  startCrowd,
  timeCalls,
  timed,
} from '@credit/testing/load';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SanctionsHarness, startSanctionsHarness, TOKENS } from './sanctions-harness.ts';

/** A busy year of checks: a year's statistics aggregate every one of them. */
const CHECKS = 300_000;
/** Statistics asked at once: more than the route runs (1) and queues (4) together. */
const CROWD = 20;
const CHEAP_CALLS = 40;

let h: SanctionsHarness;

const api = (method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) =>
  h.sanctions.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
const statisticsUrl = (from: string, to: string) => `/v1/statistics?from=${from}&to=${to}`;

beforeAll(async () => {
  h = await startSanctionsHarness();
  // Spread over the year before the service's now, in one statement.
  await h.pool.query(
    `insert into checks (id, subject_code, matter_type, caller, caller_department, at, hit, answer)
     select 'seed-' || i, '91350100SEED' || lpad((i % 50000)::text, 6, '0'), 'government-procurement',
            'seed-portal', (array['finance', 'market-regulation', 'tax', 'housing-construction'])[1 + i % 4],
            $2::timestamptz - make_interval(secs => i * (360 * 86400 / $1::int)), i % 7 = 0, '{}'::jsonb
       from generate_series(1, $1::int) as i`,
    [CHECKS, h.clock.now().toISOString()],
  );
  await h.pool.query('analyze checks');
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('bounded cost of the statistics', () => {
  it('refuses periods that are not real, in order, or longer than a year with coded 400s', async () => {
    const today = h.clock.today();
    const cases: [from: string, to: string, code: string][] = [
      [h.clock.daysFromToday(-366), today, 'SANCTIONS_PERIOD_TOO_LONG'],
      [today, h.clock.daysFromToday(-1), 'SANCTIONS_INVALID_PERIOD'],
      ['2026-02-30', '2026-03-31', 'SANCTIONS_INVALID_PERIOD'],
    ];
    for (const [from, to, code] of cases) {
      const response = await api('GET', statisticsUrl(from, to), TOKENS.office);
      expect(response.statusCode, `${from}..${to}`).toBe(400);
      expect(response.json().error.code, `${from}..${to}`).toBe(code);
    }
    const year = await api('GET', statisticsUrl(h.clock.daysFromToday(-365), today), TOKENS.office);
    expect(year.statusCode).toBe(200);
  });

  it('keeps checks fast while a crowd asks for a year of statistics', async () => {
    const from = h.clock.daysFromToday(-365);
    const to = h.clock.today();
    const check = () =>
      api('POST', '/v1/checks', TOKENS.approvals, {
        subjectCode: '91350100CLEAN00001',
        matterType: 'government-procurement',
      });
    const soloReport = await timed(() => api('GET', statisticsUrl(from, to), TOKENS.office));
    expect(soloReport.value.statusCode).toBe(200);
    const seen = (soloReport.value.json() as { departments: { checks: number }[] }).departments;
    expect(seen.reduce((sum, department) => sum + department.checks, 0)).toBeGreaterThanOrEqual(CHECKS);
    const soloCheck = await timed(check);
    expect(soloCheck.value.statusCode).toBe(200);

    const crowd = startCrowd(CROWD, () => api('GET', statisticsUrl(from, to), TOKENS.office));
    const reports = crowd.answers;
    await crowd.reached('SANCTIONS_BUSY');

    let poolWaiting = 0;
    const { ms: cheap, statuses } = await timeCalls(CHEAP_CALLS, check, {
      afterEach: () => {
        poolWaiting = Math.max(poolWaiting, h.pool.waitingCount);
      },
    });
    await crowd.stop();

    const answered = reports.filter((r) => r.status === 200).map((r) => r.ms);
    console.log(
      JSON.stringify({
        checksSeeded: CHECKS,
        soloReportMs: roundMs(soloReport.ms),
        soloCheckMs: roundMs(soloCheck.ms),
        checks: latencies(cheap),
        reports: {
          total: reports.length,
          byOutcome: byOutcome(reports),
          answeredP50: roundMs(percentile(answered, 50)),
          slowestMs: roundMs(Math.max(...reports.map((r) => r.ms))),
        },
        poolWaiting,
      }),
    );

    expect(cheap.length).toBe(CHEAP_CALLS);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(percentile(cheap, 95)).toBeLessThan(1_000);
    expect(answered.length).toBeGreaterThan(0);
    const busy = reports.filter((r) => r.code === 'SANCTIONS_BUSY');
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((r) => r.status === 503 && r.retryAfter === '5')).toBe(true);
    for (const r of reports) {
      expect([200, 503]).toContain(r.status);
      if (r.status === 503) expect(['SANCTIONS_BUSY', 'DB_STATEMENT_TIMEOUT']).toContain(r.code);
    }
    expect(poolWaiting).toBe(0);
  });
});
