import pg from 'pg';

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /**
   * An idle client's connection can end (server restart, a database dropped with its connections); pg reports it as
   * an 'error' event on the pool, which would otherwise crash the process. The pool replaces the client itself.
   */
  onIdleError?: (error: Error) => void;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
  });
  pool.on(
    'error',
    options.onIdleError ?? ((error) => process.emitWarning(`idle PostgreSQL client: ${error.message}`)),
  );
  return pool;
}

/** Readiness check for /health/ready. */
export async function pingDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}
