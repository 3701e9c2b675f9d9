import { loadCatalogue } from '@credit/catalogue';
import type { OutgoingMessage } from '@credit/kit';
import { loadListTypes } from '@credit/list-types';
import { loadRegistry } from '@credit/schemas';
import { testBus } from '@credit/testing';
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
  noteConsumerGroups,
  type PlanStep,
  sendInOrder,
} from '@credit/testing/hostile-kafka';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disclosedBy, type FeedPolicy, parseChange } from '../src/change-feed.ts';
import { QUERY_SCHEMA } from '../src/migrations.ts';
import { createPresentation } from '../src/presentation.ts';
import { type QueryHarness, startQueryHarness } from './harness.ts';

/**
 * Whatever credit.subject-changes and credit.list-changes carry, the query API's change feed goes on: each message it
 * cannot read is dead-lettered with a specific code, every valid change reaches the feed, and the group commits both
 * topics to the end.
 */

/** The broker's default limit, which the platform's change topics keep (infra/topics.json sets none). */
const MAX_MESSAGE_BYTES = 2_097_152;
const PARTITIONS = 3;
const OWN_CODES = new Set([
  'QUERY_FEED_EMPTY',
  'QUERY_FEED_NOT_JSON',
  'QUERY_FEED_SHAPE',
  'QUERY_FEED_SCHEMA',
  'QUERY_FEED_DATA',
]);
const CODES = { empty: 'QUERY_FEED_EMPTY', notJson: 'QUERY_FEED_NOT_JSON' };
const SUBJECT = '91350100M000100Y43';

const groups = new Map<string, string[]>();
let h: QueryHarness;
let dead: DeadLetterCollector;
let policy: FeedPolicy;
let run = 0;

beforeAll(async () => {
  h = await startQueryHarness({ bus: noteConsumerGroups(testBus('query-api-hostile'), groups) });
  // The harness's sanctions service reads the list changes too, into the same dead-letter topic.
  dead = await collectDeadLetters(h.bus, h.topics.deadLetters, { service: 'query-api' });
  const catalogue = loadCatalogue();
  policy = {
    disclosed: disclosedBy(catalogue),
    names: createPresentation(catalogue, loadListTypes(undefined, { catalogue }), loadRegistry()),
  };
}, 60_000);
afterAll(async () => {
  await dead?.stop();
  await h?.close();
});

/** A change the feed shows: a public record created, or a list entry published. */
function valid(source: 'records' | 'lists'): { event: Record<string, unknown>; feedId: string } {
  run += 1;
  const id = `hostile-${Date.now().toString(36)}-${run}`;
  const at = new Date().toISOString();
  if (source === 'records') {
    const eventId = `${SUBJECT}:${id}`;
    return {
      feedId: eventId,
      event: {
        schema: 'credit.subject-change/1',
        eventId,
        subjectCode: SUBJECT,
        subjectCreated: false,
        changes: [
          {
            change: 'created',
            department: 'market-regulation',
            sourceRecordId: id,
            kind: 'administrative-penalty',
            severity: 'GENERAL_DISHONESTY',
            version: 1,
          },
        ],
        at,
      },
    };
  }
  const eventId = `${id}:3`;
  return {
    feedId: `list:${eventId}`,
    event: {
      schema: 'credit.list-change/1',
      eventId,
      subjectCode: SUBJECT,
      subjectCategory: 'LEGAL_ENTITY',
      entryId: id,
      listType: 'joint-sanction',
      colour: 'black',
      event: 'publish',
      fromState: 'confirmed',
      toState: 'published',
      at,
    },
  };
}

const message = (key: string | null, value: string): OutgoingMessage => ({ key, value: Buffer.from(value) });

/** Changes only a feed has: an erasure, whose subject or entry names rows to take out. */
type FeedRecipe =
  | JsonRecipe
  | { op: 'erased-subject'; subjectCode: string }
  | { op: 'erased-entry'; entryId: string }
  | { op: 'at'; at: string }
  | { op: 'field'; field: 'eventId' | 'subjectCode' | 'listType' | 'toState' | 'kind'; value: string };

function recipes(source: 'records' | 'lists'): fc.Arbitrary<FeedRecipe> {
  const sample = valid(source).event;
  const field =
    source === 'records'
      ? fc.constantFrom('eventId' as const, 'subjectCode' as const, 'kind' as const)
      : fc.constantFrom('eventId' as const, 'subjectCode' as const, 'listType' as const, 'toState' as const);
  return fc.oneof(
    { weight: 4, arbitrary: jsonRecipes(sample, String(sample.schema)) },
    {
      weight: 1,
      arbitrary:
        source === 'records'
          ? fc.record({ op: fc.constant('erased-subject' as const), subjectCode: hostileString })
          : fc.record({ op: fc.constant('erased-entry' as const), entryId: hostileString }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('at' as const),
        at: fc.oneof(
          fc.constantFrom('1', '2026', '+275760-09-13T00:00:00.000Z', 'Tue, 01 Jan 10000 00:00:00 GMT', '0'),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          hostileString,
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('field' as const), field, value: hostileString }) },
  );
}

