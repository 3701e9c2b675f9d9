import { performance } from 'node:perf_hooks';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { issueKey } from '@credit/ingest-gateway/keys';
import { createSealer, generateSealingKeyPair } from '@credit/ingest-trust';
import { ingestMessage, prepareRecord, toWire } from '@credit/intake';
import { createLogger, type Producer } from '@credit/kit';
import { samples } from '@credit/schemas';
import { testSigner, testSigningKeysDir } from '@credit/testing/trust';
import { Pool } from 'undici';
import {
  benchBus,
  createBenchDatabase,
  dropBenchDatabase,
  freePort,
  infrastructure,
  kafkaChildEnv,
  openLoop,
  peakRssMb,
  round,
  startService,
  stopService,
} from './_support.ts';

/**
 * pnpm bench intake
 *   1. batch intake: records/s through POST /v1/records:batch (1,000 per batch, acks=all), next to the raw ceiling:
 *      kafkajs producing the same pre-encoded messages in the same batches without HTTP;
 *   2. single-record latency at a fixed offered rate (open loop: latency counts from the scheduled send time),
 *      next to kafkajs sending one message at a time at the same rate.
 * Options (env): BENCH_RECORDS (100000), BENCH_RATE (1000 req/s), BENCH_SECONDS (15), BENCH_CONCURRENCY (4),
 * BENCH_WORKERS (gateway processes, default 2: one per core of this machine).
 * As deployed: TLS and SASL/SCRAM on the broker for both sides; the gateway seals the legal representative's number
 * and signs every record; the ceiling sends the same sealed, signed messages, prepared before it is timed.
 */
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const BATCH = 1000;
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);

const { databaseUrl } = infrastructure();
const logger = createLogger({ service: 'bench', level: 'warn' });
const catalogue = loadCatalogue();
const sample = samples['administrative-penalty'];
const department = catalogue.departmentByUscc(sample.envelope.reportingDepartmentCode)!;
const runId = `bench${Date.now().toString(36)}`;
const topicTemplate = `${runId}.credit.ingest.{department}`;
const topic = topicTemplate.replace('{department}', department.code);

function wireRecord(id: string) {
  const wire = toWire('administrative-penalty', sample) as {
    kind: string;
    record: { envelope: Record<string, unknown> };
  };
  wire.record.envelope.sourceRecordId = id;
  return wire;
}

async function inParallel(
  tasks: number,
  concurrency: number,
  run: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks) {
        const index = next++;
        await run(index);
      }
    }),
  );
}

const bus = benchBus('bench-intake', logger);
const admin = await bus.admin();
await admin.ensureTopics([{ name: topic, partitions: 6, configs: { 'retention.ms': '3600000' } }]);

const benchDb = await createBenchDatabase(databaseUrl, runId);
const pool = createPool(benchDb);
const { MIGRATIONS_DIR } = await import('../services/ingest-gateway/src/migrations.ts');
await migrate(pool, 'intake', MIGRATIONS_DIR);
const { apiKey } = await issueKey(pool, department.code, { label: 'bench' });

const platformKeys = generateSealingKeyPair();
const signingKeysDir = testSigningKeysDir([department.code]);
const sealer = await createSealer(platformKeys.publicKey);
const signer = testSigner(department.code);

const port = await freePort();
const gateway = await startService(
  'services/ingest-gateway/src/main.ts',
  {
    ...kafkaChildEnv(),
    DATABASE_URL: benchDb,
    INGEST_TOPIC_TEMPLATE: topicTemplate,
    RATE_LIMIT_PER_MINUTE: '10000000',
    GATEWAY_WORKERS: String(WORKERS),
    SIGNING_KEYS_DIR: signingKeysDir,
    PLATFORM_SEALING_PUBLIC_KEY: platformKeys.publicKey,
  },
  port,
);
const http = new Pool(`http://127.0.0.1:${port}`, { connections: Math.max(CONCURRENCY, 64), pipelining: 1 });
const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };

