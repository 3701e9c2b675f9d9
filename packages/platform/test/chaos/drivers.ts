import type { Logger, MessageBus } from '@credit/kit';
import type { DepartmentReporter } from '@credit/sdk';
import type { CourtRecord } from './workload.ts';

/** What the departments' clients saw: every record the gateway answered "accepted" (or "duplicate"), and refusals. */
export interface DriverLog {
  /** Source record ids (with version) the gateway answered accepted/duplicate. */
  accepted: Set<string>;
  /** Source record id → the refusal's code. */
  refused: Map<string, string>;
  /** Answers other than 200/503 (a 500 above all), by status. */
  unexpectedAnswers: Map<number, number>;
  /** 503 answers without Retry-After. */
  unavailableWithoutRetryAfter: number;
  /** HTTP attempts that failed without an answer (connection refused while the gateway was down...). */
  connectionFailures: number;
}

export function createDriverLog(): DriverLog {
  return {
    accepted: new Set(),
    refused: new Map(),
    unexpectedAnswers: new Map(),
    unavailableWithoutRetryAfter: 0,
    connectionFailures: 0,
  };
}

interface BatchAnswer {
  results: {
    index: number;
    status: 'accepted' | 'duplicate' | 'rejected' | 'retry';
    rejections?: { code: string }[];
  }[];
}

/**
 * A department's system sending batches to the gateway as a careful client does: whatever was not answered
 * accepted, duplicate or rejected is sent again after a backoff (connection refused, 503, a `retry` result), until
 * the deadline.
 */
export async function sendBatches(
  gatewayUrl: () => string,
  apiKey: string,
  batches: unknown[][],
  log: DriverLog,
  deadline: number,
): Promise<void> {
  for (const batch of batches) {
    let pending = batch.map((record, index) => ({ record, index }));
    let backoff = 200;
    while (pending.length > 0) {
      if (Date.now() > deadline)
        throw new Error(`chaos: the gateway did not take a batch before the deadline`);
      const answer = await post(
        gatewayUrl(),
        apiKey,
        pending.map((p) => p.record),
        log,
      );
      if (answer) {
        const next: typeof pending = [];
        for (const result of answer.results) {
          const sent = pending[result.index]!;
          const id = recordIdOf(sent.record);
          if (result.status === 'accepted' || result.status === 'duplicate') log.accepted.add(id);
          else if (result.status === 'rejected')
            log.refused.set(id.split('@')[0]!, result.rejections?.[0]?.code ?? '?');
          else next.push(sent);
        }
        pending = next;
        if (pending.length === 0) break;
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 2_000);
    }
  }
}

async function post(
  url: string,
  apiKey: string,
  records: unknown[],
  log: DriverLog,
): Promise<BatchAnswer | null> {
  try {
    const response = await fetch(`${url}/v1/records:batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json().catch(() => null)) as BatchAnswer | null;
    if (response.status === 200 && body) return body;
    if (response.status === 503) {
      if (!response.headers.get('retry-after')) log.unavailableWithoutRetryAfter += 1;
      // A 503 with results (the broker refused part of the batch) still says which records were taken.
      return body?.results ? body : null;
    }
    log.unexpectedAnswers.set(response.status, (log.unexpectedAnswers.get(response.status) ?? 0) + 1);
    return null;
  } catch {
    log.connectionFailures += 1;
    return null;
  }
}

function recordIdOf(record: unknown): string {
  const envelope = (record as { record: { envelope: { sourceRecordId: string; version?: number } } }).record
    .envelope;
  return `${envelope.sourceRecordId}@${envelope.version ?? 1}`;
}

/**
 * The court's system reporting with the SDK straight to Kafka: a send that fails (broker away) is sent again with
 * a new reporter after a backoff; a record sent twice is the same version and the platform keeps it once.
 */
export async function reportWithRetries(
  newReporter: () => Promise<DepartmentReporter>,
  records: CourtRecord[],
  chunkSize: number,
  logger: Logger,
  deadline: number,
): Promise<{ rejected: number; retries: number }> {
  let reporter: DepartmentReporter | undefined;
  let rejected = 0;
  let retries = 0;
  for (let i = 0; i < records.length; i += chunkSize) {
    const slice = records.slice(i, i + chunkSize);
    for (;;) {
      if (Date.now() > deadline) throw new Error('chaos: the court could not report before the deadline');
      try {
        reporter ??= await newReporter();
        const results = await reporter.reportMany(slice);
        rejected += results.filter((result) => result.status === 'rejected').length;
        break;
      } catch (error) {
        retries += 1;
        logger.warn({ err: error }, 'chaos: the court’s send failed; sending again');
        await reporter?.close().catch(() => {});
        reporter = undefined;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
  await reporter?.close().catch(() => {});
  return { rejected, retries };
}

/** Garbage on the court's topic, as a broken department system would send it; sent again until the broker takes it. */
export async function sendPoison(
  bus: () => MessageBus,
  topic: string,
  poison: Buffer[],
  deadline: number,
): Promise<void> {
  for (;;) {
    try {
      const producer = await bus().producer({ idempotent: true });
      try {
        await producer.send(
          topic,
          poison.map((value, n) => ({ key: `poison-${n}`, value })),
        );
        return;
      } finally {
        await producer.disconnect().catch(() => {});
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
