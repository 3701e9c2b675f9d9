import { isCodedError } from '@credit/errors';
import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * One error contract for every service's HTTP API: coded errors answer with their status and `{error: {code,
 * message, details}}`, fastify's own bad-request errors get our codes, anything else is a 500 that names the
 * request id and never carries a stack trace. Unknown routes answer 404 in the same shape.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isCodedError(error)) return reply.code(error.statusCode).send({ error: error.toJSON() });
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
