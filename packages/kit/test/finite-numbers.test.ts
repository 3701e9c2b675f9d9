import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { refuseNonFiniteNumbers } from '../src/finite-numbers.ts';
import { registerErrorHandling } from '../src/http-errors.ts';

/** A route whose query and path take bounded integers, as the services' list routes do. */
async function boundedRoute() {
  const app = Fastify();
  registerErrorHandling(app);
  refuseNonFiniteNumbers(app);
  app.get(
    '/pages/:page',
    {
      schema: {
        params: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 1000 } } },
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } } },
      },
    },
    async (request) => ({ params: request.params, query: request.query }),
  );
  return app;
}

describe('numbers that are not finite', () => {
  it('refuses a query or path number Ajv coerced to Infinity past its maximum, with a coded 400', async () => {
    const app = await boundedRoute();
    for (const url of ['/pages/1?limit=1e309', '/pages/1?limit=Infinity', '/pages/1e309?limit=5']) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code, url).toBe('REQUEST_INVALID');
      expect(response.json().error.message, url).toMatch(/must be a finite number, not (-)?Infinity/);
    }
  });

  it('lets finite numbers through to the handler', async () => {
    const app = await boundedRoute();
    const response = await app.inject('/pages/3?limit=50');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ params: { page: 3 }, query: { limit: 50 } });
  });
});
