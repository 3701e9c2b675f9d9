import type { TestProject } from 'vitest/node';
import { resolveTestInfra } from './test-infra.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** KAFKA_* variables of the tests' Kafka identity (the admin principal on the local broker). */
    kafkaEnv: Record<string, string>;
    kafkaMtlsBrokers: string | null;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await resolveTestInfra();
  console.info(
    `integration tests: Kafka ${infra.kafkaBrokers} as ${infra.kafkaEnv.KAFKA_SASL_USERNAME ?? 'a client certificate'}, PostgreSQL ${redact(infra.databaseUrl)} via ${infra.source}`,
  );
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('kafkaEnv', infra.kafkaEnv);
  project.provide('kafkaMtlsBrokers', infra.kafkaMtlsBrokers);
  project.provide('databaseUrl', infra.databaseUrl);
  return infra.teardown;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
