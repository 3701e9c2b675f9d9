import { randomUUID } from 'node:crypto';
import { type Catalogue, type Department, ingestTopicName } from '@credit/catalogue';
import {
  counter,
  frameworkErrors,
  type HealthState,
  histogram,
  type Logger,
  type Producer,
  type ReadinessCheck,
  type Registry,
  registerErrorHandling,
  registerOperationalRoutes,
} from '@credit/kit';
import { type SchemaRegistry, wireJsonSchemas } from '@credit/schemas';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type pg from 'pg';
import type { KeyStore } from './auth/api-keys.ts';
import { authenticate } from './auth/authenticate.ts';
import { NoSigningKey, RateLimited } from './errors.ts';
import { createSubmissionPipeline } from './intake/pipeline.ts';
import type { GatewayTrust } from './intake/submit.ts';
import { recordsRoutes } from './routes/records.ts';
import { schemaRoutes } from './routes/schemas.ts';

export interface GatewayDeps {
  logger: Logger;
  pool: pg.Pool;
  producer: Producer;
  catalogue: Catalogue;
  registry: SchemaRegistry;
  keys: KeyStore;
  metrics: Registry;
  health: HealthState;
  readiness: ReadinessCheck[];
  limits: { batchMax: number; bodyLimitBytes: number; ratePerMinute: number };
  now?: () => Date;
  /** Default credit.ingest.<department code>. */
  topicFor?: (department: Department) => string;
  trust: GatewayTrust;
  /** TLS options for HTTPS and client certificates (mTLS); plain HTTP without. */
  https?: { key: Buffer; cert: Buffer; ca?: Buffer; requestCert: boolean; rejectUnauthorized: false };
}

/** Builds the gateway from its dependencies; `main.ts` wires real ones, tests the same real ones per test. */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    loggerInstance: deps.logger,
    // Two log lines per request cost more CPU than the rest of a small request; errors are still logged and every
    // request is counted in the metrics.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.limits.bodyLimitBytes,
    frameworkErrors,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance; // the https overload types the instance as an HTTPS server; routes do not care

  registerErrorHandling(app);
  // The API speaks JSON only: without this, fastify's built-in text/plain parser would hand a string to the handlers.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const { kinds, defs } = wireJsonSchemas(deps.registry);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credit data exchange — ingest gateway',
        version: '1',
        description:
          'Departments report credit records (信用信息报送). Record bodies are the JSON form of the Avro schemas served under /v1/schemas.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'cdx_<key id>_<secret>' } },
        schemas: defs as Record<string, object>,
      },
    },
  });
  app.addSchema({
    $id: 'WireRecord',
    description:
      'One record: its kind and its fields. envelope.reportedAt, version and operation may be omitted.',
    oneOf: Object.entries(kinds).map(([kind, schema]) => ({
      type: 'object',
      required: ['kind', 'record'],
      properties: { kind: { const: kind }, record: schema },
    })),
  });

  await app.register(rateLimit, { global: false });
  await registerOperationalRoutes(app, { checks: deps.readiness, state: deps.health, metrics: deps.metrics });
  await schemaRoutes(app, { registry: deps.registry });
  app.get(
    '/v1/keys/platform',
    {
      schema: {
        summary: "The platform's sealing public key",
        description:
          'Departments that report over Kafka with the SDK seal identity numbers for this key (X25519, base64url; HPKE, RFC 9180). Fetch it over HTTPS and keep it: a change of key is announced by the credit office.',
        tags: ['keys'],
      },
    },
    async () => ({
      keyId: deps.trust.sealer.keyId,
      publicKey: deps.trust.sealer.publicKey,
      algorithm: 'HPKE base mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM',
    }),
  );
  await recordsRoutes(app, {
    batchMax: deps.limits.batchMax,
    now,
    authenticate: async (request) => {
      const principal = await authenticate(request, deps.keys, deps.catalogue, now());
      if (!deps.trust.signers.has(principal.department.code)) throw NoSigningKey(principal.department.code);
      request.principal = principal;
    },
    rateLimit: {
      max: deps.limits.ratePerMinute,
      timeWindow: '1 minute',
      hook: 'preHandler',
      keyGenerator: (request: { principal?: { department: { code: string } }; ip: string }) =>
        request.principal?.department.code ?? request.ip,
      errorResponseBuilder: (
        request: { principal?: { department: { code: string } } },
        context: { max: number; after: string },
      ) => RateLimited(request.principal?.department.code ?? 'unknown', String(context.max), context.after),
    },
    deps: {
      pool: deps.pool,
      catalogue: deps.catalogue,
      trust: deps.trust,
      logger: deps.logger,
      pipeline: createSubmissionPipeline({
        pool: deps.pool,
        producer: deps.producer,
        logger: deps.logger,
        staleClaimSeconds: 60,
        topicFor: deps.topicFor ?? ((department) => ingestTopicName(department.code)),
        produceSeconds: histogram(
          deps.metrics,
          'credit_intake_produce_seconds',
          'Time for Kafka to acknowledge a send (acks=all)',
          ['department'],
        ),
      }),
      metrics: {
        records: counter(
          deps.metrics,
          'credit_intake_records_total',
          'Records answered, by department and status',
          ['department', 'status'],
        ),
        rejections: counter(
          deps.metrics,
          'credit_intake_rejections_total',
          'Rejection reasons, by department and code',
          ['department', 'code'],
        ),
      },
    },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
