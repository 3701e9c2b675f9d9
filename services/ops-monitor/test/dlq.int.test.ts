import { setTimeout as sleep } from 'node:timers/promises';
import { createPool, migrate } from '@credit/db';
import { maskResidentId } from '@credit/identifiers';
import {
  type Consumer,
  deadLetter,
  type IncomingMessage,
  type MessageBus,
  type Producer,
  registerErrorHandling,
} from '@credit/kit';
import { createCodec } from '@credit/schemas';
import {
  createTestDatabase,
  createTestTopics,
  declareHostileInput,
  type TestDatabase,
  testBus,
  testLogger,
  uniqueName,
} from '@credit/testing';
import Fastify from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDeadLetters } from '../src/dlq.ts';
import { createDlqFollower } from '../src/dlq-follower.ts';
import { dlqRoutes } from '../src/dlq-routes.ts';
import { MIGRATIONS_DIR, OPS_SCHEMA } from '../src/migrations.ts';
import { PERSON_NUMBER, personPenalty, REPRESENTATIVE_NUMBER } from './person-record.ts';

let database: TestDatabase;
let pool: pg.Pool;
let bus: MessageBus;
let producer: Producer;
let follower: Consumer;
let dlqTopic: string;
let feedTopic: string;
// Source topics named like the platform's, under a unique prefix, so the follower reads the department from them.
const prefix = `${uniqueName('t')}.credit.ingest.`;
const marketTopic = `${prefix}market-regulation`;

function ingestMessage(offset: number, value: string | Buffer, headers: Record<string, Buffer> = {}) {
  return {
    topic: marketTopic,
    partition: 0,
    offset: String(offset),
    key: Buffer.from(`mr-${offset}`),
    value: Buffer.isBuffer(value) ? value : Buffer.from(value),
    headers: { 'content-type': Buffer.from('application/json'), ...headers },
    timestamp: Date.now(),
  } satisfies IncomingMessage;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(150);
  }
}

const stored = async () => Number((await pool.query('select count(*) from ops.dead_letters')).rows[0].count);

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, { max: 4 });
  await migrate(pool, OPS_SCHEMA, MIGRATIONS_DIR);
  bus = testBus('ops-monitor-dlq');
  [dlqTopic = '', feedTopic = ''] = await createTestTopics(bus, [
    { name: 'ops-dlq', partitions: 1 },
    { name: 'ops-subject-changes', partitions: 1 },
  ]);
  // A dead letter with numbers in clear is written straight to the DLQ below, as a producer not using deadLetter would.
  declareHostileInput(dlqTopic, 'a dead letter with numbers in clear, not written by deadLetter');
  const admin = await bus.admin();
  await admin.ensureTopics([{ name: marketTopic, partitions: 1 }]);
  await admin.disconnect();
  producer = await bus.producer();

  const at = new Date('2026-11-30T02:00:00Z');
  await producer.send(dlqTopic, [
    deadLetter(
      ingestMessage(0, '{"subject":"91350100M000100Y43"}'),
      { code: 'CREDIT_INVALID_USCC', message: 'subject.code is not valid' },
      'aggregator',
      at,
    ),
    deadLetter(
      ingestMessage(1, '{"subject":"x"}', { trace: Buffer.from([0xff, 0x00, 0x01]) }),
      { code: 'CREDIT_INVALID_USCC', message: 'subject.code is not valid' },
      'aggregator',
      at,
    ),
    deadLetter(
      ingestMessage(2, Buffer.from([0xde, 0xad, 0xbe, 0xef])),
      { code: 'INTAKE_SCHEMA', message: 'not JSON' },
      'aggregator',
      at,
    ),
    deadLetter(
      { ...ingestMessage(7, '{"schema":"other"}'), topic: feedTopic },
      { code: 'QUERY_FEED_SCHEMA', message: 'schema must be ...' },
      'query-api',
      at,
    ),
    // Not a dead letter at all: no headers, no value.
    { key: null, value: null },
  ]);
  follower = await bus.consumer({
    groupId: uniqueName('ops-dlq-follower'),
    topics: [dlqTopic],
    fromBeginning: true,
    maxWaitTimeMs: 100,
  });
  await follower.run(createDlqFollower({ pool, logger: testLogger, ingestTopicPrefix: prefix }));
  await until(stored, (count) => count >= 5);
}, 90_000);

afterAll(async () => {
  await follower?.disconnect();
  await producer?.disconnect();
  await pool?.end();
  await database?.drop();
});

