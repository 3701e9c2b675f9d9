import { readFileSync } from 'node:fs';
import { validateResidentId } from '@credit/identifiers';
import type { MessageBus } from '@credit/kit';
import pg from 'pg';

/**
 * Finds resident identity numbers (GB 11643) in clear in what the platform wrote: text, bytes, database tables, topics
 * and log files. A hit is a run of 17 digits and a digit or X that `validateResidentId` accepts (a real division,
 * a real birth date, the right check character), so account numbers and all-digit codes that only look like one are
 * not hits. Nothing here ever returns or prints a number it found, except `findIdentityNumbers` to its caller.
 * Free of vitest: the global setup and scripts outside vitest use it too.
 */

// In text, a number stands alone: 17 digits and a digit or X, not glued to more digits.
const TEXT_CANDIDATE = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])/g;
// In bytes, the byte after a number may be the next field's length and read as a digit (an Avro length of 24 to 28
// is '0' to '9'), and the byte before it too: a longer run of digits is tried by its first and its last 18.
const BYTES_RUN = /[0-9]{17,}[Xx]?/g;
// What the database prefilters rows with before they are checked here (a superset of every hit).
const SQL_PREFILTER = '[0-9]{17}[0-9Xx]';

/**
 * The valid resident identity numbers in `input`, each once (upper-case X). A string is text; bytes (a Kafka key,
 * value or header, a bytea cell) are read as latin1, so a number glued to a length byte or to binary is still found.
 */
export function findIdentityNumbers(input: string | Uint8Array): string[] {
  const found = new Set<string>();
  if (typeof input === 'string') {
    for (const match of input.matchAll(TEXT_CANDIDATE)) accept(match[0], found);
  } else {
    const text = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
    for (const match of text.matchAll(BYTES_RUN)) {
      const run = match[0];
      if (run.length === 18) accept(run, found);
      else if (run.length > 18) {
        accept(run.slice(0, 18), found);
        accept(run.slice(-18), found);
      }
    }
  }
  return [...found];
}

function accept(candidate: string, found: Set<string>): void {
  const result = validateResidentId(candidate);
  if (result.valid) found.add(result.number);
}

/**
 * The numbers in JSON text: in the text as it is (numbers outside strings too) and in every string and key once
 * parsed, since an escape (`\u0001`) glues digits to a number that the decoded string holds alone.
 */
export function findIdentityNumbersInJson(text: string): string[] {
  const found = new Set(findIdentityNumbers(text));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [...found];
  }
  for (const { value } of jsonStrings(parsed))
    for (const number of findIdentityNumbers(value)) found.add(number);
  return [...found];
}

/** Where in a parsed JSON value numbers are (`err.message`, `req.url`, `headers["x-id"]`), never the numbers. */
export function identityNumberPaths(value: unknown): string[] {
  const paths = new Set<string>();
  for (const item of jsonStrings(value)) if (findIdentityNumbers(item.value).length > 0) paths.add(item.path);
  return [...paths];
}

