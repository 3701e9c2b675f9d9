import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { makeResidentId } from '@credit/identifiers';
import { DEAD_LETTER_HEADERS, deadLetter, type OutgoingMessage } from '@credit/kit';
import { declareHostileInput } from '@credit/testing';
import { fuzzRuns, hostileString } from '@credit/testing/hostile-http';
import {
  committedToEnd,
  eventually,
  garbledHeaders,
  garbledHeaderValue,
  groupReading,
  labelOf,
  randomBytes,
  sendInOrder,
} from '@credit/testing/hostile-kafka';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MonitorHarness, OPERATOR_TOKEN, startMonitorHarness } from './monitor-harness.ts';

/**
 * Whatever the dead-letter topic carries (it is written by every service, and by anyone who can write to it), the
 * ops monitor's follower goes on: every message becomes one row of ops.dead_letters at its position, with the reason
 * code it states or UNKNOWN, nothing in clear; the operators' views still answer; and the group commits to the end.
 */

// The harness names its consumer group itself: the buses it makes note which group reads which topic.
const groups = vi.hoisted(() => new Map<string, string[]>());
vi.mock('@credit/testing', async (importOriginal) => {
  const { withGroupsNoted } = await import('@credit/testing/hostile-kafka');
  return withGroupsNoted(await importOriginal<typeof import('@credit/testing')>(), groups);
});

/** The broker's default limit, which the platform's credit.dlq keeps (infra/topics.json sets none). */
const MAX_MESSAGE_BYTES = 2_097_152;
const PERSON = makeResidentId({ division: '350102', birthDate: '1979-08-21', sequence: 314 });

let h: MonitorHarness;
let groupId: string;
let run = 0;

