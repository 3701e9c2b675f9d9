import { readFileSync } from 'node:fs';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, pingDatabase } from '@credit/db';
import { createSealer, loadSigners } from '@credit/ingest-trust';
import {
  brokersOf,
  connectService,
  createMetricsRegistry,
  kafkaSecurityFrom,
  type Logger,
} from '@credit/kit';
import { loadRegistry } from '@credit/schemas';
import { buildGateway } from './app.ts';
import { createKeyStore } from './auth/api-keys.ts';
import type { GatewayConfig } from './config.ts';

/** One serving process: real Kafka, PostgreSQL and catalogue wired into the app, stopped in order on SIGTERM. */
export async function serve(config: GatewayConfig, logger: Logger, service: string): Promise<void> {
  const pool = createPool(config.DATABASE_URL, { max: 20, applicationName: service });
  const catalogue = loadCatalogue();
  const connections = await connectService({
    service,
    logger,
    brokers: brokersOf(config.KAFKA_BROKERS),
    kafkaSecurity: kafkaSecurityFrom(config),
    clientId: config.KAFKA_CLIENT_ID,
    database: { ping: () => pingDatabase(pool), end: () => pool.end() },
    producerSendTimeoutMs: config.PRODUCE_TIMEOUT_MS,
  });
  const { producer, health, readiness } = connections;
  const { signers, ignored } = loadSigners(
    config.SIGNING_KEYS_DIR,
    catalogue.departments.map((department) => department.code),
  );
  if (ignored.length > 0) {
    logger.warn(
      { dir: config.SIGNING_KEYS_DIR, files: ignored },
      'files in the signing keys directory that are no catalogue department’s <code>.pem: ignored',
    );
  }
  const sealer = await createSealer(config.PLATFORM_SEALING_PUBLIC_KEY);
  logger.info(
    { departments: [...signers.keys()], sealingKey: sealer.keyId },
    'signing keys held for departments that report over HTTPS',
  );

  const app = await buildGateway({
    logger,
    pool,
    producer,
    catalogue,
    registry: loadRegistry(),
    keys: createKeyStore(pool, config.KEY_CACHE_SECONDS),
    metrics: createMetricsRegistry(service),
    health,
    readiness,
    topicFor: (department) => config.INGEST_TOPIC_TEMPLATE.replace('{department}', department.code),
    trust: { signers, sealer },
    limits: {
      batchMax: config.BATCH_MAX_RECORDS,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      ratePerMinute: config.RATE_LIMIT_PER_MINUTE,
    },
    https:
      config.TLS_CERT_FILE && config.TLS_KEY_FILE
        ? {
            cert: readFileSync(config.TLS_CERT_FILE),
            key: readFileSync(config.TLS_KEY_FILE),
            ...(config.TLS_CLIENT_CA_FILE ? { ca: readFileSync(config.TLS_CLIENT_CA_FILE) } : {}),
            requestCert: Boolean(config.TLS_CLIENT_CA_FILE),
            // A request without a valid client certificate may still authenticate with an API key.
            rejectUnauthorized: false,
          }
        : undefined,
  });

  connections.stopOnSignal([
    { name: 'http', run: () => app.close() },
    { name: 'sealer', run: async () => sealer.close() },
  ]);
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.info({ catalogue: catalogue.version }, 'ingest gateway ready');
}
