import { createPool } from '@credit/db';
import { createTestDatabase, type TestDatabase } from '@credit/testing';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Catalogue,
  type CatalogueData,
  catalogueContentHash,
  createCatalogue,
  loadCatalogue,
  loadCatalogueIntoDatabase,
} from '../src/index.ts';
import { dataOf } from './helpers.ts';

let database: TestDatabase;
let pool: pg.Pool;

beforeEach(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, { max: 4 });
});
afterEach(async () => {
  await pool.end();
  await database.drop();
});

const catalogue = loadCatalogue();

async function count(table: string, where = 'true', values: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `select count(*) as n from catalogue.${table} where ${where}`,
    values,
  );
  return Number(rows[0]!.n);
}

function nextVersion(mutate: (data: CatalogueData) => void, version = '2026.2'): Catalogue {
  const data = dataOf(catalogue);
  if (version !== data.version)
    data.changes.unshift({ version, date: '2026-12-01', changes: ['Test change.'] });
  data.version = version;
  mutate(data);
  return createCatalogue(data);
}

describe('loadCatalogueIntoDatabase', () => {
  it('loads every department, kind, window and item, and records the version with its content hash', async () => {
    expect(await loadCatalogueIntoDatabase(pool, catalogue)).toEqual({ version: '2026.1', changed: true });

    expect(await count('departments')).toBe(catalogue.departments.length);
    expect(await count('record_kinds')).toBe(catalogue.kinds.length);
    expect(await count('disclosure_windows')).toBe(catalogue.kinds.flatMap((rule) => rule.windows).length);
    expect(await count('items')).toBe(catalogue.items.length);
    const { rows } = await pool.query('select version, content_hash, is_current from catalogue.versions');
    expect(rows).toEqual([
      { version: '2026.1', content_hash: catalogueContentHash(catalogue), is_current: true },
    ]);

    const { rows: items } = await pool.query(
      `select i.department, d.uscc, i.kind, i.list, i.severities, w.months, w.minimum_months
       from catalogue.items i
       join catalogue.departments d on d.code = i.department
       join catalogue.disclosure_windows w on w.kind = i.kind and w.severity = 'GENERAL_DISHONESTY'
       where i.code = '350100-XZCF-0007'`,
    );
    expect(items).toEqual([
      {
        department: 'market-regulation',
        uscc: '113501000037021557',
        kind: 'administrative-penalty',
        list: 'behaviour',
        severities: ['BASIC', 'GENERAL_DISHONESTY', 'SERIOUS_DISHONESTY'],
        months: 12,
        minimum_months: 3,
      },
    ]);
  });

  it('changes nothing when the same version is loaded again', async () => {
    await loadCatalogueIntoDatabase(pool, catalogue);
    const before = await pool.query('select version, loaded_at from catalogue.versions');
    expect(await loadCatalogueIntoDatabase(pool, loadCatalogue())).toEqual({
      version: '2026.1',
      changed: false,
    });
    expect((await pool.query('select version, loaded_at from catalogue.versions')).rows).toEqual(before.rows);
    expect(await count('items')).toBe(catalogue.items.length);
  });

  it('removes a department that a new version drops, with its items', async () => {
    await loadCatalogueIntoDatabase(pool, catalogue);
    const next = nextVersion((data) => {
      data.departments = data.departments.filter((department) => department.code !== 'statistics');
      data.items = data.items.filter((item) => item.department !== 'statistics');
      data.items.find((item) => item.code === '350100-XZCF-0007')!.name = '食品安全行政处罚';
    });

    expect(await loadCatalogueIntoDatabase(pool, next)).toEqual({ version: '2026.2', changed: true });
    expect(await count('departments', `code = 'statistics'`)).toBe(0);
    expect(await count('items', `department = 'statistics'`)).toBe(0);
    expect(await count('departments')).toBe(catalogue.departments.length - 1);
    expect(await count('items')).toBe(next.items.length);
    expect(await count('items', `code = '350100-XZCF-0007' and name = '食品安全行政处罚'`)).toBe(1);
    const { rows } = await pool.query('select version, is_current from catalogue.versions order by version');
    expect(rows).toEqual([
      { version: '2026.1', is_current: false },
      { version: '2026.2', is_current: true },
    ]);
  });

  it('lets a new version move a USCC to another department code', async () => {
    await loadCatalogueIntoDatabase(pool, catalogue);
    const next = nextVersion((data) => {
      const statistics = data.departments.find((department) => department.code === 'statistics')!;
      const finance = data.departments.find((department) => department.code === 'finance')!;
      [statistics.uscc, finance.uscc] = [finance.uscc, statistics.uscc];
    });
    expect(await loadCatalogueIntoDatabase(pool, next)).toEqual({ version: '2026.2', changed: true });
    expect(
      await count('departments', `code = 'finance' and uscc = $1`, [
        catalogue.department('statistics')!.uscc,
      ]),
    ).toBe(1);
  });

  it('refuses other content under a version string already loaded, and keeps what was there', async () => {
    await loadCatalogueIntoDatabase(pool, catalogue);
    const tampered = nextVersion((data) => {
      data.items = data.items.filter((item) => item.code !== '350100-XZCF-0011');
    }, '2026.1');

    await expect(loadCatalogueIntoDatabase(pool, tampered)).rejects.toMatchObject({
      code: 'CATALOGUE_VERSION_REUSED',
      message: expect.stringContaining('catalogue version 2026.1 is already loaded with other content'),
    });
    expect(await count('items')).toBe(catalogue.items.length);
    expect(await count('versions')).toBe(1);
  });

  it('rolls back to an earlier version with the same content', async () => {
    await loadCatalogueIntoDatabase(pool, catalogue);
    await loadCatalogueIntoDatabase(
      pool,
      nextVersion((data) => {
        data.items = data.items.filter((item) => item.department !== 'transport');
      }),
    );
    expect(await loadCatalogueIntoDatabase(pool, catalogue)).toEqual({ version: '2026.1', changed: true });
    expect(await count('items')).toBe(catalogue.items.length);
    expect(await count('versions', 'is_current')).toBe(1);
    expect(await count('versions', `is_current and version = '2026.1'`)).toBe(1);
  });
});
