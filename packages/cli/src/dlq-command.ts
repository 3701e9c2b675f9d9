import { type Command, InvalidArgumentError } from 'commander';
import { request } from 'undici';

/** A refusal of the ops monitor's API: its status and coded error. */
export class OpsMonitorRefused extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(`the ops monitor answered ${status} ${code}: ${message}`);
    this.name = 'OpsMonitorRefused';
    this.status = status;
    this.code = code;
  }
}

export interface DeadLetterLine {
  id: string;
  department: string | null;
  reasonCode: string;
  reason: string;
  service: string | null;
  source: { topic: string; partition: number | null; offset: string | null } | null;
  value: { bytes: number } | null;
  deadAt: string;
  replayed: { at: string } | null;
}

export interface ReplayCounts {
  dryRun: boolean;
  matched: number;
  replayed: number;
  skippedAlreadyReplayed: number;
  skippedNoSource: number;
  remaining: number;
  byTopic: Record<string, number>;
}

/** Calls the ops monitor at `url`; with a token, as `Authorization: Bearer`. */
export async function callOpsMonitor<T>(
  url: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(new URL(path, url), {
      method: options.body === undefined ? 'GET' : 'POST',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    throw new Error(`the ops monitor at ${url} did not answer: ${(error as Error).message}`);
  }
  const text = await response.body.text();
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new OpsMonitorRefused(response.statusCode, 'NOT_JSON', text.slice(0, 200));
  }
  if (response.statusCode >= 400) {
    const error = (answer as { error?: { code?: string; message?: string } }).error;
    throw new OpsMonitorRefused(
      response.statusCode,
      error?.code ?? 'UNKNOWN',
      error?.message ?? text.slice(0, 200),
    );
  }
  return answer as T;
}

/** The query string of `GET /v1/dlq`. */
export function listPath(options: {
  department?: string;
  reason?: string;
  replayed?: boolean;
  limit?: number;
  before?: string;
}): string {
  const query = new URLSearchParams();
  if (options.department !== undefined) query.set('department', options.department);
  if (options.reason !== undefined) query.set('reason', options.reason);
  if (options.replayed !== undefined) query.set('replayed', String(options.replayed));
  if (options.limit !== undefined) query.set('limit', String(options.limit));
  if (options.before !== undefined) query.set('before', options.before);
  const search = query.toString();
  return search === '' ? '/v1/dlq' : `/v1/dlq?${search}`;
}

