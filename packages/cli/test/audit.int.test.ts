import { createAuditLog, migrateAudit } from '@credit/audit';
import { createPool } from '@credit/db';
import { createTestDatabase, type TestDatabase } from '@credit/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../src/audit-command.ts';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, { max: 2 });
  await pool.query('create schema query');
  await migrateAudit(pool, 'query');
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('credit audit verify', () => {
  it('says the chain holds, then names the row an edit broke', async () => {
    const log = createAuditLog(pool, { schema: 'query' });
    const rows = await log.append([
      {
        actor: 'procurement-platform',
        purpose: 'government-procurement',
        subjectCode: '91350100M000100Y43',
        action: 'profile',
        detail: { records: 3 },
      },
      { actor: 'public', purpose: null, subjectCode: null, action: 'search', detail: { queries: 120 } },
    ]);
    expect(await verifyAudit(database.url, 'query')).toMatchObject({ ok: true, rows: 2 });

    await pool.query('alter table query.audit_log disable trigger audit_log_append_only');
    await pool.query(`update query.audit_log set detail = '{"records": 0}' where id = $1`, [rows[0]!.id]);
    expect(await verifyAudit(database.url, 'query')).toMatchObject({
      ok: false,
      brokenAt: rows[0]!.id,
      reason: 'hash-mismatch',
    });
  });
});
