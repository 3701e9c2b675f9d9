import { performance } from 'node:perf_hooks';
import { type Department, loadCatalogue, RECORD_KINDS } from '@credit/catalogue';
import { createPool } from '@credit/db';
import { createSealer, generateSealingKeyPair } from '@credit/ingest-trust';
import { encodeRecord, ingestMessage, type KindValue } from '@credit/intake';
import { createLogger, type MessageBus, type OutgoingMessage } from '@credit/kit';
import { demoSubjects } from '@credit/sample-data';
import { type RecordKind, type RecordKinds, samples } from '@credit/schemas';
import { registerTestSigningKeys, testSigner } from '@credit/testing/trust';
import {
  benchBus,
  createBenchDatabase,
  dropBenchDatabase,
  freePort,
  infrastructure,
  kafkaChildEnv,
  peakRssMb,
  percentile,
  round,
  startService,
  stopService,
} from './_support.ts';

/**
 * pnpm bench pipeline
 *   1. produces BENCH_RECORDS records (default 1,000,000) of 8 departments about BENCH_SUBJECTS subjects
 *      (200,000) to their ingest topics (6 partitions each), pre-encoded, acks=all: the raw produce rate;
 *   2. ceiling: a kafkajs consumer reading the same messages and doing nothing with them;
 *   3. the aggregator (one process, as deployed) consuming them into Postgres: records/s end to end, from its
 *      start until every offset is committed, and its peak resident memory;
 *   4. ceiling: Postgres taking rows of the same shape in bulk (multi-row inserts of 5,000, no aggregator logic);
 *   5. freshness: each of BENCH_FRESH_RATES records/s (2,000 then 5,000) for BENCH_FRESH_SECONDS (30) while the
 *      aggregator runs; reportedAt → stored_at of each record, p50/p99.
 * Everything runs as deployed: TLS and SASL/SCRAM on the broker, every message signed by its department's key
 * (registered in the bench database) and its legal representative's number sealed for the platform, so the
 * aggregator verifies and unseals each one; the ceilings read and write the same signed, sealed messages.
 */
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200_000);
const DEPARTMENTS = 8;
const PARTITIONS = 6;
const FRESH_RATES = (process.env.BENCH_FRESH_RATES ?? '2000,5000').split(',').map(Number);
const FRESH_SECONDS = Number(process.env.BENCH_FRESH_SECONDS ?? 30);
const AGGREGATORS = Number(process.env.BENCH_AGGREGATORS ?? 1);
const BULK_ROWS = Math.min(RECORDS, Number(process.env.BENCH_BULK_ROWS ?? 200_000));

const { databaseUrl } = infrastructure();
const logger = createLogger({ service: 'bench', level: 'warn' });
const catalogue = loadCatalogue();
const platformKeys = generateSealingKeyPair();
const sealer = await createSealer(platformKeys.publicKey);
const runId = `pipe${Date.now().toString(36)}`;
const prefix = `${runId}.ingest.`;
const bus = benchBus('bench-pipeline', logger);

interface Source {
  department: Department;
  kind: RecordKind;
  item: string;
  severity: string;
  topic: string;
}

/** Eight departments, each with a kind and a catalogue item it may report. */
function sources(): Source[] {
  const found: Source[] = [];
  for (const department of catalogue.departments) {
    for (const kind of RECORD_KINDS) {
      const item = catalogue.grants(department.code, kind)[0];
      if (!item) continue;
      const severity = item.severities.includes(samples[kind].envelope.severity)
        ? samples[kind].envelope.severity
        : item.severities[0]!;
      found.push({ department, kind, item: item.code, severity, topic: `${prefix}${department.code}` });
      break;
    }
    if (found.length === DEPARTMENTS) break;
  }
  if (found.length < DEPARTMENTS) throw new Error(`only ${found.length} departments can report anything`);
  return found;
}

