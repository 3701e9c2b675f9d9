import { inTransaction } from '@credit/db';
import { maskIdentityNumbers } from '@credit/identifiers';
import type { OutgoingMessage, Producer } from '@credit/kit';
import type pg from 'pg';
import { decodeHeaders, SHOWN_BYTES, type ShownBytes, showBytes, showHeaders } from './dlq-bytes.ts';
import { ReplayNeedsFilter } from './errors.ts';

/** Header a replayed message carries: the DLQ position it was replayed from, `<partition>/<offset>`. */
export const REPLAYED_FROM_HEADER = 'dlq-replayed-from';

export interface DeadLetterFilter {
  department?: string;
  /** A reason code, e.g. CREDIT_INVALID_USCC. */
  reason?: string;
}

export interface DeadLetterListQuery extends DeadLetterFilter {
  replayed?: boolean;
  limit: number;
  /** Page on: only dead letters with a smaller id (the previous page's nextBefore). */
  before?: string;
}

export interface DeadLetterView {
  id: string;
  dlq: { topic: string; partition: number; offset: string };
  source: { topic: string; partition: number | null; offset: string | null } | null;
  department: string | null;
  reasonCode: string;
  reason: string;
  service: string | null;
  key: ShownBytes | null;
  value: ShownBytes | null;
  headers: Record<string, unknown>;
  deadAt: string;
  receivedAt: string;
  replayed: { at: string; partition: number | null; offset: string | null } | null;
}

const maskedOrNull = (text: string | null) => (text === null ? null : maskIdentityNumbers(text));

interface Where {
  sql: string;
  params: unknown[];
}

/** `where` conditions for a filter, with numbered parameters after `params`. */
function where(
  filter: DeadLetterFilter & { replayed?: boolean; ids?: readonly string[] },
  params: unknown[] = [],
): Where {
  const conditions: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.department !== undefined) conditions.push(`department = ${param(filter.department)}`);
  if (filter.reason !== undefined) conditions.push(`reason_code = ${param(filter.reason)}`);
  if (filter.ids !== undefined) conditions.push(`id = any(${param(filter.ids)}::bigint[])`);
  if (filter.replayed !== undefined)
    conditions.push(filter.replayed ? 'replayed_at is not null' : 'replayed_at is null');
  return { sql: conditions.length === 0 ? 'true' : conditions.join(' and '), params };
}

/**
 * Dead letters, newest first, with keys and values shown as text, Avro records as JSON (or base64), each cut to
 * 4 KB, identity numbers masked. The texts read from the headers (reason, service, source) are masked too: anyone
 * who can write to the DLQ writes them.
 */
export async function listDeadLetters(
  pool: pg.Pool,
  query: DeadLetterListQuery,
): Promise<{ deadLetters: DeadLetterView[]; nextBefore: string | null }> {
  const filter = where(query);
  if (query.before !== undefined) filter.sql += ` and id < $${filter.params.push(query.before)}::bigint`;
  const limit = `$${filter.params.push(query.limit)}`;
  const result = await pool.query<{
    id: string;
    dlq_topic: string;
    dlq_partition: number;
    dlq_offset: string;
    source_topic: string | null;
    source_partition: number | null;
    source_offset: string | null;
    department: string | null;
    reason_code: string;
    reason: string;
    service: string | null;
    key_head: Buffer | null;
    key_bytes: number | null;
    value_head: Buffer | null;
    value_bytes: number | null;
    headers: Record<string, unknown>;
    dead_at: Date;
    received_at: Date;
    replayed_at: Date | null;
    replayed_to_partition: number | null;
    replayed_to_offset: string | null;
  }>(
    `select id::text as id, dlq_topic, dlq_partition, dlq_offset::text as dlq_offset, source_topic,
            source_partition, source_offset::text as source_offset, department, reason_code, reason, service,
            substring(key from 1 for ${SHOWN_BYTES}) as key_head, octet_length(key) as key_bytes,
            substring(value from 1 for ${SHOWN_BYTES}) as value_head, octet_length(value) as value_bytes,
            headers, dead_at, received_at, replayed_at, replayed_to_partition,
            replayed_to_offset::text as replayed_to_offset
       from ops.dead_letters where ${filter.sql} order by id desc limit ${limit}`,
    filter.params,
  );
  const deadLetters = result.rows.map(
    (row): DeadLetterView => ({
      id: row.id,
      dlq: { topic: row.dlq_topic, partition: row.dlq_partition, offset: row.dlq_offset },
      source:
        row.source_topic === null
          ? null
          : {
              topic: maskIdentityNumbers(row.source_topic),
              partition: row.source_partition,
              offset: row.source_offset,
            },
      department: maskedOrNull(row.department),
      reasonCode: maskIdentityNumbers(row.reason_code),
      reason: maskIdentityNumbers(row.reason),
      service: maskedOrNull(row.service),
      key: row.key_head === null ? null : showBytes(row.key_head, row.key_bytes ?? 0),
      value: row.value_head === null ? null : showBytes(row.value_head, row.value_bytes ?? 0),
      headers: showHeaders(row.headers),
      deadAt: row.dead_at.toISOString(),
      receivedAt: row.received_at.toISOString(),
      replayed:
        row.replayed_at === null
          ? null
          : {
              at: row.replayed_at.toISOString(),
              partition: row.replayed_to_partition,
              offset: row.replayed_to_offset,
            },
    }),
  );
  return {
    deadLetters,
    nextBefore: deadLetters.length === query.limit ? (deadLetters.at(-1)?.id ?? null) : null,
  };
}

