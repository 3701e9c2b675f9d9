import { loadCalendar } from '@credit/calendar';
import { createPool, migrate, pingDatabase } from '@credit/db';
import {
  brokersOf,
  connectService,
  createLogger,
  createMetricsRegistry,
  decodeKey,
  kafkaSecurityFrom,
  loadConfig,
  parseApiClients,
} from '@credit/kit';
import { loadMeasures } from '@credit/measures';
import { createSanctions } from './app.ts';
import { SanctionsEnv } from './config.ts';
import { dueDates } from './due-date.ts';
import { MIGRATIONS_DIR, SANCTIONS_SCHEMA } from './migrations.ts';
import { ROLES } from './routes.ts';

const config = loadConfig(SanctionsEnv);
const service = config.SERVICE_NAME ?? 'sanctions';
const logger = createLogger({ service, level: config.LOG_LEVEL });
const clients = parseApiClients(config.SANCTIONS_API_TOKENS, {
  variable: 'SANCTIONS_API_TOKENS',
  roles: ROLES,
  departmentRoles: ['department', 'approval-system'],
});
const measures = loadMeasures();

const pool = createPool(config.DATABASE_URL, {
  max: 10,
  applicationName: service,
  searchPath: SANCTIONS_SCHEMA,
});
await migrate(pool, SANCTIONS_SCHEMA, MIGRATIONS_DIR);
const connections = await connectService({
  service,
  logger,
  brokers: brokersOf(config.KAFKA_BROKERS),
  kafkaSecurity: kafkaSecurityFrom(config),
  clientId: config.KAFKA_CLIENT_ID,
  database: { ping: () => pingDatabase(pool), end: () => pool.end() },
});

const sanctions = await createSanctions({
  logger,
  pool,
  bus: connections.bus,
  producer: connections.producer,
  context: { measures, dueDate: dueDates(loadCalendar()) },
  clients,
  tokenKey: decodeKey(config.SUBJECT_TOKEN_KEY),
  metrics: createMetricsRegistry(service),
  health: connections.health,
  readiness: connections.readiness,
  service,
  groupId: config.CONSUMER_GROUP,
  listChangesTopic: config.LIST_CHANGES_TOPIC,
  ordersTopic: (department) => `${config.SANCTION_ORDERS_TOPIC_PREFIX}${department}`,
  feedbackTopicPrefix: config.SANCTION_FEEDBACK_TOPIC_PREFIX,
  topicScanMs: config.TOPIC_SCAN_MS,
  deadLetterTopic: config.DEAD_LETTER_TOPIC,
});

connections.stopOnSignal([{ name: 'sanctions', run: () => sanctions.stop() }]);
await sanctions.app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
await sanctions.start();
logger.info({ measures: measures.version }, 'sanctions ready');
