import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPool, migrate, sqlState } from '@credit/db';
import { createTestDatabase, type TestDatabase } from '@credit/testing';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_MIGRATIONS_DIR,
  type AuditEntry,
  type AuditLog,
  auditRowHash,
  createAuditLog,
  GENESIS_HASH,
  migrateAudit,
  verifyAuditChain,
} from '../src/index.ts';

const SCHEMA = 'query';
const SUBJECT = '91350100M000100Y43';
const OTHER = '91110000100000000X';

let database: TestDatabase;
let pool: pg.Pool;
let log: AuditLog;

/**
 * pool.end() resolves before the server has seen every connection close, so the drop (with force) after a test can
 * still terminate some: expected here, and only that is kept quiet.
 */
function testPool(options: { max?: number; searchPath?: string } = {}): pg.Pool {
  return createPool(database.url, {
    ...options,
    onIdleError: (error) => {
      if (sqlState(error) !== '57P01') process.emitWarning(`idle PostgreSQL client: ${error.message}`);
    },
  });
}

beforeEach(async () => {
  database = await createTestDatabase();
  // pool.end() resolves before the server has seen every connection close, so the drop (with force) that follows
  // can still terminate some: expected here, and only that is kept quiet.
  pool = testPool({ max: 12 });
  await migrateAudit(pool, SCHEMA);
  log = createAuditLog(pool, { schema: SCHEMA });
});
afterEach(async () => {
  await pool.end();
  await database.drop();
});

function entry(n: number, subjectCode: string | null = SUBJECT): AuditEntry {
  return subjectCode === null
    ? {
        actor: 'public',
        purpose: null,
        subjectCode: null,
        action: 'search',
        detail: { matched: n, sectors: { b: 1, a: 2 } },
      }
    : {
        actor: `client-${n % 3}`,
        purpose: `loan ${n}`,
        subjectCode,
        action: 'profile',
        detail: { records: n, kinds: ['x', 'y'] },
      };
}

async function appendSome(): Promise<void> {
  await log.append([entry(1), entry(2), entry(3, null)]);
  await log.append([entry(4, OTHER)]);
  await log.append([entry(5), entry(6)]);
}

async function withTriggerDisabled(work: () => Promise<unknown>): Promise<void> {
  await pool.query(`alter table ${SCHEMA}.audit_log disable trigger audit_log_append_only`);
  await work();
  await pool.query(`alter table ${SCHEMA}.audit_log enable trigger audit_log_append_only`);
}

