import type { AuditChainVerdict } from '@credit/audit';
import type { Command } from 'commander';

/** Verifies the audit chain in `schema` of the database at `databaseUrl`. */
export async function verifyAudit(databaseUrl: string, schema: string): Promise<AuditChainVerdict> {
  const [{ createPool }, { verifyAuditChain }] = await Promise.all([
    import('@credit/db'),
    import('@credit/audit'),
  ]);
  const pool = createPool(databaseUrl, { max: 1, applicationName: 'credit-audit-verify' });
  try {
    return await verifyAuditChain(pool, { schema });
  } finally {
    await pool.end();
  }
}

/**
 * `credit audit verify`: recomputes every hash of the append-only query audit log in id order and says whether the
 * chain holds, or the first row where it breaks (an edited, deleted or forged row). Exit status 1 when broken.
 */
export function auditCommand(program: Command): void {
  const audit = program.command('audit').description('the hash-chained query audit log');
  audit
    .command('verify')
    .description('verify the audit chain; prints one JSON line (ok, rows, head or brokenAt and reason)')
    .option('--schema <name>', 'schema holding audit_log', 'query')
    .action(async (options: { schema: string }) => {
      const databaseUrl =
        process.env.DATABASE_URL ??
        (await import('@credit/infra')).requireInfrastructure('credit audit verify needs').databaseUrl;
      const verdict = await verifyAudit(databaseUrl, options.schema);
      process.stdout.write(`${JSON.stringify(verdict)}\n`);
      if (!verdict.ok) process.exitCode = 1;
    });
}
