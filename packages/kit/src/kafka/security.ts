import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from '../config.ts';

/**
 * How a client proves who it is to the broker. There is no plaintext option: the platform's brokers listen only on
 * TLS, with SASL/SCRAM (a password) or a client certificate (mTLS) naming the principal.
 */
export interface KafkaSecurity {
  /** PEM of the CA(s) the broker's certificate is checked against; the system's CAs when absent. */
  ca?: string;
  /** mTLS: the client certificate (its CN is the principal) and its key, PEM. */
  certificate?: { cert: string; key: string };
  /** SASL/SCRAM over TLS. */
  sasl?: { mechanism: 'scram-sha-512' | 'scram-sha-256'; username: string; password: string };
}

/** The principal a client authenticates as (for logs and errors: never the password). */
export function principalOf(security: KafkaSecurity): string {
  if (security.sasl) return security.sasl.username;
  return security.certificate ? 'client certificate' : 'anonymous';
}

export interface KafkaSecurityEnv {
  KAFKA_SASL_MECHANISM?: 'SCRAM-SHA-512' | 'SCRAM-SHA-256';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_TLS_CA_FILE?: string;
  KAFKA_TLS_CERT_FILE?: string;
  KAFKA_TLS_KEY_FILE?: string;
}

/**
 * The client's security from validated configuration: either a SASL username and password, or a client
 * certificate and key, never both and never neither. Files are read now, so a missing file fails the start with
 * its variable's name rather than the first connection.
 */
export function kafkaSecurityFrom(config: KafkaSecurityEnv | Env): KafkaSecurity {
  const env = config as Env;
  const problems: string[] = [];
  const sasl = Boolean(env.KAFKA_SASL_USERNAME || env.KAFKA_SASL_PASSWORD);
  const certificate = Boolean(env.KAFKA_TLS_CERT_FILE || env.KAFKA_TLS_KEY_FILE);
  if (sasl && certificate) {
    problems.push(
      'KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD and KAFKA_TLS_CERT_FILE/KAFKA_TLS_KEY_FILE are both set: authenticate with a password (SASL/SCRAM) or a client certificate (mTLS), not both',
    );
  } else if (!sasl && !certificate) {
    problems.push(
      'Kafka credentials are missing: set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (SASL/SCRAM over TLS), or KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE (mTLS); the brokers accept no anonymous client',
    );
  }
  if (sasl && !(env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD)) {
    problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD go together: one of them is missing');
  }
  if (certificate && !(env.KAFKA_TLS_CERT_FILE && env.KAFKA_TLS_KEY_FILE)) {
    problems.push('KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together: one of them is missing');
  }
  const read = (variable: string): string | undefined => {
    const file = env[variable]?.trim();
    if (!file) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
      return undefined;
    }
  };
  const ca = read('KAFKA_TLS_CA_FILE');
  const cert = read('KAFKA_TLS_CERT_FILE');
  const key = read('KAFKA_TLS_KEY_FILE');
  if (problems.length > 0) throw new ConfigError(problems);
  const security: KafkaSecurity = {};
  if (ca !== undefined) security.ca = ca;
  if (cert !== undefined && key !== undefined) security.certificate = { cert, key };
  if (sasl) {
    security.sasl = {
      mechanism: env.KAFKA_SASL_MECHANISM === 'SCRAM-SHA-256' ? 'scram-sha-256' : 'scram-sha-512',
      username: env.KAFKA_SASL_USERNAME!,
      password: env.KAFKA_SASL_PASSWORD!,
    };
  }
  return security;
}

/** The environment a child process needs to authenticate as `security` (files are passed by path). */
export function kafkaSecurityEnv(options: {
  caFile?: string;
  sasl?: { username: string; password: string; mechanism?: 'SCRAM-SHA-512' | 'SCRAM-SHA-256' };
  certificate?: { certFile: string; keyFile: string };
}): Record<string, string> {
  const env: Record<string, string> = {};
  if (options.caFile) env.KAFKA_TLS_CA_FILE = options.caFile;
  if (options.sasl) {
    env.KAFKA_SASL_MECHANISM = options.sasl.mechanism ?? 'SCRAM-SHA-512';
    env.KAFKA_SASL_USERNAME = options.sasl.username;
    env.KAFKA_SASL_PASSWORD = options.sasl.password;
  }
  if (options.certificate) {
    env.KAFKA_TLS_CERT_FILE = options.certificate.certFile;
    env.KAFKA_TLS_KEY_FILE = options.certificate.keyFile;
  }
  return env;
}
