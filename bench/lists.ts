import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { createPool, inTransaction, migrate } from '@credit/db';
import { chinaToday } from '@credit/intake';
import type { Severity } from '@credit/schemas';
import type pg from 'pg';
import { loadCalendar } from '../packages/calendar/src/index.ts';
import { loadListTypes } from '../packages/list-types/src/index.ts';
import { runBackfill, startBackfill } from '../services/list-designation/src/backfill.ts';
import { toKnownEntry } from '../services/list-designation/src/entry-row.ts';
import { readEntries, readStandingRecords, readSubjects } from '../services/list-designation/src/facts.ts';
import {
  MIGRATIONS_DIR as LISTS_MIGRATIONS,
  LISTS_SCHEMA,
} from '../services/list-designation/src/migrations.ts';
import { type ReconcileContext, reconcileSubjects } from '../services/list-designation/src/reconcile.ts';
import { evaluate, loadRules, type SubjectFacts } from '../services/list-designation/src/rules/index.ts';
import { workingDaysCounter } from '../services/list-designation/src/working-days.ts';
import {
  benchSubjectCode,
  createBenchDatabase,
  dropBenchDatabase,
  hashSql,
  infrastructure,
  peakRssMb,
  percentile,
  round,
  subjectCategorySql,
  subjectCodeSql,
} from './_support.ts';

/**
 * pnpm bench lists
 *   1. a bench database of its own with the aggregator's and the list service's schemas;
 *   2. BENCH_SUBJECTS subjects (default 200,000; 90% legal entities, 5% individual businesses, 5% natural persons)
 *      and about BENCH_RECORDS records (1,000,000) written straight into aggregator.subjects / aggregator.records
 *      with insert … select from generate_series (no Kafka): mostly BASIC licences and commitments and POSITIVE
 *      honours; ~8% of subjects with GENERAL_DISHONESTY penalties (3% with 3–4 of them in the last 11 months:
 *      repeated breaches), ~4% with SERIOUS_DISHONESTY penalties in key-field items (1% in 3 fields within 10
 *      months: 3 proposed watch entries; no credit warning, which needs watch entries in force), ~1% court
 *      失信被执行人 designations, ~1% tax 重大税收违法 list designations (validFrom/validTo in the payload), ~5% tax
 *      grade A (red, refused when not eligible);
 *      decisions over the last 4 years, disclosure windows and expiry per the catalogue; then `analyze`;
 *   3. ceiling: bare Postgres doing the same reads as the re-evaluation (facts.ts: subjects, records in force,
 *      entries) for every subject in code order, batches of BENCH_BATCH (500, the backfill's default), nothing
 *      evaluated or written: subjects/s;
 *   4. full re-evaluation: startBackfill + runBackfill over every subject on the empty list store (wall time,
 *      subjects/s, entries created, peak RSS of this process); then a second full run under another rules version
 *      (a rule change: every subject re-evaluated while its entries exist) and the same read ceiling again, now
 *      with the entries in place;
 *   5. one changed subject: BENCH_SAMPLES (2,000) random subjects, each reconcileSubjects in its own transaction
 *      as the consumer does (p50/p99/max ms), next to the ceiling: the same three reads for one random subject;
 *      and evaluate() alone on the facts of the subject with the most records in force (read once, evaluated
 *      BENCH_EVALUATIONS times): how much of one subject's time is rules and how much database;
 *   6. drops the bench database, also on failure.
 * Generation uses LOAD_CONNECTIONS connections side by side (2–4, by cores) with JIT off.
 * The last line of output is one JSON object with the figures.
 */
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 20_000);
const LOAD_CONNECTIONS = Math.min(4, Math.max(2, availableParallelism()));

const { databaseUrl } = infrastructure();
const runId = `lists${Date.now().toString(36)}`;
const catalogue = loadCatalogue();

/** Kinds of records the generator writes; each subject group draws from its own templates. */
type Group = 'base' | 'general' | 'serious' | 'court' | 'tax-list' | 'grade-a';

interface TemplateSpec {
  item: string;
  severity: Severity;
  level?: string;
  listTypeCode?: string;
}

