import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chinaToday } from '@credit/calendar';
import { type Catalogue, type Department, loadCatalogue } from '@credit/catalogue';
import { createPool } from '@credit/db';
import { createSealer, type Sealer } from '@credit/ingest-trust';
import { encodeRecord, ingestMessage, type KindValue } from '@credit/intake';
import {
  type Admin,
  createKafkajsBus,
  kafkaSecurityFrom,
  type Logger,
  type MessageBus,
  type OutgoingMessage,
} from '@credit/kit';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import type { RecordKind } from '@credit/schemas';
import { registerTestSigningKeys, TEST_PLATFORM_KEYS, testSigner } from '@credit/testing/trust';
import pg from 'pg';
import { readTopic } from './read-topic.ts';

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KINDS: RecordKind[] = [
  'administrative-penalty',
  'administrative-licence',
  'dishonest-judgment-debtor',
  'credit-grade',
];

export interface CrashScenarioOptions {
  brokers: string;
  /** KAFKA_* credential variables of the scenario's own client and of the aggregator it runs. */
  kafkaEnv: Record<string, string>;
  /** A server URL; the scenario creates and drops its own database on it. */
  serverUrl: string;
  records: number;
  kills: number;
  /** Milliseconds between a (re)start and the next SIGKILL. */
  killEveryMs: number;
  logger: Logger;
  logFile: string;
  name: string;
  /** Called with the database and topics the scenario made, just before it drops and deletes them. */
  beforeCleanup?: (made: { databaseUrl: string; bus: MessageBus; topics: string[] }) => Promise<void>;
}

export interface CrashScenarioResult {
  in: number;
  out: number;
  lost: number;
  duplicated: number;
  kills: number;
  poison: number;
  dead_lettered: number;
  events_missing: number;
  events_repeated: number;
  summaries_wrong: number;
  seconds: number;
}

interface Expected {
  version: number;
  status: 'active' | 'corrected' | 'revoked' | 'expired';
}

/**
 * The aggregator as a separate process, SIGKILLed `kills` times while a known set of records (first versions,
 * corrections, revocations, duplicates and poison) flows in; then left to finish. Compares the database with
 * the set (nothing lost, nothing doubled), every record's final state with the change events published, and
 * every summary with a recount of its records.
 */
