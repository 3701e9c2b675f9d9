import { chinaToday } from '@credit/calendar';
import { createConcurrencyLimit } from '@credit/kit';
import etag from '@fastify/etag';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { readFeed } from './change-feed.ts';
import { verifyReport } from './credit-report.ts';
import { QueryBusy } from './errors.ts';
import { browseLists } from './list-entries.ts';
import type { Presentation } from './presentation.ts';
import { publicProfile } from './profile.ts';
import type { QueryAudit } from './query-audit.ts';
import { text } from './request-text.ts';
import { MAX_SEARCH_DEPTH, searchByName } from './search.ts';
import { keyOf, lookUpSubject } from './subjects.ts';

const PUBLIC = { residentIds: false };

export interface PublicRouteDeps {
  pool: pg.Pool;
  /**
   * The pool name search and list browsing run on: its own connections and a short statement_timeout, so that those
   * (their cost grows with how common a word is, how rare a filter) never take the connections profiles, the feed and
   * the authorised routes use.
   */
  searchPool: pg.Pool;
  /** Searches and list pages running at once (at most the search pool's size), and waiting for a turn. */
  searchConcurrency: number;
  searchQueue: number;
  names: Presentation;
  audit: QueryAudit;
  tokenKey: Buffer;
  now: () => Date;
  /** Requests per IP address per minute. */
  ratePerMinute: number;
}

const TAG = ['public'];
/** How long a search waits for a turn before it is refused, and the Retry-After it is refused with. */
const SEARCH_WAIT_MS = 2_000;
const BUSY_RETRY_AFTER_SECONDS = 1;
const CODE = text(64, 1);

/** The public API: no credentials, rate-limited per IP address, every query counted in the audit log. */
export async function publicRoutes(root: FastifyInstance, deps: PublicRouteDeps): Promise<void> {
  await root.register(async (app) => {
    // ETags on public answers only (this scope): authorised answers are no-store, and a POST must never be a 304.
    await app.register(etag);
    const rateLimit = {
      max: deps.ratePerMinute,
      timeWindow: '1 minute',
      keyGenerator: (request: FastifyRequest) => `ip:${request.ip}`,
    };
    app.addHook('onSend', async (_request, reply) => {
      if (reply.statusCode < 400) reply.header('cache-control', 'public, max-age=60');
    });
    const today = () => chinaToday(deps.now());
    const expensive = createConcurrencyLimit({
      max: deps.searchConcurrency,
      queue: deps.searchQueue,
      maxWaitMs: SEARCH_WAIT_MS,
      refuse: (why) =>
        QueryBusy.with({ retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS }, undefined, 'search and list', why),
    });

    app.get<{ Params: { code: string } }>(
      '/v1/public/subjects/:code',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'A subject’s public profile (by USCC, an old code — redirected — or a resident identity number)',
          params: { type: 'object', required: ['code'], properties: { code: CODE } },
        },
      },
      async (request, reply) => {
        const code = keyOf(request.params.code, deps.tokenKey, PUBLIC);
        const profile =
          code === request.params.code
            ? await publicProfile(deps.pool, code, today(), deps.names)
            : undefined;
        if (profile !== undefined) {
          deps.audit.countPublic('profile', code);
          return profile;
        }
        // Not a subject's own code as given: an old code, or a code written differently (lower case, full width).
        const found = await lookUpSubject(deps.pool, request.params.code, deps.tokenKey, PUBLIC);
        deps.audit.countPublic('redirect', found.code);
        return reply.redirect(`/v1/public/subjects/${encodeURIComponent(found.code)}`, 301);
      },
    );

    app.get<{ Querystring: { q: string; page: number; pageSize: number } }>(
      '/v1/public/search',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'Organisations by name (current or former): exact, prefix, contains, then similar; stable order',
          description: `Bounded cost: q of 2 to 100 characters, pageSize up to 50, page × pageSize up to ${MAX_SEARCH_DEPTH} (deeper: 400 QUERY_SEARCH_TOO_BROAD), a query too broad to rank within the statement timeout: 400 QUERY_SEARCH_TOO_BROAD; too many searches at once: 503 QUERY_BUSY with Retry-After.`,
          querystring: {
            type: 'object',
            required: ['q'],
            additionalProperties: false,
            properties: {
              q: { ...text(100, 1), description: 'at least 2 characters' },
              page: {
                type: 'integer',
                minimum: 1,
                default: 1,
                description: `page × pageSize ≤ ${MAX_SEARCH_DEPTH}`,
              },
              pageSize: { type: 'integer', minimum: 1, maximum: 50, default: 20 },
            },
          },
        },
      },
      async (request) => {
        deps.audit.countPublic('search', null);
        return expensive.run(() =>
          searchByName(
            deps.searchPool,
            { query: request.query.q, page: request.query.page, pageSize: request.query.pageSize },
            deps.names,
          ),
        );
      },
    );

    app.get<{
      Querystring: {
        colour?: string;
        listType?: string;
        department?: string;
        region?: string;
        cursor?: string;
        limit: number;
      };
    }>(
      '/v1/public/lists',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'Published list entries valid today, newest first, by colour, list type, department and region',
          description:
            'Keyset-paged (nextCursor), limit up to 100; shares the search routes’ concurrency limit: too many at once, 503 QUERY_BUSY with Retry-After.',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              colour: { type: 'string', enum: ['red', 'black', 'watch', 'warning'] },
              listType: text(64),
              department: text(64),
              region: { type: 'string', pattern: '^\\d{2}(\\d{2}){0,2}$' },
              cursor: text(200),
              limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
            },
          },
        },
      },
      async (request) => {
        deps.audit.countPublic('lists', null);
        return expensive.run(() => browseLists(deps.searchPool, request.query, today(), deps.names));
      },
    );

    app.get<{ Querystring: { cursor?: string; since?: string; limit: number } }>(
      '/v1/public/changes',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary: 'What changed, oldest first, from a cursor (nextCursor of the last page) or from a time',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              cursor: text(200),
              since: text(40),
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
          },
        },
      },
      async (request) => {
        deps.audit.countPublic('changes', null);
        return readFeed(deps.pool, request.query);
      },
    );

    app.get<{ Params: { number: string }; Querystring: { code: string } }>(
      '/v1/public/reports/:number/verification',
      {
        config: { rateLimit },
        schema: {
          tags: TAG,
          summary:
            'Checks a printed credit report: its number and verification code, and what it really said',
          params: {
            type: 'object',
            required: ['number'],
            properties: { number: text(40) },
          },
          querystring: {
            type: 'object',
            required: ['code'],
            additionalProperties: false,
            properties: { code: { type: 'string', minLength: 16, maxLength: 24 } },
          },
        },
      },
      async (request) => {
        deps.audit.countPublic('verify-report', null);
        return verifyReport(deps.pool, request.params.number, request.query.code);
      },
    );

    app.get(
      '/v1/public/reference',
      { config: { rateLimit }, schema: { tags: TAG, summary: 'List types and departments, for filters' } },
      async () => deps.names.reference(),
    );
  });
}
