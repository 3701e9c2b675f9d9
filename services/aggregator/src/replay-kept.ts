import { inTransaction } from '@credit/db';
import type pg from 'pg';
import { advanceSequences } from './snapshot.ts';

/**
 * What a replay cannot rebuild from the ingest topics and must carry into the schema it rebuilds: the tombstones
 * of erased persons (without them, replaying from offset 0 would bring the erased records back) and the audit
 * log the erasures were appended to (append-only: a rebuild of the live schema must not drop it).
 */
const KEPT_TABLES = ['erasures', 'erased_records', 'audit_log'] as const;
/** What a rebuild from a snapshot takes from the live schema rather than from the older snapshot. */
export const KEPT_TABLE_NAMES: ReadonlySet<string> = new Set(KEPT_TABLES);
const SCHEMA_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Copies the kept tables of `source` into the holding schema `<target>_kept`, in one transaction, before `target`
 * is dropped (`source` may be `target`: the live schema rebuilt with --force). A holding schema left by an
 * interrupted rebuild of the same schema is used as it is, since its source may be gone already.
 */
export async function setAsideKept(pool: pg.Pool, source: string, target: string): Promise<void> {
  const holding = holdingSchema(target);
  checkName(source);
  await inTransaction(pool, async (client) => {
    if (source === target && (await exists(client, holding))) return;
    await client.query(`drop schema if exists ${holding} cascade`);
    await client.query(`create schema ${holding}`);
    for (const table of KEPT_TABLES) {
      if (await exists(client, `${source}.${table}`))
        await client.query(`create table ${holding}.${table} as table ${source}.${table}`);
    }
  });
}

/** Puts the kept rows into the freshly migrated `target`, moves its id sequences past them, drops the holding. */
export async function restoreKept(pool: pg.Pool, target: string): Promise<void> {
  const holding = holdingSchema(target);
  await inTransaction(pool, async (client) => {
    if (!(await exists(client, holding))) return;
    for (const table of KEPT_TABLES) {
      // Column order is the migrations' in both: the holding table was made from a table they created.
      if (await exists(client, `${holding}.${table}`))
        await client.query(`insert into ${target}.${table} select * from ${holding}.${table}`);
    }
    await advanceSequences(client, target);
    await client.query(`drop schema ${holding} cascade`);
  });
}

function holdingSchema(target: string): string {
  checkName(target);
  return `${target}_kept`;
}

function checkName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${schema}`);
}

/** Whether a schema (`name`) or a table (`schema.table`) exists. */
async function exists(client: pg.ClientBase, name: string): Promise<boolean> {
  const sql = name.includes('.')
    ? 'select to_regclass($1) is not null as found'
    : 'select exists (select 1 from pg_namespace where nspname = $1) as found';
  const { rows } = await client.query<{ found: boolean }>(sql, [name]);
  return rows[0]?.found ?? false;
}
