import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { MessageBus } from '@credit/kit';
import pg from 'pg';
import {
  type DatabaseScan,
  type LogScan,
  scanDatabase,
  scanLogFiles,
  scanTopics,
  type TopicScan,
  type TopicToScan,
} from './privacy-scan.ts';

/**
 * One test run's privacy scan: the global setup makes a directory for the run (`<root>/<run id>/`), tests write into
 * it what teardown needs (the unique names they made, the topics they fill with hostile input on purpose, what they
 * found in databases and topics before removing them, their log files), and teardown scans the run's topics, the
 * shared database and the logs, and fails the run on any resident identity number in clear. Free of vitest.
 *
 *   names.tsv              every name `uniqueName` gave (topics, databases, groups), with the test file
 *   hostile-topics.jsonl   topics a test writes numbers in clear to on purpose (exempt from the topic scan)
 *   findings.jsonl         numbers found by tests before they dropped a database or deleted topics
 *   scans.jsonl            what those scans covered (for the summary)
 *   logs/                  the tests' log files (JSON lines)
 *   summary.json           written by teardown
 */

const NAMES = 'names.tsv';
const HOSTILE = 'hostile-topics.jsonl';
const FINDINGS = 'findings.jsonl';
const SCANS = 'scans.jsonl';
export const PRIVACY_LOG_DIR = 'logs';
/** Runs kept under the root: older ones are removed when a run starts. */
const KEPT_RUNS = 10;

export type RecordedFinding =
  | { kind: 'database'; database: string; column: string; rows: number; testFile?: string }
  | { kind: 'topic'; topic: string; where: string; messages: number; first: string; testFile?: string }
  | { kind: 'error'; what: string; message: string; testFile?: string };

export type RecordedScan =
  | { kind: 'database'; database: string; tables: number; ms: number }
  | { kind: 'topics'; topics: number; messages: number; ms: number };

export function recordName(dir: string, name: string, testFile = ''): void {
  appendFileSync(path.join(dir, NAMES), `${name}\t${testFile}\n`);
}

export function recordHostileTopic(dir: string, topic: string, testFile = '', why = ''): void {
  appendFileSync(path.join(dir, HOSTILE), `${JSON.stringify({ topic, testFile, why })}\n`);
}

export function recordFinding(dir: string, finding: RecordedFinding): void {
  appendFileSync(path.join(dir, FINDINGS), `${JSON.stringify(finding)}\n`);
}

export function recordScan(dir: string, scan: RecordedScan): void {
  appendFileSync(path.join(dir, SCANS), `${JSON.stringify(scan)}\n`);
}

/** Scans a database before it is dropped and records what it found (never the numbers). */
export async function scanDatabaseIntoRun(dir: string, url: string, testFile?: string): Promise<void> {
  const started = Date.now();
  let scan: DatabaseScan;
  try {
    scan = await scanDatabase(url);
  } catch (error) {
    // Dropped already (a second drop): nothing left to leak.
    if ((error as { code?: string }).code === '3D000') return;
    recordFinding(dir, {
      kind: 'error',
      what: `scan of database ${databaseOf(url)}`,
      message: messageOf(error),
      testFile,
    });
    return;
  }
  recordScan(dir, {
    kind: 'database',
    database: scan.database,
    tables: scan.tables,
    ms: Date.now() - started,
  });
  for (const finding of scan.findings) {
    recordFinding(dir, { kind: 'database', database: scan.database, ...finding, testFile });
  }
}

