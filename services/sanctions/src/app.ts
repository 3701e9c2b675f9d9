import {
  type ApiClients,
  type Consumer,
  counter,
  createServiceApp,
  followTopicsByPrefix,
  type HealthState,
  type Logger,
  type MessageBus,
  type Producer,
  type ReadinessCheck,
  type Registry,
} from '@credit/kit';
import { createOutboxRelay, jsonEventsSelect, type OutboxRelay } from '@credit/outbox';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createFeedbackHandler } from './feedback-consumer.ts';
import { createFollowListsHandler, type FollowContext } from './follow-lists.ts';
import { SANCTION_ORDER_SCHEMA } from './order-work.ts';
import { type Role, sanctionsRoutes } from './routes.ts';

export interface SanctionsDeps {
  logger: Logger;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  context: FollowContext;
  clients: ApiClients<Role>;
  tokenKey: Buffer;
  metrics: Registry;
  health: HealthState;
  readiness: ReadinessCheck[];
  service: string;
  groupId: string;
  listChangesTopic: string;
  /** The orders topic of an implementing department (credit.sanction-orders.<code>). */
  ordersTopic: (department: string) => string;
  /** Every department's feedback topic starts with this (credit.sanction-feedback.<code>). */
  feedbackTopicPrefix: string;
  topicScanMs?: number;
  deadLetterTopic: string;
  sessionTimeoutMs?: number;
  now?: () => Date;
}

export interface Sanctions {
  app: FastifyInstance;
  relay: OutboxRelay;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the list-change and feedback consumers, the API and the order relay from injected dependencies. */
export async function createSanctions(deps: SanctionsDeps): Promise<Sanctions> {
  const now = deps.now ?? (() => new Date());
  const applied = counter(
    deps.metrics,
    'credit_sanctions_list_changes_applied_total',
    'List changes applied',
  );
  const ignored = counter(
    deps.metrics,
    'credit_sanctions_list_changes_ignored_total',
    'List changes seen before',
  );
  const refused = counter(
    deps.metrics,
    'credit_sanctions_messages_refused_total',
    'Messages sent to the DLQ',
    ['reason'],
  );
  const published = counter(
    deps.metrics,
    'credit_sanctions_order_events_published_total',
    'Order events published',
  );
  const relay = createOutboxRelay({
    pool: deps.pool,
    producer: deps.producer,
    topic: deps.ordersTopic,
    logger: deps.logger,
    lockName: 'sanctions.outbox',
    table: 'outbox',
    eventSchema: SANCTION_ORDER_SCHEMA,
    selectSql: jsonEventsSelect('department'),
    onPublished: (count) => published.inc(count),
  });
  const followLists = createFollowListsHandler({
    pool: deps.pool,
    producer: deps.producer,
    context: deps.context,
    deadLetterTopic: deps.deadLetterTopic,
    service: deps.service,
    logger: deps.logger,
    now,
    onApplied: (result) => {
      applied.inc(result.applied);
      ignored.inc(result.ignored);
      if (result.events > 0) relay.nudge();
    },
    onRefused: (code) => refused.inc({ reason: code }),
  });
  const feedback = createFeedbackHandler({
    topicPrefix: deps.feedbackTopicPrefix,
    pool: deps.pool,
    producer: deps.producer,
    measure: (code) => deps.context.measures.get(code),
    deadLetterTopic: deps.deadLetterTopic,
    service: deps.service,
    logger: deps.logger,
    now,
    onResponded: () => relay.nudge(),
  });

  const app = await createServiceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    health: deps.health,
    metrics: deps.metrics,
  });
  app.addHook('onResponse', async (request) => {
    if (request.method === 'POST' && request.url.startsWith('/v1/orders/')) relay.nudge();
  });
  await sanctionsRoutes(app, {
    pool: deps.pool,
    clients: deps.clients,
    measures: deps.context.measures,
    now,
    tokenKey: deps.tokenKey,
  });

  const consumers: Consumer[] = [];
  const responses = followTopicsByPrefix({
    bus: deps.bus,
    groupId: `${deps.groupId}.feedback`,
    prefix: deps.feedbackTopicPrefix,
    scanMs: deps.topicScanMs ?? 30_000,
    partitionsConcurrently: 1,
    sessionTimeoutMs: deps.sessionTimeoutMs,
    handler: feedback,
    logger: deps.logger,
  });
  return {
    app,
    relay,
    async start() {
      relay.start();
      relay.nudge();
      const lists = await deps.bus.consumer({
        groupId: deps.groupId,
        topics: [deps.listChangesTopic],
        fromBeginning: true,
        ...(deps.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: deps.sessionTimeoutMs }),
      });
      consumers.push(lists);
      await lists.run(followLists);
      await responses.start();
    },
    async stop() {
      for (const consumer of consumers) await consumer.disconnect();
      await responses.stop();
      await relay.stop();
      await app.close();
    },
  };
}
