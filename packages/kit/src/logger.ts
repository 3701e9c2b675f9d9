import { maskIdentityNumbers } from '@credit/identifiers';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values never reach a log line. Identity numbers travel in records (subject.code of a natural
 * person, legal representatives) and in request headers (credentials).
 */
export const REDACTED_PATHS = [
  'idNumber',
  '*.idNumber',
  '*.*.idNumber',
  'personId',
  '*.personId',
  '*.subject.personId',
  '*.legalRepresentative.idNumber',
  '*.*.legalRepresentative.idNumber',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
];

/** Masks anything shaped like a resident identity number in free text: only the last 4 characters kept. */
export { maskIdentityNumbers };

export interface LoggerConfig {
  service: string;
  level?: string;
  /** For tests: where lines go (default stdout). */
  destination?: DestinationStream;
}

export function createLogger({ service, level = 'info', destination }: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Any other field may quote a number too (a value in a database error, a key, a reason): masked wherever it is.
    formatters: { log: (object) => maskFields(object) as Record<string, unknown> },
    hooks: {
      // Messages are free text and may quote an identity number a department sent: mask it there too.
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskIdentityNumbers(arg) : arg));
        method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Strings in a log line's fields, nested objects, arrays and errors included, with identity numbers masked. */
function maskFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskIdentityNumbers(value);
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => maskFields(item, depth + 1));
  if (value instanceof Error) {
    const error = value as Error & { code?: unknown };
    return {
      type: error.name,
      message: maskIdentityNumbers(error.message),
      stack: error.stack === undefined ? undefined : maskIdentityNumbers(error.stack),
      ...(error.code === undefined ? {} : { code: error.code }),
    };
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const masked: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) masked[key] = maskFields(item, depth + 1);
  return masked;
}
