import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departmentOf, envelopeOf, type Harness, startHarness, wire } from './gateway-harness.ts';

describe('rate limit and broker failure', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness({ limits: { batchMax: 10, bodyLimitBytes: 64 * 1024, ratePerMinute: 3 } });
    key = await h.keyFor(departmentOf(h.catalogue, 'administrative-penalty').code);
  });
  afterAll(() => h.close());

  const penalty = (id: string) =>
    wire('administrative-penalty', (r) => {
      envelopeOf(r).sourceRecordId = id;
    });

  it('limits requests per department with 429 and a code', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { authorization: `Bearer ${key}` },
        payload: penalty(`RL-${Date.now()}-${i}`),
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(response.json().error.code).toBe('RATE_LIMITED');
    }
    expect(statuses.slice(0, 3)).toEqual([202, 202, 202]);
    expect(statuses[3]).toBe(429);
  });
});

describe('when the broker does not take the records', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await startHarness();
    key = await h.keyFor(departmentOf(h.catalogue, 'administrative-penalty').code);
  });
  afterAll(() => h.close());

  it('answers 503 without accepting anything and leaves no claim that would block a resend', async () => {
    const body = wire('administrative-penalty', (r) => {
      envelopeOf(r).sourceRecordId = `DOWN-${Date.now()}`;
    });
    await h.producer.disconnect();
    const refused = await h.app.inject({
      method: 'POST',
      url: '/v1/records',
      headers: { authorization: `Bearer ${key}` },
      payload: body,
    });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ status: 'retry', error: { code: 'INTAKE_BROKER_UNAVAILABLE' } });
    const claims = await h.pool.query('select count(*)::int as n from intake.submissions');
    expect(claims.rows[0].n).toBe(0);
  });
});
