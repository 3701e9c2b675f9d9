import { randomBytes } from 'node:crypto';
import type { Department } from '@credit/catalogue';
import type { IncomingMessage, OutgoingMessage } from '@credit/kit';
import { demoRecord, demoSubjects } from '@credit/sample-data';
import { fuzzRuns, hostileString } from '@credit/testing/hostile-http';
import {
  collectDeadLetters,
  committedToEnd,
  type DeadLetterCollector,
  garbledHeaders,
  groupReading,
  type Hostile,
  hostilePlan,
  jsonNotObject,
  jsonObjectWithout,
  judgeRound,
  laidOut,
  mutatedJson,
  notJsonText,
  type PlanStep,
  randomBytes as randomValue,
  sendInOrder,
} from '@credit/testing/hostile-kafka';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LISTS_SCHEMA } from '../src/migrations.ts';
import { subjectOf } from '../src/subject-changes.ts';
import { type ListHarness, startListHarness } from './list-harness.ts';

/**
 * Whatever credit.subject-changes carries, list designation goes on: each message it cannot read is dead-lettered
 * with a specific code, every valid event re-evaluates its subject, and the group commits to the end.
 */

// The harness names its consumer group itself: the buses it makes note which group reads which topic.
const groups = vi.hoisted(() => new Map<string, string[]>());
vi.mock('@credit/testing', async (importOriginal) => {
  const { withGroupsNoted } = await import('@credit/testing/hostile-kafka');
  return withGroupsNoted(await importOriginal<typeof import('@credit/testing')>(), groups);
});

const SUBJECT_CHANGE = 'credit.subject-change/1';
/** The broker's default limit, which the platform's credit.subject-changes keeps (infra/topics.json sets none). */
const MAX_MESSAGE_BYTES = 2_097_152;
const OWN_CODES = new Set([
  'LIST_EVENT_EMPTY',
  'LIST_EVENT_NOT_JSON',
  'LIST_EVENT_SHAPE',
  'LIST_EVENT_SCHEMA',
  'LIST_EVENT_KEY',
  'LIST_EVALUATION_FAILED',
]);

let h: ListHarness;
let court: Department;
let topic: string;
let groupId: string;
let dead: DeadLetterCollector;
let run = 0;

beforeAll(async () => {
  h = await startListHarness();
  court = h.aggregator.catalogue.department('intermediate-court')!;
  await h.aggregator.ingestTopic(court.code);
  await h.followed([court.code]);
  // Only this test's events reach the topic: the aggregator stores the records, and the test announces them.
  await h.aggregator.aggregator.relay.stop();
  topic = h.aggregator.changesTopic;
  groupId = groupReading(groups, topic, 'lists-group');
  dead = await collectDeadLetters(h.aggregator.bus, h.deadLetterTopic);
}, 60_000);
afterAll(async () => {
  await dead?.stop();
  await h?.close();
});

/** A subject the court designates (a judgment debtor), its record stored by the aggregator, and its event. */
interface Designated {
  code: string;
  event: Record<string, unknown>;
}

async function designated(count: number): Promise<Designated[]> {
  const made = Array.from({ length: count }, () => {
    const subject = fresh();
    const value = demoRecord(
      'dishonest-judgment-debtor',
      court,
      h.aggregator.catalogue,
      subject,
      subject.id,
      2,
    );
    return { subject, value };
  });
  await h.aggregator.report(
    court,
    made.map(({ value }) => ({ kind: 'dishonest-judgment-debtor', value })),
  );
  await h.aggregator.waitFor(
    `select 1 from records where source_record_id = any('{${made.map((m) => m.subject.id).join(',')}}')`,
    (rows) => rows.length === count,
    30_000,
  );
  return made.map(({ subject }) => subject);
}

