import { createPool, migrate } from '@credit/db';
import { readState } from '@credit/infra';
import { issueKey, listKeys, revokeKey } from '@credit/ingest-gateway/keys';
import type { Command } from 'commander';
import type pg from 'pg';

/** `credit keys`: department API keys of the ingest gateway. Rotation = issue a new key, deploy it, revoke the old. */
export function keysCommand(program: Command): void {
  const keys = program
    .command('keys')
    .description('API keys departments use to report to the ingest gateway');

  keys
    .command('issue <department>')
    .description('issue a new key for a department (catalogue code); the key is shown once')
    .option('--label <text>', 'what the key is for, e.g. the reporting system')
    .option('--expires-in-days <days>', 'the key stops working after this many days', (v) =>
      Number.parseInt(v, 10),
    )
    .action((department: string, options: { label?: string; expiresInDays?: number }) =>
      withPool(async (pool) => {
        const { loadCatalogue } = await import('@credit/catalogue');
        const catalogue = loadCatalogue();
        if (!catalogue.department(department)) {
          const known = catalogue.departments.map((d) => d.code).join(', ');
          throw new Error(`no department '${department}' in catalogue ${catalogue.version}; known: ${known}`);
        }
        const expiresAt = options.expiresInDays
          ? new Date(Date.now() + options.expiresInDays * 86_400_000)
          : null;
        const issued = await issueKey(pool, department, { label: options.label ?? '', expiresAt });
        console.log(JSON.stringify(issued));
      }),
    );

  keys
    .command('list [department]')
    .description('list keys (never their secrets)')
    .action((department: string | undefined) =>
      withPool(async (pool) => {
        for (const key of await listKeys(pool, department)) console.log(JSON.stringify(key));
      }),
    );

  keys
    .command('revoke <keyId>')
    .description('revoke a key; gateways stop accepting it within their key cache time (KEY_CACHE_SECONDS)')
    .action((keyId: string) =>
      withPool(async (pool) => {
        if (!(await revokeKey(pool, keyId))) throw new Error(`no active key ${keyId}`);
        console.log(JSON.stringify({ keyId, revoked: true }));
      }),
    );
}

async function withPool(run: (pool: pg.Pool) => Promise<void>): Promise<void> {
  const url = process.env.DATABASE_URL ?? readState()?.database.url;
  if (!url) throw new Error('set DATABASE_URL, or run pnpm infra:up so the CLI can find the database');
  const pool = createPool(url, { max: 2 });
  try {
    const { MIGRATIONS_DIR } = await import('@credit/ingest-gateway/migrations');
    await migrate(pool, 'intake', MIGRATIONS_DIR);
    await run(pool);
  } finally {
    await pool.end();
  }
}
