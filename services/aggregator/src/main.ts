import { loadCatalogue } from '@credit/catalogue';
import { createPool, pingDatabase } from '@credit/db';
import { createSigningKeyRegistry, createUnsealer } from '@credit/ingest-trust';
import { contracts } from '@credit/intake';
import {
  brokersOf,
  connectService,
  createLogger,
  createMetricsRegistry,
  kafkaSecurityFrom,
  loadConfig,
} from '@credit/kit';
import { createAggregator } from './app.ts';
import { AggregatorEnv, decodeKey } from './config.ts';
import { createIdentityCipher } from './identity-cipher.ts';
import { AGGREGATOR_SCHEMA, migrateAggregator } from './migrations.ts';

const config = loadConfig(AggregatorEnv);
const service = config.SERVICE_NAME ?? 'aggregator';
const logger = createLogger({ service, level: config.LOG_LEVEL });

const pool = createPool(config.DATABASE_URL, {
  max: 6,
  applicationName: service,
  searchPath: AGGREGATOR_SCHEMA,
});
await migrateAggregator(pool, AGGREGATOR_SCHEMA);
const connections = await connectService({
  service,
  logger,
  brokers: brokersOf(config.KAFKA_BROKERS),
  kafkaSecurity: kafkaSecurityFrom(config),
  clientId: config.KAFKA_CLIENT_ID,
  database: { ping: () => pingDatabase(pool), end: () => pool.end() },
});
const { bus, producer, health, readiness } = connections;

const registry = await createSigningKeyRegistry(pool, { refreshMs: config.SIGNING_KEYS_REFRESH_MS });
const unsealer = await createUnsealer(config.PLATFORM_SEALING_PRIVATE_KEYS.split(','));

const aggregator = await createAggregator({
  logger,
  pool,
  bus,
  producer,
  catalogue: loadCatalogue(),
  contracts: contracts(),
  keys: {
    tokenKey: decodeKey(config.SUBJECT_TOKEN_KEY),
    cipher: createIdentityCipher(decodeKey(config.IDENTITY_ENCRYPTION_KEY)),
  },
  trust: { registry, unsealer },
  metrics: createMetricsRegistry(service),
  health,
  readiness,
  service,
  groupId: config.CONSUMER_GROUP,
  topicPrefix: config.INGEST_TOPIC_PREFIX,
  topicScanMs: config.TOPIC_SCAN_MS,
  partitionsConcurrently: config.PARTITIONS_CONCURRENTLY,
  sessionTimeoutMs: config.SESSION_TIMEOUT_MS,
  subjectChangesTopic: config.SUBJECT_CHANGES_TOPIC,
  deadLetterTopic: config.DEAD_LETTER_TOPIC,
  expirySweepMs: config.EXPIRY_SWEEP_MS,
});

connections.stopOnSignal([
  { name: 'aggregator', run: () => aggregator.stop() },
  { name: 'signing keys', run: async () => registry.stop() },
]);
await aggregator.app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
await aggregator.start();
logger.info({ group: config.CONSUMER_GROUP, topics: aggregator.subscription.topics() }, 'aggregator ready');
