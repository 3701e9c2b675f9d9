import type { OutgoingMessage } from '@credit/kit';
import type { ListChange } from '@credit/list-designation/list-change';
import { fuzzRuns, hostileString } from '@credit/testing/hostile-http';
import {
  collectDeadLetters,
  committedToEnd,
  type DeadLetterCollector,
  eventually,
  groupReading,
  type Hostile,
  hostilePlan,
  type JsonRecipe,
  jsonHostile,
  jsonRecipes,
  judgeRound,
  labelOf,
  laidOut,
  type PlanStep,
  type Sent,
  sendInOrder,
} from '@credit/testing/hostile-kafka';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseFeedback, SANCTION_FEEDBACK_SCHEMA } from '../src/feedback-consumer.ts';
import { parseListChange } from '../src/list-change-event.ts';
import { entry, listChange, type SanctionsHarness, startSanctionsHarness } from './sanctions-harness.ts';

/**
 * Whatever credit.list-changes and a department's credit.sanction-feedback.<dept> carry, the sanctions service goes
 * on: each message it cannot take is dead-lettered with a specific code, every valid one takes effect, and both
 * groups commit to the end.
 */

// The harness names its consumer groups itself: the buses it makes note which group reads which topic.
const groups = vi.hoisted(() => new Map<string, string[]>());
vi.mock('@credit/testing', async (importOriginal) => {
  const { withGroupsNoted } = await import('@credit/testing/hostile-kafka');
  return withGroupsNoted(await importOriginal<typeof import('@credit/testing')>(), groups);
});

/** The broker's default limit, which the platform's list-changes and feedback topics keep (infra sets none). */
const MAX_MESSAGE_BYTES = 2_097_152;
const LIST_PARTITIONS = 3;
const DEPARTMENT = 'finance';
const OWN_CODES = new Set([
  'SANCTIONS_EVENT_EMPTY',
  'SANCTIONS_EVENT_NOT_JSON',
  'SANCTIONS_EVENT_SHAPE',
  'SANCTIONS_EVENT_SCHEMA',
  'SANCTIONS_EVENT_KEY',
  'SANCTIONS_APPLY_FAILED',
  'SANCTIONS_FEEDBACK_EMPTY',
  'SANCTIONS_FEEDBACK_NOT_JSON',
  'SANCTIONS_FEEDBACK_SHAPE',
  'SANCTIONS_FEEDBACK_SCHEMA',
  'SANCTIONS_FEEDBACK_TOPIC',
  'SANCTIONS_FEEDBACK_KEY',
  'SANCTIONS_FEEDBACK_DATA',
  'SANCTIONS_ORDER_NOT_FOUND',
  'SANCTIONS_ORDER_STATE',
  'SANCTIONS_INVALID_FEEDBACK_DATE',
]);
/** What a read feedback may still be refused with by the order it names (or by its date, outside the order's). */
const RESPONSE_CODES = [
  'SANCTIONS_ORDER_NOT_FOUND',
  'SANCTIONS_ORDER_STATE',
  'SANCTIONS_FEEDBACK_DATA',
  'SANCTIONS_INVALID_FEEDBACK_DATE',
];

let h: SanctionsHarness;
let dead: DeadLetterCollector;
let run = 0;

beforeAll(async () => {
  h = await startSanctionsHarness();
  dead = await collectDeadLetters(h.bus, h.topics.deadLetters);
}, 60_000);
afterAll(async () => {
  await dead?.stop();
  await h?.close();
});

const ACTOR = { id: 'intermediate-court', role: 'designator' };

/** An entry of its own, designated (seq 1), or walked into force (seq 1–3), as the list service emits it. */
function entryEvents(steps: 1 | 3): { subjectCode: string; entryId: string; events: ListChange[] } {
  run += 1;
  const subjectCode = `91350100HOST${String(run).padStart(6, '0')}`;
  const entryId = `hostile-${Date.now().toString(36)}-${run}`;
  const walk: [string, string][] = [
    ['designate', 'proposed'],
    ['confirm', 'confirmed'],
    ['publish', 'published'],
  ];
  let from: string | null = null;
  const events = walk.slice(0, steps).map(([event, to], i) => {
    const today = new Date().toISOString().slice(0, 10);
    const row = { ...entry(subjectCode, 'procurement-misconduct', 'black', entryId, today), state: to };
    const change = listChange(row as never, i + 1, {
      event: event as never,
      from: from as never,
      actor: ACTOR,
      reason: event,
      at: new Date(),
    });
    from = to;
    return change;
  });
  return { subjectCode, entryId, events };
}

const message = (
  key: string | null,
  value: string | Buffer | null,
  headers?: OutgoingMessage['headers'],
) => ({
  key,
  value: typeof value === 'string' ? Buffer.from(value) : value,
  ...(headers ? { headers } : {}),
});

const incoming = (topic: string, m: OutgoingMessage) => ({
  topic,
  partition: 0,
  offset: '0',
  key: m.key === null ? null : Buffer.from(m.key),
  value: m.value === null ? null : Buffer.from(m.value),
  headers: {},
  timestamp: Date.now(),
});

