import {
  ask,
  expectWellFormed,
  fuzzRuns,
  type HostileRequest,
  hostileRequestsTo,
  type RouteSpec,
} from '@credit/testing/hostile-http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AggregatorHarness, startAggregatorHarness } from './aggregator-harness.ts';

let h: AggregatorHarness;
beforeAll(async () => {
  h = await startAggregatorHarness();
});
afterAll(() => h.close());

// The aggregator's HTTP side is operational only: health and metrics (its work comes from Kafka).
const ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/health/live' },
  { method: 'GET', path: '/health/ready' },
  { method: 'GET', path: '/metrics' },
];

describe('the aggregator’s HTTP side under hostile input', () => {
  it('answers every route and every unknown path with a well-formed answer, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequestsTo(ROUTES), async (request: HostileRequest) => {
        expectWellFormed(await ask(h.aggregator.app, request), request);
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('answers an unknown route, a malformed URL and an over-long one with a coded 4xx', async () => {
    for (const [url, status, code] of [
      ['/v1/records', 404, 'NOT_FOUND'],
      ['/health/%E4%B8', 400, 'REQUEST_BAD_URL'],
      [`/health/${'x'.repeat(5000)}`, 404, 'NOT_FOUND'],
    ] as const) {
      const request: HostileRequest = { method: 'GET', url, headers: {} };
      const answer = await ask(h.aggregator.app, request);
      expectWellFormed(answer, request);
      expect([answer.status, (answer.json as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
    }
  });
});
