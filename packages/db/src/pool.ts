import pg from 'pg';
import { InvalidSchemaName } from './errors.ts';

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /** Unqualified table names resolve in this schema first (a service's own schema), then in public. */
  searchPath?: string;
  /** The server cancels a statement running longer (PostgreSQL statement_timeout); none when omitted. */
  statementTimeoutMs?: number;
  /** Session settings (`-c name=value` at connect), e.g. max_parallel_workers_per_gather for an OLTP API. */
  settings?: Record<string, string>;
  /**
   * An idle client's connection can end (server restart, a database dropped with its connections); pg reports it as
   * an 'error' event on the pool, which would otherwise crash the process. The pool replaces the client itself.
   */
  onIdleError?: (error: Error) => void;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  if (options.searchPath !== undefined && !/^[a-z][a-z0-9_]*$/.test(options.searchPath)) {
    throw InvalidSchemaName(options.searchPath);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName,
    ...(startupOptions(options) ? { options: startupOptions(options) } : {}),
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  pool.on(
    'error',
    options.onIdleError ?? ((error) => process.emitWarning(`idle PostgreSQL client: ${error.message}`)),
  );
  // pg-pool listens for errors of idle clients only. A client checked out when its connection ends (the server
  // stopped, restarting, crashed) emits 'error' with no one listening: an uncaught exception that ends the process.
  // The query in flight is failed by pg itself and the pool drops the client when it is released; the event needs a
  // listener, nothing more.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

function startupOptions(options: PoolOptions): string {
  const settings: [string, string][] = [
    ...(options.searchPath ? [['search_path', `${options.searchPath},public`] as [string, string]] : []),
    ...Object.entries(options.settings ?? {}),
  ];
  for (const [name] of settings) {
    if (!/^[a-z_][a-z0-9_.]*$/.test(name)) throw new RangeError(`not a PostgreSQL setting name: ${name}`);
  }
  return settings.map(([name, value]) => `-c ${name}=${value.replaceAll(' ', '\\ ')}`).join(' ');
}

/** Readiness check for /health/ready. */
export async function pingDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}
