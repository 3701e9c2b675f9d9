import { createLogger } from '@credit/kit';
import { infraDown, infraUp } from './infra.ts';
import { localKafkaEnv } from './kafka-principals.ts';
import { kafkaCredentialsIn, readState } from './state.ts';

/**
 * Finds the broker and database for integration tests:
 *   - Kafka: KAFKA_BROKERS (with KAFKA_SASL_* or KAFKA_TLS_* credentials of an admin) from the environment, else the
 *     broker `infra/` starts, secured as production is (TLS, SASL/SCRAM, ACLs). Tests connect as the admin
 *     principal, so they may create their own topics; the ACL tests connect as departments and services.
 *     There is no Kafka container: a plaintext broker would not be the broker the platform runs on.
 *   - PostgreSQL: DATABASE_URL, else testcontainers when a Docker engine answers, else the server `infra/` finds
 *     or starts (the local server or an embedded one).
 * With none of them the run fails and says why. Tests never skip for want of infrastructure.
 */
export interface TestInfra {
  kafkaBrokers: string;
  /** The KAFKA_* variables of the test client's identity (TLS CA, SASL credentials). */
  kafkaEnv: Record<string, string>;
  /** The local broker's mTLS listener, when the tests run on it. */
  kafkaMtlsBrokers: string | null;
  databaseUrl: string;
  source: string;
  teardown: () => Promise<void>;
}

const logger = createLogger({ service: 'test-harness', level: process.env.TEST_INFRA_LOG_LEVEL ?? 'warn' });

export async function resolveTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  const stops: (() => Promise<unknown>)[] = [];
  let databaseUrl = env.DATABASE_URL?.trim();
  const docker = databaseUrl ? { available: false, reason: 'DATABASE_URL is set' } : await dockerEngine();
  if (!databaseUrl && docker.available) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const postgres = await new PostgreSqlContainer('postgres:17-alpine').start();
    databaseUrl = postgres.getConnectionUri();
    stops.push(() => postgres.stop());
  }
  const alreadyUp = readState() !== null;
  try {
    const state = await infraUp(logger, databaseUrl ? { ...env, DATABASE_URL: databaseUrl } : env);
    // The tests' own broker (test-environment.ts) goes with its data when this run started it: the next run starts clean.
    if (!alreadyUp) stops.push(() => infraDown(logger, { purge: true }));
    return {
      kafkaBrokers: state.kafka.brokers,
      // As infraUp connected: the environment's credentials for its broker, the admin for the local one.
      kafkaEnv:
        state.kafka.source === 'environment' ? kafkaCredentialsIn(env) : localKafkaEnv(state.kafka.admin!),
      kafkaMtlsBrokers: state.kafka.mtlsBrokers ?? null,
      databaseUrl: state.database.url,
      source: `kafka: ${state.kafka.source}, database: ${docker.available ? 'testcontainers' : state.database.source} (Docker: ${docker.reason})`,
      // Leave running what was running before the tests; stop what the tests started.
      teardown: async () => {
        for (const stop of stops.reverse()) await stop();
      },
    };
  } catch (error) {
    for (const stop of stops) await stop().catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      [
        'Integration tests need a Kafka broker and a PostgreSQL database, and none could be found:',
        `  - KAFKA_BROKERS is ${env.KAFKA_BROKERS ? 'set' : 'not set'}, DATABASE_URL is ${env.DATABASE_URL ? 'set' : 'not set'};`,
        `  - Docker engine for a PostgreSQL container: ${docker.reason};`,
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
