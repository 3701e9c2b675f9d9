import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerOperationalRoutes } from '../src/health.ts';
import { counter, createMetricsRegistry } from '../src/metrics.ts';

describe('operational routes', () => {
  it('answers live, ready with every check, and metrics with the service label', async () => {
    const app = Fastify();
    const metrics = createMetricsRegistry('query-api', { defaults: false });
    counter(metrics, 'credit_queries_total', 'Queries answered', ['audience']).inc({ audience: 'public' });
    const state = { shuttingDown: false };
    await registerOperationalRoutes(app, {
      state,
      metrics,
      checks: [{ name: 'database', check: async () => {} }],
    });

    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    const text = (await app.inject('/metrics')).body;
    expect(text).toContain('credit_queries_total{audience="public",service="query-api"} 1');

    state.shuttingDown = true;
    expect((await app.inject('/health/ready')).statusCode).toBe(503);
  });

  it('is not ready when a dependency fails or hangs, and says which', async () => {
    const app = Fastify();
    await registerOperationalRoutes(app, {
      state: { shuttingDown: false },
      checkTimeoutMs: 50,
      checks: [
        { name: 'kafka', check: () => new Promise(() => {}) },
        {
          name: 'database',
          check: async () => {
            throw new Error('connection refused');
          },
        },
      ],
    });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({
      status: 'not_ready',
      checks: { kafka: 'no answer within 50 ms', database: 'connection refused' },
    });
  });
});