/** Dead letters as an aligned text table (no values: they may hold personal data; see --json). */
export function deadLetterTable(rows: readonly DeadLetterLine[]): string {
  const header = ['ID', 'DEAD AT', 'DEPARTMENT', 'REASON', 'SERVICE', 'SOURCE', 'BYTES', 'REPLAYED'];
  const lines = rows.map((row) => [
    row.id,
    row.deadAt.slice(0, 19).replace('T', ' '),
    row.department ?? '-',
    row.reasonCode,
    row.service ?? '-',
    row.source === null
      ? '-'
      : `${row.source.topic}/${row.source.partition ?? '?'}/${row.source.offset ?? '?'}`,
    row.value === null ? '-' : String(row.value.bytes),
    row.replayed === null ? 'no' : row.replayed.at.slice(0, 19).replace('T', ' '),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  return [header, ...lines]
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The counts of a replay, one line each, for a person. */
export function replaySummary(counts: ReplayCounts): string {
  const verb = counts.dryRun ? 'would replay' : 'replayed';
  const lines = [
    `${verb} ${counts.replayed} of ${counts.matched} matching dead letters`,
    `  already replayed before: ${counts.skippedAlreadyReplayed}`,
    `  without a source topic:  ${counts.skippedNoSource}`,
    `  left for another run:    ${counts.remaining}`,
  ];
  for (const [topic, count] of Object.entries(counts.byTopic)) lines.push(`  to ${topic}: ${count}`);
  return lines.join('\n');
}

const DEFAULT_URL = process.env.CREDIT_OPS_URL ?? 'http://127.0.0.1:8086';

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  if (!/^[1-9]\d{0,18}$/.test(value))
    throw new InvalidArgumentError('expected a dead letter id (a positive integer)');
  return [...previous, value];
}

interface ListFlags {
  url: string;
  department?: string;
  reason?: string;
  replayed?: boolean;
  limit: number;
  before?: string;
  json?: boolean;
}

interface ReplayFlags {
  url: string;
  department?: string;
  reason?: string;
  id?: string[];
  all?: boolean;
  dryRun?: boolean;
  limit?: number;
  json?: boolean;
}

/** The body of `POST /v1/dlq/replay` for the flags; refuses locally what the ops monitor would refuse. */
export function replayBody(flags: Omit<ReplayFlags, 'url' | 'json'>): Record<string, unknown> {
  if (flags.department === undefined && flags.reason === undefined && flags.id === undefined && !flags.all)
    throw new Error(
      'choose dead letters with --department, --reason or --id; replaying everything needs --all',
    );
  return {
    department: flags.department,
    reason: flags.reason,
    ids: flags.id,
    all: flags.all || undefined,
    dryRun: flags.dryRun || undefined,
    limit: flags.limit,
  };
}

/**
 * `credit dlq list|summary|replay`: the dead-letter view of the ops monitor's HTTP API. The token, when the ops
 * monitor asks for one, comes from CREDIT_OPS_TOKEN (never a flag).
 */
export function dlqCommand(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('dead-lettered messages: inspect them by department and reason, re-inject them once fixed');
  const token = () => process.env.CREDIT_OPS_TOKEN;

  dlq
    .command('list')
    .description('dead letters, newest first, as a table (values only with --json)')
    .option('--url <url>', 'ops monitor', DEFAULT_URL)
    .option('--department <code>', 'only this department, e.g. market-regulation')
    .option('--reason <code>', 'only this reason code, e.g. CREDIT_INVALID_USCC')
    .option('--replayed', 'only those replayed already')
    .option('--pending', 'only those not replayed yet')
    .option('--limit <n>', 'at most n (up to 500)', positive, 50)
    .option('--before <id>', 'the page after this id')
    .option('--json', 'print the answer as JSON, values included')
    .action(async (flags: ListFlags & { pending?: boolean }) => {
      if (flags.replayed && flags.pending) throw new Error('--replayed and --pending exclude each other');
      const replayed = flags.replayed ? true : flags.pending ? false : undefined;
      const page = await callOpsMonitor<{ deadLetters: DeadLetterLine[]; nextBefore: string | null }>(
        flags.url,
        listPath({ ...flags, replayed }),
        { token: token() },
      );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(page)}\n`);
        return;
      }
      process.stdout.write(`${deadLetterTable(page.deadLetters)}\n`);
      if (page.nextBefore !== null) process.stderr.write(`more: --before ${page.nextBefore}\n`);
    });

  dlq
    .command('summary')
    .description('counts of dead letters by department × reason and by service (JSON)')
    .option('--url <url>', 'ops monitor', DEFAULT_URL)
    .action(async (flags: { url: string }) => {
      const summary = await callOpsMonitor(flags.url, '/v1/dlq/summary', { token: token() });
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    });

  dlq
    .command('replay')
    .description(
      're-inject dead letters not replayed yet to their source topics, with their original key, value and headers ' +
        '(plus dlq-replayed-from), once the cause is fixed; prints the counts',
    )
    .option('--url <url>', 'ops monitor', DEFAULT_URL)
    .option('--department <code>', 'only this department')
    .option('--reason <code>', 'only this reason code')
    .option('--id <id>', 'only this dead letter (repeatable)', collect)
    .option('--all', 'every dead letter not replayed yet (when no other filter is given)')
    .option('--dry-run', 'count what would be replayed; send nothing')
    .option('--limit <n>', 'at most n messages in this run', positive)
    .option('--json', 'print the counts as JSON')
    .action(async (flags: ReplayFlags) => {
      const counts = await callOpsMonitor<ReplayCounts>(flags.url, '/v1/dlq/replay', {
        token: token(),
        body: replayBody(flags),
      });
      process.stdout.write(`${flags.json ? JSON.stringify(counts) : replaySummary(counts)}\n`);
    });
}
