import { randomBytes } from 'node:crypto';
import { createKafkajsBus, createLogger, type MessageBus, type TopicSpec } from '@credit/kit';
import pg from 'pg';
import { inject } from 'vitest';

/** A name no other test uses, so test files can run in parallel against one broker and server. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export const testLogger = createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export function testBus(clientId = 'test'): MessageBus {
  return createKafkajsBus({ brokers: inject('kafkaBrokers').split(','), clientId, logger: testLogger });
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