try {
  // Pre-built bodies and pre-encoded messages: neither side pays for building them during the measurement.
  const batches = Math.ceil(RECORDS / BATCH);
  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify({ records: Array.from({ length: BATCH }, (_, i) => wireRecord(`${runId}-B-${b}-${i}`)) }),
  );
  const encoded = Array.from({ length: batches }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => {
      const prepared = prepareRecord(wireRecord(`${runId}-R-${b}-${i}`), {
        department,
        catalogue,
        now: new Date(),
        sealer,
      });
      if (!prepared.ok) throw new Error(JSON.stringify(prepared.rejections));
      return ingestMessage(prepared, department, signer);
    }),
  );

  const raw: Producer = await bus.producer({ idempotent: true });
  await raw.send(topic, encoded[0]!.slice(0, 10)); // connect and warm up
  let t = performance.now();
  await inParallel(batches, CONCURRENCY, async (b) => void (await raw.send(topic, encoded[b]!)));
  const ceiling = RECORDS / ((performance.now() - t) / 1000);

  await http
    .request({ method: 'POST', path: '/v1/records:batch', headers, body: bodies[0]! })
    .then((r) => r.body.dump());
  t = performance.now();
  let accepted = 0;
  await inParallel(batches - 1, CONCURRENCY, async (b) => {
    const response = await http.request({
      method: 'POST',
      path: '/v1/records:batch',
      headers,
      body: bodies[b + 1]!,
    });
    const answer = (await response.body.json()) as { summary?: { accepted: number } };
    if (response.statusCode !== 200)
      throw new Error(`batch answered ${response.statusCode}: ${JSON.stringify(answer)}`);
    accepted += answer.summary?.accepted ?? 0;
  });
  const batchRate = accepted / ((performance.now() - t) / 1000);

  const singleBodies = Array.from({ length: RATE * SECONDS }, (_, i) =>
    JSON.stringify(wireRecord(`${runId}-S-${i}`)),
  );
  const single = await openLoop(RATE, SECONDS, async (i) => {
    const response = await http.request({
      method: 'POST',
      path: '/v1/records',
      headers,
      body: singleBodies[i]!,
    });
    await response.body.dump();
    return response.statusCode === 202 ? 'ok' : String(response.statusCode);
  });
  const singleMessages = Array.from(
    { length: RATE * SECONDS },
    (_, i) => encoded[i % batches]![Math.floor(i / batches) % BATCH]!,
  );
  const rawSingle = await openLoop(RATE, SECONDS, async (i) => {
    await raw.send(topic, [singleMessages[i]!]);
    return 'ok';
  });
  await raw.disconnect();
  const rss = peakRssMb(gateway.pid!);

  const figures = {
    bench: 'intake',
    records: RECORDS,
    batch_size: BATCH,
    concurrency: CONCURRENCY,
    gateway_workers: WORKERS,
    records_per_s: Math.round(batchRate),
    ceiling_records_per_s: Math.round(ceiling),
    share_of_ceiling: round(batchRate / ceiling, 3),
    single_offered_rps: RATE,
    single_achieved_rps: Math.round(single.achieved),
    single_failures: single.errors,
    single_p50_ms: round(single.p50),
    single_p99_ms: round(single.p99),
    ceiling_single_p50_ms: round(rawSingle.p50),
    ceiling_single_p99_ms: round(rawSingle.p99),
    rss_mb: rss,
  };
  console.log(
    `batch intake     ${figures.records_per_s} records/s  (raw kafkajs ceiling ${figures.ceiling_records_per_s}/s, ${Math.round(figures.share_of_ceiling * 100)} %)`,
  );
  console.log(
    `single records   p50 ${figures.single_p50_ms} ms, p99 ${figures.single_p99_ms} ms at ${RATE} req/s offered (${figures.single_achieved_rps} achieved, ${single.errors} failed)`,
  );
  console.log(
    `raw single send  p50 ${figures.ceiling_single_p50_ms} ms, p99 ${figures.ceiling_single_p99_ms} ms`,
  );
  console.log(`gateway peak RSS ${rss} MB`);
  console.log(JSON.stringify(figures));
} finally {
  sealer.close();
  await http.close();
  await stopService(gateway);
  await admin.deleteTopics([topic]).catch(() => {});
  await admin.disconnect();
  await pool.end();
  await dropBenchDatabase(databaseUrl, runId);
}
