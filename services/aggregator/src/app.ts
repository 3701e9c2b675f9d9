import { chinaToday } from '@credit/calendar';
import type { Catalogue } from '@credit/catalogue';
import type { Contracts } from '@credit/intake';
import {
  followTopicsByPrefix,
  frameworkErrors,
  type HealthState,
  type Logger,
  type MessageBus,
  type PrefixSubscription,
  type Producer,
  type ReadinessCheck,
  type Registry,
  registerErrorHandling,
  registerOperationalRoutes,
} from '@credit/kit';
import { createOutboxRelay, type OutboxRelay } from '@credit/outbox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type pg from 'pg';
import { createBatchWriter } from './batch-writer.ts';
import { createBatchHandler } from './consume.ts';
import { expireRecords } from './expiry.ts';
import { createAggregatorMetrics } from './metrics.ts';
import type { NormaliseContext } from './normalise.ts';
import { SUBJECT_CHANGE_SCHEMA } from './subject-change.ts';
import type { IdentityKeys } from './subject-identity.ts';

export interface AggregatorDeps {
  logger: Logger;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  catalogue: Catalogue;
  contracts: Contracts;
  keys: IdentityKeys;
  /** The departments' registered signing keys, and the platform's sealing keys (only this service holds them). */
  trust: NormaliseContext['trust'];
  metrics: Registry;
  health: HealthState;
  readiness: ReadinessCheck[];
  service: string;
  groupId: string;
  topicPrefix: string;
  topicScanMs: number;
  partitionsConcurrently: number;
  sessionTimeoutMs?: number;
  subjectChangesTopic: string;
  /** null for a replay: refused messages were dead-lettered when first consumed. */
  deadLetterTopic: string | null;
  expirySweepMs: number;
  now?: () => Date;
  /** false for a replay that rebuilds without announcing the changes again. */
  publishChanges?: boolean;
}

export interface Aggregator {
  /** Operational HTTP: /health/live, /health/ready, /metrics. */
  app: FastifyInstance;
  subscription: PrefixSubscription;
  relay: OutboxRelay;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the consumer, the outbox relay and the expiry sweep from injected dependencies; no globals. */
export async function createAggregator(deps: AggregatorDeps): Promise<Aggregator> {
  const now = deps.now ?? (() => new Date());
  const metrics = createAggregatorMetrics(deps.metrics);
  const relay = createOutboxRelay({
    pool: deps.pool,
    producer: deps.producer,
    topic: deps.subjectChangesTopic,
    logger: deps.logger,
    lockName: 'aggregator.outbox',
    table: 'outbox',
    eventSchema: SUBJECT_CHANGE_SCHEMA,
    // The event's JSON is made by the database from the stored row: no parse and re-serialise here.
    selectSql: `select id, subject_code as key, subject_code || ':' || id as event_id,
                jsonb_build_object('schema', '${SUBJECT_CHANGE_SCHEMA}', 'eventId', subject_code || ':' || id,
                  'subjectCode', subject_code, 'subjectCreated', event -> 'subjectCreated',
                  'changes', event -> 'changes',
                  'at', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text as value
           from outbox order by id limit $1`,
    onPublished: (count) => metrics.eventsPublished.inc(count),
  });
  const publish = deps.publishChanges ?? true;
  const writer = createBatchWriter({
    pool: deps.pool,
    producer: deps.producer,
    deadLetterTopic: deps.deadLetterTopic,
    service: deps.service,
    logger: deps.logger,
    today: () => chinaToday(now()),
    onCommitted: (result) => {
      metrics.applied.inc(result.applied);
      metrics.ignored.inc(result.ignored);
      if (publish && result.events > 0) relay.nudge();
    },
  });
  const handler = createBatchHandler({
    normalise: {
      catalogue: deps.catalogue,
      contracts: deps.contracts,
      keys: deps.keys,
      trust: deps.trust,
      topicPrefix: deps.topicPrefix,
      now,
    },
    writer,
    metrics,
  });
  const subscription = followTopicsByPrefix({
    bus: deps.bus,
    groupId: deps.groupId,
    prefix: deps.topicPrefix,
    scanMs: deps.topicScanMs,
    partitionsConcurrently: deps.partitionsConcurrently,
    sessionTimeoutMs: deps.sessionTimeoutMs,
    handler,
    logger: deps.logger,
    onTopics: (topics) => metrics.topics.set(topics.length),
  });

  // Typed with pino's Logger, the instance would not fit kit's FastifyInstance (FastifyBaseLogger) parameters.
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors,
  }) as unknown as FastifyInstance;
  registerErrorHandling(app);
  await registerOperationalRoutes(app, { checks: deps.readiness, state: deps.health, metrics: deps.metrics });

  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = async () => {
    const expired = await expireRecords(deps.pool, chinaToday(now()));
    if (expired > 0) {
      metrics.expired.inc(expired);
      deps.logger.info({ expired }, 'records whose disclosure window closed marked expired');
      if (publish) relay.nudge();
    }
  };

  return {
    app,
    subscription,
    relay,
    async start() {
      if (publish) {
        relay.start();
        relay.nudge();
      }
      await subscription.start();
      sweepTimer = setInterval(() => {
        sweeping = sweeping
          .then(sweep)
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'expiry sweep failed; will retry'));
      }, deps.expirySweepMs);
      sweepTimer.unref();
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      await sweeping;
      await subscription.stop();
      await relay.stop();
      await app.close();
    },
  };
}
