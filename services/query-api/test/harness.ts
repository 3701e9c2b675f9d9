import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { createAuditLog, migrateAudit } from '@credit/audit';
import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate, pingDatabase } from '@credit/db';
import { maskResidentId } from '@credit/identifiers';
import { createMetricsRegistry, type MessageBus, type Producer, parseApiClients } from '@credit/kit';
import { MIGRATIONS_DIR as LISTS_MIGRATIONS, LISTS_SCHEMA } from '@credit/list-designation/migrations';
import { loadListTypes } from '@credit/list-types';
import { loadMeasures } from '@credit/measures';
import { createSanctions, type Sanctions } from '@credit/sanctions';
import { dueDates } from '@credit/sanctions/due-date';
import { MIGRATIONS_DIR as SANCTIONS_MIGRATIONS, SANCTIONS_SCHEMA } from '@credit/sanctions/migrations';
import { ROLES as SANCTIONS_ROLES } from '@credit/sanctions/routes';
import { loadRegistry, sampleRecord } from '@credit/schemas';
import {
  createPrefixedTopics,
  createTestDatabase,
  createTestTopics,
  type TestClock,
  type TestDatabase,
  testBus,
  testClock,
  testLogger,
  uniqueName,
} from '@credit/testing';
import type pg from 'pg';
import { createQueryApi, type QueryApi, SCOPES } from '../src/app.ts';
import { disclosedBy } from '../src/change-feed.ts';
import { MIGRATIONS_DIR, QUERY_SCHEMA } from '../src/migrations.ts';
import { createPresentation } from '../src/presentation.ts';
import { createSanctionsClient } from '../src/sanctions-client.ts';

export const TOKEN_KEY = Buffer.alloc(32, 9);

/**
 * The clock of this test file's query API and sanctions service (one module instance per test file): their "today",
 * and the day the seeds below date their records and entries from.
 */
export const clock: TestClock = testClock();

export const TOKENS = {
  everything: 'query-client-all-scopes-0123456789',
  historyOnly: 'query-client-history-only-0123456789',
  checker: 'query-client-check-only-0123456789ab',
  otherChecker: 'query-client-other-checker-0123456789',
} as const;

const CLIENTS = JSON.stringify([
  {
    token: TOKENS.everything,
    actor: 'credit-office-desk',
    roles: ['history', 'report', 'check', 'audit'],
    department: 'development-reform',
  },
  { token: TOKENS.historyOnly, actor: 'housing-approvals', roles: ['history'] },
  { token: TOKENS.checker, actor: 'procurement-portal', roles: ['check'], department: 'finance' },
  { token: TOKENS.otherChecker, actor: 'subsidy-portal', roles: ['check'], department: 'agriculture-rural' },
]);

const SANCTIONS_TOKEN = 'sanctions-token-for-query-api-0123456789';

export interface QueryHarness {
  database: TestDatabase;
  pool: pg.Pool;
  searchPool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  queryApi: QueryApi;
  sanctions: Sanctions;
  topics: { subjectChanges: string; listChanges: string; deadLetters: string };
  close(): Promise<void>;
}

export interface HarnessOptions {
  publicPerMinute?: number;
  /** The search pool's size and concurrency (default 4), its queue (16) and statement_timeout (3 s). */
  search?: { concurrency: number; queue: number; statementTimeoutMs: number };
  /** The services' clock (default: {@link clock}). */
  now?: () => Date;
  /** Default: a fresh database on the test server. */
  database?: TestDatabase;
  /** Default: the test broker, with the test logger. */
  bus?: MessageBus;
}

/**
 * The query API on a fresh database holding the schemas it reads (aggregator, lists, sanctions), the sanctions
 * service it passes checks to (listening on a free port), and the test broker for the change feed.
 */