const TEMPLATES: Record<Group, TemplateSpec[]> = {
  // 20 slots: 55% licences, 15% commitments, 15% honours, 10% BASIC (unpublished) penalties, 5% tax grade B.
  base: [
    ...['350100-XZXK-0011', '350100-XZXK-0011', '350100-XZXK-0011', '350100-XZXK-0012', '350100-XZXK-0012'],
    ...['350100-XZXK-0001', '350100-XZXK-0002', '350100-XZXK-0002', '350100-XZXK-0003', '350100-XZXK-0004'],
    '350100-XZXK-0005',
  ]
    .map((item): TemplateSpec => ({ item, severity: 'BASIC' }))
    .concat(
      ['350100-XYCN-0001', '350100-XYCN-0002', '350100-XYCN-0003'].map((item) => ({
        item,
        severity: 'BASIC',
      })),
      ['350100-SXBZ-0001', '350000-SXBZ-0002', '350100-SXBZ-0002'].map((item) => ({
        item,
        severity: 'POSITIVE',
      })),
      ['350100-XZCF-0007', '350100-XZCF-0010'].map((item) => ({ item, severity: 'BASIC' })),
      [{ item: '350100-XYDJ-0003', severity: 'BASIC', level: 'B' }],
    ),
  // Every department's penalty item: some in key fields, some (customs, transport, agriculture) in none.
  general: [
    '350100-XZCF-0007',
    '350100-XZCF-0008',
    '350100-XZCF-0002',
    '350100-XZCF-0004',
    '350100-XZCF-0009',
    '350100-XZCF-0001',
    '350100-XZCF-0003',
    '350100-XZCF-0005',
    '350100-XZCF-0006',
    '350100-XZCF-0010',
    '350100-XZCF-0011',
  ].map((item) => ({ item, severity: 'GENERAL_DISHONESTY' })),
  // One penalty item per key field (rules.yaml keyFields), eight different fields.
  serious: [
    '350100-XZCF-0007',
    '350100-XZCF-0002',
    '350100-XZCF-0004',
    '350100-XZCF-0009',
    '350100-XZCF-0001',
    '350100-XZCF-0003',
    '350100-XZCF-0008',
    '350100-XZCF-0005',
  ].map((item) => ({ item, severity: 'SERIOUS_DISHONESTY' })),
  court: [{ item: '350100-SXBZXR-0001', severity: 'SERIOUS_DISHONESTY' }],
  'tax-list': [
    { item: '350100-MD-0003', severity: 'SERIOUS_DISHONESTY', listTypeCode: 'major-tax-violation' },
  ],
  'grade-a': [{ item: '350100-XYDJ-0003', severity: 'POSITIVE', level: 'A' }],
};

/** Template rows with department, kind, department USCC and disclosure months from the catalogue; checked. */
function templateRows(source: Catalogue) {
  return Object.entries(TEMPLATES).flatMap(([group, specs]) =>
    specs.map((spec, t) => {
      const item = source.item(spec.item);
      if (item === undefined) throw new Error(`catalogue item ${spec.item} does not exist`);
      const check = source.check(item.department, item.kind, item.code, spec.severity);
      if (!check.allowed) throw new Error(`${item.department} may not report ${spec.item} ${spec.severity}`);
      const window = source.kindRule(item.kind).windows.find((w) => w.severity === spec.severity);
      if (window === undefined) throw new Error(`no disclosure window for ${item.kind} ${spec.severity}`);
      return {
        grp: group,
        t,
        department: item.department,
        kind: item.kind,
        item: item.code,
        severity: spec.severity,
        uscc: source.department(item.department)?.uscc ?? '',
        months: window.months,
        level: spec.level ?? null,
        list_type: spec.listTypeCode ?? null,
      };
    }),
  );
}

/** Subject number `i`'s name in SQL. */
const nameSql = (i: string) => `case when ${i} % 20 = 0 then '基准自然人' || ${i}
  when ${i} % 20 = 1 then '福州市基准个体户' || ${i} else '福州基准企业' || ${i} || '有限公司' end`;

const randomSubject = () => benchSubjectCode(1 + Math.floor(Math.random() * SUBJECTS));

