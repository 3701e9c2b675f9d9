import { type BatchHandler, deadLetter, type IncomingMessage, type Logger, type Producer } from '@credit/kit';
import type pg from 'pg';
import { insertRefusals, type RefusedMessage } from './error-table.ts';
import { REFUSAL_CODES } from './errors.ts';
import type { AggregatorMetrics } from './metrics.ts';
import { type NormaliseContext, type Normalised, normaliseMessage } from './normalise.ts';
import { inTransaction, isDataError } from './transaction.ts';
import { type UpsertResult, upsertBatch } from './upsert.ts';

export interface BatchHandlerDeps {
  pool: pg.Pool;
  producer: Producer;
  normalise: NormaliseContext;
  /** null: refusals go to the error table only (a replay, which must not dead-letter the same messages again). */
  deadLetterTopic: string | null;
  service: string;
  logger: Logger;
  metrics: AggregatorMetrics;
  /** Called after each committed batch that wrote change events. */
  onCommitted?: (result: UpsertResult) => void;
}

/**
 * The batch loop of one partition: decode → validate → dead-letter what is refused (DLQ first, acks=all) →
 * one transaction for the records, summaries, outbox events and error rows → return, after which the consumer
 * commits the offsets. A refused message is never retried and never stops the partition; only a failure that
 * can succeed on retry (database or broker unreachable) rejects, and the batch is then delivered again.
 */
export function createBatchHandler(deps: BatchHandlerDeps): BatchHandler {
  return async (batch, context) => {
    const items: Normalised[] = [];
    const refused: RefusedMessage[] = [];
    for (const message of batch.messages) {
      const result = normaliseMessage(message, deps.normalise);
      if (result.ok) {
        items.push(result);
        originals.set(result.record, message);
      } else refused.push({ message, department: result.department, reason: result.reason });
    }
    await context.heartbeat();

    let result: UpsertResult;
    try {
      await deadLetterAll(deps, refused);
      result = await inTransaction(deps.pool, async (client) => {
        const written = await upsertBatch(client, items, chinaToday());
        await insertRefusals(client, refused);
        return written;
      });
    } catch (error) {
      if (!isDataError(error)) throw error;
      deps.logger.warn(
        { err: error, topic: batch.topic, partition: batch.partition },
        'batch refused by the database; writing its records one by one',
      );
      result = await oneByOne(deps, items);
    }
    observe(deps, batch.topic, items, refused, result);
    deps.onCommitted?.(result);
  };
}

/** Isolates the records the database refuses (a value out of a column's range, ...) so the rest still lands. */
async function oneByOne(deps: BatchHandlerDeps, items: Normalised[]): Promise<UpsertResult> {
  const total: UpsertResult = { applied: 0, ignored: 0, events: [] };
  for (const item of items) {
    try {
      const one = await inTransaction(deps.pool, (client) => upsertBatch(client, [item], chinaToday()));
      total.applied += one.applied;
      total.ignored += one.ignored;
      total.events.push(...one.events);
    } catch (error) {
      if (!isDataError(error)) throw error;
      const message = messageOf(item);
      const refusal: RefusedMessage = {
        message,
        department: item.record.department,
        reason: {
          code: REFUSAL_CODES.databaseRejected,
          message: `the database refused record ${item.record.sourceRecordId} v${item.record.version}: ${(error as Error).message}`,
        },
      };
      await deadLetterAll(deps, [refusal]);
      await inTransaction(deps.pool, (client) => insertRefusals(client, [refusal]));
      deps.metrics.refused.inc({
        department: item.record.department,
        reason: REFUSAL_CODES.databaseRejected,
      });
    }
  }
  return total;
}

// The message each record was read from: the DLQ keeps the original bytes when the database refuses a record.
const originals = new WeakMap<Normalised['record'], IncomingMessage>();

function messageOf(item: Normalised): IncomingMessage {
  const message = originals.get(item.record);
  if (!message) throw new Error(`no message recorded for ${item.record.topic}@${item.record.offset}`);
  return message;
}

async function deadLetterAll(deps: BatchHandlerDeps, refused: RefusedMessage[]): Promise<void> {
  if (refused.length === 0 || deps.deadLetterTopic === null) return;
  for (const r of refused) {
    deps.logger.warn(
      {
        topic: r.message.topic,
        partition: r.message.partition,
        offset: r.message.offset,
        code: r.reason.code,
      },
      `dead-lettered: ${r.reason.message}`,
    );
  }
  await deps.producer.send(
    deps.deadLetterTopic,
    refused.map((r) => deadLetter(r.message, r.reason, deps.service)),
  );
}

function observe(
  deps: BatchHandlerDeps,
  topic: string,
  items: Normalised[],
  refused: RefusedMessage[],
  result: UpsertResult,
): void {
  const department = items[0]?.record.department ?? refused[0]?.department ?? topic;
  deps.metrics.applied.inc({ department }, result.applied);
  deps.metrics.ignored.inc({ department }, result.ignored);
  for (const r of refused)
    deps.metrics.refused.inc({ department: r.department ?? 'unknown', reason: r.reason.code });
  const now = Date.now();
  for (const item of items)
    deps.metrics.freshness.observe({ department }, (now - item.record.reportedAt.getTime()) / 1000);
}

/** Today's date in China (UTC+8), where disclosure windows are counted. */
export function chinaToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
