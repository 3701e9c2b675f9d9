import { performance } from 'node:perf_hooks';
import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { chinaToday } from '@credit/calendar';
import { createPool, migrate } from '@credit/db';
import { createLogger } from '@credit/kit';
import type pg from 'pg';
import { Pool } from 'undici';
import { loadMeasures } from '../packages/measures/src/index.ts';
import {
  MIGRATIONS_DIR as LISTS_MIGRATIONS,
  LISTS_SCHEMA,
} from '../services/list-designation/src/migrations.ts';
// Fastify is a dependency of the services, not of the workspace root: the ceiling takes the query API's copy.
import Fastify from '../services/query-api/node_modules/fastify/fastify.js';
import { publicRecordsWhere, RECORD_COLUMNS } from '../services/query-api/src/record-view.ts';
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
  percentile,
  round,
  startService,
  stopService,
} from './_support.ts';
import {
  BRAND_CHARS,
  CITIES,
  generateListEntries,
  generateUnifiedDatabase,
  INDUSTRIES,
  LOAD_CONNECTIONS,
} from './_unified.ts';

/**
 * pnpm bench query — the query API (services/query-api) at fixed offered rates, next to a bare endpoint.
 *   1. a bench database of its own with the aggregator's, the list service's and the sanctions service's schemas:
 *      BENCH_SUBJECTS subjects (200,000; 5% natural persons, requested by their token code) with Chinese names (10%
 *      with a former name) and old codes, about BENCH_RECORDS records (1,000,000) with disclosure windows (some
 *      closed) and per-kind payloads (bench/_unified.ts, shared with the lists benchmark), and list entries in
 *      lists.entries and the sanctions projection (~3% black, ~5% watch, ~3% red, ~1% exited); then `analyze`;
 *   2. the real sanctions service and the real query API in processes of their own (node --import tsx, 256 and
 *      384 MB heap), with Kafka topics and consumer groups of this run; the query API's check goes to the sanctions
 *      service over HTTP as a relay, on behalf of an approval system of the finance department;
 *   3. open loop (latency from the scheduled send, no coordinated omission), each after a 5 s warm-up at the same
 *      rate, for BENCH_SECONDS (30):
 *      a. profile: GET /v1/public/subjects/<canonical code> of random subjects at BENCH_RPS (2,000/s); non-200 is
 *         an error;
 *      b. check: POST /v1/authorised/checks (10% subjects with entries in force, random matter types) at
 *         BENCH_CHECK_RPS (500/s; the sanctions service's check alone saturates near 1,800/s on a 2-core box);
 *      c. profile saturation: closed loop, 128 requests in flight for 10 s: the most profiles per second;
 *      d. search (last: a backlog of slow searches disturbs no other phase): GET /v1/public/search?q= at
 *         BENCH_SEARCH_RPS (200/s), terms of 2–6 characters from the name vocabulary: substrings of real names,
 *         city + brand, brand + industry, fuzzy variants (a character changed or dropped);
 *   a request unanswered 10 s after it was due is an error (TimeoutError), so no phase runs on for long;
 *   4. ceiling, after the services stopped: a bare Fastify 5 + pg server in a child process of its own (this file,
 *      started with QUERY_ROLE=ceiling, pool of 16 as the query API) whose one route runs the profile's subject row
 *      select and its public records select (the same SQL text: RECORD_COLUMNS, publicRecordsWhere), nothing else
 *      (no code lookup, no list entries, no rendering, no audit): the same open loop at BENCH_RPS, then the same
 *      saturation; profile_vs_ceiling is the ratio of the two saturated rates;
 *   5. EXPLAIN ANALYZE of the profile's queries for one subject (database time per query);
 *   6. stops the children, deletes the topics and consumer groups, drops the bench database (also on failure;
 *      BENCH_KEEP=1 keeps the database and prints its URL, for investigation).
 * The last line of output is one JSON object with the figures.
 */
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const RPS = Number(process.env.BENCH_RPS ?? 2000);
const CHECK_RPS = Number(process.env.BENCH_CHECK_RPS ?? 500);
const SEARCH_RPS = Number(process.env.BENCH_SEARCH_RPS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const KEEP = process.env.BENCH_KEEP === '1';
const WARMUP_SECONDS = 5;
const SATURATION_SECONDS = 10;
const SATURATION_CONCURRENCY = 128;
const CONNECTIONS = 128;
/** The query API's pool (services/query-api/src/main.ts); the ceiling gets the same. */
const POOL_SIZE = 16;
/** A request unanswered this long after it was due counts as an error (TimeoutError): a phase ends ~10 s late at most. */
const REQUEST_TIMEOUT_MS = 10_000;
const AIM = 'profile p99 < 20 ms at 2000/s, ≥ 70 % of the bare endpoint';
const CLIENT_TOKEN = 'bench-query-approvals-token-000000001';
const SANCTIONS_TOKEN = 'bench-query-api-at-sanctions-token-0001';
const PURPOSE = 'bench';

/** The subject row select of subjectFacts (services/query-api/src/subjects.ts). */
const SELECT_SUBJECT = `select s.code, s.category, s.kind, s.display_code, s.division_code, s.name,
            array(select n.name from aggregator.subject_names n
                   where n.subject_code = s.code and n.name <> s.name order by n.first_reported_at) as former_names,
            coalesce((select jsonb_agg(jsonb_build_object('code', l.legacy_code, 'codeType', l.code_type)
                                       order by l.legacy_code)
                        from aggregator.legacy_codes l where l.subject_code = s.code), '[]') as legacy_codes
       from aggregator.subjects s where s.code = $1`;
/** The public records select of publicProfile (services/query-api/src/profile.ts). */
const SELECT_PUBLIC_RECORDS = `select ${RECORD_COLUMNS}, count(*) over ()::int as total from aggregator.records
        where subject_code = $1 and ${publicRecordsWhere('$2')}
        order by decision_date desc, department, source_record_id limit 200`;
/** The code lookup of lookUpSubject (subjects.ts) and the entries select of publicEntriesOf (list-entries.ts). */
const SELECT_LOOKUP = `select code, false as legacy from aggregator.subjects where code = $1
     union all
     select subject_code, true from aggregator.legacy_codes where legacy_code = $1
     limit 1`;
const SELECT_PUBLIC_ENTRIES = `select e.id, e.subject_code, e.list_type, e.colour, e.state, e.designating_department,
  e.valid_from::text as valid_from, e.valid_until::text as valid_until, e.explanation, e.exit_reason, e.subject_category
  from lists.entries e
      where e.subject_code = $1 and e.state = 'published' and e.valid_from <= $2::date
        and (e.valid_until is null or e.valid_until > $2::date)
      order by e.colour, e.valid_from desc, e.id`;

/** The bare endpoint: Fastify + pg, one route, the profile's subject and records selects and nothing else. */
async function serveCeiling(): Promise<void> {
  const pool = createPool(process.env.DATABASE_URL ?? '', { max: POOL_SIZE });
  const app = Fastify();
  app.get('/health/ready', async () => ({ ready: true }));
  app.get<{ Params: { code: string } }>('/v1/public/subjects/:code', async (request, reply) => {
    const { code } = request.params;
    // Named, like the service's profile query: each connection parses and plans them once.
    const subject = await pool.query({ name: 'ceiling-subject', text: SELECT_SUBJECT, values: [code] });
    if (subject.rows.length === 0) return reply.code(404).send({ code });
    const records = await pool.query<{ total: number }>({
      name: 'ceiling-records',
      text: SELECT_PUBLIC_RECORDS,
      values: [code, chinaToday(new Date())],
    });
    return { subject: subject.rows[0], records: records.rows, recordsTotal: records.rows[0]?.total ?? 0 };
  });
  const stop = () => void app.close().then(() => pool.end());
  process.once('SIGTERM', stop);
  await app.listen({ host: '127.0.0.1', port: Number(process.env.HTTP_PORT) });
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
const randomSubject = () => benchSubjectCode(1 + Math.floor(Math.random() * SUBJECTS));

/**
 * Search terms of 2–6 characters: 40% substrings of real names (legal form left out), 20% city + brand, 20% brand +
 * industry, 20% fuzzy (a 4–6 character substring with one character changed or dropped).
 */
function searchTerms(names: string[], n: number): string[] {
  const chars = (text: string) => [...text];
  const substring = (min: number, max: number) => {
    const name = chars(pick(names).replace(/(股份)?有限(责任)?公司$/, ''));
    const length = Math.min(name.length, min + Math.floor(Math.random() * (max - min + 1)));
    const from = Math.floor(Math.random() * (name.length - length + 1));
    return name.slice(from, from + length);
  };
  return Array.from({ length: n }, () => {
    const r = Math.random();
    if (r < 0.4) return substring(2, 6).join('');
    if (r < 0.6) return pick(CITIES) + pick(BRAND_CHARS) + pick(BRAND_CHARS);
    if (r < 0.8) return pick(BRAND_CHARS) + pick(BRAND_CHARS) + pick(INDUSTRIES);
    const term = substring(4, 6);
    const at = Math.floor(Math.random() * term.length);
    if (Math.random() < 0.5) term.splice(at, 1);
    else term[at] = pick(BRAND_CHARS);
    return term.join('');
  });
}

type Send = (i: number) => Promise<string>;

/** Requests of one kind against one server; each `send(i)` takes the i-th prepared request (cycling). */
function requester(http: Pool) {
  const timeout = () => AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const outcome = async (response: Awaited<ReturnType<Pool['request']>>) => {
    await response.body.dump();
    return response.statusCode === 200 ? 'ok' : String(response.statusCode);
  };
  return {
    get:
      (paths: string[]): Send =>
      async (i) =>
        outcome(await http.request({ method: 'GET', path: paths[i % paths.length]!, signal: timeout() })),
    post:
      (path: string, headers: Record<string, string>, bodies: string[]): Send =>
      async (i) =>
        outcome(
          await http.request({
            method: 'POST',
            path,
            headers,
            body: bodies[i % bodies.length]!,
            signal: timeout(),
          }),
        ),
  };
}

/** Warm-up (not counted), then the measured open loop at the same rate. */
async function fixedRate(rate: number, send: Send): Promise<OpenLoopResult> {
  await openLoop(rate, WARMUP_SECONDS, send);
  return openLoop(rate, SECONDS, send);
}

interface Saturation {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Closed loop: `concurrency` requests always in flight for `seconds`; the most the server answers per second. */
async function saturate(concurrency: number, seconds: number, send: Send): Promise<Saturation> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      const outcome = await send(next++).catch((error: Error) => error.name);
      if (outcome === 'ok') latencies.push(performance.now() - sent);
      else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((performance.now() - start) / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

function report(label: string, offered: number, result: OpenLoopResult): void {
  console.log(
    `${label.padEnd(9)} ${Math.round(result.achieved)} req/s achieved of ${offered} offered: p50 ${round(result.p50)} ms, ` +
      `p99 ${round(result.p99)} ms, max ${round(result.max)} ms, ${result.errors} errors ${JSON.stringify(result.outcomes)}`,
  );
}

function reportSaturation(label: string, result: Saturation): void {
  console.log(
    `${label.padEnd(9)} saturated (${SATURATION_CONCURRENCY} in flight, ${SATURATION_SECONDS} s): ` +
      `${Math.round(result.rps)} req/s, p50 ${round(result.p50)} ms, p99 ${round(result.p99)} ms, ${result.errors} errors`,
  );
}

/** Prepared requests of each phase: profile paths, check bodies, search paths. */
async function prepareRequests(pool: pg.Pool, matterTypes: string[]) {
  const listed = (
    await pool.query<{ code: string }>(
      'select distinct subject_code as code from sanctions.list_entries where measures_apply',
    )
  ).rows.map((r) => r.code);
  const names = (
    await pool.query<{ name: string }>(
      `select name from aggregator.subject_names tablesample system (2) repeatable (7) limit 5000`,
    )
  ).rows.map((r) => r.name);
  const profiles = Array.from({ length: RPS * (SECONDS + WARMUP_SECONDS) }, () => randomSubject()).map(
    (code) => `/v1/public/subjects/${encodeURIComponent(code)}`,
  );
  const checks = Array.from({ length: CHECK_RPS * (SECONDS + WARMUP_SECONDS) }, () =>
    JSON.stringify({
      subjectCode: Math.random() < 0.1 ? pick(listed) : randomSubject(),
      matterType: pick(matterTypes),
    }),
  );
  const terms = searchTerms(names, SEARCH_RPS * (SECONDS + WARMUP_SECONDS));
  const searches = terms.map((q) => `/v1/public/search?q=${encodeURIComponent(q)}`);
  return { profiles, checks, searches, sampleTerms: terms.slice(0, 8) };
}

/** Database time of each of the profile's queries for one subject with records (EXPLAIN ANALYZE). */
async function explainProfile(pool: pg.Pool): Promise<void> {
  const code = benchSubjectCode(1234);
  const today = chinaToday(new Date());
  const queries: [string, string, unknown[]][] = [
    ['lookup', SELECT_LOOKUP, [code]],
    ['subject', SELECT_SUBJECT, [code]],
    ['records', SELECT_PUBLIC_RECORDS, [code, today]],
    ['entries', SELECT_PUBLIC_ENTRIES, [code, today]],
  ];
  for (const [label, sql, values] of queries) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, values);
    const plan = rows.map((row) => row['QUERY PLAN']);
    const time = plan.find((line) => line.startsWith('Execution Time'));
    const scans = plan
      .filter((line) => /Scan/.test(line))
      .map((line) => line.trim().replace(/\s+\(cost.*$/, ''));
    console.log(`  explain ${label.padEnd(8)} ${time}; ${scans.join('; ')}`);
  }
}

async function main(): Promise<void> {
  const runStarted = performance.now();
  const { databaseUrl } = infrastructure();
  const runId = `query${Date.now().toString(36)}`;
  const matterTypes = loadMeasures().matterTypes.map((m) => m.code);
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const bus = benchBus('bench-query', logger);
  const admin = await bus.admin();
  const topics = {
    SUBJECT_CHANGES_TOPIC: `${runId}.subject-changes`,
    LIST_CHANGES_TOPIC: `${runId}.list-changes`,
    DEAD_LETTER_TOPIC: `${runId}.dlq`,
  };
  // Orders and feedback topics are per department; this run makes none (no list changes flow), so none exist.
  const topicPrefixes = {
    SANCTION_FEEDBACK_TOPIC_PREFIX: `${runId}.sanction-feedback.`,
    SANCTION_ORDERS_TOPIC_PREFIX: `${runId}.sanction-orders.`,
  };
  const groups = { sanctions: `${runId}-sanctions`, query: `${runId}-query` };
  await admin.ensureTopics(
    Object.values(topics).map((name) => ({ name, partitions: 3, configs: { 'retention.ms': '3600000' } })),
  );
  const url = await createBenchDatabase(databaseUrl, runId);
  const pool = createPool(url, { max: LOAD_CONNECTIONS });
  const children: Awaited<ReturnType<typeof startService>>[] = [];
  try {
    await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);
    await migrate(pool, LISTS_SCHEMA, LISTS_MIGRATIONS);
    await migrate(pool, SANCTIONS_SCHEMA, SANCTIONS_MIGRATIONS);
    console.log(`generating ${SUBJECTS} subjects and about ${RECORDS} records in SQL ...`);
    const data = await generateUnifiedDatabase(pool, { subjects: SUBJECTS, records: RECORDS });
    const entries = await generateListEntries(pool, SUBJECTS, { lists: true });
    console.log(
      `generated ${data.subjects} subjects, ${data.records} records in ${round(data.seconds, 1)} s; ` +
        `${entries.entries} list entries (${entries.inForce} in force)`,
    );
    const requests = await prepareRequests(pool, matterTypes);
    console.log(`search terms, e.g. ${requests.sampleTerms.join(', ')}`);

    const sanctionsPort = await freePort();
    const sanctions = await startService(
      'services/sanctions/src/main.ts',
      {
        DATABASE_URL: url,
        ...kafkaChildEnv(),
        CONSUMER_GROUP: groups.sanctions,
        LIST_CHANGES_TOPIC: topics.LIST_CHANGES_TOPIC,
        ...topicPrefixes,
        DEAD_LETTER_TOPIC: topics.DEAD_LETTER_TOPIC,
        SANCTIONS_API_TOKENS: JSON.stringify([
          { token: SANCTIONS_TOKEN, actor: 'bench-query-api', roles: ['relay'] },
        ]),
        SUBJECT_TOKEN_KEY: '33'.repeat(32),
        NODE_OPTIONS: '--max-old-space-size=256',
      },
      sanctionsPort,
    );
    children.push(sanctions);
    const queryPort = await freePort();
    const queryApi = await startService(
      'services/query-api/src/main.ts',
      {
        DATABASE_URL: url,
        ...kafkaChildEnv(),
        CONSUMER_GROUP: groups.query,
        SUBJECT_CHANGES_TOPIC: topics.SUBJECT_CHANGES_TOPIC,
        LIST_CHANGES_TOPIC: topics.LIST_CHANGES_TOPIC,
        DEAD_LETTER_TOPIC: topics.DEAD_LETTER_TOPIC,
        SUBJECT_TOKEN_KEY: '33'.repeat(32),
        QUERY_API_CLIENTS: JSON.stringify([
          {
            token: CLIENT_TOKEN,
            actor: 'bench-approvals',
            roles: ['check', 'history'],
            department: 'finance',
          },
        ]),
        SANCTIONS_URL: `http://127.0.0.1:${sanctionsPort}`,
        SANCTIONS_TOKEN,
        PUBLIC_RATE_LIMIT: '100000000',
        CLIENT_RATE_LIMIT: '100000000',
        NODE_OPTIONS: '--max-old-space-size=384',
      },
      queryPort,
    );
    children.push(queryApi);

    const http = new Pool(`http://127.0.0.1:${queryPort}`, { connections: CONNECTIONS, pipelining: 1 });
    const send = requester(http);
    const profileSend = send.get(requests.profiles);
    const profile = await fixedRate(RPS, profileSend);
    report('profile', RPS, profile);
    const checkHeaders = {
      authorization: `Bearer ${CLIENT_TOKEN}`,
      'content-type': 'application/json',
      'x-credit-purpose': PURPOSE,
    };
    const check = await fixedRate(
      CHECK_RPS,
      send.post('/v1/authorised/checks', checkHeaders, requests.checks),
    );
    report('check', CHECK_RPS, check);
    console.log(
      `${''.padEnd(9)} (the sanctions service's own check saturates near 1,800/s on this 2-core box)`,
    );
    const profileSaturated = await saturate(SATURATION_CONCURRENCY, SATURATION_SECONDS, profileSend);
    reportSaturation('profile', profileSaturated);
    // Search last: a backlog of slow searches left at the server cannot disturb another phase.
    const search = await fixedRate(SEARCH_RPS, send.get(requests.searches));
    report('search', SEARCH_RPS, search);
    await http.close();
    const serviceRss = peakRssMb(queryApi.pid!);
    const sanctionsRss = peakRssMb(sanctions.pid!);
    await stopService(queryApi);
    await stopService(sanctions);
    console.log(`peak RSS: query API ${serviceRss} MB, sanctions service ${sanctionsRss} MB`);

    const ceilingPort = await freePort();
    const ceilingServer = await startService(
      'bench/query.ts',
      { QUERY_ROLE: 'ceiling', DATABASE_URL: url, NODE_OPTIONS: '--max-old-space-size=384' },
      ceilingPort,
    );
    children.push(ceilingServer);
    const bare = new Pool(`http://127.0.0.1:${ceilingPort}`, { connections: CONNECTIONS, pipelining: 1 });
    const ceilingSend = requester(bare).get(requests.profiles);
    const ceiling = await fixedRate(RPS, ceilingSend);
    report('ceiling', RPS, ceiling);
    const ceilingSaturated = await saturate(SATURATION_CONCURRENCY, SATURATION_SECONDS, ceilingSend);
    reportSaturation('ceiling', ceilingSaturated);
    await bare.close();
    const ceilingRss = peakRssMb(ceilingServer.pid!);
    await stopService(ceilingServer);
    await explainProfile(pool);

    const ratio = profileSaturated.rps / ceilingSaturated.rps;
    console.log(
      `profile vs bare endpoint (saturated): ${Math.round(ratio * 100)} % ` +
        `(the bare endpoint runs the subject and records selects and returns the rows; the service's one query also nests the entries, and it renders views, checks rate limits, tags ETags and counts for the audit)`,
    );
    const figures = {
      bench: 'query',
      subjects: data.subjects,
      records: data.records,
      list_entries: entries.entries,
      seconds: SECONDS,
      warmup_seconds: WARMUP_SECONDS,
      profile_offered_rps: RPS,
      profile_achieved_rps: Math.round(profile.achieved),
      profile_p50_ms: round(profile.p50),
      profile_p99_ms: round(profile.p99),
      profile_max_ms: round(profile.max),
      profile_errors: profile.errors,
      profile_saturated_rps: Math.round(profileSaturated.rps),
      profile_saturated_p99_ms: round(profileSaturated.p99),
      ceiling_achieved_rps: Math.round(ceiling.achieved),
      ceiling_p50_ms: round(ceiling.p50),
      ceiling_p99_ms: round(ceiling.p99),
      ceiling_errors: ceiling.errors,
      ceiling_saturated_rps: Math.round(ceilingSaturated.rps),
      profile_vs_ceiling: round(ratio),
      ceiling:
        'bare fastify+pg child process, pool 16: the subject row and public records selects of the profile',
      check_offered_rps: CHECK_RPS,
      check_achieved_rps: Math.round(check.achieved),
      check_p50_ms: round(check.p50),
      check_p99_ms: round(check.p99),
      check_errors: check.errors,
      search_offered_rps: SEARCH_RPS,
      search_achieved_rps: Math.round(search.achieved),
      search_p50_ms: round(search.p50),
      search_p99_ms: round(search.p99),
      search_errors: search.errors,
      saturation: `${SATURATION_CONCURRENCY} in flight for ${SATURATION_SECONDS} s`,
      service_rss_mb: serviceRss,
      sanctions_rss_mb: sanctionsRss,
      ceiling_rss_mb: ceilingRss,
      total_s: round((performance.now() - runStarted) / 1000, 1),
      aim: AIM,
    };
    console.log(JSON.stringify(figures));
  } finally {
    for (const child of children) await stopService(child);
    await pool.end();
    if (KEEP) console.log(`BENCH_KEEP=1: the bench database stays: ${url}`);
    else await dropBenchDatabase(databaseUrl, runId);
    await admin.deleteTopics(Object.values(topics)).catch(() => {});
    await admin.deleteGroups(Object.values(groups)).catch(() => {});
    await admin.disconnect();
  }
}

if (process.env.QUERY_ROLE === 'ceiling') await serveCeiling();
else await main();