/** The records of one plan (subject i, sequence k, template t, decision date d, payload validity vf..vt). */
function insertRecords(plan: string): string {
  return `
    with plan as (${plan})
    insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
      catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
      disclosure_from, disclosure_until, change_reason, payload, source_topic, source_partition, source_offset)
    select tp.department, x.srid, 1, x.code, tp.kind, 1, tp.item, tp.severity, 'UPSERT',
           case when w.until < current_date then 'expired' else 'active' end,
           p.d, x.reported, tp.months is distinct from 0, p.d, w.until, null,
           jsonb_build_object(
             'envelope', jsonb_build_object(
               'sourceRecordId', x.srid, 'version', 1, 'operation', 'UPSERT',
               'reportingDepartmentCode', tp.uscc,
               'subject', jsonb_build_object('category', x.category, 'code', x.code,
                 'codeType', case when x.category = 'NATURAL_PERSON' then 'RESIDENT_IDENTITY_CARD' else 'USCC' end,
                 'name', x.name, 'lei', null, 'legalRepresentative', null, 'legacyCodes', null),
               'decisionDate', p.d::text, 'reportedAt', x.reported, 'catalogueItemCode', tp.item,
               'severity', tp.severity, 'changeReason', null),
             'decisionDocumentNumber', '榕' || tp.department || '〔' || extract(year from p.d) || '〕' || p.k || '号',
             'remarks', null)
           || jsonb_strip_nulls(jsonb_build_object('listTypeCode', tp.list_type, 'level', tp.level,
                'validFrom', p.vf::text, 'validTo', p.vt::text)),
           'credit.ingest.' || tp.department, p.i % 6, p.k
      from plan p
      join public.bench_templates tp on tp.grp = p.grp and tp.t = p.t
      cross join lateral (select ${subjectCodeSql('p.i')} as code, ${subjectCategorySql('p.i')} as category,
             ${nameSql('p.i')} as name,
             'bench-' || p.grp || '-' || p.i || '-' || p.k as srid,
             least(now(), (p.d + 1 + ${hashSql('p.i + p.k')} % 5)::timestamp + interval '10 hours') as reported) x
      cross join lateral (select case when tp.months is null then null
             else (p.d + make_interval(months => tp.months))::date end as until) w`;
}

/** One statement on a connection of its own, tuned for bulk loading (no JIT: it costs seconds per statement here). */
async function load(pool: pg.Pool, sql: string, values: unknown[] = []): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('set synchronous_commit = off');
    await client.query('set jit = off');
    return (await client.query(sql, values)).rowCount ?? 0;
  } finally {
    client.release();
  }
}

