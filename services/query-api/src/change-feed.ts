import { isRealInstant } from '@credit/calendar';
import type { Catalogue } from '@credit/catalogue';
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
import { decodeCursor, encodeCursor } from './cursor.ts';
import { InvalidParameter } from './errors.ts';
import type { Presentation } from './presentation.ts';

const SUBJECT_CHANGE = 'credit.subject-change/1';
const LIST_CHANGE = 'credit.list-change/1';

export interface FeedRow {
  eventId: string;
  subjectCode: string;
  source: 'records' | 'lists';
  summary: Record<string, unknown>;
  at: string;
}

/**
 * Rows to take out of the feed because a natural person was erased (PIPL art. 47): the subject's record changes up
 * to the erasure's event (`upTo`: its outbox number; null when the event id does not carry one), or every row of
 * a list entry the erasure ended.
 */
export type FeedPurge =
  | { source: 'records'; subjectCode: string; upTo: bigint | null }
  | { source: 'lists'; entryId: string };

type Parsed =
  | { ok: true; row: FeedRow | null; purge?: FeedPurge }
  | { ok: false; code: string; message: string };

export interface FeedPolicy {
  /** Whether records of this kind and severity are ever disclosed (a public kind, a window longer than 0 months). */
  disclosed(kind: string, severity: string): boolean;
  names: Presentation;
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Records of a kind and severity are disclosed at all when the kind is public and its window is not 0 months. */
export function disclosedBy(catalogue: Catalogue): FeedPolicy['disclosed'] {
  return (kind, severity) => {
    const rule = catalogue.kinds.find((candidate) => candidate.kind === kind);
    const window = rule?.windows.find((candidate) => candidate.severity === severity);
    return rule?.disclosure === 'public' && window !== undefined && window.months !== 0;
  };
}

/**
 * A subject change or list change, reduced to what a public reader may know: which subject, which public kinds of
 * record changed how, which public list entry moved where. Null when nothing of it is public. Nothing about an
 * erasure is ever public: an `erased` change or an entry ended by one is left out, and takes the subject's earlier
 * rows (or the entry's) with it.
 */
export function parseChange(message: IncomingMessage, policy: FeedPolicy): Parsed {
  const refuse = (code: string, text: string): Parsed => ({ ok: false, code, message: text });
  if (message.value === null) return refuse('QUERY_FEED_EMPTY', 'the message has no value');
  let value: Record<string, unknown> | undefined;
  try {
    value = object(JSON.parse(message.value.toString('utf8')));
  } catch (error) {
    return refuse('QUERY_FEED_NOT_JSON', `the value is not JSON: ${(error as Error).message}`);
  }
  if (value === undefined) return refuse('QUERY_FEED_SHAPE', 'not a JSON object');
  const { eventId, subjectCode, at } = value;
  if (typeof eventId !== 'string' || typeof subjectCode !== 'string' || typeof at !== 'string') {
    return refuse('QUERY_FEED_SHAPE', 'eventId, subjectCode and at are required strings');
  }
  // PostgreSQL text cannot hold NUL: refused here, not as a database error that would stall the partition.
  if ([eventId, subjectCode, at].some(hasNul))
    return refuse('QUERY_FEED_SHAPE', 'eventId, subjectCode and at must not contain a NUL character');
  if (Number.isNaN(Date.parse(at)))
    return refuse('QUERY_FEED_SHAPE', `at ${at.slice(0, 40)} is not a timestamp`);
  if (value.schema === SUBJECT_CHANGE) {
    if (!Array.isArray(value.changes)) return refuse('QUERY_FEED_SHAPE', 'changes must be an array');
    const all = value.changes.map(object);
    const erased = all.some((change) => change?.change === 'erased');
    const purge: FeedPurge | undefined = erased
      ? { source: 'records', subjectCode, upTo: outboxNumber(eventId, subjectCode) }
      : undefined;
    const changes = all
      .filter(
        (change) =>
          change !== undefined &&
          change.change !== 'erased' &&
          policy.disclosed(String(change.kind), String(change.severity)),
      )
      .map((change) => ({ change: String(change?.change), kind: String(change?.kind) }));
    if (changes.length === 0) return { ok: true, row: null, purge };
    return { ok: true, row: { eventId, subjectCode, source: 'records', summary: { changes }, at }, purge };
  }
  if (value.schema === LIST_CHANGE) {
    if (hasNul(String(value.entryId)))
      return refuse('QUERY_FEED_SHAPE', 'entryId must not contain a NUL character');
    const listType = String(value.listType);
    const rule = policy.names.listPublication(listType);
    // The public sees an entry only while it is published: designations under review, notice or objection are not
    // announced, and neither are moves between states the public never sees.
    const visibleMove = value.toState === 'published' || value.fromState === 'published';
    const hidden =
      !visibleMove ||
      rule === 'not-publishable' ||
      (rule === 'selective' && value.subjectCategory === 'NATURAL_PERSON');
    if (value.exitReason === 'erased')
      return { ok: true, row: null, purge: { source: 'lists', entryId: String(value.entryId) } };
    if (hidden) return { ok: true, row: null };
    const summary = {
      entryId: String(value.entryId),
      listType,
      colour: String(value.colour),
      event: String(value.event),
      state: String(value.toState),
    };
    return { ok: true, row: { eventId: `list:${eventId}`, subjectCode, source: 'lists', summary, at } };
  }
  return refuse('QUERY_FEED_SCHEMA', `schema must be ${SUBJECT_CHANGE} or ${LIST_CHANGE}`);
}

const hasNul = (text: string) => text.includes('\u0000');

/** `<subject>:<n>`, the aggregator's event id: n orders one subject's events as they were committed. */
function outboxNumber(eventId: string, subjectCode: string): bigint | null {
  const rest = eventId.startsWith(`${subjectCode}:`) ? eventId.slice(subjectCode.length + 1) : '';
  return /^\d{1,18}$/.test(rest) ? BigInt(rest) : null;
}

/** Whether `purge` takes `row` out (as purgeFromFeed's statements decide it for stored rows). */
function covers(purge: FeedPurge, row: FeedRow): boolean {
  if (purge.source === 'lists') return row.source === 'lists' && row.summary.entryId === purge.entryId;
  if (row.source !== 'records' || row.subjectCode !== purge.subjectCode) return false;
  if (purge.upTo === null) return true;
  const number = outboxNumber(row.eventId, row.subjectCode);
  return number !== null && number <= purge.upTo;
}

/**
 * Takes an erased person's rows out of the feed. By event number, not by time, so that a redelivered erasure does
 * not take out what was reported about the person after it.
 */
async function purgeFromFeed(pool: pg.Pool, purges: readonly FeedPurge[]): Promise<void> {
  if (purges.length === 0) return;
  await inTransaction(pool, async (client) => {
    for (const purge of purges) {
      if (purge.source === 'lists') {
        await client.query(`delete from changes where source = 'lists' and summary ->> 'entryId' = $1`, [
          purge.entryId,
        ]);
        continue;
      }
      await client.query(
        `delete from changes
          where source = 'records' and subject_code = $1
            and ($2::bigint is null
                 or case when left(event_id, length($1) + 1) = $1 || ':'
                              and substr(event_id, length($1) + 2) ~ '^[0-9]{1,18}$'
                         then substr(event_id, length($1) + 2)::bigint end <= $2::bigint)`,
        [purge.subjectCode, purge.upTo === null ? null : purge.upTo.toString()],
      );
    }
  });
}

async function appendToFeed(pool: pg.Pool, rows: readonly FeedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await inTransaction(pool, async (client) => {
    // One appender at a time: seq values are then taken in the order rows become visible, so a reader paging by
    // seq never skips a row that commits late.
    await client.query(`select pg_advisory_xact_lock(hashtext('query.changes'))`);
    await client.query(
      `insert into changes (event_id, subject_code, source, summary, at)
       select r ->> 'eventId', r ->> 'subjectCode', r ->> 'source', r -> 'summary', (r ->> 'at')::timestamptz
         from jsonb_array_elements($1::jsonb) with ordinality as x(r, n) order by n
       on conflict (event_id) do nothing`,
      [JSON.stringify(rows)],
    );
  });
}

export interface FeedConsumerDeps {
  pool: pg.Pool;
  producer: Producer;
  policy: FeedPolicy;
  deadLetterTopic: string;
  service: string;
  logger: Logger;
  onFollowed?: (rows: number) => void;
}

/** Follows subject and list changes into the feed; a redelivered event is stored once (event_id is unique). */
export function createFeedHandler(deps: FeedConsumerDeps): BatchHandler {
  return async (batch) => {
    const refused: Refusal[] = [];
    const rows: { row: FeedRow; message: IncomingMessage }[] = [];
    const purges: FeedPurge[] = [];
    for (const message of batch.messages) {
      const parsed = parseChange(message, deps.policy);
      if (!parsed.ok) refused.push({ message, code: parsed.code, reason: parsed.message });
      else {
        if (parsed.row !== null) rows.push({ row: parsed.row, message });
        if (parsed.purge !== undefined) purges.push(parsed.purge);
      }
    }
    // Purged first, and the batch's own rows the purges cover never go in: a reader polling the feed never sees
    // a row about an erased person, not even between two statements.
    await purgeFromFeed(deps.pool, purges);
    const kept = rows.filter(({ row }) => !purges.some((purge) => covers(purge, row)));
    const failed = await isolateFailures(
      kept,
      (items) =>
        appendToFeed(
          deps.pool,
          items.map((item) => item.row),
        ),
      failsAgain,
    );
    for (const { item, error } of failed) {
      refused.push({
        message: item.message,
        code: 'QUERY_FEED_DATA',
        reason: `the database refused it: ${error.message}`,
      });
    }
    await deadLetterAll(
      { producer: deps.producer, topic: deps.deadLetterTopic, service: deps.service, logger: deps.logger },
      refused,
    );
    deps.onFollowed?.(kept.length - failed.length);
  };
}

export interface FeedQuery {
  cursor?: string;
  since?: string;
  limit: number;
}

/** The feed from a cursor (or from a time), oldest first. An empty page's nextCursor is the one to poll with. */
export async function readFeed(pool: pg.Pool, query: FeedQuery) {
  let after = 0;
  if (query.cursor !== undefined) {
    const [seq] = decodeCursor(query.cursor, (key) => key.length === 1 && Number.isSafeInteger(key[0]));
    after = Number(seq);
  } else if (query.since !== undefined) {
    if (!isRealInstant(query.since)) {
      throw InvalidParameter(
        'since',
        query.since.slice(0, 40),
        'a real ISO 8601 timestamp with its offset, e.g. 2026-12-01T00:00:00+08:00',
      );
    }
    // A time becomes a position first (on the at index), so the page itself walks seq alone.
    after = await lastSeqBefore(pool, query.since);
  }
  const result = await pool.query<{
    seq: string;
    subject_code: string;
    source: string;
    summary: object;
    at: Date;
  }>(
    `select seq::text as seq, subject_code, source, summary, at from query.changes
      where changes.seq > $1 order by changes.seq limit $2`,
    [after, query.limit],
  );
  const last = result.rows.at(-1);
  return {
    changes: result.rows.map((row) => ({
      seq: row.seq,
      subjectCode: row.subject_code,
      source: row.source,
      summary: row.summary,
      at: row.at.toISOString(),
    })),
    nextCursor: encodeCursor([last ? Number(last.seq) : after]),
  };
}

/** The position just before the first change at or after `since`: every change from then on follows it. */
async function lastSeqBefore(pool: pg.Pool, since: string): Promise<number> {
  const result = await pool.query<{ seq: string | null }>(
    `select (select min(seq) from query.changes where at >= $1::timestamptz) - 1 as seq`,
    [since],
  );
  const seq = result.rows[0]?.seq;
  if (seq !== null && seq !== undefined) return Number(seq);
  const newest = await pool.query<{ seq: string | null }>('select max(seq) as seq from query.changes');
  return Number(newest.rows[0]?.seq ?? 0);
}
