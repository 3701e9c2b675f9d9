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