export interface DeadLetterCount {
  count: number;
  /** Not replayed yet. */
  pending: number;
  first: string;
  last: string;
}

export interface DeadLetterSummary {
  total: number;
  pending: number;
  byDepartment: ({ department: string | null; reason: string } & DeadLetterCount)[];
  byService: ({ service: string | null; reason: string } & DeadLetterCount)[];
}

/** Counts of dead letters by department × reason and by service × reason, of those dead in [from, to). */
export async function deadLetterSummary(
  pool: pg.Pool,
  period: { from?: string; to?: string } = {},
): Promise<DeadLetterSummary> {
  const params = [period.from ?? null, period.to ?? null];
  const counts = (group: 'department' | 'service') =>
    pool.query<{
      grp: string | null;
      reason: string;
      count: number;
      pending: number;
      first: Date;
      last: Date;
    }>(
      `select ${group} as grp, reason_code as reason, count(*)::int as count,
              count(*) filter (where replayed_at is null)::int as pending, min(dead_at) as first, max(dead_at) as last
         from ops.dead_letters
        where ($1::timestamptz is null or dead_at >= $1) and ($2::timestamptz is null or dead_at < $2)
        group by 1, 2 order by count desc, 1 nulls last, 2`,
      params,
    );
  const [departments, services] = await Promise.all([counts('department'), counts('service')]);
  const count = (row: { count: number; pending: number; first: Date; last: Date }): DeadLetterCount => ({
    count: row.count,
    pending: row.pending,
    first: row.first.toISOString(),
    last: row.last.toISOString(),
  });
  return {
    total: departments.rows.reduce((sum, row) => sum + row.count, 0),
    pending: departments.rows.reduce((sum, row) => sum + row.pending, 0),
    // Shown without a token on the dashboard: header texts masked like in the list.
    byDepartment: departments.rows.map((row) => ({
      department: maskedOrNull(row.grp),
      reason: maskIdentityNumbers(row.reason),
      ...count(row),
    })),
    byService: services.rows.map((row) => ({
      service: maskedOrNull(row.grp),
      reason: maskIdentityNumbers(row.reason),
      ...count(row),
    })),
  };
}

export interface ReplayRequest extends DeadLetterFilter {
  ids?: readonly string[];
  /** Required to replay with no department, reason or ids. */
  all?: boolean;
  /** Count what would be replayed; produce and mark nothing. */
  dryRun?: boolean;
  /** Most messages re-injected by this call. */
  limit: number;
}

export interface ReplayResult {
  dryRun: boolean;
  /** Dead letters the filter chose, replayed before or not. */
  matched: number;
  /** Re-injected by this call (with dryRun: would be). */
  replayed: number;
  skippedAlreadyReplayed: number;
  /** Dead letters that do not say where they came from (no dlq-source-topic): nothing to re-inject them to. */
  skippedNoSource: number;
  /** Pending ones left for another call by the limit (or held by a concurrent replay). */
  remaining: number;
  byTopic: Record<string, number>;
}

const CHUNK = 500;

/**
 * Re-injects the chosen dead letters that were not replayed yet, oldest first, each to its source topic with its
 * original key, value and headers plus `dlq-replayed-from: <partition>/<offset>`, and marks each replayed with
 * where it landed.
 *
 * Delivery is at least once. Chunks of up to 500 are replayed each in its own transaction: the rows are locked
 * (`for update skip locked`, so two replays at once never send the same row), produced (acks=all), marked, and
 * committed. A crash or failed mark after the produce leaves the chunk unmarked, so the next replay sends it again;
 * consumers of the ingest topics are idempotent by record id and version, and `dlq-replayed-from` tells a second
 * copy for what it is. A row is never marked replayed without having been produced. Running it twice replays
 * nothing the second time.
 */
/** Every topic: what replayDeadLetters allows when no targets are given. */
export const ANY_TOPIC: readonly string[] = ['%'];

/** `source_topic` is set and matches one of the LIKE patterns in parameter `param`. */
const replayable = (param: string) =>
  `(source_topic is not null and source_topic like any(${param}::text[]))`;

/**
 * `targets`: LIKE patterns of the topics a replay may write to (the platform's own topics in production): a dead
 * letter's source topic is only what its headers say, and anyone who can write to the DLQ can write those.
 */
