import { appendFileSync } from 'node:fs';
import { createLogger, type Logger } from '@credit/kit';
import { testLogFile } from './fixtures.ts';

export interface CapturedLogger {
  logger: Logger;
  /** Every line so far, parsed (pino JSON: `msg`, `level` and the fields). */
  lines(): Record<string, unknown>[];
}

/**
 * A logger whose lines the test can read, to wait for what a service reports it did (a retry, a crash) rather than
 * for a while. Lines also go to the run's log directory, so the privacy scan reads them like every other log.
 */
export function capturedLogger(name: string, level = 'debug'): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const file = testLogFile(name);
  const logger = createLogger({
    service: 'test',
    level,
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
        if (file) appendFileSync(file, line);
      },
    },
  });
  return { logger, lines: () => lines };
}
