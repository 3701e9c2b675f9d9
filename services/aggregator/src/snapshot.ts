import { inTransaction } from '@credit/db';
import type { Admin } from '@credit/kit';
import type pg from 'pg';
import { AGGREGATOR_SCHEMA } from './migrations.ts';

/**
 * Snapshots of the unified database, so that it can be rebuilt after the ingest topics' retention has deleted
 * their beginning (ingest topics keep 180 days by default). A snapshot is a schema `aggregator_snapshot_<time>`
 * holding a copy of every table of the live schema and the live consumer group's committed offsets, taken BEFORE
 * the copy: every effect of a message below those offsets is durable in the copy (offsets are committed only after
 * the effect), and anything above them that the copy already holds is applied again by a replay as a redelivery
 * (the version guard ignores it). `credit replay --from-snapshot` starts from the copy and those offsets.
 */
export const SNAPSHOT_PREFIX = `${AGGREGATOR_SCHEMA}_snapshot_`;
const OFFSETS_TABLE = 'snapshot_offsets';
const INFO_TABLE = 'snapshot_info';
/** The snapshot's own bookkeeping, and migration records a rebuilt schema has of its own. */
const SNAPSHOT_ONLY_TABLES = new Set([OFFSETS_TABLE, INFO_TABLE, 'schema_migrations']);
const SNAPSHOT_NAME = /^[a-z0-9_]+$/;

/**
 * The advisory lock that keeps a snapshot and an erasure apart: a snapshot copies under it (shared), an erasure
 * holds it (exclusive) while it deletes the person from every snapshot. Without it a snapshot whose copy began
 * before an erasure committed would be created after the erasure looked for snapshots, holding the person's data.
 */
export const SNAPSHOT_ERASURE_LOCK = `${AGGREGATOR_SCHEMA}.snapshots`;

/** Every snapshot schema, finished or not (an erasure must reach a half-made one too). */
export async function snapshotSchemas(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ schema: string }>(
    'select nspname as schema from pg_namespace where left(nspname, length($1)) = $1 order by 1',
    [SNAPSHOT_PREFIX],
  );
  return rows.map((row) => row.schema).filter((schema) => SNAPSHOT_NAME.test(schema));
}

export interface SnapshotOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface Snapshot {
  schema: string;
  takenAt: Date;
  source: string;
  groupId: string;
  offsets: SnapshotOffset[];
  rows: number;
}

