// What several commands share: the platform database (DATABASE_URL or infra's state) and the catalogue's departments.
import type pg from 'pg';

/** DATABASE_URL when set, else the database `pnpm infra:up` recorded. */
export async function databaseUrl(): Promise<string> {
  const { readState } = await import('@credit/infra');
  const url = process.env.DATABASE_URL ?? readState()?.database.url;
  if (!url) throw new Error('set DATABASE_URL, or run pnpm infra:up so the CLI can find the database');
  return url;
}

/** Runs `run` with a small pool on the database (after `migrate`, when given), and ends the pool. */
export async function withPool(
  run: (pool: pg.Pool) => Promise<void>,
  options: { migrate?: (pool: pg.Pool) => Promise<unknown> } = {},
): Promise<void> {
  const url = await databaseUrl();
  const { createPool } = await import('@credit/db');
  const pool = createPool(url, { max: 2 });
  try {
    await options.migrate?.(pool);
    await run(pool);
  } finally {
    await pool.end();
  }
}

/** Throws, naming the known ones, unless the catalogue has a department with this code. */
export async function knownDepartment(department: string): Promise<void> {
  const { loadCatalogue } = await import('@credit/catalogue');
  const catalogue = loadCatalogue();
  if (!catalogue.department(department)) {
    const known = catalogue.departments.map((d) => d.code).join(', ');
    throw new Error(`no department '${department}' in catalogue ${catalogue.version}; known: ${known}`);
  }
}
