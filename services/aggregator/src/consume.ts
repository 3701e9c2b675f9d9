import type { BatchHandler } from '@credit/kit';
import type { BatchWriter, WriteItem } from './batch-writer.ts';
import type { RefusedMessage } from './error-table.ts';
import type { AggregatorMetrics } from './metrics.ts';
import { type NormaliseContext, normaliseMessages } from './normalise.ts';

export interface BatchHandlerDeps {
  normalise: NormaliseContext;
  writer: BatchWriter;
  metrics: AggregatorMetrics;
}

/**
 * The batch loop of one partition: verify, decode, unseal and validate every message, hand the records and the refusals to the
 * process's batch writer, and return once they are durable; the consumer commits the offsets after that. A refused
 * message is never retried and never stops the partition; only a failure that can succeed on retry (database or
 * broker unreachable) rejects, and the batch is then delivered again.
 */
export function createBatchHandler(deps: BatchHandlerDeps): BatchHandler {
  return async (batch, context) => {
    const items: WriteItem[] = [];
    const refused: RefusedMessage[] = [];
    const results = await normaliseMessages(batch.messages, deps.normalise);
    batch.messages.forEach((message, index) => {
      const result = results[index]!;
      if (result.ok) items.push({ record: result, message });
      else refused.push({ message, department: result.department, reason: result.reason });
    });
    await context.heartbeat();
    await deps.writer.write(items, refused);
    const now = Date.now();
    for (const { record } of items) {
      deps.metrics.freshness.observe(
        { department: record.record.department },
        (now - record.record.reportedAt.getTime()) / 1000,
      );
    }
    for (const r of refused)
      deps.metrics.refused.inc({ department: r.department ?? 'unknown', reason: r.reason.code });
  };
}
