import { type AggregatorHarness, startAggregatorHarness } from '@credit/aggregator/testing';
import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { createMetricsRegistry, type IncomingMessage } from '@credit/kit';
import { loadListTypes } from '@credit/list-types';
import { createTestTopics, testLogger, uniqueName } from '@credit/testing';
import { parseListApiClients } from '../src/api-clients.ts';
import { createListDesignation, type ListDesignation } from '../src/app.ts';
import type { ListChange } from '../src/list-change.ts';
import { LISTS_SCHEMA, MIGRATIONS_DIR } from '../src/migrations.ts';
import type { ReconcileContext } from '../src/reconcile.ts';
import { loadRules } from '../src/rules/index.ts';
import { workingDaysCounter } from '../src/working-days.ts';

export const TOKENS = {
  reviewer: 'reviewer-token-0123456789abcdef',
  court: 'court-designator-token-0123456789',
  tax: 'tax-designator-token-0123456789ab',
  objections: 'objection-desk-token-0123456789ab',
  admin: 'admin-token-0123456789abcdefghij',
} as const;

const CLIENTS = JSON.stringify([
  { token: TOKENS.reviewer, actor: 'fz-credit-office-reviewer', roles: ['reviewer'] },
  { token: TOKENS.court, actor: 'court-clerk', roles: ['designator'], department: 'intermediate-court' },
  { token: TOKENS.tax, actor: 'tax-officer', roles: ['designator'], department: 'tax' },
  { token: TOKENS.objections, actor: 'objection-desk', roles: ['objection-desk'] },
  { token: TOKENS.admin, actor: 'ops', roles: ['admin'] },
]);

/** A settable clock: tests move time to see expiry happen at the right moment. */
export interface TestClock {
  now: () => Date;
  set(at: Date | string): void;
}

export function testClock(start: Date = new Date()): TestClock {
  let current = new Date(start.getTime());
  return {
    now: () => new Date(current.getTime()),
    set(at) {
      current = typeof at === 'string' ? new Date(at) : new Date(at.getTime());
    },
  };
}

export interface ListHarness {
  aggregator: AggregatorHarness;
  lists: ListDesignation;
  listChangesTopic: string;
  deadLetterTopic: string;
  clock: TestClock;
  context: ReconcileContext;
  /** Every event on the list-changes topic so far (waits for at least `count`). */
  listChanges(count: number, timeoutMs?: number): Promise<ListChange[]>;
  close(): Promise<void>;
}

let shared: ReconcileContext | undefined;

/** The shipped rules, list types and holiday calendar, loaded once per test file. */
export function reconcileContext(): ReconcileContext {
  if (shared === undefined) {
    const catalogue = loadCatalogue();
    const registry = loadListTypes(undefined, { catalogue });
    shared = {
      registry,
      rules: loadRules(undefined, { registry, catalogue }),
      workingDays: workingDaysCounter(loadCalendar()),
    };
  }
  return shared;
}

/** A real aggregator and a real list-designation service on the test broker, one database, a settable clock. */
export async function startListHarness(
  options: { clock?: TestClock; start?: boolean } = {},
): Promise<ListHarness> {
  const aggregator = await startAggregatorHarness();
  await migrate(aggregator.pool, LISTS_SCHEMA, MIGRATIONS_DIR);
  const [listChangesTopic, deadLetterTopic] = await createTestTopics(aggregator.bus, [
    { name: 'lists-changes', partitions: 3 },
    { name: 'lists-dlq', partitions: 1 },
  ]);
  const clock = options.clock ?? testClock();
  const context = reconcileContext();
  const pool = createPool(aggregator.database.url, { max: 6, searchPath: LISTS_SCHEMA });
  const lists = await createListDesignation({
    logger: testLogger,
    pool,
    bus: aggregator.bus,
    producer: aggregator.producer,
    context,
    clients: parseListApiClients(CLIENTS),
    metrics: createMetricsRegistry('lists-test', { defaults: false }),
    health: { shuttingDown: false },
    readiness: [],
    service: 'list-designation',
    groupId: uniqueName('lists-group'),
    subjectChangesTopic: aggregator.changesTopic,
    listChangesTopic: listChangesTopic!,
    deadLetterTopic: deadLetterTopic!,
    expirySweepMs: 3_600_000,
    timelyWorkingDays: 7,
    backfillOnRulesChange: false,
    now: clock.now,
  });
  if (options.start ?? true) await lists.start();
  return {
    aggregator,
    lists,
    listChangesTopic: listChangesTopic!,
    deadLetterTopic: deadLetterTopic!,
    clock,
    context,
    async listChanges(count, timeoutMs) {
      const messages: IncomingMessage[] = await aggregator.readTopic(listChangesTopic!, count, timeoutMs);
      return messages.map((m) => JSON.parse(m.value?.toString('utf8') ?? 'null') as ListChange);
    },
    async close() {
      await lists.stop().catch(() => {});
      await pool.end();
      await aggregator.close();
    },
  };
}