describe('audit log', () => {
  it('chains appended batches from the genesis hash and verifies them', async () => {
    const first = await log.append([entry(1), entry(2)]);
    expect(first[0]!.prevHash).toBe(GENESIS_HASH);
    expect(first[1]!.prevHash).toBe(first[0]!.hash);
    const second = await log.append([entry(3, null)]);
    expect(second[0]!.prevHash).toBe(first[1]!.hash);
    expect(second[0]).toMatchObject({ actor: 'public', purpose: null, subjectCode: null, action: 'search' });
    expect(await log.append([])).toEqual([]);

    const verdict = await verifyAuditChain(pool, { schema: SCHEMA, batchSize: 2 });
    expect(verdict).toEqual({ ok: true, rows: 3, head: { id: second[0]!.id, hash: second[0]!.hash } });
    const other = testPool();
    try {
      expect(await verifyAuditChain(other, { schema: SCHEMA })).toMatchObject({ ok: true, rows: 3 });
    } finally {
      await other.end();
    }

    const stored = await pool.query(`select detail, at from ${SCHEMA}.audit_log where id = $1`, [
      second[0]!.id,
    ]);
    expect(stored.rows[0].detail).toEqual({ matched: 3, sectors: { a: 2, b: 1 } });
    expect(stored.rows[0].at).toEqual(second[0]!.at);
  });

  it('keeps one valid chain under concurrent appends', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => log.append([entry(i * 2), entry(i * 2 + 1, null)])),
    );
    expect(results.flat()).toHaveLength(20);
    expect(await verifyAuditChain(pool, { schema: SCHEMA, batchSize: 3 })).toMatchObject({
      ok: true,
      rows: 20,
    });
  });

  it('verifies an empty log, and a rolled-back append leaves a harmless id gap', async () => {
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toEqual({ ok: true, rows: 0, head: null });
    await log.append([entry(1)]);
    await expect(log.append([entry(2), { ...entry(3), detail: { bad: Number.NaN } }])).rejects.toMatchObject({
      code: 'AUDIT_NOT_JSON',
    });
    await pool.query(`select nextval('${SCHEMA}.audit_log_id_seq')`);
    await log.append([entry(4)]);
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toMatchObject({ ok: true, rows: 2 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await appendSome();
    await expect(pool.query(`update ${SCHEMA}.audit_log set actor = 'x'`)).rejects.toThrow(
      'audit_log is append-only',
    );
    await expect(pool.query(`delete from ${SCHEMA}.audit_log`)).rejects.toThrow('audit_log is append-only');
    await expect(pool.query(`truncate ${SCHEMA}.audit_log`)).rejects.toThrow('audit_log is append-only');
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toMatchObject({ ok: true, rows: 6 });
  });

  it('detects an edited row at that row', async () => {
    await appendSome();
    const { rows } = await pool.query<{ id: string }>(`select id from ${SCHEMA}.audit_log order by id`);
    const edited = rows[3]!.id;
    await withTriggerDisabled(() =>
      pool.query(`update ${SCHEMA}.audit_log set detail = '{"records": 0}' where id = $1`, [edited]),
    );
    expect(await verifyAuditChain(pool, { schema: SCHEMA, batchSize: 2 })).toEqual({
      ok: false,
      rows: 3,
      brokenAt: edited,
      reason: 'hash-mismatch',
    });
  });

  it('detects an edited row even when its own hash was recomputed, at the following row', async () => {
    await appendSome();
    const { rows } = await pool.query(`select * from ${SCHEMA}.audit_log order by id`);
    const target = rows[1];
    const forgedHash = auditRowHash(target.prev_hash, {
      id: target.id,
      at: target.at,
      actor: target.actor,
      purpose: target.purpose,
      subjectCode: target.subject_code,
      action: target.action,
      detail: { records: 0 },
    });
    await withTriggerDisabled(() =>
      pool.query(`update ${SCHEMA}.audit_log set detail = '{"records": 0}', hash = $2 where id = $1`, [
        target.id,
        forgedHash,
      ]),
    );
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toMatchObject({
      ok: false,
      brokenAt: rows[2].id,
      reason: 'prev-hash-mismatch',
    });
  });

  it('detects a deleted row at the following row', async () => {
    await appendSome();
    const { rows } = await pool.query<{ id: string }>(`select id from ${SCHEMA}.audit_log order by id`);
    await withTriggerDisabled(() =>
      pool.query(`delete from ${SCHEMA}.audit_log where id = $1`, [rows[2]!.id]),
    );
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toEqual({
      ok: false,
      rows: 2,
      brokenAt: rows[3]!.id,
      reason: 'prev-hash-mismatch',
    });
  });

  it('detects an inserted forged row', async () => {
    await appendSome();
    const head = await pool.query(`select id, hash from ${SCHEMA}.audit_log order by id desc limit 1`);
    // Appended at the end with the right prev_hash but a made-up hash: caught at the forged row.
    const forged = await pool.query<{ id: string }>(
      `insert into ${SCHEMA}.audit_log (at, actor, purpose, subject_code, action, detail, prev_hash, hash)
       values (now(), 'client-9', 'loan 9', $1, 'profile', '{}', $2, $3) returning id`,
      [SUBJECT, head.rows[0].hash, 'f'.repeat(64)],
    );
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toEqual({
      ok: false,
      rows: 6,
      brokenAt: forged.rows[0]!.id,
      reason: 'hash-mismatch',
    });
  });

  it('detects a correctly hashed row forged into an id gap, at the row after it', async () => {
    await log.append([entry(1), entry(2)]);
    const gap = await pool.query<{ id: string }>(`select nextval('${SCHEMA}.audit_log_id_seq')::text as id`);
    const [after] = await log.append([entry(3)]);
    const previous = await pool.query(
      `select hash from ${SCHEMA}.audit_log where id < $1 order by id desc limit 1`,
      [gap.rows[0]!.id],
    );
    const fields = {
      id: gap.rows[0]!.id,
      at: new Date(),
      actor: 'client-9',
      purpose: 'loan 9',
      subjectCode: SUBJECT,
      action: 'profile',
      detail: {},
    };
    const prevHash = previous.rows[0].hash as string;
    await pool.query(
      `insert into ${SCHEMA}.audit_log (id, at, actor, purpose, subject_code, action, detail, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, '{}', $7, $8)`,
      [
        fields.id,
        fields.at,
        fields.actor,
        fields.purpose,
        fields.subjectCode,
        fields.action,
        prevHash,
        auditRowHash(prevHash, fields),
      ],
    );
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toEqual({
      ok: false,
      rows: 3,
      brokenAt: after!.id,
      reason: 'prev-hash-mismatch',
    });
  });

  it('shows a subject who looked at its records, newest first, in pages', async () => {
    await appendSome();
    const all = await log.forSubject(SUBJECT);
    expect(all.map((row) => row.purpose)).toEqual(['loan 6', 'loan 5', 'loan 2', 'loan 1']);
    expect(all[0]).toMatchObject({
      actor: 'client-0',
      subjectCode: SUBJECT,
      action: 'profile',
      detail: { records: 6 },
    });
    const firstPage = await log.forSubject(SUBJECT, { limit: 2 });
    const secondPage = await log.forSubject(SUBJECT, { limit: 2, before: firstPage[1]!.id });
    expect([...firstPage, ...secondPage]).toEqual(all);
    expect(await log.forSubject(OTHER)).toHaveLength(1);
    expect(await log.forSubject('nobody')).toEqual([]);
    await expect(log.forSubject(SUBJECT, { limit: 0 })).rejects.toMatchObject({
      code: 'AUDIT_QUERY_INVALID',
    });
  });

  it('refuses bad entries and schema names before writing anything', async () => {
    await expect(log.append([{ ...entry(1), actor: '' }])).rejects.toMatchObject({
      code: 'AUDIT_ENTRY_INVALID',
    });
    expect(() => createAuditLog(pool, { schema: 'Robert"; drop' })).toThrow(/schema name/);
    await expect(migrateAudit(pool, 'Bad-Name')).rejects.toMatchObject({ code: 'AUDIT_INVALID_SCHEMA_NAME' });
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toEqual({ ok: true, rows: 0, head: null });
  });

  it('migrates idempotently, concurrently, and alongside the service migrations of the same schema', async () => {
    const serviceDir = mkdtempSync(path.join(os.tmpdir(), 'service-migrations-'));
    writeFileSync(
      path.join(serviceDir, '0001_things.sql'),
      'create table things (id bigserial primary key);',
    );
    await Promise.all([
      migrate(pool, SCHEMA, serviceDir),
      migrateAudit(pool, SCHEMA),
      migrateAudit(pool, SCHEMA),
      migrateAudit(pool, 'other'),
    ]);
    await log.append([entry(1)]);
    await migrateAudit(pool, SCHEMA);
    expect(await migrate(pool, SCHEMA, serviceDir)).toMatchObject({ applied: [], alreadyApplied: 1 });
    await pool.query(`insert into ${SCHEMA}.things default values`);
    expect(await verifyAuditChain(pool, { schema: SCHEMA })).toMatchObject({ ok: true, rows: 1 });
    // Through @credit/db's migrate() into a schema of its own; unqualified access through the search path.
    await migrate(pool, 'query_audit', AUDIT_MIGRATIONS_DIR);
    const scoped = testPool({ searchPath: 'query_audit' });
    try {
      const unqualified = createAuditLog(scoped);
      await unqualified.append([entry(1), entry(2)]);
      expect(await verifyAuditChain(scoped)).toMatchObject({ ok: true, rows: 2 });
      expect(await verifyAuditChain(pool, { schema: 'query_audit' })).toMatchObject({ ok: true, rows: 2 });
    } finally {
      await scoped.end();
    }
  });
});