function make(recipe: FeedRecipe, source: 'records' | 'lists', topic: string): Hostile {
  const { event } = valid(source);
  const read = (m: OutgoingMessage): Hostile['refused'] => {
    const parsed = parseChange(
      {
        topic,
        partition: 0,
        offset: '0',
        key: m.key === null ? null : Buffer.from(m.key),
        value: m.value === null ? null : Buffer.from(m.value),
        headers: {},
        timestamp: Date.now(),
      },
      policy,
    );
    return parsed.ok ? { maybe: ['QUERY_FEED_DATA'] } : [parsed.code];
  };
  const changed = (fields: Record<string, unknown>): Hostile => {
    const m = message(SUBJECT, JSON.stringify({ ...event, ...fields }));
    return { label: labelOf(recipe), message: m, refused: read(m) };
  };
  switch (recipe.op) {
    case 'erased-subject':
      return changed({
        subjectCode: recipe.subjectCode,
        eventId: `${recipe.subjectCode}:7`,
        changes: [{ change: 'erased', department: 'intermediate-court', sourceRecordId: 'C-1', version: 1 }],
      });
    case 'erased-entry':
      return changed({ entryId: recipe.entryId, toState: 'exited', exitReason: 'erased', event: 'erase' });
    case 'at':
      return changed({ at: recipe.at });
    case 'field':
      if (recipe.field === 'kind')
        return changed({ changes: [{ ...(event.changes as object[])[0], kind: recipe.value }] });
      return changed({ [recipe.field]: recipe.value });
    default:
      return jsonHostile(recipe, {
        valid: event,
        key: SUBJECT,
        read,
        codes: CODES,
        maxMessageBytes: MAX_MESSAGE_BYTES,
      });
  }
}

const planOf = (source: 'records' | 'lists') => hostilePlan(recipes(source), PARTITIONS);

async function round(source: 'records' | 'lists', steps: PlanStep<FeedRecipe>[]): Promise<void> {
  const topic = source === 'records' ? h.topics.subjectChanges : h.topics.listChanges;
  const expected: string[] = [];
  const sent = laidOut(steps, PARTITIONS, {
    hostile: (recipe) => make(recipe, source, topic),
    valid: () => {
      const { event, feedId } = valid(source);
      expected.push(feedId);
      return message(SUBJECT, JSON.stringify(event));
    },
  });

  const deliveries = await sendInOrder(
    h.producer,
    topic,
    sent.map((s) => s.message),
  );
  await eventually(
    async () =>
      (
        await h.pool.query(`select event_id from ${QUERY_SCHEMA}.changes where event_id = any($1)`, [
          expected,
        ])
      ).rows,
    (rows) => rows.length === expected.length,
    { what: 'every valid change in the feed', timeoutMs: 45_000 },
  );
  await committedToEnd(h.bus, groupReading(groups, topic, 'query-feed'), topic, 30_000);
  expect(await judgeRound(sent, deliveries, dead, topic, (code) => OWN_CODES.has(code))).toEqual([]);
}

describe('the change feed under hostile messages', () => {
  it('dead-letters every subject change it cannot read with its code, follows every valid one, commits to the end', async () => {
    await fc.assert(
      fc.asyncProperty(planOf('records'), (steps) => round('records', steps)),
      {
        numRuns: fuzzRuns(6),
        endOnFailure: true,
        examples: [
          [
            [
              // An erasure whose subject code is text PostgreSQL cannot hold.
              {
                step: { kind: 'hostile', recipe: { op: 'erased-subject', subjectCode: 'a\u0000b' } },
                partition: 0,
              },
              { step: { kind: 'hostile', recipe: { op: 'at', at: '1' } }, partition: 1 },
              {
                step: { kind: 'hostile', recipe: { op: 'huge', size: 'at-limit', shape: 'text' } },
                partition: 2,
              },
              { step: { kind: 'valid' }, partition: 0 },
            ],
          ],
        ],
      },
    );
  }, 180_000);

  it('dead-letters every list change it cannot read with its code, follows every valid one, commits to the end', async () => {
    await fc.assert(
      fc.asyncProperty(planOf('lists'), (steps) => round('lists', steps)),
      {
        numRuns: fuzzRuns(6),
        endOnFailure: true,
        examples: [
          [
            [
              {
                step: { kind: 'hostile', recipe: { op: 'erased-entry', entryId: 'a\u0000b' } },
                partition: 0,
              },
              {
                step: { kind: 'hostile', recipe: { op: 'field', field: 'eventId', value: 'x\u0000' } },
                partition: 1,
              },
              { step: { kind: 'valid' }, partition: 2 },
            ],
          ],
        ],
      },
    );
  }, 180_000);
});
