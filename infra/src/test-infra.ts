import { createLogger } from '@credit/kit';
import { infraDown, infraUp } from './infra.ts';
import { readState } from './state.ts';

/**
 * Finds the broker and database for integration tests, in this order:
 *   1. KAFKA_BROKERS / DATABASE_URL from the environment;
 *   2. testcontainers, when a Docker engine answers;
 *   3. the infrastructure `infra/` starts (Kafka from Maven Central, the local or an embedded PostgreSQL).
 * With none of them the run fails and says why. Tests never skip for want of infrastructure.
 */
export interface TestInfra {
  kafkaBrokers: string;
  databaseUrl: string;
  source: string;
  teardown: () => Promise<void>;
}

const logger = createLogger({ service: 'test-harness', level: process.env.TEST_INFRA_LOG_LEVEL ?? 'warn' });

export async function resolveTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  const kafkaBrokers = env.KAFKA_BROKERS?.trim();
  const databaseUrl = env.DATABASE_URL?.trim();
  if (kafkaBrokers && databaseUrl) {
    return { kafkaBrokers, databaseUrl, source: 'environment', teardown: async () => {} };
  }

  const docker = await dockerEngine();
  if (docker.available) return fromTestcontainers(kafkaBrokers, databaseUrl);

  const alreadyUp = readState() !== null;
  try {
    const state = await infraUp(logger, env);
    return {
      kafkaBrokers: state.kafka.brokers,
      databaseUrl: state.database.url,
      source: `infra (kafka: ${state.kafka.source}, database: ${state.database.source}); no Docker engine: ${docker.reason}`,
      // Leave running what was running before the tests; stop what the tests started.
      teardown: alreadyUp ? async () => {} : () => infraDown(logger),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      [
        'Integration tests need a Kafka broker and a PostgreSQL database, and none could be found:',
        `  - KAFKA_BROKERS is ${kafkaBrokers ? 'set' : 'not set'}, DATABASE_URL is ${databaseUrl ? 'set' : 'not set'};`,
        `  - no Docker engine for testcontainers: ${docker.reason};`,
        `  - infra/ could not start them: ${reason}`,
      ].join('\n'),
    );
  }
}

async function dockerEngine(): Promise<{ available: boolean; reason: string }> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return { available: true, reason: 'available' };
  } catch (error) {
    return {
      available: false,
      reason: error instanceof Error ? error.message.split('\n')[0]! : String(error),
    };
  }
}

async function fromTestcontainers(
  kafkaBrokers: string | undefined,
  databaseUrl: string | undefined,
): Promise<TestInfra> {
  const stops: (() => Promise<unknown>)[] = [];
  let brokers = kafkaBrokers;
  if (!brokers) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    // Confluent Platform 8.1 is Apache Kafka 4.1 in KRaft mode; infra/ runs 4.3 from Maven Central.
    const kafka = await new KafkaContainer('confluentinc/cp-kafka:8.1.0').withKraft().start();
    brokers = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
    stops.push(() => kafka.stop());
  }
  let url = databaseUrl;
  if (!url) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const postgres = await new PostgreSqlContainer('postgres:17-alpine').start();
    url = postgres.getConnectionUri();
    stops.push(() => postgres.stop());
  }
  return {
    kafkaBrokers: brokers,
    databaseUrl: url,
    source: 'testcontainers',
    teardown: async () => {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}
