import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type InfraState,
  infraUp,
  KAFKA_RUN_DIR,
  POSTGRES_RUN_DIR,
  readPid,
  stopBroker,
  stopEmbedded,
} from '@credit/infra';
import type { Logger } from '@credit/kit';

/** The chaos run's own broker and database: stopped cleanly or with SIGKILL, and brought back by `infraUp`. */
export interface InfraFaults {
  stopBroker(mode: 'kill' | 'clean'): Promise<void>;
  stopPostgres(mode: 'kill' | 'clean'): Promise<void>;
  /** Starts whatever is down (infraUp is idempotent); after a SIGKILL the old processes may need a moment to go. */
  up(): Promise<InfraState>;
}

export function infraFaults(logger: Logger): InfraFaults {
  return {
    async stopBroker(mode) {
      if (mode === 'kill') killHard(readPid(path.join(KAFKA_RUN_DIR, 'kafka.pid')), 'broker');
      else await stopBroker();
    },
    async stopPostgres(mode) {
      if (mode === 'kill') killHard(postmasterPid(), 'postgres');
      else stopEmbedded();
    },
    async up() {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await infraUp(logger);
        } catch (error) {
          // A SIGKILLed postmaster's backends, or a broker's lock, can outlive it for a few seconds.
          if (attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
    },
  };
}

function postmasterPid(): number | null {
  const file = path.join(POSTGRES_RUN_DIR, 'data', 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0]!, 10);
  return Number.isInteger(pid) ? pid : null;
}

function killHard(pid: number | null, what: string): void {
  if (pid === null) throw new Error(`chaos: no ${what} process to kill`);
  process.kill(pid, 'SIGKILL');
}
