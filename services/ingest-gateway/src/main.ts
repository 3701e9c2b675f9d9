import cluster from 'node:cluster';
import { loadCatalogue, loadCatalogueIntoDatabase } from '@credit/catalogue';
import { createPool, migrate } from '@credit/db';
import { createLogger, loadConfig } from '@credit/kit';
import { GatewayEnv } from './config.ts';
import { MIGRATIONS_DIR } from './migrations.ts';
import { serve } from './serve.ts';

const config = loadConfig(GatewayEnv);
const service = config.SERVICE_NAME ?? 'ingest-gateway';
const logger = createLogger({ service, level: config.LOG_LEVEL });

if (cluster.isPrimary) {
  // Once, before any process serves: the schema and the catalogue version the platform runs.
  const pool = createPool(config.DATABASE_URL, { max: 2, applicationName: service });
  await migrate(pool, 'intake', MIGRATIONS_DIR);
  const loaded = await loadCatalogueIntoDatabase(pool, loadCatalogue());
  logger.info(loaded, 'catalogue in the database');
  await pool.end();
}

if (config.GATEWAY_WORKERS > 1 && cluster.isPrimary) {
  // Validation is CPU-bound: several processes share the port. Each has its own producer, pool and rate limits.
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < config.GATEWAY_WORKERS; i += 1) fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code }, 'gateway worker died; starting another');
    fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} else {
  await serve(config, logger.child({ pid: process.pid }), service);
}
