import { inTransaction, isDataError } from '@credit/db';
import {
  deadLetter,
  type IncomingMessage,
  type Logger,
  maskIdentityNumbers,
  type Producer,
  sendDeadLetters,
} from '@credit/kit';
import type pg from 'pg';
import { insertRefusals, type RefusedMessage } from './error-table.ts';
import { REFUSAL_CODES } from './errors.ts';
import type { Normalised } from './normalise.ts';
import { type UpsertResult, upsertBatch } from './upsert.ts';

export interface WriteItem {
  record: Normalised;
  message: IncomingMessage;
}

export interface BatchWriterDeps {
  pool: pg.Pool;
  producer: Producer;
  /** null: refusals go to the error table only (a replay must not dead-letter the same messages again). */
  deadLetterTopic: string | null;
  service: string;
  logger: Logger;
  today: () => string;
  /** Most records in one transaction; what arrives beyond waits for the next. */
  maxRecords?: number;
  /** Lanes, each with one transaction at a time and its own share of the subjects (default 3). */
  lanes?: number;
  /** Called after each transaction that committed, with what it wrote. */
  onCommitted?: (result: UpsertResult) => void;
}

export interface BatchWriter {
  /** Resolves once these records and refusals are durable (or rejects, and nothing of them is). */
  write(items: WriteItem[], refused: RefusedMessage[]): Promise<void>;
}

interface Pending {
  items: WriteItem[];
  refused: RefusedMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One writer for all the partitions a process consumes. kafkajs hands over one partition's batch at a time, and at
 * a modest rate those are a few records each: a transaction per batch would spend its time on round trips and
 * commits. Each partition's handler queues its records here and waits until they are durable, so its offsets are
 * still committed only after that, and a failed transaction fails every batch in it (kafkajs delivers them again).
 *
 * Records go to one of `lanes` lanes by subject code. A lane runs one transaction at a time and takes everything
 * queued when it starts (natural batching: small at low load, large under load); lanes run side by side. As a
 * subject always falls in the same lane, concurrent transactions never wait on each other's subject locks.
 */
export function createBatchWriter(deps: BatchWriterDeps): BatchWriter {
  const lanes = Array.from({ length: deps.lanes ?? 3 }, () => createLane(deps));
  return {
    write(items, refused) {
      const byLane = lanes.map((): WriteItem[] => []);
      for (const item of items) byLane[laneOf(item.record.subject.code, lanes.length)]!.push(item);
      return Promise.all(lanes.map((lane, i) => lane.write(byLane[i]!, i === 0 ? refused : []))).then(
        () => undefined,
      );
    },
  };
}

function laneOf(code: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < code.length; i += 1) hash = (hash * 31 + code.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}

function createLane(deps: BatchWriterDeps): BatchWriter {
  const maxRecords = deps.maxRecords ?? 5000;
  const queue: Pending[] = [];
  let running = false;

  async function flush(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) {
        const taken: Pending[] = [];
        let count = 0;
        while (queue.length > 0 && (taken.length === 0 || count + queue[0]!.items.length <= maxRecords)) {
          const next = queue.shift()!;
          taken.push(next);
          count += next.items.length;
        }
        const items = taken.flatMap((p) => p.items);
        const refused = taken.flatMap((p) => p.refused);
        try {
          const result = await writeDurably(deps, items, refused);
          for (const p of taken) p.resolve();
          deps.onCommitted?.(result);
        } catch (error) {
          for (const p of taken) p.reject(error);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    write(items, refused) {
      if (items.length === 0 && refused.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ items, refused, resolve, reject });
        if (!running) void flush();
      });
    },
  };
}

/**
 * One transaction, then the refusals to the dead-letter topic (acks=all); a batch the database refuses is split up.
 * Dead letters go after the commit: while the database is down the batch fails before anything is dead-lettered,
 * so its retries do not send the same refusals again and again. A crash between the commit and the send redelivers
 * the batch: the rows are kept once (the error table ignores a position it holds) and the dead letters go then.
 */
async function writeDurably(
  deps: BatchWriterDeps,
  items: WriteItem[],
  refused: RefusedMessage[],
): Promise<UpsertResult> {
  let result: UpsertResult;
  try {
    result = await inTransaction(deps.pool, async (client) => {
      const written = await upsertBatch(
        client,
        items.map((i) => i.record),
        deps.today(),
      );
      await insertRefusals(client, refused);
      return written;
    });
  } catch (error) {
    if (!isDataError(error)) throw error;
    deps.logger.warn({ err: error }, 'batch refused by the database; writing its records one by one');
    await keepRefusals(deps, refused);
    result = await oneByOne(deps, items);
  }
  await deadLetterAll(deps, refused);
  return result;
}

/** Isolates the records the database refuses (a value out of a column's range, ...) so the rest still lands. */
async function oneByOne(deps: BatchWriterDeps, items: WriteItem[]): Promise<UpsertResult> {
  const total: UpsertResult = { applied: 0, ignored: 0, events: 0 };
  for (const item of items) {
    try {
      const one = await inTransaction(deps.pool, (client) =>
        upsertBatch(client, [item.record], deps.today()),
      );
      total.applied += one.applied;
      total.ignored += one.ignored;
      total.events += one.events;
    } catch (error) {
      if (!isDataError(error)) throw error;
      const record = item.record.record;
      const refusal: RefusedMessage = {
        message: item.message,
        department: record.department,
        reason: {
          code: REFUSAL_CODES.databaseRejected,
          message: maskIdentityNumbers(
            `the database refused record ${record.sourceRecordId} v${record.version}: ${(error as Error).message}`,
          ),
        },
      };
      await keepRefusals(deps, [refusal]);
      await deadLetterAll(deps, [refusal]);
    }
  }
  return total;
}

/** The error rows, and if the database refuses even those, rows without key, headers and reason text. */
async function keepRefusals(deps: BatchWriterDeps, refused: RefusedMessage[]): Promise<void> {
  try {
    await inTransaction(deps.pool, (client) => insertRefusals(client, refused));
  } catch (error) {
    if (!isDataError(error)) throw error;
    deps.logger.error(
      { err: error },
      'refusals not storable as they are; kept without key, headers and reason',
    );
    await inTransaction(deps.pool, (client) => insertRefusals(client, refused, { bare: true }));
  }
}

async function deadLetterAll(deps: BatchWriterDeps, refused: RefusedMessage[]): Promise<void> {
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
  await sendDeadLetters(
    deps.producer,
    deps.deadLetterTopic,
    refused.map((r) => deadLetter(r.message, r.reason, deps.service)),
  );
}