/** A subject no other message names, and the event announcing its record (stored or not). */
function fresh(): Designated & { name: string; id: string } {
  run += 1;
  const subject = demoSubjects(20_000 + run)[19_999 + run]!;
  const id = `hostile-${Date.now().toString(36)}-${run}`;
  return {
    ...subject,
    id,
    event: {
      schema: SUBJECT_CHANGE,
      eventId: `${subject.code}:${run}`,
      subjectCode: subject.code,
      subjectCreated: true,
      changes: [
        {
          change: 'created',
          department: court.code,
          sourceRecordId: id,
          kind: 'dishonest-judgment-debtor',
          severity: 'SERIOUS_DISHONESTY',
          version: 1,
        },
      ],
      at: new Date().toISOString(),
    },
  };
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

/**
 * What the service's reader makes of a message whose outcome the change does not fix: refused with its code, or
 * read, and then it either takes effect or its evaluation fails.
 */
function asRead(m: OutgoingMessage): Hostile['refused'] {
  const parsed = subjectOf({
    topic,
    partition: 0,
    offset: '0',
    key: m.key === null ? null : Buffer.from(m.key),
    value: m.value === null ? null : Buffer.from(m.value),
    headers: {},
    timestamp: Date.now(),
  } satisfies IncomingMessage);
  return parsed.ok ? { maybe: ['LIST_EVALUATION_FAILED'] } : [parsed.code];
}

/** One hostile message made from a valid event (never sent itself); data only, so fast-check can shrink it. */
type Recipe =
  | { op: 'null' }
  | { op: 'empty' }
  | { op: 'random-bytes'; bytes: Buffer }
  | { op: 'not-json'; text: string }
  | { op: 'not-object'; text: string }
  | { op: 'no-schema'; text: string }
  | { op: 'other-schema'; schema: string }
  | { op: 'truncated'; cut: number }
  | { op: 'bit-flips'; bits: number[] }
  | { op: 'mutated'; text: string }
  | { op: 'other-key'; key: string | null }
  | { op: 'subject-code'; code: string }
  | { op: 'huge'; size: 'large' | 'at-limit'; shape: 'text' | 'event' }
  | { op: 'headers'; headers: Record<string, Buffer> };

function make(recipe: Recipe, base: Designated): Hostile {
  const label = JSON.stringify(recipe, (_, v) => (v?.type === 'Buffer' ? `${v.data.length} bytes` : v)).slice(
    0,
    160,
  );
  const valid = JSON.stringify(base.event);
  const of = (m: OutgoingMessage, refused: Hostile['refused']): Hostile => ({ label, message: m, refused });
  switch (recipe.op) {
    case 'null':
      return of(message(base.code, null), ['LIST_EVENT_EMPTY']);
    case 'empty':
      return of(message(base.code, Buffer.alloc(0)), ['LIST_EVENT_NOT_JSON']);
    case 'random-bytes': {
      const m = message(base.code, recipe.bytes);
      return of(m, asRead(m));
    }
    case 'not-json':
      return of(message(base.code, recipe.text), ['LIST_EVENT_NOT_JSON']);
    case 'not-object':
      return of(message(base.code, recipe.text), [
        Array.isArray(JSON.parse(recipe.text)) ? 'LIST_EVENT_SCHEMA' : 'LIST_EVENT_SHAPE',
      ]);
    case 'no-schema':
      return of(message(base.code, recipe.text), ['LIST_EVENT_SCHEMA']);
    case 'other-schema':
      return of(message(base.code, JSON.stringify({ ...base.event, schema: recipe.schema })), [
        'LIST_EVENT_SCHEMA',
      ]);
    case 'truncated': {
      const cut = Buffer.from(valid).subarray(0, recipe.cut % valid.length);
      return of(message(base.code, cut), ['LIST_EVENT_NOT_JSON']);
    }
    case 'bit-flips': {
      const flipped = Buffer.from(valid);
      for (const bit of recipe.bits) flipped[(bit >> 3) % flipped.length]! ^= 1 << (bit & 7);
      const m = message(base.code, flipped);
      return of(m, asRead(m));
    }
    case 'mutated': {
      // Unkeyed, as a careless producer sends it: the key cannot contradict the event.
      const m = message(null, recipe.text);
      return of(m, asRead(m));
    }
    case 'other-key':
      return of(message(recipe.key, valid), recipe.key === null ? { maybe: [] } : ['LIST_EVENT_KEY']);
    case 'subject-code': {
      const m = message(recipe.code, JSON.stringify({ ...base.event, subjectCode: recipe.code }));
      return of(m, asRead(m));
    }
    case 'huge': {
      const size = recipe.size === 'large' ? 300_000 : MAX_MESSAGE_BYTES - 256;
      if (recipe.shape === 'text')
        return of(message(base.code, Buffer.alloc(size, 'x')), ['LIST_EVENT_NOT_JSON']);
      // A valid event padded with a field no reader knows: still valid.
      const padded = JSON.stringify({ ...base.event, padding: 'x'.repeat(size - valid.length - 20) });
      return of(message(base.code, padded), { maybe: ['LIST_EVALUATION_FAILED'] });
    }
    case 'headers':
      return of(message(base.code, valid, recipe.headers), { maybe: ['LIST_EVALUATION_FAILED'] });
  }
}

/** A template event of the right shape for recipes that need one before the round has its subjects. */
const SAMPLE: Record<string, unknown> = {
  schema: SUBJECT_CHANGE,
  eventId: '91350100M000100Y43:1',
  subjectCode: '91350100M000100Y43',
  subjectCreated: false,
  changes: [{ change: 'erased', department: 'tax', sourceRecordId: 'T-1', version: 3 }],
  at: '2026-11-30T02:00:00.000Z',
};

const bits = fc.uniqueArray(fc.nat({ max: 1 << 16 }), { minLength: 1, maxLength: 8 });
const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.constant({ op: 'null' as const }),
  fc.constant({ op: 'empty' as const }),
  fc.record({ op: fc.constant('random-bytes'), bytes: randomValue(512) }),
  fc.record({ op: fc.constant('not-json'), text: notJsonText }),
  fc.record({ op: fc.constant('not-object'), text: jsonNotObject }),
  fc.record({ op: fc.constant('no-schema'), text: jsonObjectWithout('schema') }),
  fc.record({
    op: fc.constant('other-schema'),
    schema: fc.oneof(
      fc.constantFrom('credit.list-change/1', 'credit.subject-change', '', 'CREDIT.SUBJECT-CHANGE/1'),
      fc.string({ maxLength: 30 }).filter((s) => !s.startsWith('credit.subject-change/')),
    ),
  }),
  fc.record({ op: fc.constant('truncated'), cut: fc.nat() }),
  fc.record({ op: fc.constant('bit-flips'), bits }),
  fc.record({ op: fc.constant('mutated'), text: mutatedJson(SAMPLE) }),
  fc.record({
    op: fc.constant('other-key'),
    key: fc.oneof(
      fc.constant(null),
      fc.constant('91350100M000100Y43'),
      fc.string({ minLength: 1, maxLength: 30 }),
    ),
  }),
  fc.record({ op: fc.constant('subject-code'), code: hostileString.filter((s) => s.length > 0) }),
  fc.record({
    op: fc.constant('huge'),
    size: fc.constantFrom('large', 'at-limit'),
    shape: fc.constantFrom('text', 'event'),
  }),
  fc.record({ op: fc.constant('headers'), headers: garbledHeaders }),
);