async function generate(pool: pg.Pool): Promise<{ subjects: number; records: number; seconds: number }> {
  const started = performance.now();
  const elapsed = () => round((performance.now() - started) / 1000, 1);
  await load(
    pool,
    `create table public.bench_templates (grp text, t int, department text, kind text, item text,
      severity text, uscc text, months int, level text, list_type text, primary key (grp, t))`,
  );
  await load(
    pool,
    `insert into public.bench_templates
     select * from jsonb_populate_recordset(null::public.bench_templates, $1::jsonb)`,
    [JSON.stringify(templateRows(catalogue))],
  );
  const counts = Object.fromEntries(Object.entries(TEMPLATES).map(([group, specs]) => [group, specs.length]));
  const subjects = () =>
    load(
      pool,
      `insert into aggregator.subjects (code, code_type, category, kind, display_code, identity_ciphertext,
        division_code, name, name_reported_at, first_seen_at, updated_at)
      select code, case when i % 20 = 0 then 'RESIDENT_IDENTITY_CARD' else 'USCC' end, category,
             case when i % 20 = 0 then 'natural_person' when i % 20 = 1 then 'individual_business'
                  else 'enterprise' end,
             case when i % 20 = 0 then '350102********' || lpad((i % 10000)::text, 4, '0') else code end,
             case when i % 20 = 0 then 'bench-ciphertext-' || md5(i::text) end,
             '350100', name, now() - make_interval(days => ${hashSql('i')} % 1461), now(), now()
        from (select i, ${subjectCodeSql('i')} as code, ${subjectCategorySql('i')} as category, ${nameSql('i')} as name
                from generate_series(1, ${SUBJECTS}) as i) s`,
    );
  // Subject buckets b (0..999): general < 80 (repeated breaches < 30), serious 80..119 (3 fields < 90),
  // court 120..129, tax list 130..139; grade A independently, g < 5 of 100.
  const specials = () =>
    load(
      pool,
      insertRecords(`
        with s as (select i, ${hashSql('i')} % 1000 as b, ${hashSql('i + 500009')} % 100 as g
                     from generate_series(1, ${SUBJECTS}) as i)
        select 'general' as grp, i, k,
               case when b % 3 = 0 then i % ${counts.general} else (i + k) % ${counts.general} end as t,
               current_date - ${hashSql('i * 7 + k')} % (case when b < 30 then 330 else 1461 end) as d,
               null::date as vf, null::date as vt
          from s cross join lateral generate_series(1, case when b < 30 then 3 + b % 2 else 1 + b % 2 end) as k
         where b < 80
        union all
        select 'serious', i, k, (i + k) % ${counts.serious},
               current_date - ${hashSql('i * 11 + k')} % (case when b < 90 then 300 else 1461 end), null, null
          from s cross join lateral generate_series(1, case when b < 90 then 3 else 1 + b % 2 end) as k
         where b >= 80 and b < 120
        union all
        select 'court', i, 1, 0, current_date - ${hashSql('i * 13')} % 1461, null, null
          from s where b >= 120 and b < 130
        union all
        select 'tax-list', i, 1, 0, d, d, (d + interval '3 years' - interval '1 day')::date
          from (select i, current_date - ${hashSql('i * 17')} % 1461 as d from s where b >= 130 and b < 140) q
        union all
        select 'grade-a', i, 1, 0, d, d, (d + interval '1 year' - interval '1 day')::date
          from (select i, current_date - ${hashSql('i * 19')} % 1461 as d from s where g < 5) q`),
    );
  const [, special] = await Promise.all([subjects(), specials()]);
  console.log(`  ${SUBJECTS} subjects, ${special} dishonesty, designation and grade records: ${elapsed()} s`);
  // The rest in LOAD_CONNECTIONS slices side by side: building the payloads is CPU-bound.
  const base = Math.max(0, RECORDS - special);
  const slice = Math.ceil(base / LOAD_CONNECTIONS);
  const slices = Array.from({ length: LOAD_CONNECTIONS }, (_, n) => [
    n * slice + 1,
    Math.min(base, (n + 1) * slice),
  ]);
  await Promise.all(
    slices
      .filter(([from = 0, to = 0]) => from <= to)
      .map(([from, to]) =>
        load(
          pool,
          insertRecords(`
            select 'base' as grp, (j - 1) % ${SUBJECTS} + 1 as i, j as k, ${hashSql('j')} % ${counts.base} as t,
                   current_date - ${hashSql('j * 3 + 1')} % 1461 as d, null::date as vf, null::date as vt
              from generate_series(${from}, ${to}) as j`),
        ),
      ),
  );
  console.log(`  ${base} other records: ${elapsed()} s`);
  await load(pool, 'drop table public.bench_templates');
  const client = await pool.connect();
  try {
    await client.query('analyze aggregator.subjects');
    await client.query('analyze aggregator.records');
    const total = await client.query<{ n: string }>('select count(*) as n from aggregator.records');
    return {
      subjects: SUBJECTS,
      records: Number(total.rows[0]?.n),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    client.release();
  }
}

async function breakdown(pool: pg.Pool, title: string): Promise<void> {
  const { rows } = await pool.query<{ severity: string; status: string; n: string }>(
    `select severity, status, count(*) as n from aggregator.records group by 1, 2 order by 1, 2`,
  );
  console.log(`${title}: ${rows.map((r) => `${r.severity}/${r.status} ${r.n}`).join(', ')}`);
}

/** Bare Postgres: the re-evaluation's reads (subjects in code order, batch by batch), nothing evaluated or written. */
async function readCeiling(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    let cursor: string | null = null;
    let done = 0;
    const started = performance.now();
    for (;;) {
      const codes: pg.QueryResult<{ code: string }> = await client.query<{ code: string }>(
        `select code from aggregator.subjects where $1::text is null or code > $1 order by code limit $2`,
        [cursor, BATCH],
      );
      const batch: string[] = codes.rows.map((r) => r.code);
      if (batch.length === 0) break;
      const present = (await readSubjects(client, batch)).map((s) => s.code);
      await readStandingRecords(client, present);
      await readEntries(client, present);
      done += batch.length;
      cursor = batch.at(-1) ?? null;
    }
    return done / ((performance.now() - started) / 1000);
  } finally {
    client.release();
  }
}

