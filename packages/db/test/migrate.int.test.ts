import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@credit/testing';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPool, migrate } from '../src/index.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let database: TestDatabase;
let pool: pg.Pool;

beforeEach(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
});
afterEach(async () => {
  await pool.end();
  await database.drop();
});

function copyOfMigrations(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  cpSync(path.join(fixtures, 'migrations'), dir, { recursive: true });
  return dir;
}

describe('migrate', () => {
  it('applies numbered migrations in order into the service schema, once', async () => {
    const first = await migrate(pool, 'aggregator', path.join(fixtures, 'migrations'));
    expect(first).toEqual({
      schema: 'aggregator',
      applied: ['0001_reports', '0002_reports_index'],
      alreadyApplied: 0,
    });
    const again = await migrate(pool, 'aggregator', path.join(fixtures, 'migrations'));
    expect(again).toEqual({ schema: 'aggregator', applied: [], alreadyApplied: 2 });
    await pool.query(
      `insert into aggregator.reports (subject_code, amount) values ('91350100M000100Y43', 12.5)`,
    );
    const { rows } = await pool.query('select amount from aggregator.reports');
    expect(rows).toEqual([{ amount: '12.500000' }]);
  });

  it('runs safely when several replicas migrate at the same time', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => migrate(pool, 'lists', path.join(fixtures, 'migrations'))),
    );
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['0001_reports', '0002_reports_index']);
  });

  it('refuses an applied migration whose file was edited', async () => {
    const dir = copyOfMigrations();
    await migrate(pool, 'aggregator', dir);
    writeFileSync(path.join(dir, '0002_reports_index.sql'), 'create index other on reports (amount);');
    await expect(migrate(pool, 'aggregator', dir)).rejects.toMatchObject({ code: 'DB_MIGRATION_EDITED' });
  });

  it('rolls back a failing migration and names it', async () => {
    const dir = copyOfMigrations();
    writeFileSync(
      path.join(dir, '0003_broken.sql'),
      'alter table reports add column note text; select * from missing_table;',
    );
    const failure = migrate(pool, 'aggregator', dir);
    await expect(failure).rejects.toMatchObject({ code: 'DB_MIGRATION_FAILED' });
    await expect(failure).rejects.toThrow(/0003_broken.*missing_table/);
    const columns = await pool.query(
      `select column_name from information_schema.columns where table_schema = 'aggregator' and table_name = 'reports'`,
    );
    expect(columns.rows.map((r) => r.column_name)).not.toContain('note');
  });

  it('refuses badly named files and schema names', async () => {
    await expect(migrate(pool, 'aggregator', path.join(fixtures, 'bad-name'))).rejects.toMatchObject({
      code: 'DB_MIGRATION_FILE_NAME',
    });
    await expect(migrate(pool, 'Robert"; drop', path.join(fixtures, 'migrations'))).rejects.toMatchObject({
      code: 'DB_INVALID_SCHEMA_NAME',
    });
  });
});