/** Polls `read` until `accept` takes its value, 45 s at most. */
const until = <T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string) =>
  eventually(read, accept, { what, timeoutMs: 45_000 });

describe('the sanctions service under hostile list changes', () => {
  const SAMPLE = entryEvents(1).events[0] as unknown as Record<string, unknown>;
  type ListRecipe =
    | JsonRecipe
    | {
        op: 'field';
        field: 'validFrom' | 'validUntil' | 'at' | 'listType' | 'toState' | 'reason';
        value: string;
      }
    | { op: 'seq'; seq: string }
    | { op: 'basis'; basis: unknown };
  const recipe: fc.Arbitrary<ListRecipe> = fc.oneof(
    { weight: 4, arbitrary: jsonRecipes(SAMPLE, 'credit.list-change/1') },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('field' as const),
        field: fc.constantFrom('validFrom', 'validUntil', 'at', 'listType', 'toState', 'reason'),
        value: hostileString,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('seq' as const),
        seq: fc.constantFrom('0', '-1', '1.5', '99999999999999999999', '1e3', ' 2', '0x10'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('basis' as const), basis: fc.jsonValue({ maxDepth: 3 }) }),
    },
  );
  const codes = { empty: 'SANCTIONS_EVENT_EMPTY', notJson: 'SANCTIONS_EVENT_NOT_JSON' };
  const read = (m: OutgoingMessage): Hostile['refused'] => {
    const parsed = parseListChange(
      m.value === null ? null : Buffer.from(m.value),
      m.key === null ? undefined : String(m.key),
    );
    return parsed.ok ? { maybe: ['SANCTIONS_APPLY_FAILED'] } : [parsed.code];
  };

  function make(recipe: ListRecipe): Hostile {
    const { subjectCode, events } = entryEvents(1);
    const valid = events[0] as unknown as Record<string, unknown>;
    if (recipe.op === 'field' || recipe.op === 'seq' || recipe.op === 'basis') {
      const changed =
        recipe.op === 'field'
          ? { ...valid, [recipe.field]: recipe.value }
          : recipe.op === 'seq'
            ? { ...valid, eventId: `${valid.entryId}:${recipe.seq}` }
            : { ...valid, basis: recipe.basis };
      const m = message(subjectCode, JSON.stringify(changed));
      return { label: labelOf(recipe), message: m, refused: read(m) };
    }
    return jsonHostile(recipe, { valid, key: subjectCode, read, codes, maxMessageBytes: MAX_MESSAGE_BYTES });
  }

  it('dead-letters every list change it cannot apply with its code, applies every valid one, commits to the end', async () => {
    const topic = h.topics.listChanges;
    const groupId = groupReading(groups, topic, 'sanctions-group');
    await fc.assert(
      fc.asyncProperty(hostilePlan(recipe, LIST_PARTITIONS), async (steps: PlanStep<ListRecipe>[]) => {
        const expected: string[] = [];
        const sent = laidOut(steps, LIST_PARTITIONS, {
          hostile: make,
          valid: () => {
            const { subjectCode, entryId, events } = entryEvents(1);
            expected.push(entryId);
            return message(subjectCode, JSON.stringify(events[0]));
          },
        });

        const deliveries = await sendInOrder(
          h.producer,
          topic,
          sent.map((s) => s.message),
        );
        await until(
          async () =>
            (await h.pool.query('select entry_id from list_entries where entry_id = any($1)', [expected]))
              .rows,
          (rows) => rows.length === expected.length,
          'every valid list change applied',
        );
        await committedToEnd(h.bus, groupId, topic, 30_000);
        expect(await judgeRound(sent, deliveries, dead, topic, (code) => OWN_CODES.has(code))).toEqual([]);
      }),
      {
        numRuns: fuzzRuns(6),
        endOnFailure: true,
        examples: [
          [
            [
              {
                step: { kind: 'hostile', recipe: { op: 'huge', size: 'at-limit', shape: 'text' } },
                partition: 0,
              },
              {
                step: { kind: 'hostile', recipe: { op: 'field', field: 'reason', value: 'a\u0000b' } },
                partition: 1,
              },
              { step: { kind: 'hostile', recipe: { op: 'seq', seq: '99999999999999999999' } }, partition: 2 },
              { step: { kind: 'valid' }, partition: 2 },
            ],
          ],
        ],
      },
    );
  }, 180_000);
});