describe('the DLQ follower', () => {
  it('stores every dead letter once, with its department, reason and original headers', async () => {
    expect(await stored()).toBe(5);
    const rows = await pool.query(
      `select department, reason_code, service, source_topic, headers from ops.dead_letters order by dlq_offset`,
    );
    expect(rows.rows.map((row) => [row.department, row.reason_code, row.service])).toEqual([
      ['market-regulation', 'CREDIT_INVALID_USCC', 'aggregator'],
      ['market-regulation', 'CREDIT_INVALID_USCC', 'aggregator'],
      ['market-regulation', 'INTAKE_SCHEMA', 'aggregator'],
      [null, 'QUERY_FEED_SCHEMA', 'query-api'],
      [null, 'UNKNOWN', null],
    ]);
    expect(rows.rows[1].headers).toEqual({
      'content-type': 'application/json',
      trace: { base64: Buffer.from([0xff, 0x00, 0x01]).toString('base64') },
    });
  });

  it('adds nothing when a batch is delivered again', async () => {
    const handler = createDlqFollower({ pool, logger: testLogger, ingestTopicPrefix: prefix });
    const again: IncomingMessage = {
      topic: dlqTopic,
      partition: 0,
      offset: '4',
      key: null,
      value: null,
      headers: {},
      timestamp: Date.now(),
    };
    const context = { heartbeat: async () => {}, isRunning: () => true, isStale: () => false };
    await handler({ topic: dlqTopic, partition: 0, messages: [again], highWatermark: '5' }, context);
    expect(await stored()).toBe(5);
  });
});

