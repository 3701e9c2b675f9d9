import { createAuditLog, migrateAudit } from '@credit/audit';
import { loadCatalogue } from '@credit/catalogue';
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
import { loadListTypes } from '@credit/list-types';
import { loadRegistry } from '@credit/schemas';
import { createQueryApi, SCOPES } from './app.ts';
import { disclosedBy } from './change-feed.ts';
import { QueryEnv } from './config.ts';
import { MIGRATIONS_DIR, QUERY_SCHEMA } from './migrations.ts';
import { createPresentation } from './presentation.ts';
import { createSanctionsClient } from './sanctions-client.ts';

const config = loadConfig(QueryEnv);
const service = config.SERVICE_NAME ?? 'query-api';
const logger = createLogger({ service, level: config.LOG_LEVEL });
// A client that checks names its department: the sanctions service counts checks per department.
const clients = parseApiClients(config.QUERY_API_CLIENTS, {
  variable: 'QUERY_API_CLIENTS',
  roles: SCOPES,
  departmentRoles: ['check'],
});
const catalogue = loadCatalogue();
const listTypes = loadListTypes(undefined, { catalogue });

// Profiles, the feed, authorised routes, the audit log: no statement of theirs should hold a connection for long.
const pool = createPool(config.DATABASE_URL, {
  max: 16,
  applicationName: service,
  searchPath: QUERY_SCHEMA,
  statementTimeoutMs: 5_000,
  // Many short queries at once: parallel workers would only take cores from the next requests.
  settings: { max_parallel_workers_per_gather: '0' },
});
// Search and list browsing: their own few connections, so a crowd of broad searches cannot take the ones profiles,
// the feed and authorised clients need.
const searchPool = createPool(config.DATABASE_URL, {
  max: config.SEARCH_CONCURRENCY,
  applicationName: `${service}-search`,
  searchPath: QUERY_SCHEMA,
  statementTimeoutMs: config.SEARCH_STATEMENT_TIMEOUT_MS,
  settings: { max_parallel_workers_per_gather: '0' },
});
await migrateAudit(pool, QUERY_SCHEMA);
await migrate(pool, QUERY_SCHEMA, MIGRATIONS_DIR);
const connections = await connectService({
  service,
  logger,
  brokers: brokersOf(config.KAFKA_BROKERS),
  kafkaSecurity: kafkaSecurityFrom(config),
  clientId: config.KAFKA_CLIENT_ID,
  database: {
    ping: () => pingDatabase(pool),
    end: async () => {
      await Promise.all([pool.end(), searchPool.end()]);
    },
  },
});

const queryApi = await createQueryApi({
  logger,
  pool,
  searchPool,
  bus: connections.bus,
  producer: connections.producer,
  names: createPresentation(catalogue, listTypes, loadRegistry()),
  disclosed: disclosedBy(catalogue),
  clients,
  auditLog: createAuditLog(pool, { schema: QUERY_SCHEMA }),
  sanctions: createSanctionsClient(config.SANCTIONS_URL, config.SANCTIONS_TOKEN),
  tokenKey: decodeKey(config.SUBJECT_TOKEN_KEY),
  metrics: createMetricsRegistry(service),
  health: connections.health,
  readiness: connections.readiness,
  service,
  groupId: config.CONSUMER_GROUP,
  subjectChangesTopic: config.SUBJECT_CHANGES_TOPIC,
  listChangesTopic: config.LIST_CHANGES_TOPIC,
  deadLetterTopic: config.DEAD_LETTER_TOPIC,
  baseUrl: config.PUBLIC_BASE_URL,
  limits: {
    publicPerMinute: config.PUBLIC_RATE_LIMIT,
    clientPerMinute: config.CLIENT_RATE_LIMIT,
    searchConcurrency: config.SEARCH_CONCURRENCY,
    searchQueue: config.SEARCH_QUEUE,
  },
  auditFlushMs: config.AUDIT_FLUSH_MS,
  trustProxy: config.TRUST_PROXY,
});

connections.stopOnSignal([{ name: 'query-api', run: () => queryApi.stop() }]);
await queryApi.app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
await queryApi.start();
logger.info({ catalogue: catalogue.version, listTypes: listTypes.version }, 'query-api ready');