describe('the sanctions service under hostile feedback', () => {
  interface Order {
    id: string;
    department: string;
  }
  const feedback = (order: Order, action = 'acknowledge') => ({
    schema: SANCTION_FEEDBACK_SCHEMA,
    orderId: order.id,
    department: order.department,
    action,
    note: '已接收',
  });
  const SAMPLE = feedback({ id: 'order-0', department: DEPARTMENT });
  type FeedbackRecipe =
    | JsonRecipe
    | { op: 'department'; department: string }
    | { op: 'order'; orderId: string }
    | { op: 'feedback'; body: unknown; action: string };
  const recipe: fc.Arbitrary<FeedbackRecipe> = fc.oneof(
    { weight: 4, arbitrary: jsonRecipes(SAMPLE, SANCTION_FEEDBACK_SCHEMA) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('department' as const),
        department: fc.oneof(fc.constantFrom('market-regulation', 'tax', '', 'FINANCE'), hostileString),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('order' as const), orderId: hostileString }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('feedback' as const),
        action: fc.constantFrom('feedback', 'acknowledge', 'withdraw', ''),
        body: fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.record({
            measureApplied: fc.oneof(fc.boolean(), fc.jsonValue()),
            matter: hostileString,
            outcome: hostileString,
            date: fc.constantFrom('2026-11-25', '2026-02-30', '0000-00-00', '9999-99-99', '2026-1-1', ''),
          }),
        ),
      }),
    },
  );
  const codes = { empty: 'SANCTIONS_FEEDBACK_EMPTY', notJson: 'SANCTIONS_FEEDBACK_NOT_JSON' };

  /** Orders of DEPARTMENT, issued for entries of their own and not answered yet. */
  async function openOrders(count: number): Promise<Order[]> {
    const walks = Array.from({ length: count }, () => entryEvents(3));
    await h.publish(walks.flatMap((w) => w.events));
    const entries = walks.map((w) => w.entryId);
    const rows = await until(
      async () =>
        (
          await h.pool.query<Order & { entry_id: string }>(
            'select id, department, entry_id from orders where entry_id = any($1) and department = $2',
            [entries, DEPARTMENT],
          )
        ).rows,
      (found) => new Set(found.map((o) => o.entry_id)).size === count,
      'orders issued',
    );
    return entries.map((id) => rows.find((o) => o.entry_id === id)!);
  }

  it('dead-letters every response it cannot take with its code, records every valid one, commits to the end', async () => {
    const topic = h.topics.feedback(DEPARTMENT);
    const groupId = groupReading(groups, topic, 'sanctions-group');
    await fc.assert(
      fc.asyncProperty(hostilePlan(recipe, 1), async (steps: PlanStep<FeedbackRecipe>[]) => {
        // The first order is the one hostile messages name; each valid message and the marker answer one of the rest.
        const orders = await openOrders(steps.filter((s) => s.step.kind === 'valid').length + 2);
        const read = (m: OutgoingMessage): Hostile['refused'] => {
          const parsed = parseFeedback(incoming(topic, m), h.topics.feedback(''));
          return parsed.ok ? { maybe: RESPONSE_CODES } : [parsed.code];
        };
        const sent: Sent[] = [];
        let next = 1;
        const valid = () => {
          const order = orders[next++]!;
          sent.push({ message: message(DEPARTMENT, JSON.stringify(feedback(order))) });
        };
        for (const { step } of steps) {
          if (step.kind === 'valid') {
            valid();
            continue;
          }
          const r = step.recipe;
          // An order that exists and is DEPARTMENT's, unless the recipe says otherwise.
          const own = feedback({ id: orders[0]!.id, department: DEPARTMENT });
          const hostile: Hostile =
            r.op === 'department' || r.op === 'order' || r.op === 'feedback'
              ? (() => {
                  const body =
                    r.op === 'department'
                      ? { ...own, department: r.department }
                      : r.op === 'order'
                        ? { ...own, orderId: r.orderId }
                        : { ...own, action: r.action, feedback: r.body };
                  const m = message(DEPARTMENT, JSON.stringify(body));
                  return { label: labelOf(r), message: m, refused: read(m) };
                })()
              : jsonHostile(r, {
                  valid: own,
                  key: DEPARTMENT,
                  read,
                  codes,
                  maxMessageBytes: MAX_MESSAGE_BYTES,
                });
          sent.push({ hostile, message: hostile.message });
        }
        valid();

        const deliveries = await sendInOrder(
          h.producer,
          topic,
          sent.map((s) => s.message),
        );
        // The first order may have been answered by a hostile message that was valid after all; the others only
        // by the valid ones.
        const answered = orders.slice(1).map((o) => o.id);
        await until(
          async () =>
            (
              await h.pool.query("select id from orders where id = any($1) and status = 'acknowledged'", [
                answered,
              ])
            ).rows,
          (rows) => rows.length === answered.length,
          'every valid acknowledgement recorded',
        );
        await committedToEnd(h.bus, groupId, topic, 30_000);
        expect(await judgeRound(sent, deliveries, dead, topic, (code) => OWN_CODES.has(code))).toEqual([]);
      }),
      {
        numRuns: fuzzRuns(6),
        endOnFailure: true,
        examples: [
          [
            [
              {
                step: { kind: 'hostile', recipe: { op: 'huge', size: 'at-limit', shape: 'text' } },
                partition: 0,
              },
              { step: { kind: 'hostile', recipe: { op: 'order', orderId: 'a\u0000b' } }, partition: 0 },
              {
                step: {
                  kind: 'hostile',
                  recipe: {
                    op: 'feedback',
                    action: 'feedback',
                    body: { measureApplied: false, matter: 'm', outcome: 'o', date: '9999-99-99' },
                  },
                },
                partition: 0,
              },
              { step: { kind: 'valid' }, partition: 0 },
            ],
          ],
        ],
      },
    );
  }, 180_000);
});
