import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { createPool, migrate, pingDatabase } from '@credit/db';
import { createSealer } from '@credit/ingest-trust';
import { createMetricsRegistry, type MessageBus, type Producer, type Registry } from '@credit/kit';
import { loadRegistry, type RecordKind, samples } from '@credit/schemas';
import {
  createTestDatabase,
  TEST_PLATFORM_KEYS,
  type TestDatabase,
  testBus,
  testLogger,
  testSigner,
  uniqueName,
} from '@credit/testing';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildGateway, type GatewayDeps } from '../src/app.ts';
import { createKeyStore, issueKey } from '../src/auth/api-keys.ts';
import { MIGRATIONS_DIR } from '../src/migrations.ts';

/** A real gateway on a fresh database and the real broker, with its own topic prefix so test files run in parallel. */
export interface Harness {
  app: FastifyInstance;
  pool: pg.Pool;
  bus: MessageBus;
  producer: Producer;
  catalogue: Catalogue;
  metrics: Registry;
  topicOf: (departmentCode: string) => string;
  keyFor: (departmentCode: string) => Promise<string>;
  close: () => Promise<void>;
}

export interface HarnessOptions {
  /** Default: a fresh database on the test server. */
  database?: TestDatabase;
  /** Default: the test broker, connected directly. */
  bus?: MessageBus;
  /** ProducerOptions.sendTimeoutMs of the gateway's producer, as PRODUCE_TIMEOUT_MS sets it. */
  produceTimeoutMs?: number;
}

export async function startHarness(
  overrides: Partial<GatewayDeps> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const database: TestDatabase = options.database ?? (await createTestDatabase());
  const pool = createPool(database.url);
  await migrate(pool, 'intake', MIGRATIONS_DIR);
  const catalogue = loadCatalogue();
  const prefix = uniqueName('gw');
  const topicOf = (code: string) => `${prefix}.credit.ingest.${code}`;
  const bus = options.bus ?? testBus('gateway-test');
  // Kept for the readiness check, as the service's own admin client is (kit's connectService).
  const admin = await bus.admin();
  await admin.ensureTopics(catalogue.departments.map((d) => ({ name: topicOf(d.code), partitions: 3 })));
  const producer = await bus.producer({ sendTimeoutMs: options.produceTimeoutMs });
  const metrics = createMetricsRegistry('ingest-gateway', { defaults: false });
  const sealer = await createSealer(TEST_PLATFORM_KEYS.publicKey);
  const signers = new Map(catalogue.departments.map((d) => [d.code, testSigner(d.code)]));
  const app = await buildGateway({
    logger: testLogger,
    pool,
    producer,
    catalogue,
    registry: loadRegistry(),
    keys: createKeyStore(pool, 0),
    metrics,
    health: { shuttingDown: false },
    readiness: [
      { name: 'database', check: () => pingDatabase(pool) },
      { name: 'kafka', check: async () => void (await admin.ping()) },
    ],
    limits: { batchMax: 50, bodyLimitBytes: 256 * 1024, ratePerMinute: 10_000 },
    topicFor: (department) => topicOf(department.code),
    trust: { signers, sealer },
    ...overrides,
  });
  await app.ready();
  return {
    app,
    pool,
    bus,
    producer,
    catalogue,
    metrics,
    topicOf,
    keyFor: async (code) => (await issueKey(pool, code, { label: 'test' })).apiKey,
    close: async () => {
      await app.close();
      sealer.close();
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
      await pool.end();
      await database.drop();
    },
  };
}

/** The wire form of a sample record, with ISO timestamps, optionally changed by `edit`. */
export function wire<K extends RecordKind>(
  kind: K,
  edit: (record: Record<string, unknown>) => void = () => {},
) {
  const record = JSON.parse(JSON.stringify(samples[kind])) as Record<string, unknown>;
  edit(record);
  return { kind, record };
}

export { sampleDepartment as departmentOf } from '@credit/sample-data';

export function envelopeOf(
  record: Record<string, unknown>,
): Record<string, unknown> & { subject: Record<string, unknown> } {
  return record.envelope as Record<string, unknown> & { subject: Record<string, unknown> };
}
