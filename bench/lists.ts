import { performance } from 'node:perf_hooks';
import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { chinaToday } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, inTransaction, migrate } from '@credit/db';
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
  infrastructure,
  peakRssMb,
  percentile,
  round,
} from './_support.ts';
import { generateUnifiedDatabase } from './_unified.ts';

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
 * Generation (bench/_unified.ts) uses 2–4 connections side by side (by cores) with JIT off.
 * The last line of output is one JSON object with the figures.
 */
const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 200_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 20_000);

const { databaseUrl } = infrastructure();
const runId = `lists${Date.now().toString(36)}`;
const catalogue = loadCatalogue();

const randomSubject = () => benchSubjectCode(1 + Math.floor(Math.random() * SUBJECTS));

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
    const data = await generateUnifiedDatabase(pool, { subjects: SUBJECTS, records: RECORDS });
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