/** Scans topics before they are deleted and records what it found. */
export async function scanTopicsIntoRun(
  dir: string,
  bus: MessageBus,
  topics: string[],
  testFile?: string,
): Promise<void> {
  const hostile = new Set(
    readLines(path.join(dir, HOSTILE)).map((line) => (JSON.parse(line) as { topic: string }).topic),
  );
  const started = Date.now();
  let scan: TopicScan;
  try {
    scan = await scanTopics(
      bus,
      topics.filter((topic) => !hostile.has(topic)),
      { timeoutMs: 60_000 },
    );
  } catch (error) {
    recordFinding(dir, {
      kind: 'error',
      what: `scan of topics ${topics.join(', ')}`,
      message: messageOf(error),
      testFile,
    });
    return;
  }
  recordScan(dir, { kind: 'topics', topics: scan.topics, messages: scan.messages, ms: Date.now() - started });
  for (const finding of scan.findings) {
    recordFinding(dir, {
      kind: 'topic',
      topic: finding.topic,
      where: finding.where,
      messages: finding.messages,
      first: `${finding.first.partition}/${finding.first.offset}`,
      testFile,
    });
  }
  for (const part of scan.unfinished) {
    recordFinding(dir, {
      kind: 'error',
      what: `scan of topic ${part.topic}`,
      message: `partition ${part.partition} read to ${part.next} of ${part.end} in the time allowed`,
      testFile,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The global setup's side

export interface PrivacyRunOptions {
  /** Where runs are kept (e.g. `.run/test-privacy`). */
  root: string;
  /** The tests' broker, as its admin. */
  bus: MessageBus;
  /** The shared database the global setup provides (its server holds the tests' databases). */
  databaseUrl: string;
  /** Topics of the platform itself, scanned from where they were when the run began (default `credit.`). */
  platformTopicPrefix?: string;
  log?: (line: string) => void;
}

export interface PrivacyRun {
  id: string;
  dir: string;
  /** Scans what the run made and throws, listing every finding, when a number in clear was found. */
  finish(): Promise<void>;
}

export async function startPrivacyRun(options: PrivacyRunOptions): Promise<PrivacyRun> {
  const started = Date.now();
  const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${process.pid}`;
  const dir = path.join(options.root, id);
  mkdirSync(path.join(dir, PRIVACY_LOG_DIR), { recursive: true });
  pruneOldRuns(options.root);
  const prefix = options.platformTopicPrefix ?? 'credit.';
  // The platform's topics hold what earlier runs and the local platform wrote: only this run's messages are its.
  const platformStart = new Map<string, Record<number, string>>();
  const admin = await options.bus.admin();
  try {
    const platform = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    for (const topic of platform) {
      const offsets = await admin.topicOffsets(topic).catch(() => []);
      platformStart.set(topic, Object.fromEntries(offsets.map((p) => [p.partition, p.high])));
    }
  } finally {
    await admin.disconnect();
  }
  const setupMs = Date.now() - started;
  return {
    id,
    dir,
    finish: () => finishPrivacyRun(dir, options, prefix, platformStart, setupMs),
  };
}

async function finishPrivacyRun(
  dir: string,
  options: PrivacyRunOptions,
  prefix: string,
  platformStart: Map<string, Record<number, string>>,
  setupMs: number,
): Promise<void> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => console.info(line));
  const names = readLines(path.join(dir, NAMES)).map((line) => line.split('\t') as [string, string]);
  const madeBy = new Map(names.map(([name, file]) => [normalise(name), file]));
  const madeInRun = (name: string): string | undefined => {
    const normal = normalise(name);
    for (const [made, file] of madeBy) if (normal.includes(made)) return file || 'a test';
    return undefined;
  };
  const hostile = new Map(
    readLines(path.join(dir, HOSTILE)).map((line) => {
      const entry = JSON.parse(line) as { topic: string; testFile: string };
      return [entry.topic, entry.testFile] as const;
    }),
  );
  const recorded = readLines(path.join(dir, FINDINGS)).map((line) => JSON.parse(line) as RecordedFinding);
  const scans = readLines(path.join(dir, SCANS)).map((line) => JSON.parse(line) as RecordedScan);
  const problems: string[] = recorded.map(describeRecorded);

  // Topics: those the run made (named after a name it recorded), and the platform's own from where they were.
  const admin = await options.bus.admin();
  let onBroker: string[];
  try {
    onBroker = await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
  const toScan: TopicToScan[] = [];
  const exempt: string[] = [];
  const topicFile = new Map<string, string>();
  for (const topic of onBroker) {
    const file = madeInRun(topic);
    const platform = topic.startsWith(prefix);
    if (file === undefined && !platform) continue;
    if (hostile.has(topic)) {
      exempt.push(topic);
      continue;
    }
    if (file !== undefined) topicFile.set(topic, file);
    toScan.push(
      file === undefined && platformStart.has(topic) ? { topic, from: platformStart.get(topic) } : { topic },
    );
  }
  const topicScan = await scanTopics(options.bus, toScan, { timeoutMs: 180_000 });
  for (const finding of topicScan.findings) {
    problems.push(
      `topic ${finding.topic}: ${finding.where} of ${finding.messages} message(s), first at partition/offset ` +
        `${finding.first.partition}/${finding.first.offset}${madeIn(topicFile.get(finding.topic))}`,
    );
  }
  for (const part of topicScan.unfinished) {
    problems.push(
      `topic ${part.topic}: partition ${part.partition} could not be read to its end (${part.next} of ${part.end}) in time`,
    );
  }

  // The shared database: the schemas tests made there, and any test database left undropped.
  const databaseScans: DatabaseScan[] = [];
  const shared = await scanDatabase(options.databaseUrl, {
    schemas: (schema) => madeInRun(schema) !== undefined,
  });
  if (shared.tables > 0) databaseScans.push(shared);
  for (const database of await leftOverDatabases(
    options.databaseUrl,
    (name) => madeInRun(name) !== undefined,
  )) {
    const url = new URL(options.databaseUrl);
    url.pathname = `/${database}`;
    databaseScans.push(await scanDatabase(url.toString()));
  }
  for (const scan of databaseScans) {
    for (const finding of scan.findings) {
      problems.push(
        `database ${scan.database}: ${finding.column} in ${finding.rows} row(s)${madeIn(madeInRun(scan.database))}`,
      );
    }
  }

  // Logs.
  const logScan: LogScan = scanLogFiles(listFiles(path.join(dir, PRIVACY_LOG_DIR)));
  for (const finding of logScan.findings) {
    problems.push(
      `log ${path.relative(dir, finding.file)}: ${finding.count} line(s) (lines ${finding.lines.join(', ')}` +
        `${finding.count > finding.lines.length ? ', ...' : ''}), at ${finding.paths.join(', ')}` +
        `${finding.services.length > 0 ? `, logged by ${finding.services.join(', ')}` : ''}`,
    );
  }

  const workerTopics = scans.filter((scan) => scan.kind === 'topics');
  const topics = topicScan.topics + workerTopics.reduce((sum, scan) => sum + scan.topics, 0);
  const messages = topicScan.messages + workerTopics.reduce((sum, scan) => sum + scan.messages, 0);
  const droppedDatabases = scans.filter((scan) => scan.kind === 'database');
  const databases = droppedDatabases.length + databaseScans.length;
  const tables =
    droppedDatabases.reduce((sum, scan) => sum + scan.tables, 0) +
    databaseScans.reduce((sum, scan) => sum + scan.tables, 0);
  const number = (n: number) => n.toLocaleString('en-US');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // Scans tests ran before removing what they made, in their workers (in parallel with other test files).
  const inTests = (scans.reduce((sum, scan) => sum + (scan.ms ?? 0), 0) / 1000).toFixed(1);
  const summary =
    `privacy scan: ${number(topics)} topics, ${number(messages)} messages, ${number(databases)} databases, ` +
    `${number(tables)} tables, ${number(logScan.files)} log files (${number(logScan.lines)} lines)` +
    `${exempt.length > 0 ? `, ${exempt.length} topic(s) of deliberate hostile input not scanned` : ''}: ` +
    `${problems.length === 0 ? 'no identity number in clear' : `${problems.length} finding(s)`} [setup ${(setupMs / 1000).toFixed(1)} s, teardown ${seconds} s, in tests ${inTests} s; ${dir}]`;
  writeFileSync(
    path.join(dir, 'summary.json'),
    `${JSON.stringify({ summary, problems, exempt: exempt.map((topic) => ({ topic, testFile: hostile.get(topic) })) }, null, 2)}\n`,
  );
  log(summary);
  if (problems.length > 0) {
    throw new Error(
      [
        `Resident identity numbers in clear (the numbers are not shown; details in ${path.join(dir, 'summary.json')}):`,
        ...problems.map((problem) => `  - ${problem}`),
      ].join('\n'),
    );
  }
}

function describeRecorded(finding: RecordedFinding): string {
  switch (finding.kind) {
    case 'database':
      return `database ${finding.database}: ${finding.column} in ${finding.rows} row(s) when it was dropped${madeIn(finding.testFile)}`;
    case 'topic':
      return `topic ${finding.topic}: ${finding.where} of ${finding.messages} message(s), first at partition/offset ${finding.first}, before it was deleted${madeIn(finding.testFile)}`;
    case 'error':
      return `${finding.what} failed: ${finding.message}${madeIn(finding.testFile)}`;
  }
}

const madeIn = (testFile: string | undefined) => (testFile ? ` (${testFile})` : '');

async function leftOverDatabases(serverUrl: string, ours: (name: string) => boolean): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where not datistemplate',
    );
    return rows.map((row) => row.datname).filter(ours);
  } finally {
    await client.end();
  }
}

/** Names lose their `-` and `_`: tests turn `uniqueName` results into database and topic names either way. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function pruneOldRuns(root: string): void {
  const runs = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - KEPT_RUNS))) {
    rmSync(path.join(root, old), { recursive: true, force: true });
  }
}

function databaseOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
