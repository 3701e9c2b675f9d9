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
  /** The original value's length, when the copy keeps only its first bytes (absent when it keeps them all). */
  valueBytes: 'dlq-original-value-bytes',
  /** How many of the original headers the copy leaves out, when their size left no room (absent when none). */
  headersDropped: 'dlq-original-headers-dropped',
} as const;

/**
 * The most bytes one dead letter (key, value, headers), and one produce of dead letters, may carry: under the dead
 * letter topic's max.message.bytes (the broker's 2 MiB, infra), which bounds a whole record batch, with room for
 * the batch's own bytes. A message as large as its topic takes, copied with the dead-letter headers, would not fit:
 * the broker would refuse it on every retry, and the partition it came from would never move.
 */
export const DEAD_LETTER_MAX_BYTES = 1_900_000;

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
  return fitted({ key, value, headers }, Object.keys(message.headers));
}

const DEAD_LETTER_NAMES = new Set<string>(Object.values(DEAD_LETTER_HEADERS));

const lengthOf = (bytes: string | Buffer | null | undefined) =>
  bytes === null || bytes === undefined ? 0 : Buffer.byteLength(bytes);

function sizeOf(message: OutgoingMessage): number {
  let size = lengthOf(message.key) + lengthOf(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {}))
    size += Buffer.byteLength(name) + lengthOf(value);
  return size;
}

/**
 * The dead letter cut to DEAD_LETTER_MAX_BYTES: first the value (to its first bytes), then, if the original headers
 * alone are too large, without them. What the reason and the position say is always kept.
 */
function fitted(copy: OutgoingMessage, originalHeaders: readonly string[]): OutgoingMessage {
  if (sizeOf(copy) <= DEAD_LETTER_MAX_BYTES) return copy;
  const headers = { ...copy.headers };
  let dropped = 0;
  const withoutValue = () => sizeOf({ ...copy, value: null, headers }) + 64;
  if (withoutValue() > DEAD_LETTER_MAX_BYTES) {
    for (const name of originalHeaders) {
      if (!DEAD_LETTER_NAMES.has(name) && name in headers && delete headers[name]) dropped += 1;
    }
    headers[DEAD_LETTER_HEADERS.headersDropped] = String(dropped);
  }
  const value = copy.value === null ? null : Buffer.from(copy.value);
  const room = Math.max(0, DEAD_LETTER_MAX_BYTES - withoutValue());
  if (value !== null && value.length > room) headers[DEAD_LETTER_HEADERS.valueBytes] = String(value.length);
  const key = copy.key === null ? null : Buffer.from(copy.key).subarray(0, DEAD_LETTER_MAX_BYTES / 2);
  return { key, value: value?.subarray(0, room) ?? null, headers };
}

/**
 * Produces dead letters in requests of at most DEAD_LETTER_MAX_BYTES each (the broker's limit is on the record
 * batch a request makes of them), in order; resolves once all are durable.
 */
export async function sendDeadLetters(
  producer: { send(topic: string, messages: OutgoingMessage[]): Promise<unknown> },
  topic: string,
  messages: readonly OutgoingMessage[],
): Promise<void> {
  let request: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message);
    if (request.length > 0 && bytes + size > DEAD_LETTER_MAX_BYTES) {
      await producer.send(topic, request);
      request = [];
      bytes = 0;
    }
    request.push(message);
    bytes += size;
  }
  if (request.length > 0) await producer.send(topic, request);
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
  await sendDeadLetters(
    options.producer,
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