describe('the DLQ view and replay', () => {
  const app = Fastify();

  beforeAll(async () => {
    registerErrorHandling(app);
    await dlqRoutes(app, { pool, producer });
  });
  afterAll(() => app.close());

  it('lists dead letters by department and reason, newest first, values as text or base64', async () => {
    const response = await app.inject({
      url: '/v1/dlq?department=market-regulation&reason=CREDIT_INVALID_USCC&limit=1',
    });
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.deadLetters).toHaveLength(1);
    expect(page.deadLetters[0]).toMatchObject({
      department: 'market-regulation',
      reasonCode: 'CREDIT_INVALID_USCC',
      source: { topic: marketTopic, partition: 0, offset: '1' },
      key: { encoding: 'utf8', text: 'mr-1' },
      value: { encoding: 'utf8', text: '{"subject":"x"}', truncated: false },
      replayed: null,
    });
    const next = await app.inject({
      url: `/v1/dlq?department=market-regulation&reason=CREDIT_INVALID_USCC&limit=1&before=${page.nextBefore}`,
    });
    expect(next.json().deadLetters[0].source.offset).toBe('0');

    const binary = (await app.inject({ url: '/v1/dlq?reason=INTAKE_SCHEMA' })).json();
    expect(binary.deadLetters[0].value).toEqual({
      encoding: 'base64',
      text: Buffer.from([0xde, 0xad, 0xbe, 0xef]).toString('base64'),
      bytes: 4,
      truncated: false,
    });
    const unknown = (await app.inject({ url: '/v1/dlq?reason=UNKNOWN' })).json();
    expect(unknown.deadLetters[0]).toMatchObject({ source: null, department: null, value: null });
  });

  it('shows an Avro record decoded with identity numbers masked, and stores it masked in place', async () => {
    const codec = createCodec();
    const value = codec.encode('administrative-penalty', personPenalty());
    const { headers } = deadLetter(
      ingestMessage(9, 'x'),
      { code: 'TEST_AVRO_PERSON', message: 'refused for the test' },
      'aggregator',
    );
    // Past deadLetter's own masking, as a producer that does not use it would write: the view masks on its own.
    await producer.send(dlqTopic, [{ key: Buffer.from(PERSON_NUMBER), value, headers }]);
    const page = await until(
      async () => (await app.inject({ url: '/v1/dlq?reason=TEST_AVRO_PERSON' })).json(),
      (answer) => answer.deadLetters.length > 0,
    );
    expect(page.deadLetters[0]).toMatchObject({
      department: 'market-regulation',
      key: { encoding: 'utf8', text: `${'*'.repeat(14)}${PERSON_NUMBER.slice(-4)}` },
      value: {
        encoding: 'avro',
        kind: 'administrative-penalty',
        version: codec.decode(value).version,
        bytes: value.length,
        truncated: false,
      },
    });
    expect(JSON.parse(page.deadLetters[0].value.text).envelope.subject.code).toBe(
      `${'*'.repeat(14)}${PERSON_NUMBER.slice(-4)}`,
    );
    const answered = JSON.stringify(page);
    expect(answered).not.toContain(PERSON_NUMBER);
    expect(answered).not.toContain(REPRESENTATIVE_NUMBER);

    const row = await pool.query('select key, value from ops.dead_letters where reason_code = $1', [
      'TEST_AVRO_PERSON',
    ]);
    // Same length, same Avro: only the numbers' digits became '*'.
    expect(row.rows[0].value).toHaveLength(value.length);
    expect(row.rows[0].value.toString('latin1')).not.toContain(PERSON_NUMBER);
    expect(codec.decode(row.rows[0].value).value.envelope.subject.code).toBe(maskResidentId(PERSON_NUMBER));
    expect(row.rows[0].key).toEqual(Buffer.from(maskResidentId(PERSON_NUMBER)));
  });

  it('counts dead letters by department × reason and by service', async () => {
    const summary = (await app.inject({ url: '/v1/dlq/summary?from=2026-11-01' })).json();
    expect(summary.byDepartment).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ department: 'market-regulation', reason: 'CREDIT_INVALID_USCC', count: 2 }),
        expect.objectContaining({ department: 'market-regulation', reason: 'INTAKE_SCHEMA', count: 1 }),
        expect.objectContaining({ department: null, reason: 'QUERY_FEED_SCHEMA', count: 1 }),
      ]),
    );
    expect(summary.byService).toEqual(
      expect.arrayContaining([expect.objectContaining({ service: 'query-api', count: 1, pending: 1 })]),
    );
    const bad = await app.inject({ url: '/v1/dlq/summary?from=yesterday' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('OPS_DLQ_INVALID_PARAMETER');
  });

  it('refuses a replay that chooses nothing', async () => {
    const response = await app.inject({ method: 'POST', url: '/v1/dlq/replay', payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'OPS_DLQ_REPLAY_UNFILTERED' });
    expect(response.json().error.message).toContain('all: true');
  });

  it('replays to the source topic with the original key, value and headers, once', async () => {
    const admin = await bus.admin();
    const high = async () => (await admin.topicOffsets(marketTopic))[0]?.high;
    try {
      const dry = await app.inject({
        method: 'POST',
        url: '/v1/dlq/replay',
        payload: { department: 'market-regulation', reason: 'CREDIT_INVALID_USCC', dryRun: true },
      });
      expect(dry.json()).toMatchObject({
        dryRun: true,
        matched: 2,
        replayed: 2,
        byTopic: { [marketTopic]: 2 },
      });
      expect(await high()).toBe('0');

      const real = await app.inject({
        method: 'POST',
        url: '/v1/dlq/replay',
        payload: { department: 'market-regulation', reason: 'CREDIT_INVALID_USCC' },
      });
      expect(real.json()).toEqual({
        dryRun: false,
        matched: 2,
        replayed: 2,
        skippedAlreadyReplayed: 0,
        skippedNoSource: 0,
        remaining: 0,
        byTopic: { [marketTopic]: 2 },
      });
      expect(await high()).toBe('2');

      const received: IncomingMessage[] = [];
      const reader = await bus.consumer({
        groupId: uniqueName('ops-dlq-reader'),
        topics: [marketTopic],
        fromBeginning: true,
        maxWaitTimeMs: 100,
      });
      await reader.run(async (batch) => {
        received.push(...batch.messages);
      });
      await until(
        async () => received.length,
        (count) => count >= 2,
      );
      await reader.disconnect();
      expect(received.map((m) => [m.key?.toString(), m.value?.toString()])).toEqual([
        ['mr-0', '{"subject":"91350100M000100Y43"}'],
        ['mr-1', '{"subject":"x"}'],
      ]);
      const offsets = (
        await pool.query(
          `select dlq_offset::text from ops.dead_letters where replayed_at is not null order by id`,
        )
      ).rows.map((row) => row.dlq_offset);
      expect(received[1]?.headers.trace).toEqual(Buffer.from([0xff, 0x00, 0x01]));
      expect(received[1]?.headers['content-type']?.toString()).toBe('application/json');
      expect(received[1]?.headers['dlq-replayed-from']?.toString()).toBe(`0/${offsets[1]}`);
      expect(Object.keys(received[0]?.headers ?? {}).filter((name) => name.startsWith('dlq-'))).toEqual([
        'dlq-replayed-from',
      ]);

      const listed = (await app.inject({ url: '/v1/dlq?replayed=true' })).json();
      expect(listed.deadLetters.map((d: { replayed: { offset: string } }) => d.replayed.offset)).toEqual([
        '1',
        '0',
      ]);

      const second = await replayDeadLetters(pool, producer, {
        department: 'market-regulation',
        reason: 'CREDIT_INVALID_USCC',
        limit: 100,
      });
      expect(second).toMatchObject({ matched: 2, replayed: 0, skippedAlreadyReplayed: 2, byTopic: {} });
      expect(await high()).toBe('2');
    } finally {
      await admin.disconnect();
    }
  });

  it('does not replay a dead letter that does not say where it came from', async () => {
    const result = await replayDeadLetters(pool, producer, { reason: 'UNKNOWN', limit: 100 });
    expect(result).toMatchObject({ matched: 1, replayed: 0, skippedNoSource: 1 });
  });
});
