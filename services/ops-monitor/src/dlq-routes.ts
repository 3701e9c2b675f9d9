import { isRealInstant } from '@credit/calendar';
import type { ApiClients, Producer } from '@credit/kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { deadLetterSummary, listDeadLetters, replayDeadLetters } from './dlq.ts';
import { DlqForbidden, InvalidDlqParameter } from './errors.ts';

export interface DlqRouteDeps {
  pool: pg.Pool;
  producer: Pick<Producer, 'send'>;
  /**
   * When given, every DLQ route needs a bearer token (dead letters carry department data), and a replay needs the
   * role `operator`.
   */
  clients?: ApiClients;
  /** LIKE patterns of the topics a replay may write to (default: any). */
  replayTargets?: readonly string[];
}

/** The role a client needs to re-inject dead letters. */
export const REPLAY_ROLE = 'operator';

/** A department or a reason code; no NUL, which PostgreSQL text cannot hold (a NUL reaching a query was a 500). */
const CODE = { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000]*$' } as const;
const ID = { type: 'string', pattern: '^[1-9]\\d{0,18}$' } as const;

function instant(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // A China date (from its midnight, +08:00) or a timestamp with its offset; a date PostgreSQL refuses was a 500.
  if (!isRealInstant(value, { dateAlone: true }))
    throw InvalidDlqParameter(
      name,
      value.slice(0, 40),
      'expected a real YYYY-MM-DD (a China date) or ISO 8601 timestamp with its offset',
    );
  return value.length === 10 ? `${value}T00:00:00+08:00` : value;
}

/**
 * The DLQ view and replay: `GET /v1/dlq` (newest first, filtered by department, reason and replayed),
 * `GET /v1/dlq/summary` (counts by department × reason and by service), `POST /v1/dlq/replay` (re-inject, with
 * the counts). Values are answered to the operator, never logged.
 */
export async function dlqRoutes(app: FastifyInstance, deps: DlqRouteDeps): Promise<void> {
  const authenticate = (request: FastifyRequest, action?: string) => {
    if (deps.clients === undefined) return;
    const client = deps.clients.authenticate(request.headers.authorization);
    if (action !== undefined && !client.roles.includes(REPLAY_ROLE))
      throw DlqForbidden(client.actor, action, REPLAY_ROLE);
  };

  app.get<{
    Querystring: { department?: string; reason?: string; replayed?: boolean; limit: number; before?: string };
  }>(
    '/v1/dlq',
    {
      // Before the query is validated: an unauthenticated caller learns nothing of the API's shape.
      onRequest: async (request) => authenticate(request),
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            department: CODE,
            reason: CODE,
            replayed: { type: 'boolean' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            before: ID,
          },
        },
      },
    },
    async (request) => listDeadLetters(deps.pool, request.query),
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/v1/dlq/summary',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { from: { type: 'string' }, to: { type: 'string' } },
        },
      },
    },
    async (request) => {
      // Counts only, no content: the dashboard shows them without a token.
      return deadLetterSummary(deps.pool, {
        from: instant('from', request.query.from),
        to: instant('to', request.query.to),
      });
    },
  );

  app.post<{
    Body: {
      department?: string;
      reason?: string;
      ids?: string[];
      all?: boolean;
      dryRun?: boolean;
      limit: number;
    };
  }>(
    '/v1/dlq/replay',
    {
      onRequest: async (request) => authenticate(request, 'replay dead letters'),
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            department: CODE,
            reason: CODE,
            ids: { type: 'array', items: ID, minItems: 1, maxItems: 10_000 },
            all: { type: 'boolean' },
            dryRun: { type: 'boolean' },
            limit: { type: 'integer', minimum: 1, maximum: 100_000, default: 10_000 },
          },
        },
      },
    },
    async (request) => {
      const result = await replayDeadLetters(
        deps.pool,
        deps.producer,
        request.body ?? { limit: 10_000 },
        deps.replayTargets,
      );
      request.log.info(
        {
          department: request.body?.department,
          reason: request.body?.reason,
          ids: request.body?.ids?.length,
          ...result,
        },
        result.dryRun ? 'dead letters replay (dry run)' : 'dead letters replayed',
      );
      return result;
    },
  );
}
