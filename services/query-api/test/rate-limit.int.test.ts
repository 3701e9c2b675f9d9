import { afterAll, beforeAll, expect, it } from 'vitest';
import { type QueryHarness, startQueryHarness } from './harness.ts';

let h: QueryHarness;

beforeAll(async () => {
  h = await startQueryHarness({ publicPerMinute: 3 });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

it('limits public requests per address, with a coded 429 and the other addresses unaffected', async () => {
  const from = (ip: string) =>
    h.queryApi.app.inject({ method: 'GET', url: '/v1/public/reference', headers: { 'x-forwarded-for': ip } });
  const statuses = [];
  for (let i = 0; i < 4; i += 1) statuses.push((await from('203.0.113.7')).statusCode);
  expect(statuses).toEqual([200, 200, 200, 429]);
  const limited = await from('203.0.113.7');
  expect(limited.json().error.code).toBe('QUERY_RATE_LIMITED');
  expect(limited.headers['retry-after']).toBeTruthy();
  expect((await from('198.51.100.2')).statusCode).toBe(200);
});
