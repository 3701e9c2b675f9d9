import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { chinaToday } from '@credit/calendar';
import { createPool, migrate } from '@credit/db';
import { createLogger } from '@credit/kit';
import { Pool } from 'undici';
import { loadMeasures } from '../packages/measures/src/index.ts';
// Fastify is a dependency of the services, not of the workspace root: the ceiling takes the sanctions service's copy.
import Fastify from '../services/sanctions/node_modules/fastify/fastify.js';
import {
  MIGRATIONS_DIR as SANCTIONS_MIGRATIONS,
  SANCTIONS_SCHEMA,
} from '../services/sanctions/src/migrations.ts';
import {
  benchBus,
  benchSubjectCode,
  createBenchDatabase,
  dropBenchDatabase,
  freePort,
  infrastructure,
  kafkaChildEnv,
  type OpenLoopResult,
  openLoop,
  peakRssMb,
  round,
  startService,
  stopService,
} from './_support.ts';
import { generateListEntries } from './_unified.ts';

/**
 * pnpm bench check — the pre-decision check (应查必查, POST /v1/checks of the sanctions service) at a fixed offered rate.
 *   1. a bench database of its own with the aggregator's and the sanctions service's schemas; BENCH_SUBJECTS subject
 *      codes (200,000) and a sanctions.list_entries projection generated in SQL: ~3% of subjects with 1–2 black
 *      entries in force (dishonest-judgment-debtor, major-tax-violation, joint-sanction), ~5% with a watch entry
 *      (key-attention), ~3% with a red entry (a-level-taxpayer), ~1% with only exited entries (measures_apply
 *      false); then `analyze`;
 *   2. the real sanctions service in its own process (node --import tsx, 256 MB heap as its start script), with
 *      Kafka topics and a consumer group of this run, one approval-system client of the finance department;
 *   3. open loop: BENCH_RPS requests/s (2,000) scheduled on a clock for BENCH_SECONDS (30) after a 5 s warm-up at the
 *      same rate (not counted); latency counts from the scheduled send time (no coordinated omission); 90% random
 *      subjects, 10% subjects with entries in force, random matter types of the measures catalogue;
 *   4. ceiling, in the same run: a bare Fastify 5 + pg server in a child process of its own (this file, started with
 *      CHECK_ROLE=ceiling, same pool size as the service) whose one route runs the same select on list_entries and
 *      the same insert into sanctions.checks (same database work; no auth, no body schema, no measures: its proof
 *      lists the entries only), driven at the same rate and duration with the same warm-up, after the service stopped;
 *   CPU ms per request over each measured phase (/proc): the server process, every postgres process of the server
 *   (other users' databases included), this load generator, and the rest of the machine (Kafka, other users).
 *   5. stops both, deletes the topics and the consumer group, drops the bench database (also on failure).
 * The last line of output is one JSON object with the figures.
 */
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200_000);
const RPS = Number(process.env.BENCH_RPS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP_SECONDS = 5;
const CONNECTIONS = 128;
const AIM_P99_MS = 10;
const TOKEN = 'bench-check-approval-system-token-0001';
const NODE_OPTIONS = '--max-old-space-size=256';

/** The same select as runCheck (services/sanctions/src/checks.ts): the subject's entries in force today. */
const SELECT_ENTRIES = `select entry_id as "entryId", list_type as "listType", colour, state, subject_category as "subjectCategory",
            designating_department as "designatingDepartment", valid_from::text as "validFrom",
            valid_until::text as "validUntil", basis
       from list_entries
      where subject_code = $1 and measures_apply and valid_from <= $2::date
        and (valid_until is null or valid_until > $2::date)
      order by list_type, entry_id`;
/** The same insert as runCheck (the compact proof of what was answered). */
const INSERT_CHECK = `insert into checks (id, subject_code, matter_type, caller, caller_department, at, hit, answer)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`;

/** The bare endpoint: Fastify + pg, one route, the check's database work and nothing else. */
async function serveCeiling(): Promise<void> {
  const pool = createPool(process.env.DATABASE_URL ?? '', { max: 10, searchPath: SANCTIONS_SCHEMA });
  const app = Fastify();
  app.get('/health/ready', async () => ({ ready: true }));
  app.post<{ Body: { subjectCode: string; matterType: string } }>('/v1/checks', async (request) => {
    const { subjectCode, matterType } = request.body;
    const at = new Date();
    const found = await pool.query<{ entryId: string }>(SELECT_ENTRIES, [subjectCode, chinaToday(at)]);
    const answer = { checkId: randomUUID(), subjectCode, matterType, at, entries: found.rows };
    const proof = { entries: found.rows.map((entry) => entry.entryId), measures: [], incentives: [] };
    await pool.query(INSERT_CHECK, [
      answer.checkId,
      subjectCode,
      matterType,
      'bench-ceiling',
      'finance',
      at,
      found.rows.length > 0,
      JSON.stringify(proof),
    ]);
    return answer;
  });
  const stop = () => void app.close().then(() => pool.end());
  process.once('SIGTERM', stop);
  await app.listen({ host: '127.0.0.1', port: Number(process.env.HTTP_PORT) });
}

/** CPU seconds so far: the whole machine (busy and total), one process, all postgres processes, this process. */
function cpuSnapshot(pid: number) {
  const ticks = (stat: string) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, CLK_TCK 100
  };
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return ''; // the process ended meanwhile
    }
  };
  const machine = read('/proc/stat').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (machine[3] ?? 0) + (machine[4] ?? 0);
  const total = machine.reduce((sum, value) => sum + value, 0);
  let postgres = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || read(`/proc/${entry}/comm`).trim() !== 'postgres') continue;
    const stat = read(`/proc/${entry}/stat`);
    if (stat) postgres += ticks(stat);
  }
  const self = process.cpuUsage();
  return {
    busy: (total - idle) / 100,
    total: total / 100,
    server: ticks(read(`/proc/${pid}/stat`)),
    postgres,
    bench: (self.user + self.system) / 1e6,
  };
}

