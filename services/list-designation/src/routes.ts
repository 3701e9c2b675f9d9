import { chinaToday } from '@credit/calendar';
import { authenticateRequests } from '@credit/kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import type { ApiClient, ApiClients, Role } from './api-clients.ts';
import { type BackfillRow, readBackfill } from './backfill.ts';
import { applyEntryEvent, type EventRequest } from './entry-events.ts';
import { ENTRY_COLUMNS, type EntryRow, toListEntry } from './entry-row.ts';
import { BackfillNotFound, EntryNotFound, Forbidden } from './errors.ts';
import { allowedEvents, EVENT_TYPES } from './lifecycle.ts';
import type { ReconcileContext } from './reconcile.ts';
import { timelinessReport } from './timeliness.ts';

export interface RouteDeps {
  pool: pg.Pool;
  clients: ApiClients;
  context: () => ReconcileContext;
  now: () => Date;
  timelyWorkingDays: number;
  /** Starts (or resumes) a re-evaluation of every subject; resolves once it is recorded, not when it is done. */
  startBackfill: () => Promise<BackfillRow>;
}

const REVIEW_STATES = ['proposed', 'notified', 'objected', 'confirmed'];
const DATE = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
/** Text without NUL (PostgreSQL text cannot hold it: a NUL reaching a query was a 500), `min` to `max` characters. */
const text = (max: number, min = 0) =>
  ({ type: 'string', minLength: min, maxLength: max, pattern: '^[^\\u0000]*$' }) as const;
/** An entry's or a backfill's id, or a subject's code, in the path. */
const pathParams = (name: string) =>
  ({ type: 'object', required: [name], properties: { [name]: text(200, 1) } }) as const;

function requireRole(client: ApiClient, roles: readonly Role[], action: string): void {
  if (!roles.some((role) => client.roles.includes(role))) {
    throw Forbidden(client.actor, action, `needs one of the roles ${roles.join(', ')}`);
  }
}

/**
 * The department whose entries alone the client may read: a designator sees its own department's entries; the
 * credit office, the objection desk (objections may concern any list) and admins see all (null).
 */
function visibleDepartment(client: ApiClient): string | null {
  const seesAll = client.roles.some((role) => role !== 'designator');
  return seesAll ? null : client.department;
}

async function entryView(pool: pg.Pool, id: string, now: Date, department: string | null) {
  const found = await pool.query<EntryRow>(`select ${ENTRY_COLUMNS} from entries where id = $1`, [id]);
  const row = found.rows[0];
  // Another department's entry is answered as absent: its existence is not the caller's business.
  if (row === undefined || (department !== null && row.designating_department !== department)) {
    throw EntryNotFound(id);
  }
  const transitions = await pool.query(
    `select seq, event, from_state as "from", to_state as "to", actor_id as "actorId", actor_role as "actorRole",
            reason, at from transitions where entry_id = $1 order by seq`,
    [id],
  );
  const announcement = await pool.query('select text, at from exit_announcements where entry_id = $1', [id]);
  return {
    ...entryJson(row),
    allowedEvents: allowedEvents(toListEntry(row), now),
    transitions: transitions.rows,
    exitAnnouncement: announcement.rows[0] ?? null,
  };
}

function entryJson(row: EntryRow) {
  return {
    id: row.id,
    subjectCode: row.subject_code,
    subjectCategory: row.subject_category,
    listType: row.list_type,
    colour: row.colour,
    field: row.field,
    state: row.state,
    exitReason: row.exit_reason,
    noticeChannel: row.notice_channel,
    source: row.source,
    ruleId: row.rule_id,
    rulesVersion: row.rules_version,
    designatingDepartment: row.designating_department,
    designatedOn: row.designated_on,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    repairable: row.repairable,
    repairableFrom: row.repairable_from,
    basis: row.basis,
    basisEntries: row.basis_entries,
    explanation: row.explanation,
    reachedPlatformAt: row.reached_platform_at,
    workingDaysToPlatform: row.working_days_to_platform,
  };
}

/** The reviewer API (认定 → 告知/公示 → 异议 → 审核/确认 → 发布 → 修复/移出): every route needs a bearer token. */
export async function listRoutes(root: FastifyInstance, deps: RouteDeps): Promise<void> {
  await root.register(async (app) => {
    await routes(app, deps, authenticateRequests(app, deps.clients));
  });
}

