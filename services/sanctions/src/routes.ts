import { chinaToday } from '@credit/calendar';
import { type ApiClient, type ApiClients, authenticateRequests, createConcurrencyLimit } from '@credit/kit';
import type { MeasuresCatalogue } from '@credit/measures';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createCheckLog } from './check-log.ts';
import { type Decision, recordDecision, runCheck } from './checks.ts';
import { Busy, Forbidden, OrderNotFound } from './errors.ts';
import { ORDER_COLUMNS, type OrderRow } from './order-work.ts';
import { type Feedback, respond } from './respond.ts';
import { checkPeriod, STATISTICS_MAX_DAYS, statistics, statisticsCsv } from './statistics.ts';

/**
 * - department: an implementing department: its order inbox, acknowledgements and feedback;
 * - approval-system: an approval system of a department: checks (应查必查) and their decisions;
 * - relay: a platform service passing approval systems' checks on (the query API), naming in `onBehalfOf` the
 *   approval system and department it acts for, so the check log and the statistics keep who really asked;
 * - office: the credit office: every order, the overdue list, statistics.
 */
export type Role = 'department' | 'approval-system' | 'relay' | 'office';
export const ROLES: readonly Role[] = ['department', 'approval-system', 'relay', 'office'];

export interface OnBehalfOf {
  actor: string;
  department: string;
}

/** Who makes a check or its decision: the client itself, or (for a relay) the approval system it names. */
function checkCaller(client: ApiClient<Role>, onBehalfOf: OnBehalfOf | undefined, action: string) {
  if (onBehalfOf === undefined) {
    require(client, 'approval-system', action);
    return { caller: client.actor, callerDepartment: client.department };
  }
  require(client, 'relay', `${action} on behalf of another system`);
  return { caller: `${client.actor}/${onBehalfOf.actor}`, callerDepartment: onBehalfOf.department };
}

export interface RouteDeps {
  pool: pg.Pool;
  clients: ApiClients<Role>;
  measures: MeasuresCatalogue;
  now: () => Date;
  /** SUBJECT_TOKEN_KEY: checks by a resident identity number look up its token. */
  tokenKey: Buffer;
}

function require(client: ApiClient<Role>, role: Role, action: string): void {
  if (!client.roles.includes(role)) throw Forbidden(client.actor, action, `needs the role ${role}`);
}

/** The department whose orders the client may see: its own for a department, all (null) for the office. */
function ordersScope(client: ApiClient<Role>): string | null {
  if (client.roles.includes('office')) return null;
  require(client, 'department', 'read orders');
  return client.department;
}

const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
/**
 * Statistics read a whole period of checks and orders (a year's take a core for a second or more): one at a time,
 * four waiting up to 5 s, the rest refused, so that however many are asked at once the checks keep the pool's other
 * connections and most of the cores. The office's reporting needs no more.
 */
const REPORTS = { max: 1, queue: 4, maxWaitMs: 5_000, retryAfterSeconds: 5 };
/** Text without NUL (PostgreSQL text cannot hold it), up to `max` characters. */
const text = (max: number) =>
  ({ type: 'string', minLength: 1, maxLength: max, pattern: '^[^\\u0000]*$' }) as const;
/** An order's or a check's id in the path. */
const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: text(64) } } as const;

