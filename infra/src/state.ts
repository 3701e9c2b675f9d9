import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type KafkaSecurity, kafkaSecurityFrom } from '@credit/kit';
import { localKafkaEnv } from './kafka-principals.ts';
import { RUN_DIR, STATE_FILE } from './paths.ts';

/** Where the platform's infrastructure is, as `infra up` found or started it. Read by tests and `pnpm start`. */
export interface InfraState {
  kafka: {
    brokers: string;
    source: 'environment' | 'local-broker';
    /** The local broker's mTLS listener (client certificates). */
    mtlsBrokers?: string;
    /** The local CA's certificate, which clients trust. */
    caFile?: string;
    /** The local broker's admin principal (its password is in .run/kafka/principals.json). */
    admin?: string;
  };
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
 * How a command run beside the platform authenticates to Kafka: the KAFKA_SASL_* / KAFKA_TLS_* variables when
 * set, else the local broker's principal `principal` (default: its admin) with the password kept for it.
 */
export function kafkaSecurityFor(state: InfraState | null, principal?: string): KafkaSecurity {
  return kafkaSecurityFrom(kafkaEnvFor(state, principal));
}

/** The same as KAFKA_* variables, for a process started beside the platform (a service, a benchmark's child). */
export function kafkaEnvFor(state: InfraState | null, principal?: string): Record<string, string> {
  if (credentialsInEnvironment()) return kafkaCredentialsIn(process.env);
  return localKafkaEnv(localPrincipal(state, principal));
}

/**
 * The KAFKA_SASL_* and KAFKA_TLS_* variables `env` sets: the Kafka credentials it gives a client. An empty one is
 * left out, as kafkaSecurityFrom reads it as unset.
 */
export function kafkaCredentialsIn(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => /^KAFKA_(SASL|TLS)_/.test(entry[0]) && Boolean(entry[1]),
    ),
  );
}

function credentialsInEnvironment(): boolean {
  return Boolean(process.env.KAFKA_SASL_USERNAME || process.env.KAFKA_TLS_CERT_FILE);
}

function localPrincipal(state: InfraState | null, principal: string | undefined): string {
  const name = principal ?? state?.kafka.admin;
  if (!name || state?.kafka.source !== 'local-broker') {
    throw new Error(
      'no Kafka credentials: set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE), or run `pnpm infra:up` for the local broker',
    );
  }
  return name;
}

/**
 * Where the platform's broker and database are, for a command run beside it: KAFKA_BROKERS and DATABASE_URL when
 * set, else what `pnpm infra:up` recorded; Kafka credentials as kafkaSecurityFor says. Throws, starting the message
 * with `who`, when either is unknown.
 */
export function requireInfrastructure(
  who: string,
  principal?: string,
): {
  kafkaBrokers: string;
  databaseUrl: string;
  kafkaSecurity: KafkaSecurity;
  /** The same identity as KAFKA_* variables, for child processes. */
  kafkaEnv: Record<string, string>;
} {
  const state = readState();
  const kafkaBrokers = process.env.KAFKA_BROKERS ?? state?.kafka.brokers;
  const databaseUrl = process.env.DATABASE_URL ?? state?.database.url;
  if (!kafkaBrokers || !databaseUrl) {
    throw new Error(
      `${who} the infrastructure: run \`pnpm infra:up\` first (or set KAFKA_BROKERS and DATABASE_URL)`,
    );
  }
  // Read only when asked: a command that needs only the database works without Kafka credentials.
  return {
    kafkaBrokers,
    databaseUrl,
    get kafkaSecurity() {
      return kafkaSecurityFor(state, principal);
    },
    get kafkaEnv() {
      return kafkaEnvFor(state, principal);
    },
  };
}