type Cpu = ReturnType<typeof cpuSnapshot>;

/** CPU ms per request of each party between two snapshots, and how busy the machine's cores were. */
function cpuPerRequest(before: Cpu, after: Cpu, requests: number) {
  const ms = (key: keyof Cpu) => round(((after[key] - before[key]) * 1000) / requests, 3);
  const other =
    after.busy -
    before.busy -
    (after.server - before.server) -
    (after.postgres - before.postgres) -
    (after.bench - before.bench);
  return {
    server_ms: ms('server'),
    postgres_ms: ms('postgres'),
    load_generator_ms: ms('bench'),
    other_ms: round((other * 1000) / requests, 3),
    machine_busy: round((after.busy - before.busy) / (after.total - before.total), 3),
  };
}

type LoadResult = OpenLoopResult & { cpu?: ReturnType<typeof cpuPerRequest> };

/** Warm-up then the measured run, each request a random subject (10% listed ones) and a random matter type. */
async function drive(
  port: number,
  pid: number,
  listed: string[],
  matterTypes: string[],
): Promise<LoadResult> {
  const http = new Pool(`http://127.0.0.1:${port}`, { connections: CONNECTIONS, pipelining: 1 });
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  const bodies = (n: number) =>
    Array.from({ length: n }, () =>
      JSON.stringify({
        subjectCode:
          Math.random() < 0.1 ? pick(listed) : benchSubjectCode(1 + Math.floor(Math.random() * SUBJECTS)),
        matterType: pick(matterTypes),
      }),
    );
  const send = async (body: string) => {
    const response = await http.request({ method: 'POST', path: '/v1/checks', headers, body });
    await response.body.dump();
    return response.statusCode === 200 ? 'ok' : String(response.statusCode);
  };
  try {
    // Bodies built before each phase: the load generator pays nothing for them while it measures.
    const warm = bodies(RPS * WARMUP_SECONDS);
    await openLoop(RPS, WARMUP_SECONDS, (i) => send(warm[i]!));
    const measured = bodies(RPS * SECONDS);
    const before = cpuSnapshot(pid);
    const result: LoadResult = await openLoop(RPS, SECONDS, (i) => send(measured[i]!));
    result.cpu = cpuPerRequest(before, cpuSnapshot(pid), result.ok + result.errors);
    return result;
  } finally {
    await http.close();
  }
}

function report(label: string, result: LoadResult, rssMb: number): void {
  console.log(
    `${label.padEnd(8)} ${Math.round(result.achieved)} req/s achieved of ${RPS} offered: p50 ${round(result.p50)} ms, ` +
      `p99 ${round(result.p99)} ms, max ${round(result.max)} ms, ${result.errors} errors ` +
      `${JSON.stringify(result.outcomes)}, peak RSS ${rssMb} MB`,
  );
  const cpu = result.cpu;
  if (cpu !== undefined) {
    console.log(
      `${''.padEnd(8)} CPU per request: server ${cpu.server_ms} ms, postgres ${cpu.postgres_ms} ms, ` +
        `load generator ${cpu.load_generator_ms} ms, rest of the machine ${cpu.other_ms} ms; ` +
        `cores ${Math.round(cpu.machine_busy * 100)} % busy`,
    );
  }
}

