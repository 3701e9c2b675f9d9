import { isDataError } from '@credit/db';
import { isCodedError } from '@credit/errors';
import {
  type BatchHandler,
  deadLetterAll,
  type IncomingMessage,
  type Logger,
  type Producer,
  type Refusal,
} from '@credit/kit';
import type { Measure } from '@credit/measures';
import type pg from 'pg';
import { type Feedback, type Response, respond } from './respond.ts';

export const SANCTION_FEEDBACK_SCHEMA = 'credit.sanction-feedback/1';

type Parsed =
  | { ok: true; orderId: string; department: string; actor: string; response: Response }
  | { ok: false; code: string; message: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `{"schema": "credit.sanction-feedback/1", "orderId", "department", "actor"?, "action": "acknowledge" | "feedback",
 * "note"?, "feedback"?: {"measureApplied", "matter", "outcome", "date"}}`; the message key is the department, and
 * the topic is that department's (`<topicPrefix><department>`), which the broker lets only that department write.
 */
export function parseFeedback(message: IncomingMessage, topicPrefix: string): Parsed {
  const refuse = (code: string, text: string): Parsed => ({ ok: false, code, message: text });
  if (message.value === null) return refuse('SANCTIONS_FEEDBACK_EMPTY', 'the message has no value');
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return refuse('SANCTIONS_FEEDBACK_NOT_JSON', `the value is not JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null)
    return refuse('SANCTIONS_FEEDBACK_SHAPE', 'not a JSON object');
  // PostgreSQL text cannot hold NUL: refused here, not as a database error later.
  if (message.value.toString('utf8').includes('\\u0000')) {
    return refuse('SANCTIONS_FEEDBACK_SHAPE', 'the message contains a NUL character');
  }
  const value = json as Record<string, unknown>;
  if (value.schema !== SANCTION_FEEDBACK_SCHEMA)
    return refuse('SANCTIONS_FEEDBACK_SCHEMA', `schema must be ${SANCTION_FEEDBACK_SCHEMA}`);
  const { orderId, department, action } = value;
  if (typeof orderId !== 'string' || typeof department !== 'string') {
    return refuse('SANCTIONS_FEEDBACK_SHAPE', 'orderId and department are required strings');
  }
  const topicDepartment = message.topic.startsWith(topicPrefix)
    ? message.topic.slice(topicPrefix.length)
    : '';
  if (department !== topicDepartment) {
    return refuse(
      'SANCTIONS_FEEDBACK_TOPIC',
      `feedback for department ${department} arrived on ${message.topic}: a department answers only on its own topic`,
    );
  }
  if (message.key !== null && message.key.toString('utf8') !== department) {
    return refuse(
      'SANCTIONS_FEEDBACK_KEY',
      `key ${message.key.toString('utf8')} is not the department ${department}`,
    );
  }
  const actor = typeof value.actor === 'string' && value.actor !== '' ? value.actor : department;
  if (action === 'acknowledge') {
    return {
      ok: true,
      orderId,
      department,
      actor,
      response: { action, ...(typeof value.note === 'string' ? { note: value.note } : {}) },
    };
  }
  if (action !== 'feedback')
    return refuse('SANCTIONS_FEEDBACK_SHAPE', 'action must be acknowledge or feedback');
  const feedback = value.feedback as Partial<Feedback> | undefined;
  if (
    typeof feedback !== 'object' ||
    feedback === null ||
    typeof feedback.measureApplied !== 'boolean' ||
    typeof feedback.matter !== 'string' ||
    typeof feedback.outcome !== 'string' ||
    typeof feedback.date !== 'string' ||
    !DATE.test(feedback.date)
  ) {
    return refuse(
      'SANCTIONS_FEEDBACK_SHAPE',
      'feedback needs measureApplied (boolean), matter, outcome and date (YYYY-MM-DD)',
    );
  }
  return { ok: true, orderId, department, actor, response: { action, feedback: feedback as Feedback } };
}

export interface FeedbackDeps {
  /** Every department's feedback topic is `<topicPrefix><department code>`. */
  topicPrefix: string;
  pool: pg.Pool;
  producer: Producer;
  measure: (code: string) => Measure | undefined;
  deadLetterTopic: string;
  service: string;
  logger: Logger;
  now: () => Date;
  onResponded?: () => void;
}

/**
 * credit.sanction-feedback, one message at a time in offset order: a response the order's status no longer allows
 * (a repeat, an order withdrawn meanwhile) or from another department is dead-lettered with its reason.
 */
export function createFeedbackHandler(deps: FeedbackDeps): BatchHandler {
  return async (batch, context) => {
    const refused: Refusal[] = [];
    for (const message of batch.messages) {
      const parsed = parseFeedback(message, deps.topicPrefix);
      if (!parsed.ok) {
        refused.push({ message, code: parsed.code, reason: parsed.message });
        continue;
      }
      try {
        await respond(
          deps.pool,
          parsed.orderId,
          parsed.department,
          parsed.actor,
          parsed.response,
          deps.measure,
          deps.now,
        );
        deps.onResponded?.();
      } catch (error) {
        if (isCodedError(error)) refused.push({ message, code: error.code, reason: error.message });
        else if (isDataError(error)) {
          const reason = `the database refused it: ${(error as Error).message}`;
          refused.push({ message, code: 'SANCTIONS_FEEDBACK_DATA', reason });
        } else throw error;
      }
    }
    await context.heartbeat();
    await deadLetterAll(
      { producer: deps.producer, topic: deps.deadLetterTopic, service: deps.service, logger: deps.logger },
      refused,
    );
  };
}
