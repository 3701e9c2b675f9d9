import { type Catalogue, type Department, loadCatalogue } from '@credit/catalogue';
import { createPool } from '@credit/db';
import {
  createSealer,
  createSigningKeyRegistry,
  createUnsealer,
  type Sealer,
  type SigningKeyRegistry,
  type Unsealer,
} from '@credit/ingest-trust';
import { contracts, encodeRecord, ingestMessage, type KindValue } from '@credit/intake';
import {
  createMetricsRegistry,
  type IncomingMessage,
  type MessageBus,
  type OutgoingMessage,
  type Producer,
} from '@credit/kit';
import { demoRecord } from '@credit/sample-data';
import type { RecordKind, RecordKinds } from '@credit/schemas';
import {
  createTestDatabase,
  createTestTopics,
  registerTestSigningKeys,
  TEST_PLATFORM_KEYS,
  type TestDatabase,
  testBus,
  testLogger,
  testSigner,
  uniqueName,
} from '@credit/testing';
import type pg from 'pg';

export { readTopic } from './read-topic.ts';

import { type Aggregator, createAggregator } from '../src/app.ts';
import { createIdentityCipher } from '../src/identity-cipher.ts';
import { AGGREGATOR_SCHEMA, migrateAggregator } from '../src/migrations.ts';
import { type ReplayOptions, type ReplayResult, replay } from '../src/replay.ts';
import type { IdentityKeys } from '../src/subject-identity.ts';
import { readTopic } from './read-topic.ts';

export interface AggregatorHarness {
  database: TestDatabase;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  catalogue: Catalogue;
  keys: IdentityKeys;
  /** Ingest topics of this harness are `<prefix><department code>`. */
  prefix: string;
  deadLetterTopic: string;
  changesTopic: string;
  groupId: string;
  aggregator: Aggregator;
  /** Creates a department's ingest topic (3 partitions) and returns its name. */
  ingestTopic(department: string): Promise<string>;
  /**
   * Produces records of `department` to its topic as the gateway and SDK do: identity numbers sealed for the
   * platform, encoded, keyed by record id, signed with the department's test key (registered in the database).
   */
  report(
    department: Department,
    records: { kind: RecordKind; value: RecordKinds[RecordKind] }[],
  ): Promise<void>;
  /** Produces messages as they are: unsigned, unless signed with `department`'s test key. */
  send(topic: string, messages: OutgoingMessage[], options?: { signedBy?: Department }): Promise<void>;
  /** The aggregator's signing keys and unsealer, and the sealer the harness reports with. */
  trust: { registry: SigningKeyRegistry; unsealer: Unsealer; sealer: Sealer };
  /** Rebuilds `schema` from this harness's ingest topics, with its keys and trust (src/replay.ts). */
  replayInto(schema: string, more?: Partial<ReplayOptions>): Promise<ReplayResult>;
  /** Polls `query` until `accept` holds for its rows (10 s by default). */
  waitFor<T extends pg.QueryResultRow>(
    query: string,
    accept: (rows: T[]) => boolean,
    timeoutMs?: number,
  ): Promise<T[]>;
  /** Reads `count` messages of `topic` from its beginning (throws after the timeout with what it got). */
  readTopic(topic: string, count: number, timeoutMs?: number): Promise<IncomingMessage[]>;
  close(): Promise<void>;
}

export const TEST_KEYS: IdentityKeys = {
  tokenKey: Buffer.alloc(32, 7),
  cipher: createIdentityCipher(Buffer.alloc(32, 9)),
};

/**
 * demoRecord of `kind` as `department` reports it, made about a resident: a natural person identified by the
 * identity number and name of `person`, with no old codes and no legal representative.
 */
export function naturalPersonRecord<K extends RecordKind>(
  catalogue: Catalogue,
  record: {
    kind: K;
    department: Department;
    person: { number: string; name: string };
    id: string;
    daysAgo: number;
  },
): { kind: K; value: RecordKinds[K] } {
  const value = demoRecord(
    record.kind,
    record.department,
    catalogue,
    { code: 'x', name: 'x' },
    record.id,
    record.daysAgo,
  );
  Object.assign(value.envelope.subject, {
    category: 'NATURAL_PERSON',
    codeType: 'RESIDENT_IDENTITY_CARD',
    code: record.person.number,
    name: record.person.name,
    legacyCodes: null,
    legalRepresentative: null,
  });
  return { kind: record.kind, value };
}