/** Same reads for one random subject at a time: ms each, sorted. */
async function oneSubjectCeiling(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    const times: number[] = [];
    for (let n = 0; n < SAMPLES; n += 1) {
      const code = randomSubject();
      const started = performance.now();
      const present = (await readSubjects(client, [code])).map((s) => s.code);
      await readStandingRecords(client, present);
      await readEntries(client, present);
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b);
  } finally {
    client.release();
  }
}

async function fullRun(pool: pg.Pool, context: ReconcileContext, label: string) {
  const started = performance.now();
  const backfill = await startBackfill(pool, context.rules.version);
  let nextReport = SUBJECTS / 10;
  const row = await runBackfill(
    pool,
    backfill.id,
    () => context,
    () => new Date(),
    {
      batchSize: BATCH,
      onBatch: (progress) => {
        const done = Number(progress.subjects_done);
        if (done < nextReport) return;
        nextReport += SUBJECTS / 10;
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `  ${label}: ${done} subjects, ${progress.entries_created} created, ${progress.entries_exited} exited, ` +
            `${round(seconds, 1)} s`,
        );
      },
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (row.status !== 'done') throw new Error(`backfill ${row.id} ended ${row.status}: ${row.error}`);
  return {
    seconds,
    subjects: Number(row.subjects_done),
    created: Number(row.entries_created),
    exited: Number(row.entries_exited),
  };
}

async function entryBreakdown(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ list_type: string; state: string; n: string }>(
    `select list_type, state, count(*) as n from entries group by 1, 2 order by 1, 2`,
  );
  const refusals = await pool.query<{ n: string }>('select count(*) as n from refusals');
  return `${rows.map((r) => `${r.list_type}/${r.state} ${r.n}`).join(', ')}; refusals ${refusals.rows[0]?.n}`;
}

/** evaluate() alone, on the facts of the subject with the most records in force: µs each, sorted. */
async function evaluateOnly(pool: pg.Pool, context: ReconcileContext) {
  const heaviest = await pool.query<{ subject_code: string; n: string }>(
    `select subject_code, count(*) as n from aggregator.records
      where status in ('active', 'corrected') and severity <> 'BASIC'
      group by 1 order by 2 desc, 1 limit 1`,
  );
  const code = heaviest.rows[0]?.subject_code ?? benchSubjectCode(1);
  const client = await pool.connect();
  let facts: SubjectFacts;
  try {
    const [subject] = await readSubjects(client, [code]);
    if (subject === undefined) throw new Error(`subject ${code} is missing`);
    const records = await readStandingRecords(client, [code]);
    const entries = await readEntries(client, [code]);
    facts = {
      subjectCode: code,
      category: subject.category,
      records: records.get(code) ?? [],
      entries: entries.map((loaded) => toKnownEntry(loaded.row)),
    };
  } finally {
    client.release();
  }
  const today = chinaToday(new Date());
  for (let n = 0; n < 1000; n += 1) evaluate(facts, context.rules, context.registry, today);
  const times: number[] = [];
  for (let n = 0; n < EVALUATIONS; n += 1) {
    const started = performance.now();
    evaluate(facts, context.rules, context.registry, today);
    times.push((performance.now() - started) * 1000);
  }
  return {
    code,
    records: facts.records.length,
    entries: facts.entries.length,
    us: times.sort((a, b) => a - b),
  };
}

