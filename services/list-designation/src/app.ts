import { chinaToday } from '@credit/calendar';
import { inTransaction } from '@credit/db';
import {
  type Consumer,
  createServiceApp,
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
import type { ApiClients } from './api-clients.ts';
import { type BackfillRow, lastCompletedRulesVersion, runBackfill, startBackfill } from './backfill.ts';
import { LIST_CHANGE_SCHEMA } from './list-change.ts';
import { createListMetrics } from './metrics.ts';
import {
  addResults,
  dueSubjects,
  evaluationVersion,
  NO_CHANGE,
  type ReconcileContext,
  type ReconcileResult,
  reconcileSubjects,
} from './reconcile.ts';
import { listRoutes } from './routes.ts';
import { createSubjectChangesHandler } from './subject-changes.ts';

export interface ListDesignationDeps {
  logger: Logger;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  context: ReconcileContext;
  clients: ApiClients;
  metrics: Registry;
  health: HealthState;
  readiness: ReadinessCheck[];
  service: string;
  groupId: string;
  subjectChangesTopic: string;
  listChangesTopic: string;
  deadLetterTopic: string;
  expirySweepMs: number;
  timelyWorkingDays: number;
  backfillOnRulesChange: boolean;
  sessionTimeoutMs?: number;
  now?: () => Date;
}

export interface ListDesignation {
  /** The reviewer API and /health, /metrics. */
  app: FastifyInstance;
  relay: OutboxRelay;
  /** Expires what is due now (the sweep's work, callable by tests with their own clock). */
  sweep(): Promise<ReconcileResult>;
  /** Starts or resumes the re-evaluation of every subject and resolves when it is done or stopped. */
  backfill(): Promise<BackfillRow>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const BACKFILL_ATTEMPTS = 5;

/** Wires the consumer, the reviewer API, the expiry sweep, the backfill and the outbox relay; no globals. */
export async function createListDesignation(deps: ListDesignationDeps): Promise<ListDesignation> {
  const now = deps.now ?? (() => new Date());
  const metrics = createListMetrics(deps.metrics);
  const context = () => deps.context;
  let stopping = false;
  const relay = createOutboxRelay({
    pool: deps.pool,
    producer: deps.producer,
    topic: deps.listChangesTopic,
    logger: deps.logger,
    lockName: 'lists.outbox',
    table: 'outbox',
    eventSchema: LIST_CHANGE_SCHEMA,
    selectSql: jsonEventsSelect('subject_code'),
    onPublished: (count) => metrics.changesPublished.inc(count),
  });
  const counted = (trigger: string, result: ReconcileResult, seconds: number) => {
    metrics.subjectsEvaluated.inc({ trigger }, result.subjects);
    metrics.entriesCreated.inc(result.created);
    metrics.transitions.inc(result.transitions);
    metrics.exits.inc(result.exited);
    metrics.evaluationSeconds.observe({ trigger }, seconds);
    for (const arrival of result.arrivals) {
      if (arrival.workingDays === null)
        metrics.designationsUnmeasured.inc({ department: arrival.department });
      else metrics.designationWorkingDays.observe({ department: arrival.department }, arrival.workingDays);
    }
    if (result.events > 0) relay.nudge();
  };
  const handler = createSubjectChangesHandler({
    pool: deps.pool,
    producer: deps.producer,
    context,
    deadLetterTopic: deps.deadLetterTopic,
    service: deps.service,
    logger: deps.logger,
    now,
    onReconciled: (result, seconds) => counted('subject-change', result, seconds),
    onRefused: (code) => metrics.refused.inc({ reason: code }),
  });

  const sweep = async (): Promise<ReconcileResult> => {
    const codes = await dueSubjects(deps.pool, chinaToday(now()));
    let total = NO_CHANGE;
    for (let start = 0; start < codes.length; start += 500) {
      const began = process.hrtime.bigint();
      const result = await inTransaction(deps.pool, (client) =>
        reconcileSubjects(client, codes.slice(start, start + 500), deps.context, now()),
      );
      counted('expiry', result, Number(process.hrtime.bigint() - began) / 1e9);
      total = addResults(total, result);
    }
    return total;
  };

  let backfilling: Promise<BackfillRow> | undefined;
  /** Runs (or joins) the backfill; `first` is the row the caller already started, used for the first attempt. */
  const backfill = (first?: BackfillRow): Promise<BackfillRow> => {
    backfilling ??= (async () => {
      // A failure (database gone for a while, a deadlock storm) resumes from the cursor a few times before giving up
      // until the next start or POST /v1/backfills.
      for (let attempt = 1; ; attempt += 1) {
        const started =
          attempt === 1 && first !== undefined
            ? first
            : await startBackfill(deps.pool, evaluationVersion(deps.context));
        deps.logger.info(
          { backfill: started.id, version: started.rules_version, cursor: started.cursor, attempt },
          'backfill running',
        );
        try {
          const done = await runBackfill(deps.pool, started.id, context, now, {
            shouldStop: () => stopping,
            onBatch: (row) => {
              metrics.backfillSubjects.set(Number(row.subjects_done));
              relay.nudge();
            },
          });
          deps.logger.info(
            { backfill: done.id, status: done.status, subjects: done.subjects_done },
            'backfill ended',
          );
          return done;
        } catch (error) {
          if (attempt >= BACKFILL_ATTEMPTS || stopping) throw error;
          deps.logger.warn(
            { err: error, backfill: started.id, attempt },
            'backfill failed; resuming shortly',
          );
          await new Promise((resolve) => setTimeout(resolve, 5_000 * attempt));
        }
      }
    })().finally(() => {
      backfilling = undefined;
    });
    return backfilling;
  };

  const app = await createServiceApp({
    logger: deps.logger,
    readiness: deps.readiness,
    health: deps.health,
    metrics: deps.metrics,
  });
  await listRoutes(app, {
    pool: deps.pool,
    clients: deps.clients,
    context,
    now,
    timelyWorkingDays: deps.timelyWorkingDays,
    startBackfill: async () => {
      const row = await startBackfill(deps.pool, evaluationVersion(deps.context));
      void backfill(row).catch((error: unknown) => deps.logger.error({ err: error }, 'backfill failed'));
      return row;
    },
  });

  let consumer: Consumer | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> = Promise.resolve();
  return {
    app,
    relay,
    sweep,
    backfill,
    async start() {
      relay.start();
      relay.nudge();
      consumer = await deps.bus.consumer({
        groupId: deps.groupId,
        topics: [deps.subjectChangesTopic],
        fromBeginning: true,
        ...(deps.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: deps.sessionTimeoutMs }),
      });
      await consumer.run(handler);
      sweepTimer = setInterval(() => {
        sweeping = sweeping
          .then(sweep)
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'expiry sweep failed; will retry'));
      }, deps.expirySweepMs);
      sweepTimer.unref();
      if (
        deps.backfillOnRulesChange &&
        (await lastCompletedRulesVersion(deps.pool)) !== evaluationVersion(deps.context)
      ) {
        void backfill().catch((error: unknown) => deps.logger.error({ err: error }, 'backfill failed'));
      }
    },
    async stop() {
      stopping = true;
      if (sweepTimer) clearInterval(sweepTimer);
      await sweeping.catch(() => undefined);
      await backfilling?.catch(() => undefined);
      await consumer?.disconnect();
      await relay.stop();
      await app.close();
    },
  };
}