export async function sanctionsRoutes(root: FastifyInstance, deps: RouteDeps): Promise<void> {
  const checkLog = createCheckLog(deps.pool);
  await root.register(async (app) => {
    const clientOf = authenticateRequests(app, deps.clients);
    const reports = createConcurrencyLimit({
      ...REPORTS,
      refuse: (why) =>
        Busy.with({ retryAfterSeconds: REPORTS.retryAfterSeconds }, undefined, 'statistics', why),
    });

    app.get<{ Querystring: { status?: string; limit?: number; after?: string } }>(
      '/v1/orders',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              status: {
                type: 'string',
                enum: ['issued', 'acknowledged', 'fed-back', 'suspended', 'withdrawn', 'cancelled'],
              },
              limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
              after: text(64),
            },
          },
        },
      },
      async (request) => {
        const scope = ordersScope(clientOf(request));
        const { status, limit = 100, after } = request.query;
        const rows = await deps.pool.query<OrderRow>(
          `select ${ORDER_COLUMNS} from orders
            where ($1::text is null or department = $1) and ($2::text is null or status = $2)
              and ($3::text is null or id > $3)
            order by id limit $4`,
          [scope, status ?? null, after ?? null, limit],
        );
        return { orders: rows.rows, next: rows.rows.length === limit ? rows.rows.at(-1)?.id : null };
      },
    );

    app.get('/v1/orders/overdue', async (request) => {
      const scope = ordersScope(clientOf(request));
      const today = chinaToday(deps.now());
      const rows = await deps.pool.query<
        OrderRow & { acknowledgement_overdue: boolean; feedback_overdue: boolean }
      >(
        `select ${ORDER_COLUMNS},
                (status = 'issued' and acknowledge_due < $1::date) as acknowledgement_overdue,
                (status in ('issued', 'acknowledged') and feedback_due < $1::date) as feedback_overdue
           from orders
          where ((status = 'issued' and acknowledge_due < $1::date)
             or (status in ('issued', 'acknowledged') and feedback_due < $1::date))
            and ($2::text is null or department = $2)
          order by department, issued_at, id limit 1000`,
        [today, scope],
      );
      return { today, orders: rows.rows, truncated: rows.rows.length === 1000 };
    });

    app.get<{ Params: { id: string } }>(
      '/v1/orders/:id',
      { schema: { params: ID_PARAMS } },
      async (request) => {
        const scope = ordersScope(clientOf(request));
        const found = await deps.pool.query<OrderRow>(`select ${ORDER_COLUMNS} from orders where id = $1`, [
          request.params.id,
        ]);
        const order = found.rows[0];
        if (order === undefined || (scope !== null && order.department !== scope))
          throw OrderNotFound(request.params.id);
        const history = await deps.pool.query(
          'select seq, status, actor, reason, at from order_events where order_id = $1 order by seq',
          [request.params.id],
        );
        return { ...order, history: history.rows };
      },
    );

    app.post<{ Params: { id: string }; Body: { note?: string } }>(
      '/v1/orders/:id/acknowledge',
      {
        schema: {
          params: ID_PARAMS,
          body: {
            type: 'object',
            additionalProperties: false,
            properties: { note: text(2000) },
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        require(client, 'department', 'acknowledge an order');
        const result = await respond(
          deps.pool,
          request.params.id,
          client.department ?? '',
          client.actor,
          { action: 'acknowledge', ...(request.body?.note ? { note: request.body.note } : {}) },
          (code) => deps.measures.get(code),
          deps.now,
        );
        return { id: request.params.id, acknowledged: true, result };
      },
    );

    app.post<{ Params: { id: string }; Body: Feedback }>(
      '/v1/orders/:id/feedback',
      {
        schema: {
          params: ID_PARAMS,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['measureApplied', 'matter', 'outcome', 'date'],
            properties: {
              measureApplied: { type: 'boolean' },
              matter: text(500),
              outcome: text(2000),
              date: DATE,
            },
          },
        },
      },
      async (request) => {
        const client = clientOf(request);
        require(client, 'department', 'report feedback');
        const result = await respond(
          deps.pool,
          request.params.id,
          client.department ?? '',
          client.actor,
          { action: 'feedback', feedback: request.body },
          (code) => deps.measures.get(code),
          deps.now,
        );
        return { id: request.params.id, fedBack: true, result };
      },
    );

    const onBehalfOf = {
      type: 'object',
      additionalProperties: false,
      required: ['actor', 'department'],
      properties: { actor: text(64), department: text(64) },
    } as const;

    app.post<{ Body: { subjectCode: string; matterType: string; onBehalfOf?: OnBehalfOf } }>(
      '/v1/checks',
      {
        schema: {
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['subjectCode', 'matterType'],
            properties: {
              subjectCode: text(64),
              matterType: text(64),
              onBehalfOf,
            },
          },
        },
      },
      async (request) => {
        const { subjectCode, matterType } = request.body;
        return runCheck(
          deps.pool,
          {
            subjectCode,
            matterType,
            ...checkCaller(clientOf(request), request.body.onBehalfOf, 'check a subject'),
          },
          deps.measures,
          deps.now(),
          deps.tokenKey,
          checkLog,
        );
      },
    );

    app.post<{ Params: { id: string }; Body: Decision & { onBehalfOf?: OnBehalfOf } }>(
      '/v1/checks/:id/decision',
      {
        schema: {
          params: ID_PARAMS,
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['decision', 'measuresApplied'],
            properties: {
              decision: text(64),
              measuresApplied: { type: 'array', items: text(64), maxItems: 100 },
              note: text(2000),
              onBehalfOf,
            },
          },
        },
      },
      async (request) => {
        const { onBehalfOf: behalf, ...decision } = request.body;
        const { caller } = checkCaller(clientOf(request), behalf, 'record a decision');
        await recordDecision(deps.pool, request.params.id, caller, decision, deps.now());
        return { checkId: request.params.id, recorded: true };
      },
    );

    const period = {
      description: `[from, to] in China days, at most ${STATISTICS_MAX_DAYS} days (400 SANCTIONS_PERIOD_TOO_LONG); one at a time, four more waiting, beyond that 503 SANCTIONS_BUSY with Retry-After`,
      querystring: {
        type: 'object',
        additionalProperties: false,
        required: ['from', 'to'],
        properties: { from: DATE, to: DATE },
      },
    };
    app.get<{ Querystring: { from: string; to: string } }>(
      '/v1/statistics',
      { schema: period },
      async (request) => {
        require(clientOf(request), 'office', 'read statistics');
        const { from, to } = request.query;
        checkPeriod(from, to);
        const departments = await reports.run(() => statistics(deps.pool, from, to, chinaToday(deps.now())));
        return { from, to, departments };
      },
    );

    app.get<{ Querystring: { from: string; to: string } }>(
      '/v1/statistics.csv',
      { schema: period },
      async (request, reply) => {
        require(clientOf(request), 'office', 'read statistics');
        const { from, to } = request.query;
        checkPeriod(from, to);
        const rows = await reports.run(() => statistics(deps.pool, from, to, chinaToday(deps.now())));
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="sanctions-${from}-${to}.csv"`)
          .send(statisticsCsv(rows));
      },
    );
  });
}