function shiftedSample(kind: RecordKind, department: Department): RecordKinds[RecordKind] {
  const value = structuredClone(samples[kind]) as RecordKinds[RecordKind];
  const fields = value as unknown as Record<string, unknown>;
  for (const field of Object.keys(fields))
    if (field.endsWith('AuthorityCode')) fields[field] = department.uscc;
  return value;
}

/** Encoded records for one slice of the run, the way departments' producers send them. */
function* messages(
  all: Source[],
  subjects: { code: string; name: string }[],
  count: number,
  idPrefix: string,
) {
  const templates = all.map((source) => {
    const value = shiftedSample(source.kind, source.department);
    Object.assign(value.envelope, {
      reportingDepartmentCode: source.department.uscc,
      catalogueItemCode: source.item,
      severity: source.severity,
    });
    value.envelope.subject.legacyCodes = null;
    return value;
  });
  for (let i = 0; i < count; i += 1) {
    const s = i % all.length;
    const source = all[s]!;
    const value = templates[s]!;
    const subject = subjects[(i * 7919) % subjects.length]!;
    value.envelope.sourceRecordId = `${idPrefix}-${i}`;
    value.envelope.subject.code = subject.code;
    value.envelope.subject.name = subject.name;
    value.envelope.reportedAt = new Date();
    const prepared = encodeRecord({ kind: source.kind, value } as KindValue, { sealer });
    yield {
      topic: source.topic,
      message: ingestMessage(
        prepared,
        source.department,
        testSigner(source.department.code),
      ) as OutgoingMessage,
    };
  }
}

async function produceAll(all: Source[], subjects: { code: string; name: string }[]): Promise<number> {
  const producer = await bus.producer();
  const pending = new Map<string, OutgoingMessage[]>();
  const inFlight: Promise<unknown>[] = [];
  const started = performance.now();
  const flush = async (topic: string) => {
    const list = pending.get(topic);
    if (!list || list.length === 0) return;
    pending.set(topic, []);
    inFlight.push(producer.send(topic, list));
    if (inFlight.length >= 8) await Promise.all(inFlight.splice(0));
  };
  for (const { topic, message } of messages(all, subjects, RECORDS, runId)) {
    const list = pending.get(topic) ?? [];
    list.push(message);
    pending.set(topic, list);
    if (list.length >= 2000) await flush(topic);
  }
  for (const topic of pending.keys()) await flush(topic);
  await Promise.all(inFlight);
  await producer.disconnect();
  return RECORDS / ((performance.now() - started) / 1000);
}

/** kafkajs reading every message and doing nothing with them. */
async function consumeCeiling(topics: string[]): Promise<number> {
  const consumer = await bus.consumer({
    groupId: `${runId}-ceiling`,
    topics,
    fromBeginning: true,
    maxWaitTimeMs: 100,
  });
  let seen = 0;
  let first = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run(async (batch) => {
      if (first === 0) first = performance.now();
      seen += batch.messages.length;
      if (seen >= RECORDS) resolve();
    });
  });
  await done;
  const rate = RECORDS / ((performance.now() - first) / 1000);
  await consumer.disconnect();
  return rate;
}

async function committed(
  admin: Awaited<ReturnType<MessageBus['admin']>>,
  group: string,
  topics: string[],
): Promise<number> {
  let total = 0;
  for (const offset of await admin.groupOffsets(group, topics)) total += Math.max(0, Number(offset.offset));
  return total;
}

