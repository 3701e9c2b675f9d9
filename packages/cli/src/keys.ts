import { migrate } from '@credit/db';
import { issueKey, listKeys, revokeKey } from '@credit/ingest-gateway/keys';
import type { Command } from 'commander';
import type pg from 'pg';
import { knownDepartment, withPool } from './command-context.ts';

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
      withPool(
        async (pool) => {
          await knownDepartment(department);
          const expiresAt = options.expiresInDays
            ? new Date(Date.now() + options.expiresInDays * 86_400_000)
            : null;
          const issued = await issueKey(pool, department, { label: options.label ?? '', expiresAt });
          console.log(JSON.stringify(issued));
        },
        { migrate: migrateIntake },
      ),
    );

  keys
    .command('list [department]')
    .description('list keys (never their secrets)')
    .action((department: string | undefined) =>
      withPool(
        async (pool) => {
          for (const key of await listKeys(pool, department)) console.log(JSON.stringify(key));
        },
        { migrate: migrateIntake },
      ),
    );

  keys
    .command('revoke <keyId>')
    .description('revoke a key; gateways stop accepting it within their key cache time (KEY_CACHE_SECONDS)')
    .action((keyId: string) =>
      withPool(
        async (pool) => {
          if (!(await revokeKey(pool, keyId))) throw new Error(`no active key ${keyId}`);
          console.log(JSON.stringify({ keyId, revoked: true }));
        },
        { migrate: migrateIntake },
      ),
    );
}

/** The gateway's key table, created or brought up to date before a command reads or writes it. */
async function migrateIntake(pool: pg.Pool): Promise<void> {
  const { MIGRATIONS_DIR } = await import('@credit/ingest-gateway/migrations');
  await migrate(pool, 'intake', MIGRATIONS_DIR);
}
