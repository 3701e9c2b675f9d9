import { createPool } from '@credit/db';
import { testClock } from '@credit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MonitorHarness, startMonitorHarness } from './monitor-harness.ts';

let h: MonitorHarness;
const clock = testClock();
const get = (url: string) => h.monitor.app.inject({ method: 'GET', url });

beforeAll(async () => {
  h = await startMonitorHarness('cost-cap', async () => {}, { now: clock.now });
}, 90_000);
afterAll(async () => {
  await h?.close();
});

describe('bounded cost of the reports', () => {
  it('covers a year at most: a longer period is a coded 400', async () => {
    const to = clock.daysFromToday(1);
    const tooLong = await get(`/v1/departments?from=${clock.daysFromToday(-366)}&to=${to}`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe('OPS_PERIOD_TOO_LONG');
    expect(tooLong.json().error.message).toContain('367 days');
    expect((await get(`/v1/departments?from=${clock.daysFromToday(-365)}&to=${to}`)).statusCode).toBe(200);
  });

  it('runs one report at a time, four waiting, and refuses the rest at once with a coded 503 and Retry-After', async () => {
    const locker = createPool(h.database.url, { max: 1 });
    const client = await locker.connect();
    const answers: { status: number; code: string | undefined; retryAfter: unknown }[] = [];
    let pending: Promise<void>[] = [];
    try {
      await client.query('begin');
      // The running report waits on the lock, so the turns stay taken however fast the machine is.
      await client.query('lock table aggregator.records in access exclusive mode');
      let refusedAll!: () => void;
      const fiveRefused = new Promise<void>((resolve) => {
        refusedAll = resolve;
      });
      pending = Array.from({ length: 10 }, (_, i) =>
        get(i % 2 === 0 ? '/v1/departments' : `/v1/reports/quarterly/${clock.today().slice(0, 4)}Q1`).then(
          (response) => {
            answers.push({
              status: response.statusCode,
              code: response.statusCode === 200 ? undefined : response.json().error.code,
              retryAfter: response.headers['retry-after'],
            });
            if (answers.length === 5) refusedAll();
          },
        ),
      );
      await fiveRefused;
      expect(answers).toEqual(Array(5).fill({ status: 503, code: 'OPS_BUSY', retryAfter: '5' }));
    } finally {
      await client.query('rollback');
      client.release();
      await locker.end();
    }
    await Promise.all(pending);
    expect(answers.slice(5).map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
  });
});
