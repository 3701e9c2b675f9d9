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
} from '@credit/kit';
import { loadListTypes } from '@credit/list-types';
import { parseListApiClients } from './api-clients.ts';
import { createListDesignation } from './app.ts';
import { ListDesignationEnv } from './config.ts';
import { LISTS_SCHEMA, MIGRATIONS_DIR } from './migrations.ts';
import { loadRules } from './rules/index.ts';
import { workingDaysCounter } from './working-days.ts';

const config = loadConfig(ListDesignationEnv);
const service = config.SERVICE_NAME ?? 'list-designation';
const logger = createLogger({ service, level: config.LOG_LEVEL });
const clients = parseListApiClients(config.LIST_API_TOKENS);
const catalogue = loadCatalogue();
const registry = loadListTypes(undefined, { catalogue });
const rules = loadRules(undefined, { registry, catalogue });

const pool = createPool(config.DATABASE_URL, { max: 6, applicationName: service, searchPath: LISTS_SCHEMA });
await migrate(pool, LISTS_SCHEMA, MIGRATIONS_DIR);
const connections = await connectService({
  service,
  logger,
  brokers: brokersOf(config.KAFKA_BROKERS),
  kafkaSecurity: kafkaSecurityFrom(config),
  clientId: config.KAFKA_CLIENT_ID,
  database: { ping: () => pingDatabase(pool), end: () => pool.end() },
});
const { bus, producer, health, readiness } = connections;

const lists = await createListDesignation({
  logger,
  pool,
  bus,
  producer,
  context: { rules, registry, workingDays: workingDaysCounter(loadCalendar()) },
  clients,
  metrics: createMetricsRegistry(service),
  health,
  readiness,
  service,
  groupId: config.CONSUMER_GROUP,
  subjectChangesTopic: config.SUBJECT_CHANGES_TOPIC,
  listChangesTopic: config.LIST_CHANGES_TOPIC,
  deadLetterTopic: config.DEAD_LETTER_TOPIC,
  expirySweepMs: config.EXPIRY_SWEEP_MS,
  timelyWorkingDays: config.TIMELY_WORKING_DAYS,
  backfillOnRulesChange: config.BACKFILL_ON_RULES_CHANGE,
});

connections.stopOnSignal([{ name: 'list-designation', run: () => lists.stop() }]);
await lists.app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
await lists.start();
logger.info({ rules: rules.version, listTypes: registry.version }, 'list-designation ready');
