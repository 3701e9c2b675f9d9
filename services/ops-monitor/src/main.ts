import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, pingDatabase } from '@credit/db';
import {
  brokersOf,
  createLogger,
  createMetricsRegistry,
  installGracefulShutdown,
  loadConfig,
} from '@credit/kit';
import { createOpsMonitor } from './app.ts';
import { OpsMonitorEnv } from './config.ts';
import { createKafkajsLagAdmin } from './lag-admin.ts';

const config = loadConfig(OpsMonitorEnv);
const service = config.SERVICE_NAME ?? 'ops-monitor';
const logger = createLogger({ service, level: config.LOG_LEVEL });
// Read-only over the aggregator's tables; the ops monitor has no tables of its own.
const pool = createPool(config.DATABASE_URL, {
  max: 4,
  applicationName: service,
  statementTimeoutMs: 30_000,
});
const lagAdmin = await createKafkajsLagAdmin({ brokers: brokersOf(config.KAFKA_BROKERS), clientId: service });
const health = { shuttingDown: false };

const monitor = await createOpsMonitor({
  logger,
  pool,
  lagAdmin,
  calendar: loadCalendar(),
  rules: { default: { counting: config.TIMELINESS_COUNTING, deadlineDays: config.TIMELINESS_DAYS } },
  departments: loadCatalogue().departments,
  metrics: createMetricsRegistry(service),
  health,
  readiness: [{ name: 'postgres', check: () => pingDatabase(pool) }],
  watches: (groupId) => groupId.startsWith(config.GROUP_PREFIX),
  lag: {
    sampleMs: config.LAG_SAMPLE_MS,
    windowSize: config.LAG_WINDOW,
    stopAfterMs: config.LAG_STOP_AFTER_MS,
  },
  departmentsRefreshMs: config.DEPARTMENTS_REFRESH_MS,
});

installGracefulShutdown({
  logger,
  state: health,
  steps: [
    { name: 'ops-monitor', run: () => monitor.stop() },
    { name: 'postgres', run: () => pool.end() },
  ],
});
await monitor.app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
monitor.start();
logger.info({ groupPrefix: config.GROUP_PREFIX }, 'ops-monitor ready');
