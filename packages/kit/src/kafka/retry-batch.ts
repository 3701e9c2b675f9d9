import { setTimeout as sleep } from 'node:timers/promises';
import { maskIdentityNumbers } from '@credit/identifiers';
import type { Logger } from '../logger.ts';
import type { Batch, BatchContext, BatchHandler } from './types.ts';

export interface BatchRetryOptions {
  logger: Logger;
  /** Aborted when the consumer disconnects: a batch waiting for its next attempt gives up at once. */
  signal: AbortSignal;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** While a batch keeps failing, one line per this many ms (and one when it succeeds again). */
  logEveryMs?: number;
}

/**
 * Runs `handler` on `batch` until it succeeds: a handler rejects only for what can succeed on retry (the database or
 * the broker down), so the partition waits, with backoff, and goes on by itself once the dependency is back. Between
 * attempts the group hears a heartbeat, so the partition stays with this member instead of being moved to another
 * that would fail the same way; a rebalance or a stop ends the wait. Resolves true once the handler succeeded, false
 * when the batch was given up (the consumer stops, or the partition was sought elsewhere): its offsets must then not
 * be committed. kafkajs' own retry of a failed batch would instead crash the consumer after a few attempts and
 * restart it, leaving and re-joining the group each time.
 */
export async function handleUntilDone(
  handler: BatchHandler,
  batch: Batch,
  context: BatchContext,
  options: BatchRetryOptions,
): Promise<boolean> {
  const initial = options.initialDelayMs ?? 200;
  const max = options.maxDelayMs ?? 5_000;
  const logEvery = options.logEveryMs ?? 30_000;
  const where = { topic: batch.topic, partition: batch.partition, offset: batch.messages[0]?.offset };
  const since = Date.now();
  let loggedAt = 0;
  // A heartbeat the handler sends may say the group is rebalancing: that ends the batch at once (kafkajs re-joins),
  // it is no failure of the handler's to retry.
  let heartbeatFailure: unknown;
  const handlerContext: BatchContext = {
    ...context,
    heartbeat: () =>
      context.heartbeat().catch((error: unknown) => {
        heartbeatFailure = error;
        throw error;
      }),
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      await handler(batch, handlerContext);
      if (attempt > 1) {
        options.logger.info(
          { ...where, attempts: attempt, waitedMs: Date.now() - since },
          'batch handled after retries',
        );
      }
      return true;
    } catch (error) {
      if (heartbeatFailure !== undefined) throw heartbeatFailure;
      if (givenUp(context, options.signal)) return false;
      const fields = { ...where, attempt, waitedMs: Date.now() - since, reason: reasonOf(error) };
      if (Date.now() - loggedAt >= logEvery) {
        loggedAt = Date.now();
        options.logger.warn(fields, 'batch failed; the partition waits and retries');
      } else {
        options.logger.debug(fields, 'batch failed again; the partition waits and retries');
      }
    }
    const delay = Math.min(max, initial * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
    try {
      await sleep(delay, undefined, { signal: options.signal });
    } catch {
      return false;
    }
    if (givenUp(context, options.signal)) return false;
    await context.heartbeat();
  }
}

function givenUp(context: BatchContext, signal: AbortSignal): boolean {
  return signal.aborted || !context.isRunning() || context.isStale();
}

/** The error's code and message, identity numbers masked (a database error may quote a row). */
function reasonOf(error: unknown): { code?: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    message: maskIdentityNumbers(typeof message === 'string' ? message : String(error)),
  };
}
