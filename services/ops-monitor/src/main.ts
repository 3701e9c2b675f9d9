import { loadCalendar } from '@credit/calendar';
import { loadCatalogue } from '@credit/catalogue';
import { createPool, migrate, pingDatabase } from '@credit/db';
import {
  brokersOf,
  connectService,
  createLogger,
  createMetricsRegistry,
  kafkaSecurityFrom,
  loadConfig,
  parseApiClients,
} from '@credit/kit';
import { createOpsMonitor } from './app.ts';
import { OpsMonitorEnv } from './config.ts';
import { createKafkajsLagAdmin } from './lag-admin.ts';
import { MIGRATIONS_DIR, OPS_SCHEMA } from './migrations.ts';
import { timelinessRules } from './timeliness-config.ts';

const config = loadConfig(OpsMonitorEnv);
const service = config.SERVICE_NAME ?? 'ops-monitor';
const logger = createLogger({ service, level: config.LOG_LEVEL });
const clients = parseApiClients(config.OPS_API_TOKENS, {
  variable: 'OPS_API_TOKENS',
  roles: ['viewer', 'operator'],
});
// Writes only its own schema (the dead-letter index); reads the aggregator's tables for the departments' figures.
const pool = createPool(config.DATABASE_URL, {
  max: 4,
  applicationName: service,
  searchPath: OPS_SCHEMA,
  statementTimeoutMs: 30_000,
});
await migrate(pool, OPS_SCHEMA, MIGRATIONS_DIR);
const brokers = brokersOf(config.KAFKA_BROKERS);
const kafkaSecurity = kafkaSecurityFrom(config);
const connections = await connectService({
  service,
  logger,
  brokers,
  kafkaSecurity,
  clientId: config.KAFKA_CLIENT_ID,
  database: { ping: () => pingDatabase(pool), end: () => pool.end() },
});

const monitor = await createOpsMonitor({
  logger,
  pool,
  bus: connections.bus,
  producer: connections.producer,
  clients,
  dlq: {
    topic: config.DEAD_LETTER_TOPIC,
    groupId: config.CONSUMER_GROUP,
    replayTargets: config.REPLAY_TOPICS.split(',').map((pattern) => pattern.trim()),
  },
  lagAdmin: await createKafkajsLagAdmin({ brokers, security: kafkaSecurity, clientId: `${service}-lag` }),
  calendar: loadCalendar(),
  rules: timelinessRules(
    { counting: config.TIMELINESS_COUNTING, deadlineDays: config.TIMELINESS_DAYS },
    config.TIMELINESS_BY_REGION,
  ),
  departments: loadCatalogue().departments,
  metrics: createMetricsRegistry(service),
  health: connections.health,
  readiness: connections.readiness,
  watches: (groupId) => groupId.startsWith(config.GROUP_PREFIX),
  lag: {
    sampleMs: config.LAG_SAMPLE_MS,
    windowSize: config.LAG_WINDOW,
    stopAfterMs: config.LAG_STOP_AFTER_MS,
  },
  departmentsRefreshMs: config.DEPARTMENTS_REFRESH_MS,
});

connections.stopOnSignal([{ name: 'ops-monitor', run: () => monitor.stop() }]);
await monitor.app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
await monitor.start();
logger.info({ groupPrefix: config.GROUP_PREFIX }, 'ops-monitor ready');
