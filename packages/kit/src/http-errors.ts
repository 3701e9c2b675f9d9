import { isCodedError } from '@credit/errors';
import type { FastifyError, FastifyInstance } from 'fastify';
import { asUnavailable } from './unavailable.ts';

/**
 * One error contract for every service's HTTP API: coded errors answer with their status and `{error: {code,
 * message, details}}` (and Retry-After when their details carry `retryAfterSeconds`), a database or broker that
 * cannot be reached is a coded 503 with Retry-After (DATABASE_UNAVAILABLE, KAFKA_UNAVAILABLE), a statement PostgreSQL
 * cancelled (statement_timeout) is a 503 with Retry-After, fastify's own bad-request errors get our codes, anything
 * else is a 500 that names the request id and never carries a stack trace. Unknown routes answer 404 in the same
 * shape.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Plain JSON: a route's response schema for the same status (the gateway's 503 result) would otherwise be asked
    // to serialise `{error}`, miss its required fields and turn the answer into a 500. With its own serializer fastify
    // leaves the content type unset, so it is set here.
    reply.serializer((payload: unknown) => JSON.stringify(payload)).type('application/json; charset=utf-8');
    // A database or broker that is down is the platform's trouble, not the request's: 503 with Retry-After.
    const unavailable = isCodedError(error) ? undefined : asUnavailable(error);
    if (unavailable) request.log.warn({ err: error, code: unavailable.code }, unavailable.message);
    const coded = isCodedError(error) ? error : unavailable;
    if (coded) {
      const retryAfter = coded.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      return reply.code(coded.statusCode).send({ error: coded.toJSON() });
    }
    if (statementCancelled(error)) {
      // statement_timeout: the pool's bound on one statement's cost; the request may succeed when the load is lower.
      request.log.warn({ err: error }, 'statement cancelled');
      return reply
        .code(503)
        .header('retry-after', String(STATEMENT_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'DB_STATEMENT_TIMEOUT', message: STATEMENT_CANCELLED_MESSAGE } });
    }
    const mapped = fastifyError(error);
    if (mapped)
      return reply.code(mapped.status).send({ error: { code: mapped.code, message: error.message } });
    request.log.error({ err: error }, 'unexpected error');
    return reply
      .code(500)
      .send({ error: { code: 'INTERNAL', message: `internal error; the request id is ${request.id}` } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}` } }),
  );
}

const STATEMENT_RETRY_AFTER_SECONDS = 5;
const STATEMENT_CANCELLED_MESSAGE =
  'the database cancelled the query: it ran longer than this service allows one statement; retry later, or ask for less (a narrower query, a shorter period)';

/** PostgreSQL's query_canceled (57014): statement_timeout, or a cancel request. */
function statementCancelled(error: unknown): boolean {
  return (error as { code?: unknown }).code === '57014';
}

/** Fastify's own errors for bad requests, with our codes; never a 500 for bad input. */
function fastifyError(error: FastifyError): { status: number; code: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'REQUEST_TOO_LARGE' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'REQUEST_MEDIA_TYPE' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'REQUEST_BAD_JSON' };
    case 'FST_ERR_VALIDATION':
      return { status: 400, code: 'REQUEST_INVALID' };
    default:
      if (error instanceof SyntaxError) return { status: 400, code: 'REQUEST_BAD_JSON' };
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        return { status: error.statusCode, code: 'REQUEST_INVALID' };
      }
      return undefined;
  }
}
