import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inTransaction } from '@credit/db';
import type pg from 'pg';
import { canonicalJson, type JsonObject } from './canonical.ts';
import { AuditEntryInvalid, AuditMigrationFailed, AuditQueryInvalid, AuditSchemaName } from './errors.ts';
import { auditRowHash, GENESIS_HASH } from './hash.ts';

/**
 * The audit log's DDL (idempotent plain SQL, unqualified names). Two ways to install it:
 * - `migrateAudit(pool, 'query')` puts it into the service's own schema (what services should do);
 * - `migrate(pool, 'query_audit', AUDIT_MIGRATIONS_DIR)` from @credit/db works only into a schema of its own:
 *   migrate() records versions per schema for one directory, so a second directory in the same schema collides
 *   (its 0001 is taken as already applied, or the other directory's versions count as missing files).
 */
export const AUDIT_MIGRATIONS_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'migrations',
);

const SCHEMA_NAME = /^[a-z][a-z0-9_]*$/;
const MAX_LIMIT = 1000;

export interface AuditEntry {
  /** A client id, or 'public' for aggregated public queries. */
  actor: string;
  /** The matter being decided; null for public queries. */
  purpose: string | null;
  /** The subject looked at; null for aggregated rows. */
  subjectCode: string | null;
  /** profile, history, report, check, search, ... */
  action: string;
  /** What was returned, compactly (counts for aggregated public rows). Plain JSON only. */
  detail: JsonObject;
}

export interface AuditRow extends AuditEntry {
  /** bigserial, as a decimal string. */
  id: string;
  /** Set by the database clock at append time, millisecond precision. */
  at: Date;
  prevHash: string;
  hash: string;
}

export interface AuditLogOptions {
  /** The schema holding audit_log; unqualified (the pool's search_path) when omitted. */
  schema?: string;
}

export interface ForSubjectOptions {
  /** At most this many rows (default 100, at most 1000). */
  limit?: number;
  /** Only rows with a smaller id (paging: pass the last id of the previous page). */
  before?: string;
}

export interface AuditLog {
  /** Appends the entries, in order, in one transaction; resolves with the stored rows. */
  append(entries: readonly AuditEntry[]): Promise<AuditRow[]>;
  /** Who looked at this subject's records: newest first. */
  forSubject(subjectCode: string, options?: ForSubjectOptions): Promise<AuditRow[]>;
}

