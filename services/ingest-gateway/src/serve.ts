import { readFileSync } from 'node:fs';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, pingDatabase } from '@credit/db';
import {
  brokersOf,
  createKafkajsBus,
  createMetricsRegistry,
  installGracefulShutdown,
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
  const bus = createKafkajsBus({
    brokers: brokersOf(config.KAFKA_BROKERS),
    clientId: config.KAFKA_CLIENT_ID ?? service,
    logger,
  });
  const producer = await bus.producer({ idempotent: true });
  const admin = await bus.admin();
  const health = { shuttingDown: false };

  const app = await buildGateway({
    logger,
    pool,
    producer,
    catalogue,
    registry: loadRegistry(),
    keys: createKeyStore(pool, config.KEY_CACHE_SECONDS),
    metrics: createMetricsRegistry(service),
    health,
    readiness: [
      { name: 'database', check: () => pingDatabase(pool) },
      { name: 'kafka', check: async () => void (await admin.ping()) },
    ],
    topicFor: (department) => config.INGEST_TOPIC_TEMPLATE.replace('{department}', department.code),
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

  installGracefulShutdown({
    logger,
    state: health,
    steps: [
      { name: 'http', run: () => app.close() },
      { name: 'kafka producer', run: () => producer.disconnect() },
      { name: 'kafka admin', run: () => admin.disconnect() },
      { name: 'database', run: () => pool.end() },
    ],
  });
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.info({ catalogue: catalogue.version }, 'ingest gateway ready');
}
