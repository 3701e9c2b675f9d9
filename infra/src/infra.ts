import { rmSync } from 'node:fs';
import { loadCatalogue } from '@credit/catalogue';
import { loadKafkaAccess } from '@credit/kafka-access';
import { brokersOf, createKafkajsBus, type KafkaSecurity, kafkaSecurityFrom, type Logger } from '@credit/kit';
import { BrokerDidNotStart } from './errors.ts';
import { reconcileAcls, reconcileScramUsers } from './kafka-access-sync.ts';
import { brokerSettingsFrom, brokerStatus, kafkaVersion, startBroker, stopBroker } from './kafka-broker.ts';
import { localKafkaEnv, localPasswords } from './kafka-principals.ts';
import { caFile } from './kafka-tls.ts';
import { KAFKA_RUN_DIR, POSTGRES_RUN_DIR, STATE_FILE } from './paths.ts';
import { canConnect, postgresSettingsFrom, resolveDatabase, stopEmbedded } from './postgres.ts';
import { type InfraState, readState, writeState } from './state.ts';
import { departmentTopics, platformTopics } from './topics.ts';

/**
 * Brings up (or finds) Kafka and PostgreSQL, creates the platform's topics and makes the broker's principals and
 * ACLs those of the access table and the catalogue. Idempotent.
 *
 * With KAFKA_BROKERS set, the broker is someone else's: the client authenticates with KAFKA_SASL_* or
 * KAFKA_TLS_* (an admin of that cluster), topics are created, and ACLs are reconciled only when
 * KAFKA_RECONCILE_ACCESS=true (a cluster operator such as Strimzi may own them instead).
 */
export async function infraUp(logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<InfraState> {
  const catalogue = loadCatalogue();
  const access = loadKafkaAccess(undefined, { catalogue });
  const external = env.KAFKA_BROKERS?.trim();
  let kafka: InfraState['kafka'];
  let security: KafkaSecurity;
  let passwords: Record<string, string> | undefined;
  if (external) {
    security = kafkaSecurityFrom(env);
    kafka = { brokers: external, source: 'environment' };
  } else {
    passwords = localPasswords(access.principals().map((principal) => principal.name));
    const started = await startBroker(
      brokerSettingsFrom(env),
      { broker: access.broker, admin: access.admin, passwords },
      logger,
    );
    security = started.adminSecurity;
    kafka = {
      brokers: started.brokers,
      mtlsBrokers: started.mtlsBrokers,
      source: 'local-broker',
      caFile: caFile(),
      admin: access.admin,
    };
  }
  const database = await resolveDatabase(postgresSettingsFrom(env), logger);

  const bus = createKafkajsBus({ brokers: brokersOf(kafka.brokers), clientId: 'infra', security, logger });
  const admin = await bus.admin().catch((error: unknown) => {
    throw BrokerDidNotStart(
      '10',
      `KAFKA_BROKERS=${kafka.brokers} does not answer: ${String(error)}`,
      '-',
      '',
    );
  });
  try {
    // Every department in the catalogue gets its topics; a department added later gets them on the next up.
    const specs = [
      ...platformTopics(env),
      ...catalogue.departments.flatMap((department) => departmentTopics(department.code, env)),
    ];
    const topics = await admin.ensureTopics(specs);
    for (const topic of topics.mismatched) {
      logger.warn(topic, 'topic exists with a different partition count than infra/topics.json; not changed');
    }
    // The file's configs (retention above all) hold for topics made before a change too.
    await admin.alterTopicConfigs(
      specs
        .filter((spec) => topics.existing.includes(spec.name) && spec.configs)
        .map((spec) => ({ name: spec.name, configs: spec.configs! })),
    );
    logger.info({ created: topics.created, existing: topics.existing.length }, 'platform topics in place');
    if (passwords) await reconcileScramUsers({ brokers: kafka.brokers, access, passwords, logger });
    if (!external || env.KAFKA_RECONCILE_ACCESS === 'true') await reconcileAcls(admin, access, logger);
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
    mtlsBrokers: string | null;
    source: string;
    security: string;
    answering: boolean;
    pid: number | null;
    version: string | null;
    topics: string[];
    acls: number | null;
  };
  database: { url: string | null; source: string | null; answering: boolean; problem: string | null };
}

export async function infraStatus(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<InfraReport> {
  const state = readState();
  const external = Boolean(env.KAFKA_BROKERS?.trim());
  const access = loadKafkaAccess();
  let security: KafkaSecurity | null = null;
  try {
    security = kafkaSecurityFrom(external ? env : localKafkaEnv(access.admin));
  } catch {
    security = null;
  }
  const local = await brokerStatus(brokerSettingsFrom(env), external ? null : security, logger);
  const brokers = env.KAFKA_BROKERS?.trim() || state?.kafka.brokers || local.brokers;
  const source = external ? 'environment' : (state?.kafka.source ?? 'local-broker');
  let topics: string[] = [];
  let acls: number | null = null;
  let answering = false;
  if (security) {
    try {
      const admin = await createKafkajsBus({
        brokers: brokersOf(brokers),
        clientId: 'infra-status',
        security,
        logger: logger.child({}, { level: 'silent' }),
        connectionTimeoutMs: 1_000,
        retries: 0,
      }).admin();
      try {
        await admin.ping();
        topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
        answering = true;
        acls = (await admin.acls().catch(() => null))?.length ?? null;
      } finally {
        await admin.disconnect();
      }
    } catch {
      answering = false;
    }
  }
  const url = env.DATABASE_URL?.trim() || state?.database.url || null;
  const problem = url ? await canConnect(url) : 'not started: run pnpm infra:up';
  return {
    kafka: {
      brokers,
      mtlsBrokers: external ? null : (state?.kafka.mtlsBrokers ?? null),
      source,
      security: security?.sasl
        ? `TLS + SASL/${security.sasl.mechanism.toUpperCase()} as ${security.sasl.username}`
        : 'TLS client certificate',
      answering,
      pid: local.pid,
      version: source === 'local-broker' ? kafkaVersion() : null,
      topics,
      acls,
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
    logger.info('purged broker and embedded database data (and the broker TLS material and passwords)');
  }
}
