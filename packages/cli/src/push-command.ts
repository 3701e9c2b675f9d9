import path from 'node:path';
import type { RecordKind, Severity } from '@credit/schemas';
import cliProgress from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { push } from './push/push.ts';

/** `credit push <file>`: a department's CSV or JSON-lines export, through the ingest gateway. */
export function pushCommand(program: Command): void {
  program
    .command('push <file>')
    .description(
      'send a CSV (national 双公示 template columns, Chinese or English headers) or JSON-lines file through the ingest ' +
        'gateway in batches; retries transient failures, writes a rejects file with the reason per row, prints a summary',
    )
    .option('--kind <kind>', 'record kind of a CSV file, e.g. administrative-penalty')
    .option('--gateway <url>', 'ingest gateway', process.env.CREDIT_GATEWAY_URL ?? 'http://127.0.0.1:8081')
    .option('--batch-size <n>', 'records per request', positive, 500)
    .option('--rejects <path>', 'where to write rejected rows (default: <file>.rejects.jsonl)')
    .option('--catalogue-item <code>', 'catalogue item code for rows that do not carry one')
    .option(
      '--severity <class>',
      'severity for rows that do not carry one (BASIC, POSITIVE, GENERAL_DISHONESTY, SERIOUS_DISHONESTY)',
    )
    .option('--department <code>', 'with --dry-run: the reporting department (default: from each record)')
    .option('--dry-run', 'validate locally against the schemas, identifiers and catalogue; send nothing')
    .addHelpText(
      'after',
      '\nThe API key comes from CREDIT_API_KEY (never a flag, so it stays out of shell history).',
    )
    .action(async (file: string, options: PushFlags) => {
      const apiKey = process.env.CREDIT_API_KEY;
      if (!options.dryRun && !apiKey)
        throw new Error('set CREDIT_API_KEY to the department API key (or use --dry-run)');
      const dryRun = options.dryRun
        ? { catalogue: (await import('@credit/catalogue')).loadCatalogue(), department: options.department }
        : undefined;
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              format: ' {bar} {percentage}% | {records} records | {rate}/s | ETA {eta}s',
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      const started = Date.now();
      bar?.start(100, 0, { records: 0, rate: 0 });
      try {
        const summary = await push({
          file,
          kind: options.kind as RecordKind | undefined,
          gateway: apiKey ? { url: options.gateway, apiKey } : undefined,
          dryRun,
          batchSize: options.batchSize,
          rejectsPath: options.rejects ?? `${file}.rejects.jsonl`,
          defaults: {
            catalogueItemCode: options.catalogueItem,
            severity: options.severity as Severity | undefined,
          },
          onProgress: ({ bytes, totalBytes, records }) =>
            bar?.update(totalBytes === 0 ? 100 : Math.floor((bytes / totalBytes) * 100), {
              records,
              rate: Math.round(records / Math.max(0.001, (Date.now() - started) / 1000)),
            }),
          onRetry: (attempt, reason) =>
            process.stderr.write(`\nretrying a batch (attempt ${attempt}): ${reason}\n`),
        });
        bar?.stop();
        console.log(JSON.stringify({ file: path.basename(file), ...summary }));
        if (summary.rejected > 0) process.exitCode = 2;
      } catch (error) {
        bar?.stop();
        throw error;
      }
    });
}

interface PushFlags {
  kind?: string;
  gateway: string;
  batchSize: number;
  rejects?: string;
  catalogueItem?: string;
  severity?: string;
  department?: string;
  dryRun?: boolean;
}

function positive(value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}
