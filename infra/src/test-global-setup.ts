import type { TestProject } from 'vitest/node';
import { resolveTestInfra } from './test-infra.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await resolveTestInfra();
  console.info(
    `integration tests: Kafka ${infra.kafkaBrokers}, PostgreSQL ${redact(infra.databaseUrl)} via ${infra.source}`,
  );
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('databaseUrl', infra.databaseUrl);
  return infra.teardown;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