export async function replayDeadLetters(
  pool: pg.Pool,
  producer: Pick<Producer, 'send'>,
  request: ReplayRequest,
  targets: readonly string[] = ANY_TOPIC,
): Promise<ReplayResult> {
  const chosen =
    request.department !== undefined ||
    request.reason !== undefined ||
    (request.ids !== undefined && request.ids.length > 0);
  if (!chosen && request.all !== true) throw ReplayNeedsFilter();
  const filter = { department: request.department, reason: request.reason, ids: request.ids };
  const before = where(filter);
  const counted = await pool.query<{
    matched: number;
    already: number;
    unreplayable: number;
    pending: number;
  }>(
    `select count(*)::int as matched, count(*) filter (where replayed_at is not null)::int as already,
            count(*) filter (where replayed_at is null and not ${replayable(`$${before.params.length + 1}`)})::int
              as unreplayable,
            count(*) filter (where replayed_at is null and ${replayable(`$${before.params.length + 1}`)})::int as pending
       from ops.dead_letters where ${before.sql}`,
    [...before.params, targets],
  );
  const { matched = 0, already = 0, unreplayable = 0, pending = 0 } = counted.rows[0] ?? {};
  const byTopic: Record<string, number> = {};
  const result = (replayed: number): ReplayResult => ({
    dryRun: request.dryRun === true,
    matched,
    replayed,
    skippedAlreadyReplayed: already,
    skippedNoSource: unreplayable,
    remaining: Math.max(0, pending - replayed),
    byTopic,
  });

  if (request.dryRun) {
    const pendingWhere = where({ ...filter, replayed: false });
    const topics = await pool.query<{ topic: string; count: number }>(
      `select source_topic as topic, count(*)::int as count
         from (select source_topic from ops.dead_letters
                where ${pendingWhere.sql} and ${replayable(`$${pendingWhere.params.push(targets)}`)}
                order by id limit $${pendingWhere.params.push(request.limit)}) chosen
        group by 1 order by 1`,
      pendingWhere.params,
    );
    for (const row of topics.rows) byTopic[row.topic] = row.count;
    return result(topics.rows.reduce((sum, row) => sum + row.count, 0));
  }

  let replayed = 0;
  while (replayed < request.limit) {
    const sent = await inTransaction(
      pool,
      (client) =>
        replayChunk(client, producer, filter, Math.min(CHUNK, request.limit - replayed), byTopic, targets),
      1,
    );
    replayed += sent;
    if (sent === 0) break;
  }
  return result(replayed);
}

async function replayChunk(
  client: pg.PoolClient,
  producer: Pick<Producer, 'send'>,
  filter: DeadLetterFilter & { ids?: readonly string[] },
  size: number,
  byTopic: Record<string, number>,
  targets: readonly string[],
): Promise<number> {
  const pendingWhere = where({ ...filter, replayed: false });
  const rows = await client.query<{
    id: string;
    dlq_partition: number;
    dlq_offset: string;
    source_topic: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, unknown>;
  }>(
    `select id::text as id, dlq_partition, dlq_offset::text as dlq_offset, source_topic, key, value, headers
       from ops.dead_letters where ${pendingWhere.sql} and ${replayable(`$${pendingWhere.params.push(targets)}`)}
      order by id limit $${pendingWhere.params.push(size)} for update skip locked`,
    pendingWhere.params,
  );
  const byTopicRows = new Map<string, typeof rows.rows>();
  for (const row of rows.rows) {
    const list = byTopicRows.get(row.source_topic) ?? [];
    list.push(row);
    byTopicRows.set(row.source_topic, list);
  }
  const marks: { id: string; partition: number; offset: string }[] = [];
  for (const [topic, list] of byTopicRows) {
    const messages = list.map(
      (row): OutgoingMessage => ({
        key: row.key,
        value: row.value,
        headers: {
          ...decodeHeaders(row.headers),
          [REPLAYED_FROM_HEADER]: `${row.dlq_partition}/${row.dlq_offset}`,
        },
      }),
    );
    const deliveries = await producer.send(topic, messages);
    list.forEach((row, index) => {
      const delivery = deliveries[index];
      marks.push({ id: row.id, partition: delivery?.partition ?? -1, offset: delivery?.offset ?? '-1' });
    });
    byTopic[topic] = (byTopic[topic] ?? 0) + list.length;
  }
  if (marks.length > 0) {
    await client.query(
      `update ops.dead_letters d
          set replayed_at = now(), replayed_to_partition = nullif((m ->> 'partition')::int, -1),
              replayed_to_offset = nullif((m ->> 'offset')::bigint, -1)
         from jsonb_array_elements($1::jsonb) as x(m)
        where d.id = (m ->> 'id')::bigint`,
      [JSON.stringify(marks)],
    );
  }
  return marks.length;
}
