import { randomBytes } from 'node:crypto';
import {
  createKafkajsBus,
  createLogger,
  type KafkaSecurity,
  kafkaSecurityFrom,
  type MessageBus,
  type TopicSpec,
} from '@credit/kit';
import pg from 'pg';
import { inject } from 'vitest';

/** A name no other test uses, so test files can run in parallel against one broker and server. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export const testLogger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** The tests' Kafka identity (the local broker's admin, or the KAFKA_* credentials the environment gave). */
export function testKafkaSecurity(): KafkaSecurity {
  return kafkaSecurityFrom(inject('kafkaEnv'));
}

/** KAFKA_BROKERS and the credential variables, for a service a test runs as a child process. */
export function testKafkaEnv(): Record<string, string> {
  return { KAFKA_BROKERS: inject('kafkaBrokers'), ...inject('kafkaEnv') };
}

export function testBus(clientId = 'test'): MessageBus {
  return createKafkajsBus({
    brokers: inject('kafkaBrokers').split(','),
    clientId,
    security: testKafkaSecurity(),
    logger: testLogger,
  });
}

/** Creates topics with unique names (suffixing the given ones) and returns their names in order. */
export async function createTestTopics(bus: MessageBus, specs: TopicSpec[]): Promise<string[]> {
  const unique = specs.map((spec) => ({ ...spec, name: uniqueName(spec.name) }));
  const admin = await bus.admin();
  try {
    await admin.ensureTopics(unique);
  } finally {
    await admin.disconnect();
  }
  return unique.map((spec) => spec.name);
}

/**
 * One topic per suffix under a prefix no other test uses (`<prefix>.<suffix>`), as infra makes one topic per
 * department: returns the prefix (with its trailing dot) and the topic of a suffix.
 */
export async function createPrefixedTopics(
  bus: MessageBus,
  name: string,
  suffixes: readonly string[],
  partitions = 1,
): Promise<{ prefix: string; topic: (suffix: string) => string }> {
  const prefix = `${uniqueName(name)}.`;
  const topic = (suffix: string) => `${prefix}${suffix}`;
  const admin = await bus.admin();
  try {
    await admin.ensureTopics(suffixes.map((suffix) => ({ name: topic(suffix), partitions })));
  } finally {
    await admin.disconnect();
  }
  return { prefix, topic };
}

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** A fresh database on the test server, dropped (with its connections) when the test is done. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = uniqueName('t').replaceAll('-', '_');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
