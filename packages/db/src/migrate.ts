import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import {
  InvalidSchemaName,
  MigrationEdited,
  MigrationFailed,
  MigrationFileName,
  MigrationMissing,
} from './errors.ts';

/**
 * Each service owns one PostgreSQL schema and keeps its DDL as numbered plain-SQL files
 * (`migrations/0001_records.sql`, ...). Each file runs in its own transaction; the applied ones are recorded in
 * `<schema>.schema_migrations` with a checksum, so an edited migration is refused rather than silently skipped.
 * An advisory lock per schema lets several replicas start at once.
 */
export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  schema: string;
  applied: string[];
  alreadyApplied: number;
}

const FILE_NAME = /^(\d{4,})_([a-z0-9_-]+)\.sql$/;

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw MigrationFileName(path.join(dir, file));
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: match[1]!,
        name: match[2]!,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export async function migrate(pool: pg.Pool, schema: string, dir: string): Promise<MigrationResult> {
  if (!/^[a-z][a-z0-9_]*$/.test(schema)) throw InvalidSchemaName(schema);
  const migrations = readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query(`create table if not exists ${schema}.schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const applied = new Map(
      (
        await client.query<{ version: string; checksum: string }>(
          `select version, checksum from ${schema}.schema_migrations`,
        )
      ).rows.map((row) => [row.version, row.checksum]),
    );
    for (const version of applied.keys()) {
      if (!migrations.some((m) => m.version === version)) throw MigrationMissing(version, schema, dir);
    }
    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw MigrationEdited(
            `${migration.version}_${migration.name}`,
            schema,
            checksum.slice(0, 12),
            migration.checksum.slice(0, 12),
          );
        }
        continue;
      }
      try {
        await client.query('begin');
        await client.query(`set local search_path to ${schema}, public`);
        await client.query(migration.sql);
        await client.query(
          `insert into ${schema}.schema_migrations (version, name, checksum) values ($1, $2, $3)`,
          [migration.version, migration.name, migration.checksum],
        );
        await client.query('commit');
        done.push(`${migration.version}_${migration.name}`);
      } catch (error) {
        await client.query('rollback');
        throw MigrationFailed(
          `${migration.version}_${migration.name}`,
          schema,
          error instanceof Error ? error.message : String(error),
        );
      }
    }
    return { schema, applied: done, alreadyApplied: applied.size };
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]).catch(() => {});
    client.release();
  }
}
