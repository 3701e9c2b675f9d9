import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The chaos suite restarts its broker and its database, so both are its own, never `pnpm start`'s or the tests':
 * a broker under `.run/chaos` on the platform's Kafka port + 200, and an embedded PostgreSQL on a port of its own
 * (never the machine's shared server). Set before infra is imported (its paths are fixed at import).
 * CHAOS_RUN_DIR, CHAOS_KAFKA_PORT and CHAOS_POSTGRES_PORT override the choices.
 */
export function isolateChaosInfrastructure(env: NodeJS.ProcessEnv = process.env): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
  env.CREDIT_RUN_DIR = env.CHAOS_RUN_DIR ?? path.join(root, '.run', 'chaos');
  const port = Number(env.CHAOS_KAFKA_PORT ?? Number(env.KAFKA_PORT ?? 9092) + 200);
  env.KAFKA_PORT = String(port);
  env.KAFKA_CONTROLLER_PORT = String(port + 1);
  env.KAFKA_MTLS_PORT = String(port + 2);
  env.POSTGRES_MODE = 'embedded';
  env.POSTGRES_EMBEDDED_PORT = env.CHAOS_POSTGRES_PORT ?? '54331';
  env.CREDIT_DATABASE = 'credit';
  // Someone else's broker, database or credentials would be restarted or used by mistake.
  for (const name of Object.keys(env)) {
    if (name === 'KAFKA_BROKERS' || name === 'DATABASE_URL' || /^KAFKA_(SASL|TLS)_/.test(name))
      delete env[name];
  }
}
