import type { Department } from '@credit/catalogue';
import type { Histogram, Logger, OutgoingMessage, Producer } from '@credit/kit';
import type pg from 'pg';
import { BrokerUnavailable, RecordInProgress } from '../errors.ts';
import { claim, confirm, type Existing, lookup, release, submissionKey } from './submissions.ts';

export interface ReadyRecord {
  kind: string;
  recordId: string;
  version: number;
  message: OutgoingMessage;
}

export type Outcome =
  | { status: 'accepted'; topic: string; partition: number; offset: string }
  | { status: 'duplicate'; topic: string; partition: number; offset: string; acceptedAt: string }
  | { status: 'retry'; error: { code: string; message: string } };

export interface PipelineDeps {
  pool: pg.Pool;
  producer: Producer;
  logger: Logger;
  produceSeconds: Histogram<'department'>;
  staleClaimSeconds: number;
  topicFor: (department: Department) => string;
  /** Flushes in flight per department; more records wait and go together in the next flush. */
  maxInFlight?: number;
}

interface Waiting {
  records: ReadyRecord[];
  resolve: (outcomes: Outcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Claim → produce (acks=all) → confirm, for the records of many concurrent requests at once. Records that arrive
 * while a department's flushes are in flight wait and go together in the next one ("natural batching": no delay
 * when idle, fewer database round trips and Kafka requests per record under load). Each request still gets its
 * own answers, and none before Kafka has its records.
 */
export function createSubmissionPipeline(deps: PipelineDeps) {
  const maxInFlight = deps.maxInFlight ?? 2;
  const queues = new Map<string, { department: Department; waiting: Waiting[]; inFlight: number }>();

  function drain(code: string): void {
    const queue = queues.get(code);
    if (!queue || queue.inFlight >= maxInFlight || queue.waiting.length === 0) return;
    const taken = queue.waiting.splice(0);
    queue.inFlight += 1;
    flush(
      queue.department,
      taken.flatMap((w) => w.records),
    )
      .then(
        (outcomes) => {
          let at = 0;
          for (const waiting of taken) {
            waiting.resolve(outcomes.slice(at, at + waiting.records.length));
            at += waiting.records.length;
          }
        },
        (error: unknown) => {
          for (const waiting of taken) waiting.reject(error);
        },
      )
      .finally(() => {
        queue.inFlight -= 1;
        drain(code);
      });
  }

  async function flush(department: Department, records: ReadyRecord[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(records.length);
    // The same record may come in two concurrent requests: only the first of a flush is claimed and produced.
    const firstIndex = new Map<string, number>();
    const unique: { index: number; record: ReadyRecord }[] = [];
    records.forEach((record, index) => {
      const key = submissionKey(record);
      if (!firstIndex.has(key)) {
        firstIndex.set(key, index);
        unique.push({ index, record });
      }
    });

    const claimed = await claim(
      deps.pool,
      department.code,
      unique.map((u) => u.record),
      deps.staleClaimSeconds,
    );
    const toSend = unique.filter((u) => claimed.has(submissionKey(u.record)));
    const others = unique.filter((u) => !claimed.has(submissionKey(u.record)));
    const existing = await lookup(
      deps.pool,
      department.code,
      others.map((u) => u.record),
    );
    for (const { index, record } of others)
      outcomes[index] = fromExisting(existing.get(submissionKey(record)), record);

    if (toSend.length > 0) {
      const topic = deps.topicFor(department);
      const timer = deps.produceSeconds.startTimer({ department: department.code });
      try {
        const deliveries = await deps.producer.send(
          topic,
          toSend.map((u) => u.record.message),
        );
        timer();
        toSend.forEach((u, i) => {
          const { partition, offset } = deliveries[i]!;
          outcomes[u.index] = { status: 'accepted', topic, partition, offset };
        });
        // Kafka has the records: failing to note it only makes a resend look "in progress" until the claim is
        // stale, after which it is produced again (consumers are idempotent on record id and version).
        await confirm(
          deps.pool,
          department.code,
          toSend.map((u, i) => ({ ...u.record, ...deliveries[i]! })),
        ).catch((error: unknown) =>
          deps.logger.error(
            { err: error, department: department.code },
            'could not confirm accepted records',
          ),
        );
      } catch (error) {
        deps.logger.error(
          { err: error, department: department.code, records: toSend.length },
          'produce failed',
        );
        await release(
          deps.pool,
          department.code,
          toSend.map((u) => u.record),
        ).catch(() => {});
        const failure = BrokerUnavailable(error instanceof Error ? error.message : String(error)).toJSON();
        for (const u of toSend) outcomes[u.index] = { status: 'retry', error: failure };
      }
    }

    records.forEach((record, index) => {
      const first = firstIndex.get(submissionKey(record))!;
      if (first === index) return;
      const original = outcomes[first]!;
      outcomes[index] =
        original.status === 'accepted'
          ? { ...original, status: 'duplicate', acceptedAt: new Date().toISOString() }
          : original;
    });
    return outcomes;
  }

  return {
    submit(department: Department, records: ReadyRecord[]): Promise<Outcome[]> {
      if (records.length === 0) return Promise.resolve([]);
      let queue = queues.get(department.code);
      if (!queue) {
        queue = { department, waiting: [], inFlight: 0 };
        queues.set(department.code, queue);
      }
      const done = new Promise<Outcome[]>((resolve, reject) =>
        queue.waiting.push({ records, resolve, reject }),
      );
      drain(department.code);
      return done;
    },
  };
}

function fromExisting(found: Existing | undefined, record: ReadyRecord): Outcome {
  if (found?.state === 'accepted') {
    return {
      status: 'duplicate',
      topic: found.topic,
      partition: found.partition,
      offset: found.offset,
      acceptedAt: found.acceptedAt.toISOString(),
    };
  }
  return { status: 'retry', error: RecordInProgress(record.recordId, String(record.version)).toJSON() };
}

export type SubmissionPipeline = ReturnType<typeof createSubmissionPipeline>;