export interface AggregatorHarnessOptions {
  /** Default true. */
  start?: boolean;
  /** Default: a fresh database on the test server. */
  database?: TestDatabase;
  /** Default: the test broker, with the test logger. */
  bus?: MessageBus;
}

/** A real aggregator on the test broker and a fresh database, with topics no other test uses. */
export async function startAggregatorHarness(
  options: AggregatorHarnessOptions = {},
): Promise<AggregatorHarness> {
  const database = options.database ?? (await createTestDatabase());
  const pool = createPool(database.url, { max: 8, searchPath: AGGREGATOR_SCHEMA });
  await migrateAggregator(pool, AGGREGATOR_SCHEMA);
  const bus = options.bus ?? testBus('aggregator-test');
  const [deadLetterTopic, changesTopic] = await createTestTopics(bus, [
    { name: 'agg-dlq', partitions: 1 },
    { name: 'agg-changes', partitions: 3 },
  ]);
  const prefix = `${uniqueName('agg-ingest')}.`;
  const groupId = uniqueName('agg-group');
  const producer = await bus.producer();
  const catalogue = loadCatalogue();
  await registerTestSigningKeys(
    pool,
    catalogue.departments.map((department) => department.code),
  );
  const trust = {
    registry: await createSigningKeyRegistry(pool),
    unsealer: await createUnsealer([TEST_PLATFORM_KEYS.privateKey]),
    sealer: await createSealer(TEST_PLATFORM_KEYS.publicKey),
  };
  const aggregator = await createAggregator({
    logger: testLogger,
    pool,
    bus,
    producer,
    catalogue,
    contracts: contracts(),
    keys: TEST_KEYS,
    trust,
    metrics: createMetricsRegistry('aggregator-test', { defaults: false }),
    health: { shuttingDown: false },
    readiness: [],
    service: 'aggregator',
    groupId,
    topicPrefix: prefix,
    topicScanMs: 1000,
    partitionsConcurrently: 16,
    subjectChangesTopic: changesTopic!,
    deadLetterTopic: deadLetterTopic!,
    expirySweepMs: 3_600_000,
  });

  const harness: AggregatorHarness = {
    database,
    pool,
    bus,
    producer,
    catalogue,
    keys: TEST_KEYS,
    prefix,
    deadLetterTopic: deadLetterTopic!,
    changesTopic: changesTopic!,
    groupId,
    aggregator,
    async ingestTopic(department) {
      const admin = await bus.admin();
      try {
        await admin.ensureTopics([{ name: `${prefix}${department}`, partitions: 3 }]);
      } finally {
        await admin.disconnect();
      }
      return `${prefix}${department}`;
    },
    async report(department, records) {
      const signer = testSigner(department.code);
      await producer.send(
        `${prefix}${department.code}`,
        records.map((record) =>
          ingestMessage(encodeRecord(record as KindValue, { sealer: trust.sealer }), department, signer),
        ),
      );
    },
    async send(topic, messages, options = {}) {
      const signer = options.signedBy ? testSigner(options.signedBy.code) : undefined;
      await producer.send(
        topic,
        signer
          ? messages.map((message) => ({
              ...message,
              headers: {
                ...message.headers,
                ...signer.headers(
                  message.key === null ? null : Buffer.from(message.key),
                  Buffer.from(message.value ?? ''),
                ),
              },
            }))
          : messages,
      );
    },
    trust,
    replayInto: (schema, more = {}) =>
      replay({
        databaseUrl: database.url,
        schema,
        bus,
        producer,
        catalogue,
        contracts: contracts(),
        keys: TEST_KEYS,
        trust,
        logger: testLogger,
        topicPrefix: prefix,
        groupPrefix: groupId,
        timeoutMs: 60_000,
        ...more,
      }),
    async waitFor(query, accept, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let rows: pg.QueryResultRow[] = [];
      while (Date.now() < deadline) {
        rows = (await pool.query(query)).rows;
        if (accept(rows as never)) return rows as never;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`timed out waiting on: ${query}\nlast rows: ${JSON.stringify(rows).slice(0, 2000)}`);
    },
    readTopic: (topic, count, timeoutMs) => readTopic(bus, topic, count, timeoutMs),
    async close() {
      await aggregator.stop().catch(() => {});
      trust.registry.stop();
      trust.sealer.close();
      await producer.disconnect().catch(() => {});
      await pool.end();
      await database.drop();
    },
  };
  if (options.start ?? true) await aggregator.start();
  return harness;
}