async function bulkCeiling(url: string): Promise<number> {
  const pool = createPool(url, { max: 1, searchPath: 'aggregator' });
  await pool.query('create table bulk_ceiling (like records including defaults including indexes)');
  const payload = JSON.stringify({ sample: samples['administrative-penalty'] }, (_k, v) => v);
  const started = performance.now();
  for (let offset = 0; offset < BULK_ROWS; offset += 5000) {
    const n = Math.min(5000, BULK_ROWS - offset);
    const ids = Array.from({ length: n }, (_, i) => `bulk-${offset + i}`);
    await pool.query(
      `insert into bulk_ceiling (department, source_record_id, version, subject_code, kind, schema_version,
         catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
         disclosure_from, disclosure_until, change_reason, payload, source_topic, source_partition, source_offset)
       select d, id, 1, 'S' || id, 'administrative-penalty', 1, 'item', 'GENERAL_DISHONESTY', 'UPSERT', 'active',
              current_date, now(), true, current_date, null, null, $3::jsonb, 't', 0, 0
         from unnest($1::text[], $2::text[]) as u(d, id)`,
      [ids.map(() => 'dept'), ids, payload],
    );
  }
  const rate = BULK_ROWS / ((performance.now() - started) / 1000);
  await pool.query('drop table bulk_ceiling');
  await pool.end();
  return rate;
}

/**
 * Records offered at `rate` per second for FRESH_SECONDS, paced in 100 ms ticks; once the aggregator's group has
 * committed everything, reportedAt → stored_at of each (stored_at is the row's insert time inside the committing
 * transaction, so a few ms short of "queryable").
 */
