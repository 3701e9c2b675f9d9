import { failsAgain, inTransaction } from '@credit/db';
import {
  type BatchHandler,
  deadLetterAll,
  type IncomingMessage,
  isolateFailures,
  type Logger,
  type Producer,
  type Refusal,
} from '@credit/kit';
import type pg from 'pg';
import { endErasedEntries } from './erased-subjects.ts';
import { lockSubjects, type ReconcileContext, type ReconcileResult, reconcileSubjects } from './reconcile.ts';
import type { RecordRef } from './rules/types.ts';
import { ListWork } from './work.ts';

/** Subjects per transaction: bounds lock counts and transaction size when a backlog arrives in one batch. */
const SUBJECTS_PER_TRANSACTION = 500;

export interface SubjectChangesDeps {
  pool: pg.Pool;
  producer: Producer;
  context: () => ReconcileContext;
  deadLetterTopic: string;
  service: string;
  logger: Logger;
  now: () => Date;
  onReconciled?: (result: ReconcileResult, seconds: number) => void;
  onRefused?: (code: string) => void;
}

type Parsed =
  | {
      ok: true;
      subjectCode: string;
      /** Record versions the event says were erased with the person's data (change `erased`); usually none. */
      erased: RecordRef[];
    }
  | { ok: false; code: string; message: string };

/** The subject a credit.subject-change/1 event is about; anything else is refused with a specific reason. */
export function subjectOf(message: IncomingMessage): Parsed {
  if (message.value === null)
    return { ok: false, code: 'LIST_EVENT_EMPTY', message: 'the message has no value' };
  let event: unknown;
  try {
    event = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      code: 'LIST_EVENT_NOT_JSON',
      message: `the value is not JSON: ${(error as Error).message}`,
    };
  }
  if (typeof event !== 'object' || event === null) {
    return { ok: false, code: 'LIST_EVENT_SHAPE', message: 'the value is not a JSON object' };
  }
  const { schema, subjectCode, changes } = event as {
    schema?: unknown;
    subjectCode?: unknown;
    changes?: unknown;
  };
  if (typeof schema !== 'string' || !schema.startsWith('credit.subject-change/')) {
    return {
      ok: false,
      code: 'LIST_EVENT_SCHEMA',
      message: `schema ${String(schema)} is not credit.subject-change/*`,
    };
  }
  if (typeof subjectCode !== 'string' || subjectCode.length === 0) {
    return { ok: false, code: 'LIST_EVENT_SHAPE', message: 'subjectCode is missing' };
  }
  const key = message.key?.toString('utf8');
  if (key !== undefined && key !== subjectCode) {
    return {
      ok: false,
      code: 'LIST_EVENT_KEY',
      message: `key ${key} is not the event's subject ${subjectCode}`,
    };
  }
  const erased = erasedRecords(changes);
  if (erased === null)
    return {
      ok: false,
      code: 'LIST_EVENT_SHAPE',
      message: 'an erased change lacks its department, record id or version',
    };
  return { ok: true, subjectCode, erased };
}

/** The record versions of the `erased` changes; null when one of them does not name its record. */
function erasedRecords(changes: unknown): RecordRef[] | null {
  if (!Array.isArray(changes)) return [];
  const erased: RecordRef[] = [];
  for (const change of changes) {
    if (typeof change !== 'object' || change === null || (change as { change?: unknown }).change !== 'erased')
      continue;
    const { department, sourceRecordId, version } = change as Record<string, unknown>;
    if (
      typeof department !== 'string' ||
      typeof sourceRecordId !== 'string' ||
      !Number.isSafeInteger(version)
    )
      return null;
    erased.push({ department, sourceRecordId, version: version as number });
  }
  return erased;
}

/**
 * One batch of credit.subject-changes: the subjects named are re-evaluated (the event says only that something
 * changed; the unified database says what), entries resting on erased records end first (the one thing an event
 * says that the database no longer can), refused messages go to the dead-letter topic, and the handler resolves
 * once both are durable, so the consumer commits only then. Re-evaluation converges, so a redelivery changes nothing.
 * A subject whose evaluation fails for good is found by evaluating its batch one subject at a time, and its messages
 * are dead-lettered with the error: one subject never stalls the partition.
 */
export function createSubjectChangesHandler(deps: SubjectChangesDeps): BatchHandler {
  const evaluate = async (codes: readonly string[], erasedBy: ReadonlyMap<string, RecordRef[]>) => {
    const began = process.hrtime.bigint();
    const erased = new Map(
      codes.flatMap((code) => (erasedBy.has(code) ? [[code, erasedBy.get(code)!]] : [])),
    );
    const result = await inTransaction(deps.pool, async (client) => {
      const context = deps.context();
      const now = deps.now();
      const unit = new ListWork(context.registry, now);
      // The whole slice at once, before any erasure: locking the erased first and the rest after would take the
      // locks out of their one order, and deadlock against a transaction holding one of the rest.
      await lockSubjects(client, codes);
      await endErasedEntries(client, erased, unit);
      return reconcileSubjects(client, codes, context, now, unit);
    });
    deps.onReconciled?.(result, Number(process.hrtime.bigint() - began) / 1e9);
  };
  return async (batch, context) => {
    const bySubject = new Map<string, IncomingMessage[]>();
    const erasedBy = new Map<string, RecordRef[]>();
    const refused: Refusal[] = [];
    for (const message of batch.messages) {
      const parsed = subjectOf(message);
      if (!parsed.ok) {
        refused.push({ message, code: parsed.code, reason: parsed.message });
        continue;
      }
      bySubject.set(parsed.subjectCode, [...(bySubject.get(parsed.subjectCode) ?? []), message]);
      if (parsed.erased.length > 0)
        erasedBy.set(parsed.subjectCode, [...(erasedBy.get(parsed.subjectCode) ?? []), ...parsed.erased]);
    }
    const all = [...bySubject.keys()];
    for (let start = 0; start < all.length; start += SUBJECTS_PER_TRANSACTION) {
      const slice = all.slice(start, start + SUBJECTS_PER_TRANSACTION);
      const evaluateSlice = (codes: readonly string[]) => evaluate(codes, erasedBy);
      for (const { item: code, error } of await isolateFailures(slice, evaluateSlice, failsAgain)) {
        const reason = `evaluating the subject's lists failed: ${error.message}`;
        for (const message of bySubject.get(code) ?? []) {
          refused.push({ message, code: 'LIST_EVALUATION_FAILED', reason });
        }
      }
      await context.heartbeat();
    }
    await deadLetterAll(
      {
        producer: deps.producer,
        topic: deps.deadLetterTopic,
        service: deps.service,
        logger: deps.logger,
        onRefused: deps.onRefused,
      },
      refused,
    );
  };
}
