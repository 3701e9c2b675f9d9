import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { RUN_DIR, STATE_FILE } from './paths.ts';

/** Where the platform's infrastructure is, as `infra up` found or started it. Read by tests and `pnpm start`. */
export interface InfraState {
  kafka: { brokers: string; source: 'environment' | 'local-broker' };
  database: { url: string; source: 'environment' | 'local-server' | 'embedded' };
  startedAt: string;
}

export function readState(): InfraState | null {
  if (!existsSync(STATE_FILE)) return null;
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as InfraState;
}

export function writeState(state: InfraState): void {
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Where the platform's broker and database are, for a command run beside it: KAFKA_BROKERS and DATABASE_URL when
 * set, else what `pnpm infra:up` recorded. Throws, starting the message with `who`, when either is unknown.
 */
export function requireInfrastructure(who: string): { kafkaBrokers: string; databaseUrl: string } {
  const state = readState();
  const kafkaBrokers = process.env.KAFKA_BROKERS ?? state?.kafka.brokers;
  const databaseUrl = process.env.DATABASE_URL ?? state?.database.url;
  if (!kafkaBrokers || !databaseUrl) {
    throw new Error(
      `${who} the infrastructure: run \`pnpm infra:up\` first (or set KAFKA_BROKERS and DATABASE_URL)`,
    );
  }
  return { kafkaBrokers, databaseUrl };
}
