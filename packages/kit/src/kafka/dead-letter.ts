import { maskIdentityNumberBytes, maskIdentityNumbers } from '@credit/identifiers';
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
  /** How many identity numbers in clear were masked in the copy (absent when none were). */
  masked: 'dlq-identity-numbers-masked',
} as const;

export interface DeadLetterReason {
  /** Stable code (CodedError codes, intake rejection codes). */
  code: string;
  /** Specific, human-readable; must not quote identity numbers in clear. */
  message: string;
}

/**
 * The original message with headers saying where it came from and why it was refused, so an operator can inspect
 * it and re-inject it to its source topic once the cause is fixed. Byte for byte, except that anything shaped like
 * a resident identity number in clear (a producer that did not seal it, a number typed into a free-text field) is
 * masked in place: the dead-letter topic is read by operators and kept for months, and a message with a number in
 * clear is one the platform refuses anyway.
 */
export function deadLetter(
  message: IncomingMessage,
  reason: DeadLetterReason,
  service: string,
  at: Date = new Date(),
): OutgoingMessage {
  let masked = 0;
  const mask = (bytes: Buffer): Buffer => {
    const result = maskIdentityNumberBytes(bytes);
    masked += result.masked;
    return result.bytes;
  };
  const headers: Headers = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = mask(value);
  }
  const key = message.key === null ? null : mask(message.key);
  const value = message.value === null ? null : mask(message.value);
  Object.assign(headers, {
    [DEAD_LETTER_HEADERS.sourceTopic]: message.topic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(message.partition),
    [DEAD_LETTER_HEADERS.sourceOffset]: message.offset,
    [DEAD_LETTER_HEADERS.reasonCode]: reason.code,
    [DEAD_LETTER_HEADERS.reason]: maskIdentityNumbers(reason.message),
    [DEAD_LETTER_HEADERS.service]: service,
    [DEAD_LETTER_HEADERS.at]: at.toISOString(),
  });
  if (masked > 0) headers[DEAD_LETTER_HEADERS.masked] = String(masked);
  return { key, value, headers };
}

/** A message a consumer refuses: its stable code and a specific reason. */
export interface Refusal {
  message: IncomingMessage;
  code: string;
  reason: string;
}

/**
 * Sends every refused message of a batch to the dead-letter topic (one produce), then logs each with its reason
 * and tells `onRefused`; resolves once they are durable, so the caller may commit the batch's offsets after it.
 */
export async function deadLetterAll(
  options: {
    producer: { send(topic: string, messages: OutgoingMessage[]): Promise<unknown> };
    topic: string;
    service: string;
    logger: { warn(fields: object, message: string): void };
    onRefused?: (code: string) => void;
  },
  refused: readonly Refusal[],
): Promise<void> {
  if (refused.length === 0) return;
  await options.producer.send(
    options.topic,
    refused.map((r) => deadLetter(r.message, { code: r.code, message: r.reason }, options.service)),
  );
  for (const r of refused) {
    options.onRefused?.(r.code);
    options.logger.warn(
      { topic: r.message.topic, partition: r.message.partition, offset: r.message.offset, code: r.code },
      r.reason,
    );
  }
}

/**
 * Runs `run` over all `items` at once; when that fails in a way a redelivery would repeat (`failsAgain`), runs them
 * one at a time and returns each item that still fails so, with its error: one bad item never stalls a partition.
 * A failure a retry can cure propagates, so the batch is delivered again.
 */
export async function isolateFailures<T>(
  items: readonly T[],
  run: (items: readonly T[]) => Promise<unknown>,
  failsAgain: (error: unknown) => boolean,
): Promise<{ item: T; error: Error }[]> {
  try {
    await run(items);
    return [];
  } catch (error) {
    if (!failsAgain(error)) throw error;
  }
  const failed: { item: T; error: Error }[] = [];
  for (const item of items) {
    try {
      await run([item]);
    } catch (error) {
      if (!failsAgain(error)) throw error;
      failed.push({ item, error: error as Error });
    }
  }
  return failed;
}
