import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Tests run on infrastructure of their own, never on what `pnpm start` uses: their own broker (its own data, ports
 * and credentials under `.run/test`), and their own database on the server (`credit_test`, beside the fresh database
 * each test makes). So the operations dashboard of `pnpm start` never shows a test's topics, groups or dead letters,
 * and a test inventing a department cannot race with `pnpm infra:up` reconciling the real ones.
 *
 * Called by vitest.config.ts before anything reads the environment (infra's paths are fixed at import). Sets:
 * CREDIT_RUN_DIR (TEST_RUN_DIR, else .run/test), KAFKA_PORT (TEST_KAFKA_PORT, else the platform's port + 100) and
 * its controller and mTLS ports next to it, the embedded PostgreSQL's port (used only when no server answers) and
 * CREDIT_DATABASE. With KAFKA_BROKERS set the broker is someone else's and is left as given.
 */
export function isolateTestInfrastructure(env: NodeJS.ProcessEnv = process.env): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  env.CREDIT_RUN_DIR = env.TEST_RUN_DIR ?? path.join(root, '.run', 'test');
  if (!env.KAFKA_BROKERS) {
    const port = Number(env.TEST_KAFKA_PORT ?? Number(env.KAFKA_PORT ?? 9092) + 100);
    env.KAFKA_PORT = String(port);
    env.KAFKA_CONTROLLER_PORT = String(port + 1);
    env.KAFKA_MTLS_PORT = String(port + 2);
  }
  env.POSTGRES_EMBEDDED_PORT =
    env.TEST_POSTGRES_EMBEDDED_PORT ?? String(Number(env.POSTGRES_EMBEDDED_PORT ?? 54329) + 1);
  env.CREDIT_DATABASE = env.TEST_DATABASE ?? 'credit_test';
}
