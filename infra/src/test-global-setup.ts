import path from 'node:path';
import { brokersOf, createKafkajsBus, createLogger, kafkaSecurityFrom } from '@credit/kit';
import { startPrivacyRun } from '@credit/testing/privacy-run';
import type { TestProject } from 'vitest/node';
import { RUN_DIR } from './paths.ts';
import { resolveTestInfra } from './test-infra.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** KAFKA_* variables of the tests' Kafka identity (the admin principal on the local broker). */
    kafkaEnv: Record<string, string>;
    kafkaMtlsBrokers: string | null;
    databaseUrl: string;
    /** This run's privacy-scan directory (`@credit/testing/privacy-run`): names, hostile topics, findings, logs. */
    privacyRunDir: string;
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
  // Teardown scans every topic the run made, the platform's topics, the databases and the logs for resident identity
  // numbers in clear, and fails the run on any (throwing from a global teardown fails vitest's run).
  const bus = createKafkajsBus({
    brokers: brokersOf(infra.kafkaBrokers),
    clientId: 'privacy-scan',
    security: kafkaSecurityFrom(infra.kafkaEnv),
    logger: createLogger({ service: 'privacy-scan', level: 'warn' }),
  });
  const privacy = await startPrivacyRun({
    root: path.join(RUN_DIR, 'test-privacy'),
    bus,
    databaseUrl: infra.databaseUrl,
  }).catch(async (error: unknown) => {
    await infra.teardown();
    throw error;
  });
  project.provide('privacyRunDir', privacy.dir);
  return async () => {
    try {
      await privacy.finish();
    } finally {
      await infra.teardown();
    }
  };
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
