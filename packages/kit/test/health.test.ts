import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerOperationalRoutes, waitUntilReady } from '../src/health.ts';
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

describe('waitUntilReady', () => {
  it('returns once /health/ready answers 2xx, gives up with the abandon reason, and times out', async () => {
    const app = Fastify();
    let calls = 0;
    app.get('/health/ready', async (_request, reply) => reply.code(++calls < 3 ? 503 : 200).send({}));
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await waitUntilReady(url, { intervalMs: 10 });
      expect(calls).toBe(3);
      await expect(waitUntilReady('http://127.0.0.1:9', { abandon: () => 'process exited' })).rejects.toThrow(
        'process exited',
      );
      await expect(waitUntilReady('http://127.0.0.1:9', { timeoutMs: 50, intervalMs: 10 })).rejects.toThrow(
        /not ready within 0.05 s/,
      );
    } finally {
      await app.close();
    }
  });
});