async function main(): Promise<void> {
  const runStarted = performance.now();
  const { databaseUrl } = infrastructure();
  const runId = `check${Date.now().toString(36)}`;
  const matterTypes = loadMeasures().matterTypes.map((m) => m.code);
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const bus = benchBus('bench-check', logger);
  const admin = await bus.admin();
  const topics = {
    LIST_CHANGES_TOPIC: `${runId}.list-changes`,
    DEAD_LETTER_TOPIC: `${runId}.dlq`,
  };
  // Orders and feedback topics are per department; this run makes none (no list changes flow), so none exist.
  const topicPrefixes = {
    SANCTION_FEEDBACK_TOPIC_PREFIX: `${runId}.sanction-feedback.`,
    SANCTION_ORDERS_TOPIC_PREFIX: `${runId}.sanction-orders.`,
  };
  const group = `${runId}-sanctions`;
  await admin.ensureTopics(
    Object.values(topics).map((name) => ({ name, partitions: 3, configs: { 'retention.ms': '3600000' } })),
  );
  const url = await createBenchDatabase(databaseUrl, runId);
  const pool = createPool(url, { max: 2 });
  const children: Awaited<ReturnType<typeof startService>>[] = [];
  try {
    await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);
    await migrate(pool, SANCTIONS_SCHEMA, SANCTIONS_MIGRATIONS);
    const t = performance.now();
    const generated = await generateListEntries(pool, SUBJECTS, { lists: false });
    const listed = (
      await pool.query<{ code: string }>(
        'select distinct subject_code as code from sanctions.list_entries where measures_apply',
      )
    ).rows.map((r) => r.code);
    console.log(
      `generated ${generated.entries} list entries (${generated.inForce} in force, ${listed.length} subjects ` +
        `with entries in force) for ${SUBJECTS} subjects in ${round((performance.now() - t) / 1000, 1)} s`,
    );

    const servicePort = await freePort();
    const service = await startService(
      'services/sanctions/src/main.ts',
      {
        DATABASE_URL: url,
        ...kafkaChildEnv(),
        CONSUMER_GROUP: group,
        ...topics,
        ...topicPrefixes,
        SANCTIONS_API_TOKENS: JSON.stringify([
          { token: TOKEN, actor: 'bench-approval-system', roles: ['approval-system'], department: 'finance' },
        ]),
        SUBJECT_TOKEN_KEY: '33'.repeat(32),
        NODE_OPTIONS,
      },
      servicePort,
    );
    children.push(service);
    const measured = await drive(servicePort, service.pid!, listed, matterTypes);
    const serviceRss = peakRssMb(service.pid!);
    await stopService(service);
    report('service', measured, serviceRss);

    const ceilingPort = await freePort();
    const ceilingServer = await startService(
      'bench/check.ts',
      { CHECK_ROLE: 'ceiling', DATABASE_URL: url, NODE_OPTIONS },
      ceilingPort,
    );
    children.push(ceilingServer);
    const ceiling = await drive(ceilingPort, ceilingServer.pid!, listed, matterTypes);
    const ceilingRss = peakRssMb(ceilingServer.pid!);
    await stopService(ceilingServer);
    report('ceiling', ceiling, ceilingRss);
    const checks = await pool.query<{ n: string }>('select count(*) as n from sanctions.checks');

    const figures = {
      bench: 'check',
      subjects: SUBJECTS,
      list_entries: generated.entries,
      entries_in_force: generated.inForce,
      offered_rps: RPS,
      seconds: SECONDS,
      warmup_seconds: WARMUP_SECONDS,
      achieved_rps: Math.round(measured.achieved),
      p50_ms: round(measured.p50),
      p99_ms: round(measured.p99),
      max_ms: round(measured.max),
      errors: measured.errors,
      ceiling_achieved_rps: Math.round(ceiling.achieved),
      ceiling_p50_ms: round(ceiling.p50),
      ceiling_p99_ms: round(ceiling.p99),
      ceiling_max_ms: round(ceiling.max),
      ceiling_errors: ceiling.errors,
      ceiling: 'bare fastify+pg child process, same select and insert into sanctions.checks',
      checks_rows: Number(checks.rows[0]?.n ?? 0),
      cpu_ms_per_request: measured.cpu,
      ceiling_cpu_ms_per_request: ceiling.cpu,
      service_rss_mb: serviceRss,
      ceiling_rss_mb: ceilingRss,
      total_s: round((performance.now() - runStarted) / 1000, 1),
      aim_p99_ms: AIM_P99_MS,
    };
    console.log(JSON.stringify(figures));
  } finally {
    for (const child of children) await stopService(child);
    await pool.end();
    await dropBenchDatabase(databaseUrl, runId);
    await admin.deleteTopics(Object.values(topics)).catch(() => {});
    await admin.deleteGroups([group]).catch(() => {});
    await admin.disconnect();
  }
}

if (process.env.CHECK_ROLE === 'ceiling') await serveCeiling();
else await main();
