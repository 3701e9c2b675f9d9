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
import { type ReconcileContext, type ReconcileResult, reconcileSubjects } from './reconcile.ts';

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

type Parsed = { ok: true; subjectCode: string } | { ok: false; code: string; message: string };

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
  const { schema, subjectCode } = event as { schema?: unknown; subjectCode?: unknown };
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
  return { ok: true, subjectCode };
}

/**
 * One batch of credit.subject-changes: the subjects named are re-evaluated (the event says only that something
 * changed; the unified database says what), refused messages go to the dead-letter topic, and the handler resolves
 * once both are durable, so the consumer commits only then. Re-evaluation converges, so a redelivery changes nothing.
 * A subject whose evaluation fails for good is found by evaluating its batch one subject at a time, and its messages
 * are dead-lettered with the error: one subject never stalls the partition.
 */
export function createSubjectChangesHandler(deps: SubjectChangesDeps): BatchHandler {
  const evaluate = async (codes: readonly string[]) => {
    const began = process.hrtime.bigint();
    const result = await inTransaction(deps.pool, (client) =>
      reconcileSubjects(client, codes, deps.context(), deps.now()),
    );
    deps.onReconciled?.(result, Number(process.hrtime.bigint() - began) / 1e9);
  };
  return async (batch, context) => {
    const bySubject = new Map<string, IncomingMessage[]>();
    const refused: Refusal[] = [];
    for (const message of batch.messages) {
      const parsed = subjectOf(message);
      if (parsed.ok)
        bySubject.set(parsed.subjectCode, [...(bySubject.get(parsed.subjectCode) ?? []), message]);
      else refused.push({ message, code: parsed.code, reason: parsed.message });
    }
    const all = [...bySubject.keys()];
    for (let start = 0; start < all.length; start += SUBJECTS_PER_TRANSACTION) {
      const slice = all.slice(start, start + SUBJECTS_PER_TRANSACTION);
      for (const { item: code, error } of await isolateFailures(slice, evaluate, failsAgain)) {
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