export async function startQueryHarness(options: HarnessOptions = {}): Promise<QueryHarness> {
  const database = options.database ?? (await createTestDatabase());
  const pool = createPool(database.url, { max: 10, searchPath: QUERY_SCHEMA });
  const search = options.search ?? { concurrency: 4, queue: 16, statementTimeoutMs: 3_000 };
  const searchPool = createPool(database.url, {
    max: search.concurrency,
    searchPath: QUERY_SCHEMA,
    statementTimeoutMs: search.statementTimeoutMs,
  });
  await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);
  await migrate(pool, LISTS_SCHEMA, LISTS_MIGRATIONS);
  await migrate(pool, SANCTIONS_SCHEMA, SANCTIONS_MIGRATIONS);
  await migrateAudit(pool, QUERY_SCHEMA);
  await migrate(pool, QUERY_SCHEMA, MIGRATIONS_DIR);
  const bus = options.bus ?? testBus('query-api-test');
  const [subjectChanges, listChanges, deadLetters] = await createTestTopics(bus, [
    { name: 'query-subject-changes', partitions: 3 },
    { name: 'query-list-changes', partitions: 3 },
    { name: 'query-dlq', partitions: 1 },
  ]);
  const catalogue = loadCatalogue();
  const codes = catalogue.departments.map((department) => department.code);
  const orders = await createPrefixedTopics(bus, 'query-orders', codes);
  const feedback = await createPrefixedTopics(bus, 'query-feedback', codes);
  const producer = await bus.producer();
  const listTypes = loadListTypes(undefined, { catalogue });

  const sanctionsPool = createPool(database.url, { max: 4, searchPath: SANCTIONS_SCHEMA });
  const sanctions = await createSanctions({
    logger: testLogger,
    pool: sanctionsPool,
    bus,
    producer,
    context: { measures: loadMeasures(), dueDate: dueDates(loadCalendar()) },
    tokenKey: TOKEN_KEY,
    clients: parseApiClients(
      JSON.stringify([
        {
          token: SANCTIONS_TOKEN,
          actor: 'query-api',
          roles: ['relay'],
        },
      ]),
      { variable: 'SANCTIONS_API_TOKENS', roles: SANCTIONS_ROLES, departmentRoles: ['approval-system'] },
    ),
    metrics: createMetricsRegistry('sanctions-test', { defaults: false }),
    health: { shuttingDown: false },
    readiness: [],
    service: 'sanctions',
    groupId: uniqueName('query-sanctions'),
    listChangesTopic: listChanges!,
    ordersTopic: orders.topic,
    feedbackTopicPrefix: feedback.prefix,
    deadLetterTopic: deadLetters!,
    now: options.now ?? clock.now,
  });
  await sanctions.start();
  const sanctionsUrl = await sanctions.app.listen({ host: '127.0.0.1', port: 0 });

  const queryApi = await createQueryApi({
    logger: testLogger,
    pool,
    searchPool,
    bus,
    producer,
    names: createPresentation(catalogue, listTypes, loadRegistry()),
    disclosed: disclosedBy(catalogue),
    clients: parseApiClients(CLIENTS, {
      variable: 'QUERY_API_CLIENTS',
      roles: SCOPES,
      departmentRoles: ['check'],
    }),
    auditLog: createAuditLog(pool, { schema: QUERY_SCHEMA }),
    sanctions: createSanctionsClient(sanctionsUrl, SANCTIONS_TOKEN),
    tokenKey: TOKEN_KEY,
    metrics: createMetricsRegistry('query-test', { defaults: false }),
    health: { shuttingDown: false },
    readiness: [{ name: 'database', check: () => pingDatabase(pool) }],
    service: 'query-api',
    groupId: uniqueName('query-feed'),
    subjectChangesTopic: subjectChanges!,
    listChangesTopic: listChanges!,
    deadLetterTopic: deadLetters!,
    baseUrl: 'https://credit.example.gov.cn',
    limits: {
      publicPerMinute: options.publicPerMinute ?? 10_000,
      clientPerMinute: 10_000,
      searchConcurrency: search.concurrency,
      searchQueue: search.queue,
    },
    auditFlushMs: 60_000,
    trustProxy: true,
    now: options.now ?? clock.now,
  });
  await queryApi.start();
  return {
    database,
    pool,
    searchPool,
    bus,
    producer,
    queryApi,
    sanctions,
    topics: { subjectChanges: subjectChanges!, listChanges: listChanges!, deadLetters: deadLetters! },
    async close() {
      await queryApi.stop().catch(() => {});
      await sanctions.stop().catch(() => {});
      await producer.disconnect().catch(() => {});
      await sanctionsPool.end();
      await searchPool.end();
      await pool.end();
      await database.drop();
    },
  };
}

export interface SubjectSeed {
  code: string;
  name: string;
  category?: 'LEGAL_ENTITY' | 'NATURAL_PERSON' | 'INDIVIDUAL_BUSINESS';
  kind?: string;
  displayCode?: string;
  divisionCode?: string | null;
  formerNames?: string[];
  legacyCodes?: { code: string; codeType: string }[];
}