export async function runCrashScenario(options: CrashScenarioOptions): Promise<CrashScenarioResult> {
  const started = Date.now();
  const database = `${options.name.replaceAll('-', '_')}`;
  const admin = new pg.Client({ connectionString: options.serverUrl });
  await admin.connect();
  await admin.query(`create database "${database}"`);
  await admin.end();
  const url = new URL(options.serverUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();

  const bus = createKafkajsBus({
    brokers: options.brokers.split(','),
    clientId: 'crash-scenario',
    security: kafkaSecurityFrom(options.kafkaEnv),
    logger: options.logger,
  });
  const prefix = `${options.name}.ingest.`;
  const changesTopic = `${options.name}.changes`;
  const deadLetterTopic = `${options.name}.dlq`;
  const catalogue = loadCatalogue();
  const departments = KINDS.map((kind) => sampleDepartment(catalogue, kind));
  const kafkaAdmin = await bus.admin();
  await kafkaAdmin.ensureTopics(
    ingestTopics(departments, prefix)
      .map((name) => ({ name, partitions: 6 }))
      .concat([
        { name: changesTopic, partitions: 6 },
        { name: deadLetterTopic, partitions: 1 },
      ]),
  );

  // Messages are sealed and signed as the SDK makes them, with test keys the scenario's database registers.
  const keysPool = createPool(databaseUrl, { max: 1 });
  await registerTestSigningKeys(keysPool, [...new Set(departments.map((d) => d.code))]);
  await keysPool.end();
  const sealer = await createSealer(TEST_PLATFORM_KEYS.publicKey);
  const { messages, expected, poison } = buildWorkload(
    catalogue,
    departments,
    options.records,
    prefix,
    sealer,
  );
  sealer.close();
  const producer = await bus.producer();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let child: ChildProcess | undefined;
  const start = () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: SERVICE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KAFKA_BROKERS: options.brokers,
        ...options.kafkaEnv,
        DATABASE_URL: databaseUrl,
        HTTP_PORT: '0',
        LOG_LEVEL: 'warn',
        CONSUMER_GROUP: `${options.name}-aggregator`,
        INGEST_TOPIC_PREFIX: prefix,
        SUBJECT_CHANGES_TOPIC: changesTopic,
        DEAD_LETTER_TOPIC: deadLetterTopic,
        TOPIC_SCAN_MS: '2000',
        // A killed process holds its partitions until its session times out: short, so the test does not wait.
        SESSION_TIMEOUT_MS: '6000',
        SUBJECT_TOKEN_KEY: '11'.repeat(32),
        IDENTITY_ENCRYPTION_KEY: '22'.repeat(32),
        PLATFORM_SEALING_PRIVATE_KEYS: TEST_PLATFORM_KEYS.privateKey,
      },
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
  };

  const pool = createPool(databaseUrl, { max: 2, searchPath: 'aggregator' });
  try {
    // Producing in slices while the aggregator is killed over and over: crashes land mid-batch, mid-transaction
    // and between a commit and its offset commit or its outbox publish.
    start();
    const slices = options.kills + 1;
    const sliceSize = Math.ceil(messages.length / slices);
    for (let kill = 0; kill < slices; kill += 1) {
      const slice = messages.slice(kill * sliceSize, (kill + 1) * sliceSize);
      for (const [topic, batch] of groupByTopic(slice)) {
        for (let i = 0; i < batch.length; i += 500) await producer.send(topic, batch.slice(i, i + 500));
      }
      if (kill === options.kills) break;
      await sleep(options.killEveryMs);
      const pid = child?.pid;
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      await new Promise((resolve) => child?.once('exit', resolve));
      start();
    }

    // Left to finish: every expected record at its final version, every refusal recorded, the outbox empty.
    const deadline = Date.now() + 300_000;
    await waitFor(async () => {
      const { rows } = await pool
        .query<{ records: string; errors: string; outbox: string }>(
          `select (select count(*) from records) as records, (select count(*) from ingest_errors) as errors,
                (select count(*) from outbox) as outbox`,
        )
        .catch(() => ({ rows: [] as { records: string; errors: string; outbox: string }[] }));
      const row = rows[0];
      return (
        row !== undefined &&
        Number(row.records) >= expected.size &&
        Number(row.errors) >= poison &&
        row.outbox === '0'
      );
    }, deadline);
    // The positive signal that nothing is still in flight: the aggregator's group has committed every ingest
    // partition to its end (offsets are committed only after the effect is durable), and the outbox is empty. Only
    // then is the database looked at, so a late duplicate would show.
    await waitFor(
      () => committedToEnd(kafkaAdmin, `${options.name}-aggregator`, ingestTopics(departments, prefix)),
      deadline,
    );

    const stored = await pool.query<{
      department: string;
      source_record_id: string;
      version: string;
      status: string;
    }>('select department, source_record_id, version, status from records');
    let lost = 0;
    let duplicated = 0;
    const seen = new Set<string>();
    for (const row of stored.rows) {
      const key = `${row.department}/${row.source_record_id}`;
      const want = expected.get(key);
      if (!want || seen.has(key)) duplicated += 1;
      seen.add(key);
      if (want && (Number(row.version) !== want.version || row.status !== want.status)) lost += 1;
    }
    for (const key of expected.keys()) if (!seen.has(key)) lost += 1;

    const errorRows = await pool.query<{ n: string }>('select count(*) as n from ingest_errors');
    // Every summary against a recount of its subject's records, figure by figure.
    const summariesWrong = await pool.query<{ n: string }>(
      `with recount as (
         select subject_code, count(*)::int as total,
                count(*) filter (where status in ('active', 'corrected'))::int as active,
                count(*) filter (where status = 'revoked')::int as revoked,
                count(*) filter (where status = 'expired')::int as expired,
                count(*) filter (where status in ('active', 'corrected') and kind = 'administrative-penalty')::int as penalties,
                count(*) filter (where status in ('active', 'corrected') and severity = 'SERIOUS_DISHONESTY')::int as serious,
                count(*) filter (where status in ('active', 'corrected') and severity = 'POSITIVE')::int as positive,
                max(decision_date) filter (where status <> 'revoked') as last_decision,
                coalesce((select jsonb_object_agg(kind, n) from (select kind, count(*) as n from records k
                           where k.subject_code = r.subject_code and k.status in ('active', 'corrected')
                           group by kind) as by_kind), '{}'::jsonb) as by_kind
           from records r group by subject_code)
       select count(*) as n from subject_summaries s full join recount r on r.subject_code = s.subject_code
        where (s.records_total, s.active_records, s.revoked_records, s.expired_records, s.active_penalties,
               s.serious_dishonesty, s.positive_records, s.last_decision_date, s.active_by_kind)
              is distinct from
              (r.total, r.active, r.revoked, r.expired, r.penalties, r.serious, r.positive, r.last_decision, r.by_kind)`,
    );

    const eventMessages = await readTopic(bus, changesTopic, 1, 60_000);
    const announced = new Set<string>();
    const ids = new Map<string, number>();
    for (const message of eventMessages) {
      const event = JSON.parse(message.value!.toString()) as {
        eventId: string;
        changes: { department: string; sourceRecordId: string; version: number; status: string }[];
      };
      ids.set(event.eventId, (ids.get(event.eventId) ?? 0) + 1);
      for (const change of event.changes) {
        announced.add(`${change.department}/${change.sourceRecordId}@${change.version}:${change.status}`);
      }
    }
    let eventsMissing = 0;
    for (const [key, want] of expected)
      if (!announced.has(`${key}@${want.version}:${want.status}`)) eventsMissing += 1;
    const deadLettered = (await readTopic(bus, deadLetterTopic, poison, 30_000)).length;

    return {
      in: expected.size,
      out: stored.rows.length,
      lost,
      duplicated,
      kills: options.kills,
      poison,
      dead_lettered: deadLettered,
      events_missing: eventsMissing,
      events_repeated: [...ids.values()].filter((n) => n > 1).length,
      summaries_wrong: Number(summariesWrong.rows[0]?.n ?? 0),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      ...(Number(errorRows.rows[0]?.n) !== poison ? { error_rows: Number(errorRows.rows[0]?.n) } : {}),
    };
  } finally {
    if (child?.pid !== undefined && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child?.once('exit', resolve));
    }
    log.end();
    await producer.disconnect();
    const topics = [...ingestTopics(departments, prefix), changesTopic, deadLetterTopic];
    try {
      await options.beforeCleanup?.({ databaseUrl, bus, topics });
    } finally {
      await kafkaAdmin.deleteTopics(topics).catch(() => {});
    }
    await kafkaAdmin.disconnect();
    await pool.end();
    const drop = new pg.Client({ connectionString: options.serverUrl });
    await drop.connect();
    await drop.query(`drop database if exists "${database}" with (force)`);
    await drop.end();
  }
}

