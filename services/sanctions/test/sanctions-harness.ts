import { MIGRATIONS_DIR as AGGREGATOR_MIGRATIONS, AGGREGATOR_SCHEMA } from '@credit/aggregator/migrations';
import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import {
  createMetricsRegistry,
  type IncomingMessage,
  type MessageBus,
  type Producer,
  parseApiClients,
} from '@credit/kit';
import { type ListChange, listChange } from '@credit/list-designation/list-change';
import { loadMeasures, type MeasuresCatalogue } from '@credit/measures';
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
import { createSanctions, type Sanctions } from '../src/app.ts';
import { dueDates } from '../src/due-date.ts';
import { MIGRATIONS_DIR, SANCTIONS_SCHEMA } from '../src/migrations.ts';
import { ROLES } from '../src/routes.ts';

export const TOKEN_KEY = Buffer.alloc(32, 7);

export const TOKENS = {
  office: 'office-token-0123456789abcdefghij',
  procurement: 'finance-dept-token-0123456789abcd',
  market: 'market-dept-token-0123456789abcdef',
  approvals: 'approval-system-token-0123456789ab',
} as const;

const CLIENTS = JSON.stringify([
  { token: TOKENS.office, actor: 'credit-office', roles: ['office'] },
  { token: TOKENS.procurement, actor: 'finance-clerk', roles: ['department'], department: 'finance' },
  { token: TOKENS.market, actor: 'market-clerk', roles: ['department'], department: 'market-regulation' },
  {
    token: TOKENS.approvals,
    actor: 'procurement-platform',
    roles: ['approval-system'],
    department: 'finance',
  },
]);

export interface SanctionsHarness {
  database: TestDatabase;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  measures: MeasuresCatalogue;
  sanctions: Sanctions;
  /** The service's clock: today for its checks, due dates and statistics. */
  clock: TestClock;
  topics: {
    listChanges: string;
    /** A department's orders topic (`<prefix><department>`, as credit.sanction-orders.<department>). */
    orders: (department: string) => string;
    feedback: (department: string) => string;
    deadLetters: string;
  };
  /** Publishes list changes as the list service would (its own event builder), keyed by subject. */
  publish(changes: ListChange[]): Promise<void>;
  readTopic(topic: string, count: number, timeoutMs?: number): Promise<IncomingMessage[]>;
  close(): Promise<void>;
}

/** The sanctions service on the test broker and a fresh database (with the aggregator's schema to read). */
export async function startSanctionsHarness(options: { clock?: TestClock } = {}): Promise<SanctionsHarness> {
  const clock = options.clock ?? testClock();
  const database = await createTestDatabase();
  const pool = createPool(database.url, { max: 8, searchPath: SANCTIONS_SCHEMA });
  await migrate(pool, AGGREGATOR_SCHEMA, AGGREGATOR_MIGRATIONS);
  await migrate(pool, SANCTIONS_SCHEMA, MIGRATIONS_DIR);
  const bus = testBus('sanctions-test');
  const [listChanges, deadLetters] = await createTestTopics(bus, [
    { name: 'sanctions-lists', partitions: 3 },
    { name: 'sanctions-dlq', partitions: 1 },
  ]);
  // One orders and one feedback topic per catalogue department, as infra makes them, under prefixes of this run.
  const codes = loadCatalogue().departments.map((department) => department.code);
  const { topic: orders } = await createPrefixedTopics(bus, 'sanction-orders', codes);
  const { prefix: feedbackPrefix, topic: feedback } = await createPrefixedTopics(
    bus,
    'sanction-feedback',
    codes,
  );
  const producer = await bus.producer();
  const measures = loadMeasures();
  const sanctions = await createSanctions({
    logger: testLogger,
    pool,
    bus,
    producer,
    context: { measures, dueDate: dueDates(loadCalendar()) },
    tokenKey: TOKEN_KEY,
    clients: parseApiClients(CLIENTS, {
      variable: 'SANCTIONS_API_TOKENS',
      roles: ROLES,
      departmentRoles: ['department', 'approval-system'],
    }),
    metrics: createMetricsRegistry('sanctions-test', { defaults: false }),
    health: { shuttingDown: false },
    readiness: [],
    service: 'sanctions',
    groupId: uniqueName('sanctions-group'),
    listChangesTopic: listChanges!,
    ordersTopic: orders,
    feedbackTopicPrefix: feedbackPrefix,
    deadLetterTopic: deadLetters!,
    now: clock.now,
  });
  await sanctions.start();
  const { readTopic } = await import('@credit/aggregator/testing');
  return {
    database,
    pool,
    bus,
    producer,
    measures,
    sanctions,
    clock,
    topics: { listChanges: listChanges!, orders, feedback, deadLetters: deadLetters! },
    async publish(changes) {
      await producer.send(
        listChanges!,
        changes.map((change) => ({ key: change.subjectCode, value: JSON.stringify(change) })),
      );
    },
    readTopic: (topic, count, timeoutMs) => readTopic(bus, topic, count, timeoutMs),
    async close() {
      await sanctions.stop().catch(() => {});
      await producer.disconnect().catch(() => {});
      await pool.end();
      await database.drop();
    },
  };
}

/** A list entry of the list service's shape, for its event builder, designated and valid from `validFrom`. */
export function entry(
  subjectCode: string,
  listType: string,
  colour: 'red' | 'black' | 'watch' | 'warning',
  id: string,
  validFrom: string,
) {
  return {
    id,
    subject_code: subjectCode,
    subject_category: 'LEGAL_ENTITY' as const,
    list_type: listType,
    colour,
    field: null,
    state: 'proposed' as const,
    exit_reason: null,
    notice_channel: null,
    source: 'department' as const,
    rule_id: 'department-designation',
    rules_version: '2026.1',
    identity: `department:test:${id}`,
    generation: 1,
    designating_department: 'intermediate-court',
    designated_on: validFrom,
    valid_from: validFrom,
    valid_until: null,
    repairable: false,
    repairable_from: null,
    basis: [{ department: 'intermediate-court', sourceRecordId: id, version: 1 }],
    basis_entries: [],
    explanation: 'test',
    reached_platform_at: null,
    working_days_to_platform: null,
  };
}

export { listChange };
