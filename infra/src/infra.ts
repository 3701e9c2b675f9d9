import { rmSync } from 'node:fs';
import { loadCatalogue } from '@credit/catalogue';
import { brokersOf, createKafkajsBus, type Logger } from '@credit/kit';
import { BrokerDidNotStart } from './errors.ts';
import { brokerSettingsFrom, brokerStatus, kafkaVersion, startBroker, stopBroker } from './kafka-broker.ts';
import { KAFKA_RUN_DIR, POSTGRES_RUN_DIR, STATE_FILE } from './paths.ts';
import { canConnect, postgresSettingsFrom, resolveDatabase, stopEmbedded } from './postgres.ts';
import { type InfraState, readState, writeState } from './state.ts';
import { ingestTopic, platformTopics } from './topics.ts';

/** Brings up (or finds) Kafka and PostgreSQL and creates the platform's topics. Idempotent. */
export async function infraUp(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<InfraState> {
  const kafka = env.KAFKA_BROKERS?.trim()
    ? { brokers: env.KAFKA_BROKERS.trim(), source: 'environment' as const }
    : { brokers: await startBroker(brokerSettingsFrom(env), logger), source: 'local-broker' as const };
  const database = await resolveDatabase(postgresSettingsFrom(env), logger);

  const bus = createKafkajsBus({ brokers: brokersOf(kafka.brokers), clientId: 'infra', logger });
  const admin = await bus.admin().catch((error: unknown) => {
    throw BrokerDidNotStart(
      '10',
      `KAFKA_BROKERS=${kafka.brokers} does not answer: ${String(error)}`,
      '-',
      '',
    );
  });
  try {
    // Every department in the catalogue gets its ingest topic; a department added later gets it on the next up.
    const ingest = loadCatalogue().departments.map((department) => ingestTopic(department.code));
    const topics = await admin.ensureTopics([...platformTopics(), ...ingest]);
    for (const topic of topics.mismatched) {
      logger.warn(topic, 'topic exists with a different partition count than infra/topics.json; not changed');
    }
    logger.info({ created: topics.created, existing: topics.existing.length }, 'platform topics in place');
  } finally {
    await admin.disconnect();
  }
  const state: InfraState = { kafka, database, startedAt: new Date().toISOString() };
  writeState(state);
  return state;
}

export interface InfraReport {
  kafka: {
    brokers: string;
    source: string;
    answering: boolean;
    pid: number | null;
    version: string | null;
    topics: string[];
  };
  database: { url: string | null; source: string | null; answering: boolean; problem: string | null };
}

export async function infraStatus(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InfraReport> {
  const state = readState();
  const local = await brokerStatus(brokerSettingsFrom(env), logger);
  const brokers = env.KAFKA_BROKERS?.trim() || state?.kafka.brokers || local.brokers;
  const source = env.KAFKA_BROKERS?.trim() ? 'environment' : (state?.kafka.source ?? 'local-broker');
  let topics: string[] = [];
  let answering = false;
  try {
    const admin = await createKafkajsBus({
      brokers: brokersOf(brokers),
      clientId: 'infra-status',
      logger: logger.child({}, { level: 'silent' }),
      connectionTimeoutMs: 1_000,
      retries: 0,
    }).admin();
    try {
      await admin.ping();
      topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
      answering = true;
    } finally {
      await admin.disconnect();
    }
  } catch {
    answering = false;
  }
  const url = env.DATABASE_URL?.trim() || state?.database.url || null;
  const problem = url ? await canConnect(url) : 'not started: run pnpm infra:up';
  return {
    kafka: {
      brokers,
      source,
      answering,
      pid: local.pid,
      version: source === 'local-broker' ? kafkaVersion() : null,
      topics,
    },
    database: {
      url,
      source: env.DATABASE_URL ? 'environment' : (state?.database.source ?? null),
      answering: problem === null,
      problem,
    },
  };
}

/** Stops what infra started (never a broker or database named by the environment). Data is kept unless purge. */
export async function infraDown(logger: Logger, { purge = false } = {}): Promise<void> {
  const state = readState();
  const kafka = await stopBroker();
  logger.info({ result: kafka }, 'Kafka broker');
  if (state?.database.source === 'embedded' || purge) {
    logger.info({ result: stopEmbedded() }, 'embedded PostgreSQL');
  }
  rmSync(STATE_FILE, { force: true });
  if (purge) {
    rmSync(KAFKA_RUN_DIR, { recursive: true, force: true });
    rmSync(POSTGRES_RUN_DIR, { recursive: true, force: true });
    logger.info('purged broker and embedded database data');
  }
}