function* jsonStrings(value: unknown, path = ''): Generator<{ path: string; value: string }> {
  if (typeof value === 'string') yield { path: path || '(value)', value };
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* jsonStrings(item, `${path}[${index}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key)
        ? `${path ? `${path}.` : ''}${key}`
        : `${path}[${JSON.stringify(key)}]`;
      yield { path: `${at} (the key)`, value: key };
      yield* jsonStrings(item, at);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Databases

/** The one column allowed to hold identity numbers: AES-GCM ciphertext, never clear. */
export const SEALED_COLUMNS: readonly string[] = ['aggregator.subjects.identity_ciphertext'];

export interface DatabaseFinding {
  /** `schema.table.column`. */
  column: string;
  /** Rows whose cell holds at least one valid number in clear. */
  rows: number;
}

export interface DatabaseScan {
  database: string;
  schemas: number;
  tables: number;
  columns: number;
  findings: DatabaseFinding[];
}

export interface DatabaseScanOptions {
  /** Only these schemas (default: every schema but the system's). */
  schemas?: (schema: string) => boolean;
}

// Types whose text form cannot hold 18 digits in a row: not read.
const UNREADABLE_TYPES = new Set([
  'bool',
  'int2',
  'int4',
  'float4',
  'float8',
  'oid',
  'uuid',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'tsvector',
]);

interface ColumnInfo {
  schema: string;
  table: string;
  column: string;
  type: string;
  category: string;
}

/**
 * Every table (and materialised view) of every schema but PostgreSQL's own, every column whose values can hold a
 * number as text (text, varchar, json, jsonb, xml, bytea, arrays, enums, bigint, numeric...), except the sealed
 * column. The database keeps only rows matching a digit run; those are checked here. Bytea cells are read as bytes.
 */
export async function scanDatabase(url: string, options: DatabaseScanOptions = {}): Promise<DatabaseScan> {
  const client = new pg.Client({ connectionString: url, application_name: 'privacy-scan' });
  await client.connect();
  try {
    // pg_catalog rather than information_schema.columns: the latter leaves out materialised views.
    const { rows } = await client.query<ColumnInfo>(
      `select n.nspname as schema, c.relname as table, a.attname as column, t.typname as type, t.typcategory as category
         from pg_catalog.pg_class c
         join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
         join pg_catalog.pg_type t on t.oid = a.atttypid
        where c.relkind in ('r', 'm')
          and n.nspname not in ('pg_catalog', 'information_schema')
          and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
        order by 1, 2, a.attnum`,
    );
    const tables = new Map<string, ColumnInfo[]>();
    for (const row of rows) {
      if (options.schemas && !options.schemas(row.schema)) continue;
      const key = `${row.schema}\u0000${row.table}`;
      if (!tables.has(key)) tables.set(key, []);
      if (SEALED_COLUMNS.includes(`${row.schema}.${row.table}.${row.column}`)) continue;
      if (UNREADABLE_TYPES.has(row.type) || ['B', 'D', 'T', 'I', 'G'].includes(row.category)) continue;
      tables.get(key)!.push(row);
    }
    const findings: DatabaseFinding[] = [];
    let columns = 0;
    for (const [key, cols] of tables) {
      if (cols.length === 0) continue;
      columns += cols.length;
      const [schema, table] = key.split('\u0000') as [string, string];
      findings.push(...(await scanTable(client, schema, table, cols)));
    }
    return {
      database: new URL(url).pathname.slice(1),
      schemas: new Set([...tables.keys()].map((key) => key.split('\u0000')[0])).size,
      tables: tables.size,
      columns,
      findings,
    };
  } finally {
    await client.end();
  }
}

async function scanTable(
  client: pg.Client,
  schema: string,
  table: string,
  columns: ColumnInfo[],
): Promise<DatabaseFinding[]> {
  const id = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const select = columns.map((c, i) =>
    c.type === 'bytea' ? `${id(c.column)} as c${i}` : `${id(c.column)}::text as c${i}`,
  );
  const where = columns.map((c) =>
    c.type === 'bytea'
      ? `encode(${id(c.column)}, 'escape') ~ '${SQL_PREFILTER}'`
      : `${id(c.column)}::text ~ '${SQL_PREFILTER}'`,
  );
  // Every column but bytea is cast to text, so cells come back as strings; bytea as Buffers.
  const { rows } = await client.query<Record<string, string | Buffer | null>>(
    `select ${select.join(', ')} from ${id(schema)}.${id(table)} where ${where.join(' or ')}`,
  );
  const counts = new Map<string, number>();
  for (const row of rows) {
    columns.forEach((column, i) => {
      const cell = row[`c${i}`];
      if (cell === null || cell === undefined) return;
      const hits =
        typeof cell !== 'string'
          ? findIdentityNumbers(cell)
          : column.type === 'json' || column.type === 'jsonb'
            ? findIdentityNumbersInJson(cell)
            : findIdentityNumbers(cell);
      if (hits.length > 0) counts.set(column.column, (counts.get(column.column) ?? 0) + 1);
    });
  }
  return [...counts].map(([column, count]) => ({ column: `${schema}.${table}.${column}`, rows: count }));
}

// ---------------------------------------------------------------------------------------------------------------
// Topics

export interface TopicToScan {
  topic: string;
  /** Per partition, the first offset to read (default: the partition's low offset). */
  from?: Record<number, string>;
}

export interface TopicFinding {
  topic: string;
  /** `key`, `value`, `header <name>` or `header name`. */
  where: string;
  messages: number;
  first: { partition: number; offset: string };
}

export interface TopicScan {
  topics: number;
  messages: number;
  findings: TopicFinding[];
  /** Partitions not read to their end offset in time (a scan that did not finish is not a clean scan). */
  unfinished: { topic: string; partition: number; next: string; end: string }[];
  /** Topics that were gone when the scan began. */
  missing: string[];
}

export interface TopicScanOptions {
  /** Longest the reading may take (default 120 s). */
  timeoutMs?: number;
  groupId?: string;
}

/**
 * Reads every message of `topics` from the beginning (or the given offsets) to the end offsets they had when the scan
 * began, and looks for numbers in keys, values, header names and header values (as bytes).
 */
export async function scanTopics(
  bus: MessageBus,
  topics: (string | TopicToScan)[],
  options: TopicScanOptions = {},
): Promise<TopicScan> {
  const wanted = topics.map((t) => (typeof t === 'string' ? { topic: t } : t));
  const admin = await bus.admin();
  const pending = new Map<string, { next: bigint; end: bigint }>();
  const missing: string[] = [];
  const scan: TopicScan = { topics: 0, messages: 0, findings: [], unfinished: [], missing };
  const groupId = options.groupId ?? `privacy-scan-${Date.now().toString(36)}-${process.pid}`;
  let joined = false;
  try {
    const existing = new Set(await admin.listTopics());
    await inParallel(wanted, 16, async ({ topic, from }) => {
      if (!existing.has(topic)) {
        missing.push(topic);
        return;
      }
      const offsets = await admin.topicOffsets(topic).catch(() => undefined);
      if (!offsets) {
        missing.push(topic);
        return;
      }
      scan.topics += 1;
      for (const partition of offsets) {
        const low = BigInt(partition.low);
        const start = from?.[partition.partition] === undefined ? low : BigInt(from[partition.partition]!);
        const next = start > low ? start : low;
        const end = BigInt(partition.high);
        if (end > next) pending.set(`${topic}\u0000${partition.partition}`, { next, end });
      }
    });
    if (pending.size === 0) return scan;

    const findings = new Map<string, TopicFinding>();
    const note = (topic: string, where: string, partition: number, offset: string) => {
      const key = `${topic}\u0000${where}`;
      const finding = findings.get(key);
      if (finding) finding.messages += 1;
      else findings.set(key, { topic, where, messages: 1, first: { partition, offset } });
    };
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const consumer = await bus.consumer({
      groupId,
      topics: [...new Set([...pending.keys()].map((key) => key.split('\u0000')[0]!))],
      fromBeginning: true,
      maxWaitTimeMs: 200,
      partitionsConsumedConcurrently: 8,
      sessionTimeoutMs: 30_000,
    });
    joined = true;
    try {
      await consumer.run(async (batch) => {
        const progress = pending.get(`${batch.topic}\u0000${batch.partition}`);
        if (!progress) return;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < progress.next || offset >= progress.end) continue;
          scan.messages += 1;
          const at = (where: string) => note(batch.topic, where, batch.partition, message.offset);
          if (message.key && findIdentityNumbers(message.key).length > 0) at('key');
          if (message.value && findIdentityNumbers(message.value).length > 0) at('value');
          for (const [name, value] of Object.entries(message.headers)) {
            if (findIdentityNumbers(name).length > 0) at('header name');
            if (value && findIdentityNumbers(value).length > 0) at(`header ${name}`);
          }
        }
        const last = BigInt(batch.messages.at(-1)!.offset) + 1n;
        if (last > progress.next) progress.next = last;
        if (progress.next >= progress.end) {
          pending.delete(`${batch.topic}\u0000${batch.partition}`);
          if (pending.size === 0) resolveDone();
        }
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        done,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.timeoutMs ?? 120_000);
        }),
      ]);
      clearTimeout(timer);
    } finally {
      await consumer.disconnect().catch(() => {});
    }
    scan.findings = [...findings.values()];
    for (const [key, progress] of pending) {
      const [topic, partition] = key.split('\u0000') as [string, string];
      scan.unfinished.push({
        topic,
        partition: Number(partition),
        next: progress.next.toString(),
        end: progress.end.toString(),
      });
    }
    return scan;
  } finally {
    if (joined) await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

// ---------------------------------------------------------------------------------------------------------------
// Log files

export interface LogFinding {
  file: string;
  /** 1-based line numbers of the first few lines with a number. */
  lines: number[];
  /** Lines with a number in clear. */
  count: number;
  /** Where in the JSON lines the numbers were (`msg`, `err.message`, `req.url`), and the services that logged them. */
  paths: string[];
  services: string[];
}

export interface LogScan {
  files: number;
  lines: number;
  findings: LogFinding[];
}

/** Every line of each file: a JSON line (pino) by its text and its decoded strings, any other line as text. */
export function scanLogFiles(files: string[]): LogScan {
  const scan: LogScan = { files: 0, lines: 0, findings: [] };
  for (const file of files) {
    scan.files += 1;
    const text = readFileSync(file, 'utf8');
    let finding: LogFinding | undefined;
    let lineNumber = 0;
    for (const line of text.split('\n')) {
      lineNumber += 1;
      if (line.length === 0) continue;
      scan.lines += 1;
      if (findIdentityNumbersInJson(line).length === 0) continue;
      finding ??= { file, lines: [], count: 0, paths: [], services: [] };
      finding.count += 1;
      if (finding.lines.length < 5) finding.lines.push(lineNumber);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const paths = parsed === undefined ? ['(not JSON)'] : identityNumberPaths(parsed);
      for (const path of paths.length > 0 ? paths : ['(outside strings)']) {
        if (!finding.paths.includes(path)) finding.paths.push(path);
      }
      const service = (parsed as { service?: unknown } | undefined)?.service;
      if (typeof service === 'string' && !finding.services.includes(service)) finding.services.push(service);
    }
    if (finding) scan.findings.push(finding);
  }
  return scan;
}