/**
 * `count` records over 4 kinds; every 5th corrected (v2), every 11th then revoked (v3), every 7th sent twice,
 * and one poison message per 500 records. Returns the messages in production order and the final state expected.
 */
function buildWorkload(
  catalogue: Catalogue,
  departments: Department[],
  count: number,
  prefix: string,
  sealer: Sealer,
) {
  const subjects = demoSubjects(Math.max(10, Math.floor(count / 4)));
  const expected = new Map<string, Expected>();
  const messages: { topic: string; message: OutgoingMessage }[] = [];
  let poison = 0;
  const runId = Date.now().toString(36);
  for (let i = 0; i < count; i += 1) {
    const kind = KINDS[i % KINDS.length]!;
    const department = departments[i % KINDS.length]!;
    const subject = subjects[i % subjects.length]!;
    const value = demoRecord(kind, department, catalogue, subject, `crash-${runId}-${i}`, 1 + (i % 300));
    const topic = `${prefix}${department.code}`;
    const send = (v: typeof value) =>
      messages.push({
        topic,
        message: ingestMessage(
          encodeRecord({ kind, value: v } as KindValue, { sealer }),
          department,
          testSigner(department.code),
        ),
      });
    send(value);
    const window = catalogue.disclosureWindow(kind, value.envelope.severity, value.envelope.decisionDate);
    const closed = window.public && window.until !== null && window.until < chinaToday(new Date());
    let final: Expected = { version: 1, status: closed ? 'expired' : 'active' };
    if (i % 7 === 0) send(value);
    if (i % 5 === 0) {
      const corrected = structuredClone(value);
      Object.assign(corrected.envelope, { version: 2, changeReason: '更正', reportedAt: new Date() });
      send(corrected);
      final = { version: 2, status: closed ? 'expired' : 'corrected' };
      if (i % 11 === 0) {
        const revoked = structuredClone(value);
        Object.assign(revoked.envelope, {
          version: 3,
          operation: 'REVOKE',
          changeReason: '撤销',
          reportedAt: new Date(),
        });
        send(revoked);
        final = { version: 3, status: 'revoked' };
      }
    }
    expected.set(`${department.code}/${value.envelope.sourceRecordId}`, final);
    if (i % 500 === 250) {
      messages.push({ topic, message: { key: subject.code, value: Buffer.from(`poison ${i}`) } });
      poison += 1;
    }
  }
  return { messages, expected, poison };
}

function ingestTopics(departments: Department[], prefix: string): string[] {
  return [...new Set(departments.map((d) => `${prefix}${d.code}`))];
}

/** True once `group` has committed every partition of `topics` up to its end offset. */
async function committedToEnd(admin: Admin, group: string, topics: string[]): Promise<boolean> {
  const committed = await admin.groupOffsets(group, topics).catch(() => []);
  for (const topic of topics) {
    for (const { partition, high } of await admin.topicOffsets(topic)) {
      const at = committed.find((c) => c.topic === topic && c.partition === partition)?.offset ?? '-1';
      if (BigInt(high) > 0n && BigInt(at) < BigInt(high)) return false;
    }
  }
  return true;
}

function groupByTopic(slice: { topic: string; message: OutgoingMessage }[]): Map<string, OutgoingMessage[]> {
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const { topic, message } of slice) {
    const list = byTopic.get(topic) ?? [];
    list.push(message);
    byTopic.set(topic, list);
  }
  return byTopic;
}

async function waitFor(condition: () => Promise<boolean>, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(500);
  }
  throw new Error('the aggregator did not finish the workload in time');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