async function main() {
  const runStarted = performance.now();
  const registry = loadListTypes(undefined, { catalogue });
  const context: ReconcileContext = {
    registry,
    rules: loadRules(undefined, { registry, catalogue }),
    workingDays: workingDaysCounter(loadCalendar()),
  };
  const url = await createBenchDatabase(databaseUrl, runId);
  const pool = createPool(url, { max: 4, searchPath: LISTS_SCHEMA });
  try {
    await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);
    await migrate(pool, LISTS_SCHEMA, LISTS_MIGRATIONS);

    console.log(`generating ${SUBJECTS} subjects and about ${RECORDS} records in SQL ...`);
    const data = await generate(pool);
    console.log(
      `generated ${data.subjects} subjects, ${data.records} records in ${round(data.seconds, 1)} s`,
    );
    await breakdown(pool, 'records by severity/status');

    const ceiling = await readCeiling(pool);
    console.log(
      `ceiling: bare Postgres, the same three reads for every subject in batches of ${BATCH}: ` +
        `${Math.round(ceiling)} subjects/s (${round(SUBJECTS / ceiling, 1)} s)`,
    );

    console.log(
      `full re-evaluation of ${SUBJECTS} subjects (rules ${context.rules.version}, empty list store) ...`,
    );
    const first = await fullRun(pool, context, 'first run');
    const rss = peakRssMb(process.pid);
    const heapMb = Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
    console.log(
      `full re-evaluation: ${round(first.seconds, 1)} s, ${Math.round(first.subjects / first.seconds)} subjects/s, ` +
        `${first.created} entries created, ${first.exited} exited; peak RSS ${rss} MB (heap now ${heapMb} MB)`,
    );
    console.log(`  entries: ${await entryBreakdown(pool)}`);

    const changed: ReconcileContext = {
      ...context,
      rules: { ...context.rules, version: `${context.rules.version}-bench` },
    };
    console.log(`rule change: full re-evaluation under rules ${changed.rules.version}, entries in place ...`);
    const second = await fullRun(pool, changed, 'rerun');
    console.log(
      `rule change re-evaluation: ${round(second.seconds, 1)} s, ${Math.round(second.subjects / second.seconds)} ` +
        `subjects/s, ${second.created} entries created, ${second.exited} exited`,
    );
    const ceilingWithEntries = await readCeiling(pool);
    console.log(
      `ceiling: the same reads with the entries in place: ${Math.round(ceilingWithEntries)} subjects/s`,
    );

    const bare = await oneSubjectCeiling(pool);
    console.log(
      `ceiling: the three reads for one random subject: p50 ${round(percentile(bare, 50))} ms, ` +
        `p99 ${round(percentile(bare, 99))} ms (${SAMPLES} samples)`,
    );
    const times: number[] = [];
    let created = 0;
    for (let n = 0; n < SAMPLES; n += 1) {
      const code = randomSubject();
      const started = performance.now();
      const result = await inTransaction(pool, (client) =>
        reconcileSubjects(client, [code], changed, new Date()),
      );
      times.push(performance.now() - started);
      created += result.created;
    }
    times.sort((a, b) => a - b);
    console.log(
      `one subject (reconcileSubjects in its own transaction): p50 ${round(percentile(times, 50))} ms, ` +
        `p99 ${round(percentile(times, 99))} ms, max ${round(times.at(-1) ?? 0)} ms ` +
        `(${SAMPLES} samples, ${created} entries created)`,
    );
    const evaluation = await evaluateOnly(pool, changed);
    console.log(
      `evaluate() alone on ${evaluation.code} (${evaluation.records} records in force, ${evaluation.entries} ` +
        `entries): p50 ${round(percentile(evaluation.us, 50), 1)} µs, p99 ${round(percentile(evaluation.us, 99), 1)} µs`,
    );

    const figures = {
      bench: 'lists',
      subjects: data.subjects,
      records: data.records,
      generation_s: round(data.seconds, 1),
      full_reevaluation_s: round(first.seconds, 1),
      full_subjects_per_s: Math.round(first.subjects / first.seconds),
      ceiling_read_subjects_per_s: Math.round(ceiling),
      share_of_read_ceiling: round(first.subjects / first.seconds / ceiling),
      entries_created: first.created,
      rerun_rules_change_s: round(second.seconds, 1),
      rerun_subjects_per_s: Math.round(second.subjects / second.seconds),
      rerun_entries_created: second.created,
      rerun_entries_exited: second.exited,
      ceiling_read_with_entries_subjects_per_s: Math.round(ceilingWithEntries),
      one_subject_p50_ms: round(percentile(times, 50)),
      one_subject_p99_ms: round(percentile(times, 99)),
      one_subject_max_ms: round(times.at(-1) ?? 0),
      ceiling_one_subject_p50_ms: round(percentile(bare, 50)),
      ceiling_one_subject_p99_ms: round(percentile(bare, 99)),
      evaluate_only_p50_us: round(percentile(evaluation.us, 50), 1),
      evaluate_only_p99_us: round(percentile(evaluation.us, 99), 1),
      evaluate_only_records: evaluation.records,
      batch_size: BATCH,
      samples: SAMPLES,
      rss_mb: rss,
      total_s: round((performance.now() - runStarted) / 1000, 1),
      aims: { full_reevaluation_s: 120 },
    };
    console.log(JSON.stringify(figures));
  } finally {
    await pool.end();
    await dropBenchDatabase(databaseUrl, runId);
  }
}

await main();
