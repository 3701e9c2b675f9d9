import { INGEST_TOPIC_PREFIX } from '@credit/catalogue';
import { failsAgain } from '@credit/db';
import { maskIdentityNumberBytes, maskIdentityNumbers } from '@credit/identifiers';
import {
  type BatchHandler,
  DEAD_LETTER_HEADERS,
  type IncomingMessage,
  isolateFailures,
  type Logger,
} from '@credit/kit';
import type pg from 'pg';
import { encodeHeaders } from './dlq-bytes.ts';

export interface DlqFollowerDeps {
  pool: pg.Pool;
  logger: Logger;
  /** Source topics `<prefix><department>` name the department (default `credit.ingest.`). */
  ingestTopicPrefix?: string;
  onStored?: (messages: number) => void;
}

/** One dead letter as a row of ops.dead_letters (bytes as base64, for one JSON parameter). */
export interface DeadLetterRecord {
  dlqTopic: string;
  dlqPartition: number;
  dlqOffset: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  department: string | null;
  reasonCode: string;
  reason: string;
  service: string | null;
  key: string | null;
  value: string | null;
  headers: Record<string, unknown>;
  deadAt: string;
}

const DLQ_NAMES = new Set<string>(Object.values(DEAD_LETTER_HEADERS));
const UNKNOWN = 'UNKNOWN';
const DEPARTMENT = /^[a-z0-9][a-z0-9-]*$/;
const INTEGER = /^\d{1,19}$/;

/**
 * Text for a text column: PostgreSQL refuses NUL characters, and an unbounded header is no reason. Cut by code point
 * (Array.from), not UTF-16 unit: half a surrogate pair (CJK Extension B names) would make jsonb refuse the batch.
 * Identity numbers masked: a dead letter not written by deadLetter() may quote one in its reason.
 */
function text(value: Buffer | undefined, max = 2000): string | undefined {
  if (value === undefined) return undefined;
  return maskIdentityNumbers(
    Array.from(value.toString('utf8').replaceAll('\u0000', '')).slice(0, max).join(''),
  );
}

const BIGINT_MAX = 9_223_372_036_854_775_807n;
/** A header's offset, when PostgreSQL's bigint can hold it. */
const offsetOf = (text: string | undefined) =>
  text !== undefined && INTEGER.test(text) && BigInt(text) <= BIGINT_MAX ? text : null;
/** The dead-letter time the header states, when it is one PostgreSQL can store (years 1970–9999). */
const timeOf = (at: number, fallback: number) =>
  new Date(Number.isNaN(at) || at < 0 || at > 253_402_300_799_000 ? fallback : at).toISOString();

/** What a dead letter says about itself; whatever it lacks is null (or UNKNOWN for its reason code). */
export function readDeadLetter(
  message: IncomingMessage,
  ingestTopicPrefix = INGEST_TOPIC_PREFIX,
): DeadLetterRecord {
  const header = (name: string) => text(message.headers[name]);
  const sourceTopic = header(DEAD_LETTER_HEADERS.sourceTopic) || null;
  const partition = header(DEAD_LETTER_HEADERS.sourcePartition);
  const offset = header(DEAD_LETTER_HEADERS.sourceOffset);
  const rest = sourceTopic?.startsWith(ingestTopicPrefix) ? sourceTopic.slice(ingestTopicPrefix.length) : '';
  const at = Date.parse(header(DEAD_LETTER_HEADERS.at) ?? '');
  const reasonCode = text(message.headers[DEAD_LETTER_HEADERS.reasonCode], 200) || UNKNOWN;
  // Dead letters written with the kit's deadLetter() hold no number in clear already; anything else written to the
  // topic may: the index keeps what it stores masked too (masking is in place, so an Avro value still decodes).
  const original: IncomingMessage['headers'] = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (!DLQ_NAMES.has(name) && value !== undefined) original[name] = maskIdentityNumberBytes(value).bytes;
  }
  return {
    dlqTopic: message.topic,
    dlqPartition: message.partition,
    dlqOffset: message.offset,
    sourceTopic,
    sourcePartition: partition !== undefined && /^\d{1,9}$/.test(partition) ? Number(partition) : null,
    sourceOffset: offsetOf(offset),
    department: DEPARTMENT.test(rest) ? rest : null,
    reasonCode,
    reason:
      header(DEAD_LETTER_HEADERS.reason) ??
      (reasonCode === UNKNOWN ? `the message carries no ${DEAD_LETTER_HEADERS.reasonCode} header` : ''),
    service: text(message.headers[DEAD_LETTER_HEADERS.service], 200) || null,
    key: message.key ? maskIdentityNumberBytes(message.key).bytes.toString('base64') : null,
    value: message.value ? maskIdentityNumberBytes(message.value).bytes.toString('base64') : null,
    headers: encodeHeaders(original),
    deadAt: timeOf(at, message.timestamp > 0 ? message.timestamp : Date.now()),
  };
}

async function store(pool: pg.Pool, records: readonly DeadLetterRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const result = await pool.query(
    `insert into ops.dead_letters (dlq_topic, dlq_partition, dlq_offset, source_topic, source_partition,
       source_offset, department, reason_code, reason, service, key, value, headers, dead_at)
     select r ->> 'dlqTopic', (r ->> 'dlqPartition')::int, (r ->> 'dlqOffset')::bigint, r ->> 'sourceTopic',
            (r ->> 'sourcePartition')::int, (r ->> 'sourceOffset')::bigint, r ->> 'department', r ->> 'reasonCode',
            r ->> 'reason', r ->> 'service', decode(r ->> 'key', 'base64'), decode(r ->> 'value', 'base64'),
            r -> 'headers', (r ->> 'deadAt')::timestamptz
       from jsonb_array_elements($1::jsonb) with ordinality as x(r, n) order by n
     on conflict (dlq_topic, dlq_partition, dlq_offset) do nothing`,
    [JSON.stringify(records)],
  );
  return result.rowCount ?? 0;
}

/**
 * Follows the dead-letter topic into ops.dead_letters, each message once (its DLQ position is unique, so a
 * redelivered batch adds nothing). The consumer commits after this resolves, i.e. after the insert. A message
 * without the dlq headers is stored all the same (reason code UNKNOWN); one the database refuses as it is is stored
 * with its bytes but without its headers, so nothing is dropped. Only a failure a retry can cure (database down)
 * rejects, and the batch comes again.
 */
export function createDlqFollower(deps: DlqFollowerDeps): BatchHandler {
  return async (batch) => {
    const records = batch.messages.map((message) => readDeadLetter(message, deps.ingestTopicPrefix));
    let stored = 0;
    const failed = await isolateFailures(
      records,
      async (items) => {
        stored += await store(deps.pool, items);
      },
      failsAgain,
    );
    for (const { item, error } of failed) {
      deps.logger.warn(
        { topic: item.dlqTopic, partition: item.dlqPartition, offset: item.dlqOffset, code: item.reasonCode },
        `dead letter stored without its headers: the database refused them: ${error.message}`,
      );
      // A bare row: the position and the bytes only, nothing read from the headers, so the database has nothing
      // left to refuse and the partition moves on.
      stored += await store(deps.pool, [
        {
          ...item,
          sourceTopic: null,
          sourcePartition: null,
          sourceOffset: null,
          department: null,
          service: null,
          reasonCode: UNKNOWN,
          reason: `stored without its headers, which the database refused: ${error.message}`.slice(0, 2000),
          headers: {},
          deadAt: new Date().toISOString(),
        },
      ]);
    }
    deps.onStored?.(stored);
  };
}
