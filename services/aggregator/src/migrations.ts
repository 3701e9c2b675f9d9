import { fileURLToPath } from 'node:url';
import { migrateAudit } from '@credit/audit';
import { migrate } from '@credit/db';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
/** The PostgreSQL schema the aggregator owns. */
export const AGGREGATOR_SCHEMA = 'aggregator';

/** The aggregator's tables, and the audit log erasures append to (@credit/audit's own idempotent DDL). */
export async function migrateAggregator(pool: pg.Pool, schema: string = AGGREGATOR_SCHEMA): Promise<void> {
  await migrate(pool, schema, MIGRATIONS_DIR);
  await migrateAudit(pool, schema);
}