beforeAll(async () => {
  h = await startMonitorHarness('hostile');
  declareHostileInput(h.deadLetterTopic, 'dead letters not written by deadLetter, numbers in clear');
  await h.monitor.start();
  groupId = groupReading(groups, h.deadLetterTopic, 'ops-dlq-group');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** A dead letter as the kit writes it, of a message of market regulation's ingest topic. */
function valid(code = 'SCHEMA_NOT_SINGLE_OBJECT'): OutgoingMessage {
  run += 1;
  return deadLetter(
    {
      topic: 'credit.ingest.market-regulation',
      partition: run % 6,
      offset: String(run),
      key: Buffer.from(`mr-${run}`),
      value: Buffer.from(`not avro ${run}`),
      headers: { 'content-type': Buffer.from('application/json') },
      timestamp: Date.now(),
    },
    { code, message: `refused for test ${run}` },
    'aggregator',
  );
}

/** How one hostile message is made; data only, so fast-check can show and shrink it. */
type Recipe =
  | { op: 'raw'; key: Buffer | null; value: Buffer | null }
  | { op: 'dlq-header'; name: string; value: Buffer }
  | { op: 'dlq-header-text'; name: string; text: string }
  | { op: 'no-dlq-headers' }
  | { op: 'extra-headers'; headers: Record<string, Buffer> }
  | { op: 'avro-like'; body: Buffer }
  | { op: 'huge'; fill: 'text' | 'random' }
  | { op: 'in-clear'; where: 'key' | 'value' | 'header' | 'reason' }
  | { op: 'timestamp'; at: 'epoch' | 'old' | 'soon' };

const DLQ_NAMES = Object.values(DEAD_LETTER_HEADERS);
const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc.record({
    op: fc.constant('raw' as const),
    key: fc.option(randomBytes(64), { nil: null }),
    value: fc.option(randomBytes(512), { nil: null }),
  }),
  fc.record({
    op: fc.constant('dlq-header' as const),
    name: fc.constantFrom(...DLQ_NAMES),
    value: garbledHeaderValue,
  }),
  fc.record({
    op: fc.constant('dlq-header-text' as const),
    name: fc.constantFrom(...DLQ_NAMES),
    text: hostileString,
  }),
  fc.constant({ op: 'no-dlq-headers' as const }),
  fc.record({ op: fc.constant('extra-headers' as const), headers: garbledHeaders }),
  fc.record({
    op: fc.constant('avro-like' as const),
    body: randomBytes(256).map((bytes) => Buffer.concat([Buffer.from([0xc3, 0x01]), bytes])),
  }),
  fc.record({ op: fc.constant('huge' as const), fill: fc.constantFrom('text' as const, 'random' as const) }),
  fc.record({
    op: fc.constant('in-clear' as const),
    where: fc.constantFrom('key', 'value', 'header', 'reason'),
  }),
  fc.record({ op: fc.constant('timestamp' as const), at: fc.constantFrom('epoch', 'old', 'soon') }),
);

function make(r: Recipe): OutgoingMessage {
  const base = valid();
  const headers = { ...(base.headers as Record<string, string | Buffer>) };
  switch (r.op) {
    case 'raw':
      return { key: r.key, value: r.value };
    case 'dlq-header':
      return { ...base, headers: { ...headers, [r.name]: r.value } };
    case 'dlq-header-text':
      return { ...base, headers: { ...headers, [r.name]: r.text } };
    case 'no-dlq-headers':
      for (const name of DLQ_NAMES) delete headers[name];
      return { ...base, headers };
    case 'extra-headers':
      return { ...base, headers: { ...r.headers, ...headers } };
    case 'avro-like':
      return { ...base, value: r.body };
    case 'huge': {
      // Under the limit by the key, the headers and the record's own bytes: what the broker still takes.
      const size = MAX_MESSAGE_BYTES - 1024;
      return { ...base, value: r.fill === 'text' ? Buffer.alloc(size, 'x') : cryptoRandomBytes(size) };
    }
    case 'in-clear':
      if (r.where === 'key') return { ...base, key: `mr-${PERSON}` };
      if (r.where === 'value') return { ...base, value: Buffer.from(`{"subject":"${PERSON}"}`) };
      if (r.where === 'header') return { ...base, headers: { ...headers, 'source-record-id': PERSON } };
      return { ...base, headers: { ...headers, [DEAD_LETTER_HEADERS.reason]: `subject ${PERSON} refused` } };
    case 'timestamp': {
      const at = { epoch: 1, old: 1_000_000_000_000, soon: Date.now() + 30 * 60_000 }[r.at];
      return { ...base, timestamp: at };
    }
  }
}

interface Row {
  dlq_offset: string;
  reason_code: string;
  reason: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: unknown;
}

async function round(steps: { recipe?: Recipe }[]): Promise<void> {
  const messages = steps.map((s) => ({
    label: s.recipe ? labelOf(s.recipe) : 'valid',
    message: s.recipe ? make(s.recipe) : valid(),
  }));
  // Last: a dead letter as the kit writes it, stored only if nothing before it stuck.
  messages.push({ label: 'marker', message: valid('MARKER') });
  const deliveries = await sendInOrder(
    h.producer,
    h.deadLetterTopic,
    messages.map((m) => m.message),
  );
  const offsets = deliveries.map((d) => d.offset);
  const rows = await eventually(
    async () =>
      (
        await h.pool.query<Row>(
          `select dlq_offset::text, reason_code, reason, key, value, headers from ops.dead_letters
            where dlq_topic = $1 and dlq_offset = any($2::bigint[])`,
          [h.deadLetterTopic, offsets],
        )
      ).rows,
    (found) => found.length === offsets.length,
    {
      what: 'a row for every message',
      timeoutMs: 45_000,
      describe: (found) => JSON.stringify(found).slice(0, 500),
    },
  );
  await committedToEnd(h.bus, groupId, h.deadLetterTopic, 30_000);

  const problems: string[] = [];
  for (const [i, { label, message }] of messages.entries()) {
    const row = rows.find((r) => r.dlq_offset === offsets[i]);
    const at = `${label} at ${offsets[i]}`;
    if (!row) {
      problems.push(`${at}: no row`);
      continue;
    }
    if (row.reason_code === '') problems.push(`${at}: stored without a reason code`);
    const stated = message.headers?.[DEAD_LETTER_HEADERS.reasonCode];
    const bare = row.reason.startsWith('stored without its headers');
    if (typeof stated === 'string' && /^[A-Z_]+$/.test(stated) && !bare && row.reason_code !== stated)
      problems.push(`${at}: reason code ${row.reason_code}, the dead letter says ${stated}`);
    if (stated === undefined && row.reason_code !== 'UNKNOWN')
      problems.push(`${at}: reason code ${row.reason_code} for a message that states none`);
    const stored = JSON.stringify([
      row.key?.toString('latin1'),
      row.value?.toString('latin1'),
      row.headers,
      row.reason,
    ]);
    if (stored.includes(PERSON)) problems.push(`${at}: an identity number stored in clear`);
  }
  expect(problems).toEqual([]);

  // The operators' views read what the follower stored.
  const headers = { authorization: `Bearer ${OPERATOR_TOKEN}` };
  const list = await h.monitor.app.inject({ url: '/v1/dlq?limit=500', headers });
  expect(list.statusCode).toBe(200);
  const summary = await h.monitor.app.inject({ url: '/v1/dlq/summary', headers });
  expect(summary.statusCode).toBe(200);
}

describe('the dead-letter follower under hostile messages', () => {
  it('stores every message once at its position with its reason code or UNKNOWN, masked, and commits to the end', async () => {
    const step = fc.oneof(
      { weight: 4, arbitrary: recipe.map((r) => ({ recipe: r })) },
      { weight: 1, arbitrary: fc.constant({}) },
    );
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 24 }), round), {
      numRuns: fuzzRuns(6),
      endOnFailure: true,
      examples: [
        [
          [
            {
              recipe: {
                op: 'extra-headers',
                headers: Object.fromEntries([
                  ['valueOf', Buffer.from('x')],
                  ['__proto__', Buffer.from('y')],
                ]),
              },
            },
            {
              recipe: {
                op: 'dlq-header',
                name: DEAD_LETTER_HEADERS.reasonCode,
                value: Buffer.from('a\u0000b'),
              },
            },
            { recipe: { op: 'huge', fill: 'random' } },
            { recipe: { op: 'in-clear', where: 'reason' } },
            { recipe: { op: 'timestamp', at: 'epoch' } },
          ],
        ],
      ],
    });
  }, 180_000);
});