async function freshness(
  all: Source[],
  subjects: { code: string; name: string }[],
  url: string,
  rate: number,
  admin: Awaited<ReturnType<MessageBus['admin']>>,
  group: string,
  topics: string[],
) {
  const producer = await bus.producer();
  const total = rate * FRESH_SECONDS;
  const idPrefix = `${runId}-fresh${rate}`;
  const generator = messages(all, subjects, total, idPrefix);
  const started = performance.now();
  for (let tick = 0; tick < FRESH_SECONDS * 10; tick += 1) {
    const due = started + tick * 100;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (let i = 0; i < rate / 10; i += 1) {
      const next = generator.next();
      if (next.done) break;
      const list = byTopic.get(next.value.topic) ?? [];
      list.push(next.value.message);
      byTopic.set(next.value.topic, list);
    }
    await Promise.all([...byTopic].map(([topic, list]) => producer.send(topic, list)));
  }
  const offered = total / ((performance.now() - started) / 1000);
  await producer.disconnect();
  let end = 0;
  for (const topic of topics) for (const p of await admin.topicOffsets(topic)) end += Number(p.high);
  const deadline = Date.now() + 300_000;
  while ((await committed(admin, group, topics)) < end && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const pool = createPool(url, { max: 1, searchPath: 'aggregator' });
  const { rows } = await pool.query<{ ms: number }>(
    `select extract(epoch from (stored_at - reported_at)) * 1000 as ms from records where source_record_id like $1`,
    [`${idPrefix}-%`],
  );
  await pool.end();
  const latencies = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);
  return {
    rate,
    offered,
    stored: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

async function main() {
  const all = sources();
  const topics = [...new Set(all.map((s) => s.topic))];
  const admin = await bus.admin();
  await admin.ensureTopics(topics.map((name) => ({ name, partitions: PARTITIONS })));
  const subjects = demoSubjects(SUBJECTS);
  const url = await createBenchDatabase(databaseUrl, runId);
  // The keys of exactly the departments the messages are signed for.
  const keysPool = createPool(url, { max: 1 });
  await registerTestSigningKeys(keysPool, [...new Set(all.map((source) => source.department.code))]);
  await keysPool.end();
  try {
    console.log(`producing ${RECORDS} records of ${all.length} departments about ${SUBJECTS} subjects ...`);
    const produceRate = await produceAll(all, subjects);
    console.log(`produced: ${Math.round(produceRate)} records/s (kafkajs, acks=all, pre-encoded)`);
    const consumeRate = await consumeCeiling(topics);
    console.log(`ceiling: kafkajs consuming and doing nothing: ${Math.round(consumeRate)} records/s`);

    const group = `${runId}-aggregator`;
    const started = performance.now();
    // One process by default, as deployed; BENCH_AGGREGATORS=2 runs two members of the consumer group.
    const aggregators = await Promise.all(
      Array.from({ length: AGGREGATORS }, async () =>
        startService(
          'services/aggregator/src/main.ts',
          {
            ...kafkaChildEnv(),
            DATABASE_URL: url,
            CONSUMER_GROUP: group,
            INGEST_TOPIC_PREFIX: prefix,
            SUBJECT_CHANGES_TOPIC: 'credit.subject-changes',
            SUBJECT_TOKEN_KEY: '33'.repeat(32),
            IDENTITY_ENCRYPTION_KEY: '44'.repeat(32),
            PLATFORM_SEALING_PRIVATE_KEYS: platformKeys.privateKey,
            // As deployed (services/aggregator/package.json, deploy/k8s): a bounded V8 heap.
            NODE_OPTIONS: '--max-old-space-size=256',
          },
          await freePort(),
        ),
      ),
    );
    let tenPercentAt = 0;
    let ninetyPercentAt = 0;
    for (;;) {
      const done = await committed(admin, group, topics);
      const now = performance.now();
      if (!tenPercentAt && done >= RECORDS * 0.1) tenPercentAt = now;
      if (!ninetyPercentAt && done >= RECORDS * 0.9) ninetyPercentAt = now;
      if (done >= RECORDS) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const seconds = (performance.now() - started) / 1000;
    const endToEnd = RECORDS / seconds;
    const steady = (RECORDS * 0.8) / ((ninetyPercentAt - tenPercentAt) / 1000);
    const rss = Math.max(...aggregators.map((a) => peakRssMb(a.pid!)));
    console.log(
      `aggregator: ${Math.round(endToEnd)} records/s end to end (${round(seconds, 1)} s from its start), ` +
        `${Math.round(steady)} records/s between 10% and 90%, peak RSS ${rss} MB`,
    );

    const bulkRate = await bulkCeiling(url);
    console.log(`ceiling: Postgres taking the same rows in bulk: ${Math.round(bulkRate)} rows/s`);

    const fresh = [];
    for (const rate of FRESH_RATES) {
      const result = await freshness(all, subjects, url, rate, admin, group, topics);
      fresh.push(result);
      console.log(
        `freshness at ${Math.round(result.offered)} records/s offered: p50 ${Math.round(result.p50)} ms, ` +
          `p99 ${Math.round(result.p99)} ms (${result.stored} records)`,
      );
    }
    const rssAfter = Math.max(...aggregators.map((a) => peakRssMb(a.pid!)));
    await Promise.all(aggregators.map(stopService));

    const figures = {
      bench: 'pipeline',
      records: RECORDS,
      subjects: SUBJECTS,
      departments: all.length,
      records_per_s: Math.round(endToEnd),
      steady_records_per_s: Math.round(steady),
      ceiling_consume_records_per_s: Math.round(consumeRate),
      ceiling_postgres_rows_per_s: Math.round(bulkRate),
      ceiling_produce_records_per_s: Math.round(produceRate),
      share_of_consume_ceiling: round(endToEnd / consumeRate),
      share_of_postgres_ceiling: round(endToEnd / bulkRate),
      aggregator_processes: AGGREGATORS,
      rss_mb: Math.max(rss, rssAfter),
      freshness: fresh.map((f) => ({
        offered_per_s: Math.round(f.offered),
        p50_ms: Math.round(f.p50),
        p99_ms: Math.round(f.p99),
        records: f.stored,
      })),
      aims: { records_per_s: 20_000, rss_mb: 400, freshness_p99_ms: 2000 },
    };
    console.log(JSON.stringify(figures));
  } finally {
    sealer.close();
    await admin.deleteTopics(topics).catch(() => {});
    await admin.disconnect();
    await dropBenchDatabase(databaseUrl, runId);
  }
}

await main();
