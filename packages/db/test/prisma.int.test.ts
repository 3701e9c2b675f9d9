import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@credit/testing';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPool, findPrismaDrift, migrate, prismaAdapter } from '../src/index.ts';
import { Prisma, PrismaClient } from './fixtures/generated/prisma/client.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let database: TestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;

beforeEach(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
  prisma = new PrismaClient({ adapter: prismaAdapter(database.url, 'aggregator') });
});
afterEach(async () => {
  await prisma.$disconnect();
  await pool.end();
  await database.drop();
});

describe('Prisma over SQL migrations', () => {
  it('writes and reads rows through the generated client and the pg driver adapter, decimals exact', async () => {
    await migrate(pool, 'aggregator', path.join(fixtures, 'migrations'));
    await prisma.report.create({
      data: { subjectCode: '91350100M000100Y43', amount: new Prisma.Decimal('1234.567891') },
    });
    const rows = await prisma.report.findMany({ where: { subjectCode: '91350100M000100Y43' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.amount.toFixed(6)).toBe('1234.567891');
    expect(await findPrismaDrift(prisma, Object.values(Prisma.ModelName))).toEqual([]);
  });

  it('finds drift when the migrations lack a table the Prisma schema names', async () => {
    const problems = await findPrismaDrift(prisma, Object.values(Prisma.ModelName));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Report: P2021/);
  });

  it('finds drift when a column the Prisma schema names is missing', async () => {
    await pool.query(
      'create schema aggregator; create table aggregator.reports (id bigserial primary key, amount numeric)',
    );
    const problems = await findPrismaDrift(prisma, Object.values(Prisma.ModelName));
    expect(problems[0]).toMatch(/^Report: P2022/);
  });
});