interface DbRow {
  id: string;
  at: Date;
  actor: string;
  purpose: string | null;
  subject_code: string | null;
  action: string;
  detail: JsonObject;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'id, at, actor, purpose, subject_code, action, detail, prev_hash, hash';

function tableOf(schema: string | undefined): string {
  if (schema === undefined) return 'audit_log';
  if (!SCHEMA_NAME.test(schema)) throw AuditSchemaName(schema);
  return `${schema}.audit_log`;
}

function toRow(row: DbRow): AuditRow {
  return {
    id: String(row.id),
    at: row.at,
    actor: row.actor,
    purpose: row.purpose,
    subjectCode: row.subject_code,
    action: row.action,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function checkEntry(entry: AuditEntry, index: number): void {
  if (typeof entry.actor !== 'string' || entry.actor === '') throw AuditEntryInvalid(index, 'actor is empty');
  if (typeof entry.action !== 'string' || entry.action === '')
    throw AuditEntryInvalid(index, 'action is empty');
  if (entry.purpose !== null && typeof entry.purpose !== 'string') {
    throw AuditEntryInvalid(index, 'purpose must be a string or null');
  }
  if (entry.subjectCode !== null && typeof entry.subjectCode !== 'string') {
    throw AuditEntryInvalid(index, 'subjectCode must be a string or null');
  }
  if (typeof entry.detail !== 'object' || entry.detail === null || Array.isArray(entry.detail)) {
    throw AuditEntryInvalid(index, 'detail must be a JSON object');
  }
}

/**
 * Appends the entries inside the caller's transaction (which must be open on `client`), so they commit or roll
 * back with the change they record. The chain's lock is held until that transaction ends.
 */
export async function appendAuditEntries(
  client: pg.ClientBase,
  entries: readonly AuditEntry[],
  options: AuditLogOptions = {},
): Promise<AuditRow[]> {
  const table = tableOf(options.schema);
  if (entries.length === 0) return [];
  return appendRows(client, table, entries, checkedDetails(entries));
}

/** Checks the entries; their details as canonical text, which is what jsonb stores and the hash covers. */
function checkedDetails(entries: readonly AuditEntry[]): string[] {
  entries.forEach(checkEntry);
  // Canonical text up front: refuses non-JSON details before any id is taken.
  return entries.map((entry) => canonicalJson(entry.detail));
}

async function appendRows(
  client: pg.ClientBase,
  table: string,
  entries: readonly AuditEntry[],
  details: readonly string[],
): Promise<AuditRow[]> {
  // One appender per table at a time: ids are then taken in chain order and the head cannot move under us.
  // The key is '<schema>.audit_log' with the schema the name resolves to (also when unqualified).
  await client.query(
    `select pg_advisory_xact_lock(hashtext(n.nspname || '.audit_log'))
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.oid = $1::regclass`,
    [table],
  );
  const head = await client.query<{ hash: string }>(`select hash from ${table} order by id desc limit 1`);
  const taken = await client.query<{ ids: string[]; at: Date }>(
    `select array(select nextval(pg_get_serial_sequence($1, 'id')) from generate_series(1, $2))::text[] as ids,
            date_trunc('milliseconds', clock_timestamp()) as at`,
    [table, entries.length],
  );
  const { ids, at } = taken.rows[0]!;
  ids.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  let prevHash = head.rows[0]?.hash ?? GENESIS_HASH;
  const rows = entries.map((entry, index): AuditRow => {
    const fields = {
      id: ids[index]!,
      at,
      actor: entry.actor,
      purpose: entry.purpose,
      subjectCode: entry.subjectCode,
      action: entry.action,
      detail: JSON.parse(details[index]!) as JsonObject,
    };
    const hash = auditRowHash(prevHash, fields);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await client.query(
    `insert into ${table} (${COLUMNS})
     select id, at, actor, purpose, subject_code, action, detail::jsonb, prev_hash, hash
       from unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::text[], $8::text[], $9::text[])
            as t(id, at, actor, purpose, subject_code, action, detail, prev_hash, hash)`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.at),
      rows.map((r) => r.actor),
      rows.map((r) => r.purpose),
      rows.map((r) => r.subjectCode),
      rows.map((r) => r.action),
      details,
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
    ],
  );
  return rows;
}

export function createAuditLog(pool: pg.Pool, options: AuditLogOptions = {}): AuditLog {
  const table = tableOf(options.schema);

  return {
    async append(entries) {
      if (entries.length === 0) return [];
      const details = checkedDetails(entries);
      return inTransaction(pool, (client) => appendRows(client, table, entries, details));
    },

    async forSubject(subjectCode, { limit = 100, before } = {}) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
        throw AuditQueryInvalid(`limit must be an integer from 1 to ${MAX_LIMIT}, not ${limit}`);
      }
      if (before !== undefined && !/^-?\d+$/.test(before)) {
        throw AuditQueryInvalid(`before must be a row id, not ${before}`);
      }
      const result = await pool.query<DbRow>(
        `select ${COLUMNS} from ${table}
          where subject_code = $1 and ($2::bigint is null or id < $2::bigint)
          order by id desc limit $3`,
        [subjectCode, before ?? null, limit],
      );
      return result.rows.map(toRow);
    },
  };
}

export type AuditChainVerdict =
  | {
      ok: true;
      /** Rows checked. */
      rows: number;
      /** The last row: record it elsewhere to detect a later truncated or re-forged tail. */
      head: { id: string; hash: string } | null;
    }
  | {
      ok: false;
      /** Rows that verified before the broken one. */
      rows: number;
      /** The first row that does not verify. */
      brokenAt: string;
      /**
       * hash-mismatch: the row's content (or hash) was changed; prev-hash-mismatch: the row does not follow the one
       * before it (a row before it was deleted, or one was inserted or re-hashed).
       */
      reason: 'hash-mismatch' | 'prev-hash-mismatch';
    };

export interface VerifyOptions {
  schema?: string;
  /** Rows read per query (default 1000). */
  batchSize?: number;
}

/**
 * Walks the log in id order, in batches, within one repeatable-read snapshot, recomputing every hash. Id gaps are
 * not reported (a rolled-back append leaves them legitimately); a deleted row shows as the next row's
 * prev-hash-mismatch. What an unkeyed chain cannot show on its own: rows removed from the end, or rows appended
 * with correctly computed hashes; compare `head` with a copy kept elsewhere for that.
 */
export async function verifyAuditChain(
  pool: pg.Pool,
  options: VerifyOptions = {},
): Promise<AuditChainVerdict> {
  const table = tableOf(options.schema);
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw AuditQueryInvalid(`batchSize must be a positive integer, not ${batchSize}`);
  }
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    let prevHash = GENESIS_HASH;
    let last: { id: string; hash: string } | null = null;
    let rows = 0;
    for (;;) {
      const batch = await client.query<DbRow>(
        `select ${COLUMNS} from ${table}
          where $1::bigint is null or id > $1::bigint
          order by id limit $2`,
        [last?.id ?? null, batchSize],
      );
      for (const dbRow of batch.rows) {
        const row = toRow(dbRow);
        if (row.prevHash !== prevHash) {
          return { ok: false, rows, brokenAt: row.id, reason: 'prev-hash-mismatch' };
        }
        if (auditRowHash(prevHash, row) !== row.hash) {
          return { ok: false, rows, brokenAt: row.id, reason: 'hash-mismatch' };
        }
        rows += 1;
        prevHash = row.hash;
        last = { id: row.id, hash: row.hash };
      }
      if (batch.rows.length < batchSize) return { ok: true, rows, head: last };
    }
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

/**
 * Creates (or brings up to date) audit_log in `schema`, the service's own: runs every file of AUDIT_MIGRATIONS_DIR
 * in order, in one transaction, under the same advisory lock as @credit/db's migrate() for that schema. The files
 * are idempotent, so this runs on every start; they are not recorded in schema_migrations.
 */
export async function migrateAudit(pool: pg.Pool, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw AuditSchemaName(schema);
  const files = readdirSync(AUDIT_MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  await inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`migrate:${schema}`]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query(`set local search_path to ${schema}, public`);
    for (const file of files) {
      try {
        await client.query(readFileSync(path.join(AUDIT_MIGRATIONS_DIR, file), 'utf8'));
      } catch (error) {
        throw AuditMigrationFailed.with(
          { file, schema },
          error,
          file,
          schema,
          error instanceof Error ? error.message : String(error),
        );
      }
    }
  });
}
