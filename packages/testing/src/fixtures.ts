import { randomBytes } from 'node:crypto';
import { openSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  createKafkajsBus,
  createLogger,
  type KafkajsBusOptions,
  type KafkaSecurity,
  kafkaSecurityFrom,
  type Logger,
  type MessageBus,
  type TopicSpec,
} from '@credit/kit';
import pg from 'pg';
import { expect, inject } from 'vitest';
import {
  PRIVACY_LOG_DIR,
  recordHostileTopic,
  recordName,
  scanDatabaseIntoRun,
  scanTopicsIntoRun,
} from './privacy-run.ts';

/**
 * The run's privacy-scan directory, which the integration global setup makes (`privacy-run.ts`); undefined in a run
 * without it (unit tests, scripts). Teardown scans the topics, databases and logs tests leave there.
 */
export function testRunDir(): string | undefined {
  try {
    return inject('privacyRunDir') || undefined;
  } catch {
    return undefined;
  }
}

/** The test file running, relative to the root, for the scan's findings; '' when unknown. */
function currentTestFile(): string {
  try {
    const testPath = expect.getState().testPath;
    return testPath ? path.relative(process.cwd(), testPath) : '';
  } catch {
    return '';
  }
}

/**
 * A name no other test uses, so test files can run in parallel against one broker and server. Recorded in the run's
 * directory: the privacy scan at teardown reads every topic whose name holds one.
 */
export function uniqueName(prefix: string): string {
  const name = `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const dir = testRunDir();
  if (dir) recordName(dir, name, currentTestFile());
  return name;
}

/**
 * Declares that the test writes resident identity numbers in clear to `topic` on purpose, as a hostile or careless
 * producer would: that one topic is left out of the privacy scan. What the platform makes of it (dead letters, change
 * topics, tables, logs) is still scanned and must hold no number in clear. Returns the topic.
 */
export function declareHostileInput(topic: string, why = ''): string {
  const dir = testRunDir();
  if (dir) recordHostileTopic(dir, topic, currentTestFile(), why);
  return topic;
}

/**
 * Scans a database about to be dropped and topics about to be deleted for identity numbers in clear, and records what
 * it finds for the run's teardown (which fails the run on any). For tests that remove what they made themselves.
 */
export async function scanBeforeRemoval(what: {
  databaseUrl?: string;
  bus?: MessageBus;
  topics?: string[];
}): Promise<void> {
  const dir = testRunDir();
  if (!dir) return;
  const testFile = currentTestFile();
  if (what.databaseUrl) await scanDatabaseIntoRun(dir, what.databaseUrl, testFile);
  if (what.bus && what.topics && what.topics.length > 0)
    await scanTopicsIntoRun(dir, what.bus, what.topics, testFile);
}

/** A log file of this run for the test file running (the privacy scan reads every file there at teardown). */
export function testLogFile(name: string): string | undefined {
  const dir = testRunDir();
  if (!dir) return undefined;
  return path.join(dir, PRIVACY_LOG_DIR, `${name}-${process.pid}.log`);
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * Every line at `trace` into a file of the run's directory, opened on the first line (named after the test file), so
 * the privacy scan reads all that services logged; TEST_LOG_LEVEL still puts lines of that level on stdout as well.
 * Outside a run with a directory, only TEST_LOG_LEVEL (silent by default).
 */
function createTestLogger(): Logger {
  const stdoutLevel = process.env.TEST_LOG_LEVEL;
  const dir = testRunDir();
  if (!dir) return createLogger({ service: 'test', level: stdoutLevel ?? 'silent' });
  const shown =
    stdoutLevel === undefined ? Number.POSITIVE_INFINITY : (LEVELS[stdoutLevel] ?? Number.POSITIVE_INFINITY);
  let fd: number | undefined;
  const destination = {
    write(line: string): void {
      if (fd === undefined) {
        const file =
          currentTestFile()
            .replace(/\.test\.ts$/, '')
            .replace(/[^A-Za-z0-9.-]+/g, '_') || 'test';
        fd = openSync(testLogFile(file)!, 'a');
      }
      // Synchronous: every line is on disk before teardown reads it, whatever becomes of the worker.
      writeSync(fd, line);
      if (shown !== Number.POSITIVE_INFINITY && Number(/"level":(\d+)/.exec(line)?.[1]) >= shown) {
        process.stdout.write(line);
      }
    },
  };
  return createLogger({ service: 'test', level: 'trace', destination });
}

export const testLogger = createTestLogger();

/** The tests' Kafka identity (the local broker's admin, or the KAFKA_* credentials the environment gave). */
export function testKafkaSecurity(): KafkaSecurity {
  return kafkaSecurityFrom(inject('kafkaEnv'));
}

/** KAFKA_BROKERS and the credential variables, for a service a test runs as a child process. */
export function testKafkaEnv(): Record<string, string> {
  return { KAFKA_BROKERS: inject('kafkaBrokers'), ...inject('kafkaEnv') };
}

/**
 * A client of the test broker; `connectTo` routes its connections (e.g. through a TcpProxy the test can cut), `logger`
 * replaces the test logger (e.g. a capturedLogger).
 */
export function testBus(
  clientId = 'test',
  options: Partial<Pick<KafkajsBusOptions, 'connectTo' | 'logger'>> = {},
): MessageBus {
  return createKafkajsBus({
    brokers: inject('kafkaBrokers').split(','),
    clientId,
    security: testKafkaSecurity(),
    logger: testLogger,
    ...options,
  });
}

/** Creates topics with unique names (suffixing the given ones) and returns their names in order. */
export async function createTestTopics(bus: MessageBus, specs: TopicSpec[]): Promise<string[]> {
  const unique = specs.map((spec) => ({ ...spec, name: uniqueName(spec.name) }));
  const admin = await bus.admin();
  try {
    await admin.ensureTopics(unique);
  } finally {
    await admin.disconnect();
  }
  return unique.map((spec) => spec.name);
}

/**
 * One topic per suffix under a prefix no other test uses (`<prefix>.<suffix>`), as infra makes one topic per
 * department: returns the prefix (with its trailing dot) and the topic of a suffix.
 */
export async function createPrefixedTopics(
  bus: MessageBus,
  name: string,
  suffixes: readonly string[],
  partitions = 1,
): Promise<{ prefix: string; topic: (suffix: string) => string }> {
  const prefix = `${uniqueName(name)}.`;
  const topic = (suffix: string) => `${prefix}${suffix}`;
  const admin = await bus.admin();
  try {
    await admin.ensureTopics(suffixes.map((suffix) => ({ name: topic(suffix), partitions })));
  } finally {
    await admin.disconnect();
  }
  return { prefix, topic };
}

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A fresh database on the test server (or on `serverUrl`, e.g. a dedicated server the test stops), dropped (with its
 * connections) when the test is done.
 */
export async function createTestDatabase(serverUrl: string = inject('databaseUrl')): Promise<TestDatabase> {
  const name = uniqueName('t').replaceAll('-', '_');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      // What the test left in the database is scanned for identity numbers in clear before it goes.
      const dir = testRunDir();
      if (dir) await scanDatabaseIntoRun(dir, url.toString(), currentTestFile());
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
