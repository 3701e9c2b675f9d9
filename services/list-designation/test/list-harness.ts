import { type AggregatorHarness, startAggregatorHarness } from '@credit/aggregator/testing';
import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { createMetricsRegistry, type IncomingMessage } from '@credit/kit';
import { loadListTypes } from '@credit/list-types';
import { createTestTopics, type TestClock, testClock, testLogger, uniqueName } from '@credit/testing';
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

/** An entry as GET /v1/subjects/:code/lists shows it to a reviewer. */
export interface EntryView {
  id: string;
  listType: string;
  colour: string;
  state: string;
  exitReason: string | null;
  source: string;
  validUntil: string | null;
  workingDaysToPlatform: number | null;
  transitions: { event: string; actorId: string; actorRole: string; reason: string }[];
  allowedEvents: string[];
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
  /** Resolves once the aggregator reads these departments' ingest topics (it follows new ones on its next scan). */
  followed(departmentCodes: readonly string[]): Promise<void>;
  /** The subject's entries as the reviewer API shows them, once `accept` takes them. */
  entriesOf(code: string, accept: (entries: EntryView[]) => boolean): Promise<EntryView[]>;
  /** The subject's list changes on the topic, once the outbox is empty and `accept` takes them. */
  changesOf(code: string, accept: (changes: ListChange[]) => boolean): Promise<ListChange[]>;
  close(): Promise<void>;
}

const WAIT_MS = 20_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const harness: ListHarness = {
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
    followed: (departmentCodes) => followed(aggregator, departmentCodes),
    entriesOf: (code, accept) => entriesOf(lists, code, accept),
    changesOf: (code, accept) => changesOf(harness, code, accept),
    async close() {
      await lists.stop().catch(() => {});
      await pool.end();
      await aggregator.close();
    },
  };
  return harness;
}

async function followed(aggregator: AggregatorHarness, departmentCodes: readonly string[]): Promise<void> {
  const topics = departmentCodes.map((code) => `${aggregator.prefix}${code}`);
  const unfollowed = () => topics.filter((t) => !aggregator.aggregator.subscription.topics().includes(t));
  const deadline = Date.now() + WAIT_MS;
  while (unfollowed().length > 0) {
    if (Date.now() > deadline) throw new Error(`timed out; the aggregator does not follow ${unfollowed()}`);
    await pause(50);
  }
}

async function entriesOf(
  lists: ListDesignation,
  code: string,
  accept: (entries: EntryView[]) => boolean,
): Promise<EntryView[]> {
  const deadline = Date.now() + WAIT_MS;
  let entries: EntryView[] = [];
  while (Date.now() < deadline) {
    const response = await lists.app.inject({
      method: 'GET',
      url: `/v1/subjects/${code}/lists`,
      headers: { authorization: `Bearer ${TOKENS.reviewer}` },
    });
    entries = (response.json() as { entries: EntryView[] }).entries;
    if (accept(entries)) return entries;
    await pause(150);
  }
  throw new Error(`timed out; entries of ${code}: ${JSON.stringify(entries)}`);
}

async function changesOf(
  h: ListHarness,
  code: string,
  accept: (changes: ListChange[]) => boolean,
): Promise<ListChange[]> {
  const deadline = Date.now() + WAIT_MS;
  let mine: ListChange[] = [];
  while (Date.now() < deadline) {
    await h.lists.relay.drain();
    const all = await h.aggregator.pool.query<{ count: string }>(
      `select count(*) from ${LISTS_SCHEMA}.outbox`,
    );
    const published = await h.listChanges(0, 2000).catch(() => []);
    mine = published.filter((change) => change.subjectCode === code);
    if (all.rows[0]?.count === '0' && accept(mine)) return mine;
    await pause(200);
  }
  throw new Error(
    `timed out; list changes of ${code}: ${JSON.stringify(mine.map((c) => [c.listType, c.event, c.toState]))}`,
  );
}