export async function takeSnapshot(options: {
  pool: pg.Pool;
  admin: Pick<Admin, 'listTopics' | 'groupOffsets' | 'topicOffsets'>;
  groupId: string;
  topicPrefix: string;
  source?: string;
  now?: Date;
}): Promise<Snapshot> {
  const source = options.source ?? AGGREGATOR_SCHEMA;
  const takenAt = options.now ?? new Date();
  const schema = `${SNAPSHOT_PREFIX}${takenAt.toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const topics = (await options.admin.listTopics())
    .filter((topic) => topic.startsWith(options.topicPrefix))
    .sort();
  // A partition the group never committed on holds nothing in the copy: it is read from its earliest message.
  const offsets = (await options.admin.groupOffsets(options.groupId, topics)).filter(
    (offset) => BigInt(offset.offset) >= 0n,
  );
  let rows = 0;
  const client = await options.pool.connect();
  try {
    // Taken before the transaction begins, so that its repeatable-read view starts after any erasure it waited for.
    await client.query('select pg_advisory_lock_shared(hashtext($1))', [SNAPSHOT_ERASURE_LOCK]);
    await client.query('begin isolation level repeatable read');
    const tables = await client.query<{ tablename: string }>(
      'select tablename from pg_tables where schemaname = $1 order by tablename',
      [source],
    );
    await client.query(`create schema ${schema}`);
    for (const { tablename } of tables.rows) {
      const copied = await client.query(
        `create table ${schema}.${tablename} as table ${source}.${tablename}`,
      );
      rows += copied.rowCount ?? 0;
    }
    await client.query(
      `create table ${schema}.${OFFSETS_TABLE} (topic text, partition int, "offset" bigint)`,
    );
    await client.query(
      `insert into ${schema}.${OFFSETS_TABLE} select * from unnest($1::text[], $2::int[], $3::bigint[])`,
      [offsets.map((o) => o.topic), offsets.map((o) => o.partition), offsets.map((o) => o.offset)],
    );
    await client.query(
      `create table ${schema}.${INFO_TABLE} as select $1::timestamptz as taken_at, $2::text as source, $3::text as group_id`,
      [takenAt, source, options.groupId],
    );
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    const unlocked = await client
      .query('select pg_advisory_unlock_shared(hashtext($1))', [SNAPSHOT_ERASURE_LOCK])
      .then(
        () => true,
        () => false,
      );
    // A connection that may still hold the lock is closed rather than pooled (closing releases it).
    client.release(!unlocked);
  }
  return { schema, takenAt, source, groupId: options.groupId, offsets, rows };
}

export async function readSnapshot(pool: pg.Pool, schema: string): Promise<Snapshot> {
  if (!schema.startsWith(SNAPSHOT_PREFIX) || !SNAPSHOT_NAME.test(schema)) {
    throw new Error(`${schema} is not a snapshot schema (${SNAPSHOT_PREFIX}<time>)`);
  }
  const info = await pool.query<{ taken_at: Date; source: string; group_id: string }>(
    `select taken_at, source, group_id from ${schema}.${INFO_TABLE}`,
  );
  const offsets = await pool.query<{ topic: string; partition: number; offset: string }>(
    `select topic, partition, "offset"::text as offset from ${schema}.${OFFSETS_TABLE} order by topic, partition`,
  );
  const row = info.rows[0];
  if (!row) throw new Error(`snapshot ${schema} has no ${INFO_TABLE} row: it was not finished`);
  return {
    schema,
    takenAt: row.taken_at,
    source: row.source,
    groupId: row.group_id,
    offsets: offsets.rows,
    rows: 0,
  };
}

export async function listSnapshots(pool: pg.Pool): Promise<Snapshot[]> {
  const { rows } = await pool.query<{ schema: string }>(
    `select n.nspname as schema from pg_namespace n
      where n.nspname like $1 and exists (
        select 1 from pg_tables t where t.schemaname = n.nspname and t.tablename = '${INFO_TABLE}')
      order by 1`,
    [`${SNAPSHOT_PREFIX}%`],
  );
  return Promise.all(rows.map((row) => readSnapshot(pool, row.schema)));
}

/**
 * Copies a snapshot's tables into a freshly migrated `target` (by column name, so a column added by a later
 * migration takes its default), except `skip`, and moves every id sequence past the copied rows.
 */
export async function restoreSnapshot(
  pool: pg.Pool,
  snapshot: string,
  target: string,
  skip: ReadonlySet<string>,
): Promise<void> {
  await inTransaction(pool, async (client) => {
    const tables = await client.query<{ tablename: string }>(
      `select s.tablename from pg_tables s join pg_tables t on t.tablename = s.tablename and t.schemaname = $2
        where s.schemaname = $1 order by s.tablename`,
      [snapshot, target],
    );
    for (const { tablename } of tables.rows) {
      if (SNAPSHOT_ONLY_TABLES.has(tablename) || skip.has(tablename)) continue;
      const columns = await client.query<{ column_name: string }>(
        `select s.column_name from information_schema.columns s
           join information_schema.columns t on t.column_name = s.column_name and t.table_schema = $3
                                            and t.table_name = s.table_name
          where s.table_schema = $1 and s.table_name = $2 order by s.ordinal_position`,
        [snapshot, tablename, target],
      );
      const list = columns.rows.map((c) => `"${c.column_name}"`).join(', ');
      await client.query(
        `insert into ${target}.${tablename} (${list}) select ${list} from ${snapshot}.${tablename}`,
      );
    }
    await advanceSequences(client, target);
  });
}

/** Moves every id sequence of `schema` past the rows its table holds (after rows were copied in with their ids). */
export async function advanceSequences(client: pg.ClientBase, schema: string): Promise<void> {
  const serials = await client.query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = $1 and column_default like 'nextval(%'`,
    [schema],
  );
  for (const { table_name, column_name } of serials.rows) {
    await client.query(
      `select setval(pg_get_serial_sequence($1, $2), coalesce(max("${column_name}"), 1), max("${column_name}") is not null)
         from ${schema}.${table_name}`,
      [`${schema}.${table_name}`, column_name],
    );
  }
}
