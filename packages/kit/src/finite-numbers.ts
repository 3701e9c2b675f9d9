import { defineError } from '@credit/errors';
import type { FastifyInstance } from 'fastify';

export const NotFinite = defineError<[part: string, name: string, value: string]>(
  'REQUEST_INVALID',
  400,
  '%s/%s must be a finite number, not %s',
);

/**
 * Ajv, fastify's validator, coerces "Infinity" or "1e309" in a query string or a path to an integer, and then skips
 * minimum and maximum, which it checks on finite numbers only: `?limit=1e309` would reach the database as Infinity
 * (a 500). No route takes a number that is not finite, so one is refused after validation. (A JSON body cannot carry
 * one past Ajv: its integer check without coercion does test finiteness.)
 */
export function refuseNonFiniteNumbers(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request of every service, and needs no promise.
  app.addHook('preHandler', (request, _reply, done) => {
    done(nonFinite('querystring', request.query) ?? nonFinite('params', request.params));
  });
}

function nonFinite(part: string, values: unknown): Error | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return NotFinite(part, name, String(value));
  }
  return undefined;
}
