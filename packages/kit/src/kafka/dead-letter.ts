import type { Headers, IncomingMessage, OutgoingMessage } from './types.ts';

export const DEAD_LETTER_TOPIC = 'credit.dlq';

/** Headers every dead-lettered message carries, on top of the original message's own headers. */
export const DEAD_LETTER_HEADERS = {
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  reasonCode: 'dlq-reason-code',
  reason: 'dlq-reason',
  service: 'dlq-service',
  at: 'dlq-at',
} as const;

export interface DeadLetterReason {
  /** Stable code (CodedError codes, intake rejection codes). */
  code: string;
  /** Specific, human-readable; must not quote identity numbers in clear. */
  message: string;
}

/**
 * The original message, byte for byte, with headers saying where it came from and why it was refused, so an
 * operator can inspect it and re-inject it to its source topic once the cause is fixed.
 */
export function deadLetter(
  message: IncomingMessage,
  reason: DeadLetterReason,
  service: string,
  at: Date = new Date(),
): OutgoingMessage {
  const headers: Headers = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = value;
  }
  Object.assign(headers, {
    [DEAD_LETTER_HEADERS.sourceTopic]: message.topic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(message.partition),
    [DEAD_LETTER_HEADERS.sourceOffset]: message.offset,
    [DEAD_LETTER_HEADERS.reasonCode]: reason.code,
    [DEAD_LETTER_HEADERS.reason]: reason.message,
    [DEAD_LETTER_HEADERS.service]: service,
    [DEAD_LETTER_HEADERS.at]: at.toISOString(),
  });
  return { key: message.key, value: message.value, headers };
}