const PARTITIONS = 3;
const plan = hostilePlan(recipe, PARTITIONS, 24);

async function round(steps: PlanStep<Recipe>[]): Promise<void> {
  // The valid events and the markers name subjects whose records the aggregator holds; the hostile ones, others.
  const subjects = await designated(steps.filter((s) => s.step.kind === 'valid').length + PARTITIONS);
  let next = 0;
  const sent = laidOut(steps, PARTITIONS, {
    hostile: (recipe) => make(recipe, fresh()),
    valid: () => {
      const subject = subjects[next++]!;
      return message(subject.code, JSON.stringify(subject.event));
    },
  });

  const deliveries = await sendInOrder(
    h.aggregator.producer,
    topic,
    sent.map((s) => s.message),
  );
  const expected = subjects.map((s) => s.code);
  await h.aggregator.waitFor(
    `select distinct subject_code from ${LISTS_SCHEMA}.entries where subject_code = any('{${expected.join(',')}}')`,
    (rows) => rows.length === expected.length,
    45_000,
  );
  await committedToEnd(h.aggregator.bus, groupId, topic, 30_000);
  expect(await judgeRound(sent, deliveries, dead, topic, (code) => OWN_CODES.has(code))).toEqual([]);
}

describe('list designation under hostile subject changes', () => {
  it('dead-letters every message it cannot read with its code, evaluates every valid one and commits to the end', async () => {
    await fc.assert(fc.asyncProperty(plan, round), {
      numRuns: fuzzRuns(5),
      endOnFailure: true,
      examples: [
        [
          [
            {
              step: { kind: 'hostile', recipe: { op: 'huge', size: 'at-limit', shape: 'text' } },
              partition: 0,
            },
            { step: { kind: 'valid' }, partition: 0 },
            { step: { kind: 'hostile', recipe: { op: 'subject-code', code: 'a\u0000b' } }, partition: 1 },
            {
              step: { kind: 'hostile', recipe: { op: 'random-bytes', bytes: randomBytes(64) } },
              partition: 2,
            },
          ],
        ],
      ],
    });
  }, 240_000);
});