async function routes(
  app: FastifyInstance,
  deps: RouteDeps,
  clientOf: (request: FastifyRequest) => ApiClient,
): Promise<void> {
  app.get<{
    Querystring: { subject?: string; listType?: string; state?: string; limit?: number; after?: string };
  }>(
    '/v1/entries',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            subject: text(200, 1),
            listType: text(200, 1),
            state: { type: 'string', enum: [...REVIEW_STATES, 'published', 'suspended', 'exited'] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
            after: { ...text(200), description: 'the last id of the previous page' },
          },
        },
      },
    },
    async (request) => {
      const { subject, listType, state, limit = 100, after } = request.query;
      const rows = await deps.pool.query<EntryRow>(
        `select ${ENTRY_COLUMNS} from entries
          where ($1::text is null or subject_code = $1) and ($2::text is null or list_type = $2)
            and ($3::text is null or state = $3) and ($4::text is null or id > $4)
            and ($6::text is null or designating_department = $6)
          order by id limit $5`,
        [
          subject ?? null,
          listType ?? null,
          state ?? null,
          after ?? null,
          limit,
          visibleDepartment(clientOf(request)),
        ],
      );
      return {
        entries: rows.rows.map(entryJson),
        next: rows.rows.length === limit ? rows.rows.at(-1)?.id : null,
      };
    },
  );

  app.get('/v1/review-queue', async (request) => {
    const client = clientOf(request);
    const rows = await deps.pool.query<EntryRow>(
      `select ${ENTRY_COLUMNS} from entries
        where state = any($1::text[]) and ($2::text is null or designating_department = $2)
        order by created_at, id limit 500`,
      [REVIEW_STATES, visibleDepartment(client)],
    );
    return { entries: rows.rows.map(entryJson) };
  });

  app.get<{ Params: { id: string } }>(
    '/v1/entries/:id',
    { schema: { params: pathParams('id') } },
    async (request) => {
      return entryView(deps.pool, request.params.id, deps.now(), visibleDepartment(clientOf(request)));
    },
  );

  app.post<{ Params: { id: string }; Body: EventRequest }>(
    '/v1/entries/:id/events',
    {
      schema: {
        params: pathParams('id'),
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['type', 'reason'],
          properties: {
            type: { type: 'string', enum: [...EVENT_TYPES] },
            reason: text(2000, 1),
            channel: { type: 'string', enum: ['notice', 'public-display'] },
            outcome: { type: 'string', enum: ['upheld', 'rejected'] },
          },
        },
      },
    },
    async (request) => {
      const client = clientOf(request);
      await applyEntryEvent(deps.pool, request.params.id, request.body, client, deps.context(), deps.now);
      return entryView(deps.pool, request.params.id, deps.now(), visibleDepartment(client));
    },
  );

  app.get<{ Params: { code: string } }>(
    '/v1/subjects/:code/lists',
    { schema: { params: pathParams('code') } },
    async (request) => {
      const department = visibleDepartment(clientOf(request));
      const entries = await deps.pool.query<EntryRow>(
        `select ${ENTRY_COLUMNS} from entries
        where subject_code = $1 and ($2::text is null or designating_department = $2)
        order by created_at, id`,
        [request.params.code, department],
      );
      const refusals = await deps.pool.query(
        `select list_type as "listType", rule_id as "ruleId", rules_version as "rulesVersion", basis, reason, at
         from refusals where subject_code = $1 and $2::text is null order by list_type`,
        [request.params.code, department],
      );
      return {
        subjectCode: request.params.code,
        entries: entries.rows.map(entryJson),
        refusals: refusals.rows,
      };
    },
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/v1/timeliness',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { from: DATE, to: DATE } },
      },
    },
    async (request) => {
      const to = request.query.to ?? chinaToday(deps.now());
      const from = request.query.from ?? `${to.slice(0, 4)}-01-01`;
      return timelinessReport(deps.pool, from, to, deps.timelyWorkingDays);
    },
  );

  app.post('/v1/backfills', async (request, reply) => {
    const client = clientOf(request);
    requireRole(client, ['admin'], 'start a re-evaluation');
    const backfill = await deps.startBackfill();
    return reply.code(202).send(backfill);
  });

  app.get<{ Params: { id: string } }>(
    '/v1/backfills/:id',
    { schema: { params: pathParams('id') } },
    async (request) => {
      requireRole(clientOf(request), ['admin'], 'read a re-evaluation');
      const backfill = await readBackfill(deps.pool, request.params.id);
      if (backfill === undefined) throw BackfillNotFound(request.params.id);
      return backfill;
    },
  );
}
