import type { Logger } from 'pino';
import type { HealthState } from './health.ts';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
}

export interface GracefulShutdownOptions {
  logger: Logger;
  state: HealthState;
  /** Run in order: typically stop taking work (HTTP, consumers), then flush producers, then close pools. */
  steps: ShutdownStep[];
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
  exit?: (code: number) => void;
}

/**
 * Installs signal handlers that stop the service in order and exit 0, or exit 1 when a step fails or the
 * whole shutdown outlasts the timeout. Returns the shutdown function for callers that stop on their own.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): (reason: string) => Promise<void> {
  const { logger, state, steps, timeoutMs = 15_000, signals = ['SIGTERM', 'SIGINT'] } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    running ??= (async () => {
      state.shuttingDown = true;
      logger.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs }, 'shutdown timed out');
        exit(1);
      }, timeoutMs);
      timer.unref();
      let failed = false;
      for (const step of steps) {
        try {
          await step.run();
          logger.info({ step: step.name }, 'stopped');
        } catch (error) {
          failed = true;
          logger.error({ step: step.name, err: error }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      exit(failed ? 1 : 0);
    })();
    return running;
  };

  for (const signal of signals) process.once(signal, () => void shutdown(signal));
  return shutdown;
}
