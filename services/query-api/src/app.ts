import { fileURLToPath } from 'node:url';
import type { AuditLog } from '@credit/audit';
import {
  type ApiClients,
  type Consumer,
  counter,
  createServiceApp,
  type HealthState,
  type Logger,
  type MessageBus,
  type Producer,
  type ReadinessCheck,
  type Registry,
} from '@credit/kit';
import rateLimit from '@fastify/rate-limit';
import staticFiles from '@fastify/static';
import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { type AuthorisedRouteDeps, authorisedRoutes, type Scope } from './authorised-routes.ts';
import { createFeedHandler, type FeedPolicy } from './change-feed.ts';
import { RateLimited } from './errors.ts';
import type { Presentation } from './presentation.ts';
import { publicRoutes } from './public-routes.ts';
import { createQueryAudit, type QueryAudit } from './query-audit.ts';
import type { SanctionsClient } from './sanctions-client.ts';

export { SCOPES, type Scope } from './authorised-routes.ts';

const WEB_DIR = fileURLToPath(new URL('../public', import.meta.url));

export interface QueryApiDeps {
  logger: Logger;
  pool: pg.Pool;
  /** Name search and list browsing only: a few connections of their own with a short statement_timeout. */
  searchPool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  names: Presentation;
  /** Whether records of a kind and severity are ever public (the catalogue's disclosure), for the change feed. */
  disclosed: FeedPolicy['disclosed'];
  clients: ApiClients<Scope>;
  auditLog: AuditLog;
  sanctions: SanctionsClient;
  tokenKey: Buffer;
  metrics: Registry;
  health: HealthState;
  readiness: ReadinessCheck[];
  service: string;
  groupId: string;
  subjectChangesTopic: string;
  listChangesTopic: string;
  deadLetterTopic: string;
  baseUrl: string;
  limits: {
    publicPerMinute: number;
    clientPerMinute: number;
    /** Searches and list pages at once (the search pool's size) and waiting for a turn. */
    searchConcurrency: number;
    searchQueue: number;
  };
  auditFlushMs: number;
  /** TRUST_PROXY: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  now?: () => Date;
}

export interface QueryApi {
  app: FastifyInstance;
  audit: QueryAudit;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The public and authorised query API and the change-feed consumer, from injected dependencies. */
export async function createQueryApi(deps: QueryApiDeps): Promise<QueryApi> {
  const now = deps.now ?? (() => new Date());
  const audit = createQueryAudit(deps.auditLog, deps.logger, deps.auditFlushMs);
  const followed = counter(
    deps.metrics,
    'credit_query_feed_changes_total',
    'Changes added to the public feed',
  );

  const app = await createServiceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    health: deps.health,
    metrics: deps.metrics,
    // Behind a trusted proxy (an ingress), the client address for per-IP limits comes from X-Forwarded-For; without
    // one, trusting that header would let anyone pick the address they are limited under.
    trustProxy: deps.trustProxy,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (request: FastifyRequest, context: { max: number; after: string }) =>
      RateLimited(
        request.headers.authorization ? 'this client' : `address ${request.ip}`,
        String(context.max),
        context.after,
      ),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credit data exchange — query API',
        version: '1',
        description:
          'Public lookups (no credentials, rate-limited per IP) and authorised queries (bearer token with scopes; every call names its purpose in X-Credit-Purpose). Every query is written to a hash-chained audit log.',
      },
      tags: [
        {
          name: 'public',
          description: 'Anyone: profiles, search, lists, the change feed, report verification',
        },
        { name: 'authorised', description: 'Approval systems and other platforms, by scope' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await publicRoutes(app, {
    pool: deps.pool,
    searchPool: deps.searchPool,
    searchConcurrency: deps.limits.searchConcurrency,
    searchQueue: deps.limits.searchQueue,
    names: deps.names,
    audit,
    tokenKey: deps.tokenKey,
    now,
    ratePerMinute: deps.limits.publicPerMinute,
  });
  const authorised: AuthorisedRouteDeps = {
    pool: deps.pool,
    names: deps.names,
    clients: deps.clients,
    audit,
    auditLog: deps.auditLog,
    sanctions: deps.sanctions,
    tokenKey: deps.tokenKey,
    now,
    baseUrl: deps.baseUrl,
    ratePerMinute: deps.limits.clientPerMinute,
  };
  await authorisedRoutes(app, authorised);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // The public web page (信用查询): static files that call the public API.
  await app.register(staticFiles, { root: WEB_DIR, prefix: '/', index: 'index.html', cacheControl: false });

  const policy: FeedPolicy = { disclosed: deps.disclosed, names: deps.names };
  const handler = createFeedHandler({
    pool: deps.pool,
    producer: deps.producer,
    policy,
    deadLetterTopic: deps.deadLetterTopic,
    service: deps.service,
    logger: deps.logger,
    onFollowed: (rows) => followed.inc(rows),
  });
  let consumer: Consumer | undefined;
  return {
    app,
    audit,
    async start() {
      consumer = await deps.bus.consumer({
        groupId: deps.groupId,
        topics: [deps.subjectChangesTopic, deps.listChangesTopic],
        fromBeginning: true,
      });
      await consumer.run(handler);
    },
    async stop() {
      await consumer?.disconnect();
      await app.close();
      await audit.stop();
    },
  };
}