/** A subject as the aggregator stores it (the query side only reads these tables). */
export async function seedSubject(pool: pg.Pool, seed: SubjectSeed): Promise<void> {
  const category = seed.category ?? 'LEGAL_ENTITY';
  await pool.query(
    `insert into aggregator.subjects (code, code_type, category, kind, display_code, division_code, name, name_reported_at)
     values ($1, $2, $3, $4, $5, $6, $7, now())`,
    [
      seed.code,
      category === 'NATURAL_PERSON' ? 'RESIDENT_IDENTITY_CARD' : 'USCC',
      category,
      seed.kind ?? (category === 'NATURAL_PERSON' ? 'natural_person' : 'enterprise'),
      seed.displayCode ?? seed.code,
      seed.divisionCode === undefined ? '350102' : seed.divisionCode,
      seed.name,
    ],
  );
  const names = [...(seed.formerNames ?? []), seed.name];
  for (const [i, name] of names.entries()) {
    await pool.query(
      `insert into aggregator.subject_names (subject_code, name, first_reported_at)
       values ($1, $2, now() - make_interval(days => $3))`,
      [seed.code, name, names.length - i],
    );
  }
  for (const legacy of seed.legacyCodes ?? []) {
    await pool.query(
      'insert into aggregator.legacy_codes (legacy_code, code_type, subject_code) values ($1, $2, $3)',
      [legacy.code, legacy.codeType, seed.code],
    );
  }
}

export interface RecordSeed {
  subjectCode: string;
  id: string;
  kind?: string;
  department?: string;
  severity?: string;
  status?: string;
  /** Default: 180 days before the clock's today. */
  decisionDate?: string;
  /** null: public with no end; 'closed': the window ended yesterday; 'never': not public at all. */
  window?: { from: string; until: string | null } | 'never';
  fields?: Record<string, unknown>;
}

/**
 * A record as the aggregator stores it, its payload from the schemas' sample of its kind, the legal representative's
 * number masked as the aggregator masks it (the sample holds it in clear).
 */
export async function seedRecord(pool: pg.Pool, seed: RecordSeed): Promise<void> {
  const kind = seed.kind ?? 'administrative-penalty';
  const decisionDate = seed.decisionDate ?? clock.daysFromToday(-180);
  const sample = sampleRecord(kind as Parameters<typeof sampleRecord>[0]);
  const representative = sample.envelope.subject.legalRepresentative;
  if (representative?.idNumber) representative.idNumber = maskResidentId(representative.idNumber);
  const payload = { ...(sample as unknown as Record<string, unknown>), ...(seed.fields ?? {}) };
  const window = seed.window ?? { from: decisionDate, until: null };
  await pool.query(
    `insert into aggregator.records (department, source_record_id, version, subject_code, kind, schema_version,
       catalogue_item_code, severity, operation, status, decision_date, reported_at, disclosure_public,
       disclosure_from, disclosure_until, payload, source_topic, source_partition, source_offset)
     values ($1, $2, 1, $3, $4, 1, 'test-item', $5, 'UPSERT', $6, $7, now(), $8, $9, $10, $11, 'test', 0, 0)`,
    [
      seed.department ?? 'market-regulation',
      seed.id,
      seed.subjectCode,
      kind,
      seed.severity ?? 'GENERAL_DISHONESTY',
      seed.status ?? 'active',
      decisionDate,
      window !== 'never',
      window === 'never' ? decisionDate : window.from,
      window === 'never' ? decisionDate : window.until,
      JSON.stringify(payload),
    ],
  );
}

export interface EntrySeed {
  id: string;
  subjectCode: string;
  listType: string;
  colour: 'red' | 'black' | 'watch' | 'warning';
  state?: string;
  category?: string;
  department?: string;
  /** Default: 330 days before the clock's today. */
  validFrom?: string;
  validUntil?: string | null;
  explanation?: string;
}

/** A list entry as list-designation stores it. */
export async function seedEntry(pool: pg.Pool, seed: EntrySeed): Promise<void> {
  const state = seed.state ?? 'published';
  await pool.query(
    `insert into lists.entries (id, subject_code, subject_category, list_type, colour, state, exit_reason, source,
       rule_id, rules_version, identity, designating_department, designated_on, valid_from, valid_until, repairable,
       basis, explanation)
     values ($1, $2, $3, $4, $5, $6, $7, 'department', 'department-designation', 'test', $1, $8, $9, $9, $10, false,
             '[]', $11)`,
    [
      seed.id,
      seed.subjectCode,
      seed.category ?? 'LEGAL_ENTITY',
      seed.listType,
      seed.colour,
      state,
      state === 'exited' ? 'expired' : null,
      seed.department ?? 'intermediate-court',
      seed.validFrom ?? clock.daysFromToday(-330),
      seed.validUntil ?? null,
      seed.explanation ?? `${seed.listType} designation`,
    ],
  );
}
