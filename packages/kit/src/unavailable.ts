import { type CodedError, defineError } from '@credit/errors';

export const DatabaseUnavailable = defineError<[why: string, retryAfterSeconds: string]>(
  'DATABASE_UNAVAILABLE',
  503,
  'the database is not answering (%s); retry after %s s',
);
export const KafkaUnavailable = defineError<[why: string, retryAfterSeconds: string]>(
  'KAFKA_UNAVAILABLE',
  503,
  'the Kafka broker is not answering (%s); retry after %s s',
);

/** What a client is told to wait before it tries again while a dependency is down. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The coded 503 for an error that says the database or the broker cannot be reached (down, restarting, refusing
 * connections, cut off), or undefined for any other error. Kit does not depend on pg: a PostgreSQL failure is known
 * by its SQLSTATE or by the messages pg and pg-pool give, and a socket-level failure outside kafkajs is taken to be
 * the database's, the one dependency services reach through a raw client. The reason names the kind of failure only,
 * never the address.
 */
export function asUnavailable(error: unknown): CodedError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, code, message, retriable } = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    retriable?: unknown;
  };
  const retryAfter = String(UNAVAILABLE_RETRY_AFTER_SECONDS);
  const details = { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS };
  if (typeof name === 'string' && name.startsWith('KafkaJS')) {
    const why = KAFKA_FAILURES[name] ?? (retriable === true ? 'a request failed' : undefined);
    return why === undefined ? undefined : KafkaUnavailable.with(details, error, why, retryAfter);
  }
  const why = databaseFailure(code, message);
  return why === undefined ? undefined : DatabaseUnavailable.with(details, error, why, retryAfter);
}

const SOCKET_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection lost',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'host name not resolved',
};

const SQLSTATE_FAILURES: Record<string, string> = {
  '57P01': 'the server is shutting down',
  '57P02': 'the server crashed',
  '57P03': 'the server is starting up',
  '53300': 'too many connections',
};

/** What pg and pg-pool say when a connection cannot be made or is lost; they give no code for these. */
const CLIENT_FAILURES: Record<string, string> = {
  'timeout exceeded when trying to connect': 'no connection within the pool’s connection timeout',
  'Connection terminated due to connection timeout': 'no connection within the pool’s connection timeout',
  'Connection terminated unexpectedly': 'connection lost',
  'Connection terminated': 'connection lost',
  'Client has encountered a connection error and is not queryable': 'connection lost',
};

function databaseFailure(code: unknown, message: unknown): string | undefined {
  if (typeof code === 'string') {
    const known = SOCKET_FAILURES[code] ?? SQLSTATE_FAILURES[code];
    if (known) return known;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return 'connection failure';
  }
  return typeof message === 'string' ? CLIENT_FAILURES[message] : undefined;
}

const KAFKA_FAILURES: Record<string, string> = {
  KafkaJSConnectionError: 'connection failed',
  KafkaJSConnectionClosedError: 'connection closed',
  KafkaJSRequestTimeoutError: 'request timed out',
  KafkaJSNumberOfRetriesExceeded: 'retries exhausted',
  KafkaJSBrokerNotFound: 'no broker found',
  KafkaJSNoBrokerAvailableError: 'no broker available',
  KafkaJSTimeout: 'timed out',
};
